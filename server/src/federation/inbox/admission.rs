//! What the inbox keeps in memory between requests: signers' keys, recently
//! seen activity ids, votes waiting to be written, and the bound on
//! activities accepted but not yet applied.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::signature::{KeyCache, KEY_CACHE_SIZE, KEY_TTL};
use super::vote_batch::{VoteBatcher, VotesHeld};
use crate::federation::cache::{RecentIds, TtlMap};

/// How many activity ids are remembered in memory (8 bytes each).
const RECENT_IDS: usize = 4096;

/// How long a request waits for room in a full queue before it is answered
/// 503: long enough to ride out a burst, short enough for a sender's timeout.
pub const QUEUE_WAIT: Duration = Duration::from_secs(1);

/// Seconds a sender is asked to wait (`Retry-After`) when the queue is full.
pub const RETRY_AFTER_SECS: u32 = 10;

#[derive(Debug)]
pub struct InboxState {
    pub keys: KeyCache,
    pub recent: RecentIds,
    /// Likes and dislikes waiting to be written together.
    pub(super) votes: VoteBatcher,
    queue: Arc<Semaphore>,
    capacity: usize,
}

/// A place in the background queue, held until the activity is processed.
pub type Slot = OwnedSemaphorePermit;

impl InboxState {
    /// `queue` activities at most are accepted and not yet processed.
    pub fn new(queue: usize) -> Self {
        let capacity = queue.max(1);
        InboxState {
            keys: TtlMap::new(KEY_CACHE_SIZE, KEY_TTL),
            recent: RecentIds::new(RECENT_IDS),
            votes: VoteBatcher::default(),
            queue: Arc::new(Semaphore::new(capacity)),
            capacity,
        }
    }

    /// A place in the queue, waiting up to [`QUEUE_WAIT`] for one; `None` when it stays full.
    pub async fn admit(&self) -> Option<Slot> {
        if let Ok(slot) = self.queue.clone().try_acquire_owned() {
            return Some(slot);
        }
        tokio::time::timeout(QUEUE_WAIT, self.queue.clone().acquire_owned())
            .await
            .ok()
            .and_then(Result::ok)
    }

    /// Activities accepted and still being processed.
    pub fn in_flight(&self) -> usize {
        self.capacity - self.queue.available_permits()
    }

    /// Keeps likes and dislikes from being written until the guard is
    /// dropped (tests: the ones that arrive meanwhile make one batch).
    pub async fn hold_votes(&self) -> VotesHeld {
        self.votes.hold().await
    }

    /// Likes and dislikes accepted and waiting to be written.
    pub fn votes_waiting(&self) -> usize {
        self.votes.waiting()
    }

    /// Takes every free place (tests: a full queue without slow work).
    pub fn occupy_all(&self) -> Vec<Slot> {
        std::iter::from_fn(|| self.queue.clone().try_acquire_owned().ok()).collect()
    }
}

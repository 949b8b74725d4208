//! Incoming likes and dislikes, written in batches: many votes arrive at
//! once and each is a few small queries, so the cost of a blocking-pool trip
//! and of a write transaction (`BEGIN IMMEDIATE` on SQLite, one writer at a
//! time) is shared by up to [`BATCH`] of them. Each vote runs in its own
//! savepoint, so one refusal rolls back that vote alone; every caller gets
//! its own result once the batch has committed.
//!
//! No task outlives the work: the first vote that finds no writer running
//! starts one, and it stops when nothing is left.

use std::sync::{Arc, Mutex};

use activitypub_federation::config::Data;
use tokio::sync::oneshot;
use url::Url;

use super::vote_reads::BatchReads;
use super::Body;
use crate::domain::content::remote;
use crate::federation::config::host_of;
use crate::federation::error::FedError;
use crate::federation::objects::actor::ApubActor;
use crate::federation::outgoing;
use crate::state::AppState;
use crate::store::communities::Community;
use crate::store::{activities, write_transaction, DbConn, StoreError};

/// Votes written in one transaction at most.
pub const BATCH: usize = 64;

/// One vote to write.
pub struct Vote {
    /// The post or comment voted on.
    pub object: Url,
    pub voter: ApubActor,
    /// 1, -1, or 0 to take a vote back.
    pub value: i16,
    /// The received activity's id, recorded as seen in the vote's own
    /// savepoint (`None`: the caller de-duplicates).
    pub record: Option<String>,
    /// The like's own id.
    pub ap_id: String,
    /// The activity as received, forwarded as it is.
    pub raw: Body,
    /// The remote community that announced it, if any.
    pub via: Option<Community>,
}

struct Pending {
    vote: Vote,
    done: oneshot::Sender<Result<(), FedError>>,
}

/// Votes waiting for the writer, and whether one is running.
#[derive(Default)]
pub struct VoteBatcher {
    state: Mutex<(Vec<Pending>, bool)>,
    /// Taken by the writer before each batch; [`VoteBatcher::hold`] keeps it closed.
    gate: Arc<tokio::sync::Mutex<()>>,
}

/// Holds the vote writer back while it lives (see [`VoteBatcher::hold`]).
pub type VotesHeld = tokio::sync::OwnedMutexGuard<()>;

impl std::fmt::Debug for VoteBatcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VoteBatcher").finish_non_exhaustive()
    }
}

impl VoteBatcher {
    fn lock(&self) -> std::sync::MutexGuard<'_, (Vec<Pending>, bool)> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Keeps the writer from taking a batch until the guard is dropped: the
    /// votes that arrive meanwhile are then written together (tests).
    pub async fn hold(&self) -> VotesHeld {
        self.gate.clone().lock_owned().await
    }

    /// How many votes wait for the writer.
    pub fn waiting(&self) -> usize {
        self.lock().0.len()
    }

    /// The next batch, or `None` (and the writer marked stopped) when empty.
    fn take(&self) -> Option<Vec<Pending>> {
        let mut state = self.lock();
        if state.0.is_empty() {
            state.1 = false;
            return None;
        }
        let n = state.0.len().min(BATCH);
        Some(state.0.drain(..n).collect())
    }
}

/// Marks the writer stopped if it ends without emptying the queue (a panic),
/// so the next vote starts another.
struct Running<'a>(&'a VoteBatcher);

impl Drop for Running<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.lock().1 = false;
        }
    }
}

/// Writes `vote` with others waiting at the same time; returns its own result.
pub async fn submit(vote: Vote, data: &Data<AppState>) -> Result<(), FedError> {
    let (done, result) = oneshot::channel();
    let start = {
        let mut state = data.inbox.votes.lock();
        state.0.push(Pending { vote, done });
        !std::mem::replace(&mut state.1, true)
    };
    if start {
        tokio::spawn(write_all(data.reset_request_count()));
    }
    // A writer that died dropped the sender: a passing failure, worth a retry.
    result
        .await
        .unwrap_or_else(|_| Err(StoreError::Task("the vote writer stopped".into()).into()))
}

/// Writes batches until none is waiting.
async fn write_all(data: Data<AppState>) {
    let batcher = &data.inbox.votes;
    let _running = Running(batcher);
    loop {
        let open = batcher.gate.clone().lock_owned().await;
        let Some(batch) = batcher.take() else {
            break;
        };
        drop(open);
        let data2 = data.reset_request_count();
        let written = data
            .db(move |c| {
                write_batch(c, &data2, batch);
                Ok::<_, StoreError>(())
            })
            .await;
        if let Err(e) = written {
            // The senders were dropped with the batch: each caller sees a
            // passing failure and tries again.
            tracing::warn!(error = %e, "writing a batch of votes failed");
        }
    }
}

/// One transaction: each vote in its own savepoint, the targets, communities,
/// membership and forward audiences read once for all of them, and each
/// target recounted once at the end; answers every caller after the commit
/// (or with the commit's error).
fn write_batch(c: &mut DbConn, data: &Data<AppState>, batch: Vec<Pending>) {
    let mut answers = Vec::with_capacity(batch.len());
    let origin = outgoing::Origin {
        instance: data.instance.clone(),
        allowlist_only: data.allowlist_only(),
    };
    let committed = write_transaction(c, |c| {
        let mut reads = BatchReads::default();
        for p in batch {
            let result = write_transaction(c, |c| write_one(c, &origin, &mut reads, p.vote));
            answers.push((p.done, result));
        }
        reads.recount(c)
    });
    let failed = committed.err().map(|e| e.to_string());
    for (done, result) in answers {
        let result = match &failed {
            None => result,
            Some(e) => Err(StoreError::Task(format!("committing votes: {e}")).into()),
        };
        let _ = done.send(result);
    }
}

fn write_one(
    c: &mut DbConn,
    origin: &outgoing::Origin,
    reads: &mut BatchReads,
    v: Vote,
) -> Result<(), FedError> {
    let Some((target, community_id)) = reads.target(c, v.object.as_str())? else {
        return Ok(());
    };
    let community = reads.community(c, community_id)?;
    let (community, community_actor) = (&community.0, &community.1);
    if !community.local && v.via.as_ref().is_none_or(|via| via.id != community.id) {
        return Ok(());
    }
    if let Some(id) = &v.record {
        if !activities::first_sighting(c, id)? {
            return Ok(());
        }
    }
    let voter = v.voter.row.id;
    remote::vote(c, voter, target, v.value, &v.ap_id, community.local, |c| {
        reads.may_take_part(c, community.id, voter)
    })?;
    reads.touch(target);
    if community.local {
        // Forwarded to the community's remote audience, but the voter's own instance.
        let audience = reads.audience(c, community.id, host_of(&v.voter.url))?;
        if !audience.is_empty() {
            let raw = v.raw.value()?;
            outgoing::announce_to(c, origin, community_actor, raw, audience.iter().cloned())?;
        }
    }
    Ok(())
}

//! Incoming likes and dislikes, written in batches: many votes arrive at
//! once and each is a few small queries, so the cost of a blocking-pool trip
//! and of a write transaction (`BEGIN IMMEDIATE` on SQLite, one writer at a
//! time) is shared by up to [`BATCH`] of them. A vote is refused before it
//! writes anything, so one refusal leaves the others be. A vote that came
//! inside an announce has a caller waiting for its result; one straight from
//! the inbox has nobody (the sender has its 202), so the writer itself tries
//! it again after a passing failure or forgets it as seen after a final one.
//!
//! No task outlives the work: the first vote that finds no writer running
//! starts one, and it stops when nothing is left.

use std::sync::{Arc, Mutex};

use activitypub_federation::config::Data;
use tokio::sync::oneshot;
use url::Url;

use super::admission::Slot;
use super::vote_reads::{BatchReads, CommunityRow};
use super::{not_applied, Body, RETRY_PAUSES};
use crate::domain::content::remote;
use crate::federation::config::host_of;
use crate::federation::error::FedError;
use crate::federation::objects::actor::ApubActor;
use crate::federation::outgoing;
use crate::state::AppState;
use crate::store::communities::Community;
use crate::store::votes::{self, Target};
use crate::store::{activities, write_transaction, DbConn, StoreError};

/// Votes written in one transaction at most (half the inbox queue's default
/// bound: each waiting vote holds its place in that queue).
pub const BATCH: usize = 128;

/// How long the writer waits for a batch to fill before writing a smaller
/// one. Most of a batch's cost is its commit (the log pages it writes, and
/// the checkpoint that copies them back): at a few thousand votes a second,
/// 10 ms batches cost the writer a third less CPU per vote than 2 ms ones,
/// while 30 ms ones saved nothing more (inbox bench, perf). A vote is in the
/// database 10 ms or so after its 202, which nobody can tell apart.
const GATHER: std::time::Duration = std::time::Duration::from_millis(10);

/// One vote to write.
pub struct Vote {
    /// The post or comment voted on.
    pub object: Url,
    /// Shared with the inbox's key cache.
    pub voter: Arc<ApubActor>,
    /// 1, -1, or 0 to take a vote back.
    pub value: i16,
    /// The received activity's id, recorded as seen in the transaction that
    /// writes the vote (`None`: the caller de-duplicates).
    pub record: Option<String>,
    /// The like's own id.
    pub ap_id: String,
    /// The activity as received, forwarded as it is.
    pub raw: Body,
    /// The remote community that announced it, if any.
    pub via: Option<Community>,
}

impl Vote {
    /// A like or dislike whose vote row is its own record: its id is the
    /// row's (the store moves the id to `received_activities` when the row is
    /// taken back or replaced), so it is not written a second time. An
    /// undo's id, or one of an activity around the like, is recorded apart.
    fn row_is_record(&self) -> bool {
        self.value != 0 && self.record.as_deref() == Some(self.ap_id.as_str())
    }
}

struct Pending {
    vote: Vote,
    reply: Reply,
}

/// Who learns how a vote went.
enum Reply {
    /// A caller waiting for it (a vote that came inside an announce).
    Caller(oneshot::Sender<Result<(), FedError>>),
    /// Nobody waits: the inbox answered 202 and handed the vote over with
    /// its place in the inbox queue, held until the vote is written. A
    /// passing failure is tried again ([`RETRY_PAUSES`]); a final one is
    /// logged and the activity forgotten, so a re-delivery may count.
    Inbox { slot: Slot, retried: usize },
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
        lock(&self.state)
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
    push(
        Pending {
            vote,
            reply: Reply::Caller(done),
        },
        data,
    );
    // A writer that died dropped the sender: a passing failure, worth a retry.
    result
        .await
        .unwrap_or_else(|_| Err(StoreError::Task("the vote writer stopped".into()).into()))
}

/// Hands a vote straight from the inbox to the writer, with the inbox queue
/// place it holds until written: no task of its own, nobody waiting.
pub fn enqueue(vote: Vote, slot: Slot, data: &Data<AppState>) {
    let reply = Reply::Inbox { slot, retried: 0 };
    push(Pending { vote, reply }, data);
}

fn push(pending: Pending, data: &Data<AppState>) {
    let start = {
        let mut state = data.inbox.votes.lock();
        state.0.push(pending);
        !std::mem::replace(&mut state.1, true)
    };
    if start {
        tokio::spawn(write_all(data.reset_request_count()));
    }
}

/// Writes batches until none is waiting.
async fn write_all(data: Data<AppState>) {
    let batcher = &data.inbox.votes;
    let _running = Running(batcher);
    loop {
        if batcher.waiting() < BATCH {
            // Group commit: a moment for more votes to join the batch. Most of
            // a batch's cost is its commit (the pages it writes to the log).
            tokio::time::sleep(GATHER).await;
        }
        let open = batcher.gate.clone().lock_owned().await;
        let Some(batch) = batcher.take() else {
            break;
        };
        drop(open);
        // Kept outside the database call, so that a batch that found no
        // connection is answered rather than dropped.
        let held = Arc::new(Mutex::new(batch));
        let inside = held.clone();
        let data2 = data.reset_request_count();
        let written = data
            .db(move |c| {
                let batch = std::mem::take(&mut *lock(&inside));
                let results = write_batch(c, &data2, &batch);
                Ok::<_, StoreError>((batch, results))
            })
            .await;
        let (batch, results) = match written {
            Ok(written) => written,
            Err(e) => {
                tracing::warn!(error = %e, "writing a batch of votes failed");
                let batch = std::mem::take(&mut *lock(&held));
                let failed = batch
                    .iter()
                    .map(|_| Err(StoreError::Task(format!("writing votes: {e}")).into()))
                    .collect();
                (batch, failed)
            }
        };
        settle(&data, batch, results).await;
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Answers each vote's caller; an inbox vote that failed is tried again
/// later or, failing for good, forgotten.
async fn settle(data: &Data<AppState>, batch: Vec<Pending>, results: Vec<Result<(), FedError>>) {
    for (Pending { vote, reply }, result) in batch.into_iter().zip(results) {
        match (reply, result) {
            (Reply::Caller(done), result) => {
                let _ = done.send(result);
            }
            (Reply::Inbox { .. }, Ok(())) => {}
            (Reply::Inbox { slot, retried }, Err(e))
                if e.is_transient() && retried < RETRY_PAUSES.len() =>
            {
                tracing::debug!(error = %e, "retrying an incoming vote");
                let data = data.reset_request_count();
                tokio::spawn(async move {
                    tokio::time::sleep(RETRY_PAUSES[retried]).await;
                    let reply = Reply::Inbox {
                        slot,
                        retried: retried + 1,
                    };
                    push(Pending { vote, reply }, &data);
                });
            }
            (Reply::Inbox { .. }, Err(e)) => {
                if let Some(id) = &vote.record {
                    not_applied(data, id, &e.to_string()).await;
                }
            }
        }
    }
}

/// Writes a batch; each vote's result once it has committed (or the
/// commit's error). All votes go in one transaction without savepoints
/// (a savepoint per vote cost SQLite a sub-journal copy of every page it
/// touched): each vote is decided by reads before it writes, so a refusal
/// leaves nothing behind. Should a write fail, that transaction is rolled
/// back and the batch written again with a savepoint per vote, so one bad
/// vote fails alone.
fn write_batch(
    c: &mut DbConn,
    data: &Data<AppState>,
    batch: &[Pending],
) -> Vec<Result<(), FedError>> {
    let origin = outgoing::Origin {
        instance: data.instance.clone(),
        allowlist_only: data.allowlist_only(),
    };
    let votes: Vec<&Vote> = batch.iter().map(|p| &p.vote).collect();
    match write_transaction(c, |c| write_together(c, &origin, &votes)) {
        Ok(results) => results,
        Err(e) => {
            tracing::debug!(error = %e, "votes written one by one after a failed write");
            write_one_by_one(c, &origin, &votes)
        }
    }
}

/// A failure of the database rather than a refusal of the vote.
fn is_storage(e: &FedError) -> bool {
    matches!(e, FedError::Store(_) | FedError::Database(_))
}

/// Every vote in the caller's transaction, no savepoints: a vote refused
/// before it wrote is its own answer; any other failure aborts the whole try.
fn write_together(
    c: &mut DbConn,
    origin: &outgoing::Origin,
    votes: &[&Vote],
) -> Result<Vec<Result<(), FedError>>, FedError> {
    let mut reads = BatchReads::default();
    let mut results = Vec::with_capacity(votes.len());
    for v in votes {
        match decide(c, &mut reads, v) {
            Ok(Some(decided)) => {
                apply(c, origin, &mut reads, v, decided)?;
                results.push(Ok(()));
            }
            Ok(None) => results.push(Ok(())),
            Err(e) if is_storage(&e) => return Err(e),
            Err(refused) => results.push(Err(refused)),
        }
    }
    reads.recount(c)?;
    Ok(results)
}

/// Each vote in its own savepoint; every answer is the commit's error if it fails.
fn write_one_by_one(
    c: &mut DbConn,
    origin: &outgoing::Origin,
    votes: &[&Vote],
) -> Vec<Result<(), FedError>> {
    let mut answers = Vec::with_capacity(votes.len());
    let committed = write_transaction(c, |c| {
        let mut reads = BatchReads::default();
        for v in votes {
            answers.push(write_transaction(c, |c| match decide(c, &mut reads, v)? {
                Some(decided) => apply(c, origin, &mut reads, v, decided),
                None => Ok(()),
            }));
        }
        reads.recount(c)
    });
    match committed {
        Ok(()) => answers,
        Err(e) => {
            let e = e.to_string();
            (0..votes.len())
                .map(|_| Err(StoreError::Task(format!("committing votes: {e}")).into()))
                .collect()
        }
    }
}

/// What a vote is about to write.
struct Decided {
    target: Target,
    community: CommunityRow,
}

/// Reads only: whether the vote is written (`None`: skipped, as a repeat or
/// for a post we do not hold), or refused.
fn decide(c: &mut DbConn, reads: &mut BatchReads, v: &Vote) -> Result<Option<Decided>, FedError> {
    let Some((target, community_id)) = reads.target(c, v.object.as_str())? else {
        return Ok(None);
    };
    let community = reads.community(c, community_id)?;
    let local = community.0.local;
    if !local && v.via.as_ref().is_none_or(|via| via.id != community.0.id) {
        return Ok(None);
    }
    let allowed =
        !local || v.value == 0 || reads.may_take_part(c, community.0.id, v.voter.row.id)?;
    if !allowed {
        // A repeat of an activity taken before is skipped, not refused.
        if taken_before(c, v)? {
            return Ok(None);
        }
        remote::may_vote(false)?;
    }
    Ok(Some(Decided { target, community }))
}

/// Whether the vote's activity was taken before (see [`Vote::row_is_record`]).
fn taken_before(c: &mut DbConn, v: &Vote) -> Result<bool, FedError> {
    Ok(match &v.record {
        None => false,
        Some(id) if v.row_is_record() => votes::like_seen(c, id)?,
        Some(id) => activities::seen(c, id)?,
    })
}

/// Writes a decided vote: its id as seen (an undo's; a like's is the vote
/// row), the vote, the forward.
fn apply(
    c: &mut DbConn,
    origin: &outgoing::Origin,
    reads: &mut BatchReads,
    v: &Vote,
    Decided { target, community }: Decided,
) -> Result<(), FedError> {
    if let Some(id) = &v.record {
        let fresh = if v.row_is_record() {
            !votes::like_seen(c, id)?
        } else {
            activities::first_sighting(c, id)?
        };
        if !fresh {
            return Ok(());
        }
    }
    remote::vote(c, v.voter.row.id, target, v.value, &v.ap_id)?;
    reads.touch(target);
    let (community, community_actor) = (&community.0, &community.1);
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

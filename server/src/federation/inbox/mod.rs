//! The inbox (shared and per actor): verify, de-duplicate, answer 202, then process in the background with a time limit (likes and dislikes: handed to the batched vote writer).

mod admission;
mod announced;
mod content;
mod fetch;
mod governance;
mod membership;
pub mod signature;
mod signature_header;
mod vote_batch;
mod vote_reads;

pub use admission::{InboxState, RETRY_AFTER_SECS};

use std::sync::Arc;
use std::time::Duration;

use activitypub_federation::config::Data;
use activitypub_federation::protocol::verification::verify_domains_match;
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse};

use super::config::{host_allowed, host_of};
use super::error::FedError;
use super::objects::actor::ApubActor;
use super::protocol::InboxActivity;
use crate::state::AppState;
use crate::store::{activities, StoreError};

/// How long one activity may take to process.
pub const PROCESSING_LIMIT: Duration = Duration::from_secs(30);

/// A received activity's body as it came, kept as bytes (no copy) and read as a JSON value only
/// where it is needed: forwarding it, mostly. Empty for an activity that came inside an announce,
/// which reads as `null`.
#[derive(Clone, Debug, Default)]
pub struct Body(Bytes);

impl Body {
    /// The body as a JSON value (`null` when empty).
    pub fn value(&self) -> Result<serde_json::Value, FedError> {
        if self.0.is_empty() {
            return Ok(serde_json::Value::Null);
        }
        Ok(serde_json::from_slice(&self.0)?)
    }
}

fn accepted() -> HttpResponse {
    HttpResponse::Accepted().finish()
}

/// `POST /inbox`, `/u/{name}/inbox`, `/c/{name}/inbox`.
///
/// Every request is checked in full (shape, policy, date, digest, signature
/// by the key of the activity's own actor); the work that costs a database
/// trip is cached in memory (instance policies, signers' keys, recent ids),
/// so a known sender's activity is accepted without touching the database.
pub async fn receive(
    req: HttpRequest,
    body: Bytes,
    data: Data<AppState>,
) -> Result<HttpResponse, FedError> {
    let activity = match InboxActivity::read_common(&body) {
        Some(activity) => activity,
        None => {
            let value: serde_json::Value = serde_json::from_slice(&body)
                .map_err(|e| FedError::Refused(format!("body is not JSON: {e}")))?;
            InboxActivity::from_value(&value).map_err(|e| FedError::Refused(e.to_string()))?
        }
    };
    let (Some(id), Some(actor)) = (activity.id().cloned(), activity.actor().cloned()) else {
        tracing::debug!(?activity, "ignoring activity we do not handle");
        return Ok(accepted());
    };
    verify_domains_match(&id, &actor)?;
    let host = host_of(&actor).ok_or_else(|| FedError::Refused("actor has no host".into()))?;
    if host.eq_ignore_ascii_case(&data.settings.hostname) {
        return Err(FedError::Refused(
            "activity claims to come from this instance".into(),
        ));
    }
    if !host_allowed(&data.pool, &data.policies, &host, data.allowlist_only()).await? {
        return Err(FedError::Blocked(host));
    }
    let prepared = signature::prepare(&req, &body, &data.settings.hostname)?;
    if prepared.actor != actor {
        return Err(FedError::Refused(
            "the request is signed by another actor than the activity's".into(),
        ));
    }
    // Room to process it, before spending a verification on it.
    let slot = data.inbox.admit().await.ok_or(FedError::Busy)?;
    let signer = signature::verified_signer(&prepared, &data).await?;
    // Likes, dislikes and their undoing by the voter go straight to the vote
    // writer: the commonest activities, and the cheapest to take.
    let activity = match content::direct_vote(activity, signer, &body)? {
        Ok(vote) => {
            if data.inbox.recent.first_sighting(id.as_str()) {
                vote_batch::enqueue(vote, slot, &data);
            }
            return Ok(accepted());
        }
        Err(other) => other,
    };
    let (activity, signer) = activity;
    if !data.inbox.recent.first_sighting(id.as_str()) {
        return Ok(accepted());
    }
    // The general handlers own their signer's row (the cache keeps its own).
    let signer = Arc::unwrap_or_clone(signer);
    let data = data.reset_request_count();
    tokio::spawn(async move {
        let outcome =
            tokio::time::timeout(PROCESSING_LIMIT, apply(activity, Body(body), signer, &data))
                .await;
        drop(slot);
        let error = match outcome {
            Ok(Ok(())) => return,
            Ok(Err(e)) => e.to_string(),
            Err(_) => "took too long".to_string(),
        };
        not_applied(&data, id.as_str(), &error).await;
    });
    Ok(accepted())
}

/// An accepted activity that could not be applied: logged, and forgotten as
/// seen, so that a later re-delivery may try again.
async fn not_applied(data: &Data<AppState>, id: &str, error: &str) {
    tracing::info!(activity = %id, error = %error, "incoming activity not applied");
    data.inbox.recent.forget(id);
    let id = id.to_string();
    let _ = data
        .db(move |c| Ok::<_, StoreError>(activities::forget(c, &id)?))
        .await;
}

/// Records the activity as seen in the database (the authority on
/// duplicates; the in-memory set only knows recent ids) and applies it
/// unless it was seen before. A vote records its id in its own transaction.
async fn apply(
    activity: InboxActivity,
    raw: Body,
    signer: ApubActor,
    data: &Data<AppState>,
) -> Result<(), FedError> {
    if !matches!(
        activity,
        InboxActivity::LikeOrDislike(_) | InboxActivity::UndoLikeOrDislike(_)
    ) {
        let Some(id) = activity.id().map(|id| id.to_string()) else {
            return Ok(());
        };
        let first = data
            .db(move |c| Ok::<_, StoreError>(activities::first_sighting(c, &id)?))
            .await?;
        if !first {
            return Ok(());
        }
    }
    handle_with_retries(activity, raw, signer, data).await
}

/// Pauses before the second and third attempt at an activity whose first
/// failed for a passing reason (a busy database, no free connection).
pub(super) const RETRY_PAUSES: [Duration; 2] = [Duration::from_millis(500), Duration::from_secs(2)];

/// [`handle`], tried again after a transient failure: the sender already has
/// its 202 and will not deliver again, so giving up here would lose it.
async fn handle_with_retries(
    activity: InboxActivity,
    raw: Body,
    signer: ApubActor,
    data: &Data<AppState>,
) -> Result<(), FedError> {
    let mut result = handle(activity.clone(), raw.clone(), signer.clone(), data).await;
    for pause in RETRY_PAUSES {
        match &result {
            Err(e) if e.is_transient() => {
                tracing::debug!(error = %e, "retrying an incoming activity");
                tokio::time::sleep(pause).await;
            }
            _ => break,
        }
        result = handle(activity.clone(), raw.clone(), signer.clone(), data).await;
    }
    result
}

/// Applies one verified activity.
pub async fn handle(
    activity: InboxActivity,
    raw: Body,
    signer: ApubActor,
    data: &Data<AppState>,
) -> Result<(), FedError> {
    use InboxActivity as A;
    match activity {
        A::Follow(f) => membership::follow(f, signer, data).await,
        A::AcceptFollow(a) => {
            membership::follow_answered(a.object.id().clone(), signer, true, data).await
        }
        A::RejectFollow(r) => {
            membership::follow_answered(r.object.id().clone(), signer, false, data).await
        }
        A::UndoFollow(u) => membership::unfollow(u, signer, data).await,
        A::Join(j) => membership::join(j, signer, data).await,
        A::AcceptJoin(a) => {
            membership::join_answered(
                a.object.id().clone(),
                a.object.object().map(|j| j.actor.clone()),
                signer,
                true,
                data,
            )
            .await
        }
        A::RejectJoin(r) => {
            membership::join_answered(
                r.object.id().clone(),
                r.object.object().map(|j| j.actor.clone()),
                signer,
                false,
                data,
            )
            .await
        }
        A::Leave(l) => membership::leave(l, signer, data).await,
        A::UpdateGroup(u) => membership::group_updated(u.object, signer, data).await,
        A::UpdatePerson(u) => membership::person_updated(u.object, signer, data).await,
        A::CreatePage(c) | A::UpdatePage(c) => {
            content::page(c.object, &signer.url, raw.value()?, None, data).await
        }
        A::CreateNote(c) | A::UpdateNote(c) => {
            content::note(c.object, &signer.url, raw.value()?, None, data).await
        }
        A::Delete(d) => {
            let raw = raw.value()?;
            content::delete(d.object.id.clone(), &signer.url, raw, None, data).await
        }
        vote @ (A::LikeOrDislike(_) | A::UndoLikeOrDislike(_)) => {
            match content::direct_vote(vote, Arc::new(signer), &raw.0)? {
                Ok(vote) => vote_batch::submit(vote, data).await,
                Err(_) => Ok(()),
            }
        }
        A::Announce(a) => announced::announced(a, signer, data).await,
        A::CreateVote(c) => governance::vote(c, signer, data).await,
        A::CreateQuestion(c) | A::UpdateQuestion(c) => governance::question(c, signer, data).await,
        other => {
            tracing::debug!(kind = ?std::mem::discriminant(&other), "activity accepted and ignored");
            Ok(())
        }
    }
}

//! The delivery workers: one per remote instance with queued activities, each
//! keeping its position in the persistent queue, retrying with backoff and
//! parking instances that stay dead.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use activitypub_federation::activity_sending::SendActivityTask;
use chrono::NaiveDateTime;
use futures::StreamExt;
use tokio::task::JoinHandle;

use super::config::{FedConfig, FedData};
use super::objects::actor::ApubActor;
use super::raw::RawActivity;
use crate::store::activities::{self, Outgoing};
use crate::store::{self, actors, instances, StoreError};

/// Failures before an instance is parked (tried only every [`PARKED_RETRY`]).
pub const PARK_AFTER: i32 = 16;
pub const PARKED_RETRY: Duration = Duration::from_secs(6 * 3600);
const BATCH_ROWS: i64 = 200;
const POLL: Duration = Duration::from_millis(500);

/// How long to wait after the `fails`-th consecutive failure: 5 s doubling, at most 6 h.
pub fn backoff(fails: i32) -> Duration {
    let exp = fails.clamp(1, 30) as u32 - 1;
    let secs = 5u64.saturating_mul(1u64 << exp.min(20));
    Duration::from_secs(secs.min(PARKED_RETRY.as_secs()))
}

/// Starts the scheduler that spawns a worker per instance with work to do: at once when an
/// activity is queued (`AppState::delivery_wake`), and every [`POLL`] for retries coming due.
pub fn spawn(config: FedConfig) -> JoinHandle<()> {
    tokio::spawn(async move {
        let running: Arc<Mutex<HashSet<i64>>> = Arc::default();
        let wake = config.to_request_data().app_data().delivery_wake.clone();
        loop {
            if let Err(e) = schedule(&config, &running).await {
                tracing::warn!(error = %e, "delivery scheduling failed");
            }
            // New work wakes us at once; the poll catches retries coming due.
            tokio::select! {
                _ = wake.notified() => {}
                _ = tokio::time::sleep(POLL) => {}
            }
        }
    })
}

async fn schedule(
    config: &FedConfig,
    running: &Arc<Mutex<HashSet<i64>>>,
) -> Result<(), StoreError> {
    let data = config.to_request_data();
    let now = store::now();
    let due = data
        .db(move |c| {
            Ok::<_, StoreError>(
                instances::with_pending(c)?
                    .into_iter()
                    .filter(|i| i.policy != "block" && i.next_attempt_at.is_none_or(|t| t <= now))
                    .collect::<Vec<_>>(),
            )
        })
        .await?;
    for instance in due {
        let fresh = running
            .lock()
            .map(|mut set| set.insert(instance.id))
            .unwrap_or(false);
        if !fresh {
            continue;
        }
        let running = running.clone();
        let config = config.clone();
        tokio::spawn(async move {
            let data = config.to_request_data();
            if let Err(e) = work(&data, instance.id).await {
                tracing::warn!(instance = %instance.host, error = %e, "delivery worker stopped");
            }
            if let Ok(mut set) = running.lock() {
                set.remove(&instance.id);
            }
        });
    }
    Ok(())
}

/// Delivers everything queued for one instance, in order, until done or a failure.
async fn work(data: &FedData, instance_id: i64) -> Result<(), StoreError> {
    let mut signers: HashMap<i64, ApubActor> = HashMap::new();
    loop {
        let instance = data
            .db(move |c| Ok::<_, StoreError>(instances::by_id(c, instance_id)?))
            .await?;
        let after = instance.delivered_up_to;
        let mut batch = data
            .db(move |c| {
                Ok::<_, StoreError>(activities::next_for_instance(
                    c,
                    instance_id,
                    after,
                    BATCH_ROWS,
                )?)
            })
            .await?;
        if batch.is_empty() {
            return Ok(());
        }
        trim_partial_activity(&mut batch, BATCH_ROWS);
        for (outgoing, _) in &batch {
            if !signers.contains_key(&outgoing.actor_id) {
                let id = outgoing.actor_id;
                let actor = data
                    .db(move |c| Ok::<_, StoreError>(actors::by_id(c, id)?))
                    .await?;
                if let Ok(a) = ApubActor::try_from(actor) {
                    signers.insert(id, a);
                }
            }
        }
        let concurrency = if instance.fail_count == 0 {
            data.settings.delivery_concurrency
        } else {
            1
        };
        let jobs: Vec<(Outgoing, String, Option<ApubActor>)> = batch
            .into_iter()
            .map(|(outgoing, inbox)| {
                let signer = signers.get(&outgoing.actor_id).cloned();
                (outgoing, inbox, signer)
            })
            .collect();
        let results: Vec<(i64, Result<(), String>)> = futures::stream::iter(jobs)
            .map(|(outgoing, inbox, signer)| {
                let data = data.reset_request_count();
                async move {
                    let result = send_one(&data, &outgoing, &inbox, signer.as_ref()).await;
                    (outgoing.id, result)
                }
            })
            .buffered(concurrency)
            .collect()
            .await;
        let (position, failure) = settle(after, &results);
        let fails = instance.fail_count + 1;
        match failure {
            None => {
                data.db(move |c| {
                    Ok::<_, StoreError>(instances::delivered(c, instance_id, position)?)
                })
                .await?;
            }
            Some(error) => {
                let parked = fails >= PARK_AFTER;
                let wait = if parked { PARKED_RETRY } else { backoff(fails) };
                let next: NaiveDateTime =
                    store::now() + chrono::Duration::from_std(wait).unwrap_or_default();
                tracing::info!(instance = %instance.host, fails, parked, %error, "delivery failed; will retry");
                data.db(move |c| {
                    if position > after {
                        instances::delivered(c, instance_id, position)?;
                    }
                    Ok::<_, StoreError>(instances::failed(
                        c,
                        instance_id,
                        fails,
                        next,
                        parked,
                        &error,
                    )?)
                })
                .await?;
                return Ok(());
            }
        }
    }
}

/// When a full batch ends in the middle of an activity's targets, leave that
/// activity for the next batch so the position never skips a target.
fn trim_partial_activity(batch: &mut Vec<(Outgoing, String)>, limit: i64) {
    if (batch.len() as i64) < limit {
        return;
    }
    let Some(last) = batch.last().map(|(o, _)| o.id) else {
        return;
    };
    if batch.iter().any(|(o, _)| o.id != last) {
        batch.retain(|(o, _)| o.id != last);
    }
}

/// The new position (last activity all of whose targets succeeded, in order)
/// and the first failure, if any.
pub fn settle(start: i64, results: &[(i64, Result<(), String>)]) -> (i64, Option<String>) {
    let mut position = start;
    let mut i = 0;
    while i < results.len() {
        let id = results[i].0;
        let mut j = i;
        while j < results.len() && results[j].0 == id {
            if let Err(e) = &results[j].1 {
                return (position, Some(e.clone()));
            }
            j += 1;
        }
        position = id;
        i = j;
    }
    (position, None)
}

async fn send_one(
    data: &FedData,
    outgoing: &Outgoing,
    inbox: &str,
    signer: Option<&ApubActor>,
) -> Result<(), String> {
    let Some(signer) = signer else {
        // The signing actor is gone or has no key: nothing can ever send this.
        tracing::warn!(activity = %outgoing.ap_id, "dropping activity without a signer");
        return Ok(());
    };
    let activity: RawActivity = match serde_json::from_str(&outgoing.body) {
        Ok(a) => a,
        Err(e) => {
            tracing::error!(activity = %outgoing.ap_id, error = %e, "dropping unreadable queued activity");
            return Ok(());
        }
    };
    let Ok(inbox) = url::Url::parse(inbox) else {
        return Ok(());
    };
    let tasks = SendActivityTask::prepare(&activity, signer, vec![inbox], data)
        .await
        .map_err(|e| e.to_string())?;
    for task in tasks {
        task.sign_and_send(data).await.map_err(|e| e.to_string())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_caps() {
        assert_eq!(backoff(1), Duration::from_secs(5));
        assert_eq!(backoff(2), Duration::from_secs(10));
        assert_eq!(backoff(5), Duration::from_secs(80));
        assert_eq!(backoff(40), PARKED_RETRY);
        assert!((1..60).all(|n| backoff(n) <= backoff(n + 1)));
    }

    #[test]
    fn settle_advances_only_over_complete_activities() {
        let ok = || Ok(());
        let err = || Err("boom".to_string());
        assert_eq!(settle(3, &[]), (3, None));
        assert_eq!(settle(3, &[(4, ok()), (5, ok()), (5, ok())]), (5, None));
        assert_eq!(
            settle(3, &[(4, ok()), (5, ok()), (5, err()), (6, ok())]),
            (4, Some("boom".into()))
        );
        assert_eq!(
            settle(3, &[(4, err()), (5, ok())]),
            (3, Some("boom".into()))
        );
    }
}

//! Background work that needs no request: pruning expired sessions, opening and closing
//! proposals when their time comes ([`proposals`]), re-reading the federation policy, and
//! checkpointing SQLite's write-ahead log.

pub mod proposals;

use std::time::Duration;

use tokio::task::JoinHandle;

use crate::state::AppState;
use crate::store::{self, StoreError};

/// Starts the background jobs; abort the handle to stop them (all of them run inside this one
/// task, so aborting it stops every job).
pub fn spawn(state: AppState) -> JoinHandle<()> {
    tokio::spawn(async move {
        tokio::join!(
            prune_sessions(state.clone()),
            proposals::run(state.clone()),
            crate::federation::policy::keep_fresh(state.clone()),
            checkpoint_log(state),
        );
    })
}

async fn prune_sessions(state: AppState) {
    let mut tick = tokio::time::interval(Duration::from_secs(3600));
    loop {
        tick.tick().await;
        let pruned = state
            .db(|c| {
                store::sessions::delete_expired(c, store::now())
                    .map_err(|e| StoreError::Task(e.to_string()))
            })
            .await;
        match pruned {
            Ok(n) if n > 0 => tracing::info!(sessions = n, "pruned expired sessions"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "pruning sessions failed"),
        }
    }
}

/// Copies SQLite's write-ahead log into the database every
/// [`checkpoint::INTERVAL`](store::checkpoint::INTERVAL); no connection does
/// it by itself (see [`store::checkpoint`]). Ends at once on PostgreSQL.
async fn checkpoint_log(state: AppState) {
    let mut tick = tokio::time::interval(store::checkpoint::INTERVAL);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let done = state
            .db(|c| store::checkpoint::passive(c).map_err(StoreError::Query))
            .await;
        match done {
            Ok(None) => return,
            Ok(Some(_)) => {}
            Err(e) => tracing::warn!(error = %e, "checkpointing the database log failed"),
        }
    }
}

//! Background work that needs no request: pruning expired sessions now; delivery and closing proposals later.

use std::time::Duration;

use tokio::task::JoinHandle;

use crate::state::AppState;
use crate::store::{self, StoreError};

/// Starts the background jobs; abort the handle to stop them.
pub fn spawn(state: AppState) -> JoinHandle<()> {
    tokio::spawn(async move {
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
    })
}

//! The close job: opens scheduled proposals and closes proposals exactly at their close time,
//! with no request needed. It sleeps until the next thing due, but never longer than
//! [`MAX_SLEEP`] (proposals made by another process are noticed within that), and runs once at
//! start, so anything that fell due while no server ran is closed as soon as one starts.
//! Closing is claimed in the database, so several processes never close a proposal twice.

use std::time::Duration;

use crate::domain::governance::{close, GovernanceError};
use crate::state::AppState;
use crate::store;

/// The longest the job sleeps between looks at the database.
pub const MAX_SLEEP: Duration = Duration::from_secs(2);

/// Runs forever (abort the task to stop it).
pub async fn run(state: AppState) {
    loop {
        let publisher = state.publisher.clone();
        let pass = state
            .db(move |c| {
                let report = close::run_due(c, &*publisher, store::now())?;
                let next = close::next_due(c)?;
                Ok::<_, GovernanceError>((report, next))
            })
            .await;
        let wait = match pass {
            Ok((report, next)) => {
                for id in &report.opened {
                    tracing::info!(proposal = id, "proposal opened");
                }
                for c in &report.closed {
                    tracing::info!(
                        proposal = c.proposal_id,
                        passed = ?c.passed,
                        rules_version = ?c.rules_version,
                        note = ?c.note,
                        "proposal closed"
                    );
                }
                for (id, e) in &report.failed {
                    tracing::warn!(proposal = id, error = %e, "opening or closing a proposal failed; will retry");
                }
                if report.failed.is_empty() {
                    until(next)
                } else {
                    MAX_SLEEP
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "looking for proposals to close failed");
                MAX_SLEEP
            }
        };
        tokio::time::sleep(wait).await;
    }
}

/// How long to sleep for something due at `next` (a millisecond past it, so it is due on waking).
fn until(next: Option<chrono::NaiveDateTime>) -> Duration {
    match next {
        None => MAX_SLEEP,
        Some(t) => {
            let ms = (t - store::now()).num_milliseconds() + 1;
            Duration::from_millis(ms.max(0) as u64).min(MAX_SLEEP)
        }
    }
}

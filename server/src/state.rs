//! What every request handler shares: settings, the pool, the instance's identity, the login
//! throttle and the drafts of refused forms.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use tokio::sync::Notify;

use crate::config::Settings;
use crate::domain::events::Publisher;
use crate::domain::Instance;
use crate::drafts::Drafts;
use crate::federation::inbox::InboxState;
use crate::federation::policy::{self, AllowlistSwitch, PolicyCache};
use crate::federation::publisher::FederationPublisher;
use crate::store::{self, activities, DbConn, Pool, StoreError};

/// A handle on what requests share: cloning it (the web framework and
/// activitypub_federation do, several times per request) copies one pointer.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What an [`AppState`] points to.
pub struct Shared {
    pub settings: Arc<Settings>,
    pub pool: Pool,
    pub instance: Instance,
    pub login_throttle: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    /// Where domain events go to become outgoing activities.
    pub publisher: Arc<dyn Publisher>,
    /// The admin's allowlist-only switch (stored in the database; see `federation::policy`).
    pub allowlist: Arc<AllowlistSwitch>,
    /// Refused form submissions, so a form posted without JavaScript comes back filled in.
    pub drafts: Arc<Drafts>,
    /// Wakes the delivery scheduler when database work has queued an activity (see [`Self::db`]),
    /// so the first copies leave at once rather than at its next poll.
    pub delivery_wake: Arc<Notify>,
    /// Recently used instances' policies (see `federation::policy`).
    pub policies: Arc<PolicyCache>,
    /// The inbox's keys, recent ids and queue bound (see `federation::inbox`).
    pub inbox: Arc<InboxState>,
}

impl AppState {
    pub fn new(settings: Settings, pool: Pool) -> Self {
        let per_minute =
            NonZeroU32::new(settings.login_attempts_per_minute).unwrap_or(NonZeroU32::MIN);
        let instance = Instance {
            base_url: settings.base_url(),
            domain: settings.hostname.clone(),
        };
        let allowlist = Arc::new(AllowlistSwitch::new(settings.federation_allowlist_only));
        let inbox = Arc::new(InboxState::new(settings.inbox_queue));
        AppState(Arc::new(Shared {
            policies: Arc::new(policy::policy_cache()),
            inbox,
            settings: Arc::new(settings),
            pool,
            publisher: Arc::new(FederationPublisher {
                instance: instance.clone(),
                allowlist: allowlist.clone(),
            }),
            allowlist,
            instance,
            login_throttle: Arc::new(RateLimiter::keyed(Quota::per_minute(per_minute))),
            drafts: Arc::default(),
            delivery_wake: Arc::default(),
        }))
    }

    /// Runs blocking database work off the async runtime. Work that queued outgoing activities
    /// wakes the delivery scheduler once it is done — and so committed: the work holds its
    /// connection, and with it its transaction, only while it runs.
    pub async fn db<T, E, F>(&self, work: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConn) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        let wake = self.delivery_wake.clone();
        store::run(&self.pool, move |conn| {
            let before = activities::enqueued_on_this_thread();
            let result = work(conn);
            if activities::enqueued_on_this_thread() != before {
                wake.notify_one();
            }
            result
        })
        .await
    }

    /// Whether we federate only with instances an admin allowed (cached; the
    /// database holds it).
    pub fn allowlist_only(&self) -> bool {
        self.allowlist.get()
    }

    /// False when this address has used up its login attempts for now.
    pub fn login_allowed(&self, ip: Option<&str>) -> bool {
        match ip.and_then(|i| i.parse::<IpAddr>().ok()) {
            Some(ip) => self.login_throttle.check_key(&ip).is_ok(),
            None => true,
        }
    }

    pub fn session_lifetime(&self) -> chrono::Duration {
        chrono::Duration::days(i64::from(self.settings.session_days))
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::store::migrate;

    async fn state(dir: &tempfile::TempDir) -> AppState {
        let settings = Settings {
            data_dir: dir.path().to_path_buf(),
            ..Settings::default()
        };
        let pool = store::open_pool(&settings.database_url(), 2).expect("pool");
        migrate::run_pending(&mut pool.get().expect("connection")).expect("migrations");
        AppState::new(settings, pool)
    }

    async fn woken(state: &AppState) -> bool {
        tokio::time::timeout(Duration::from_millis(50), state.delivery_wake.notified())
            .await
            .is_ok()
    }

    /// Work that queued an activity wakes the delivery scheduler once it is over; other work
    /// does not.
    #[tokio::test]
    async fn queued_activities_wake_delivery_after_the_work() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let state = state(&dir).await;
        let actor = crate::federation::instance_actor::ensure(&state)
            .await
            .expect("instance actor");
        assert!(
            !woken(&state).await,
            "making the instance actor queues nothing"
        );

        let wake = state.delivery_wake.clone();
        state
            .db(move |c| {
                store::write_transaction(c, |c| {
                    activities::enqueue(c, "http://a.test/activities/1", actor.id, "{}", &[])
                })?;
                // Not before the work is over (and so committed).
                assert!(futures::FutureExt::now_or_never(wake.notified()).is_none());
                Ok::<_, StoreError>(())
            })
            .await
            .expect("enqueue");
        assert!(woken(&state).await, "queueing wakes delivery");
        assert!(!woken(&state).await, "once");
        state
            .db(|c| activities::last_outgoing_id(c).map_err(StoreError::from))
            .await
            .expect("count");
        assert!(!woken(&state).await, "reading wakes nothing");
    }
}

//! What every request handler shares: settings, the pool, the instance's identity and the login throttle.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::config::Settings;
use crate::domain::events::Publisher;
use crate::domain::Instance;
use crate::federation::inbox::InboxState;
use crate::federation::policy::{self, AllowlistSwitch, PolicyCache};
use crate::federation::publisher::FederationPublisher;
use crate::store::{self, DbConn, Pool, StoreError};

#[derive(Clone)]
pub struct AppState {
    pub settings: Arc<Settings>,
    pub pool: Pool,
    pub instance: Instance,
    pub login_throttle: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    /// Where domain events go to become outgoing activities.
    pub publisher: Arc<dyn Publisher>,
    /// The admin's allowlist-only switch (stored in the database; see `federation::policy`).
    pub allowlist: Arc<AllowlistSwitch>,
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
        AppState {
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
        }
    }

    /// Runs blocking database work off the async runtime.
    pub async fn db<T, E, F>(&self, work: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConn) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        store::run(&self.pool, work).await
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

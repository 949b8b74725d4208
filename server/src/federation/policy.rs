//! The admin's federation policy: allow or block one instance, follow it, and
//! the allowlist-only switch — stored in the database, with the switch and
//! recently used instances' policies cached in [`AppState`] so the inbox and
//! outgoing checks read memory, not a table.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::cache::TtlMap;
use super::config::host_allowed;
use super::error::FedError;
use crate::state::AppState;
use crate::store::instances::{self, Instance};
use crate::store::{instance_settings, StoreError};

/// The allowlist-only switch as this process knows it.
#[derive(Debug, Default)]
pub struct AllowlistSwitch {
    on: AtomicBool,
    /// Held from reading or writing the database to updating `on`, so a
    /// refresh never puts back a value an admin just changed.
    sync: tokio::sync::Mutex<()>,
}

impl AllowlistSwitch {
    pub fn new(on: bool) -> Self {
        AllowlistSwitch {
            on: AtomicBool::new(on),
            sync: tokio::sync::Mutex::new(()),
        }
    }

    pub fn get(&self) -> bool {
        self.on.load(Ordering::Relaxed)
    }

    fn set(&self, on: bool) {
        self.on.store(on, Ordering::Relaxed);
    }
}

/// Stored policies of recently seen instances (`None`: no policy or no row),
/// by host. An admin's change through [`set_policy`] updates it at once; a
/// change made through another process (several `serve` on one PostgreSQL)
/// reaches this one within [`REFRESH`], as the allowlist switch does.
pub type PolicyCache = TtlMap<String, Option<Policy>>;

/// At most this many instances' policies are kept in memory.
const POLICY_CACHE_SIZE: usize = 1024;

pub fn policy_cache() -> PolicyCache {
    TtlMap::new(POLICY_CACHE_SIZE, REFRESH)
}

/// What an instance's policy may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// Neither allowed nor blocked: federated with unless allowlist-only.
    None,
    Allow,
    Block,
}

impl Policy {
    pub fn parse(s: &str) -> Result<Policy, FedError> {
        match s.trim() {
            "none" => Ok(Policy::None),
            "allow" => Ok(Policy::Allow),
            "block" => Ok(Policy::Block),
            _ => Err(FedError::Refused(
                "the policy is one of none, allow or block".into(),
            )),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Policy::None => "none",
            Policy::Allow => "allow",
            Policy::Block => "block",
        }
    }
}

/// Whether an instance with this stored policy (`None`: never seen) is federated with.
pub fn permits(policy: Option<&str>, allowlist_only: bool) -> bool {
    match policy {
        Some("block") => false,
        Some("allow") => true,
        _ => !allowlist_only,
    }
}

/// Reads the stored switch (storing the configured value on first start) into the cache.
pub async fn load(state: &AppState) -> Result<bool, StoreError> {
    let initial = state.settings.federation_allowlist_only;
    let _sync = state.allowlist.sync.lock().await;
    let on = state
        .db(move |c| Ok::<_, StoreError>(instance_settings::allowlist_only_or_init(c, initial)?))
        .await?;
    state.allowlist.set(on);
    Ok(on)
}

/// How often a process re-reads the stored switch, so a change made through
/// another process (several `serve` processes on one PostgreSQL) applies here too.
pub const REFRESH: Duration = Duration::from_secs(15);

/// Background job: keeps the cached switch in step with the database.
pub async fn keep_fresh(state: AppState) {
    let mut tick = tokio::time::interval(REFRESH);
    loop {
        tick.tick().await;
        if let Err(e) = load(&state).await {
            tracing::warn!(error = %e, "re-reading the federation policy failed");
        }
    }
}

/// Stores the switch and updates the cache.
pub async fn set_allowlist_only(state: &AppState, on: bool) -> Result<(), StoreError> {
    let _sync = state.allowlist.sync.lock().await;
    state
        .db(move |c| Ok::<_, StoreError>(instance_settings::set_allowlist_only(c, on)?))
        .await?;
    state.allowlist.set(on);
    tracing::info!(allowlist_only = on, "federation policy changed");
    Ok(())
}

/// `host[:port]` of another instance from what an admin typed (a bare host,
/// or an address with a scheme and a trailing slash); refuses anything else.
pub fn normalise_host(raw: &str, own_host: &str) -> Result<String, FedError> {
    let host = raw.trim().trim_end_matches('/').to_lowercase();
    let host = host
        .strip_prefix("https://")
        .or_else(|| host.strip_prefix("http://"))
        .unwrap_or(&host)
        .to_string();
    let valid_chars = host
        .chars()
        .all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '.' | '-' | ':'));
    let port_ok = match host.split_once(':') {
        None => true,
        Some((name, port)) => !name.is_empty() && port.parse::<u16>().is_ok(),
    };
    if host.is_empty() || host.len() > 255 || !valid_chars || !port_ok || host.starts_with('.') {
        return Err(FedError::Refused(
            "give another instance's host name, e.g. music.example".into(),
        ));
    }
    if host == own_host.to_lowercase() {
        return Err(FedError::Refused("that is this instance".into()));
    }
    Ok(host)
}

/// Sets an instance's policy; returns its row.
pub async fn set_policy(
    state: &AppState,
    host: &str,
    policy: Policy,
) -> Result<Instance, FedError> {
    let host = normalise_host(host, &state.settings.hostname)?;
    let key = host.clone();
    let row = state
        .db(move |c| Ok::<_, StoreError>(instances::set_policy(c, &host, policy.as_str())?))
        .await?;
    state.policies.insert(key, Some(policy));
    tracing::info!(host = %row.host, policy = policy.as_str(), "instance policy changed");
    Ok(row)
}

/// Refuses a host we do not federate with, naming it.
pub async fn require_allowed(state: &AppState, host: &str) -> Result<(), FedError> {
    if host_allowed(&state.pool, &state.policies, host, state.allowlist_only()).await? {
        Ok(())
    } else {
        Err(FedError::Blocked(host.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_normalised_or_refused() {
        let own = "a.example";
        assert_eq!(normalise_host(" B.example ", own).unwrap(), "b.example");
        assert_eq!(
            normalise_host("https://b.example:8443/", own).unwrap(),
            "b.example:8443"
        );
        for bad in [
            "",
            "a.example",
            "b.example/path",
            "x@b.example",
            "b example",
            "b.example:port",
            ":80",
            ".b",
        ] {
            assert!(normalise_host(bad, own).is_err(), "{bad:?} is refused");
        }
    }

    #[test]
    fn policies_parse() {
        assert_eq!(Policy::parse("block").unwrap(), Policy::Block);
        assert_eq!(Policy::parse("allow").unwrap().as_str(), "allow");
        assert!(Policy::parse("maybe").is_err());
    }
}

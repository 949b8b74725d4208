//! The activitypub_federation configuration: our domain, HTTP client, debug mode and the admin's instance policy.

use std::sync::Arc;
use std::time::Duration;

use activitypub_federation::config::{Data, FederationConfig, UrlVerifier};
use activitypub_federation::error::Error as ApError;
use async_trait::async_trait;
use url::Url;

use super::policy::{AllowlistSwitch, Policy, PolicyCache};
use crate::state::AppState;
use crate::store::{self, instances, Pool, StoreError};

pub type FedConfig = FederationConfig<AppState>;
pub type FedData = Data<AppState>;

#[derive(Debug, thiserror::Error)]
pub enum FedConfigError {
    #[error("cannot build the federation HTTP client: {0}")]
    Client(#[from] reqwest::Error),
    #[error("invalid federation configuration: {0}")]
    Config(String),
}

/// Builds the configuration every federation request and job shares.
pub async fn build(state: AppState) -> Result<FedConfig, FedConfigError> {
    let settings = state.settings.clone();
    let verifier = PolicyVerifier {
        pool: state.pool.clone(),
        allowlist: state.allowlist.clone(),
        policies: state.policies.clone(),
    };
    FederationConfig::builder()
        .domain(settings.hostname.clone())
        .app_data(state)
        .client(reqwest_middleware::ClientWithMiddleware::from(
            super::http_client::build(&settings)?,
        ))
        .debug(settings.federation_debug)
        // Plain `rsa-sha256` over `(request-target) host date digest`: what
        // Mastodon, Lemmy, Pleroma and older verifiers all accept.
        .http_signature_compat(true)
        .allow_http_urls(settings.federation_debug)
        .http_fetch_limit(50)
        .request_timeout(Duration::from_secs(10))
        .url_verifier(Box::new(verifier))
        .build()
        .await
        .map_err(|e| FedConfigError::Config(e.to_string()))
}

/// The host[:port] of a URL, as instances are keyed.
pub fn host_of(url: &Url) -> Option<String> {
    let host = url.host_str()?.to_lowercase();
    Some(match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host,
    })
}

/// Refuses URLs of blocked instances (or of any instance not allowed, in allowlist-only mode).
#[derive(Clone)]
pub struct PolicyVerifier {
    pool: Pool,
    allowlist: Arc<AllowlistSwitch>,
    policies: Arc<PolicyCache>,
}

/// Whether we federate with a host at all: the stored policy comes from the
/// cache (see [`PolicyCache`]) or, on a miss, from the database.
pub async fn host_allowed(
    pool: &Pool,
    policies: &PolicyCache,
    host: &str,
    allowlist_only: bool,
) -> Result<bool, StoreError> {
    let policy = match policies.get(host) {
        Some(p) => p,
        None => {
            let key = host.to_string();
            let policy = store::run(pool, move |c| {
                instances::by_host(c, &key)
                    .map(|i| i.map(|i| i.policy))
                    .map_err(|e| StoreError::Task(e.to_string()))
            })
            .await?;
            let policy = policy.and_then(|p| Policy::parse(&p).ok());
            policies.insert_if_absent(host.to_string(), policy);
            policy
        }
    };
    Ok(super::policy::permits(
        policy.map(Policy::as_str),
        allowlist_only,
    ))
}

#[async_trait]
impl UrlVerifier for PolicyVerifier {
    async fn verify(&self, url: &Url) -> Result<(), ApError> {
        let Some(host) = host_of(url) else {
            return Err(ApError::UrlVerificationError("URL has no host"));
        };
        match host_allowed(&self.pool, &self.policies, &host, self.allowlist.get()).await {
            Ok(true) => Ok(()),
            Ok(false) => Err(ApError::UrlVerificationError(
                "instance is not federated with",
            )),
            Err(e) => Err(ApError::Other(e.to_string())),
        }
    }
}

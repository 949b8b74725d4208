//! The port the federation pages need — finding a community on another
//! instance, the network view and the admin's federation page: the
//! `FederationBackend` trait and the view types those pages show.

use serde::{Deserialize, Serialize};

use crate::backend::{AppResult, CommunityView, Viewer};

/// Another instance as the admin's federation page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InstanceRow {
    /// `host[:port]`.
    pub host: String,
    /// `none`, `allow` or `block`.
    pub policy: String,
    /// This co-op follows that one (its communities are in the network view).
    pub followed: bool,
    pub software: Option<String>,
    /// When a delivery to it or a fetch from it last succeeded.
    pub last_contact: Option<String>,
    /// `healthy`, `backing_off` or `parked`.
    pub delivery: String,
    pub fail_count: i32,
    pub last_error: Option<String>,
    /// When delivery is tried again, while backing off or parked.
    pub next_attempt: Option<String>,
}

/// Everything on the admin's federation page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FederationAdminView {
    /// Federate only with instances whose policy is `allow`.
    pub allowlist_only: bool,
    pub instances: Vec<InstanceRow>,
}

/// One followed co-op instance and its communities known here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetworkGroup {
    pub host: String,
    pub communities: Vec<CommunityView>,
}

/// What the admin does to an instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum InstanceAction {
    Allow,
    Block,
    /// Back to no policy (neither allowed nor blocked).
    Clear,
    Follow,
    Unfollow,
}

impl InstanceAction {
    /// From a form's button value.
    pub fn parse(s: &str) -> Option<InstanceAction> {
        Some(match s {
            "allow" => InstanceAction::Allow,
            "block" => InstanceAction::Block,
            "clear" => InstanceAction::Clear,
            "follow" => InstanceAction::Follow,
            "unfollow" => InstanceAction::Unfollow,
            _ => return None,
        })
    }
}

/// What the federation pages ask of the server.
#[async_trait::async_trait]
pub trait FederationBackend: Send + Sync + 'static {
    /// Resolves `name@host` or a community's address (fetching it if needed);
    /// returns its key here (what follows `/c/`).
    async fn find_community(&self, viewer: &Viewer, query: String) -> AppResult<String>;
    /// The communities of the co-op instances this one follows, by instance.
    async fn network(&self, viewer: Option<&Viewer>) -> AppResult<Vec<NetworkGroup>>;
    /// Admins only.
    async fn federation_admin(&self, viewer: &Viewer) -> AppResult<FederationAdminView>;
    /// Admins only.
    async fn manage_instance(
        &self,
        viewer: &Viewer,
        host: String,
        action: InstanceAction,
    ) -> AppResult<()>;
    /// Admins only.
    async fn set_allowlist_only(&self, viewer: &Viewer, on: bool) -> AppResult<()>;
}

#[cfg(feature = "ssr")]
mod ssr_glue {
    use std::sync::Arc;

    use leptos::prelude::use_context;

    use super::FederationBackend;
    use crate::backend::AppError;

    /// The server's `FederationBackend`, provided as context beside the `Backend`.
    #[derive(Clone)]
    pub struct FederationHandle(pub Arc<dyn FederationBackend>);

    pub fn federation_backend() -> Result<Arc<dyn FederationBackend>, AppError> {
        use_context::<FederationHandle>()
            .map(|h| h.0)
            .ok_or(AppError::Internal)
    }
}

#[cfg(feature = "ssr")]
pub use ssr_glue::{federation_backend, FederationHandle};

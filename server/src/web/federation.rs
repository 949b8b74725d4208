//! The server's implementation of the UI's `FederationBackend` port: finding
//! remote communities, the network view and the admin's federation page.

use async_trait::async_trait;
use commonhall_frontend::federation::{
    FederationAdminView, FederationBackend, InstanceAction, InstanceRow, NetworkGroup,
};
use commonhall_frontend::{AppError, AppResult, Backend, Viewer};

use super::backend::ServerBackend;
use super::checks::{nul_free, require_admin};
use super::read;
use crate::federation::config::{FedConfig, FedData};
use crate::federation::error::{Explained, FedError};
use crate::federation::policy::{self, Policy};
use crate::federation::{network, resolve};
use crate::state::AppState;
use crate::store::instances::{self, Instance};
use crate::store::StoreError;

/// Federation failures as words for the person who asked.
impl From<FedError> for AppError {
    fn from(e: FedError) -> Self {
        match e.explain() {
            Explained::NotFound(m) | Explained::Refused(m) => AppError::Invalid(m),
            Explained::Ours => {
                tracing::error!(error = %e, "federation operation failed");
                AppError::Internal
            }
        }
    }
}

pub struct ServerFederation {
    state: AppState,
    /// Finding a community and following an instance fetch from other instances.
    federation: FedConfig,
    /// For the community views of the network page: same rules as a community's page.
    communities: ServerBackend,
}

impl ServerFederation {
    pub fn new(state: AppState, federation: FedConfig) -> Self {
        ServerFederation {
            communities: ServerBackend::new(state.clone()),
            state,
            federation,
        }
    }

    fn data(&self) -> FedData {
        self.federation.to_request_data()
    }
}

fn instance_row(i: Instance) -> InstanceRow {
    InstanceRow {
        delivery: i.delivery_state().as_str().to_string(),
        next_attempt: i
            .next_attempt_at
            .filter(|_| i.fail_count > 0)
            .map(read::human_time),
        host: i.host,
        policy: i.policy,
        followed: i.followed,
        software: i.software,
        last_contact: i.last_contact_at.map(read::human_time),
        fail_count: i.fail_count,
        last_error: i.last_error,
    }
}

#[async_trait]
impl FederationBackend for ServerFederation {
    async fn find_community(&self, _viewer: &Viewer, query: String) -> AppResult<String> {
        nul_free([query.as_str()])?;
        let id = resolve::community(&query, &self.data()).await?;
        let (community, actor) = self
            .state
            .db(move |c| Ok::<_, StoreError>(crate::store::communities::by_id(c, id)?))
            .await?;
        Ok(read::community_key(&community, &actor))
    }

    async fn network(&self, viewer: Option<&Viewer>) -> AppResult<Vec<NetworkGroup>> {
        let groups = self.state.db(network::communities).await?;
        let mut out = Vec::with_capacity(groups.len());
        for (host, list) in groups {
            let mut communities = Vec::with_capacity(list.len());
            for (community, actor) in list {
                let key = read::community_key(&community, &actor);
                communities.push(self.communities.community(viewer, key).await?);
            }
            out.push(NetworkGroup { host, communities });
        }
        Ok(out)
    }

    async fn federation_admin(&self, viewer: &Viewer) -> AppResult<FederationAdminView> {
        require_admin(viewer)?;
        let all = self
            .state
            .db(|c| Ok::<_, StoreError>(instances::all(c)?))
            .await?;
        Ok(FederationAdminView {
            allowlist_only: self.state.allowlist_only(),
            instances: all.into_iter().map(instance_row).collect(),
        })
    }

    async fn manage_instance(
        &self,
        viewer: &Viewer,
        host: String,
        action: InstanceAction,
    ) -> AppResult<()> {
        require_admin(viewer)?;
        nul_free([host.as_str()])?;
        let host = policy::normalise_host(&host, &self.state.settings.hostname)?;
        match action {
            InstanceAction::Allow => {
                policy::set_policy(&self.state, &host, Policy::Allow).await?;
            }
            InstanceAction::Block => {
                policy::set_policy(&self.state, &host, Policy::Block).await?;
            }
            InstanceAction::Clear => {
                policy::set_policy(&self.state, &host, Policy::None).await?;
            }
            InstanceAction::Follow => {
                network::follow_instance(&host, &self.data()).await?;
            }
            InstanceAction::Unfollow => network::unfollow_instance(&host, &self.data()).await?,
        }
        Ok(())
    }

    async fn set_allowlist_only(&self, viewer: &Viewer, on: bool) -> AppResult<()> {
        require_admin(viewer)?;
        policy::set_allowlist_only(&self.state, on).await?;
        Ok(())
    }
}

//! Server functions for federation: finding a remote community, the network
//! view, and the admin's instance policy and allowlist-only switch.

use leptos::prelude::*;

use crate::backend::AppError;
#[cfg(feature = "ssr")]
use crate::federation::{federation_backend, InstanceAction};
use crate::federation::{FederationAdminView, NetworkGroup};
#[cfg(feature = "ssr")]
use crate::ssr;

/// The admin's federation page.
pub const ADMIN_FEDERATION_PATH: &str = "/admin/federation";

#[server(prefix = "/_app", endpoint = "find_community")]
pub async fn find_community(csrf: String, query: String) -> Result<(), AppError> {
    let session = ssr::check_csrf(&csrf)?;
    let viewer = ssr::require_viewer(&session)?;
    let key = federation_backend()?.find_community(&viewer, query).await?;
    leptos_actix::redirect(&super::community_path(&key));
    Ok(())
}

#[server(prefix = "/_app", endpoint = "network")]
pub async fn get_network() -> Result<Vec<NetworkGroup>, AppError> {
    let session = ssr::session();
    federation_backend()?.network(session.viewer.as_ref()).await
}

#[server(prefix = "/_app", endpoint = "federation_admin")]
pub async fn get_federation_admin() -> Result<FederationAdminView, AppError> {
    let viewer = ssr::require_viewer(&ssr::session())?;
    federation_backend()?.federation_admin(&viewer).await
}

#[server(prefix = "/_app", endpoint = "manage_instance")]
pub async fn manage_instance(csrf: String, host: String, action: String) -> Result<(), AppError> {
    let session = ssr::check_csrf(&csrf)?;
    let viewer = ssr::require_viewer(&session)?;
    let action = InstanceAction::parse(&action).ok_or_else(|| {
        AppError::Invalid("Choose allow, block, clear, follow or unfollow.".into())
    })?;
    federation_backend()?
        .manage_instance(&viewer, host, action)
        .await?;
    leptos_actix::redirect(&format!("{ADMIN_FEDERATION_PATH}?saved=1"));
    Ok(())
}

#[server(prefix = "/_app", endpoint = "set_allowlist_only")]
pub async fn set_allowlist_only(csrf: String, enabled: String) -> Result<(), AppError> {
    let session = ssr::check_csrf(&csrf)?;
    let viewer = ssr::require_viewer(&session)?;
    let on = match enabled.as_str() {
        "true" => true,
        "false" => false,
        _ => return Err(AppError::Invalid("Choose on or off.".into())),
    };
    federation_backend()?
        .set_allowlist_only(&viewer, on)
        .await?;
    leptos_actix::redirect(&format!("{ADMIN_FEDERATION_PATH}?saved=1"));
    Ok(())
}

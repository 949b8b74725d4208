//! Server functions for communities: listing, creating, settings, membership and follows.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::backend::CommunityInput;
use crate::backend::{AppError, CommunitySummary, CommunityView, JoinApplicationView, MemberView};
#[cfg(feature = "ssr")]
use crate::ssr;

/// The address of a community's page.
pub fn community_path(key: &str) -> String {
    format!("/c/{key}")
}

#[server(prefix = "/_app", endpoint = "communities")]
pub async fn list_communities() -> Result<Vec<CommunitySummary>, AppError> {
    ssr::backend()?.communities().await
}

#[server(prefix = "/_app", endpoint = "community")]
pub async fn get_community(key: String) -> Result<CommunityView, AppError> {
    let session = ssr::session();
    ssr::backend()?
        .community(session.viewer.as_ref(), key)
        .await
}

#[server(prefix = "/_app", endpoint = "create_community")]
pub async fn create_community(
    csrf: String,
    name: String,
    title: String,
    description: String,
    join_policy: String,
    classes: String,
) -> Result<(), AppError> {
    let session = ssr::check_csrf(&csrf)?;
    let viewer = ssr::require_viewer(&session)?;
    let key = ssr::backend()?
        .create_community(
            &viewer,
            CommunityInput {
                name,
                title,
                description,
                join_policy,
                classes,
            },
        )
        .await?;
    leptos_actix::redirect(&community_path(&key));
    Ok(())
}

#[server(prefix = "/_app", endpoint = "update_community")]
pub async fn update_community(
    csrf: String,
    key: String,
    title: String,
    description: String,
    join_policy: String,
    classes: String,
) -> Result<(), AppError> {
    let session = ssr::check_csrf(&csrf)?;
    let viewer = ssr::require_viewer(&session)?;
    ssr::backend()?
        .update_community(
            &viewer,
            key.clone(),
            CommunityInput {
                name: String::new(),
                title,
                description,
                join_policy,
                classes,
            },
        )
        .await?;
    leptos_actix::redirect(&format!("{}/settings?saved=1", community_path(&key)));
    Ok(())
}

#[server(prefix = "/_app", endpoint = "join_community")]
pub async fn join_community(
    csrf: String,
    key: String,
    class: Option<String>,
    application: Option<String>,
) -> Result<(), AppError> {
    let session = ssr::check_csrf(&csrf)?;
    let viewer = ssr::require_viewer(&session)?;
    ssr::backend()?
        .join_community(&viewer, key.clone(), class, application)
        .await?;
    leptos_actix::redirect(&community_path(&key));
    Ok(())
}

#[server(prefix = "/_app", endpoint = "leave_community")]
pub async fn leave_community(csrf: String, key: String) -> Result<(), AppError> {
    let session = ssr::check_csrf(&csrf)?;
    let viewer = ssr::require_viewer(&session)?;
    ssr::backend()?
        .leave_community(&viewer, key.clone())
        .await?;
    leptos_actix::redirect(&community_path(&key));
    Ok(())
}

#[server(prefix = "/_app", endpoint = "follow_community")]
pub async fn follow_community(csrf: String, key: String) -> Result<(), AppError> {
    let session = ssr::check_csrf(&csrf)?;
    let viewer = ssr::require_viewer(&session)?;
    ssr::backend()?
        .follow_community(&viewer, key.clone(), true)
        .await?;
    leptos_actix::redirect(&community_path(&key));
    Ok(())
}

#[server(prefix = "/_app", endpoint = "unfollow_community")]
pub async fn unfollow_community(csrf: String, key: String) -> Result<(), AppError> {
    let session = ssr::check_csrf(&csrf)?;
    let viewer = ssr::require_viewer(&session)?;
    ssr::backend()?
        .follow_community(&viewer, key.clone(), false)
        .await?;
    leptos_actix::redirect(&community_path(&key));
    Ok(())
}

#[server(prefix = "/_app", endpoint = "members")]
pub async fn get_members(key: String) -> Result<Vec<MemberView>, AppError> {
    let session = ssr::session();
    ssr::backend()?.members(session.viewer.as_ref(), key).await
}

#[server(prefix = "/_app", endpoint = "join_applications")]
pub async fn get_join_applications(key: String) -> Result<Vec<JoinApplicationView>, AppError> {
    let viewer = ssr::require_viewer(&ssr::session())?;
    ssr::backend()?.join_applications(&viewer, key).await
}

#[server(prefix = "/_app", endpoint = "decide_membership")]
pub async fn decide_membership(
    csrf: String,
    membership_id: i64,
    decision: String,
    reason: Option<String>,
) -> Result<(), AppError> {
    let session = ssr::check_csrf(&csrf)?;
    let viewer = ssr::require_viewer(&session)?;
    let approve = match decision.as_str() {
        "approve" => true,
        "refuse" => false,
        _ => return Err(AppError::Invalid("Choose approve or refuse.".into())),
    };
    let key = ssr::backend()?
        .decide_membership(&viewer, membership_id, approve, reason.unwrap_or_default())
        .await?;
    leptos_actix::redirect(&format!("{}/applications", community_path(&key)));
    Ok(())
}

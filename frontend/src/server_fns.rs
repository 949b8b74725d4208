//! Server functions: thin — check CSRF, find the viewer, call the `Backend`, return view types.

pub mod communities;
pub mod content;
pub mod governance;

pub use communities::*;
pub use content::*;
pub use governance::*;

// Federation: finding remote communities, the network view, the admin's policy.
pub mod federation;
pub use federation::*;

use leptos::prelude::*;

use crate::backend::{AppError, ApplicationView, InstanceView, ProfileView, Viewer};
#[cfg(feature = "ssr")]
use crate::backend::{NewAccount, RegisterOutcome};
#[cfg(feature = "ssr")]
use crate::ssr;

/// What every page needs: the instance, the viewer and the CSRF token.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PageData {
    pub instance: InstanceView,
    pub viewer: Option<Viewer>,
    pub csrf_token: String,
}

#[server(prefix = "/_app", endpoint = "page")]
pub async fn load_page() -> Result<PageData, AppError> {
    let session = ssr::session();
    let instance = ssr::backend()?.instance().await?;
    Ok(PageData {
        instance,
        viewer: session.viewer,
        csrf_token: session.csrf_token,
    })
}

#[server(prefix = "/_app", endpoint = "login")]
pub async fn login(
    csrf: String,
    username: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    ssr::check_csrf(&csrf)?;
    let cookie = ssr::backend()?
        .login(username, password, ssr::client_info())
        .await?;
    ssr::set_cookie(&cookie);
    leptos_actix::redirect(&safe_next(next.as_deref()));
    Ok(())
}

#[server(prefix = "/_app", endpoint = "register")]
pub async fn register(
    csrf: String,
    username: String,
    password: String,
    password_again: String,
    display_name: Option<String>,
    application: Option<String>,
) -> Result<(), AppError> {
    ssr::check_csrf(&csrf)?;
    if password != password_again {
        return Err(AppError::Invalid("The two passwords differ.".into()));
    }
    let outcome = ssr::backend()?
        .register(
            NewAccount {
                username,
                password,
                display_name,
                application,
            },
            ssr::client_info(),
        )
        .await?;
    match outcome {
        RegisterOutcome::SignedIn { set_cookie } => {
            ssr::set_cookie(&set_cookie);
            leptos_actix::redirect("/settings?welcome=1");
        }
        RegisterOutcome::PendingApproval => leptos_actix::redirect("/register/sent"),
    }
    Ok(())
}

#[server(prefix = "/_app", endpoint = "logout")]
pub async fn logout(csrf: String) -> Result<(), AppError> {
    let session = ssr::check_csrf(&csrf)?;
    let cookie = ssr::backend()?.logout(session.token).await?;
    ssr::set_cookie(&cookie);
    leptos_actix::redirect("/");
    Ok(())
}

#[server(prefix = "/_app", endpoint = "profile")]
pub async fn get_profile(username: String) -> Result<ProfileView, AppError> {
    ssr::backend()?.profile(username).await
}

#[server(prefix = "/_app", endpoint = "update_profile")]
pub async fn update_profile(
    csrf: String,
    display_name: String,
    bio: String,
) -> Result<(), AppError> {
    let session = ssr::check_csrf(&csrf)?;
    let viewer = ssr::require_viewer(&session)?;
    ssr::backend()?
        .update_profile(&viewer, display_name, bio)
        .await?;
    leptos_actix::redirect("/settings?saved=profile");
    Ok(())
}

#[server(prefix = "/_app", endpoint = "change_password")]
pub async fn change_password(
    csrf: String,
    current_password: String,
    new_password: String,
    new_password_again: String,
) -> Result<(), AppError> {
    let session = ssr::check_csrf(&csrf)?;
    let viewer = ssr::require_viewer(&session)?;
    if new_password != new_password_again {
        return Err(AppError::Invalid("The two new passwords differ.".into()));
    }
    ssr::backend()?
        .change_password(&viewer, session.token, current_password, new_password)
        .await?;
    leptos_actix::redirect("/settings?saved=password");
    Ok(())
}

#[server(prefix = "/_app", endpoint = "applications")]
pub async fn pending_applications() -> Result<Vec<ApplicationView>, AppError> {
    let viewer = ssr::require_viewer(&ssr::session())?;
    ssr::backend()?.pending_applications(&viewer).await
}

#[server(prefix = "/_app", endpoint = "decide_application")]
pub async fn decide_application(
    csrf: String,
    user_id: i64,
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
    ssr::backend()?
        .decide_application(&viewer, user_id, approve, reason.unwrap_or_default())
        .await?;
    leptos_actix::redirect("/admin");
    Ok(())
}

/// Only same-site paths may be redirected to after login.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_is_same_site_only() {
        assert_eq!(safe_next(Some("/settings")), "/settings");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil")), "/");
        assert_eq!(safe_next(None), "/");
    }
}

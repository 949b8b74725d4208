//! The UI's account operations: the instance, registration, sign-in and out, profiles,
//! passwords, and the admin's queue of registration applications.

use commonhall_frontend::{
    AppError, AppResult, ApplicationView, ClientInfo, InstanceView, NewAccount, ProfileView,
    RegisterOutcome, Registration, Viewer,
};

use super::checks::{nul_free, require_admin};
use super::read;
use super::session::{clear_session_cookie, session_cookie};
use super::views::profile_view;
use crate::config::RegistrationMode;
use crate::domain::accounts::sessions::{self, SessionKind};
use crate::domain::accounts::{self, AccountError, CreatedBy};
use crate::state::AppState;
use crate::store::users;

pub(super) async fn instance(app: &AppState) -> AppResult<InstanceView> {
    let users = app
        .db(|c| users::count(c).map_err(AccountError::from))
        .await?;
    let s = &app.settings;
    Ok(InstanceView {
        name: s.instance_name.clone(),
        description: s.instance_description.clone(),
        hostname: s.hostname.clone(),
        registration: match s.registration {
            RegistrationMode::Open => Registration::Open,
            RegistrationMode::Approval => Registration::Approval,
            RegistrationMode::Closed => Registration::Closed,
        },
        users,
    })
}

pub(super) async fn register(
    app: &AppState,
    account: NewAccount,
    client: ClientInfo,
) -> AppResult<RegisterOutcome> {
    nul_free([
        account.username.as_str(),
        account.display_name.as_deref().unwrap_or_default(),
        account.application.as_deref().unwrap_or_default(),
    ])?;
    if !app.login_allowed(client.ip.as_deref()) {
        return Err(AppError::RateLimited);
    }
    let instance = app.instance.clone();
    let mode = app.settings.registration;
    let lifetime = app.session_lifetime();
    let reg = accounts::Registration {
        username: account.username.trim().to_string(),
        password: account.password,
        display_name: account.display_name,
        application: account.application,
    };
    let opened = app
        .db(move |c| {
            let user = accounts::register(c, &instance, &reg, CreatedBy::Visitor(mode))?;
            if user.status != "active" {
                return Ok(None);
            }
            let s = sessions::open(
                c,
                user.id,
                SessionKind::Browser,
                client.user_agent.as_deref(),
                lifetime,
            )?;
            Ok::<_, AccountError>(Some(s))
        })
        .await?;
    Ok(match opened {
        Some(s) => RegisterOutcome::SignedIn {
            set_cookie: session_cookie(app, &s.token).to_string(),
        },
        None => RegisterOutcome::PendingApproval,
    })
}

pub(super) async fn login(
    app: &AppState,
    username: String,
    password: String,
    client: ClientInfo,
) -> AppResult<String> {
    nul_free([username.as_str()])?;
    if !app.login_allowed(client.ip.as_deref()) {
        return Err(AppError::RateLimited);
    }
    let lifetime = app.session_lifetime();
    let opened = app
        .db(move |c| {
            let (user, _) = accounts::authenticate(c, username.trim(), &password)?;
            Ok::<_, AccountError>(sessions::open(
                c,
                user.id,
                SessionKind::Browser,
                client.user_agent.as_deref(),
                lifetime,
            )?)
        })
        .await?;
    Ok(session_cookie(app, &opened.token).to_string())
}

pub(super) async fn logout(app: &AppState, token: Option<String>) -> AppResult<String> {
    if let Some(token) = token {
        app.db(move |c| sessions::close(c, &token).map_err(AccountError::from))
            .await?;
    }
    Ok(clear_session_cookie(app).to_string())
}

pub(super) async fn profile(app: &AppState, username: String) -> AppResult<ProfileView> {
    if read::has_nul([username.as_str()]) {
        return Err(AppError::NotFound);
    }
    let found = app
        .db(move |c| users::by_username(c, &username).map_err(AccountError::from))
        .await?;
    match found {
        Some((user, actor)) if user.status == "active" => Ok(profile_view(&user, &actor)),
        _ => Err(AppError::NotFound),
    }
}

pub(super) async fn update_profile(
    app: &AppState,
    viewer: &Viewer,
    display_name: String,
    bio: String,
) -> AppResult<()> {
    nul_free([display_name.as_str(), bio.as_str()])?;
    let id = viewer.user_id;
    app.db(move |c| accounts::update_profile(c, id, Some(&display_name), &bio))
        .await?;
    Ok(())
}

pub(super) async fn change_password(
    app: &AppState,
    viewer: &Viewer,
    token: Option<String>,
    current: String,
    new: String,
) -> AppResult<()> {
    let id = viewer.user_id;
    let keep = token.map(|t| sessions::token_hash(&t));
    app.db(move |c| accounts::change_password(c, id, &current, &new, keep.as_deref()))
        .await?;
    Ok(())
}

pub(super) async fn pending_applications(
    app: &AppState,
    viewer: &Viewer,
) -> AppResult<Vec<ApplicationView>> {
    require_admin(viewer)?;
    let pending = app
        .db(|c| users::pending(c).map_err(AccountError::from))
        .await?;
    Ok(pending
        .into_iter()
        .map(|u| ApplicationView {
            user_id: u.id,
            username: u.username,
            application: u.application.unwrap_or_default(),
            applied: u.created_at.format("%-d %B %Y, %H:%M UTC").to_string(),
        })
        .collect())
}

pub(super) async fn decide_application(
    app: &AppState,
    viewer: &Viewer,
    user_id: i64,
    approve: bool,
    reason: String,
) -> AppResult<()> {
    nul_free([reason.as_str()])?;
    require_admin(viewer)?;
    app.db(move |c| accounts::decide_application(c, user_id, approve, Some(&reason)))
        .await?;
    Ok(())
}

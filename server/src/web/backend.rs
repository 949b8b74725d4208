//! The server's implementation of the UI's `Backend` port, over the domain services.

use async_trait::async_trait;
use commonhall_frontend::{
    AppError, AppResult, ApplicationView, Backend, ClientInfo, InstanceView, NewAccount,
    ProfileView, RegisterOutcome, Registration, Viewer,
};

use super::session::{clear_session_cookie, session_cookie};
use crate::config::RegistrationMode;
use crate::domain::accounts::sessions::{self, SessionKind};
use crate::domain::accounts::{self, AccountError, CreatedBy};
use crate::domain::markdown;
use crate::state::AppState;
use crate::store::actors::Actor;
use crate::store::users::{self, User};

pub struct ServerBackend {
    state: AppState,
}

impl ServerBackend {
    pub fn new(state: AppState) -> Self {
        ServerBackend { state }
    }
}

/// The one place domain errors become words for the UI.
impl From<AccountError> for AppError {
    fn from(e: AccountError) -> Self {
        match e {
            AccountError::NotFound => AppError::NotFound,
            AccountError::Database(_)
            | AccountError::Keys(_)
            | AccountError::Hash(_)
            | AccountError::Store(_) => {
                tracing::error!(error = %e, "account operation failed");
                AppError::Internal
            }
            other => AppError::Invalid(other.to_string()),
        }
    }
}

pub fn profile_view(user: &User, actor: &Actor) -> ProfileView {
    ProfileView {
        username: user.username.clone(),
        handle: format!("@{}@{}", user.username, actor.domain),
        display_name: actor.display_name.clone(),
        bio_html: markdown::to_safe_html(&user.bio_markdown),
        bio_markdown: user.bio_markdown.clone(),
        is_admin: user.is_admin,
        joined: user.created_at.format("%-d %B %Y").to_string(),
        actor_id: actor.ap_id.clone(),
    }
}

fn require_admin(viewer: &Viewer) -> AppResult<()> {
    if viewer.is_admin {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

#[async_trait]
impl Backend for ServerBackend {
    async fn instance(&self) -> AppResult<InstanceView> {
        let users = self
            .state
            .db(|c| users::count(c).map_err(AccountError::from))
            .await?;
        let s = &self.state.settings;
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

    async fn register(
        &self,
        account: NewAccount,
        client: ClientInfo,
    ) -> AppResult<RegisterOutcome> {
        if !self.state.login_allowed(client.ip.as_deref()) {
            return Err(AppError::RateLimited);
        }
        let instance = self.state.instance.clone();
        let mode = self.state.settings.registration;
        let lifetime = self.state.session_lifetime();
        let reg = accounts::Registration {
            username: account.username.trim().to_string(),
            password: account.password,
            display_name: account.display_name,
            application: account.application,
        };
        let opened = self
            .state
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
                set_cookie: session_cookie(&self.state, &s.token).to_string(),
            },
            None => RegisterOutcome::PendingApproval,
        })
    }

    async fn login(
        &self,
        username: String,
        password: String,
        client: ClientInfo,
    ) -> AppResult<String> {
        if !self.state.login_allowed(client.ip.as_deref()) {
            return Err(AppError::RateLimited);
        }
        let lifetime = self.state.session_lifetime();
        let opened = self
            .state
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
        Ok(session_cookie(&self.state, &opened.token).to_string())
    }

    async fn logout(&self, token: Option<String>) -> AppResult<String> {
        if let Some(token) = token {
            self.state
                .db(move |c| sessions::close(c, &token).map_err(AccountError::from))
                .await?;
        }
        Ok(clear_session_cookie(&self.state).to_string())
    }

    async fn profile(&self, username: String) -> AppResult<ProfileView> {
        let found = self
            .state
            .db(move |c| users::by_username(c, &username).map_err(AccountError::from))
            .await?;
        match found {
            Some((user, actor)) if user.status == "active" => Ok(profile_view(&user, &actor)),
            _ => Err(AppError::NotFound),
        }
    }

    async fn update_profile(
        &self,
        viewer: &Viewer,
        display_name: String,
        bio: String,
    ) -> AppResult<()> {
        let id = viewer.user_id;
        self.state
            .db(move |c| accounts::update_profile(c, id, Some(&display_name), &bio))
            .await?;
        Ok(())
    }

    async fn change_password(
        &self,
        viewer: &Viewer,
        token: Option<String>,
        current: String,
        new: String,
    ) -> AppResult<()> {
        let id = viewer.user_id;
        let keep = token.map(|t| sessions::token_hash(&t));
        self.state
            .db(move |c| accounts::change_password(c, id, &current, &new, keep.as_deref()))
            .await?;
        Ok(())
    }

    async fn pending_applications(&self, viewer: &Viewer) -> AppResult<Vec<ApplicationView>> {
        require_admin(viewer)?;
        let pending = self
            .state
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

    async fn decide_application(
        &self,
        viewer: &Viewer,
        user_id: i64,
        approve: bool,
        reason: String,
    ) -> AppResult<()> {
        require_admin(viewer)?;
        self.state
            .db(move |c| accounts::decide_application(c, user_id, approve, Some(&reason)))
            .await?;
        Ok(())
    }
}

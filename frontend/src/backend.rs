//! The port the UI needs from the server: the `Backend` trait and the plain view types its pages show.

use serde::{Deserialize, Serialize};

/// Who is looking at the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Viewer {
    pub user_id: i64,
    pub username: String,
    pub display_name: Option<String>,
    pub is_admin: bool,
}

/// What the server resolved about the current request before the UI runs:
/// the signed-in viewer (if any), the browser session's secret, and the CSRF
/// token every form must echo back.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestSession {
    pub viewer: Option<Viewer>,
    /// The session secret from the cookie, for logout and password change.
    pub token: Option<String>,
    pub csrf_token: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Registration {
    Open,
    Approval,
    Closed,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InstanceView {
    pub name: String,
    pub description: String,
    pub hostname: String,
    pub registration: Registration,
    pub users: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileView {
    pub username: String,
    /// `@name@host`, how other instances address this person.
    pub handle: String,
    pub display_name: Option<String>,
    /// Markdown source, for the edit form.
    pub bio_markdown: String,
    /// Sanitised HTML rendered from the bio.
    pub bio_html: String,
    pub is_admin: bool,
    pub joined: String,
    pub actor_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApplicationView {
    pub user_id: i64,
    pub username: String,
    pub application: String,
    pub applied: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewAccount {
    pub username: String,
    pub password: String,
    pub display_name: Option<String>,
    pub application: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum RegisterOutcome {
    /// Signed in at once; carries the `Set-Cookie` header value.
    SignedIn { set_cookie: String },
    /// Waiting for an admin.
    PendingApproval,
}

/// Client facts the server wants for sessions and rate limits.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClientInfo {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// Every failure the UI can show, as words for the member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    Invalid(String),
    #[error("Please sign in first.")]
    Unauthenticated,
    #[error("You are not allowed to do that.")]
    Forbidden,
    #[error("Not found.")]
    NotFound,
    #[error("Too many attempts. Wait a minute and try again.")]
    RateLimited,
    #[error("Your form expired or came from another site. Reload the page and try again.")]
    BadCsrf,
    #[error("Something went wrong on our side; it has been logged. Please try again.")]
    Internal,
    #[error("Bad request: {0}")]
    Request(String),
}

impl leptos::server_fn::error::FromServerFnError for AppError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;

    fn from_server_fn_error(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        AppError::Request(value.to_string())
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// What the UI asks of the server. The server implements it over its domain
/// services; tests implement it over fakes.
#[async_trait::async_trait]
pub trait Backend: Send + Sync + 'static {
    async fn instance(&self) -> AppResult<InstanceView>;
    async fn register(&self, account: NewAccount, client: ClientInfo)
        -> AppResult<RegisterOutcome>;
    /// Returns the `Set-Cookie` header value for the new session.
    async fn login(
        &self,
        username: String,
        password: String,
        client: ClientInfo,
    ) -> AppResult<String>;
    /// Ends the session; returns the `Set-Cookie` header value that clears it.
    async fn logout(&self, token: Option<String>) -> AppResult<String>;
    async fn profile(&self, username: String) -> AppResult<ProfileView>;
    async fn update_profile(
        &self,
        viewer: &Viewer,
        display_name: String,
        bio: String,
    ) -> AppResult<()>;
    async fn change_password(
        &self,
        viewer: &Viewer,
        token: Option<String>,
        current: String,
        new: String,
    ) -> AppResult<()>;
    async fn pending_applications(&self, viewer: &Viewer) -> AppResult<Vec<ApplicationView>>;
    async fn decide_application(
        &self,
        viewer: &Viewer,
        user_id: i64,
        approve: bool,
        reason: String,
    ) -> AppResult<()>;
}

//! The port the UI needs from the server: the `Backend` trait and the plain view types its pages show.

use serde::{Deserialize, Serialize};

/// Who is looking at the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Viewer {
    pub user_id: i64,
    /// The viewer's person actor (`actors.id`): who they are in communities.
    pub actor_id: i64,
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

/// A community as lists show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommunitySummary {
    /// What follows `/c/` in its address: `name` here, `name@host` for a
    /// community on another instance.
    pub key: String,
    pub title: String,
    /// `@name@host`, how the fediverse addresses it.
    pub handle: String,
    pub local: bool,
    /// `open`, `approval` or `invite`.
    pub join_policy: String,
    pub members: i64,
    pub followers: i64,
    /// Proposals taking votes now (for a community on another instance: as far as its
    /// proposals reached this one).
    pub open_proposals: i64,
}

/// A person's membership of one community.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MembershipView {
    pub id: i64,
    /// `active`, `pending`, `refused`, `left` or `removed`.
    pub status: String,
    pub class: String,
    /// `member`, `moderator` or `owner`.
    pub role: String,
    /// Why a moderator refused (or removed).
    pub reason: Option<String>,
}

/// Where the viewer stands with a community.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Standing {
    pub membership: Option<MembershipView>,
    /// `accepted` or `pending` (waiting for a remote community), if following.
    pub following: Option<String>,
    pub is_moderator: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommunityView {
    pub summary: CommunitySummary,
    /// Its ActivityPub id.
    pub actor_id: String,
    pub description_markdown: String,
    /// Sanitised HTML rendered from the description.
    pub description_html: String,
    /// Stakeholder classes, in order (the first is the default).
    pub classes: Vec<String>,
    pub created: String,
    /// `None` for visitors who are not signed in.
    pub standing: Option<Standing>,
    /// Applications waiting (counted for moderators only, else 0).
    pub pending_applications: i64,
}

/// A person as content shows them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonRef {
    pub name: String,
    pub handle: String,
    /// Their profile: here for local people, at their instance for others.
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberView {
    pub person: PersonRef,
    pub class: String,
    pub role: String,
    pub since: String,
}

/// Someone asking to join a community, for its moderators.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JoinApplicationView {
    pub membership_id: i64,
    pub person: PersonRef,
    pub class: String,
    pub application: String,
    pub applied: String,
}

/// Where a post lives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommunityRef {
    pub key: String,
    pub title: String,
    pub handle: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PostView {
    pub id: i64,
    pub title: String,
    pub link: Option<String>,
    pub body_markdown: String,
    pub body_html: String,
    pub author: PersonRef,
    pub community: CommunityRef,
    pub published: String,
    /// RFC 3339, for `<time datetime>`.
    pub published_iso: String,
    pub edited: bool,
    pub likes: i64,
    pub dislikes: i64,
    pub comments: i64,
    /// The viewer's vote: 1, -1 or 0 (feeds leave it 0).
    pub my_vote: i16,
    pub can_edit: bool,
    pub can_delete: bool,
    pub can_vote: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommentView {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub author: PersonRef,
    pub body_markdown: String,
    pub body_html: String,
    pub published: String,
    pub published_iso: String,
    pub edited: bool,
    /// Deleted comments keep their place (and replies) but lose their text.
    pub deleted: bool,
    pub likes: i64,
    pub dislikes: i64,
    pub my_vote: i16,
    pub can_edit: bool,
    pub can_delete: bool,
}

/// A post with all its comments (flat, oldest first; `parent_id` nests them).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThreadView {
    pub post: PostView,
    pub comments: Vec<CommentView>,
    /// The viewer may comment and vote (members and followers).
    pub can_take_part: bool,
}

/// Which feed to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FeedKind {
    /// Communities the viewer follows or belongs to.
    Mine,
    /// Communities of this instance.
    Local,
    /// Everything this instance knows.
    All,
    /// One community, by key.
    Community(String),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedView {
    pub items: Vec<PostView>,
    /// `new`, `active` or `top`.
    pub sort: String,
    /// Cursor of the next page, if there is one.
    pub next: Option<String>,
}

/// The community form (create and edit; `name` is ignored when editing).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommunityInput {
    pub name: String,
    pub title: String,
    pub description: String,
    pub join_policy: String,
    /// Comma-separated stakeholder classes, e.g. "worker, user, supporter".
    pub classes: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PostInput {
    pub title: String,
    pub body: String,
    pub link: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum VoteTarget {
    Post(i64),
    Comment(i64),
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

    // Communities.

    /// Every community known here, local first.
    async fn communities(&self) -> AppResult<Vec<CommunitySummary>>;
    /// Admins only; returns the new community's key.
    async fn create_community(&self, viewer: &Viewer, input: CommunityInput) -> AppResult<String>;
    async fn community(&self, viewer: Option<&Viewer>, key: String) -> AppResult<CommunityView>;
    /// Moderators only.
    async fn update_community(
        &self,
        viewer: &Viewer,
        key: String,
        input: CommunityInput,
    ) -> AppResult<()>;
    async fn join_community(
        &self,
        viewer: &Viewer,
        key: String,
        class: Option<String>,
        application: Option<String>,
    ) -> AppResult<()>;
    async fn leave_community(&self, viewer: &Viewer, key: String) -> AppResult<()>;
    /// Follows (`true`) or unfollows (`false`).
    async fn follow_community(&self, viewer: &Viewer, key: String, follow: bool) -> AppResult<()>;
    /// Active members; visible to members of the community and admins.
    async fn members(&self, viewer: Option<&Viewer>, key: String) -> AppResult<Vec<MemberView>>;
    /// Pending applications; moderators only.
    async fn join_applications(
        &self,
        viewer: &Viewer,
        key: String,
    ) -> AppResult<Vec<JoinApplicationView>>;
    /// Approves or refuses; returns the community's key.
    async fn decide_membership(
        &self,
        viewer: &Viewer,
        membership_id: i64,
        approve: bool,
        reason: String,
    ) -> AppResult<String>;

    // Posts, comments and votes.

    async fn feed(
        &self,
        viewer: Option<&Viewer>,
        kind: FeedKind,
        sort: Option<String>,
        after: Option<String>,
    ) -> AppResult<FeedView>;
    /// Members only; returns the new post's id.
    async fn create_post(&self, viewer: &Viewer, key: String, input: PostInput) -> AppResult<i64>;
    async fn thread(&self, viewer: Option<&Viewer>, post_id: i64) -> AppResult<ThreadView>;
    async fn edit_post(&self, viewer: &Viewer, post_id: i64, input: PostInput) -> AppResult<()>;
    /// Returns the key of the post's community.
    async fn delete_post(&self, viewer: &Viewer, post_id: i64) -> AppResult<String>;
    /// Returns the new comment's id.
    async fn create_comment(
        &self,
        viewer: &Viewer,
        post_id: i64,
        parent_id: Option<i64>,
        body: String,
    ) -> AppResult<i64>;
    /// Returns the comment's post id.
    async fn edit_comment(&self, viewer: &Viewer, comment_id: i64, body: String) -> AppResult<i64>;
    /// Returns the comment's post id.
    async fn delete_comment(&self, viewer: &Viewer, comment_id: i64) -> AppResult<i64>;
    /// +1, -1 or 0 (undo); returns the post id the target belongs to.
    async fn vote(&self, viewer: &Viewer, target: VoteTarget, value: i16) -> AppResult<i64>;
}

pub mod governance;
pub use governance::*;

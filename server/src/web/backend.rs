//! The server's implementation of the UI's `Backend` port: each operation is served by the
//! module of its concept (accounts, communities, content) over the domain services.

use async_trait::async_trait;
use commonhall_frontend::{
    AppResult, ApplicationView, Backend, ClientInfo, CommunityInput, CommunitySummary,
    CommunityView, FeedKind, FeedView, InstanceView, JoinApplicationView, MemberView, NewAccount,
    PostInput, ProfileView, RegisterOutcome, ThreadView, Viewer, VoteTarget,
};

use super::{accounts, communities, content};
use crate::state::AppState;

pub struct ServerBackend {
    state: AppState,
}

impl ServerBackend {
    pub fn new(state: AppState) -> Self {
        ServerBackend { state }
    }
}

#[async_trait]
impl Backend for ServerBackend {
    async fn instance(&self) -> AppResult<InstanceView> {
        accounts::instance(&self.state).await
    }

    async fn register(
        &self,
        account: NewAccount,
        client: ClientInfo,
    ) -> AppResult<RegisterOutcome> {
        accounts::register(&self.state, account, client).await
    }

    async fn login(
        &self,
        username: String,
        password: String,
        client: ClientInfo,
    ) -> AppResult<String> {
        accounts::login(&self.state, username, password, client).await
    }

    async fn logout(&self, token: Option<String>) -> AppResult<String> {
        accounts::logout(&self.state, token).await
    }

    async fn profile(&self, username: String) -> AppResult<ProfileView> {
        accounts::profile(&self.state, username).await
    }

    async fn update_profile(
        &self,
        viewer: &Viewer,
        display_name: String,
        bio: String,
    ) -> AppResult<()> {
        accounts::update_profile(&self.state, viewer, display_name, bio).await
    }

    async fn change_password(
        &self,
        viewer: &Viewer,
        token: Option<String>,
        current: String,
        new: String,
    ) -> AppResult<()> {
        accounts::change_password(&self.state, viewer, token, current, new).await
    }

    async fn pending_applications(&self, viewer: &Viewer) -> AppResult<Vec<ApplicationView>> {
        accounts::pending_applications(&self.state, viewer).await
    }

    async fn decide_application(
        &self,
        viewer: &Viewer,
        user_id: i64,
        approve: bool,
        reason: String,
    ) -> AppResult<()> {
        accounts::decide_application(&self.state, viewer, user_id, approve, reason).await
    }

    async fn communities(&self) -> AppResult<Vec<CommunitySummary>> {
        communities::communities(&self.state).await
    }

    async fn create_community(&self, viewer: &Viewer, input: CommunityInput) -> AppResult<String> {
        communities::create_community(&self.state, viewer, input).await
    }

    async fn community(&self, viewer: Option<&Viewer>, key: String) -> AppResult<CommunityView> {
        communities::community(&self.state, viewer, key).await
    }

    async fn update_community(
        &self,
        viewer: &Viewer,
        key: String,
        input: CommunityInput,
    ) -> AppResult<()> {
        communities::update_community(&self.state, viewer, key, input).await
    }

    async fn join_community(
        &self,
        viewer: &Viewer,
        key: String,
        class: Option<String>,
        application: Option<String>,
    ) -> AppResult<()> {
        communities::join_community(&self.state, viewer, key, class, application).await
    }

    async fn leave_community(&self, viewer: &Viewer, key: String) -> AppResult<()> {
        communities::leave_community(&self.state, viewer, key).await
    }

    async fn follow_community(&self, viewer: &Viewer, key: String, follow: bool) -> AppResult<()> {
        communities::follow_community(&self.state, viewer, key, follow).await
    }

    async fn members(&self, viewer: Option<&Viewer>, key: String) -> AppResult<Vec<MemberView>> {
        communities::members(&self.state, viewer, key).await
    }

    async fn join_applications(
        &self,
        viewer: &Viewer,
        key: String,
    ) -> AppResult<Vec<JoinApplicationView>> {
        communities::join_applications(&self.state, viewer, key).await
    }

    async fn decide_membership(
        &self,
        viewer: &Viewer,
        membership_id: i64,
        approve: bool,
        reason: String,
    ) -> AppResult<String> {
        communities::decide_membership(&self.state, viewer, membership_id, approve, reason).await
    }

    async fn feed(
        &self,
        viewer: Option<&Viewer>,
        kind: FeedKind,
        sort: Option<String>,
        after: Option<String>,
    ) -> AppResult<FeedView> {
        content::feed(&self.state, viewer, kind, sort, after).await
    }

    async fn create_post(&self, viewer: &Viewer, key: String, input: PostInput) -> AppResult<i64> {
        content::create_post(&self.state, viewer, key, input).await
    }

    async fn thread(&self, viewer: Option<&Viewer>, post_id: i64) -> AppResult<ThreadView> {
        content::thread(&self.state, viewer, post_id).await
    }

    async fn edit_post(&self, viewer: &Viewer, post_id: i64, input: PostInput) -> AppResult<()> {
        content::edit_post(&self.state, viewer, post_id, input).await
    }

    async fn delete_post(&self, viewer: &Viewer, post_id: i64) -> AppResult<String> {
        content::delete_post(&self.state, viewer, post_id).await
    }

    async fn create_comment(
        &self,
        viewer: &Viewer,
        post_id: i64,
        parent_id: Option<i64>,
        body: String,
    ) -> AppResult<i64> {
        content::create_comment(&self.state, viewer, post_id, parent_id, body).await
    }

    async fn edit_comment(&self, viewer: &Viewer, comment_id: i64, body: String) -> AppResult<i64> {
        content::edit_comment(&self.state, viewer, comment_id, body).await
    }

    async fn delete_comment(&self, viewer: &Viewer, comment_id: i64) -> AppResult<i64> {
        content::delete_comment(&self.state, viewer, comment_id).await
    }

    async fn vote(&self, viewer: &Viewer, target: VoteTarget, value: i16) -> AppResult<i64> {
        content::vote(&self.state, viewer, target, value).await
    }
}

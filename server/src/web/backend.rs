//! The server's implementation of the UI's `Backend` port, over the domain services.

use async_trait::async_trait;
use commonhall_frontend::{
    AppError, AppResult, ApplicationView, Backend, ClientInfo, CommentView, CommunityInput,
    CommunityRef, CommunitySummary, CommunityView, FeedKind, FeedView, InstanceView,
    JoinApplicationView, MemberView, MembershipView, NewAccount, PersonRef, PostInput, PostView,
    ProfileView, RegisterOutcome, Registration, Standing, ThreadView, Viewer, VoteTarget,
};

use super::read;
use super::session::{clear_session_cookie, session_cookie};
use crate::config::RegistrationMode;
use crate::domain::accounts::sessions::{self, SessionKind};
use crate::domain::accounts::{self, AccountError, CreatedBy};
use crate::domain::communities::follow as follows;
use crate::domain::communities::membership::{self, JoinRequest};
use crate::domain::communities::{self, CommunityError, CommunityForm};
use crate::domain::content::feed::{self, FeedItem};
use crate::domain::content::posts::PostForm;
use crate::domain::content::{self, comments, posts, votes, ContentError};
use crate::domain::markdown;
use crate::state::AppState;
use crate::store::actors::Actor;
use crate::store::communities::{Community, WithActor};
use crate::store::memberships::{self, Membership};
use crate::store::users::{self, User};
use crate::store::{comments as comment_rows, communities as community_rows, posts as post_rows};
use crate::store::{votes as vote_rows, DbConn};

pub struct ServerBackend {
    state: AppState,
}

impl ServerBackend {
    pub fn new(state: AppState) -> Self {
        ServerBackend { state }
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

/// Refuses text with NUL characters (see [`read::has_nul`]).
pub(super) fn nul_free<'a>(values: impl IntoIterator<Item = &'a str>) -> AppResult<()> {
    if read::has_nul(values) {
        Err(AppError::Invalid(read::NUL_REFUSED.into()))
    } else {
        Ok(())
    }
}

pub(super) fn require_admin(viewer: &Viewer) -> AppResult<()> {
    if viewer.is_admin {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

fn person_ref(actor: &Actor) -> PersonRef {
    PersonRef {
        name: read::person_name(actor),
        handle: read::person_handle(actor),
        url: read::person_url(actor),
    }
}

fn summary(
    conn: &mut DbConn,
    community: &Community,
    actor: &Actor,
) -> Result<CommunitySummary, CommunityError> {
    let counts = read::counts(conn, community.id)?;
    Ok(CommunitySummary {
        key: read::community_key(community, actor),
        title: community.title.clone(),
        handle: read::community_handle(community, actor),
        local: community.local,
        join_policy: community.join_policy.clone(),
        members: counts.members,
        followers: counts.followers,
        open_proposals: counts.open_proposals,
    })
}

fn membership_view(m: &Membership) -> MembershipView {
    MembershipView {
        id: m.id,
        status: m.status.clone(),
        class: m.class.clone(),
        role: m.role.clone(),
        reason: m.decision_reason.clone(),
    }
}

/// A post as the UI shows it; the viewer-specific flags start false.
fn post_view(item: &FeedItem) -> PostView {
    let p = &item.post;
    PostView {
        id: p.id,
        title: p.title.clone(),
        link: p.link_url.clone(),
        body_markdown: p.body_markdown.clone(),
        body_html: p.body_html.clone(),
        author: person_ref(&item.author),
        community: CommunityRef {
            key: read::community_key(&item.community, &item.community_actor),
            title: item.community.title.clone(),
            handle: read::community_handle(&item.community, &item.community_actor),
        },
        published: read::human_time(p.published_at),
        published_iso: read::iso_time(p.published_at),
        edited: p.updated_at.is_some(),
        likes: p.likes,
        dislikes: p.dislikes,
        comments: p.comment_count,
        my_vote: 0,
        can_edit: false,
        can_delete: false,
        can_vote: false,
    }
}

fn require_local(community: &Community) -> Result<(), CommunityError> {
    if community.local {
        Ok(())
    } else {
        Err(CommunityError::Invalid(
            "This community lives on another instance; its settings are changed there.".into(),
        ))
    }
}

fn community_texts(input: &CommunityInput) -> [&str; 5] {
    [
        &input.name,
        &input.title,
        &input.description,
        &input.join_policy,
        &input.classes,
    ]
}

fn post_texts(input: &PostInput) -> [&str; 3] {
    [
        &input.title,
        &input.body,
        input.link.as_deref().unwrap_or_default(),
    ]
}

fn community_form(input: CommunityInput) -> CommunityForm {
    CommunityForm {
        name: input.name,
        title: input.title,
        description: input.description,
        join_policy: input.join_policy,
        classes: input.classes,
    }
}

fn resolve(conn: &mut DbConn, state: &AppState, key: &str) -> Result<WithActor, CommunityError> {
    read::community_by_key(conn, &state.instance, key)
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
        nul_free([
            account.username.as_str(),
            account.display_name.as_deref().unwrap_or_default(),
            account.application.as_deref().unwrap_or_default(),
        ])?;
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
        nul_free([username.as_str()])?;
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
        if read::has_nul([username.as_str()]) {
            return Err(AppError::NotFound);
        }
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
        nul_free([display_name.as_str(), bio.as_str()])?;
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
        nul_free([reason.as_str()])?;
        require_admin(viewer)?;
        self.state
            .db(move |c| accounts::decide_application(c, user_id, approve, Some(&reason)))
            .await?;
        Ok(())
    }

    async fn communities(&self) -> AppResult<Vec<CommunitySummary>> {
        let list = self
            .state
            .db(|c| {
                let rows = community_rows::list(c, false)?;
                rows.iter()
                    .map(|(community, actor)| summary(c, community, actor))
                    .collect::<Result<Vec<_>, CommunityError>>()
            })
            .await?;
        Ok(list)
    }

    async fn create_community(&self, viewer: &Viewer, input: CommunityInput) -> AppResult<String> {
        nul_free(community_texts(&input))?;
        require_admin(viewer)?;
        let instance = self.state.instance.clone();
        let (user_id, actor_id) = (viewer.user_id, viewer.actor_id);
        let form = community_form(input);
        let created = self
            .state
            .db(move |c| communities::create(c, &instance, user_id, actor_id, &form))
            .await?;
        Ok(created.name)
    }

    async fn community(&self, viewer: Option<&Viewer>, key: String) -> AppResult<CommunityView> {
        let state = self.state.clone();
        let person = viewer.map(|v| v.actor_id);
        let view = self
            .state
            .db(move |c| {
                let (community, actor) = resolve(c, &state, &key)?;
                let summary = summary(c, &community, &actor)?;
                let (standing, pending) = match person {
                    None => (None, 0),
                    Some(person) => {
                        let (m, f) = read::standing(c, community.id, person)?;
                        let is_moderator = m.as_ref().is_some_and(Membership::is_moderator);
                        let pending = if is_moderator {
                            read::pending_count(c, community.id)?
                        } else {
                            0
                        };
                        (
                            Some(Standing {
                                membership: m.as_ref().map(membership_view),
                                following: f.map(|f| f.status),
                                is_moderator,
                            }),
                            pending,
                        )
                    }
                };
                Ok::<_, CommunityError>(CommunityView {
                    summary,
                    actor_id: actor.ap_id.clone(),
                    description_markdown: community.description_markdown.clone(),
                    description_html: community.description_html.clone(),
                    classes: community.classes(),
                    created: read::human_time(community.created_at),
                    standing,
                    pending_applications: pending,
                })
            })
            .await?;
        Ok(view)
    }

    async fn update_community(
        &self,
        viewer: &Viewer,
        key: String,
        input: CommunityInput,
    ) -> AppResult<()> {
        nul_free(community_texts(&input))?;
        let state = self.state.clone();
        let person = viewer.actor_id;
        let form = community_form(input);
        self.state
            .db(move |c| {
                let (community, _) = resolve(c, &state, &key)?;
                require_local(&community)?;
                communities::update(c, &*state.publisher, community.id, person, &form)
            })
            .await?;
        Ok(())
    }

    async fn join_community(
        &self,
        viewer: &Viewer,
        key: String,
        class: Option<String>,
        application: Option<String>,
    ) -> AppResult<()> {
        nul_free([
            class.as_deref().unwrap_or_default(),
            application.as_deref().unwrap_or_default(),
        ])?;
        let state = self.state.clone();
        let person = viewer.actor_id;
        self.state
            .db(move |c| {
                let (community, _) = resolve(c, &state, &key)?;
                let req = JoinRequest {
                    class,
                    application,
                    activity_id: None,
                };
                membership::request_join(c, &*state.publisher, community.id, person, &req)
            })
            .await?;
        Ok(())
    }

    async fn leave_community(&self, viewer: &Viewer, key: String) -> AppResult<()> {
        let state = self.state.clone();
        let person = viewer.actor_id;
        self.state
            .db(move |c| {
                let (community, _) = resolve(c, &state, &key)?;
                membership::leave(c, &*state.publisher, community.id, person)
            })
            .await?;
        Ok(())
    }

    async fn follow_community(&self, viewer: &Viewer, key: String, follow: bool) -> AppResult<()> {
        let state = self.state.clone();
        let person = viewer.actor_id;
        self.state
            .db(move |c| {
                let (community, _) = resolve(c, &state, &key)?;
                if follow {
                    follows::follow(c, &*state.publisher, community.id, person).map(|_| ())
                } else {
                    follows::unfollow(c, &*state.publisher, community.id, person)
                }
            })
            .await?;
        Ok(())
    }

    async fn members(&self, viewer: Option<&Viewer>, key: String) -> AppResult<Vec<MemberView>> {
        let viewer = viewer.ok_or(AppError::Unauthenticated)?.clone();
        let state = self.state.clone();
        let list = self
            .state
            .db(move |c| {
                let (community, _) = resolve(c, &state, &key)?;
                let mine = memberships::find(c, community.id, viewer.actor_id)?;
                if !viewer.is_admin && !mine.is_some_and(|m| m.is_active()) {
                    return Ok(None);
                }
                let list = memberships::list(c, community.id, "active")?
                    .into_iter()
                    .map(|(m, a)| MemberView {
                        person: person_ref(&a),
                        class: m.class.clone(),
                        role: m.role.clone(),
                        since: read::human_time(m.active_since.unwrap_or(m.created_at)),
                    })
                    .collect();
                Ok::<_, CommunityError>(Some(list))
            })
            .await?;
        list.ok_or(AppError::Forbidden)
    }

    async fn join_applications(
        &self,
        viewer: &Viewer,
        key: String,
    ) -> AppResult<Vec<JoinApplicationView>> {
        let state = self.state.clone();
        let person = viewer.actor_id;
        let list = self
            .state
            .db(move |c| {
                let (community, _) = resolve(c, &state, &key)?;
                if membership::require_moderator(c, &community, person).is_err() {
                    return Ok(None);
                }
                let list = memberships::list(c, community.id, "pending")?
                    .into_iter()
                    .map(|(m, a)| JoinApplicationView {
                        membership_id: m.id,
                        person: person_ref(&a),
                        class: m.class.clone(),
                        application: m.application.clone().unwrap_or_default(),
                        applied: read::human_time(m.created_at),
                    })
                    .collect();
                Ok::<_, CommunityError>(Some(list))
            })
            .await?;
        list.ok_or(AppError::Forbidden)
    }

    async fn decide_membership(
        &self,
        viewer: &Viewer,
        membership_id: i64,
        approve: bool,
        reason: String,
    ) -> AppResult<String> {
        nul_free([reason.as_str()])?;
        let state = self.state.clone();
        let person = viewer.actor_id;
        let key = self
            .state
            .db(move |c| {
                let m = membership::decide(
                    c,
                    &*state.publisher,
                    membership_id,
                    person,
                    approve,
                    Some(&reason),
                )?;
                let (community, actor) = communities::get(c, m.community_id)?;
                Ok::<_, CommunityError>(read::community_key(&community, &actor))
            })
            .await?;
        Ok(key)
    }

    async fn feed(
        &self,
        viewer: Option<&Viewer>,
        kind: FeedKind,
        sort: Option<String>,
        after: Option<String>,
    ) -> AppResult<FeedView> {
        let sort_key = sort.clone().unwrap_or_else(|| "new".into());
        let sort = feed::parse_sort(sort.as_deref())?;
        read::check_cursor(after.as_deref())?;
        let person = viewer.map(|v| v.actor_id);
        let state = self.state.clone();
        let page = self
            .state
            .db(move |c| {
                let kind = match kind {
                    FeedKind::Mine => match person {
                        Some(p) => feed::FeedKind::Mine(p),
                        None => return Ok(None),
                    },
                    FeedKind::Local => feed::FeedKind::Local,
                    FeedKind::All => feed::FeedKind::All,
                    FeedKind::Community(key) => {
                        feed::FeedKind::Community(resolve(c, &state, &key)?.0.id)
                    }
                };
                Ok::<_, ContentError>(Some(feed::page(c, &kind, sort, after.as_deref())?))
            })
            .await?
            .ok_or(AppError::Unauthenticated)?;
        Ok(FeedView {
            // Feeds show no bodies; leaving them out keeps pages light.
            items: page
                .items
                .iter()
                .map(|item| PostView {
                    body_markdown: String::new(),
                    body_html: String::new(),
                    ..post_view(item)
                })
                .collect(),
            sort: sort_key,
            next: page.next,
        })
    }

    async fn create_post(&self, viewer: &Viewer, key: String, input: PostInput) -> AppResult<i64> {
        nul_free(post_texts(&input))?;
        let state = self.state.clone();
        let person = viewer.actor_id;
        let form = PostForm {
            title: input.title,
            body: input.body,
            link: input.link,
        };
        let post = self
            .state
            .db(move |c| {
                let (community, _) = resolve(c, &state, &key)?;
                posts::create(
                    c,
                    &*state.publisher,
                    &state.instance,
                    community.id,
                    person,
                    &form,
                )
            })
            .await?;
        Ok(post.id)
    }

    async fn thread(&self, viewer: Option<&Viewer>, post_id: i64) -> AppResult<ThreadView> {
        let person = viewer.map(|v| v.actor_id);
        let thread = self
            .state
            .db(move |c| {
                let item = read::post_item(c, post_id)?;
                let mut post = post_view(&item);
                let community_id = item.post.community_id;
                let (takes_part, moderates) = match person {
                    Some(p) => (
                        content::may_take_part(c, community_id, p)?,
                        content::is_moderator(c, community_id, p)?,
                    ),
                    None => (false, false),
                };
                if let Some(p) = person {
                    post.my_vote =
                        vote_rows::of(c, p, vote_rows::Target::Post(post_id))?.unwrap_or(0);
                    post.can_edit = item.post.author_id == p && item.post.local;
                    post.can_delete = item.post.author_id == p || moderates;
                    post.can_vote = takes_part;
                }
                // Markdown sources only go to those who may edit them.
                if !post.can_edit {
                    post.body_markdown.clear();
                }
                let rows = read::thread_comments(c, post_id)?;
                let ids: Vec<i64> = rows.iter().map(|(cm, _)| cm.id).collect();
                let mine = match person {
                    Some(p) => read::comment_votes(c, p, &ids)?,
                    None => Default::default(),
                };
                let comments = rows
                    .iter()
                    .map(|(cm, author)| {
                        let own = person == Some(cm.author_id);
                        CommentView {
                            id: cm.id,
                            parent_id: cm.parent_id,
                            author: person_ref(author),
                            body_markdown: if own && cm.local {
                                cm.body_markdown.clone()
                            } else {
                                String::new()
                            },
                            body_html: cm.body_html.clone(),
                            published: read::human_time(cm.published_at),
                            published_iso: read::iso_time(cm.published_at),
                            edited: cm.updated_at.is_some(),
                            deleted: cm.deleted,
                            likes: cm.likes,
                            dislikes: cm.dislikes,
                            my_vote: mine.get(&cm.id).copied().unwrap_or(0),
                            can_edit: own && cm.local && !cm.deleted,
                            can_delete: (own || moderates) && !cm.deleted,
                        }
                    })
                    .collect();
                Ok::<_, ContentError>(ThreadView {
                    post,
                    comments,
                    can_take_part: takes_part,
                })
            })
            .await?;
        Ok(thread)
    }

    async fn edit_post(&self, viewer: &Viewer, post_id: i64, input: PostInput) -> AppResult<()> {
        nul_free(post_texts(&input))?;
        let publisher = self.state.publisher.clone();
        let person = viewer.actor_id;
        let form = PostForm {
            title: input.title,
            body: input.body,
            link: input.link,
        };
        self.state
            .db(move |c| posts::edit(c, &*publisher, post_id, person, &form))
            .await?;
        Ok(())
    }

    async fn delete_post(&self, viewer: &Viewer, post_id: i64) -> AppResult<String> {
        let publisher = self.state.publisher.clone();
        let person = viewer.actor_id;
        let key = self
            .state
            .db(move |c| {
                let post = post_rows::by_id(c, post_id).map_err(content::not_found)?;
                if post.deleted {
                    return Err(ContentError::NotFound);
                }
                posts::delete(c, &*publisher, post_id, person)?;
                let (community, actor) = communities::get(c, post.community_id)?;
                Ok(read::community_key(&community, &actor))
            })
            .await?;
        Ok(key)
    }

    async fn create_comment(
        &self,
        viewer: &Viewer,
        post_id: i64,
        parent_id: Option<i64>,
        body: String,
    ) -> AppResult<i64> {
        nul_free([body.as_str()])?;
        let state = self.state.clone();
        let person = viewer.actor_id;
        let comment = self
            .state
            .db(move |c| {
                comments::create(
                    c,
                    &*state.publisher,
                    &state.instance,
                    post_id,
                    parent_id,
                    person,
                    &body,
                )
            })
            .await?;
        Ok(comment.id)
    }

    async fn edit_comment(&self, viewer: &Viewer, comment_id: i64, body: String) -> AppResult<i64> {
        nul_free([body.as_str()])?;
        let publisher = self.state.publisher.clone();
        let person = viewer.actor_id;
        let comment = self
            .state
            .db(move |c| comments::edit(c, &*publisher, comment_id, person, &body))
            .await?;
        Ok(comment.post_id)
    }

    async fn delete_comment(&self, viewer: &Viewer, comment_id: i64) -> AppResult<i64> {
        let publisher = self.state.publisher.clone();
        let person = viewer.actor_id;
        let post_id = self
            .state
            .db(move |c| {
                let comment = comment_rows::by_id(c, comment_id).map_err(content::not_found)?;
                if comment.deleted {
                    return Err(ContentError::NotFound);
                }
                comments::delete(c, &*publisher, comment_id, person)?;
                Ok(comment.post_id)
            })
            .await?;
        Ok(post_id)
    }

    async fn vote(&self, viewer: &Viewer, target: VoteTarget, value: i16) -> AppResult<i64> {
        let state = self.state.clone();
        let person = viewer.actor_id;
        let post_id = self
            .state
            .db(move |c| {
                let (target, post_id) = match target {
                    VoteTarget::Post(id) => (vote_rows::Target::Post(id), id),
                    VoteTarget::Comment(id) => {
                        let cm = comment_rows::by_id(c, id).map_err(content::not_found)?;
                        (vote_rows::Target::Comment(id), cm.post_id)
                    }
                };
                votes::vote(c, &*state.publisher, &state.instance, person, target, value)?;
                Ok::<_, ContentError>(post_id)
            })
            .await?;
        Ok(post_id)
    }
}

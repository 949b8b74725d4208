//! The UI's community operations: listing, creating and editing communities, joining, leaving
//! and following them, their members and the moderators' queue of applications.

use commonhall_frontend::{
    AppError, AppResult, CommunityInput, CommunitySummary, CommunityView, JoinApplicationView,
    MemberView, Standing, Viewer,
};

use super::checks::{nul_free, require_admin};
use super::read;
use super::views::{membership_view, person_ref, summary};
use crate::domain::communities::follow as follows;
use crate::domain::communities::membership::{self, JoinRequest};
use crate::domain::communities::{self, CommunityError, CommunityForm};
use crate::state::AppState;
use crate::store::communities::{self as community_rows, Community, WithActor};
use crate::store::memberships::{self, Membership};
use crate::store::DbConn;

pub(super) fn require_local(community: &Community) -> Result<(), CommunityError> {
    if community.local {
        Ok(())
    } else {
        Err(CommunityError::Invalid(
            "This community lives on another instance; its settings are changed there.".into(),
        ))
    }
}

pub(super) fn community_texts(input: &CommunityInput) -> [&str; 5] {
    [
        &input.name,
        &input.title,
        &input.description,
        &input.join_policy,
        &input.classes,
    ]
}

pub(super) fn community_form(input: CommunityInput) -> CommunityForm {
    CommunityForm {
        name: input.name,
        title: input.title,
        description: input.description,
        join_policy: input.join_policy,
        classes: input.classes,
    }
}

pub(super) fn resolve(
    conn: &mut DbConn,
    state: &AppState,
    key: &str,
) -> Result<WithActor, CommunityError> {
    read::community_by_key(conn, &state.instance, key)
}

pub(super) async fn communities(app: &AppState) -> AppResult<Vec<CommunitySummary>> {
    let list = app
        .db(|c| {
            let rows = community_rows::list(c, false)?;
            rows.iter()
                .map(|(community, actor)| summary(c, community, actor))
                .collect::<Result<Vec<_>, CommunityError>>()
        })
        .await?;
    Ok(list)
}

pub(super) async fn create_community(
    app: &AppState,
    viewer: &Viewer,
    input: CommunityInput,
) -> AppResult<String> {
    nul_free(community_texts(&input))?;
    require_admin(viewer)?;
    let instance = app.instance.clone();
    let (user_id, actor_id) = (viewer.user_id, viewer.actor_id);
    let form = community_form(input);
    let created = app
        .db(move |c| communities::create(c, &instance, user_id, actor_id, &form))
        .await?;
    Ok(created.name)
}

pub(super) async fn community(
    app: &AppState,
    viewer: Option<&Viewer>,
    key: String,
) -> AppResult<CommunityView> {
    let state = app.clone();
    let person = viewer.map(|v| v.actor_id);
    let view = app
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

pub(super) async fn update_community(
    app: &AppState,
    viewer: &Viewer,
    key: String,
    input: CommunityInput,
) -> AppResult<()> {
    nul_free(community_texts(&input))?;
    let state = app.clone();
    let person = viewer.actor_id;
    let form = community_form(input);
    app.db(move |c| {
        let (community, _) = resolve(c, &state, &key)?;
        require_local(&community)?;
        communities::update(c, &*state.publisher, community.id, person, &form)
    })
    .await?;
    Ok(())
}

pub(super) async fn join_community(
    app: &AppState,
    viewer: &Viewer,
    key: String,
    class: Option<String>,
    application: Option<String>,
) -> AppResult<()> {
    nul_free([
        class.as_deref().unwrap_or_default(),
        application.as_deref().unwrap_or_default(),
    ])?;
    let state = app.clone();
    let person = viewer.actor_id;
    app.db(move |c| {
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

pub(super) async fn leave_community(app: &AppState, viewer: &Viewer, key: String) -> AppResult<()> {
    let state = app.clone();
    let person = viewer.actor_id;
    app.db(move |c| {
        let (community, _) = resolve(c, &state, &key)?;
        membership::leave(c, &*state.publisher, community.id, person)
    })
    .await?;
    Ok(())
}

pub(super) async fn follow_community(
    app: &AppState,
    viewer: &Viewer,
    key: String,
    follow: bool,
) -> AppResult<()> {
    let state = app.clone();
    let person = viewer.actor_id;
    app.db(move |c| {
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

pub(super) async fn members(
    app: &AppState,
    viewer: Option<&Viewer>,
    key: String,
) -> AppResult<Vec<MemberView>> {
    let viewer = viewer.ok_or(AppError::Unauthenticated)?.clone();
    let state = app.clone();
    let list = app
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

pub(super) async fn join_applications(
    app: &AppState,
    viewer: &Viewer,
    key: String,
) -> AppResult<Vec<JoinApplicationView>> {
    let state = app.clone();
    let person = viewer.actor_id;
    let list = app
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

pub(super) async fn decide_membership(
    app: &AppState,
    viewer: &Viewer,
    membership_id: i64,
    approve: bool,
    reason: String,
) -> AppResult<String> {
    nul_free([reason.as_str()])?;
    let state = app.clone();
    let person = viewer.actor_id;
    let key = app
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

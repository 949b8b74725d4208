//! Membership endpoints: join, leave, follow and unfollow a community, its members, and the
//! moderators' queue of applications with their decisions.

use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use super::auth::ApiUser;
use super::communities::{
    membership_out, person_out, ApplicationOut, FollowOut, MemberOut, MembershipOut,
};
use super::error::{nul_free, ApiError, ErrorBody};
use crate::domain::communities::follow as follows;
use crate::domain::communities::membership::{self, JoinRequest};
use crate::domain::communities::{self, CommunityError};
use crate::state::AppState;
use crate::store::{memberships, DbConn};
use crate::web::read;

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JoinBody {
    /// One of the community's classes; its first class when left out.
    pub class: Option<String>,
    /// Why you want to join (read by moderators when joining needs approval).
    pub application: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    pub approve: bool,
    /// Shown to the applicant.
    pub reason: Option<String>,
}

/// Ask to join: open communities admit at once, others leave the membership `pending`.
#[utoipa::path(post, path = "/api/v1/communities/{name}/join", tag = "membership", security(("bearer" = [])),
    params(("name" = String, Path)), request_body = JoinBody,
    responses((status = 200, body = MembershipOut), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
#[post("/communities/{name}/join")]
pub async fn join_community(
    state: web::Data<AppState>,
    user: ApiUser,
    path: web::Path<String>,
    body: web::Json<JoinBody>,
) -> Result<web::Json<MembershipOut>, ApiError> {
    let key = path.into_inner();
    let JoinBody { class, application } = body.into_inner();
    nul_free([
        class.as_deref().unwrap_or_default(),
        application.as_deref().unwrap_or_default(),
    ])?;
    let person = user.live.actor.id;
    let st = state.clone();
    let out = state
        .db(move |c| {
            let (community, actor) = read::community_by_key(c, &st.instance, &key)?;
            let req = JoinRequest {
                class,
                application,
                activity_id: None,
            };
            let m = membership::request_join(c, &*st.publisher, community.id, person, &req)?;
            Ok::<_, CommunityError>(membership_out(&m, &read::community_key(&community, &actor)))
        })
        .await?;
    Ok(web::Json(out))
}

/// Runs `act` with the id of the community `key` names (here or elsewhere).
async fn on_community<T, F>(state: &AppState, key: String, act: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConn, &AppState, i64) -> Result<T, CommunityError> + Send + 'static,
{
    let st = state.clone();
    Ok(state
        .db(move |c| {
            let (community, _) = read::community_by_key(c, &st.instance, &key)?;
            act(c, &st, community.id)
        })
        .await?)
}

/// Leave (or withdraw a pending application).
#[utoipa::path(post, path = "/api/v1/communities/{name}/leave", tag = "membership", security(("bearer" = [])),
    params(("name" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[post("/communities/{name}/leave")]
pub async fn leave_community(
    state: web::Data<AppState>,
    user: ApiUser,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    on_community(&state, path.into_inner(), move |c, st, community| {
        membership::leave(c, &*st.publisher, community, user.live.actor.id)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Follow: the community's posts appear in your `mine` feed.
#[utoipa::path(post, path = "/api/v1/communities/{name}/follow", tag = "membership", security(("bearer" = [])),
    params(("name" = String, Path)),
    responses((status = 200, body = FollowOut), (status = 404, body = ErrorBody)))]
#[post("/communities/{name}/follow")]
pub async fn follow_community(
    state: web::Data<AppState>,
    user: ApiUser,
    path: web::Path<String>,
) -> Result<web::Json<FollowOut>, ApiError> {
    let f = on_community(&state, path.into_inner(), move |c, st, community| {
        follows::follow(c, &*st.publisher, community, user.live.actor.id)
    })
    .await?;
    Ok(web::Json(FollowOut { status: f.status }))
}

#[utoipa::path(post, path = "/api/v1/communities/{name}/unfollow", tag = "membership", security(("bearer" = [])),
    params(("name" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
#[post("/communities/{name}/unfollow")]
pub async fn unfollow_community(
    state: web::Data<AppState>,
    user: ApiUser,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    on_community(&state, path.into_inner(), move |c, st, community| {
        follows::unfollow(c, &*st.publisher, community, user.live.actor.id)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Active members with class and role (visible to members and instance admins).
#[utoipa::path(get, path = "/api/v1/communities/{name}/members", tag = "membership", security(("bearer" = [])),
    params(("name" = String, Path)),
    responses((status = 200, body = [MemberOut]), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/communities/{name}/members")]
pub async fn list_members(
    state: web::Data<AppState>,
    user: ApiUser,
    path: web::Path<String>,
) -> Result<web::Json<Vec<MemberOut>>, ApiError> {
    let key = path.into_inner();
    let person = user.live.actor.id;
    let admin = user.live.user.is_admin;
    let st = state.clone();
    let list = state
        .db(move |c| {
            let (community, _) = read::community_by_key(c, &st.instance, &key)?;
            if !admin {
                membership::require_member(c, community.id, person)?;
            }
            Ok::<_, CommunityError>(
                memberships::list(c, community.id, "active")?
                    .into_iter()
                    .map(|(m, a)| MemberOut {
                        person: person_out(&a),
                        class: m.class.clone(),
                        role: m.role.clone(),
                        since: m.active_since.unwrap_or(m.created_at),
                    })
                    .collect::<Vec<_>>(),
            )
        })
        .await?;
    Ok(web::Json(list))
}

/// Applications waiting for a decision (the community's moderators).
#[utoipa::path(get, path = "/api/v1/communities/{name}/applications", tag = "membership", security(("bearer" = [])),
    params(("name" = String, Path)),
    responses((status = 200, body = [ApplicationOut]), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
#[get("/communities/{name}/applications")]
pub async fn list_applications(
    state: web::Data<AppState>,
    user: ApiUser,
    path: web::Path<String>,
) -> Result<web::Json<Vec<ApplicationOut>>, ApiError> {
    let key = path.into_inner();
    let person = user.live.actor.id;
    let st = state.clone();
    let list = state
        .db(move |c| {
            let (community, _) = read::community_by_key(c, &st.instance, &key)?;
            membership::require_moderator(c, &community, person)?;
            Ok::<_, CommunityError>(
                memberships::list(c, community.id, "pending")?
                    .into_iter()
                    .map(|(m, a)| ApplicationOut {
                        membership_id: m.id,
                        person: person_out(&a),
                        class: m.class.clone(),
                        application: m.application.clone(),
                        applied_at: m.created_at,
                    })
                    .collect::<Vec<_>>(),
            )
        })
        .await?;
    Ok(web::Json(list))
}

/// Approve or refuse a pending application (the community's moderators).
#[utoipa::path(post, path = "/api/v1/memberships/{id}/decision", tag = "membership", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = DecisionBody,
    responses((status = 200, body = MembershipOut), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[post("/memberships/{id}/decision")]
pub async fn decide_membership(
    state: web::Data<AppState>,
    user: ApiUser,
    path: web::Path<i64>,
    body: web::Json<DecisionBody>,
) -> Result<web::Json<MembershipOut>, ApiError> {
    let id = path.into_inner();
    let DecisionBody { approve, reason } = body.into_inner();
    nul_free([reason.as_deref().unwrap_or_default()])?;
    let person = user.live.actor.id;
    let st = state.clone();
    let out = state
        .db(move |c| {
            let m = membership::decide(c, &*st.publisher, id, person, approve, reason.as_deref())?;
            let (community, actor) = communities::get(c, m.community_id)?;
            Ok::<_, CommunityError>(membership_out(&m, &read::community_key(&community, &actor)))
        })
        .await?;
    Ok(web::Json(out))
}

//! Community endpoints: list, create (admins), read and edit (moderators); what a community
//! looks like to API clients.

use actix_web::{get, patch, post, web, HttpResponse};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::{ApiUser, MaybeApiUser};
use super::error::{nul_free, ApiError, ErrorBody};
use crate::domain::communities::{self, CommunityError, CommunityForm};
use crate::state::AppState;
use crate::store::actors::Actor;
use crate::store::communities::{self as community_rows, Community};
use crate::store::memberships::Membership;
use crate::store::DbConn;
use crate::web::read;

#[derive(Debug, Serialize, ToSchema)]
pub struct CommunityOut {
    /// Use in URLs: `name` for communities of this instance, `name@host` for others known here.
    pub key: String,
    pub name: String,
    pub host: String,
    pub local: bool,
    /// `@name@host`.
    pub handle: String,
    /// The community's ActivityPub id.
    pub actor_id: String,
    pub title: String,
    pub description_markdown: String,
    pub description_html: String,
    /// `open`, `approval` or `invite`.
    pub join_policy: String,
    /// Stakeholder classes; the first is the default.
    pub classes: Vec<String>,
    pub members: i64,
    pub followers: i64,
    /// Proposals taking votes now; for a community on another instance, as far as its
    /// proposals have reached this one.
    pub open_proposals: i64,
    pub created_at: NaiveDateTime,
    /// The caller's standing (present when a bearer token was sent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub you: Option<StandingOut>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StandingOut {
    pub membership: Option<MembershipOut>,
    /// `accepted` or `pending`; null when not following.
    pub following: Option<String>,
    pub is_moderator: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MembershipOut {
    pub id: i64,
    /// The community's key.
    pub community: String,
    /// `active`, `pending`, `refused`, `left` or `removed`.
    pub status: String,
    pub class: String,
    /// `member`, `moderator` or `owner`.
    pub role: String,
    pub application: Option<String>,
    /// The moderators' reason, when refused.
    pub reason: Option<String>,
    pub created_at: NaiveDateTime,
    pub active_since: Option<NaiveDateTime>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PersonOut {
    /// `@name@host`.
    pub handle: String,
    pub name: String,
    pub actor_id: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MemberOut {
    pub person: PersonOut,
    pub class: String,
    pub role: String,
    pub since: NaiveDateTime,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationOut {
    pub membership_id: i64,
    pub person: PersonOut,
    pub class: String,
    pub application: Option<String>,
    pub applied_at: NaiveDateTime,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FollowOut {
    /// `accepted`, or `pending` while a remote community answers.
    pub status: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCommunity {
    /// 2–30 lower-case letters, digits or `_`, starting with a letter.
    pub name: String,
    pub title: String,
    /// Markdown.
    #[serde(default)]
    pub description: String,
    /// `open` (default), `approval` or `invite`.
    #[serde(default = "default_policy")]
    pub join_policy: String,
    /// Stakeholder classes, e.g. `["worker", "user"]`; default `["member"]`.
    #[serde(default)]
    pub classes: Vec<String>,
}

fn default_policy() -> String {
    "open".into()
}

/// Only the fields sent change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommunityPatch {
    pub title: Option<String>,
    pub description: Option<String>,
    pub join_policy: Option<String>,
    pub classes: Option<Vec<String>>,
}

pub fn person_out(actor: &Actor) -> PersonOut {
    PersonOut {
        handle: read::person_handle(actor),
        name: read::person_name(actor),
        actor_id: actor.ap_id.clone(),
    }
}

pub(super) fn membership_out(m: &Membership, key: &str) -> MembershipOut {
    MembershipOut {
        id: m.id,
        community: key.to_string(),
        status: m.status.clone(),
        class: m.class.clone(),
        role: m.role.clone(),
        application: m.application.clone(),
        reason: m.decision_reason.clone(),
        created_at: m.created_at,
        active_since: m.active_since,
    }
}

pub(super) fn community_out(
    conn: &mut DbConn,
    community: &Community,
    actor: &Actor,
    person: Option<i64>,
) -> Result<CommunityOut, CommunityError> {
    let counts = read::counts(conn, community.id)?;
    let key = read::community_key(community, actor);
    let you = match person {
        None => None,
        Some(p) => {
            let (m, f) = read::standing(conn, community.id, p)?;
            Some(StandingOut {
                is_moderator: m.as_ref().is_some_and(Membership::is_moderator),
                membership: m.as_ref().map(|m| membership_out(m, &key)),
                following: f.map(|f| f.status),
            })
        }
    };
    Ok(CommunityOut {
        name: community.name.clone(),
        host: actor.domain.clone(),
        local: community.local,
        handle: read::community_handle(community, actor),
        actor_id: actor.ap_id.clone(),
        title: community.title.clone(),
        description_markdown: community.description_markdown.clone(),
        description_html: community.description_html.clone(),
        join_policy: community.join_policy.clone(),
        classes: community.classes(),
        members: counts.members,
        followers: counts.followers,
        open_proposals: counts.open_proposals,
        created_at: community.created_at,
        you,
        key,
    })
}

/// The domain parses classes from comma-separated text; an array entry may
/// not smuggle in a separator.
fn classes_text(classes: &[String]) -> Result<String, ApiError> {
    if classes.iter().any(|c| c.contains([',', '\n'])) {
        return Err(ApiError::Invalid(
            "A class name may not contain a comma or a line break.".into(),
        ));
    }
    Ok(classes.join(", "))
}

/// Every community known here, local first.
#[utoipa::path(get, path = "/api/v1/communities", tag = "communities",
    responses((status = 200, body = [CommunityOut])))]
#[get("/communities")]
pub async fn list_communities(
    state: web::Data<AppState>,
    user: MaybeApiUser,
) -> Result<web::Json<Vec<CommunityOut>>, ApiError> {
    let person = user.actor_id();
    let list = state
        .db(move |c| {
            community_rows::list(c, false)?
                .iter()
                .map(|(community, actor)| community_out(c, community, actor, person))
                .collect::<Result<Vec<_>, CommunityError>>()
        })
        .await?;
    Ok(web::Json(list))
}

/// Create a community (instance admins only); the creator becomes its owner.
#[utoipa::path(post, path = "/api/v1/communities", tag = "communities", security(("bearer" = [])),
    request_body = NewCommunity,
    responses((status = 201, body = CommunityOut), (status = 403, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/communities")]
pub async fn create_community(
    state: web::Data<AppState>,
    user: ApiUser,
    body: web::Json<NewCommunity>,
) -> Result<HttpResponse, ApiError> {
    if !user.live.user.is_admin {
        return Err(ApiError::Forbidden);
    }
    let body = body.into_inner();
    nul_free([
        body.name.as_str(),
        &body.title,
        &body.description,
        &body.join_policy,
    ])?;
    nul_free(body.classes.iter().map(String::as_str))?;
    let form = CommunityForm {
        name: body.name,
        title: body.title,
        description: body.description,
        join_policy: body.join_policy,
        classes: classes_text(&body.classes)?,
    };
    let instance = state.instance.clone();
    let (user_id, person) = (user.live.user.id, user.live.actor.id);
    let out = state
        .db(move |c| {
            let created = communities::create(c, &instance, user_id, person, &form)?;
            let (community, actor) = communities::get(c, created.id)?;
            community_out(c, &community, &actor, Some(person))
        })
        .await?;
    Ok(HttpResponse::Created().json(out))
}

/// One community, by key (`name` or `name@host`).
#[utoipa::path(get, path = "/api/v1/communities/{name}", tag = "communities",
    params(("name" = String, Path, description = "`name` or `name@host`")),
    responses((status = 200, body = CommunityOut), (status = 404, body = ErrorBody)))]
#[get("/communities/{name}")]
pub async fn get_community(
    state: web::Data<AppState>,
    user: MaybeApiUser,
    path: web::Path<String>,
) -> Result<web::Json<CommunityOut>, ApiError> {
    let key = path.into_inner();
    let person = user.actor_id();
    let st = state.clone();
    let out = state
        .db(move |c| {
            let (community, actor) = read::community_by_key(c, &st.instance, &key)?;
            community_out(c, &community, &actor, person)
        })
        .await?;
    Ok(web::Json(out))
}

/// Change a community's settings (its moderators; communities of this instance only).
#[utoipa::path(patch, path = "/api/v1/communities/{name}", tag = "communities", security(("bearer" = [])),
    params(("name" = String, Path)), request_body = CommunityPatch,
    responses((status = 200, body = CommunityOut), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[patch("/communities/{name}")]
pub async fn update_community(
    state: web::Data<AppState>,
    user: ApiUser,
    path: web::Path<String>,
    body: web::Json<CommunityPatch>,
) -> Result<web::Json<CommunityOut>, ApiError> {
    let key = path.into_inner();
    let patch = body.into_inner();
    let classes = patch.classes.as_deref().map(classes_text).transpose()?;
    nul_free([
        patch.title.as_deref().unwrap_or_default(),
        patch.description.as_deref().unwrap_or_default(),
        patch.join_policy.as_deref().unwrap_or_default(),
        classes.as_deref().unwrap_or_default(),
    ])?;
    let person = user.live.actor.id;
    let st = state.clone();
    let out = state
        .db(move |c| {
            let (community, actor) = read::community_by_key(c, &st.instance, &key)?;
            if !community.local {
                return Err(ApiError::Invalid(
                    "This community lives on another instance; its settings are changed there."
                        .into(),
                ));
            }
            let form = CommunityForm {
                name: community.name.clone(),
                title: patch.title.unwrap_or_else(|| community.title.clone()),
                description: patch
                    .description
                    .unwrap_or_else(|| community.description_markdown.clone()),
                join_policy: patch
                    .join_policy
                    .unwrap_or_else(|| community.join_policy.clone()),
                classes: classes.unwrap_or_else(|| community.classes().join(", ")),
            };
            communities::update(c, &*st.publisher, community.id, person, &form)?;
            let (community, _) = communities::get(c, community.id)?;
            Ok(community_out(c, &community, &actor, Some(person))?)
        })
        .await?;
    Ok(web::Json(out))
}

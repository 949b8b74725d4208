//! Federation operations: finding a community on another instance, and the admin's instance policy and network.

use activitypub_federation::config::Data;
use actix_web::{get, post, put, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::ApiUser;
use super::error::{ApiError, ErrorBody};
use crate::federation::error::FedError;
use crate::federation::{network, resolve};
use crate::state::AppState;
use crate::store::{communities, instances, StoreError};
use crate::web::read::community_key;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResolveRequest {
    /// `name@host`, `!name@host` or the community's URL.
    pub query: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Resolved {
    /// Use in `/api/v1/communities/{key}`.
    pub key: String,
    pub title: String,
    pub actor_id: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InstanceOut {
    pub host: String,
    /// `none`, `allow` or `block`.
    pub policy: String,
    pub followed: bool,
    /// Consecutive delivery failures, and whether delivery is parked.
    pub fail_count: i32,
    pub parked: bool,
    pub last_error: Option<String>,
    pub next_attempt_at: Option<chrono::NaiveDateTime>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InstancePolicy {
    /// `none`, `allow` or `block`.
    pub policy: Option<String>,
    /// Follow the instance as a whole: its communities become known here.
    pub followed: Option<bool>,
}

/// Federation failures as API errors: a peer's fault or refusal is a 4xx.
fn fed_error(e: FedError) -> ApiError {
    match e {
        FedError::NotFound => ApiError::NotFound("No such community was found.".into()),
        FedError::Store(s) => ApiError::Store(s),
        FedError::Database(d) => ApiError::Store(StoreError::Query(d)),
        other => ApiError::BadRequest(format!("Could not reach or read that community: {other}")),
    }
}

fn require_admin(user: &ApiUser) -> Result<(), ApiError> {
    if user.live.user.is_admin {
        Ok(())
    } else {
        Err(ApiError::Forbidden)
    }
}

/// Find a community on another instance (fetching it) and make it known here.
#[utoipa::path(post, path = "/api/v1/resolve", tag = "federation", security(("bearer" = [])),
    request_body = ResolveRequest,
    responses((status = 200, body = Resolved), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[post("/resolve")]
pub async fn resolve_community(
    _user: ApiUser,
    data: Data<AppState>,
    body: web::Json<ResolveRequest>,
) -> Result<web::Json<Resolved>, ApiError> {
    let id = resolve::community(&body.query, &data)
        .await
        .map_err(fed_error)?;
    let (community, actor) = data
        .db(move |c| Ok::<_, StoreError>(communities::by_id(c, id)?))
        .await?;
    Ok(web::Json(Resolved {
        key: community_key(&community, &actor),
        title: community.title,
        actor_id: actor.ap_id,
    }))
}

fn instance_out(i: instances::Instance) -> InstanceOut {
    InstanceOut {
        host: i.host,
        policy: i.policy,
        followed: i.followed,
        fail_count: i.fail_count,
        parked: i.parked,
        last_error: i.last_error,
        next_attempt_at: i.next_attempt_at,
    }
}

/// Every instance this one knows, with its policy and delivery health (admins).
#[utoipa::path(get, path = "/api/v1/federation/instances", tag = "federation", security(("bearer" = [])),
    responses((status = 200, body = [InstanceOut]), (status = 403, body = ErrorBody)))]
#[get("/federation/instances")]
pub async fn list_instances(
    user: ApiUser,
    data: Data<AppState>,
) -> Result<web::Json<Vec<InstanceOut>>, ApiError> {
    require_admin(&user)?;
    let all = data.db(|c| Ok::<_, StoreError>(instances::all(c)?)).await?;
    Ok(web::Json(all.into_iter().map(instance_out).collect()))
}

/// Allow or block an instance, or follow it as a whole (admins).
#[utoipa::path(put, path = "/api/v1/federation/instances/{host}", tag = "federation", security(("bearer" = [])),
    params(("host" = String, Path)), request_body = InstancePolicy,
    responses((status = 200, body = InstanceOut), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[put("/federation/instances/{host}")]
pub async fn set_instance(
    user: ApiUser,
    data: Data<AppState>,
    host: web::Path<String>,
    body: web::Json<InstancePolicy>,
) -> Result<web::Json<InstanceOut>, ApiError> {
    require_admin(&user)?;
    let host = host.into_inner().trim().to_lowercase();
    if host.is_empty()
        || host.len() > 255
        || host.contains(['/', ' ', '@'])
        || host == data.settings.hostname
    {
        return Err(ApiError::Invalid(
            "Give another instance's host[:port].".into(),
        ));
    }
    let InstancePolicy { policy, followed } = body.into_inner();
    if let Some(p) = policy {
        if !matches!(p.as_str(), "none" | "allow" | "block") {
            return Err(ApiError::Invalid("policy is none, allow or block".into()));
        }
        let h = host.clone();
        data.db(move |c| Ok::<_, StoreError>(instances::set_policy(c, &h, &p)?))
            .await?;
    }
    match followed {
        Some(true) => {
            network::follow_instance(&host, &data)
                .await
                .map_err(fed_error)?;
        }
        Some(false) => network::unfollow_instance(&host, &data)
            .await
            .map_err(fed_error)?,
        None => {}
    }
    let row = data
        .db(move |c| Ok::<_, StoreError>(instances::ensure(c, &host)?))
        .await?;
    Ok(web::Json(instance_out(row)))
}

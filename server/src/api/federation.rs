//! Federation operations: finding a community on another instance, and the admin's instance policy and network.

use activitypub_federation::config::Data;
use actix_web::{get, post, put, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::{ApiUser, MaybeApiUser};
use super::communities::{community_out, CommunityOut};
use super::error::{ApiError, ErrorBody};
use crate::domain::communities::CommunityError;
use crate::federation::error::{Explained, FedError};
use crate::federation::policy::{self, Policy};
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
    /// What the instance runs, when known.
    pub software: Option<String>,
    /// The last delivery to it or fetch from it that succeeded.
    pub last_contact_at: Option<chrono::NaiveDateTime>,
    /// `healthy`, `backing_off` or `parked`.
    pub delivery: String,
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
pub(super) fn fed_error(e: FedError) -> ApiError {
    match e.explain() {
        Explained::NotFound(m) => ApiError::NotFound(m),
        Explained::Refused(m) => ApiError::BadRequest(m),
        Explained::Ours => match e {
            FedError::Store(s) => ApiError::Store(s),
            FedError::Database(d) => ApiError::Store(StoreError::Query(d)),
            other => ApiError::Store(StoreError::Task(other.to_string())),
        },
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
        delivery: i.delivery_state().as_str().to_string(),
        software: i.software.clone(),
        last_contact_at: i.last_contact_at,
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
    let host =
        policy::normalise_host(&host, &data.settings.hostname).map_err(|e| match e.explain() {
            Explained::NotFound(m) | Explained::Refused(m) => ApiError::Invalid(m),
            Explained::Ours => fed_error(e),
        })?;
    let InstancePolicy { policy, followed } = body.into_inner();
    let policy = policy
        .map(|p| Policy::parse(&p))
        .transpose()
        .map_err(|_| ApiError::Invalid("policy is none, allow or block".into()))?;
    if let Some(p) = policy {
        policy::set_policy(&data, &host, p)
            .await
            .map_err(fed_error)?;
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

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FederationSettings {
    /// Federate only with instances whose policy is `allow`.
    pub allowlist_only: bool,
}

/// Instance-wide federation settings (admins).
#[utoipa::path(get, path = "/api/v1/federation/settings", tag = "federation", security(("bearer" = [])),
    responses((status = 200, body = FederationSettings), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
#[get("/federation/settings")]
pub async fn get_settings(
    user: ApiUser,
    data: Data<AppState>,
) -> Result<web::Json<FederationSettings>, ApiError> {
    require_admin(&user)?;
    Ok(web::Json(FederationSettings {
        allowlist_only: data.allowlist_only(),
    }))
}

/// Change the instance-wide federation settings (admins); applies at once.
#[utoipa::path(put, path = "/api/v1/federation/settings", tag = "federation", security(("bearer" = [])),
    request_body = FederationSettings,
    responses((status = 200, body = FederationSettings), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
#[put("/federation/settings")]
pub async fn set_settings(
    user: ApiUser,
    data: Data<AppState>,
    body: web::Json<FederationSettings>,
) -> Result<web::Json<FederationSettings>, ApiError> {
    require_admin(&user)?;
    policy::set_allowlist_only(&data, body.allowlist_only).await?;
    Ok(web::Json(FederationSettings {
        allowlist_only: data.allowlist_only(),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NetworkInstance {
    pub host: String,
    pub communities: Vec<CommunityOut>,
}

/// The communities of the co-op instances this one follows, by instance (anyone).
#[utoipa::path(get, path = "/api/v1/network", tag = "federation",
    responses((status = 200, body = [NetworkInstance])))]
#[get("/network")]
pub async fn get_network(
    user: MaybeApiUser,
    data: Data<AppState>,
) -> Result<web::Json<Vec<NetworkInstance>>, ApiError> {
    let person = user.actor_id();
    let groups = data
        .db(move |c| {
            let mut out = Vec::new();
            for (host, list) in network::communities(c)? {
                let communities = list
                    .iter()
                    .map(|(community, actor)| community_out(c, community, actor, person))
                    .collect::<Result<Vec<_>, CommunityError>>()?;
                out.push(NetworkInstance { host, communities });
            }
            Ok::<_, ApiError>(out)
        })
        .await?;
    Ok(web::Json(groups))
}

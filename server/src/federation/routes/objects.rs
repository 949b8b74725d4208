//! ActivityPub documents of our actors and collections, served on the same URLs as their web pages.

use activitypub_federation::config::Data;
use activitypub_federation::protocol::context::WithContext;
use activitypub_federation::traits::Object;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;

use crate::federation::config::{host_allowed, host_of};
use crate::federation::error::FedError;
use crate::federation::inbox::signature;
use crate::federation::objects::actor::ApubActor;
use crate::federation::objects::content;
use crate::federation::protocol::context;
use crate::state::AppState;
use crate::store::{actors, communities, follows, memberships, users, StoreError};

pub const ACTIVITY_JSON: &str = "application/activity+json; charset=utf-8";

/// A JSON-LD document with our `@context`.
pub fn activity_json<T: Serialize>(doc: T) -> Result<HttpResponse, FedError> {
    let body = WithContext::new(doc, context::context());
    Ok(HttpResponse::Ok()
        .content_type(ACTIVITY_JSON)
        .insert_header(("Vary", "Accept"))
        .json(body))
}

async fn actor_response(
    data: &Data<AppState>,
    actor: Option<crate::store::actors::Actor>,
) -> Result<HttpResponse, FedError> {
    let actor = ApubActor::try_from(actor.ok_or(FedError::NotFound)?)?;
    let doc = actor.into_json(data).await?;
    activity_json(doc)
}

pub async fn person(
    data: Data<AppState>,
    name: web::Path<String>,
) -> Result<HttpResponse, FedError> {
    let name = name.into_inner();
    let actor = data
        .db(move |c| {
            Ok::<_, StoreError>(
                users::by_username(c, &name)?
                    .filter(|(u, _)| u.status == "active")
                    .map(|(_, a)| a),
            )
        })
        .await?;
    actor_response(&data, actor).await
}

pub async fn group(
    data: Data<AppState>,
    name: web::Path<String>,
) -> Result<HttpResponse, FedError> {
    let name = name.into_inner();
    let actor = data
        .db(move |c| Ok::<_, StoreError>(communities::local_by_name(c, &name)?.map(|(_, a)| a)))
        .await?;
    actor_response(&data, actor).await
}

pub async fn instance(data: Data<AppState>) -> Result<HttpResponse, FedError> {
    let id = crate::federation::instance_actor::id(&data);
    let actor = data
        .db(move |c| Ok::<_, StoreError>(actors::by_ap_id(c, &id)?))
        .await?;
    actor_response(&data, actor).await
}

/// A collection that only says how many items it has.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CountCollection {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    total_items: i64,
}

/// Followers of a community, as a count (Lemmy does the same).
pub async fn group_followers(
    data: Data<AppState>,
    name: web::Path<String>,
) -> Result<HttpResponse, FedError> {
    let name = name.into_inner();
    let (ap_id, total) = data
        .db(move |c| {
            let (community, actor) = communities::local_by_name(c, &name)?
                .ok_or(StoreError::Query(diesel::result::Error::NotFound))?;
            Ok::<_, StoreError>((actor.ap_id, follows::count(c, community.id)?))
        })
        .await
        .map_err(not_found)?;
    activity_json(CountCollection {
        id: format!("{ap_id}/followers"),
        kind: "Collection",
        total_items: total,
    })
}

/// Members of a community: the count to everyone; to one of its active members, asking with a
/// signed fetch, also who they are (oldest membership first). A bad signature is refused.
pub async fn group_members(
    req: HttpRequest,
    data: Data<AppState>,
    name: web::Path<String>,
) -> Result<HttpResponse, FedError> {
    let signer = signed_by(&req, &data).await?;
    let name = name.into_inner();
    let (ap_id, total, listed) = data
        .db(move |c| {
            let (community, actor) = communities::local_by_name(c, &name)?
                .ok_or(StoreError::Query(diesel::result::Error::NotFound))?;
            let total = memberships::count_active(c, community.id)?;
            let is_member = match signer {
                Some(person) => {
                    memberships::find(c, community.id, person)?.is_some_and(|m| m.is_active())
                }
                None => false,
            };
            let listed = if is_member {
                let members = memberships::list(c, community.id, "active")?;
                Some(
                    members
                        .into_iter()
                        .map(|(_, a)| a.ap_id)
                        .collect::<Vec<_>>(),
                )
            } else {
                None
            };
            Ok::<_, StoreError>((actor.ap_id, total, listed))
        })
        .await
        .map_err(not_found)?;
    let id = format!("{ap_id}/members");
    match listed {
        None => activity_json(CountCollection {
            id,
            kind: "Collection",
            total_items: total,
        }),
        Some(ids) => {
            let mut response = activity_json(OrderedList {
                id,
                kind: "OrderedCollection",
                total_items: ids.len(),
                ordered_items: ids,
            })?;
            // For this member's eyes: no shared cache may keep it.
            response.headers_mut().insert(
                actix_web::http::header::CACHE_CONTROL,
                actix_web::http::header::HeaderValue::from_static("private, no-store"),
            );
            Ok(response)
        }
    }
}

/// The actor row id of who signed a GET, when it is signed; checked as the inbox checks a POST
/// (date window, the empty body's digest, the signer's instance allowed, the signature with the
/// signer's cached key). `None` for an unsigned request.
async fn signed_by(req: &HttpRequest, data: &Data<AppState>) -> Result<Option<i64>, FedError> {
    if !req.headers().contains_key("signature") {
        return Ok(None);
    }
    let prepared = signature::prepare(req, b"", &data.settings.hostname)?;
    let host =
        host_of(&prepared.actor).ok_or_else(|| FedError::Refused("signer has no host".into()))?;
    if !host_allowed(&data.pool, &data.policies, &host, data.allowlist_only()).await? {
        return Err(FedError::Blocked(host));
    }
    let signer = signature::verified_signer(&prepared, data).await?;
    Ok(Some(signer.row.id))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OrderedList {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    total_items: usize,
    ordered_items: Vec<String>,
}

/// The moderators of a community (Lemmy reads `attributedTo` from here).
pub async fn group_moderators(
    data: Data<AppState>,
    name: web::Path<String>,
) -> Result<HttpResponse, FedError> {
    let name = name.into_inner();
    let (ap_id, mods) = data
        .db(move |c| {
            let (community, actor) = communities::local_by_name(c, &name)?
                .ok_or(StoreError::Query(diesel::result::Error::NotFound))?;
            let mods: Vec<String> = memberships::list(c, community.id, "active")?
                .into_iter()
                .filter(|(m, _)| m.is_moderator())
                .map(|(_, a)| a.ap_id)
                .collect();
            Ok::<_, StoreError>((actor.ap_id, mods))
        })
        .await
        .map_err(not_found)?;
    activity_json(OrderedList {
        id: format!("{ap_id}/moderators"),
        kind: "OrderedCollection",
        total_items: mods.len(),
        ordered_items: mods,
    })
}

fn not_found(e: StoreError) -> FedError {
    match e {
        StoreError::Query(diesel::result::Error::NotFound) => FedError::NotFound,
        other => other.into(),
    }
}

/// A deleted object's remains.
fn tombstone(id: &str) -> Result<HttpResponse, FedError> {
    let body = WithContext::new(
        serde_json::json!({ "id": id, "type": "Tombstone" }),
        context::context(),
    );
    Ok(HttpResponse::Gone().content_type(ACTIVITY_JSON).json(body))
}

/// `/post/{id}` as a `Page` (local posts only; others live on their own servers).
pub async fn post(data: Data<AppState>, id: web::Path<i64>) -> Result<HttpResponse, FedError> {
    let id = id.into_inner();
    let ctx = data
        .db(move |c| match content::post_context(c, id) {
            Ok(ctx) if ctx.post.local => Ok(Some(ctx)),
            Ok(_) | Err(content::DocumentError::Database(diesel::result::Error::NotFound)) => {
                Ok(None)
            }
            Err(e) => Err(FedError::Domain(e.to_string())),
        })
        .await?
        .ok_or(FedError::NotFound)?;
    if ctx.post.deleted {
        return tombstone(&ctx.post.ap_id);
    }
    activity_json(content::page(&ctx).map_err(|e| FedError::Domain(e.to_string()))?)
}

/// `/comment/{id}` as a `Note`.
pub async fn comment(data: Data<AppState>, id: web::Path<i64>) -> Result<HttpResponse, FedError> {
    let id = id.into_inner();
    let ctx = data
        .db(move |c| match content::comment_context(c, id) {
            Ok(ctx) if ctx.comment.local => Ok(Some(ctx)),
            Ok(_) | Err(content::DocumentError::Database(diesel::result::Error::NotFound)) => {
                Ok(None)
            }
            Err(e) => Err(FedError::Domain(e.to_string())),
        })
        .await?
        .ok_or(FedError::NotFound)?;
    if ctx.comment.deleted {
        return tombstone(&ctx.comment.ap_id);
    }
    activity_json(content::note(&ctx).map_err(|e| FedError::Domain(e.to_string()))?)
}

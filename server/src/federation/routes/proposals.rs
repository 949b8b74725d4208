//! A local community's proposal as its `Question` document, at the proposal's id, the short
//! `Page` announcing it (for Lemmy) at `<proposal id>/page`, and the counted receipts of its
//! close at `<proposal id>/receipts`.

use activitypub_federation::config::Data;
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};

use crate::domain::governance::{proposals, GovernanceError, Proposal};
use crate::federation::error::FedError;
use crate::federation::objects::{notice, question};
use crate::federation::receipts;
use crate::federation::routes::objects::activity_json;
use crate::federation::routes::wants_activity_json;
use crate::state::AppState;
use crate::store::{communities, DbConn};

/// Proposal `id` of the local community `name` (another community's, or a remote one's copy,
/// is not found here), with its community's actor id.
fn local_proposal(
    c: &mut DbConn,
    name: &str,
    id: i64,
) -> Result<Option<(Proposal, String)>, FedError> {
    let Some((community, actor)) = communities::local_by_name(c, name)? else {
        return Ok(None);
    };
    let p = match proposals::get(c, id) {
        Ok(p) => p,
        Err(GovernanceError::NotFound) => return Ok(None),
        Err(e) => return Err(FedError::from(e)),
    };
    if !p.local || p.community_id != community.id {
        return Ok(None);
    }
    Ok(Some((p, actor.ap_id)))
}

/// `/c/{name}/proposals/{id}`: proposals of a local community only.
pub async fn proposal(
    data: Data<AppState>,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, FedError> {
    let (name, id) = path.into_inner();
    let doc = data
        .db(move |c| -> Result<_, FedError> {
            match local_proposal(c, &name, id)? {
                Some((p, _)) => Ok(Some(question::document(c, p.id)?)),
                None => Ok(None),
            }
        })
        .await?
        .ok_or(FedError::NotFound)?;
    activity_json(doc)
}

/// `/c/{name}/proposals/{id}/page`: the announced `Page` as it stands now for ActivityPub
/// clients; browsers are sent to the proposal's page (303).
pub async fn notice(
    data: Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, FedError> {
    let (name, id) = path.into_inner();
    let json = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(wants_activity_json);
    let page_of = name.clone();
    let page = data
        .db(move |c| -> Result<_, FedError> {
            match local_proposal(c, &page_of, id)? {
                Some((p, community)) => Ok(Some(notice::page(&p, &community)?)),
                None => Ok(None),
            }
        })
        .await?
        .ok_or(FedError::NotFound)?;
    if json {
        return activity_json(page);
    }
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, format!("/c/{name}/proposals/{id}")))
        .insert_header(("Vary", "Accept"))
        .finish())
}

/// Which page of the counted receipts: none for the collection itself.
#[derive(serde::Deserialize)]
pub struct ReceiptsPage {
    page: Option<i64>,
}

/// `/c/{name}/proposals/{id}/receipts[?page=N]`: the hashes of the receipts a closed proposal's
/// count took in, in pages (anyone may read them: a hash tells nothing about its voter).
pub async fn receipts_list(
    data: Data<AppState>,
    path: web::Path<(String, i64)>,
    query: web::Query<ReceiptsPage>,
) -> Result<HttpResponse, FedError> {
    let (name, id) = path.into_inner();
    let page = query.into_inner().page;
    let doc = data
        .db(move |c| -> Result<_, FedError> {
            match local_proposal(c, &name, id)? {
                Some((p, _)) => receipts::document(c, &p, page),
                None => Ok(None),
            }
        })
        .await?
        .ok_or(FedError::NotFound)?;
    activity_json(doc)
}

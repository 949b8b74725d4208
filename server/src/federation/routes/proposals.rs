//! A local community's proposal as its `Question` document, at the proposal's id.

use activitypub_federation::config::Data;
use actix_web::{web, HttpResponse};

use crate::domain::governance::{proposals, GovernanceError};
use crate::federation::error::FedError;
use crate::federation::objects::question;
use crate::federation::routes::objects::activity_json;
use crate::state::AppState;
use crate::store::communities;

/// `/c/{name}/proposals/{id}`: proposals of a local community only.
pub async fn proposal(
    data: Data<AppState>,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, FedError> {
    let (name, id) = path.into_inner();
    let doc = data
        .db(move |c| {
            let Some((community, _)) = communities::local_by_name(c, &name)? else {
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
            Ok(Some(question::document(c, p.id)?))
        })
        .await?
        .ok_or(FedError::NotFound)?;
    activity_json(doc)
}

//! Extending an open vote through the API: a moderator moves the close time later, within the
//! extension the community's settings allowed when the proposal was made.

use actix_web::{post, web};
use serde::Deserialize;
use utoipa::ToSchema;

use super::ProposalSummaryOut;
use crate::api::auth::ApiUser;
use crate::api::error::{ApiError, ErrorBody};
use crate::domain::governance::{proposals, GovernanceError};
use crate::state::AppState;
use crate::web::governance::{input, service};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtendBody {
    /// The new close, UTC (`2027-01-31T18:00:00Z` or `2027-01-31 18:00`); later than the current
    /// close and no later than the original close plus the allowed extension.
    pub closes_at: String,
}

/// Move an open vote's close later (moderators; only where the community allowed it in advance).
#[utoipa::path(post, path = "/api/v1/communities/{name}/proposals/{id}/extend", tag = "governance",
    security(("bearer" = [])), params(("name" = String, Path), ("id" = i64, Path)),
    request_body = ExtendBody,
    responses((status = 200, body = ProposalSummaryOut), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
#[post("/communities/{name}/proposals/{id}/extend")]
pub async fn extend_proposal(
    state: web::Data<AppState>,
    user: ApiUser,
    path: web::Path<(String, i64)>,
    body: web::Json<ExtendBody>,
) -> Result<web::Json<ProposalSummaryOut>, ApiError> {
    let (key, id) = path.into_inner();
    let closes_at = body.into_inner().closes_at;
    let person = user.live.actor.id;
    let st = state.clone();
    let out = state
        .db(move |c| {
            let until = input::parse_time("closes_at", &closes_at)?
                .ok_or_else(|| GovernanceError::Invalid("closes_at: say when.".into()))?;
            let p = service::find(c, &st.instance, &key, id)?;
            let p = proposals::extend(c, &*st.publisher, p.id, person, until)?;
            Ok::<_, GovernanceError>(ProposalSummaryOut::of(&p))
        })
        .await?;
    Ok(web::Json(out))
}

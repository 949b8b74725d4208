//! API errors and their one mapping to HTTP status codes and JSON bodies.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::accounts::AccountError;
use crate::domain::communities::CommunityError;
use crate::domain::content::ContentError;
use crate::store::StoreError;

/// The JSON body of every API error.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// Stable machine-readable code, e.g. `username_taken`.
    pub error: &'static str,
    /// Human-readable explanation.
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    Account(#[from] AccountError),
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("A valid bearer token is required.")]
    Unauthenticated,
    #[error("You are not allowed to do that.")]
    Forbidden,
    #[error("Too many attempts; wait a minute.")]
    RateLimited,
    #[error("{0}")]
    BadRequest(String),
    #[error("Request body is too large.")]
    TooLarge,
    #[error("{0}")]
    Community(#[from] CommunityError),
    #[error("{0}")]
    Content(#[from] ContentError),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Governance(#[from] crate::domain::governance::GovernanceError),
}

/// Code and status of a community error: refusals are the client's to fix
/// (4xx); database, key and queueing failures are ours (5xx).
fn community_status(e: &CommunityError) -> (&'static str, StatusCode) {
    match e {
        CommunityError::Invalid(_) => ("invalid", StatusCode::UNPROCESSABLE_ENTITY),
        CommunityError::NameTaken => ("name_taken", StatusCode::CONFLICT),
        CommunityError::NotFound | CommunityError::Database(diesel::result::Error::NotFound) => {
            ("not_found", StatusCode::NOT_FOUND)
        }
        CommunityError::NotAllowed(_) => ("forbidden", StatusCode::FORBIDDEN),
        CommunityError::Conflict(_) => ("conflict", StatusCode::CONFLICT),
        CommunityError::Store(StoreError::Pool(_)) => {
            ("unavailable", StatusCode::SERVICE_UNAVAILABLE)
        }
        CommunityError::Database(_)
        | CommunityError::Keys(_)
        | CommunityError::Publish(_)
        | CommunityError::Store(_) => ("internal", StatusCode::INTERNAL_SERVER_ERROR),
    }
}

fn content_status(e: &ContentError) -> (&'static str, StatusCode) {
    match e {
        ContentError::Invalid(_) => ("invalid", StatusCode::UNPROCESSABLE_ENTITY),
        ContentError::NotFound | ContentError::Database(diesel::result::Error::NotFound) => {
            ("not_found", StatusCode::NOT_FOUND)
        }
        ContentError::NotAllowed(_) => ("forbidden", StatusCode::FORBIDDEN),
        ContentError::Community(c) => community_status(c),
        ContentError::Store(StoreError::Pool(_)) => {
            ("unavailable", StatusCode::SERVICE_UNAVAILABLE)
        }
        ContentError::Database(_) | ContentError::Publish(_) | ContentError::Store(_) => {
            ("internal", StatusCode::INTERNAL_SERVER_ERROR)
        }
    }
}

impl ApiError {
    fn code(&self) -> &'static str {
        match self {
            ApiError::Account(e) => match e {
                AccountError::Invalid(_) => "invalid",
                AccountError::UsernameTaken => "username_taken",
                AccountError::RegistrationClosed => "registration_closed",
                AccountError::BadCredentials => "bad_credentials",
                AccountError::PendingApproval => "pending_approval",
                AccountError::Refused(_) => "refused",
                AccountError::Suspended => "suspended",
                AccountError::NotFound => "not_found",
                AccountError::AlreadyDecided => "already_decided",
                _ => "internal",
            },
            ApiError::Store(_) => "unavailable",
            ApiError::Unauthenticated => "unauthenticated",
            ApiError::Forbidden => "forbidden",
            ApiError::RateLimited => "rate_limited",
            ApiError::BadRequest(_) => "bad_request",
            ApiError::TooLarge => "too_large",
            ApiError::Community(e) => community_status(e).0,
            ApiError::Content(e) => content_status(e).0,
            ApiError::NotFound(_) => "not_found",
            ApiError::Invalid(_) => "invalid",
            ApiError::Governance(e) => super::governance::status(e).0,
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::Account(e) => match e {
                AccountError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
                AccountError::UsernameTaken | AccountError::AlreadyDecided => StatusCode::CONFLICT,
                AccountError::RegistrationClosed
                | AccountError::PendingApproval
                | AccountError::Refused(_)
                | AccountError::Suspended => StatusCode::FORBIDDEN,
                AccountError::BadCredentials => StatusCode::UNAUTHORIZED,
                AccountError::NotFound => StatusCode::NOT_FOUND,
                _ => StatusCode::INTERNAL_SERVER_ERROR,
            },
            ApiError::Store(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Unauthenticated => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden => StatusCode::FORBIDDEN,
            ApiError::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Community(e) => community_status(e).1,
            ApiError::Content(e) => content_status(e).1,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Governance(e) => super::governance::status(e).1,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        let message = if status.is_server_error() && status != StatusCode::SERVICE_UNAVAILABLE {
            tracing::error!(error = %self, "API request failed");
            "Internal error; it has been logged.".to_string()
        } else {
            self.to_string()
        };
        let mut res = HttpResponse::build(status);
        if status == StatusCode::UNAUTHORIZED {
            res.insert_header(("WWW-Authenticate", "Bearer"));
        }
        res.json(ErrorBody {
            error: self.code(),
            message,
        })
    }
}

/// Turns body extraction failures (malformed JSON, wrong type, too large)
/// into our JSON errors instead of actix's plain text.
pub fn json_config(limit: usize) -> actix_web::web::JsonConfig {
    actix_web::web::JsonConfig::default()
        .limit(limit)
        .error_handler(|err, _req| {
            use actix_web::error::JsonPayloadError;
            let api = match &err {
                JsonPayloadError::Overflow { .. }
                | JsonPayloadError::OverflowKnownLength { .. } => ApiError::TooLarge,
                JsonPayloadError::ContentType => {
                    ApiError::BadRequest("Content-Type must be application/json.".into())
                }
                other => ApiError::BadRequest(format!("Malformed JSON: {other}")),
            };
            api.into()
        })
}

/// Bad query strings (unknown or malformed parameters) as JSON 400s.
pub fn query_config() -> actix_web::web::QueryConfig {
    actix_web::web::QueryConfig::default()
        .error_handler(|err, _req| ApiError::BadRequest(format!("Bad query: {err}")).into())
}

/// Path segments that cannot be an id (`/posts/abc`) name nothing: JSON 404s.
pub fn path_config() -> actix_web::web::PathConfig {
    actix_web::web::PathConfig::default()
        .error_handler(|err, _req| ApiError::NotFound(format!("Not found: {err}")).into())
}

/// Refuses text with NUL characters, which PostgreSQL cannot store.
pub fn nul_free<'a>(values: impl IntoIterator<Item = &'a str>) -> Result<(), ApiError> {
    if crate::web::read::has_nul(values) {
        Err(ApiError::Invalid(crate::web::read::NUL_REFUSED.into()))
    } else {
        Ok(())
    }
}

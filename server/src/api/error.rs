//! API errors and their one mapping to HTTP status codes and JSON bodies.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::accounts::AccountError;
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
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        let message = if status == StatusCode::INTERNAL_SERVER_ERROR {
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

//! Federation errors, and how the inbox answers them.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};

use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum FedError {
    /// The peer sent something we will not accept (bad shape, bad signature, not allowed).
    #[error("refused: {0}")]
    Refused(String),
    /// The instance is blocked (or not allowed in allowlist-only mode).
    #[error("this instance does not federate with {0}")]
    Blocked(String),
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Federation(#[from] activitypub_federation::error::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("database: {0}")]
    Database(#[from] diesel::result::Error),
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    #[error(transparent)]
    Url(#[from] url::ParseError),
    #[error("{0}")]
    Domain(String),
}

impl ResponseError for FedError {
    fn status_code(&self) -> StatusCode {
        match self {
            FedError::Refused(_) | FedError::Json(_) | FedError::Url(_) => StatusCode::BAD_REQUEST,
            FedError::Blocked(_) => StatusCode::FORBIDDEN,
            FedError::NotFound => StatusCode::NOT_FOUND,
            FedError::Federation(e) => match e {
                activitypub_federation::error::Error::NotFound => StatusCode::NOT_FOUND,
                activitypub_federation::error::Error::ActivitySignatureInvalid
                | activitypub_federation::error::Error::ActivityBodyDigestInvalid => {
                    StatusCode::UNAUTHORIZED
                }
                _ => StatusCode::BAD_REQUEST,
            },
            FedError::Domain(_) => StatusCode::UNPROCESSABLE_ENTITY,
            FedError::Store(_) | FedError::Database(_) => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    fn error_response(&self) -> HttpResponse {
        HttpResponse::build(self.status_code())
            .json(serde_json::json!({ "error": self.to_string() }))
    }
}

impl From<crate::domain::communities::CommunityError> for FedError {
    fn from(e: crate::domain::communities::CommunityError) -> Self {
        FedError::Domain(e.to_string())
    }
}

impl From<crate::domain::content::ContentError> for FedError {
    fn from(e: crate::domain::content::ContentError) -> Self {
        FedError::Domain(e.to_string())
    }
}

impl From<crate::domain::governance::GovernanceError> for FedError {
    fn from(e: crate::domain::governance::GovernanceError) -> Self {
        use crate::domain::governance::GovernanceError as G;
        match e {
            G::Database(e) => FedError::Database(e),
            G::Store(e) => FedError::Store(e),
            other => FedError::Refused(other.to_string()),
        }
    }
}

impl From<crate::domain::events::PublishError> for FedError {
    fn from(e: crate::domain::events::PublishError) -> Self {
        FedError::Domain(e.to_string())
    }
}

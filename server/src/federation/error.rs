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

impl FedError {
    /// Failures that may well not happen again on a second try: the database
    /// was busy or had no free connection. Refusals and missing rows are final.
    pub fn is_transient(&self) -> bool {
        match self {
            FedError::Store(StoreError::Query(e)) | FedError::Database(e) => {
                matches!(e, diesel::result::Error::DatabaseError(_, _)) && !store_is_final(e)
            }
            FedError::Store(StoreError::Pool(_) | StoreError::Task(_)) => true,
            _ => false,
        }
    }
}

/// Constraint violations will fail the same way however often they are retried.
fn store_is_final(e: &diesel::result::Error) -> bool {
    use diesel::result::DatabaseErrorKind as K;
    matches!(
        e,
        diesel::result::Error::DatabaseError(
            K::UniqueViolation | K::ForeignKeyViolation | K::NotNullViolation | K::CheckViolation,
            _
        )
    )
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
        use crate::domain::communities::CommunityError as E;
        // Storage failures keep their kind, so the inbox can tell a busy
        // database (worth another try) from a refusal.
        match e {
            E::Database(e) => FedError::Database(e),
            E::Store(e) => FedError::Store(e),
            e => FedError::Domain(e.to_string()),
        }
    }
}

impl From<crate::domain::content::ContentError> for FedError {
    fn from(e: crate::domain::content::ContentError) -> Self {
        use crate::domain::content::ContentError as E;
        match e {
            E::Community(e) => e.into(),
            E::Database(e) => FedError::Database(e),
            E::Store(e) => FedError::Store(e),
            e => FedError::Domain(e.to_string()),
        }
    }
}

impl From<crate::domain::events::PublishError> for FedError {
    fn from(e: crate::domain::events::PublishError) -> Self {
        FedError::Domain(e.to_string())
    }
}

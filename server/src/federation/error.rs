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
    /// Too many activities accepted and not yet processed: try again later.
    #[error("too busy to take this activity now; try again later")]
    Busy,
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
            FedError::Store(_) | FedError::Database(_) | FedError::Busy => {
                StatusCode::SERVICE_UNAVAILABLE
            }
        }
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status_code());
        if matches!(self, FedError::Busy) {
            response.insert_header((
                actix_web::http::header::RETRY_AFTER,
                crate::federation::inbox::RETRY_AFTER_SECS.to_string(),
            ));
        }
        response.json(serde_json::json!({ "error": self.to_string() }))
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

/// A failed lookup or admin action, as words for a person and whose fault it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Explained {
    /// Nothing by that name or address.
    NotFound(String),
    /// The input, the peer or our policy refused it: the person can act on the message.
    Refused(String),
    /// Our own failure (database): log it, say little.
    Ours,
}

impl FedError {
    /// What to tell the person who asked; never a 500 for a peer's fault.
    pub fn explain(&self) -> Explained {
        use activitypub_federation::error::Error as Ap;
        let unreachable = || {
            Explained::Refused(
                "That instance could not be reached, or did not answer in time. Check the host name."
                    .into(),
            )
        };
        match self {
            FedError::Store(_) | FedError::Database(_) | FedError::Busy => Explained::Ours,
            FedError::NotFound => Explained::NotFound(
                "No community by that name was found there. Check the name and the host.".into(),
            ),
            FedError::Blocked(host) => Explained::Refused(format!(
                "This instance does not federate with {host}: it is blocked, or not on the allowlist."
            )),
            FedError::Refused(why) => Explained::Refused(sentence(why)),
            FedError::Domain(why) => Explained::Refused(sentence(why)),
            FedError::Json(_) | FedError::Url(_) => Explained::Refused(
                "That instance answered with something we could not read.".into(),
            ),
            FedError::Federation(e) => match e {
                Ap::NotFound | Ap::WebfingerResolveFailed(_) | Ap::ObjectDeleted(_) => {
                    Explained::NotFound(
                        "No community by that name was found there. Check the name and the host."
                            .into(),
                    )
                }
                Ap::UrlVerificationError(_) => Explained::Refused(
                    "This instance does not federate with that one: it is blocked, or not on the allowlist."
                        .into(),
                ),
                Ap::Reqwest(_) | Ap::ReqwestMiddleware(_) | Ap::IoError(_) => unreachable(),
                Ap::DomainResolveError(_) | Ap::ResolveInternalIpError(..) => Explained::Refused(
                    "That host name points to a private address; it is not fetched.".into(),
                ),
                _ => Explained::Refused(
                    "That instance answered with something we could not read.".into(),
                ),
            },
        }
    }
}

/// "some reason" → "Some reason."
fn sentence(s: &str) -> String {
    let mut chars = s.trim().chars();
    let mut out: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => return "That was refused.".into(),
    };
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}

#[cfg(test)]
mod explain_tests {
    use super::*;

    #[test]
    fn peers_faults_are_sentences_and_ours_are_not_detailed() {
        assert_eq!(
            FedError::Refused("write the community as name@host".into()).explain(),
            Explained::Refused("Write the community as name@host.".into())
        );
        assert!(matches!(
            FedError::Blocked("b.example".into()).explain(),
            Explained::Refused(m) if m.contains("b.example")
        ));
        assert!(matches!(
            FedError::NotFound.explain(),
            Explained::NotFound(_)
        ));
        assert_eq!(
            FedError::Database(diesel::result::Error::NotFound).explain(),
            Explained::Ours
        );
    }
}

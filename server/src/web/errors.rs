//! The one place domain errors become words for the UI.

use commonhall_frontend::AppError;

use crate::domain::accounts::AccountError;
use crate::domain::communities::CommunityError;
use crate::domain::content::ContentError;
use crate::store::StoreError;

impl From<AccountError> for AppError {
    fn from(e: AccountError) -> Self {
        match e {
            AccountError::NotFound => AppError::NotFound,
            AccountError::Database(_)
            | AccountError::Keys(_)
            | AccountError::Hash(_)
            | AccountError::Store(_) => {
                tracing::error!(error = %e, "account operation failed");
                AppError::Internal
            }
            other => AppError::Invalid(other.to_string()),
        }
    }
}

/// Refusals read as sentences ("Only members of this community may do that."),
/// so the member knows why; failures of ours are logged and kept vague.
impl From<CommunityError> for AppError {
    fn from(e: CommunityError) -> Self {
        match e {
            CommunityError::NotFound => AppError::NotFound,
            CommunityError::Invalid(_)
            | CommunityError::NameTaken
            | CommunityError::NotAllowed(_)
            | CommunityError::Conflict(_) => AppError::Invalid(e.to_string()),
            CommunityError::Database(diesel::result::Error::NotFound) => AppError::NotFound,
            CommunityError::Database(_)
            | CommunityError::Keys(_)
            | CommunityError::Publish(_)
            | CommunityError::Store(_) => {
                tracing::error!(error = %e, "community operation failed");
                AppError::Internal
            }
        }
    }
}

impl From<ContentError> for AppError {
    fn from(e: ContentError) -> Self {
        match e {
            ContentError::NotFound => AppError::NotFound,
            ContentError::Invalid(_) | ContentError::NotAllowed(_) => {
                AppError::Invalid(e.to_string())
            }
            ContentError::Community(c) => c.into(),
            ContentError::Database(diesel::result::Error::NotFound) => AppError::NotFound,
            ContentError::Database(_) | ContentError::Publish(_) | ContentError::Store(_) => {
                tracing::error!(error = %e, "content operation failed");
                AppError::Internal
            }
        }
    }
}

/// Lets read-only work in `state.db(...)` use `AppError` directly.
impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        tracing::error!(error = %e, "database work failed");
        AppError::Internal
    }
}

//! Checks the UI's operations make before they reach the domain: text free of NUL characters,
//! and actions only an instance admin may take.

use commonhall_frontend::{AppError, AppResult, Viewer};

use super::read;

/// Refuses text with NUL characters (see [`read::has_nul`]).
pub fn nul_free<'a>(values: impl IntoIterator<Item = &'a str>) -> AppResult<()> {
    if read::has_nul(values) {
        Err(AppError::Invalid(read::NUL_REFUSED.into()))
    } else {
        Ok(())
    }
}

pub fn require_admin(viewer: &Viewer) -> AppResult<()> {
    if viewer.is_admin {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

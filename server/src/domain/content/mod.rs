//! Content: posts, threaded comments, likes, and the feeds that list them.

pub mod comments;
pub mod feed;
pub mod posts;
pub mod remote;
pub mod votes;

use crate::domain::communities::CommunityError;
use crate::domain::events::PublishError;
use crate::store::{self, memberships, DbConn};

#[derive(Debug, thiserror::Error)]
pub enum ContentError {
    #[error("{0}")]
    Invalid(String),
    #[error("Not found.")]
    NotFound,
    #[error("Only {0} may do that.")]
    NotAllowed(&'static str),
    #[error(transparent)]
    Community(#[from] CommunityError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
    #[error(transparent)]
    Publish(#[from] PublishError),
    #[error(transparent)]
    Store(#[from] store::StoreError),
}

pub fn not_found(e: diesel::result::Error) -> ContentError {
    match e {
        diesel::result::Error::NotFound => ContentError::NotFound,
        other => other.into(),
    }
}

/// Members and followers may comment and like; only members may post.
pub fn may_take_part(
    conn: &mut DbConn,
    community_id: i64,
    actor_id: i64,
) -> Result<bool, ContentError> {
    let member = memberships::find(conn, community_id, actor_id)?.is_some_and(|m| m.is_active());
    let follower =
        store::follows::find(conn, community_id, actor_id)?.is_some_and(|f| f.status == "accepted");
    Ok(member || follower)
}

/// The moderators of a community, or its members, may remove content there.
pub fn is_moderator(
    conn: &mut DbConn,
    community_id: i64,
    actor_id: i64,
) -> Result<bool, ContentError> {
    Ok(memberships::find(conn, community_id, actor_id)?.is_some_and(|m| m.is_moderator()))
}

/// Checks length limits and trims.
pub fn clean_text(value: &str, what: &str, min: usize, max: usize) -> Result<String, ContentError> {
    let v = value.trim();
    let n = v.chars().count();
    if n < min || n > max {
        return Err(ContentError::Invalid(if min > 0 {
            format!("{what}: {min} to {max} characters.")
        } else {
            format!("{what}: at most {max} characters.")
        }));
    }
    Ok(v.to_string())
}

/// An optional http(s) link.
pub fn clean_link(link: Option<&str>) -> Result<Option<String>, ContentError> {
    let Some(l) = link.map(str::trim).filter(|l| !l.is_empty()) else {
        return Ok(None);
    };
    match url::Url::parse(l) {
        Ok(u) if (u.scheme() == "http" || u.scheme() == "https") && l.len() <= 2000 => {
            Ok(Some(u.to_string()))
        }
        _ => Err(ContentError::Invalid(
            "Link must be an http(s) address.".into(),
        )),
    }
}

//! Server functions for feeds, posts, comments and votes.

use leptos::prelude::*;

use crate::backend::{AppError, FeedView, ThreadView};
#[cfg(feature = "ssr")]
use crate::backend::{FeedKind, PostInput, VoteTarget};
#[cfg(feature = "ssr")]
use crate::ssr;

/// The address of a post's page.
pub fn post_path(id: i64) -> String {
    format!("/post/{id}")
}

/// One page of a feed. `kind` is `mine`, `local`, `all` or `community`
/// (with `community` naming it).
#[server(prefix = "/_app", endpoint = "feed")]
pub async fn get_feed(
    kind: String,
    community: Option<String>,
    sort: Option<String>,
    after: Option<String>,
) -> Result<FeedView, AppError> {
    let session = ssr::session();
    let kind = match (kind.as_str(), community) {
        ("mine", _) => FeedKind::Mine,
        ("local", _) => FeedKind::Local,
        ("all", _) => FeedKind::All,
        ("community", Some(c)) => FeedKind::Community(c),
        _ => return Err(AppError::Invalid("Unknown feed.".into())),
    };
    let blank = |s: Option<String>| s.filter(|v| !v.trim().is_empty());
    ssr::backend()?
        .feed(session.viewer.as_ref(), kind, blank(sort), blank(after))
        .await
}

#[server(prefix = "/_app", endpoint = "thread")]
pub async fn get_thread(id: i64) -> Result<ThreadView, AppError> {
    let session = ssr::session();
    ssr::backend()?.thread(session.viewer.as_ref(), id).await
}

#[server(prefix = "/_app", endpoint = "create_post")]
pub async fn create_post(
    csrf: String,
    key: String,
    title: String,
    body: String,
    link: Option<String>,
) -> Result<(), AppError> {
    let session = ssr::check_csrf(&csrf)?;
    let viewer = ssr::require_viewer(&session)?;
    let id = ssr::backend()?
        .create_post(&viewer, key, PostInput { title, body, link })
        .await?;
    leptos_actix::redirect(&post_path(id));
    Ok(())
}

#[server(prefix = "/_app", endpoint = "edit_post")]
pub async fn edit_post(
    csrf: String,
    id: i64,
    title: String,
    body: String,
    link: Option<String>,
) -> Result<(), AppError> {
    let session = ssr::check_csrf(&csrf)?;
    let viewer = ssr::require_viewer(&session)?;
    ssr::backend()?
        .edit_post(&viewer, id, PostInput { title, body, link })
        .await?;
    leptos_actix::redirect(&post_path(id));
    Ok(())
}

#[server(prefix = "/_app", endpoint = "delete_post")]
pub async fn delete_post(csrf: String, id: i64) -> Result<(), AppError> {
    let session = ssr::check_csrf(&csrf)?;
    let viewer = ssr::require_viewer(&session)?;
    let key = ssr::backend()?.delete_post(&viewer, id).await?;
    leptos_actix::redirect(&format!("/c/{key}?deleted=1"));
    Ok(())
}

#[server(prefix = "/_app", endpoint = "create_comment")]
pub async fn create_comment(
    csrf: String,
    post_id: i64,
    parent_id: Option<i64>,
    body: String,
) -> Result<(), AppError> {
    let session = ssr::check_csrf(&csrf)?;
    let viewer = ssr::require_viewer(&session)?;
    let id = ssr::backend()?
        .create_comment(&viewer, post_id, parent_id, body)
        .await?;
    leptos_actix::redirect(&format!("{}#comment-{id}", post_path(post_id)));
    Ok(())
}

#[server(prefix = "/_app", endpoint = "edit_comment")]
pub async fn edit_comment(csrf: String, id: i64, body: String) -> Result<(), AppError> {
    let session = ssr::check_csrf(&csrf)?;
    let viewer = ssr::require_viewer(&session)?;
    let post = ssr::backend()?.edit_comment(&viewer, id, body).await?;
    leptos_actix::redirect(&format!("{}#comment-{id}", post_path(post)));
    Ok(())
}

#[server(prefix = "/_app", endpoint = "delete_comment")]
pub async fn delete_comment(csrf: String, id: i64) -> Result<(), AppError> {
    let session = ssr::check_csrf(&csrf)?;
    let viewer = ssr::require_viewer(&session)?;
    let post = ssr::backend()?.delete_comment(&viewer, id).await?;
    leptos_actix::redirect(&format!("{}#comment-{id}", post_path(post)));
    Ok(())
}

/// Likes (+1), dislikes (-1) or clears (0) a vote on a post or comment.
#[server(prefix = "/_app", endpoint = "vote")]
pub async fn vote(csrf: String, target: String, id: i64, value: i16) -> Result<(), AppError> {
    let session = ssr::check_csrf(&csrf)?;
    let viewer = ssr::require_viewer(&session)?;
    let (target, anchor) = match target.as_str() {
        "post" => (VoteTarget::Post(id), String::new()),
        "comment" => (VoteTarget::Comment(id), format!("#comment-{id}")),
        _ => return Err(AppError::Invalid("Vote on a post or a comment.".into())),
    };
    let post = ssr::backend()?.vote(&viewer, target, value).await?;
    leptos_actix::redirect(&format!("{}{anchor}", post_path(post)));
    Ok(())
}

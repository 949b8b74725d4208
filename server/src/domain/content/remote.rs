//! Content that arrives from other instances: stored (or updated) by its id, with the same rules as local content.

use chrono::NaiveDateTime;

use super::{clean_link, is_moderator, may_take_part, not_found, ContentError};
use crate::domain::communities::membership::require_member;
use crate::domain::markdown;
use crate::store::comments::{self, Comment, NewComment};
use crate::store::posts::{self, NewPost, Post};
use crate::store::votes::{self, Target};
use crate::store::DbConn;

/// A post as another instance described it.
#[derive(Debug, Clone)]
pub struct RemotePost {
    pub ap_id: String,
    pub community_id: i64,
    pub author_id: i64,
    pub title: String,
    /// HTML from the peer; sanitised here.
    pub body_html: String,
    pub body_markdown: String,
    pub link: Option<String>,
    pub published: NaiveDateTime,
    pub updated: Option<NaiveDateTime>,
}

/// Stores a new remote post, or updates it when its author edits it.
/// Only members of a community may post in it (checked for our communities).
pub fn upsert_post(
    conn: &mut DbConn,
    p: &RemotePost,
    community_is_local: bool,
) -> Result<Post, ContentError> {
    let title: String = p
        .title
        .trim()
        .chars()
        .take(super::posts::MAX_TITLE)
        .collect();
    if title.is_empty() {
        return Err(ContentError::Invalid("a post needs a title".into()));
    }
    let html = markdown::sanitize_html(&p.body_html);
    let body: String = p
        .body_markdown
        .chars()
        .take(super::posts::MAX_BODY)
        .collect();
    let link = clean_link(p.link.as_deref()).unwrap_or(None);
    if let Some(existing) = posts::by_ap_id(conn, &p.ap_id)? {
        if existing.author_id != p.author_id {
            return Err(ContentError::NotAllowed("the author"));
        }
        if existing.deleted {
            return Ok(existing);
        }
        let at = p.updated.unwrap_or_else(crate::store::now);
        posts::update_content(conn, existing.id, &title, &body, &html, link.as_deref(), at)?;
        return Ok(posts::by_id(conn, existing.id)?);
    }
    if community_is_local {
        require_member(conn, p.community_id, p.author_id)?;
    }
    Ok(posts::insert(
        conn,
        &NewPost {
            ap_id: &p.ap_id,
            community_id: p.community_id,
            author_id: p.author_id,
            local: false,
            title: &title,
            body_markdown: &body,
            body_html: &html,
            link_url: link.as_deref(),
            published_at: p.published,
            last_activity_at: p.published,
        },
    )?)
}

/// A comment as another instance described it.
#[derive(Debug, Clone)]
pub struct RemoteComment {
    pub ap_id: String,
    pub post_id: i64,
    pub parent_id: Option<i64>,
    pub author_id: i64,
    pub body_html: String,
    pub body_markdown: String,
    pub published: NaiveDateTime,
    pub updated: Option<NaiveDateTime>,
}

pub fn upsert_comment(
    conn: &mut DbConn,
    c: &RemoteComment,
    community_is_local: bool,
) -> Result<Comment, ContentError> {
    let html = markdown::sanitize_html(&c.body_html);
    let body: String = c
        .body_markdown
        .chars()
        .take(super::comments::MAX_BODY)
        .collect();
    if let Some(existing) = comments::by_ap_id(conn, &c.ap_id)? {
        if existing.author_id != c.author_id {
            return Err(ContentError::NotAllowed("the author"));
        }
        if !existing.deleted {
            let at = c.updated.unwrap_or_else(crate::store::now);
            comments::update_content(conn, existing.id, &body, &html, at)?;
        }
        return Ok(comments::by_id(conn, existing.id)?);
    }
    let post = posts::by_id(conn, c.post_id).map_err(not_found)?;
    if post.deleted {
        return Err(ContentError::NotFound);
    }
    if community_is_local && !may_take_part(conn, post.community_id, c.author_id)? {
        return Err(ContentError::NotAllowed(
            "members and followers of this community",
        ));
    }
    let comment = comments::insert(
        conn,
        &NewComment {
            ap_id: &c.ap_id,
            post_id: c.post_id,
            parent_id: c.parent_id,
            author_id: c.author_id,
            local: false,
            body_markdown: &body,
            body_html: &html,
            published_at: c.published,
        },
    )?;
    posts::bump_comments(conn, post.id, 1, c.published.max(post.last_activity_at))?;
    Ok(comment)
}

/// What a remote `Delete` may apply to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deleted {
    Post(i64, i64),
    Comment(i64, i64),
    Nothing,
}

/// Deletes a post or comment by its id, if `actor_id` is its author or a
/// moderator of its community. Returns what was deleted and its community.
pub fn delete(conn: &mut DbConn, ap_id: &str, actor_id: i64) -> Result<Deleted, ContentError> {
    if let Some(p) = posts::by_ap_id(conn, ap_id)? {
        if p.author_id != actor_id && !is_moderator(conn, p.community_id, actor_id)? {
            return Err(ContentError::NotAllowed("the author or a moderator"));
        }
        if !p.deleted {
            posts::mark_deleted(conn, p.id)?;
        }
        return Ok(Deleted::Post(p.id, p.community_id));
    }
    if let Some(c) = comments::by_ap_id(conn, ap_id)? {
        let post = posts::by_id(conn, c.post_id)?;
        if c.author_id != actor_id && !is_moderator(conn, post.community_id, actor_id)? {
            return Err(ContentError::NotAllowed("the author or a moderator"));
        }
        if !c.deleted {
            comments::mark_deleted(conn, c.id)?;
            posts::bump_comments(conn, post.id, -1, post.last_activity_at)?;
        }
        return Ok(Deleted::Comment(c.id, post.community_id));
    }
    Ok(Deleted::Nothing)
}

/// The local target of an object id, and its community.
pub fn target_of(conn: &mut DbConn, ap_id: &str) -> Result<Option<(Target, i64)>, ContentError> {
    if let Some((id, community, deleted)) = posts::vote_target(conn, ap_id)? {
        return Ok((!deleted).then_some((Target::Post(id), community)));
    }
    if let Some(c) = comments::by_ap_id(conn, ap_id)? {
        let post = posts::by_id(conn, c.post_id)?;
        return Ok((!c.deleted).then_some((Target::Comment(c.id), post.community_id)));
    }
    Ok(None)
}

/// Refuses a remote like or dislike in a local community from anyone but its members and
/// followers: `allowed` is the caller's answer (`may_take_part`, or true for an undo or a
/// remote community; the inbox asks once per voter and community for a batch of votes).
pub fn may_vote(allowed: bool) -> Result<(), ContentError> {
    if allowed {
        Ok(())
    } else {
        Err(ContentError::NotAllowed(
            "members and followers of this community",
        ))
    }
}

/// A remote like/dislike (or its undoing, with `value` 0), once [`may_vote`] allowed it,
/// without the recount: the caller recounts each target once its votes are written
/// (`store::votes::recount`).
pub fn vote(
    conn: &mut DbConn,
    actor_id: i64,
    target: Target,
    value: i16,
    ap_id: &str,
) -> Result<(), ContentError> {
    if value == 0 {
        votes::remove(conn, actor_id, target)?;
    } else {
        votes::upsert(conn, actor_id, target, value, ap_id)?;
    }
    Ok(())
}

//! Comments: threaded replies to posts by members and followers.

use super::{clean_text, is_moderator, may_take_part, not_found, ContentError};
use crate::domain::events::{Event, Publisher};
use crate::domain::{markdown, Instance};
use crate::store::comments::{self, Comment, NewComment};
use crate::store::{self, posts, DbConn};

pub const MAX_BODY: usize = 20_000;

/// Writes a comment on a post, or a reply to another comment of that post.
pub fn create(
    conn: &mut DbConn,
    publisher: &dyn Publisher,
    instance: &Instance,
    post_id: i64,
    parent_id: Option<i64>,
    author_id: i64,
    body: &str,
) -> Result<Comment, ContentError> {
    let body = clean_text(body, "Comment", 1, MAX_BODY)?;
    let post = posts::by_id(conn, post_id).map_err(not_found)?;
    if post.deleted {
        return Err(ContentError::NotFound);
    }
    if !may_take_part(conn, post.community_id, author_id)? {
        return Err(ContentError::NotAllowed(
            "members and followers of this community",
        ));
    }
    if let Some(pid) = parent_id {
        let parent = comments::by_id(conn, pid).map_err(not_found)?;
        if parent.post_id != post.id {
            return Err(ContentError::Invalid(
                "That reply belongs to another post.".into(),
            ));
        }
    }
    let html = markdown::to_safe_html(&body);
    let now = store::now();
    let provisional = instance.provisional_id();
    crate::store::write_transaction(conn, |conn| {
        let c = comments::insert(
            conn,
            &NewComment {
                ap_id: &provisional,
                post_id: post.id,
                parent_id,
                author_id,
                local: true,
                body_markdown: &body,
                body_html: &html,
                published_at: now,
            },
        )?;
        comments::set_ap_id(conn, c.id, &instance.comment_id(c.id))?;
        posts::bump_comments(conn, post.id, 1, now)?;
        publisher.publish(conn, Event::CommentCreated { comment_id: c.id })?;
        Ok(comments::by_id(conn, c.id)?)
    })
}

pub fn edit(
    conn: &mut DbConn,
    publisher: &dyn Publisher,
    comment_id: i64,
    editor_id: i64,
    body: &str,
) -> Result<Comment, ContentError> {
    let body = clean_text(body, "Comment", 1, MAX_BODY)?;
    let c = comments::by_id(conn, comment_id).map_err(not_found)?;
    if c.deleted {
        return Err(ContentError::NotFound);
    }
    if c.author_id != editor_id || !c.local {
        return Err(ContentError::NotAllowed("the author"));
    }
    let html = markdown::to_safe_html(&body);
    crate::store::write_transaction(conn, |conn| {
        comments::update_content(conn, c.id, &body, &html, store::now())?;
        publisher.publish(conn, Event::CommentUpdated { comment_id: c.id })?;
        Ok(comments::by_id(conn, c.id)?)
    })
}

pub fn delete(
    conn: &mut DbConn,
    publisher: &dyn Publisher,
    comment_id: i64,
    actor_id: i64,
) -> Result<(), ContentError> {
    let c = comments::by_id(conn, comment_id).map_err(not_found)?;
    if c.deleted {
        return Ok(());
    }
    let post = posts::by_id(conn, c.post_id).map_err(not_found)?;
    if c.author_id != actor_id && !is_moderator(conn, post.community_id, actor_id)? {
        return Err(ContentError::NotAllowed("the author or a moderator"));
    }
    crate::store::write_transaction(conn, |conn| {
        comments::mark_deleted(conn, c.id)?;
        posts::bump_comments(conn, post.id, -1, post.last_activity_at)?;
        publisher.publish(
            conn,
            Event::CommentDeleted {
                comment_id: c.id,
                by_actor_id: actor_id,
            },
        )?;
        Ok(())
    })
}

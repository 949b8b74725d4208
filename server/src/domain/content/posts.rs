//! Posts: members write them, authors edit and delete them, moderators remove them.

use super::{clean_link, clean_text, is_moderator, not_found, ContentError};
use crate::domain::communities::membership::require_member;
use crate::domain::events::{Event, Publisher};
use crate::domain::{markdown, Instance};
use crate::store::posts::{self, NewPost, Post};
use crate::store::{self, DbConn};

pub const MAX_TITLE: usize = 200;
pub const MAX_BODY: usize = 50_000;

#[derive(Debug, Clone, Default)]
pub struct PostForm {
    pub title: String,
    pub body: String,
    pub link: Option<String>,
}

struct Clean {
    title: String,
    body: String,
    html: String,
    link: Option<String>,
}

fn clean(form: &PostForm) -> Result<Clean, ContentError> {
    let title = clean_text(&form.title, "Title", 1, MAX_TITLE)?;
    let body = clean_text(&form.body, "Text", 0, MAX_BODY)?;
    let html = markdown::to_safe_html(&body);
    let link = clean_link(form.link.as_deref())?;
    Ok(Clean {
        title,
        body,
        html,
        link,
    })
}

/// A member writes a post in a community (here or on another instance).
pub fn create(
    conn: &mut DbConn,
    publisher: &dyn Publisher,
    instance: &Instance,
    community_id: i64,
    author_id: i64,
    form: &PostForm,
) -> Result<Post, ContentError> {
    let c = clean(form)?;
    require_member(conn, community_id, author_id)?;
    let now = store::now();
    let provisional = instance.provisional_id();
    crate::store::write_transaction(conn, |conn| {
        let post = posts::insert(
            conn,
            &NewPost {
                ap_id: &provisional,
                community_id,
                author_id,
                local: true,
                title: &c.title,
                body_markdown: &c.body,
                body_html: &c.html,
                link_url: c.link.as_deref(),
                published_at: now,
                last_activity_at: now,
            },
        )?;
        posts::set_ap_id(conn, post.id, &instance.post_id(post.id))?;
        publisher.publish(conn, Event::PostCreated { post_id: post.id })?;
        Ok(posts::by_id(conn, post.id)?)
    })
}

/// The author edits their post.
pub fn edit(
    conn: &mut DbConn,
    publisher: &dyn Publisher,
    post_id: i64,
    editor_id: i64,
    form: &PostForm,
) -> Result<Post, ContentError> {
    let c = clean(form)?;
    let post = posts::by_id(conn, post_id).map_err(not_found)?;
    if post.deleted {
        return Err(ContentError::NotFound);
    }
    if post.author_id != editor_id || !post.local {
        return Err(ContentError::NotAllowed("the author"));
    }
    crate::store::write_transaction(conn, |conn| {
        posts::update_content(
            conn,
            post.id,
            &c.title,
            &c.body,
            &c.html,
            c.link.as_deref(),
            store::now(),
        )?;
        publisher.publish(conn, Event::PostUpdated { post_id: post.id })?;
        Ok(posts::by_id(conn, post.id)?)
    })
}

/// The author deletes, or a moderator removes, a post.
pub fn delete(
    conn: &mut DbConn,
    publisher: &dyn Publisher,
    post_id: i64,
    actor_id: i64,
) -> Result<(), ContentError> {
    let post = posts::by_id(conn, post_id).map_err(not_found)?;
    if post.deleted {
        return Ok(());
    }
    if post.author_id != actor_id && !is_moderator(conn, post.community_id, actor_id)? {
        return Err(ContentError::NotAllowed("the author or a moderator"));
    }
    crate::store::write_transaction(conn, |conn| {
        posts::mark_deleted(conn, post.id)?;
        publisher.publish(
            conn,
            Event::PostDeleted {
                post_id: post.id,
                by_actor_id: actor_id,
            },
        )?;
        Ok(())
    })
}

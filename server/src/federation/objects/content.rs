//! Posts and comments as `Page` and `Note` documents, built from their rows.

use chrono::{DateTime, Utc};
use url::Url;

use crate::federation::protocol::objects::note::Note;
use crate::federation::protocol::objects::page::Page;
use crate::federation::protocol::values::{Attachment, Source};
use crate::store::actors::{self, Actor};
use crate::store::comments::{self, Comment};
use crate::store::communities::{self, Community};
use crate::store::posts::{self, Post};
use crate::store::DbConn;

#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
    #[error("stored URL is invalid: {0}")]
    Url(#[from] url::ParseError),
}

fn utc(t: chrono::NaiveDateTime) -> DateTime<Utc> {
    DateTime::from_naive_utc_and_offset(t, Utc)
}

/// A post with what its document needs.
pub struct PostContext {
    pub post: Post,
    pub community: Community,
    pub community_actor: Actor,
    pub author: Actor,
}

pub fn post_context(conn: &mut DbConn, post_id: i64) -> Result<PostContext, DocumentError> {
    let post = posts::by_id(conn, post_id)?;
    let (community, community_actor) = communities::by_id(conn, post.community_id)?;
    let author = actors::by_id(conn, post.author_id)?;
    Ok(PostContext {
        post,
        community,
        community_actor,
        author,
    })
}

pub fn page(ctx: &PostContext) -> Result<Page, DocumentError> {
    let p = &ctx.post;
    let mut page = Page::new(
        Url::parse(&p.ap_id)?,
        Url::parse(&ctx.author.ap_id)?,
        Url::parse(&ctx.community_actor.ap_id)?,
        p.title.clone(),
    );
    page.content = Some(p.body_html.clone());
    page.source = (!p.body_markdown.is_empty()).then(|| Source::markdown(p.body_markdown.clone()));
    if let Some(link) = p.link_url.as_deref().and_then(|l| Url::parse(l).ok()) {
        page.attachment = vec![Attachment::link(link)].into();
    }
    page.published = Some(utc(p.published_at));
    page.updated = p.updated_at.map(utc);
    Ok(page)
}

/// A comment with what its document needs.
pub struct CommentContext {
    pub comment: Comment,
    pub post: PostContext,
    pub author: Actor,
    /// The parent comment's id, or the post's.
    pub in_reply_to: String,
}

pub fn comment_context(
    conn: &mut DbConn,
    comment_id: i64,
) -> Result<CommentContext, DocumentError> {
    let comment = comments::by_id(conn, comment_id)?;
    let post = post_context(conn, comment.post_id)?;
    let author = actors::by_id(conn, comment.author_id)?;
    let in_reply_to = match comment.parent_id {
        Some(pid) => comments::by_id(conn, pid)?.ap_id,
        None => post.post.ap_id.clone(),
    };
    Ok(CommentContext {
        comment,
        post,
        author,
        in_reply_to,
    })
}

pub fn note(ctx: &CommentContext) -> Result<Note, DocumentError> {
    let c = &ctx.comment;
    let mut note = Note::new(
        Url::parse(&c.ap_id)?,
        Url::parse(&ctx.author.ap_id)?,
        Url::parse(&ctx.in_reply_to)?,
        Url::parse(&ctx.post.community_actor.ap_id)?,
        c.body_html.clone(),
    );
    note.source = Some(Source::markdown(c.body_markdown.clone()));
    note.published = Some(utc(c.published_at));
    note.updated = c.updated_at.map(utc);
    Ok(note)
}

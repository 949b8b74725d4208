//! Comment rows: threaded replies to posts.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::comments;
use super::DbConn;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = comments)]
pub struct Comment {
    pub id: i64,
    pub ap_id: String,
    pub post_id: i64,
    pub parent_id: Option<i64>,
    pub author_id: i64,
    pub local: bool,
    pub body_markdown: String,
    pub body_html: String,
    pub deleted: bool,
    pub likes: i64,
    pub dislikes: i64,
    pub published_at: NaiveDateTime,
    pub updated_at: Option<NaiveDateTime>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = comments)]
pub struct NewComment<'a> {
    pub ap_id: &'a str,
    pub post_id: i64,
    pub parent_id: Option<i64>,
    pub author_id: i64,
    pub local: bool,
    pub body_markdown: &'a str,
    pub body_html: &'a str,
    pub published_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, new: &NewComment<'_>) -> QueryResult<Comment> {
    diesel::insert_into(comments::table)
        .values(new)
        .execute(conn)?;
    by_ap_id(conn, new.ap_id)?.ok_or(diesel::result::Error::NotFound)
}

pub fn by_id(conn: &mut DbConn, id: i64) -> QueryResult<Comment> {
    comments::table
        .find(id)
        .select(Comment::as_select())
        .first(conn)
}

pub fn by_ap_id(conn: &mut DbConn, ap_id: &str) -> QueryResult<Option<Comment>> {
    comments::table
        .filter(comments::ap_id.eq(ap_id))
        .select(Comment::as_select())
        .first(conn)
        .optional()
}

pub fn set_ap_id(conn: &mut DbConn, id: i64, ap_id: &str) -> QueryResult<usize> {
    diesel::update(comments::table.find(id))
        .set(comments::ap_id.eq(ap_id))
        .execute(conn)
}

pub fn for_post(conn: &mut DbConn, post_id: i64) -> QueryResult<Vec<Comment>> {
    comments::table
        .filter(comments::post_id.eq(post_id))
        .order((comments::published_at.asc(), comments::id.asc()))
        .select(Comment::as_select())
        .load(conn)
}

pub fn update_content(
    conn: &mut DbConn,
    id: i64,
    body_markdown: &str,
    body_html: &str,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(comments::table.find(id))
        .set((
            comments::body_markdown.eq(body_markdown),
            comments::body_html.eq(body_html),
            comments::updated_at.eq(Some(at)),
        ))
        .execute(conn)
}

pub fn mark_deleted(conn: &mut DbConn, id: i64) -> QueryResult<usize> {
    diesel::update(comments::table.find(id))
        .set((
            comments::deleted.eq(true),
            comments::body_markdown.eq(""),
            comments::body_html.eq(""),
            comments::updated_at.eq(Some(super::now())),
        ))
        .execute(conn)
}

pub fn set_counts(conn: &mut DbConn, id: i64, likes: i64, dislikes: i64) -> QueryResult<usize> {
    let q = diesel::update(comments::table.find(id))
        .set((comments::likes.eq(likes), comments::dislikes.eq(dislikes)));
    super::connection::on_inner!(conn, |c| q.execute(c))
}

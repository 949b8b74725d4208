//! Post rows and the feed queries (new, active, top), paginated by cursor.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::posts;
use super::DbConn;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = posts)]
pub struct Post {
    pub id: i64,
    pub ap_id: String,
    pub community_id: i64,
    pub author_id: i64,
    pub local: bool,
    pub title: String,
    pub body_markdown: String,
    pub body_html: String,
    pub link_url: Option<String>,
    pub deleted: bool,
    pub likes: i64,
    pub dislikes: i64,
    pub comment_count: i64,
    pub published_at: NaiveDateTime,
    pub updated_at: Option<NaiveDateTime>,
    pub last_activity_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = posts)]
pub struct NewPost<'a> {
    pub ap_id: &'a str,
    pub community_id: i64,
    pub author_id: i64,
    pub local: bool,
    pub title: &'a str,
    pub body_markdown: &'a str,
    pub body_html: &'a str,
    pub link_url: Option<&'a str>,
    pub published_at: NaiveDateTime,
    pub last_activity_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, new: &NewPost<'_>) -> QueryResult<Post> {
    diesel::insert_into(posts::table)
        .values(new)
        .execute(conn)?;
    by_ap_id(conn, new.ap_id)?.ok_or(diesel::result::Error::NotFound)
}

pub fn by_id(conn: &mut DbConn, id: i64) -> QueryResult<Post> {
    posts::table.find(id).select(Post::as_select()).first(conn)
}

pub fn by_ap_id(conn: &mut DbConn, ap_id: &str) -> QueryResult<Option<Post>> {
    posts::table
        .filter(posts::ap_id.eq(ap_id))
        .select(Post::as_select())
        .first(conn)
        .optional()
}

/// What a like of a post needs of it: its id, its community, whether it
/// was deleted (no whole row; on the backend's own connection, as the vote
/// writer asks it for every like).
pub fn vote_target(conn: &mut DbConn, ap_id: &str) -> QueryResult<Option<(i64, i64, bool)>> {
    let q = posts::table.filter(posts::ap_id.eq(ap_id)).select((
        posts::id,
        posts::community_id,
        posts::deleted,
    ));
    super::connection::on_inner!(conn, |c| q.first(c).optional())
}

/// Local posts get their id from their row number, so the id is set after insert.
pub fn set_ap_id(conn: &mut DbConn, id: i64, ap_id: &str) -> QueryResult<usize> {
    diesel::update(posts::table.find(id))
        .set(posts::ap_id.eq(ap_id))
        .execute(conn)
}

pub fn update_content(
    conn: &mut DbConn,
    id: i64,
    title: &str,
    body_markdown: &str,
    body_html: &str,
    link_url: Option<&str>,
    updated_at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(posts::table.find(id))
        .set((
            posts::title.eq(title),
            posts::body_markdown.eq(body_markdown),
            posts::body_html.eq(body_html),
            posts::link_url.eq(link_url),
            posts::updated_at.eq(Some(updated_at)),
        ))
        .execute(conn)
}

/// Marks deleted and drops the content (what remains is a tombstone).
pub fn mark_deleted(conn: &mut DbConn, id: i64) -> QueryResult<usize> {
    diesel::update(posts::table.find(id))
        .set((
            posts::deleted.eq(true),
            posts::title.eq(""),
            posts::body_markdown.eq(""),
            posts::body_html.eq(""),
            posts::link_url.eq(None::<String>),
            posts::updated_at.eq(Some(super::now())),
        ))
        .execute(conn)
}

pub fn set_counts(conn: &mut DbConn, id: i64, likes: i64, dislikes: i64) -> QueryResult<usize> {
    let q = diesel::update(posts::table.find(id))
        .set((posts::likes.eq(likes), posts::dislikes.eq(dislikes)));
    super::connection::on_inner!(conn, |c| q.execute(c))
}

pub fn bump_comments(
    conn: &mut DbConn,
    id: i64,
    delta: i64,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(posts::table.find(id))
        .set((
            posts::comment_count.eq(posts::comment_count + delta),
            posts::last_activity_at.eq(at),
        ))
        .execute(conn)
}

/// How a feed is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    New,
    Active,
    Top,
}

/// Where the next page starts: the sort key and id of the last post shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cursor {
    Time(NaiveDateTime, i64),
    Count(i64, i64),
}

/// Which posts a feed shows.
#[derive(Debug, Clone)]
pub enum Scope {
    Communities(Vec<i64>),
    LocalCommunities,
    All,
}

/// One page of non-deleted posts.
pub fn feed(
    conn: &mut DbConn,
    scope: &Scope,
    local_community_ids: &[i64],
    sort: Sort,
    after: Option<&Cursor>,
    limit: i64,
) -> QueryResult<Vec<Post>> {
    let mut q = posts::table
        .filter(posts::deleted.eq(false))
        .select(Post::as_select())
        .into_boxed();
    q = match scope {
        Scope::Communities(ids) => q.filter(posts::community_id.eq_any(ids.clone())),
        Scope::LocalCommunities => {
            q.filter(posts::community_id.eq_any(local_community_ids.to_vec()))
        }
        Scope::All => q,
    };
    q = match (sort, after) {
        (Sort::New, Some(Cursor::Time(t, id))) => q.filter(
            posts::published_at
                .lt(*t)
                .or(posts::published_at.eq(*t).and(posts::id.lt(*id))),
        ),
        (Sort::Active, Some(Cursor::Time(t, id))) => q.filter(
            posts::last_activity_at
                .lt(*t)
                .or(posts::last_activity_at.eq(*t).and(posts::id.lt(*id))),
        ),
        (Sort::Top, Some(Cursor::Count(n, id))) => q.filter(
            posts::likes
                .lt(*n)
                .or(posts::likes.eq(*n).and(posts::id.lt(*id))),
        ),
        _ => q,
    };
    q = match sort {
        Sort::New => q.order((posts::published_at.desc(), posts::id.desc())),
        Sort::Active => q.order((posts::last_activity_at.desc(), posts::id.desc())),
        Sort::Top => q.order((posts::likes.desc(), posts::id.desc())),
    };
    q.limit(limit).load(conn)
}

/// The cursor after this post, for the given sort.
pub fn cursor_after(post: &Post, sort: Sort) -> Cursor {
    match sort {
        Sort::New => Cursor::Time(post.published_at, post.id),
        Sort::Active => Cursor::Time(post.last_activity_at, post.id),
        Sort::Top => Cursor::Count(post.likes, post.id),
    }
}

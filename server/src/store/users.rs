//! Local accounts: the login that sits on a local person actor.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::actors::Actor;
use super::schema::{actors, users};
use super::DbConn;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: i64,
    pub actor_id: i64,
    pub username: String,
    pub username_lower: String,
    pub password_hash: String,
    pub is_admin: bool,
    pub status: String,
    pub application: Option<String>,
    pub refusal_reason: Option<String>,
    pub bio_markdown: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub actor_id: i64,
    pub username: &'a str,
    pub username_lower: &'a str,
    pub password_hash: &'a str,
    pub is_admin: bool,
    pub status: &'a str,
    pub application: Option<&'a str>,
    pub bio_markdown: &'a str,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Inserts and reads back the row by its unique lower-cased name. Call inside a transaction.
pub fn insert(conn: &mut DbConn, new: &NewUser<'_>) -> QueryResult<User> {
    diesel::insert_into(users::table)
        .values(new)
        .execute(conn)?;
    users::table
        .filter(users::username_lower.eq(new.username_lower))
        .select(User::as_select())
        .first(conn)
}

pub fn by_id(conn: &mut DbConn, id: i64) -> QueryResult<(User, Actor)> {
    users::table
        .inner_join(actors::table)
        .filter(users::id.eq(id))
        .select((User::as_select(), Actor::as_select()))
        .first(conn)
}

pub fn by_username(conn: &mut DbConn, username: &str) -> QueryResult<Option<(User, Actor)>> {
    users::table
        .inner_join(actors::table)
        .filter(users::username_lower.eq(username.to_lowercase()))
        .select((User::as_select(), Actor::as_select()))
        .first(conn)
        .optional()
}

pub fn count(conn: &mut DbConn) -> QueryResult<i64> {
    users::table.count().get_result(conn)
}

pub fn count_admins(conn: &mut DbConn) -> QueryResult<i64> {
    users::table
        .filter(users::is_admin.eq(true))
        .count()
        .get_result(conn)
}

pub fn pending(conn: &mut DbConn) -> QueryResult<Vec<User>> {
    users::table
        .filter(users::status.eq("pending"))
        .order(users::created_at.asc())
        .select(User::as_select())
        .load(conn)
}

pub fn set_password_hash(conn: &mut DbConn, id: i64, hash: &str) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set((
            users::password_hash.eq(hash),
            users::updated_at.eq(super::now()),
        ))
        .execute(conn)
}

pub fn set_bio(conn: &mut DbConn, id: i64, bio_markdown: &str) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set((
            users::bio_markdown.eq(bio_markdown),
            users::updated_at.eq(super::now()),
        ))
        .execute(conn)
}

pub fn set_status(
    conn: &mut DbConn,
    id: i64,
    status: &str,
    refusal_reason: Option<&str>,
) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set((
            users::status.eq(status),
            users::refusal_reason.eq(refusal_reason),
            users::updated_at.eq(super::now()),
        ))
        .execute(conn)
}

pub fn set_admin(conn: &mut DbConn, id: i64, is_admin: bool) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set(users::is_admin.eq(is_admin))
        .execute(conn)
}

//! Actor rows: every ActivityPub actor we know, local or remote.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::actors;
use super::DbConn;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = actors)]
pub struct Actor {
    pub id: i64,
    pub ap_id: String,
    pub kind: String,
    pub name: String,
    pub domain: String,
    pub local: bool,
    pub display_name: Option<String>,
    pub summary: Option<String>,
    pub inbox_url: String,
    pub shared_inbox_url: Option<String>,
    pub public_key_pem: String,
    pub private_key_pem: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub last_refreshed_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = actors)]
pub struct NewActor<'a> {
    pub ap_id: &'a str,
    pub kind: &'a str,
    pub name: &'a str,
    pub domain: &'a str,
    pub local: bool,
    pub display_name: Option<&'a str>,
    pub summary: Option<&'a str>,
    pub inbox_url: &'a str,
    pub shared_inbox_url: Option<&'a str>,
    pub public_key_pem: &'a str,
    pub private_key_pem: Option<&'a str>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub last_refreshed_at: NaiveDateTime,
}

/// Inserts and reads back the row (diesel's multi-backend connection has no
/// `RETURNING`; `ap_id` is unique). Call inside a transaction.
pub fn insert(conn: &mut DbConn, new: &NewActor<'_>) -> QueryResult<Actor> {
    diesel::insert_into(actors::table)
        .values(new)
        .execute(conn)?;
    actors::table
        .filter(actors::ap_id.eq(new.ap_id))
        .select(Actor::as_select())
        .first(conn)
}

pub fn by_id(conn: &mut DbConn, id: i64) -> QueryResult<Actor> {
    actors::table
        .find(id)
        .select(Actor::as_select())
        .first(conn)
}

pub fn update_profile(
    conn: &mut DbConn,
    id: i64,
    display_name: Option<&str>,
    summary_html: Option<&str>,
) -> QueryResult<usize> {
    diesel::update(actors::table.find(id))
        .set((
            actors::display_name.eq(display_name),
            actors::summary.eq(summary_html),
            actors::updated_at.eq(super::now()),
        ))
        .execute(conn)
}

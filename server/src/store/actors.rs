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
    pub followers_url: Option<String>,
    pub outbox_url: Option<String>,
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
    pub followers_url: Option<&'a str>,
    pub outbox_url: Option<&'a str>,
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

pub fn by_ap_id(conn: &mut DbConn, ap_id: &str) -> QueryResult<Option<Actor>> {
    actors::table
        .filter(actors::ap_id.eq(ap_id))
        .select(Actor::as_select())
        .first(conn)
        .optional()
}

/// A local actor of a kind by its exact name.
pub fn local_by_name(conn: &mut DbConn, kind: &str, name: &str) -> QueryResult<Option<Actor>> {
    actors::table
        .filter(actors::local.eq(true))
        .filter(actors::kind.eq(kind))
        .filter(actors::name.eq(name))
        .select(Actor::as_select())
        .first(conn)
        .optional()
}

/// Creates or refreshes a remote actor from what its server published.
///
/// Two activities from a new actor often arrive together (a `Follow` and a
/// `Join`), and both fetch and store it: the insert runs in a savepoint and a
/// unique-key conflict falls back to the refresh, so neither request fails.
pub fn upsert_remote(conn: &mut DbConn, new: &NewActor<'_>) -> QueryResult<Actor> {
    if let Some(existing) = by_ap_id(conn, new.ap_id)? {
        return refresh_remote(conn, existing.id, new);
    }
    match conn.transaction(|c| insert(c, new)) {
        Ok(row) => Ok(row),
        Err(e) if super::is_unique_violation(&e) => {
            let existing = by_ap_id(conn, new.ap_id)?.ok_or(diesel::result::Error::NotFound)?;
            refresh_remote(conn, existing.id, new)
        }
        Err(e) => Err(e),
    }
}

fn refresh_remote(conn: &mut DbConn, id: i64, new: &NewActor<'_>) -> QueryResult<Actor> {
    diesel::update(actors::table.find(id))
        .set((
            actors::name.eq(new.name),
            actors::display_name.eq(new.display_name),
            actors::summary.eq(new.summary),
            actors::inbox_url.eq(new.inbox_url),
            actors::shared_inbox_url.eq(new.shared_inbox_url),
            actors::public_key_pem.eq(new.public_key_pem),
            actors::followers_url.eq(new.followers_url),
            actors::outbox_url.eq(new.outbox_url),
            actors::updated_at.eq(new.updated_at),
            actors::last_refreshed_at.eq(new.last_refreshed_at),
        ))
        .execute(conn)?;
    by_id(conn, id)
}

//! Follow rows: subscriptions of actors (local or remote) to communities.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::actors::Actor;
use super::schema::{actors, follows};
use super::DbConn;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = follows)]
pub struct Follow {
    pub id: i64,
    pub community_id: i64,
    pub follower_id: i64,
    pub status: String,
    pub follow_activity_id: Option<String>,
    pub created_at: NaiveDateTime,
}

pub fn find(conn: &mut DbConn, community_id: i64, follower_id: i64) -> QueryResult<Option<Follow>> {
    follows::table
        .filter(follows::community_id.eq(community_id))
        .filter(follows::follower_id.eq(follower_id))
        .select(Follow::as_select())
        .first(conn)
        .optional()
}

/// Records a follow (or updates its status and activity id).
pub fn upsert(
    conn: &mut DbConn,
    community_id: i64,
    follower_id: i64,
    status: &str,
    activity_id: Option<&str>,
) -> QueryResult<Follow> {
    if let Some(f) = find(conn, community_id, follower_id)? {
        return update(conn, f, status, activity_id);
    }
    // A concurrent writer (an approval and an incoming Follow for the same
    // person) may insert first: the insert runs in a savepoint so
    // PostgreSQL's transaction survives the conflict, then we update the row
    // it wrote, keeping whichever activity id is known.
    let inserted = conn.transaction(|c| {
        diesel::insert_into(follows::table)
            .values((
                follows::community_id.eq(community_id),
                follows::follower_id.eq(follower_id),
                follows::status.eq(status),
                follows::follow_activity_id.eq(activity_id),
                follows::created_at.eq(super::now()),
            ))
            .execute(c)
    });
    match inserted {
        Ok(_) => find(conn, community_id, follower_id)?.ok_or(diesel::result::Error::NotFound),
        Err(e) if super::is_unique_violation(&e) => {
            let f =
                find(conn, community_id, follower_id)?.ok_or(diesel::result::Error::NotFound)?;
            update(conn, f, status, activity_id)
        }
        Err(e) => Err(e),
    }
}

fn update(
    conn: &mut DbConn,
    f: Follow,
    status: &str,
    activity_id: Option<&str>,
) -> QueryResult<Follow> {
    diesel::update(follows::table.find(f.id))
        .set((
            follows::status.eq(status),
            follows::follow_activity_id.eq(activity_id.or(f.follow_activity_id.as_deref())),
        ))
        .execute(conn)?;
    find(conn, f.community_id, f.follower_id)?.ok_or(diesel::result::Error::NotFound)
}

pub fn delete(conn: &mut DbConn, community_id: i64, follower_id: i64) -> QueryResult<usize> {
    diesel::delete(
        follows::table
            .filter(follows::community_id.eq(community_id))
            .filter(follows::follower_id.eq(follower_id)),
    )
    .execute(conn)
}

/// Accepted remote followers of a community (whose inboxes get its activities).
pub fn remote_followers(conn: &mut DbConn, community_id: i64) -> QueryResult<Vec<Actor>> {
    follows::table
        .inner_join(actors::table)
        .filter(follows::community_id.eq(community_id))
        .filter(follows::status.eq("accepted"))
        .filter(actors::local.eq(false))
        .select(Actor::as_select())
        .load(conn)
}

pub fn count(conn: &mut DbConn, community_id: i64) -> QueryResult<i64> {
    follows::table
        .filter(follows::community_id.eq(community_id))
        .filter(follows::status.eq("accepted"))
        .count()
        .get_result(conn)
}

/// Communities a (local) person follows.
pub fn followed_by(conn: &mut DbConn, follower_id: i64) -> QueryResult<Vec<i64>> {
    follows::table
        .filter(follows::follower_id.eq(follower_id))
        .select(follows::community_id)
        .load(conn)
}

/// The follow a `Follow` activity with this id created.
pub fn by_activity_id(conn: &mut DbConn, activity_id: &str) -> QueryResult<Option<Follow>> {
    follows::table
        .filter(follows::follow_activity_id.eq(activity_id))
        .select(Follow::as_select())
        .first(conn)
        .optional()
}

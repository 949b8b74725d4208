//! Like/dislike rows, one per actor per post or comment, and the recount they drive.

use diesel::prelude::*;

use super::schema::votes;
use super::{comments, posts, DbConn};

/// What a vote is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    Post(i64),
    Comment(i64),
}

/// Sets (replaces) an actor's vote and recounts the target.
pub fn set(
    conn: &mut DbConn,
    actor_id: i64,
    target: Target,
    value: i16,
    ap_id: &str,
) -> QueryResult<()> {
    upsert(conn, actor_id, target, value, ap_id)?;
    recount(conn, target)
}

/// Removes an actor's vote (Undo) and recounts.
pub fn clear(conn: &mut DbConn, actor_id: i64, target: Target) -> QueryResult<()> {
    remove(conn, actor_id, target)?;
    recount(conn, target)
}

/// Sets (replaces) an actor's vote in one statement (`INSERT … ON CONFLICT DO UPDATE` on the
/// actor's unique vote per target, a partial index), without the recount: call [`recount`]
/// once the target's votes are written. Plain SQL, one text per backend and target: diesel
/// writes no conflict target with a `WHERE` for SQLite, and its multi-backend connection no
/// `ON CONFLICT` at all.
pub fn upsert(
    conn: &mut DbConn,
    actor_id: i64,
    target: Target,
    value: i16,
    ap_id: &str,
) -> QueryResult<()> {
    use diesel::sql_types::{BigInt, SmallInt, Text, Timestamp};
    let (id, sql) = match (target, &*conn) {
        (Target::Post(id), DbConn::Sqlite(_)) => (id, UPSERT_POST_SQLITE),
        (Target::Post(id), DbConn::Postgres(_)) => (id, UPSERT_POST_PG),
        (Target::Comment(id), DbConn::Sqlite(_)) => (id, UPSERT_COMMENT_SQLITE),
        (Target::Comment(id), DbConn::Postgres(_)) => (id, UPSERT_COMMENT_PG),
    };
    let q = diesel::sql_query(sql)
        .bind::<Text, _>(ap_id)
        .bind::<BigInt, _>(actor_id)
        .bind::<BigInt, _>(id)
        .bind::<SmallInt, _>(value)
        .bind::<Timestamp, _>(super::now());
    super::connection::on_inner!(conn, |c| q.execute(c))?;
    Ok(())
}

const UPSERT_POST_SQLITE: &str = "INSERT INTO votes (ap_id, actor_id, post_id, value, created_at) \
     VALUES (?, ?, ?, ?, ?) ON CONFLICT (actor_id, post_id) WHERE post_id IS NOT NULL \
     DO UPDATE SET value = excluded.value, ap_id = excluded.ap_id, created_at = excluded.created_at";
const UPSERT_POST_PG: &str = "INSERT INTO votes (ap_id, actor_id, post_id, value, created_at) \
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (actor_id, post_id) WHERE post_id IS NOT NULL \
     DO UPDATE SET value = excluded.value, ap_id = excluded.ap_id, created_at = excluded.created_at";
const UPSERT_COMMENT_SQLITE: &str = "INSERT INTO votes (ap_id, actor_id, comment_id, value, \
     created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (actor_id, comment_id) \
     WHERE comment_id IS NOT NULL \
     DO UPDATE SET value = excluded.value, ap_id = excluded.ap_id, created_at = excluded.created_at";
const UPSERT_COMMENT_PG: &str = "INSERT INTO votes (ap_id, actor_id, comment_id, value, \
     created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (actor_id, comment_id) \
     WHERE comment_id IS NOT NULL \
     DO UPDATE SET value = excluded.value, ap_id = excluded.ap_id, created_at = excluded.created_at";

/// Removes an actor's vote without the recount (see [`upsert`]).
pub fn remove(conn: &mut DbConn, actor_id: i64, target: Target) -> QueryResult<usize> {
    let q = votes::table.filter(votes::actor_id.eq(actor_id));
    match target {
        Target::Post(id) => diesel::delete(q.filter(votes::post_id.eq(id))).execute(conn),
        Target::Comment(id) => diesel::delete(q.filter(votes::comment_id.eq(id))).execute(conn),
    }
}

/// The vote an actor has on a target, if any.
pub fn of(conn: &mut DbConn, actor_id: i64, target: Target) -> QueryResult<Option<i16>> {
    let q = votes::table
        .filter(votes::actor_id.eq(actor_id))
        .select(votes::value);
    match target {
        Target::Post(id) => q.filter(votes::post_id.eq(id)).first(conn).optional(),
        Target::Comment(id) => q.filter(votes::comment_id.eq(id)).first(conn).optional(),
    }
}

/// The id of the Like/Dislike behind an actor's current vote.
pub fn ap_id_of(conn: &mut DbConn, actor_id: i64, target: Target) -> QueryResult<Option<String>> {
    let q = votes::table
        .filter(votes::actor_id.eq(actor_id))
        .select(votes::ap_id);
    match target {
        Target::Post(id) => q.filter(votes::post_id.eq(id)).first(conn).optional(),
        Target::Comment(id) => q.filter(votes::comment_id.eq(id)).first(conn).optional(),
    }
}

/// Finds a vote by the id of the Like/Dislike that made it (for Undo).
pub fn by_ap_id(conn: &mut DbConn, ap_id: &str) -> QueryResult<Option<(i64, Target)>> {
    let row: Option<(i64, Option<i64>, Option<i64>)> = votes::table
        .filter(votes::ap_id.eq(ap_id))
        .select((votes::actor_id, votes::post_id, votes::comment_id))
        .first(conn)
        .optional()?;
    Ok(
        row.and_then(|(actor, post, comment)| match (post, comment) {
            (Some(p), _) => Some((actor, Target::Post(p))),
            (_, Some(c)) => Some((actor, Target::Comment(c))),
            _ => None,
        }),
    )
}

/// Counts a target's likes and dislikes again from its vote rows and stores the counts.
pub fn recount(conn: &mut DbConn, target: Target) -> QueryResult<()> {
    use diesel::dsl::count_star;
    // One grouped count on the target's own rows (indexed by target), and
    // not boxed, so its prepared statement is cached.
    let counts: Vec<(i16, i64)> = match target {
        Target::Post(id) => votes::table
            .filter(votes::post_id.eq(id))
            .group_by(votes::value)
            .select((votes::value, count_star()))
            .load(conn)?,
        Target::Comment(id) => votes::table
            .filter(votes::comment_id.eq(id))
            .group_by(votes::value)
            .select((votes::value, count_star()))
            .load(conn)?,
    };
    let of = |value: i16| {
        counts
            .iter()
            .find(|(v, _)| *v == value)
            .map_or(0, |(_, n)| *n)
    };
    let (likes, dislikes) = (of(1), of(-1));
    match target {
        Target::Post(id) => posts::set_counts(conn, id, likes, dislikes)?,
        Target::Comment(id) => comments::set_counts(conn, id, likes, dislikes)?,
    };
    Ok(())
}

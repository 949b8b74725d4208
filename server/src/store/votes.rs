//! Like/dislike rows, one per actor per post or comment, and the recount they drive.

use diesel::backend::Backend;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::serialize::ToSql;
use diesel::sql_types::{BigInt, SmallInt, Text, Timestamp};

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
/// once the target's votes are written.
pub fn upsert(
    conn: &mut DbConn,
    actor_id: i64,
    target: Target,
    value: i16,
    ap_id: &str,
) -> QueryResult<()> {
    match target {
        Target::Post(id) => upsert_on::<false>(conn, actor_id, id, value, ap_id),
        Target::Comment(id) => upsert_on::<true>(conn, actor_id, id, value, ap_id),
    }
}

/// [`upsert`] on a post (`COMMENT` false) or a comment.
fn upsert_on<const COMMENT: bool>(
    conn: &mut DbConn,
    actor_id: i64,
    id: i64,
    value: i16,
    ap_id: &str,
) -> QueryResult<()> {
    let q = Upsert::<COMMENT> {
        ap_id,
        actor_id,
        id,
        value,
        at: super::now(),
    };
    super::connection::on_inner!(conn, |c| q.execute(c))?;
    Ok(())
}

/// The upsert of a vote on a post (`COMMENT` false) or a comment, written out by hand:
/// diesel writes no conflict target with a `WHERE` for SQLite, and its multi-backend
/// connection no `ON CONFLICT` at all. A query type of its own (not `sql_query`), so that
/// each connection prepares it once and keeps it.
struct Upsert<'a, const COMMENT: bool> {
    ap_id: &'a str,
    actor_id: i64,
    /// The post's or comment's id.
    id: i64,
    value: i16,
    at: chrono::NaiveDateTime,
}

impl<const COMMENT: bool> QueryId for Upsert<'_, COMMENT> {
    type QueryId = Upsert<'static, COMMENT>;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl<const COMMENT: bool, DB> QueryFragment<DB> for Upsert<'_, COMMENT>
where
    DB: Backend,
    str: ToSql<Text, DB>,
    i64: ToSql<BigInt, DB>,
    i16: ToSql<SmallInt, DB>,
    chrono::NaiveDateTime: ToSql<Timestamp, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        let column = if COMMENT { "comment_id" } else { "post_id" };
        out.push_sql("INSERT INTO votes (ap_id, actor_id, ");
        out.push_sql(column);
        out.push_sql(", value, created_at) VALUES (");
        out.push_bind_param::<Text, _>(self.ap_id)?;
        out.push_sql(", ");
        out.push_bind_param::<BigInt, _>(&self.actor_id)?;
        out.push_sql(", ");
        out.push_bind_param::<BigInt, _>(&self.id)?;
        out.push_sql(", ");
        out.push_bind_param::<SmallInt, _>(&self.value)?;
        out.push_sql(", ");
        out.push_bind_param::<Timestamp, _>(&self.at)?;
        out.push_sql(") ON CONFLICT (actor_id, ");
        out.push_sql(column);
        out.push_sql(") WHERE ");
        out.push_sql(column);
        out.push_sql(
            " IS NOT NULL DO UPDATE SET value = excluded.value, ap_id = excluded.ap_id, \
             created_at = excluded.created_at",
        );
        Ok(())
    }
}

impl<const COMMENT: bool, C> RunQueryDsl<C> for Upsert<'_, COMMENT> {}

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

/// Whether a Like/Dislike id was taken before: a vote row records it, or
/// (taken back or replaced since) it is among the received activities. One
/// statement on the backend's own connection: the vote writer asks it for
/// every like.
pub fn like_seen(conn: &mut DbConn, ap_id: &str) -> QueryResult<bool> {
    use super::schema::received_activities as received;
    use diesel::dsl::exists;
    let q = diesel::select(
        exists(votes::table.filter(votes::ap_id.eq(ap_id)))
            .or(exists(received::table.filter(received::ap_id.eq(ap_id)))),
    );
    super::connection::on_inner!(conn, |c| q.get_result(c))
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
    // One grouped count on the target's own rows (indexed by target), not
    // boxed (its prepared statement is cached), on the backend's own
    // connection: the vote writer recounts every target it wrote to.
    let counts: Vec<(i16, i64)> = match target {
        Target::Post(id) => counts_of(conn, votes::post_id.eq(id))?,
        Target::Comment(id) => counts_of(conn, votes::comment_id.eq(id))?,
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

/// Likes and dislikes among the votes `on` selects, as (value, count).
fn counts_of<On>(conn: &mut DbConn, on: On) -> QueryResult<Vec<(i16, i64)>>
where
    On: diesel::Expression<SqlType = diesel::sql_types::Nullable<diesel::sql_types::Bool>>
        + diesel::expression::NonAggregate
        + diesel::AppearsOnTable<votes::table>
        + QueryFragment<diesel::sqlite::Sqlite>
        + QueryFragment<diesel::pg::Pg>
        + QueryId,
{
    let q = votes::table
        .filter(on)
        .group_by(votes::value)
        .select((votes::value, diesel::dsl::count_star()));
    super::connection::on_inner!(conn, |c| q.load(c))
}

//! Like/dislike rows, one per actor per post or comment, and the recount they drive.

use diesel::prelude::*;

use super::schema::votes;
use super::{comments, posts, DbConn};

/// What a vote is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    clear_inner(conn, actor_id, target)?;
    let (post_id, comment_id) = match target {
        Target::Post(id) => (Some(id), None),
        Target::Comment(id) => (None, Some(id)),
    };
    diesel::insert_into(votes::table)
        .values((
            votes::ap_id.eq(ap_id),
            votes::actor_id.eq(actor_id),
            votes::post_id.eq(post_id),
            votes::comment_id.eq(comment_id),
            votes::value.eq(value),
            votes::created_at.eq(super::now()),
        ))
        .execute(conn)?;
    recount(conn, target)
}

/// Removes an actor's vote (Undo) and recounts.
pub fn clear(conn: &mut DbConn, actor_id: i64, target: Target) -> QueryResult<()> {
    clear_inner(conn, actor_id, target)?;
    recount(conn, target)
}

fn clear_inner(conn: &mut DbConn, actor_id: i64, target: Target) -> QueryResult<usize> {
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

fn recount(conn: &mut DbConn, target: Target) -> QueryResult<()> {
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

//! Ballot rows: one per voter per proposal, replaced when the vote changes.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::actors::Actor;
use super::schema::{actors, ballots};
use super::DbConn;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = ballots)]
pub struct Ballot {
    pub id: i64,
    pub proposal_id: i64,
    pub voter_id: Option<i64>,
    pub class: String,
    pub choice: String,
    pub receipt_hash: String,
    pub activity_id: Option<String>,
    pub cast_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = ballots)]
pub struct NewBallot<'a> {
    pub proposal_id: i64,
    pub voter_id: Option<i64>,
    pub class: &'a str,
    pub choice: &'a str,
    pub receipt_hash: &'a str,
    pub activity_id: Option<&'a str>,
    pub cast_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, new: &NewBallot<'_>) -> QueryResult<usize> {
    diesel::insert_into(ballots::table)
        .values(new)
        .execute(conn)
}

/// The proposal's ballot with this receipt hash.
pub fn by_receipt(
    conn: &mut DbConn,
    proposal_id: i64,
    receipt_hash: &str,
) -> QueryResult<Option<Ballot>> {
    ballots::table
        .filter(ballots::receipt_hash.eq(receipt_hash))
        .filter(ballots::proposal_id.eq(proposal_id))
        .select(Ballot::as_select())
        .first(conn)
        .optional()
}

pub fn find(conn: &mut DbConn, proposal_id: i64, voter_id: i64) -> QueryResult<Option<Ballot>> {
    ballots::table
        .filter(ballots::proposal_id.eq(proposal_id))
        .filter(ballots::voter_id.eq(voter_id))
        .select(Ballot::as_select())
        .first(conn)
        .optional()
}

/// Replaces a ballot's choice and receipt (a changed vote).
pub fn replace(
    conn: &mut DbConn,
    id: i64,
    choice: &str,
    receipt_hash: &str,
    activity_id: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(ballots::table.find(id))
        .set((
            ballots::choice.eq(choice),
            ballots::receipt_hash.eq(receipt_hash),
            ballots::activity_id.eq(activity_id),
            ballots::updated_at.eq(now),
        ))
        .execute(conn)
}

/// Whether a ballot other than `except` has this receipt hash (receipt hashes are unique).
pub fn receipt_taken(
    conn: &mut DbConn,
    receipt_hash: &str,
    except: Option<i64>,
) -> QueryResult<bool> {
    let holder: Option<i64> = ballots::table
        .filter(ballots::receipt_hash.eq(receipt_hash))
        .select(ballots::id)
        .first(conn)
        .optional()?;
    Ok(holder.is_some_and(|id| Some(id) != except))
}

/// Every ballot on a proposal.
pub fn of_proposal(conn: &mut DbConn, proposal_id: i64) -> QueryResult<Vec<Ballot>> {
    ballots::table
        .filter(ballots::proposal_id.eq(proposal_id))
        .order(ballots::id.asc())
        .select(Ballot::as_select())
        .load(conn)
}

pub fn count(conn: &mut DbConn, proposal_id: i64) -> QueryResult<i64> {
    ballots::table
        .filter(ballots::proposal_id.eq(proposal_id))
        .count()
        .get_result(conn)
}

/// Ballots with their voters, for a roll-call vote.
pub fn with_voters(conn: &mut DbConn, proposal_id: i64) -> QueryResult<Vec<(Ballot, Actor)>> {
    with_voters_page(conn, proposal_id, 0, i64::MAX)
}

/// One page of [`with_voters`], in the same order.
pub fn with_voters_page(
    conn: &mut DbConn,
    proposal_id: i64,
    offset: i64,
    limit: i64,
) -> QueryResult<Vec<(Ballot, Actor)>> {
    ballots::table
        .inner_join(actors::table.on(ballots::voter_id.eq(actors::id.nullable())))
        .filter(ballots::proposal_id.eq(proposal_id))
        .order((actors::name.asc(), actors::id.asc()))
        .offset(offset)
        .limit(limit)
        .select((Ballot::as_select(), Actor::as_select()))
        .load(conn)
}

/// How many ballots of a proposal still name their voter.
pub fn count_with_voters(conn: &mut DbConn, proposal_id: i64) -> QueryResult<i64> {
    ballots::table
        .filter(ballots::proposal_id.eq(proposal_id))
        .filter(ballots::voter_id.is_not_null())
        .count()
        .get_result(conn)
}

/// Forgets who cast each ballot and when (a secret ballot, once closed).
pub fn unlink_voters(conn: &mut DbConn, proposal_id: i64, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(ballots::table.filter(ballots::proposal_id.eq(proposal_id)))
        .set((
            ballots::voter_id.eq(None::<i64>),
            ballots::activity_id.eq(None::<String>),
            ballots::cast_at.eq(at),
            ballots::updated_at.eq(at),
        ))
        .execute(conn)
}

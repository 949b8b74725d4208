//! The reasons given with Block votes, keyed by the ballot's receipt hash (not by voter).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;

diesel::table! {
    block_reasons (receipt_hash) {
        receipt_hash -> Text,
        proposal_id -> BigInt,
        reason -> Text,
        created_at -> Timestamp,
    }
}

use super::schema::ballots;

diesel::allow_tables_to_appear_in_same_query!(block_reasons, ballots);

/// Records (or replaces) the reason of the ballot with this receipt hash.
pub fn save(
    conn: &mut DbConn,
    proposal_id: i64,
    receipt_hash: &str,
    reason: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::delete(block_reasons::table.filter(block_reasons::receipt_hash.eq(receipt_hash)))
        .execute(conn)?;
    diesel::insert_into(block_reasons::table)
        .values((
            block_reasons::receipt_hash.eq(receipt_hash),
            block_reasons::proposal_id.eq(proposal_id),
            block_reasons::reason.eq(reason),
            block_reasons::created_at.eq(now),
        ))
        .execute(conn)
}

/// The reasons of the proposal's current ballots (a replaced ballot's reason no longer shows),
/// oldest first.
pub fn current(conn: &mut DbConn, proposal_id: i64) -> QueryResult<Vec<String>> {
    block_reasons::table
        .inner_join(ballots::table.on(ballots::receipt_hash.eq(block_reasons::receipt_hash)))
        .filter(block_reasons::proposal_id.eq(proposal_id))
        .filter(ballots::proposal_id.eq(proposal_id))
        .order(block_reasons::created_at.asc())
        .select(block_reasons::reason)
        .load(conn)
}

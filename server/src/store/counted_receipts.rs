//! The receipt hashes a closed proposal's count published (one row each), for receipt checks
//! and the paged `<proposal>/receipts` collection.

use diesel::prelude::*;

use super::DbConn;

diesel::table! {
    counted_receipts (proposal_id, receipt_hash) {
        proposal_id -> BigInt,
        receipt_hash -> Text,
    }
}

/// Rows per `INSERT` statement (two bound values each).
const ROWS_PER_STATEMENT: usize = 500;

/// Makes `hashes` the proposal's counted receipts, replacing any stored before. Duplicates are
/// stored once. Run it inside the transaction that records the count.
pub fn replace(conn: &mut DbConn, proposal_id: i64, hashes: &[String]) -> QueryResult<usize> {
    diesel::delete(counted_receipts::table.filter(counted_receipts::proposal_id.eq(proposal_id)))
        .execute(conn)?;
    let mut unique: Vec<&str> = hashes.iter().map(String::as_str).collect();
    unique.sort_unstable();
    unique.dedup();
    let mut stored = 0;
    for chunk in unique.chunks(ROWS_PER_STATEMENT) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|h| {
                (
                    counted_receipts::proposal_id.eq(proposal_id),
                    counted_receipts::receipt_hash.eq(*h),
                )
            })
            .collect();
        // A multi-row insert is written per backend (the `DEFAULT` keyword differs).
        let insert = diesel::insert_into(counted_receipts::table).values(rows);
        stored += match conn {
            DbConn::Sqlite(c) => insert.execute(c)?,
            DbConn::Postgres(c) => insert.execute(c)?,
        };
    }
    Ok(stored)
}

/// Whether the proposal's published count lists this receipt hash.
pub fn contains(conn: &mut DbConn, proposal_id: i64, receipt_hash: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        counted_receipts::table
            .filter(counted_receipts::proposal_id.eq(proposal_id))
            .filter(counted_receipts::receipt_hash.eq(receipt_hash)),
    ))
    .get_result(conn)
}

/// How many receipt hashes are stored for the proposal.
pub fn count(conn: &mut DbConn, proposal_id: i64) -> QueryResult<i64> {
    counted_receipts::table
        .filter(counted_receipts::proposal_id.eq(proposal_id))
        .count()
        .get_result(conn)
}

/// Page `page` (from 0) of the proposal's receipt hashes in order, `per_page` to a page.
pub fn page(
    conn: &mut DbConn,
    proposal_id: i64,
    page: i64,
    per_page: i64,
) -> QueryResult<Vec<String>> {
    counted_receipts::table
        .filter(counted_receipts::proposal_id.eq(proposal_id))
        .order(counted_receipts::receipt_hash.asc())
        .select(counted_receipts::receipt_hash)
        .limit(per_page)
        .offset(page.saturating_mul(per_page))
        .load(conn)
}

//! Activity bookkeeping: ids received (de-duplication) and the persistent outgoing queue.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{outgoing_activities, outgoing_targets, received_activities};
use super::DbConn;

/// Records an incoming activity id; false when it was seen before. A repeat is not an error
/// (`ON CONFLICT DO NOTHING`), so inside a PostgreSQL transaction it does not abort it.
pub fn first_sighting(conn: &mut DbConn, ap_id: &str) -> QueryResult<bool> {
    let insert = diesel::insert_into(received_activities::table)
        .values((
            received_activities::ap_id.eq(ap_id),
            received_activities::received_at.eq(super::now()),
        ))
        .on_conflict_do_nothing();
    let inserted = super::connection::on_inner!(conn, |c| insert.execute(c))?;
    Ok(inserted > 0)
}

/// Whether an activity id was recorded as seen (read only).
pub fn seen(conn: &mut DbConn, ap_id: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        received_activities::table.filter(received_activities::ap_id.eq(ap_id)),
    ))
    .get_result(conn)
}

/// Forgets an id (processing failed, let a retry through).
pub fn forget(conn: &mut DbConn, ap_id: &str) -> QueryResult<usize> {
    diesel::delete(received_activities::table.filter(received_activities::ap_id.eq(ap_id)))
        .execute(conn)
}

pub fn prune_received(conn: &mut DbConn, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(received_activities::table.filter(received_activities::received_at.lt(before)))
        .execute(conn)
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = outgoing_activities)]
pub struct Outgoing {
    pub id: i64,
    pub ap_id: String,
    pub actor_id: i64,
    pub body: String,
    pub created_at: NaiveDateTime,
}

pub fn last_outgoing_id(conn: &mut DbConn) -> QueryResult<i64> {
    outgoing_activities::table
        .select(diesel::dsl::max(outgoing_activities::id))
        .first::<Option<i64>>(conn)
        .map(|m| m.unwrap_or(0))
}

thread_local! {
    static ENQUEUED_HERE: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// How many activities this thread has queued so far: a caller that sees it grow across a
/// piece of database work knows that work queued something (see `AppState::db`).
pub fn enqueued_on_this_thread() -> u64 {
    ENQUEUED_HERE.with(std::cell::Cell::get)
}

/// Target rows per INSERT (three values each, well inside every backend's parameter limit).
const TARGETS_PER_INSERT: usize = 500;

/// Queues an activity for `targets` (instance id, inbox URL). Call inside
/// the transaction that made the change it announces.
pub fn enqueue(
    conn: &mut DbConn,
    ap_id: &str,
    actor_id: i64,
    body: &str,
    targets: &[(i64, String)],
) -> QueryResult<i64> {
    // Workers advance a per-instance position over activity ids, so ids must
    // become visible in id order. SQLite serialises writers already; on
    // PostgreSQL, concurrent enqueuers take turns until their commit.
    if matches!(conn, DbConn::Postgres(_)) {
        diesel::sql_query("LOCK TABLE outgoing_activities IN EXCLUSIVE MODE").execute(conn)?;
    }
    diesel::insert_into(outgoing_activities::table)
        .values((
            outgoing_activities::ap_id.eq(ap_id),
            outgoing_activities::actor_id.eq(actor_id),
            outgoing_activities::body.eq(body),
            outgoing_activities::created_at.eq(super::now()),
        ))
        .execute(conn)?;
    let id: i64 = outgoing_activities::table
        .filter(outgoing_activities::ap_id.eq(ap_id))
        .select(outgoing_activities::id)
        .first(conn)?;
    for chunk in targets.chunks(TARGETS_PER_INSERT) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|(instance, inbox)| {
                (
                    outgoing_targets::activity_id.eq(id),
                    outgoing_targets::instance_id.eq(*instance),
                    outgoing_targets::inbox_url.eq(inbox.as_str()),
                )
            })
            .collect();
        // Multi-row inserts are backend-specific in diesel, hence the match.
        let insert = diesel::insert_into(outgoing_targets::table).values(rows);
        match conn {
            DbConn::Sqlite(c) => insert.execute(c)?,
            DbConn::Postgres(c) => insert.execute(c)?,
        };
    }
    ENQUEUED_HERE.with(|n| n.set(n.get() + 1));
    Ok(id)
}

/// The next deliveries for one instance after its position, oldest first.
pub fn next_for_instance(
    conn: &mut DbConn,
    instance_id: i64,
    after: i64,
    limit: i64,
) -> QueryResult<Vec<(Outgoing, String)>> {
    outgoing_targets::table
        .inner_join(outgoing_activities::table)
        .filter(outgoing_targets::instance_id.eq(instance_id))
        .filter(outgoing_targets::activity_id.gt(after))
        .order((
            outgoing_targets::activity_id.asc(),
            outgoing_targets::inbox_url.asc(),
        ))
        .limit(limit)
        .select((Outgoing::as_select(), outgoing_targets::inbox_url))
        .load(conn)
}

pub fn outgoing_by_ap_id(conn: &mut DbConn, ap_id: &str) -> QueryResult<Option<Outgoing>> {
    outgoing_activities::table
        .filter(outgoing_activities::ap_id.eq(ap_id))
        .select(Outgoing::as_select())
        .first(conn)
        .optional()
}

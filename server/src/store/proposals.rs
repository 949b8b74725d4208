//! Proposal rows, their eligibility snapshot, the community's governance settings, and the
//! conditional updates that make opening and closing happen exactly once.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{governance_settings, memberships, proposal_electorate, proposals};
use super::DbConn;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = proposals)]
pub struct Proposal {
    pub id: i64,
    pub ap_id: String,
    pub community_id: i64,
    pub author_id: Option<i64>,
    pub local: bool,
    pub kind: String,
    pub title: String,
    pub body_markdown: String,
    pub body_html: String,
    pub rule_changes: Option<String>,
    pub base_rules_version: Option<i64>,
    pub candidates: Option<String>,
    pub options: String,
    pub voting: String,
    pub ballot: String,
    pub withdraw_on_leave: bool,
    pub max_extension_seconds: i64,
    pub opens_at: NaiveDateTime,
    pub closes_at: NaiveDateTime,
    pub original_closes_at: NaiveDateTime,
    pub status: String,
    pub electorate: Option<String>,
    pub closed_at: Option<NaiveDateTime>,
    pub result: Option<String>,
    pub passed: Option<bool>,
    pub result_rules_version: Option<i64>,
    pub close_note: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = proposals)]
pub struct NewProposal<'a> {
    pub ap_id: &'a str,
    pub community_id: i64,
    pub author_id: Option<i64>,
    pub local: bool,
    pub kind: &'a str,
    pub title: &'a str,
    pub body_markdown: &'a str,
    pub body_html: &'a str,
    pub rule_changes: Option<&'a str>,
    pub base_rules_version: Option<i64>,
    pub candidates: Option<&'a str>,
    pub options: &'a str,
    pub voting: &'a str,
    pub ballot: &'a str,
    pub withdraw_on_leave: bool,
    pub max_extension_seconds: i64,
    pub opens_at: NaiveDateTime,
    pub closes_at: NaiveDateTime,
    pub original_closes_at: NaiveDateTime,
    pub status: &'a str,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Inserts and reads back the row by its unique `ap_id`. Call inside a transaction.
pub fn insert(conn: &mut DbConn, new: &NewProposal<'_>) -> QueryResult<Proposal> {
    diesel::insert_into(proposals::table)
        .values(new)
        .execute(conn)?;
    by_ap_id(conn, new.ap_id)?.ok_or(diesel::result::Error::NotFound)
}

pub fn by_id(conn: &mut DbConn, id: i64) -> QueryResult<Proposal> {
    proposals::table
        .find(id)
        .select(Proposal::as_select())
        .first(conn)
}

pub fn by_ap_id(conn: &mut DbConn, ap_id: &str) -> QueryResult<Option<Proposal>> {
    proposals::table
        .filter(proposals::ap_id.eq(ap_id))
        .select(Proposal::as_select())
        .first(conn)
        .optional()
}

/// Local proposals get their id from their row number, so the id is set after insert.
pub fn set_ap_id(conn: &mut DbConn, id: i64, ap_id: &str) -> QueryResult<usize> {
    diesel::update(proposals::table.find(id))
        .set(proposals::ap_id.eq(ap_id))
        .execute(conn)
}

/// A community's proposals, newest first, optionally only those with one status.
pub fn list(
    conn: &mut DbConn,
    community_id: i64,
    status: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<Proposal>> {
    let mut q = proposals::table
        .filter(proposals::community_id.eq(community_id))
        .into_boxed();
    if let Some(s) = status {
        q = q.filter(proposals::status.eq(s.to_string()));
    }
    q.order((proposals::created_at.desc(), proposals::id.desc()))
        .limit(limit)
        .select(Proposal::as_select())
        .load(conn)
}

/// How many of a community's proposals take votes at `now`: open, with the close still ahead.
/// (Our copy of a remote community's proposal stays open until its close reaches us; past its
/// close time it no longer counts.)
pub fn count_open(conn: &mut DbConn, community_id: i64, now: NaiveDateTime) -> QueryResult<i64> {
    proposals::table
        .filter(proposals::community_id.eq(community_id))
        .filter(proposals::status.eq("open"))
        .filter(proposals::closes_at.gt(now))
        .count()
        .get_result(conn)
}

/// Scheduled proposals whose opening time has come.
pub fn due_to_open(conn: &mut DbConn, now: NaiveDateTime) -> QueryResult<Vec<i64>> {
    proposals::table
        .filter(proposals::local.eq(true))
        .filter(proposals::status.eq("scheduled"))
        .filter(proposals::opens_at.le(now))
        .order(proposals::opens_at.asc())
        .select(proposals::id)
        .load(conn)
}

/// Open local proposals whose closing time has come (a remote community closes its own).
pub fn due_to_close(conn: &mut DbConn, now: NaiveDateTime) -> QueryResult<Vec<i64>> {
    proposals::table
        .filter(proposals::local.eq(true))
        .filter(proposals::status.eq("open"))
        .filter(proposals::closes_at.le(now))
        .order(proposals::closes_at.asc())
        .select(proposals::id)
        .load(conn)
}

/// The earliest moment something is due: a scheduled local proposal opening or an open one
/// closing.
pub fn next_due(conn: &mut DbConn) -> QueryResult<Option<NaiveDateTime>> {
    let open: Option<NaiveDateTime> = proposals::table
        .filter(proposals::local.eq(true))
        .filter(proposals::status.eq("scheduled"))
        .select(diesel::dsl::min(proposals::opens_at))
        .first(conn)?;
    let close: Option<NaiveDateTime> = proposals::table
        .filter(proposals::local.eq(true))
        .filter(proposals::status.eq("open"))
        .select(diesel::dsl::min(proposals::closes_at))
        .first(conn)?;
    Ok(match (open, close) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    })
}

/// The claim to open: scheduled → open, only once and only when due. Returns rows changed (0 or 1).
pub fn claim_open(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        proposals::table
            .filter(proposals::id.eq(id))
            .filter(proposals::status.eq("scheduled"))
            .filter(proposals::opens_at.le(now)),
    )
    .set((proposals::status.eq("open"), proposals::updated_at.eq(now)))
    .execute(conn)
}

/// The claim to close: open → closed, only once and only when due. Returns rows changed (0 or 1).
/// Run it first in the transaction that records the outcome: it locks the row (PostgreSQL) or
/// the database (SQLite), so a vote in flight either lands before the tally or is refused.
pub fn claim_close(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        proposals::table
            .filter(proposals::id.eq(id))
            .filter(proposals::status.eq("open"))
            .filter(proposals::closes_at.le(now)),
    )
    .set((
        proposals::status.eq("closed"),
        proposals::closed_at.eq(Some(now)),
        proposals::updated_at.eq(now),
    ))
    .execute(conn)
}

/// The lock a vote takes first: touches the row only while the proposal is open and not past its
/// close time. 0 means the vote must be refused.
pub fn lock_open(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        proposals::table
            .filter(proposals::id.eq(id))
            .filter(proposals::status.eq("open"))
            .filter(proposals::closes_at.gt(now)),
    )
    .set(proposals::updated_at.eq(now))
    .execute(conn)
}

pub fn set_electorate(conn: &mut DbConn, id: i64, electorate: &str) -> QueryResult<usize> {
    diesel::update(proposals::table.find(id))
        .set(proposals::electorate.eq(Some(electorate)))
        .execute(conn)
}

/// Moves the close time of an open proposal that has not reached it yet.
pub fn extend(
    conn: &mut DbConn,
    id: i64,
    closes_at: NaiveDateTime,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        proposals::table
            .filter(proposals::id.eq(id))
            .filter(proposals::status.ne("closed"))
            .filter(proposals::closes_at.gt(now)),
    )
    .set((
        proposals::closes_at.eq(closes_at),
        proposals::updated_at.eq(now),
    ))
    .execute(conn)
}

/// What closing recorded.
pub struct Recorded<'a> {
    pub result: Option<&'a str>,
    pub passed: Option<bool>,
    pub result_rules_version: Option<i64>,
    pub close_note: Option<&'a str>,
}

pub fn record_result(conn: &mut DbConn, id: i64, r: &Recorded<'_>) -> QueryResult<usize> {
    diesel::update(proposals::table.find(id))
        .set((
            proposals::result.eq(r.result),
            proposals::passed.eq(r.passed),
            proposals::result_rules_version.eq(r.result_rules_version),
            proposals::close_note.eq(r.close_note),
        ))
        .execute(conn)
}

/// The write lock a remote proposal's copy takes first, so that its transaction never reads
/// before it writes (on SQLite such a transaction fails at once when another writer got in
/// between; on PostgreSQL it orders two copies of the same update).
pub fn lock_remote(conn: &mut DbConn, ap_id: &str) -> QueryResult<usize> {
    diesel::update(proposals::table.filter(proposals::ap_id.eq(ap_id)))
        .set(proposals::updated_at.eq(proposals::updated_at))
        .execute(conn)
}

/// Our copy of a remote community's proposal, while it is not closed.
type OpenCopy = diesel::dsl::Filter<
    diesel::dsl::Filter<
        diesel::dsl::Filter<proposals::table, diesel::dsl::Eq<proposals::id, i64>>,
        diesel::dsl::Eq<proposals::local, bool>,
    >,
    diesel::dsl::NotEq<proposals::status, &'static str>,
>;

fn open_copy(id: i64) -> OpenCopy {
    proposals::table
        .filter(proposals::id.eq(id))
        .filter(proposals::local.eq(false))
        .filter(proposals::status.ne("closed"))
}

/// What a remote community published about its proposal since we stored it: the text and the
/// close time (an extension). Only while our copy is open.
pub fn update_remote(
    conn: &mut DbConn,
    id: i64,
    title: &str,
    body_html: &str,
    closes_at: NaiveDateTime,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(open_copy(id))
        .set((
            proposals::title.eq(title),
            proposals::body_html.eq(body_html),
            proposals::closes_at.eq(closes_at),
            proposals::updated_at.eq(now),
        ))
        .execute(conn)
}

/// The close a remote community announced: open → closed once. Returns rows changed (0 or 1).
pub fn close_remote(
    conn: &mut DbConn,
    id: i64,
    closed_at: NaiveDateTime,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(open_copy(id))
        .set((
            proposals::status.eq("closed"),
            proposals::closed_at.eq(Some(closed_at)),
            proposals::updated_at.eq(now),
        ))
        .execute(conn)
}

/// The proposal of a community whose close adopted rules version `version`, if we have it.
pub fn adopting(conn: &mut DbConn, community_id: i64, version: i64) -> QueryResult<Option<i64>> {
    proposals::table
        .filter(proposals::community_id.eq(community_id))
        .filter(proposals::result_rules_version.eq(Some(version)))
        .select(proposals::id)
        .first(conn)
        .optional()
}

// --- Eligibility snapshot -------------------------------------------------------------------

/// Copies the community's active members with a class into the proposal's electorate.
/// Returns `(person_id, class)` of everyone copied.
pub fn snapshot_electorate(
    conn: &mut DbConn,
    proposal_id: i64,
    community_id: i64,
) -> QueryResult<Vec<(i64, String)>> {
    use diesel::dsl::sql;
    use diesel::sql_types::BigInt;
    let eligible = memberships::table
        .filter(memberships::community_id.eq(community_id))
        .filter(memberships::status.eq("active"))
        .filter(memberships::class.ne(""));
    diesel::insert_into(proposal_electorate::table)
        .values(eligible.select((
            sql::<BigInt>("").bind::<BigInt, _>(proposal_id),
            memberships::person_id,
            memberships::class,
        )))
        .into_columns((
            proposal_electorate::proposal_id,
            proposal_electorate::person_id,
            proposal_electorate::class,
        ))
        .execute(conn)?;
    let members = proposal_electorate::table
        .filter(proposal_electorate::proposal_id.eq(proposal_id))
        .order(proposal_electorate::person_id.asc())
        .select((proposal_electorate::person_id, proposal_electorate::class))
        .load(conn)?;
    Ok(members)
}

/// The voter's class in the snapshot, `None` when they were not eligible.
pub fn eligible_class(
    conn: &mut DbConn,
    proposal_id: i64,
    person_id: i64,
) -> QueryResult<Option<String>> {
    proposal_electorate::table
        .filter(proposal_electorate::proposal_id.eq(proposal_id))
        .filter(proposal_electorate::person_id.eq(person_id))
        .select(proposal_electorate::class)
        .first(conn)
        .optional()
}

/// Active members per class of a community right now (to check rules before a proposal opens).
pub fn active_class_counts(conn: &mut DbConn, community_id: i64) -> QueryResult<Vec<String>> {
    memberships::table
        .filter(memberships::community_id.eq(community_id))
        .filter(memberships::status.eq("active"))
        .filter(memberships::class.ne(""))
        .select(memberships::class)
        .load(conn)
}

/// Sets a member's role (elections change moderators).
pub fn set_role(
    conn: &mut DbConn,
    community_id: i64,
    person_id: i64,
    role: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        memberships::table
            .filter(memberships::community_id.eq(community_id))
            .filter(memberships::person_id.eq(person_id)),
    )
    .set((memberships::role.eq(role), memberships::updated_at.eq(now)))
    .execute(conn)
}

/// Active moderators (not owners) of a community.
pub fn moderators(conn: &mut DbConn, community_id: i64) -> QueryResult<Vec<i64>> {
    memberships::table
        .filter(memberships::community_id.eq(community_id))
        .filter(memberships::role.eq("moderator"))
        .select(memberships::person_id)
        .load(conn)
}

// --- Settings -------------------------------------------------------------------------------

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = governance_settings)]
pub struct Settings {
    pub community_id: i64,
    pub proposers: String,
    pub allow_extension: bool,
    pub max_extension_seconds: i64,
    pub withdraw_on_leave: bool,
    pub updated_at: NaiveDateTime,
}

pub fn settings(conn: &mut DbConn, community_id: i64) -> QueryResult<Option<Settings>> {
    governance_settings::table
        .find(community_id)
        .select(Settings::as_select())
        .first(conn)
        .optional()
}

pub fn save_settings(conn: &mut DbConn, s: &Settings) -> QueryResult<usize> {
    let updated = diesel::update(governance_settings::table.find(s.community_id))
        .set(s)
        .execute(conn)?;
    if updated > 0 {
        return Ok(updated);
    }
    diesel::insert_into(governance_settings::table)
        .values(s)
        .execute(conn)
}

/// Actor ids of a community's active members.
pub fn active_member_ids(conn: &mut DbConn, community_id: i64) -> QueryResult<Vec<i64>> {
    memberships::table
        .filter(memberships::community_id.eq(community_id))
        .filter(memberships::status.eq("active"))
        .select(memberships::person_id)
        .load(conn)
}

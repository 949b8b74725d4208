//! Rule versions: every version of a community's rules, in full, and the proposal that adopted it.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::rule_versions;
use super::DbConn;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = rule_versions)]
pub struct RuleVersion {
    pub id: i64,
    pub community_id: i64,
    pub version: i64,
    pub rules: String,
    pub next_rule_id: i64,
    pub proposal_id: Option<i64>,
    pub adopted_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = rule_versions)]
pub struct NewRuleVersion<'a> {
    pub community_id: i64,
    pub version: i64,
    pub rules: &'a str,
    pub next_rule_id: i64,
    pub proposal_id: Option<i64>,
    pub adopted_at: NaiveDateTime,
}

/// Inserts a version; a concurrent insert of the same version fails with a unique violation.
pub fn insert(conn: &mut DbConn, new: &NewRuleVersion<'_>) -> QueryResult<usize> {
    diesel::insert_into(rule_versions::table)
        .values(new)
        .execute(conn)
}

/// The latest version, `None` when the community has no rules yet.
pub fn current(conn: &mut DbConn, community_id: i64) -> QueryResult<Option<RuleVersion>> {
    rule_versions::table
        .filter(rule_versions::community_id.eq(community_id))
        .order(rule_versions::version.desc())
        .select(RuleVersion::as_select())
        .first(conn)
        .optional()
}

pub fn version(
    conn: &mut DbConn,
    community_id: i64,
    version: i64,
) -> QueryResult<Option<RuleVersion>> {
    rule_versions::table
        .filter(rule_versions::community_id.eq(community_id))
        .filter(rule_versions::version.eq(version))
        .select(RuleVersion::as_select())
        .first(conn)
        .optional()
}

/// Every version, oldest first.
pub fn all(conn: &mut DbConn, community_id: i64) -> QueryResult<Vec<RuleVersion>> {
    rule_versions::table
        .filter(rule_versions::community_id.eq(community_id))
        .order(rule_versions::version.asc())
        .select(RuleVersion::as_select())
        .load(conn)
}

/// Records which proposal adopted a version (a remote community's outcome may arrive after its
/// new rules). Only fills a version that names none.
pub fn link_proposal(
    conn: &mut DbConn,
    community_id: i64,
    version: i64,
    proposal_id: i64,
) -> QueryResult<usize> {
    diesel::update(
        rule_versions::table
            .filter(rule_versions::community_id.eq(community_id))
            .filter(rule_versions::version.eq(version))
            .filter(rule_versions::proposal_id.is_null()),
    )
    .set(rule_versions::proposal_id.eq(Some(proposal_id)))
    .execute(conn)
}

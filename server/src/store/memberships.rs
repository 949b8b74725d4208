//! Membership rows: who belongs to which community, in which stakeholder class and role.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::actors::Actor;
use super::schema::{actors, memberships};
use super::DbConn;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = memberships)]
pub struct Membership {
    pub id: i64,
    pub community_id: i64,
    pub person_id: i64,
    pub class: String,
    pub role: String,
    pub status: String,
    pub application: Option<String>,
    pub decision_reason: Option<String>,
    pub join_activity_id: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub active_since: Option<NaiveDateTime>,
}

impl Membership {
    pub fn is_active(&self) -> bool {
        self.status == "active"
    }

    pub fn is_moderator(&self) -> bool {
        self.is_active() && (self.role == "moderator" || self.role == "owner")
    }
}

#[derive(Debug, Insertable, AsChangeset)]
#[diesel(table_name = memberships)]
pub struct NewMembership<'a> {
    pub community_id: i64,
    pub person_id: i64,
    pub class: &'a str,
    pub role: &'a str,
    pub status: &'a str,
    pub application: Option<&'a str>,
    pub decision_reason: Option<&'a str>,
    pub join_activity_id: Option<&'a str>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub active_since: Option<NaiveDateTime>,
}

pub fn find(
    conn: &mut DbConn,
    community_id: i64,
    person_id: i64,
) -> QueryResult<Option<Membership>> {
    memberships::table
        .filter(memberships::community_id.eq(community_id))
        .filter(memberships::person_id.eq(person_id))
        .select(Membership::as_select())
        .first(conn)
        .optional()
}

pub fn by_id(conn: &mut DbConn, id: i64) -> QueryResult<Membership> {
    memberships::table
        .find(id)
        .select(Membership::as_select())
        .first(conn)
}

/// Inserts, or replaces an earlier (left/refused/removed) membership of the same person.
pub fn upsert(conn: &mut DbConn, new: &NewMembership<'_>) -> QueryResult<Membership> {
    match find(conn, new.community_id, new.person_id)? {
        Some(old) => {
            diesel::update(memberships::table.find(old.id))
                .set(new)
                .execute(conn)?;
        }
        None => {
            diesel::insert_into(memberships::table)
                .values(new)
                .execute(conn)?;
        }
    }
    find(conn, new.community_id, new.person_id)?.ok_or(diesel::result::Error::NotFound)
}

pub fn set_status(
    conn: &mut DbConn,
    id: i64,
    status: &str,
    reason: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let active_since = (status == "active").then_some(now);
    diesel::update(memberships::table.find(id))
        .set((
            memberships::status.eq(status),
            memberships::decision_reason.eq(reason),
            memberships::updated_at.eq(now),
            memberships::active_since.eq(active_since),
        ))
        .execute(conn)
}

/// Members of a community with the given status, with their actors.
pub fn list(
    conn: &mut DbConn,
    community_id: i64,
    status: &str,
) -> QueryResult<Vec<(Membership, Actor)>> {
    memberships::table
        .inner_join(actors::table)
        .filter(memberships::community_id.eq(community_id))
        .filter(memberships::status.eq(status))
        .order(memberships::created_at.asc())
        .select((Membership::as_select(), Actor::as_select()))
        .load(conn)
}

pub fn count_active(conn: &mut DbConn, community_id: i64) -> QueryResult<i64> {
    memberships::table
        .filter(memberships::community_id.eq(community_id))
        .filter(memberships::status.eq("active"))
        .count()
        .get_result(conn)
}

/// Communities a person is an active member of.
pub fn communities_of(conn: &mut DbConn, person_id: i64) -> QueryResult<Vec<i64>> {
    memberships::table
        .filter(memberships::person_id.eq(person_id))
        .filter(memberships::status.eq("active"))
        .select(memberships::community_id)
        .load(conn)
}

/// Remembers the id of the `Join` we sent, to match the answer.
pub fn set_join_activity(conn: &mut DbConn, id: i64, activity_id: &str) -> QueryResult<usize> {
    diesel::update(memberships::table.find(id))
        .set(memberships::join_activity_id.eq(activity_id))
        .execute(conn)
}

/// The membership a `Join` activity with this id asked for.
pub fn by_join_activity(conn: &mut DbConn, activity_id: &str) -> QueryResult<Option<Membership>> {
    memberships::table
        .filter(memberships::join_activity_id.eq(activity_id))
        .select(Membership::as_select())
        .first(conn)
        .optional()
}

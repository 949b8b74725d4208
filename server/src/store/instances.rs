//! Other instances: the admin's federation policy (allow/block/follow) and each one's delivery state.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::instances;
use super::DbConn;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = instances)]
pub struct Instance {
    pub id: i64,
    pub host: String,
    pub policy: String,
    pub followed: bool,
    pub software: Option<String>,
    pub delivered_up_to: i64,
    pub fail_count: i32,
    pub next_attempt_at: Option<NaiveDateTime>,
    pub parked: bool,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The last delivery or fetch that succeeded.
    pub last_contact_at: Option<NaiveDateTime>,
}

/// How delivery to an instance is going.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryState {
    Healthy,
    /// Failed lately; retried after a growing pause.
    BackingOff,
    /// Failed so often it is tried only rarely.
    Parked,
}

impl DeliveryState {
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryState::Healthy => "healthy",
            DeliveryState::BackingOff => "backing_off",
            DeliveryState::Parked => "parked",
        }
    }
}

impl Instance {
    pub fn delivery_state(&self) -> DeliveryState {
        if self.parked {
            DeliveryState::Parked
        } else if self.fail_count > 0 {
            DeliveryState::BackingOff
        } else {
            DeliveryState::Healthy
        }
    }
}

pub fn by_host(conn: &mut DbConn, host: &str) -> QueryResult<Option<Instance>> {
    instances::table
        .filter(instances::host.eq(host.to_lowercase()))
        .select(Instance::as_select())
        .first(conn)
        .optional()
}

pub fn by_id(conn: &mut DbConn, id: i64) -> QueryResult<Instance> {
    instances::table
        .find(id)
        .select(Instance::as_select())
        .first(conn)
}

/// The row for a host, created on first sight. New instances start at the
/// current end of the queue: they get what is sent from now on.
pub fn ensure(conn: &mut DbConn, host: &str) -> QueryResult<Instance> {
    if let Some(i) = by_host(conn, host)? {
        return Ok(i);
    }
    let now = super::now();
    let start = super::activities::last_outgoing_id(conn)?;
    // In a savepoint of its own: when another transaction inserted the host first, the unique
    // violation must not abort the caller's transaction (PostgreSQL would refuse everything after).
    let inserted = super::write_transaction(conn, |c| {
        diesel::insert_into(instances::table)
            .values((
                instances::host.eq(host.to_lowercase()),
                instances::delivered_up_to.eq(start),
                instances::created_at.eq(now),
                instances::updated_at.eq(now),
            ))
            .execute(c)
    });
    match inserted {
        Ok(_) => {}
        Err(e) if super::is_unique_violation(&e) => {}
        Err(e) => return Err(e),
    }
    by_host(conn, host)?.ok_or(diesel::result::Error::NotFound)
}

pub fn all(conn: &mut DbConn) -> QueryResult<Vec<Instance>> {
    instances::table
        .order(instances::host.asc())
        .select(Instance::as_select())
        .load(conn)
}

pub fn set_policy(conn: &mut DbConn, host: &str, policy: &str) -> QueryResult<Instance> {
    let i = ensure(conn, host)?;
    diesel::update(instances::table.find(i.id))
        .set((
            instances::policy.eq(policy),
            instances::updated_at.eq(super::now()),
        ))
        .execute(conn)?;
    by_id(conn, i.id)
}

pub fn set_followed(conn: &mut DbConn, host: &str, followed: bool) -> QueryResult<Instance> {
    let i = ensure(conn, host)?;
    diesel::update(instances::table.find(i.id))
        .set((
            instances::followed.eq(followed),
            instances::updated_at.eq(super::now()),
        ))
        .execute(conn)?;
    by_id(conn, i.id)
}

/// Records progress: everything up to `activity_id` is delivered.
pub fn delivered(conn: &mut DbConn, id: i64, activity_id: i64) -> QueryResult<usize> {
    diesel::update(instances::table.find(id))
        .set((
            instances::delivered_up_to.eq(activity_id),
            instances::fail_count.eq(0),
            instances::next_attempt_at.eq(None::<NaiveDateTime>),
            instances::parked.eq(false),
            instances::last_error.eq(None::<String>),
            instances::last_contact_at.eq(Some(super::now())),
        ))
        .execute(conn)
}

/// Records that a fetch from the instance succeeded.
pub fn contacted(conn: &mut DbConn, host: &str) -> QueryResult<()> {
    let i = ensure(conn, host)?;
    diesel::update(instances::table.find(i.id))
        .set(instances::last_contact_at.eq(Some(super::now())))
        .execute(conn)?;
    Ok(())
}

/// Hosts of the instances the admin follows, in order.
pub fn followed_hosts(conn: &mut DbConn) -> QueryResult<Vec<String>> {
    instances::table
        .filter(instances::followed.eq(true))
        .filter(instances::policy.ne("block"))
        .order(instances::host.asc())
        .select(instances::host)
        .load(conn)
}

/// Records a failure and when to try again; parks after too many.
pub fn failed(
    conn: &mut DbConn,
    id: i64,
    fail_count: i32,
    next_attempt_at: NaiveDateTime,
    parked: bool,
    error: &str,
) -> QueryResult<usize> {
    diesel::update(instances::table.find(id))
        .set((
            instances::fail_count.eq(fail_count),
            instances::next_attempt_at.eq(Some(next_attempt_at)),
            instances::parked.eq(parked),
            instances::last_error.eq(Some(error.chars().take(500).collect::<String>())),
        ))
        .execute(conn)
}

/// Instances with deliveries waiting after their position.
pub fn with_pending(conn: &mut DbConn) -> QueryResult<Vec<Instance>> {
    use super::schema::outgoing_targets;
    instances::table
        .filter(diesel::dsl::exists(
            outgoing_targets::table
                .filter(outgoing_targets::instance_id.eq(instances::id))
                .filter(outgoing_targets::activity_id.gt(instances::delivered_up_to)),
        ))
        .select(Instance::as_select())
        .load(conn)
}

//! Community rows: a Group actor with its title, description, join policy and stakeholder classes.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::actors::Actor;
use super::schema::{actors, communities};
use super::DbConn;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = communities)]
pub struct Community {
    pub id: i64,
    pub actor_id: i64,
    pub local: bool,
    pub name: String,
    pub title: String,
    pub description_markdown: String,
    pub description_html: String,
    pub join_policy: String,
    pub stakeholder_classes: String,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Community {
    /// The stakeholder classes, decoded from their JSON column.
    pub fn classes(&self) -> Vec<String> {
        serde_json::from_str(&self.stakeholder_classes).unwrap_or_default()
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = communities)]
pub struct NewCommunity<'a> {
    pub actor_id: i64,
    pub local: bool,
    pub name: &'a str,
    pub title: &'a str,
    pub description_markdown: &'a str,
    pub description_html: &'a str,
    pub join_policy: &'a str,
    pub stakeholder_classes: &'a str,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub type WithActor = (Community, Actor);

pub fn insert(conn: &mut DbConn, new: &NewCommunity<'_>) -> QueryResult<Community> {
    diesel::insert_into(communities::table)
        .values(new)
        .execute(conn)?;
    communities::table
        .filter(communities::actor_id.eq(new.actor_id))
        .select(Community::as_select())
        .first(conn)
}

pub fn by_id(conn: &mut DbConn, id: i64) -> QueryResult<WithActor> {
    communities::table
        .inner_join(actors::table)
        .filter(communities::id.eq(id))
        .select((Community::as_select(), Actor::as_select()))
        .first(conn)
}

pub fn by_actor(conn: &mut DbConn, actor_id: i64) -> QueryResult<Option<WithActor>> {
    communities::table
        .inner_join(actors::table)
        .filter(communities::actor_id.eq(actor_id))
        .select((Community::as_select(), Actor::as_select()))
        .first(conn)
        .optional()
}

pub fn by_ap_id(conn: &mut DbConn, ap_id: &str) -> QueryResult<Option<WithActor>> {
    communities::table
        .inner_join(actors::table)
        .filter(actors::ap_id.eq(ap_id))
        .select((Community::as_select(), Actor::as_select()))
        .first(conn)
        .optional()
}

pub fn local_by_name(conn: &mut DbConn, name: &str) -> QueryResult<Option<WithActor>> {
    communities::table
        .inner_join(actors::table)
        .filter(communities::local.eq(true))
        .filter(communities::name.eq(name.to_lowercase()))
        .select((Community::as_select(), Actor::as_select()))
        .first(conn)
        .optional()
}

/// Every community we know, local first, then by title.
pub fn list(conn: &mut DbConn, local_only: bool) -> QueryResult<Vec<WithActor>> {
    let mut q = communities::table
        .inner_join(actors::table)
        .select((Community::as_select(), Actor::as_select()))
        .order((communities::local.desc(), communities::title.asc()))
        .into_boxed();
    if local_only {
        q = q.filter(communities::local.eq(true));
    }
    q.load(conn)
}

pub fn update_details(
    conn: &mut DbConn,
    id: i64,
    title: &str,
    description_markdown: &str,
    description_html: &str,
    join_policy: &str,
    classes_json: &str,
) -> QueryResult<usize> {
    diesel::update(communities::table.find(id))
        .set((
            communities::title.eq(title),
            communities::description_markdown.eq(description_markdown),
            communities::description_html.eq(description_html),
            communities::join_policy.eq(join_policy),
            communities::stakeholder_classes.eq(classes_json),
            communities::updated_at.eq(super::now()),
        ))
        .execute(conn)
}

/// Creates or refreshes the community row of a remote Group actor.
#[allow(clippy::too_many_arguments)]
pub fn upsert_remote(
    conn: &mut DbConn,
    actor_id: i64,
    name: &str,
    title: &str,
    description_markdown: &str,
    description_html: &str,
    join_policy: &str,
    classes_json: &str,
) -> QueryResult<Community> {
    let now = super::now();
    match by_actor(conn, actor_id)? {
        Some((c, _)) => {
            update_details(
                conn,
                c.id,
                title,
                description_markdown,
                description_html,
                join_policy,
                classes_json,
            )?;
        }
        None => {
            let new = NewCommunity {
                actor_id,
                local: false,
                name,
                title,
                description_markdown,
                description_html,
                join_policy,
                stakeholder_classes: classes_json,
                created_by: None,
                created_at: now,
                updated_at: now,
            };
            // Another request may store the same Group at the same moment;
            // the savepoint keeps PostgreSQL's transaction usable, and the
            // row it stored is as good as ours.
            match conn.transaction(|c| insert(c, &new)) {
                Err(e) if !super::is_unique_violation(&e) => return Err(e),
                _ => {}
            }
        }
    }
    by_actor(conn, actor_id)?
        .map(|(c, _)| c)
        .ok_or(diesel::result::Error::NotFound)
}

/// The communities known here that live on one other instance, by title.
pub fn remote_on_host(conn: &mut DbConn, host: &str) -> QueryResult<Vec<WithActor>> {
    communities::table
        .inner_join(actors::table)
        .filter(communities::local.eq(false))
        .filter(actors::domain.eq(host.to_lowercase()))
        .select((Community::as_select(), Actor::as_select()))
        .order(communities::title.asc())
        .load(conn)
}

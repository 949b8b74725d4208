//! Feeds: a community's posts, a person's subscriptions, local and all-known, sorted and cursor-paginated.

use std::collections::HashMap;

use diesel::prelude::*;

use super::ContentError;
use crate::store::actors::Actor;
use crate::store::communities::Community;
use crate::store::posts::{self, Cursor, Post, Scope, Sort};
use crate::store::schema::{actors, communities};
use crate::store::{follows, memberships, DbConn};

pub const PAGE_SIZE: i64 = 20;

/// Which feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedKind {
    Community(i64),
    /// Communities the person follows or belongs to.
    Mine(i64),
    Local,
    All,
}

#[derive(Debug, Clone)]
pub struct FeedItem {
    pub post: Post,
    pub community: Community,
    pub community_actor: Actor,
    pub author: Actor,
}

#[derive(Debug, Clone)]
pub struct FeedPage {
    pub items: Vec<FeedItem>,
    /// Opaque cursor for the next page, if there is one.
    pub next: Option<String>,
}

pub fn parse_sort(s: Option<&str>) -> Result<Sort, ContentError> {
    match s.unwrap_or("new") {
        "new" => Ok(Sort::New),
        "active" => Ok(Sort::Active),
        "top" => Ok(Sort::Top),
        other => Err(ContentError::Invalid(format!(
            "Unknown sort “{other}”: use new, active or top."
        ))),
    }
}

pub fn encode_cursor(c: &Cursor) -> String {
    match c {
        Cursor::Time(t, id) => format!("t{}_{id}", t.and_utc().timestamp_micros()),
        Cursor::Count(n, id) => format!("c{n}_{id}"),
    }
}

pub fn decode_cursor(s: &str) -> Result<Cursor, ContentError> {
    let bad = || ContentError::Invalid("That page link is not valid.".into());
    let (kind, rest) = s.split_at_checked(1).ok_or_else(bad)?;
    let (a, b) = rest.split_once('_').ok_or_else(bad)?;
    let a: i64 = a.parse().map_err(|_| bad())?;
    let id: i64 = b.parse().map_err(|_| bad())?;
    match kind {
        "t" => chrono::DateTime::from_timestamp_micros(a)
            .map(|t| Cursor::Time(t.naive_utc(), id))
            .ok_or_else(bad),
        "c" => Ok(Cursor::Count(a, id)),
        _ => Err(bad()),
    }
}

/// One page of a feed.
pub fn page(
    conn: &mut DbConn,
    kind: &FeedKind,
    sort: Sort,
    cursor: Option<&str>,
) -> Result<FeedPage, ContentError> {
    let after = cursor.map(decode_cursor).transpose()?;
    let scope = match kind {
        FeedKind::Community(id) => Scope::Communities(vec![*id]),
        FeedKind::Mine(person) => {
            let mut ids = follows::followed_by(conn, *person)?;
            ids.extend(memberships::communities_of(conn, *person)?);
            ids.sort_unstable();
            ids.dedup();
            Scope::Communities(ids)
        }
        FeedKind::Local => Scope::LocalCommunities,
        FeedKind::All => Scope::All,
    };
    let local_ids: Vec<i64> = if matches!(scope, Scope::LocalCommunities) {
        communities::table
            .filter(communities::local.eq(true))
            .select(communities::id)
            .load(conn)?
    } else {
        Vec::new()
    };
    let mut rows = posts::feed(
        conn,
        &scope,
        &local_ids,
        sort,
        after.as_ref(),
        PAGE_SIZE + 1,
    )?;
    let next = if rows.len() as i64 > PAGE_SIZE {
        rows.truncate(PAGE_SIZE as usize);
        rows.last()
            .map(|p| encode_cursor(&posts::cursor_after(p, sort)))
    } else {
        None
    };
    Ok(FeedPage {
        items: hydrate(conn, rows)?,
        next,
    })
}

/// Loads the communities and authors of posts in two queries.
pub fn hydrate(conn: &mut DbConn, rows: Vec<Post>) -> Result<Vec<FeedItem>, ContentError> {
    let mut community_ids: Vec<i64> = rows.iter().map(|p| p.community_id).collect();
    community_ids.sort_unstable();
    community_ids.dedup();
    let mut author_ids: Vec<i64> = rows.iter().map(|p| p.author_id).collect();
    author_ids.sort_unstable();
    author_ids.dedup();
    let comms: HashMap<i64, (Community, Actor)> = communities::table
        .inner_join(actors::table)
        .filter(communities::id.eq_any(&community_ids))
        .select((Community::as_select(), Actor::as_select()))
        .load::<(Community, Actor)>(conn)?
        .into_iter()
        .map(|(c, a)| (c.id, (c, a)))
        .collect();
    let authors: HashMap<i64, Actor> = actors::table
        .filter(actors::id.eq_any(&author_ids))
        .select(Actor::as_select())
        .load::<Actor>(conn)?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    Ok(rows
        .into_iter()
        .filter_map(|post| {
            let (community, community_actor) = comms.get(&post.community_id)?.clone();
            let author = authors.get(&post.author_id)?.clone();
            Some(FeedItem {
                post,
                community,
                community_actor,
                author,
            })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_garbage() {
        let t = chrono::DateTime::from_timestamp_micros(1_790_000_000_123_456)
            .unwrap()
            .naive_utc();
        for c in [Cursor::Time(t, 42), Cursor::Count(7, 3)] {
            assert_eq!(decode_cursor(&encode_cursor(&c)).unwrap(), c);
        }
        for bad in ["", "x1_2", "t_2", "tabc_1", "c1", "t1_x", "é"] {
            assert!(decode_cursor(bad).is_err(), "{bad}");
        }
    }
}

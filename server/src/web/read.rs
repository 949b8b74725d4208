//! Read models shared by the web UI and the JSON API: communities by key,
//! their counts, a person's standing, posts with their community and author,
//! comment threads and a person's votes.
//!
//! These are queries the store does not (yet) offer in one call; they only
//! read, so business rules stay in the domain.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::domain::communities::CommunityError;
use crate::domain::content::feed::{self, FeedItem};
use crate::domain::content::ContentError;
use crate::domain::Instance;
use crate::store::actors::Actor;
use crate::store::comments::{self, Comment};
use crate::store::communities::{self, Community, WithActor};
use crate::store::follows::{self, Follow};
use crate::store::memberships::{self, Membership};
use crate::store::schema::{actors, communities as communities_t, votes};
use crate::store::DbConn;
use crate::store::{self, posts, proposals};

/// What follows `/c/` in a community's address: its name here, `name@host` elsewhere.
pub fn community_key(community: &Community, actor: &Actor) -> String {
    if community.local {
        community.name.clone()
    } else {
        format!("{}@{}", community.name, actor.domain)
    }
}

/// `@name@host`.
pub fn community_handle(community: &Community, actor: &Actor) -> String {
    format!("@{}@{}", community.name, actor.domain)
}

/// `@name@host` of a person.
pub fn person_handle(actor: &Actor) -> String {
    format!("@{}@{}", actor.name, actor.domain)
}

/// The name to show for a person.
pub fn person_name(actor: &Actor) -> String {
    actor
        .display_name
        .clone()
        .filter(|d| !d.trim().is_empty())
        .unwrap_or_else(|| actor.name.clone())
}

/// Where to read about a person: their page here, or their instance's.
pub fn person_url(actor: &Actor) -> String {
    if actor.local {
        format!("/u/{}", actor.name)
    } else {
        actor.ap_id.clone()
    }
}

/// What we answer to text with a NUL character in it.
pub const NUL_REFUSED: &str = "Text may not contain NUL characters.";

/// PostgreSQL text cannot hold NUL (it answers with an error), and no person
/// types one: callers refuse such input before it reaches the database.
pub fn has_nul<'a>(values: impl IntoIterator<Item = &'a str>) -> bool {
    values.into_iter().any(|v| v.contains('\0'))
}

/// Finds a community by key: `name` (local) or `name@host` (known here from
/// another instance; `name@our-host` is the local one).
pub fn community_by_key(
    conn: &mut DbConn,
    instance: &Instance,
    key: &str,
) -> Result<WithActor, CommunityError> {
    let key = key.trim();
    if has_nul([key]) {
        return Err(CommunityError::NotFound);
    }
    let found = match key.rsplit_once('@') {
        None => communities::local_by_name(conn, key)?,
        Some((name, host)) if host.eq_ignore_ascii_case(&instance.domain) => {
            communities::local_by_name(conn, name.trim_start_matches('@'))?
        }
        Some((name, host)) => communities_t::table
            .inner_join(actors::table)
            .filter(communities_t::local.eq(false))
            .filter(communities_t::name.eq(name.trim_start_matches('@')))
            .filter(actors::domain.eq(host.to_lowercase()))
            .select((Community::as_select(), Actor::as_select()))
            .first(conn)
            .optional()?,
    };
    found.ok_or(CommunityError::NotFound)
}

/// What lists and pages count of a community.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Counts {
    /// Active members.
    pub members: i64,
    /// Accepted followers.
    pub followers: i64,
    /// Proposals taking votes now (for a remote community: as the `Question`s we received say).
    pub open_proposals: i64,
}

pub fn counts(conn: &mut DbConn, community_id: i64) -> Result<Counts, CommunityError> {
    Ok(Counts {
        members: memberships::count_active(conn, community_id)?,
        followers: follows::count(conn, community_id)?,
        open_proposals: proposals::count_open(conn, community_id, store::now())?,
    })
}

/// A person's membership (any status) and follow of a community.
pub fn standing(
    conn: &mut DbConn,
    community_id: i64,
    person_id: i64,
) -> Result<(Option<Membership>, Option<Follow>), CommunityError> {
    Ok((
        memberships::find(conn, community_id, person_id)?,
        follows::find(conn, community_id, person_id)?,
    ))
}

/// How many applications wait for the moderators.
pub fn pending_count(conn: &mut DbConn, community_id: i64) -> Result<i64, CommunityError> {
    Ok(memberships::list(conn, community_id, "pending")?.len() as i64)
}

/// A post that is not deleted, with its community and author.
pub fn post_item(conn: &mut DbConn, post_id: i64) -> Result<FeedItem, ContentError> {
    let post = posts::by_id(conn, post_id).map_err(crate::domain::content::not_found)?;
    if post.deleted {
        return Err(ContentError::NotFound);
    }
    feed::hydrate(conn, vec![post])?
        .pop()
        .ok_or(ContentError::NotFound)
}

/// Every comment of a post (deleted ones too, to keep threads whole), oldest
/// first, with their authors.
pub fn thread_comments(
    conn: &mut DbConn,
    post_id: i64,
) -> Result<Vec<(Comment, Actor)>, ContentError> {
    let list = comments::for_post(conn, post_id)?;
    let mut ids: Vec<i64> = list.iter().map(|c| c.author_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let authors: HashMap<i64, Actor> = actors::table
        .filter(actors::id.eq_any(&ids))
        .select(Actor::as_select())
        .load::<Actor>(conn)?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    Ok(list
        .into_iter()
        .filter_map(|c| {
            let a = authors.get(&c.author_id)?.clone();
            Some((c, a))
        })
        .collect())
}

/// A person's votes on the given comments.
pub fn comment_votes(
    conn: &mut DbConn,
    actor_id: i64,
    comment_ids: &[i64],
) -> Result<HashMap<i64, i16>, ContentError> {
    if comment_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(Option<i64>, i16)> = votes::table
        .filter(votes::actor_id.eq(actor_id))
        .filter(votes::comment_id.eq_any(comment_ids))
        .select((votes::comment_id, votes::value))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(c, v)| c.map(|c| (c, v)))
        .collect())
}

/// Refuses page cursors that decode but name a time no database can hold
/// (PostgreSQL stops at 4713 BC, and answers such a query with an error),
/// so a doctored link is a clear 4xx rather than a failure of ours.
pub fn check_cursor(after: Option<&str>) -> Result<(), ContentError> {
    use chrono::Datelike;
    let Some(after) = after else {
        return Ok(());
    };
    match feed::decode_cursor(after)? {
        posts::Cursor::Time(t, _) if !(1..=9999).contains(&t.year()) => {
            Err(ContentError::Invalid("That page link is not valid.".into()))
        }
        _ => Ok(()),
    }
}

/// A date as pages show it.
pub fn human_time(t: NaiveDateTime) -> String {
    t.format("%-d %b %Y, %H:%M UTC").to_string()
}

/// A date for machines (`<time datetime>`).
pub fn iso_time(t: NaiveDateTime) -> String {
    t.and_utc()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

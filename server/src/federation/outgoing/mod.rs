//! Outgoing activities: built from domain events, addressed, and queued in the
//! same transaction as the change they announce (FEP-1b12 as Lemmy does it).

pub mod governance;
pub mod membership;
pub mod targets;

use serde::Serialize;
use serde_json::Value;
use url::Url;

use crate::domain::events::{Event, PublishError};
use crate::domain::Instance;
use crate::federation::objects::content::{self, DocumentError};
use crate::federation::protocol::activities::{
    Announce, CreateOrUpdate, Delete, LikeOrDislike, LikeType, Undo,
};
use crate::federation::protocol::values::{public, OneOrMany};
use crate::federation::protocol::WithContext;
use crate::store::actors::{self, Actor};
use crate::store::communities::{self, Community};
use crate::store::{activities, DbConn};

/// Where to send: what the publisher needs to know about this instance.
#[derive(Debug, Clone)]
pub struct Origin {
    pub instance: Instance,
    pub allowlist_only: bool,
}

impl From<DocumentError> for PublishError {
    fn from(e: DocumentError) -> Self {
        PublishError(e.to_string())
    }
}

fn url(s: &str) -> Result<Url, PublishError> {
    Url::parse(s).map_err(|e| PublishError(format!("invalid URL {s}: {e}")))
}

/// Serialises with our `@context` and queues for the given inboxes.
fn queue<T: Serialize>(
    conn: &mut DbConn,
    origin: &Origin,
    signer: &Actor,
    id: &Url,
    activity: &T,
    inboxes: impl IntoIterator<Item = String>,
) -> Result<(), PublishError> {
    let targets = targets::resolve(
        conn,
        &origin.instance.domain,
        origin.allowlist_only,
        inboxes,
    )?;
    if targets.is_empty() {
        return Ok(());
    }
    let body = serde_json::to_string(&WithContext::new(activity))
        .map_err(|e| PublishError(format!("cannot serialise activity: {e}")))?;
    activities::enqueue(conn, id.as_str(), signer.id, &body, &targets)?;
    Ok(())
}

/// A local community forwards an activity to its remote followers and members.
pub fn announce(
    conn: &mut DbConn,
    origin: &Origin,
    community: &Community,
    community_actor: &Actor,
    inner: Value,
    skip_host: Option<&str>,
) -> Result<(), PublishError> {
    let audience = targets::community_audience(conn, community.id, skip_host)?;
    announce_to(conn, origin, community_actor, inner, audience)
}

/// [`announce`] to an audience the caller has read (`targets::community_audience`).
pub fn announce_to(
    conn: &mut DbConn,
    origin: &Origin,
    community_actor: &Actor,
    inner: Value,
    audience: impl IntoIterator<Item = String>,
) -> Result<(), PublishError> {
    let mut audience = audience.into_iter().peekable();
    if audience.peek().is_none() {
        return Ok(());
    }
    let id = url(&origin.instance.activity_id("announce"))?;
    let followers = url(&format!("{}/followers", community_actor.ap_id))?;
    let activity = Announce::new(id.clone(), url(&community_actor.ap_id)?, inner, followers);
    queue(conn, origin, community_actor, &id, &activity, audience)
}

/// Sends an activity about content in `community`: a local community
/// announces it to its audience; a remote one gets it in its inbox.
fn route_in_community<T: Serialize>(
    conn: &mut DbConn,
    origin: &Origin,
    community: &Community,
    community_actor: &Actor,
    signer: &Actor,
    id: &Url,
    activity: &T,
) -> Result<(), PublishError> {
    if community.local {
        let inner = serde_json::to_value(activity).map_err(|e| PublishError(e.to_string()))?;
        announce(conn, origin, community, community_actor, inner, None)
    } else {
        queue(
            conn,
            origin,
            signer,
            id,
            activity,
            [targets::inbox_of(community_actor)],
        )
    }
}

fn community_and_actor(
    conn: &mut DbConn,
    community_id: i64,
) -> Result<(Community, Actor), PublishError> {
    Ok(communities::by_id(conn, community_id)?)
}

fn addressed(community: &Actor) -> Result<(OneOrMany<Url>, OneOrMany<Url>), PublishError> {
    Ok((
        vec![url(&community.ap_id)?, public()].into(),
        OneOrMany::default(),
    ))
}

pub fn queue_for_event(
    conn: &mut DbConn,
    origin: &Origin,
    event: Event,
) -> Result<(), PublishError> {
    let inst = &origin.instance;
    match event {
        Event::PostCreated { post_id } | Event::PostUpdated { post_id } => {
            let create = matches!(event, Event::PostCreated { .. });
            let ctx = content::post_context(conn, post_id)?;
            let page = content::page(&ctx)?;
            let (to, cc) = addressed(&ctx.community_actor)?;
            let id = url(&inst.activity_id(if create { "create" } else { "update" }))?;
            let actor = url(&ctx.author.ap_id)?;
            let activity = if create {
                CreateOrUpdate::create(id.clone(), actor, page.clone(), to, cc)
            } else {
                CreateOrUpdate::update(id.clone(), actor, page.clone(), to, cc)
            };
            route_in_community(
                conn,
                origin,
                &ctx.community,
                &ctx.community_actor,
                &ctx.author,
                &id,
                &activity,
            )?;
            if create && ctx.community.local {
                // For software that cannot unwrap an announced Create (Mastodon).
                let page = serde_json::to_value(&page).map_err(|e| PublishError(e.to_string()))?;
                announce(
                    conn,
                    origin,
                    &ctx.community,
                    &ctx.community_actor,
                    page,
                    None,
                )?;
            }
        }
        Event::CommentCreated { comment_id } | Event::CommentUpdated { comment_id } => {
            let create = matches!(event, Event::CommentCreated { .. });
            let ctx = content::comment_context(conn, comment_id)?;
            let note = content::note(&ctx)?;
            let to = note.to.clone();
            let cc = note.cc.clone();
            let id = url(&inst.activity_id(if create { "create" } else { "update" }))?;
            let actor = url(&ctx.author.ap_id)?;
            let activity = if create {
                CreateOrUpdate::create(id.clone(), actor, note, to, cc)
            } else {
                CreateOrUpdate::update(id.clone(), actor, note, to, cc)
            };
            let p = &ctx.post;
            route_in_community(
                conn,
                origin,
                &p.community,
                &p.community_actor,
                &ctx.author,
                &id,
                &activity,
            )?;
        }
        Event::PostDeleted {
            post_id,
            by_actor_id,
        } => {
            let ctx = content::post_context(conn, post_id)?;
            let by = actors::by_id(conn, by_actor_id)?;
            removal(
                conn,
                origin,
                &ctx.community,
                &ctx.community_actor,
                &by,
                &ctx.post.ap_id,
                by_actor_id == ctx.post.author_id,
            )?;
        }
        Event::CommentDeleted {
            comment_id,
            by_actor_id,
        } => {
            let ctx = content::comment_context(conn, comment_id)?;
            let by = actors::by_id(conn, by_actor_id)?;
            let p = &ctx.post;
            removal(
                conn,
                origin,
                &p.community,
                &p.community_actor,
                &by,
                &ctx.comment.ap_id,
                by_actor_id == ctx.comment.author_id,
            )?;
        }
        Event::Voted {
            actor_id,
            post_id,
            comment_id,
            value,
            ap_id,
        } => {
            let (object, community_id) = vote_object(conn, post_id, comment_id)?;
            let (community, community_actor) = community_and_actor(conn, community_id)?;
            let voter = actors::by_id(conn, actor_id)?;
            let kind = if value > 0 {
                LikeType::Like
            } else {
                LikeType::Dislike
            };
            let id = url(&ap_id)?;
            let activity = LikeOrDislike::new(
                kind,
                id.clone(),
                url(&voter.ap_id)?,
                url(&object)?,
                url(&community_actor.ap_id)?,
            );
            route_in_community(
                conn,
                origin,
                &community,
                &community_actor,
                &voter,
                &id,
                &activity,
            )?;
        }
        Event::VoteUndone {
            actor_id,
            post_id,
            comment_id,
            ap_id,
        } => {
            let (object, community_id) = vote_object(conn, post_id, comment_id)?;
            let (community, community_actor) = community_and_actor(conn, community_id)?;
            let voter = actors::by_id(conn, actor_id)?;
            let community_url = url(&community_actor.ap_id)?;
            let inner_id = url(&ap_id).or_else(|_| url(&inst.activity_id("like")))?;
            let like = LikeOrDislike::new(
                LikeType::Like,
                inner_id,
                url(&voter.ap_id)?,
                url(&object)?,
                community_url.clone(),
            );
            let id = url(&inst.activity_id("undo"))?;
            let mut undo = Undo::new(
                id.clone(),
                url(&voter.ap_id)?,
                like,
                OneOrMany::default(),
                OneOrMany::default(),
            );
            undo.audience = Some(community_url);
            route_in_community(
                conn,
                origin,
                &community,
                &community_actor,
                &voter,
                &id,
                &undo,
            )?;
        }
        Event::Followed { .. }
        | Event::Unfollowed { .. }
        | Event::FollowAccepted { .. }
        | Event::JoinRequested { .. }
        | Event::MembershipDecided { .. }
        | Event::Left { .. } => membership::queue_for_event(conn, origin, event)?,
        Event::CommunityUpdated { community_id } => {
            let (community, community_actor) = community_and_actor(conn, community_id)?;
            if !community.local {
                return Ok(());
            }
            let mut group =
                crate::federation::objects::actor::group_document(&community, &community_actor)
                    .map_err(|e| PublishError(e.to_string()))?;
            crate::federation::objects::rules::publish(conn, community.id, &mut group)
                .map_err(|e| PublishError(e.to_string()))?;
            let id = url(&inst.activity_id("update"))?;
            let group_url = url(&community_actor.ap_id)?;
            let update = CreateOrUpdate::update(
                id.clone(),
                group_url,
                group,
                OneOrMany::one(public()),
                OneOrMany::default(),
            );
            let audience = targets::community_audience(conn, community.id, None)?;
            queue(conn, origin, &community_actor, &id, &update, audience)?;
        }
        Event::ProposalOpened { .. }
        | Event::ProposalExtended { .. }
        | Event::ProposalClosed { .. }
        | Event::RulesChanged { .. }
        | Event::BallotCast { .. } => governance::queue_for_event(conn, origin, event)?,
    }
    Ok(())
}

/// The object id a vote is on, and its community.
fn vote_object(
    conn: &mut DbConn,
    post_id: Option<i64>,
    comment_id: Option<i64>,
) -> Result<(String, i64), PublishError> {
    match (post_id, comment_id) {
        (Some(p), _) => {
            let ctx = content::post_context(conn, p)?;
            Ok((ctx.post.ap_id, ctx.community.id))
        }
        (_, Some(c)) => {
            let ctx = content::comment_context(conn, c)?;
            Ok((ctx.comment.ap_id, ctx.post.community.id))
        }
        _ => Err(PublishError("a vote needs a post or a comment".into())),
    }
}

/// The author deletes, or a moderator removes, an object: a `Delete` either
/// way, as Lemmy does (a moderator's carries a `summary`).
fn removal(
    conn: &mut DbConn,
    origin: &Origin,
    community: &Community,
    community_actor: &Actor,
    by: &Actor,
    object: &str,
    by_author: bool,
) -> Result<(), PublishError> {
    let community_url = url(&community_actor.ap_id)?;
    let id = url(&origin.instance.activity_id("delete"))?;
    let mut delete = Delete::new(
        id.clone(),
        url(&by.ap_id)?,
        url(object)?,
        vec![public()].into(),
        OneOrMany::one(community_url.clone()),
    );
    delete.audience = Some(community_url);
    if !by_author {
        delete.summary = Some("Removed by a moderator".into());
    }
    route_in_community(conn, origin, community, community_actor, by, &id, &delete)
}

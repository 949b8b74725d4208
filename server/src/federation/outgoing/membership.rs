//! Outgoing follows and memberships: `Follow`/`Undo{Follow}` and its `Accept`, `Join` and the
//! community's `Accept`/`Reject` of it, `Leave`.

use super::{community_and_actor, queue, targets, url, Origin};
use crate::domain::events::{Event, PublishError};
use crate::federation::protocol::activities::{Accept, Follow, Join, Leave, Reject, Undo};
use crate::federation::protocol::values::OneOrMany;
use crate::store::{actors, follows, memberships, DbConn};

pub fn queue_for_event(
    conn: &mut DbConn,
    origin: &Origin,
    event: Event,
) -> Result<(), PublishError> {
    let inst = &origin.instance;
    match event {
        Event::Followed {
            community_id,
            person_id,
        } => {
            let (_, community_actor) = community_and_actor(conn, community_id)?;
            let person = actors::by_id(conn, person_id)?;
            let id = url(&inst.activity_id("follow"))?;
            let follow = Follow::new(
                id.clone(),
                url(&person.ap_id)?,
                url(&community_actor.ap_id)?,
            );
            follows::upsert(conn, community_id, person_id, "pending", Some(id.as_str()))?;
            queue(
                conn,
                origin,
                &person,
                &id,
                &follow,
                [targets::inbox_of(&community_actor)],
            )?;
        }
        Event::Unfollowed {
            community_id,
            person_id,
            follow_activity_id,
        } => {
            let (_, community_actor) = community_and_actor(conn, community_id)?;
            let person = actors::by_id(conn, person_id)?;
            let follow_id = match follow_activity_id {
                Some(f) => url(&f)?,
                None => url(&inst.activity_id("follow"))?,
            };
            let follow = Follow::new(follow_id, url(&person.ap_id)?, url(&community_actor.ap_id)?);
            let id = url(&inst.activity_id("undo"))?;
            let undo = Undo::new(
                id.clone(),
                url(&person.ap_id)?,
                follow,
                OneOrMany::one(url(&community_actor.ap_id)?),
                OneOrMany::default(),
            );
            queue(
                conn,
                origin,
                &person,
                &id,
                &undo,
                [targets::inbox_of(&community_actor)],
            )?;
        }
        Event::FollowAccepted {
            community_id,
            follower_id,
        } => {
            let (community, community_actor) = community_and_actor(conn, community_id)?;
            let follower = actors::by_id(conn, follower_id)?;
            let follow_id = follows::find(conn, community.id, follower_id)?
                .and_then(|f| f.follow_activity_id)
                .ok_or_else(|| PublishError("accepted follow has no activity id".into()))?;
            let follow = Follow::new(
                url(&follow_id)?,
                url(&follower.ap_id)?,
                url(&community_actor.ap_id)?,
            );
            let id = url(&inst.activity_id("accept"))?;
            let accept = Accept::new(
                id.clone(),
                url(&community_actor.ap_id)?,
                follow,
                url(&follower.ap_id)?,
            );
            queue(
                conn,
                origin,
                &community_actor,
                &id,
                &accept,
                [targets::inbox_of(&follower)],
            )?;
        }
        Event::JoinRequested { membership_id } => {
            let m = memberships::by_id(conn, membership_id)?;
            let (_, community_actor) = community_and_actor(conn, m.community_id)?;
            let person = actors::by_id(conn, m.person_id)?;
            let id = url(&inst.activity_id("join"))?;
            let mut join = Join::new(
                id.clone(),
                url(&person.ap_id)?,
                url(&community_actor.ap_id)?,
            );
            join.summary = m.application.clone();
            join.class = Some(m.class.clone());
            memberships::set_join_activity(conn, m.id, id.as_str())?;
            queue(
                conn,
                origin,
                &person,
                &id,
                &join,
                [targets::inbox_of(&community_actor)],
            )?;
        }
        Event::MembershipDecided { membership_id } => {
            let m = memberships::by_id(conn, membership_id)?;
            let person = actors::by_id(conn, m.person_id)?;
            if person.local {
                return Ok(());
            }
            let (_, community_actor) = community_and_actor(conn, m.community_id)?;
            let join_id = match &m.join_activity_id {
                Some(j) => url(j)?,
                None => url(&inst.activity_id("join"))?,
            };
            let join = Join::new(join_id, url(&person.ap_id)?, url(&community_actor.ap_id)?);
            let group = url(&community_actor.ap_id)?;
            let requester = url(&person.ap_id)?;
            if m.status == "active" {
                let id = url(&inst.activity_id("accept"))?;
                let accept = Accept::new(id.clone(), group, join, requester);
                queue(
                    conn,
                    origin,
                    &community_actor,
                    &id,
                    &accept,
                    [targets::inbox_of(&person)],
                )?;
            } else {
                let id = url(&inst.activity_id("reject"))?;
                let mut reject = Reject::new(id.clone(), group, join, requester);
                reject.summary = m.decision_reason.clone();
                queue(
                    conn,
                    origin,
                    &community_actor,
                    &id,
                    &reject,
                    [targets::inbox_of(&person)],
                )?;
            }
        }
        Event::Left { membership_id } => {
            let m = memberships::by_id(conn, membership_id)?;
            let (_, community_actor) = community_and_actor(conn, m.community_id)?;
            let person = actors::by_id(conn, m.person_id)?;
            let id = url(&inst.activity_id("leave"))?;
            let leave = Leave::new(
                id.clone(),
                url(&person.ap_id)?,
                url(&community_actor.ap_id)?,
            );
            queue(
                conn,
                origin,
                &person,
                &id,
                &leave,
                [targets::inbox_of(&community_actor)],
            )?;
        }
        _ => {}
    }
    Ok(())
}

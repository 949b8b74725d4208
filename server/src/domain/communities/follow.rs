//! Follows: subscribing to a community's posts, here or on another instance.

use super::{get, CommunityError};
use crate::domain::events::{Event, Publisher};
use crate::store::follows::{self, Follow};
use crate::store::DbConn;

/// A local person follows a community (accepted at once if it is local).
pub fn follow(
    conn: &mut DbConn,
    publisher: &dyn Publisher,
    community_id: i64,
    person_id: i64,
) -> Result<Follow, CommunityError> {
    let found = get(conn, community_id)?;
    super::require_reachable(conn, publisher, &found)?;
    let (community, _) = found;
    if let Some(f) = follows::find(conn, community.id, person_id)? {
        if f.status == "accepted" {
            return Ok(f);
        }
    }
    crate::store::write_transaction(conn, |conn| {
        if community.local {
            Ok(follows::upsert(
                conn,
                community.id,
                person_id,
                "accepted",
                None,
            )?)
        } else {
            let f = follows::upsert(conn, community.id, person_id, "pending", None)?;
            publisher.publish(
                conn,
                Event::Followed {
                    community_id: community.id,
                    person_id,
                },
            )?;
            Ok(follows::find(conn, community.id, person_id)?.unwrap_or(f))
        }
    })
}

pub fn unfollow(
    conn: &mut DbConn,
    publisher: &dyn Publisher,
    community_id: i64,
    person_id: i64,
) -> Result<(), CommunityError> {
    let (community, _) = get(conn, community_id)?;
    let Some(f) = follows::find(conn, community.id, person_id)? else {
        return Ok(());
    };
    crate::store::write_transaction(conn, |conn| {
        follows::delete(conn, community.id, person_id)?;
        if !community.local {
            publisher.publish(
                conn,
                Event::Unfollowed {
                    community_id: community.id,
                    person_id,
                    follow_activity_id: f.follow_activity_id.clone(),
                },
            )?;
        }
        Ok(())
    })
}

/// A remote actor follows one of our communities: accepted at once.
pub fn remote_follow(
    conn: &mut DbConn,
    publisher: &dyn Publisher,
    community_id: i64,
    follower_id: i64,
    activity_id: &str,
) -> Result<(), CommunityError> {
    let (community, _) = get(conn, community_id)?;
    if !community.local {
        return Err(CommunityError::NotFound);
    }
    crate::store::write_transaction(conn, |conn| {
        follows::upsert(
            conn,
            community.id,
            follower_id,
            "accepted",
            Some(activity_id),
        )?;
        publisher.publish(
            conn,
            Event::FollowAccepted {
                community_id: community.id,
                follower_id,
            },
        )?;
        Ok(())
    })
}

/// The remote community accepted our follow.
pub fn remote_follow_accepted(
    conn: &mut DbConn,
    community_id: i64,
    person_id: i64,
) -> Result<(), CommunityError> {
    if follows::find(conn, community_id, person_id)?.is_some() {
        follows::upsert(conn, community_id, person_id, "accepted", None)?;
    }
    Ok(())
}

/// A remote follower stopped following (Undo{Follow}).
pub fn remote_unfollow(
    conn: &mut DbConn,
    community_id: i64,
    follower_id: i64,
) -> Result<(), CommunityError> {
    follows::delete(conn, community_id, follower_id)?;
    Ok(())
}

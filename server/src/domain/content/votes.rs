//! Likes and dislikes on posts and comments: one per person, changeable, undoable.

use super::{may_take_part, not_found, ContentError};
use crate::domain::events::{Event, Publisher};
use crate::domain::Instance;
use crate::store::votes::{self, Target};
use crate::store::{comments, posts, DbConn};

/// Sets a like (+1), a dislike (-1) or clears the vote (0).
pub fn vote(
    conn: &mut DbConn,
    publisher: &dyn Publisher,
    instance: &Instance,
    actor_id: i64,
    target: Target,
    value: i16,
) -> Result<(), ContentError> {
    if !(-1..=1).contains(&value) {
        return Err(ContentError::Invalid("A vote is +1, -1 or 0.".into()));
    }
    let community_id = match target {
        Target::Post(id) => {
            let p = posts::by_id(conn, id).map_err(not_found)?;
            if p.deleted {
                return Err(ContentError::NotFound);
            }
            p.community_id
        }
        Target::Comment(id) => {
            let c = comments::by_id(conn, id).map_err(not_found)?;
            if c.deleted {
                return Err(ContentError::NotFound);
            }
            posts::by_id(conn, c.post_id)
                .map_err(not_found)?
                .community_id
        }
    };
    if !may_take_part(conn, community_id, actor_id)? {
        return Err(ContentError::NotAllowed(
            "members and followers of this community",
        ));
    }
    let (post_id, comment_id) = match target {
        Target::Post(id) => (Some(id), None),
        Target::Comment(id) => (None, Some(id)),
    };
    crate::store::write_transaction(conn, |conn| {
        let previous = votes::of(conn, actor_id, target)?;
        if previous == Some(value) || (previous.is_none() && value == 0) {
            return Ok(());
        }
        if value == 0 {
            let ap_id = votes::ap_id_of(conn, actor_id, target)?.unwrap_or_default();
            votes::clear(conn, actor_id, target)?;
            publisher.publish(
                conn,
                Event::VoteUndone {
                    actor_id,
                    post_id,
                    comment_id,
                    ap_id,
                },
            )?;
        } else {
            let ap_id = instance.activity_id(if value > 0 { "like" } else { "dislike" });
            votes::set(conn, actor_id, target, value, &ap_id)?;
            publisher.publish(
                conn,
                Event::Voted {
                    actor_id,
                    post_id,
                    comment_id,
                    value,
                    ap_id,
                },
            )?;
        }
        Ok(())
    })
}

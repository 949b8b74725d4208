//! Membership: asking to join, moderators' decisions, leaving and removal — one identity, many co-ops.

use super::{get, CommunityError, JoinPolicy};
use crate::domain::events::{Event, Publisher};
use crate::store::communities::Community;
use crate::store::memberships::{self, Membership, NewMembership};
use crate::store::{self, follows, DbConn};

pub const MAX_APPLICATION: usize = 2_000;

/// Fails unless the actor is an active moderator or owner of the community.
pub fn require_moderator(
    conn: &mut DbConn,
    community: &Community,
    actor_id: i64,
) -> Result<Membership, CommunityError> {
    match memberships::find(conn, community.id, actor_id)? {
        Some(m) if m.is_moderator() => Ok(m),
        _ => Err(CommunityError::NotAllowed("the community's moderators")),
    }
}

/// Fails unless the actor is an active member.
pub fn require_member(
    conn: &mut DbConn,
    community_id: i64,
    actor_id: i64,
) -> Result<Membership, CommunityError> {
    match memberships::find(conn, community_id, actor_id)? {
        Some(m) if m.is_active() => Ok(m),
        _ => Err(CommunityError::NotAllowed("members of this community")),
    }
}

/// What someone asks when joining.
#[derive(Debug, Clone, Default)]
pub struct JoinRequest {
    pub class: Option<String>,
    pub application: Option<String>,
    /// The id of the remote `Join` activity, when it came over federation.
    pub activity_id: Option<String>,
}

/// A person asks to join. For a local community the join policy decides at
/// once (open → member, approval → pending); for a remote one the request is
/// sent and stays pending until its instance answers.
pub fn request_join(
    conn: &mut DbConn,
    publisher: &dyn Publisher,
    community_id: i64,
    person_id: i64,
    req: &JoinRequest,
) -> Result<Membership, CommunityError> {
    let found = get(conn, community_id)?;
    super::require_reachable(conn, publisher, &found)?;
    let (community, _) = found;
    let classes = community.classes();
    let class = match req
        .class
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        Some(c) if classes.iter().any(|k| k == &c.to_lowercase()) => c.to_lowercase(),
        Some(c) => {
            return Err(CommunityError::Invalid(format!(
                "“{c}” is not a class of this community."
            )))
        }
        None => classes.first().cloned().unwrap_or_else(|| "member".into()),
    };
    let application = req
        .application
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty());
    if application.is_some_and(|a| a.chars().count() > MAX_APPLICATION) {
        return Err(CommunityError::Invalid(format!(
            "Application: at most {MAX_APPLICATION} characters."
        )));
    }
    if let Some(existing) = memberships::find(conn, community.id, person_id)? {
        match existing.status.as_str() {
            "active" => return Err(CommunityError::Conflict("You are already a member.".into())),
            "pending" => {
                return Err(CommunityError::Conflict(
                    "Your application is already waiting.".into(),
                ))
            }
            "removed" if community.local => {
                return Err(CommunityError::NotAllowed(
                    "members in good standing; you were removed",
                ))
            }
            _ => {}
        }
    }
    let status = if !community.local {
        "pending"
    } else {
        match JoinPolicy::parse(&community.join_policy)? {
            JoinPolicy::Open => "active",
            JoinPolicy::Approval => "pending",
            JoinPolicy::Invite => {
                return Err(CommunityError::NotAllowed(
                    "people a moderator invites; ask one of them",
                ))
            }
        }
    };
    let now = store::now();
    crate::store::write_transaction(conn, |conn| {
        let m = memberships::upsert(
            conn,
            &NewMembership {
                community_id: community.id,
                person_id,
                class: &class,
                role: "member",
                status,
                application,
                decision_reason: None,
                join_activity_id: req.activity_id.as_deref(),
                created_at: now,
                updated_at: now,
                active_since: (status == "active").then_some(now),
            },
        )?;
        if community.local {
            if status == "active" {
                follows::upsert(conn, community.id, person_id, "accepted", None)?;
            }
            // The answer goes back to remote people at once when the policy decided.
            if status == "active" && req.activity_id.is_some() {
                publisher.publish(
                    conn,
                    Event::MembershipDecided {
                        membership_id: m.id,
                    },
                )?;
            }
        } else {
            publisher.publish(
                conn,
                Event::JoinRequested {
                    membership_id: m.id,
                },
            )?;
        }
        Ok(m)
    })
}

/// A moderator approves or refuses a pending application.
pub fn decide(
    conn: &mut DbConn,
    publisher: &dyn Publisher,
    membership_id: i64,
    moderator_id: i64,
    approve: bool,
    reason: Option<&str>,
) -> Result<Membership, CommunityError> {
    let m = memberships::by_id(conn, membership_id).map_err(|_| CommunityError::NotFound)?;
    let (community, _) = get(conn, m.community_id)?;
    require_moderator(conn, &community, moderator_id)?;
    if m.status != "pending" {
        return Err(CommunityError::Conflict(
            "This application has already been decided.".into(),
        ));
    }
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    let now = store::now();
    crate::store::write_transaction(conn, |conn| {
        memberships::set_status(
            conn,
            m.id,
            if approve { "active" } else { "refused" },
            reason,
            now,
        )?;
        if approve {
            follows::upsert(conn, community.id, m.person_id, "accepted", None)?;
        }
        publisher.publish(
            conn,
            Event::MembershipDecided {
                membership_id: m.id,
            },
        )?;
        Ok(memberships::by_id(conn, m.id)?)
    })
}

/// The remote community answered a local person's request.
pub fn remote_decision(
    conn: &mut DbConn,
    community_id: i64,
    person_id: i64,
    accepted: bool,
) -> Result<(), CommunityError> {
    let Some(m) = memberships::find(conn, community_id, person_id)? else {
        return Err(CommunityError::NotFound);
    };
    if m.status == "pending" || (m.status == "active" && !accepted) {
        memberships::set_status(
            conn,
            m.id,
            if accepted { "active" } else { "refused" },
            None,
            store::now(),
        )?;
    }
    Ok(())
}

/// A person leaves a community.
pub fn leave(
    conn: &mut DbConn,
    publisher: &dyn Publisher,
    community_id: i64,
    person_id: i64,
) -> Result<(), CommunityError> {
    let (community, _) = get(conn, community_id)?;
    let Some(m) = memberships::find(conn, community.id, person_id)? else {
        return Err(CommunityError::Conflict("You are not a member.".into()));
    };
    if m.status != "active" && m.status != "pending" {
        return Err(CommunityError::Conflict("You are not a member.".into()));
    }
    crate::store::write_transaction(conn, |conn| {
        memberships::set_status(conn, m.id, "left", None, store::now())?;
        if !community.local {
            publisher.publish(
                conn,
                Event::Left {
                    membership_id: m.id,
                },
            )?;
        }
        Ok(())
    })
}

/// A remote person left one of our communities.
pub fn remote_left(
    conn: &mut DbConn,
    community_id: i64,
    person_id: i64,
) -> Result<(), CommunityError> {
    if let Some(m) = memberships::find(conn, community_id, person_id)? {
        if m.status == "active" || m.status == "pending" {
            memberships::set_status(conn, m.id, "left", None, store::now())?;
        }
    }
    Ok(())
}

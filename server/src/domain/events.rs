//! What the domain tells the outside world happened, inside the transaction that made it happen.
//!
//! Federation implements [`Publisher`] to turn events into queued activities;
//! the domain never depends on federation.

use crate::store::DbConn;

/// A change other instances may need to hear about.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    CommunityUpdated {
        community_id: i64,
    },
    /// A local person follows a (possibly remote) community.
    Followed {
        community_id: i64,
        person_id: i64,
    },
    Unfollowed {
        community_id: i64,
        person_id: i64,
        follow_activity_id: Option<String>,
    },
    /// A local community accepted a remote follower.
    FollowAccepted {
        community_id: i64,
        follower_id: i64,
    },
    /// A local person asks to join a (possibly remote) community.
    JoinRequested {
        membership_id: i64,
    },
    /// A local community decided on a (possibly remote) person's membership.
    MembershipDecided {
        membership_id: i64,
    },
    /// A local person left a (possibly remote) community.
    Left {
        membership_id: i64,
    },
    PostCreated {
        post_id: i64,
    },
    PostUpdated {
        post_id: i64,
    },
    PostDeleted {
        post_id: i64,
        by_actor_id: i64,
    },
    CommentCreated {
        comment_id: i64,
    },
    CommentUpdated {
        comment_id: i64,
    },
    CommentDeleted {
        comment_id: i64,
        by_actor_id: i64,
    },
    Voted {
        actor_id: i64,
        post_id: Option<i64>,
        comment_id: Option<i64>,
        value: i16,
        ap_id: String,
    },
    VoteUndone {
        actor_id: i64,
        post_id: Option<i64>,
        comment_id: Option<i64>,
        ap_id: String,
    },
    /// A local community's proposal opened for voting. Ballots are never announced.
    ProposalOpened {
        proposal_id: i64,
    },
    /// An open proposal's close time moved (only as far as the community allowed in advance).
    ProposalExtended {
        proposal_id: i64,
    },
    /// A proposal closed and its outcome was recorded.
    ProposalClosed {
        proposal_id: i64,
    },
    /// A new version of a local community's rules was adopted.
    RulesChanged {
        community_id: i64,
    },
    /// A local person cast or changed their ballot on a remote community's proposal: it goes to
    /// that community's inbox. (Ballots on local proposals are never sent anywhere.)
    BallotCast {
        proposal_id: i64,
        voter_id: i64,
    },
}

/// Receives events inside the domain's transaction; an error rolls it back.
pub trait Publisher: Send + Sync {
    fn publish(&self, conn: &mut DbConn, event: Event) -> Result<(), PublishError>;

    /// Whether what is published can reach instance `host` at all (it is not
    /// blocked, and is allowed when federation is allowlist-only). A
    /// publisher that does not federate reaches everywhere.
    fn reaches(&self, conn: &mut DbConn, host: &str) -> Result<bool, PublishError> {
        let _ = (conn, host);
        Ok(true)
    }
}

#[derive(Debug, thiserror::Error)]
#[error("could not queue the change for other instances: {0}")]
pub struct PublishError(pub String);

impl From<diesel::result::Error> for PublishError {
    fn from(e: diesel::result::Error) -> Self {
        PublishError(e.to_string())
    }
}

//! Cooperative governance: proposals, ballots, tallies and versioned rules. The tally engine is pure.
//!
//! * [`settings`] — how a community governs itself: who may propose, whether votes may be
//!   extended (and by how much), whether leaving withdraws a ballot.
//! * [`rules`] — the community's numbered rules, every version, and readable diffs.
//! * [`proposals`] — rule changes, decisions, elections and polls, with their voting rules.
//! * [`ballots`] — casting and changing votes, receipts, roll calls and live results.
//! * [`receipts`] — the counted receipts a close publishes, and checking a receipt against them.
//! * [`remote`] — our copy of remote communities' proposals and rules, which their own
//!   instances count and change.
//! * [`close`] — opening and closing proposals when their time comes (run by the close job),
//!   exactly once, recording the outcome and applying it in the same transaction.
//! * [`tally`] — the pure counting engine.

pub mod ballots;
pub mod close;
pub mod proposals;
pub mod receipts;
pub mod remote;
pub mod rules;
pub mod settings;
pub mod tally;

use crate::domain::events::PublishError;
use crate::store::{self, StoreError};

pub use ballots::{Cast, ProposalResult};
pub use proposals::{BallotKind, Proposal, ProposalContent, ProposalForm, ProposalKind, Status};
pub use receipts::{Checked, ReceiptCheck};
pub use rules::{Rule, RuleOp, RulesDiff, RulesVersion};
pub use settings::{GovernanceSettings, Proposers};

/// Why a governance action was refused or failed. Refusals change nothing.
#[derive(Debug, thiserror::Error)]
pub enum GovernanceError {
    #[error("{0}")]
    Invalid(String),
    #[error("Invalid voting rules: {0}")]
    VotingRules(#[from] tally::RulesError),
    #[error("Invalid ballot: {0}")]
    Ballot(#[from] tally::BallotError),
    #[error("Invalid rule change: {0}")]
    RuleChange(#[from] rules::RuleChangeError),
    #[error("No such proposal.")]
    NotFound,
    #[error("No such community.")]
    CommunityNotFound,
    #[error("Only members of this community may do that.")]
    NotMember,
    #[error("Only {0} may make proposals in this community.")]
    MayNotPropose(String),
    #[error("Only {0} may do that.")]
    NotAllowed(&'static str),
    #[error("You were not an active member when this vote opened, so you have no vote on it.")]
    NotEligible,
    #[error("This vote has not opened yet.")]
    NotYetOpen,
    #[error("This vote is closed.")]
    Closed,
    #[error("This is a secret ballot: only the counts are published.")]
    SecretBallot,
    #[error("Proposals of a remote community are made and counted on its own instance.")]
    Remote,
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
    #[error(transparent)]
    Publish(#[from] PublishError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub(crate) fn not_found(e: diesel::result::Error) -> GovernanceError {
    match e {
        diesel::result::Error::NotFound => GovernanceError::NotFound,
        other => other.into(),
    }
}

pub(crate) fn community(
    conn: &mut store::DbConn,
    community_id: i64,
) -> Result<store::communities::WithActor, GovernanceError> {
    store::communities::by_id(conn, community_id).map_err(|e| match e {
        diesel::result::Error::NotFound => GovernanceError::CommunityNotFound,
        other => other.into(),
    })
}

/// A JSON column that does not decode: stored by us, so this is a bug or a hand edit.
pub(crate) fn corrupt(what: &str, e: serde_json::Error) -> GovernanceError {
    GovernanceError::Invalid(format!("stored {what} cannot be read: {e}"))
}

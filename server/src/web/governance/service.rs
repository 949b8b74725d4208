//! Governance actions shared by the web UI and the JSON API: finding a community's proposal,
//! what the viewer may do, making a proposal from the form's fields, and voting with a reason.

use commonhall_frontend::{BallotInput, GovCommunity, ProposalInput};

use super::{input, rule_form};
use crate::domain::communities::CommunityError;
use crate::domain::governance::tally::{BallotChoice, ConsentChoice};
use crate::domain::governance::{
    ballots, proposals, rules, settings, Cast, GovernanceError, Proposal, ProposalContent,
    Proposers, Status,
};
use crate::domain::Instance;
use crate::state::AppState;
use crate::store::communities::WithActor;
use crate::store::{self, block_reasons, memberships, proposals as proposal_rows, users, DbConn};
use crate::web::read;

impl From<CommunityError> for GovernanceError {
    fn from(e: CommunityError) -> Self {
        match e {
            CommunityError::NotFound => GovernanceError::CommunityNotFound,
            CommunityError::Database(e) => GovernanceError::Database(e),
            CommunityError::Store(e) => GovernanceError::Store(e),
            other => GovernanceError::Invalid(other.to_string()),
        }
    }
}

/// A community by key (`name` or `name@host`).
pub fn community(
    conn: &mut DbConn,
    instance: &Instance,
    key: &str,
) -> Result<WithActor, GovernanceError> {
    Ok(read::community_by_key(conn, instance, key)?)
}

/// A proposal of this community (another community's proposal is not found here).
pub fn proposal_of(
    conn: &mut DbConn,
    community_id: i64,
    id: i64,
) -> Result<Proposal, GovernanceError> {
    let p = proposals::get(conn, id)?;
    if p.community_id != community_id {
        return Err(GovernanceError::NotFound);
    }
    Ok(p)
}

/// A proposal by its community's key and its id.
pub fn find(
    conn: &mut DbConn,
    instance: &Instance,
    key: &str,
    id: i64,
) -> Result<Proposal, GovernanceError> {
    let (c, _) = community(conn, instance, key)?;
    proposal_of(conn, c.id, id)
}

/// The community as governance pages show it, with what the viewer may do there.
pub fn gov_community(
    conn: &mut DbConn,
    (c, a): &WithActor,
    viewer: Option<i64>,
) -> Result<GovCommunity, GovernanceError> {
    let membership = match viewer {
        Some(v) => memberships::find(conn, c.id, v)?.filter(|m| m.is_active()),
        None => None,
    };
    let gov = settings::get(conn, c.id)?;
    let (may_propose, note) = match &membership {
        _ if !c.local => (
            false,
            Some("Proposals of this community are made on its own instance.".to_string()),
        ),
        None if viewer.is_none() => (
            false,
            Some("Sign in as a member to make proposals.".to_string()),
        ),
        None => (
            false,
            Some("Only members of this community may make proposals.".to_string()),
        ),
        Some(m) if gov.proposers.admits(m) => (true, None),
        Some(_) => (
            false,
            Some(format!(
                "Only {} may make proposals in this community.",
                match &gov.proposers {
                    Proposers::AnyMember => "members".to_string(),
                    p => p.describe(),
                }
            )),
        ),
    };
    Ok(GovCommunity {
        key: read::community_key(c, a),
        title: c.title.clone(),
        local: c.local,
        classes: c.classes(),
        is_member: membership.is_some(),
        is_moderator: membership.as_ref().is_some_and(|m| m.is_moderator()),
        is_owner: membership.as_ref().is_some_and(|m| m.role == "owner"),
        may_propose,
        propose_note: note,
    })
}

/// Election candidates by user name (local members only).
pub fn candidates(conn: &mut DbConn, names: &[String]) -> Result<Vec<i64>, GovernanceError> {
    names
        .iter()
        .map(|name| {
            let name = name.trim().trim_start_matches('@');
            users::by_username(conn, name)?
                .map(|(_, actor)| actor.id)
                .ok_or_else(|| {
                    GovernanceError::Invalid(format!("There is no member called “{name}”."))
                })
        })
        .collect()
}

/// What the form proposes: rule changes against the rules the form was made from, a decision,
/// an election or a poll.
pub fn content(
    conn: &mut DbConn,
    community_id: i64,
    form: &ProposalInput,
) -> Result<ProposalContent, GovernanceError> {
    match form.kind.trim() {
        "rule_change" => {
            let current = rules::current(conn, community_id)?;
            if form.base_version.is_some_and(|v| v != current.version) {
                return Err(GovernanceError::Invalid(format!(
                    "The rules changed while you were editing (they are now at version {}): reload the form.",
                    current.version
                )));
            }
            let changes = rule_form::rule_ops(&current, &form.rules, &form.added)?;
            Ok(ProposalContent::RuleChange { changes })
        }
        "decision" => Ok(ProposalContent::Decision),
        "election" => Ok(ProposalContent::Election {
            candidates: candidates(conn, &input::lines(&form.options))?,
            seats: input::parse_seats(&form.seats)?,
        }),
        "poll" => Ok(ProposalContent::Poll {
            options: input::lines(&form.options),
            seats: input::parse_seats(&form.seats)?,
        }),
        other => Err(GovernanceError::Invalid(format!(
            "Kind “{other}”: choose rule_change, decision, election or poll."
        ))),
    }
}

/// Makes a proposal from the form (checked by the domain; nothing is written on error).
pub fn create(
    conn: &mut DbConn,
    state: &AppState,
    community_id: i64,
    author: i64,
    form: &ProposalInput,
) -> Result<Proposal, GovernanceError> {
    let content = content(conn, community_id, form)?;
    let form = input::proposal_form(form, content)?;
    proposals::create(
        conn,
        &*state.publisher,
        &state.instance,
        community_id,
        author,
        &form,
    )
}

/// Votes (or changes a vote) on a proposal here or, through the federation,
/// on another instance, keeping the reason given with a Block beside the
/// ballot's receipt — in one transaction, so a ballot never loses its reason.
pub fn vote(
    conn: &mut DbConn,
    state: &AppState,
    p: &Proposal,
    voter: i64,
    ballot: &BallotInput,
) -> Result<Cast, GovernanceError> {
    let choice = input::ballot_choice(p, ballot)?;
    let reason = input::block_reason(ballot)?;
    if reason.as_deref().is_some_and(|r| r.contains('\0')) {
        return Err(GovernanceError::Invalid(read::NUL_REFUSED.into()));
    }
    store::write_transaction(conn, |conn| {
        let cast = ballots::vote(conn, &*state.publisher, p.id, voter, &choice)?;
        if let (BallotChoice::Consent(ConsentChoice::Block), Some(reason)) = (&choice, reason) {
            if let Some(b) = store::ballots::find(conn, p.id, voter)? {
                block_reasons::save(conn, p.id, &b.receipt_hash, &reason, store::now())?;
            }
        }
        Ok(cast)
    })
}

/// Why this person cannot vote on this proposal now, or `None` if they can.
pub fn vote_refusal(
    conn: &mut DbConn,
    p: &Proposal,
    voter: Option<i64>,
) -> Result<Option<String>, GovernanceError> {
    let now = store::now();
    let refusal = match voter {
        _ if p.status == Status::Scheduled => Some(GovernanceError::NotYetOpen),
        _ if !p.accepts_votes_at(now) => Some(GovernanceError::Closed),
        None => return Ok(Some("Sign in as a member to vote.".into())),
        Some(v) => match memberships::find(conn, p.community_id, v)? {
            Some(m) if m.is_active() => proposal_rows::eligible_class(conn, p.id, v)?
                .is_none()
                .then_some(GovernanceError::NotEligible),
            _ => Some(GovernanceError::NotMember),
        },
    };
    Ok(refusal.map(|e| e.to_string()))
}

/// The latest close a moderator may still move this vote to, if they may extend it.
pub fn extend_until(
    conn: &mut DbConn,
    p: &Proposal,
    viewer: Option<i64>,
) -> Result<Option<chrono::NaiveDateTime>, GovernanceError> {
    let Some(v) = viewer else { return Ok(None) };
    let limit = p.original_closes_at + chrono::Duration::seconds(p.max_extension_seconds);
    if !p.local
        || p.max_extension_seconds <= 0
        || !p.accepts_votes_at(store::now())
        || limit <= p.closes_at
    {
        return Ok(None);
    }
    let moderator = memberships::find(conn, p.community_id, v)?.is_some_and(|m| m.is_moderator());
    Ok(moderator.then_some(limit))
}

//! Voting: casting and changing a ballot, receipts, the roll call of open ballots, and results
//! (turnout always; the tally live for roll-call votes, only once closed for secret ones).
//!
//! Receipts: each time a ballot is cast or changed the voter is shown a fresh random code once;
//! only its SHA-256 is stored. The close publishes the hashes of every counted ballot (see
//! [`super::receipts`]), so a voter can check that their latest ballot was counted, while the
//! list tells nobody else anything. A changed vote replaces the receipt: only the latest counts.
//! A member voting from another instance gets the code there; their instance sends its hash with
//! the vote and the community counts the ballot under that hash (see [`cast_federated`]), so the
//! check works on the voter's instance against the count the community published.

use std::collections::HashSet;

use base64::Engine;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::proposals::{self, BallotKind, Proposal, Status};
use super::tally::{self, Ballot, BallotChoice, Outcome, TallyError};
use super::{corrupt, GovernanceError};
use crate::domain::events::{Event, Publisher};
use crate::store::actors::Actor;
use crate::store::ballots::{self as store_ballots, NewBallot};
use crate::store::{self, memberships, proposals as store_proposals, DbConn};

/// The published tally of a proposal.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProposalResult {
    pub outcome: Outcome,
    /// Ballots not counted because their voter left before the close (only when the
    /// community's setting says leaving withdraws a ballot).
    pub withdrawn: u64,
    /// `true` once the proposal closed; `false` for a live roll-call count.
    #[serde(rename = "final")]
    pub is_final: bool,
    /// Where the community publishes the hashes of the counted receipts: set on our copy of a
    /// remote proposal's count (a local count's are in our database).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipts: Option<String>,
}

/// The hex SHA-256 of a receipt, as published.
pub fn receipt_hash(receipt: &str) -> String {
    hex::encode(Sha256::digest(receipt.trim().as_bytes()))
}

/// Whether `s` has the shape of a published receipt hash: 64 lowercase hex digits.
pub fn is_receipt_hash(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Where a ballot's receipt comes from.
#[derive(Clone, Copy)]
enum Receipt<'a> {
    /// A fresh code, shown to the voter here.
    Fresh,
    /// The hash of a code the voter's own instance gave them (a federated vote).
    Given(&'a str),
}

fn new_receipt() -> String {
    let mut bytes = [0u8; 18];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// What casting did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cast {
    /// A new or changed ballot. Show `receipt` to the voter now: it is never shown again.
    Counted { receipt: String, changed: bool },
    /// The same ballot again (or the same federated vote delivered twice): nothing changed, and
    /// the receipt given before still stands.
    Unchanged,
}

/// Approval sets are kept sorted, so the same set is the same ballot.
fn normalise(choice: &BallotChoice) -> BallotChoice {
    match choice {
        BallotChoice::Approval(list) => {
            let mut l = list.clone();
            l.sort_unstable();
            BallotChoice::Approval(l)
        }
        other => other.clone(),
    }
}

/// A member votes, or changes their vote (only the latest counts), on a proposal of a local
/// community. Refused, changing nothing:
/// unknown proposal, not open (yet, or any more — also past the close time before the close job
/// ran), the voter not an active member, not eligible (not active when it opened), or a choice
/// the proposal's method and options do not allow. `activity_id` is the federated vote's id, so
/// that a re-delivery is recognised. A remote community's proposal is refused with
/// [`GovernanceError::Remote`]: people vote on those with [`vote`].
pub fn cast(
    conn: &mut DbConn,
    proposal_id: i64,
    voter_actor_id: i64,
    choice: &BallotChoice,
    activity_id: Option<&str>,
) -> Result<Cast, GovernanceError> {
    let p = local_proposal(conn, proposal_id)?;
    record(
        conn,
        &p,
        voter_actor_id,
        choice,
        activity_id,
        Receipt::Fresh,
        |_| Ok(()),
    )
}

/// A local community's proposal: votes on a remote one are counted by its own instance.
fn local_proposal(conn: &mut DbConn, proposal_id: i64) -> Result<Proposal, GovernanceError> {
    let p = proposals::get(conn, proposal_id)?;
    if !p.local {
        return Err(GovernanceError::Remote);
    }
    Ok(p)
}

/// A vote that came from another instance ([`cast`] with the vote's `activity_id`). When the
/// voter's instance sent the hash of the receipt it gave them, the ballot is counted under that
/// hash, so they can find it in the published count; it must look like one (64 lowercase hex
/// digits) and not be any other ballot's. A vote repeating the ballot with a new receipt hash
/// takes the new hash. Without one a fresh receipt is made that nobody sees (a Mastodon vote).
/// [`Cast::Counted`] then carries an empty `receipt`: there is no code to show here.
pub fn cast_federated(
    conn: &mut DbConn,
    proposal_id: i64,
    voter_actor_id: i64,
    choice: &BallotChoice,
    activity_id: &str,
    receipt_hash: Option<&str>,
) -> Result<Cast, GovernanceError> {
    let p = local_proposal(conn, proposal_id)?;
    let receipt = match receipt_hash {
        Some(h) if is_receipt_hash(h) => Receipt::Given(h),
        Some(_) => {
            return Err(GovernanceError::Invalid(
                "A receipt hash is 64 lowercase hex digits.".into(),
            ))
        }
        None => Receipt::Fresh,
    };
    record(
        conn,
        &p,
        voter_actor_id,
        choice,
        Some(activity_id),
        receipt,
        |_| Ok(()),
    )
}

/// The one way a person on this instance votes, whatever community the proposal belongs to
/// (the web UI and the API call this). On a local proposal it is [`cast`]; on a remote
/// community's proposal the ballot is recorded here with the same checks against our copy
/// (open, member, eligible when it opened here, a valid choice) and, in the same transaction,
/// queued for the community's inbox, whose instance counts it.
pub fn vote(
    conn: &mut DbConn,
    publisher: &dyn Publisher,
    proposal_id: i64,
    voter_actor_id: i64,
    choice: &BallotChoice,
) -> Result<Cast, GovernanceError> {
    let p = proposals::get(conn, proposal_id)?;
    if !p.local {
        super::remote::check_sendable(conn, voter_actor_id, choice)?;
    }
    let send = !p.local;
    record(
        conn,
        &p,
        voter_actor_id,
        choice,
        None,
        Receipt::Fresh,
        |conn| {
            if send {
                let event = Event::BallotCast {
                    proposal_id,
                    voter_id: voter_actor_id,
                };
                publisher.publish(conn, event)?;
            }
            Ok(())
        },
    )
}

/// Checks and stores a ballot; `counted` runs inside the transaction when the ballot is new or
/// changed (an error there rolls the ballot back).
fn record(
    conn: &mut DbConn,
    p: &Proposal,
    voter_actor_id: i64,
    choice: &BallotChoice,
    activity_id: Option<&str>,
    receipt: Receipt<'_>,
    counted: impl FnOnce(&mut DbConn) -> Result<(), GovernanceError>,
) -> Result<Cast, GovernanceError> {
    let now = store::now();
    match p.status {
        Status::Scheduled => return Err(GovernanceError::NotYetOpen),
        Status::Closed => return Err(GovernanceError::Closed),
        Status::Open if now >= p.closes_at => return Err(GovernanceError::Closed),
        Status::Open => {}
    }
    match memberships::find(conn, p.community_id, voter_actor_id)? {
        Some(m) if m.is_active() => {}
        _ => return Err(GovernanceError::NotMember),
    }
    let Some(class) = store_proposals::eligible_class(conn, p.id, voter_actor_id)? else {
        return Err(GovernanceError::NotEligible);
    };
    let choice = normalise(choice);
    tally::validate_ballot(&p.voting, &p.options, &choice)?;
    let choice_json =
        serde_json::to_string(&choice).map_err(|e| GovernanceError::Invalid(e.to_string()))?;

    crate::store::write_transaction(conn, |conn| {
        // First statement: the lock that orders this vote against the close.
        if store_proposals::lock_open(conn, p.id, now)? == 0 {
            return Err(GovernanceError::Closed);
        }
        let existing = store_ballots::find(conn, p.id, voter_actor_id)?;
        if let Some(b) = &existing {
            let same_activity = activity_id.is_some() && b.activity_id.as_deref() == activity_id;
            let previous: BallotChoice =
                serde_json::from_str(&b.choice).map_err(|e| corrupt("ballot", e))?;
            let same_receipt = match receipt {
                Receipt::Given(h) => h == b.receipt_hash,
                Receipt::Fresh => true,
            };
            if same_activity || (previous == choice && same_receipt) {
                return Ok(Cast::Unchanged);
            }
        }
        let (receipt, hash) = match receipt {
            Receipt::Fresh => {
                let code = new_receipt();
                let hash = receipt_hash(&code);
                (code, hash)
            }
            Receipt::Given(h) => {
                let own = existing.as_ref().map(|b| b.id);
                if store_ballots::receipt_taken(conn, h, own)? {
                    return Err(GovernanceError::Invalid(
                        "That receipt hash belongs to another ballot.".into(),
                    ));
                }
                (String::new(), h.to_owned())
            }
        };
        let changed = existing.is_some();
        match existing {
            Some(b) => {
                store_ballots::replace(conn, b.id, &choice_json, &hash, activity_id, now)?;
            }
            None => {
                store_ballots::insert(
                    conn,
                    &NewBallot {
                        proposal_id: p.id,
                        voter_id: Some(voter_actor_id),
                        class: &class,
                        choice: &choice_json,
                        receipt_hash: &hash,
                        activity_id,
                        cast_at: now,
                        updated_at: now,
                    },
                )?;
            }
        }
        counted(conn)?;
        Ok(Cast::Counted { receipt, changed })
    })
}

/// The voter's own current ballot (while it is still linked to them: a secret ballot is
/// unlinked when the proposal closes).
pub fn my_ballot(
    conn: &mut DbConn,
    proposal_id: i64,
    voter_actor_id: i64,
) -> Result<Option<BallotChoice>, GovernanceError> {
    Ok(my_ballot_and_receipt(conn, proposal_id, voter_actor_id)?.map(|(choice, _)| choice))
}

/// [`my_ballot`] with the hash of its receipt (what goes out with a vote to another instance).
pub fn my_ballot_and_receipt(
    conn: &mut DbConn,
    proposal_id: i64,
    voter_actor_id: i64,
) -> Result<Option<(BallotChoice, String)>, GovernanceError> {
    store_ballots::find(conn, proposal_id, voter_actor_id)?
        .map(|b| {
            let choice = serde_json::from_str(&b.choice).map_err(|e| corrupt("ballot", e))?;
            Ok((choice, b.receipt_hash))
        })
        .transpose()
}

/// One line of a roll call.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RollCallEntry {
    pub voter_id: i64,
    pub voter_ap_id: String,
    /// `name` for local people, `name@domain` for remote ones.
    pub voter: String,
    pub display_name: Option<String>,
    pub class: String,
    pub choice: BallotChoice,
    /// The choice in words: the option chosen, the approved or ranked options in order, or
    /// `option: score` for every option.
    pub chosen: Vec<String>,
}

/// The choice in words.
pub fn describe(proposal: &Proposal, choice: &BallotChoice) -> Vec<String> {
    let names = proposal.option_names();
    let name = |i: &usize| names.get(*i).cloned().unwrap_or_else(|| format!("#{i}"));
    match choice {
        BallotChoice::Consent(c) => vec![c.name().to_string()],
        BallotChoice::Single(i) => vec![name(i)],
        BallotChoice::Approval(l) | BallotChoice::Ranked(l) => l.iter().map(name).collect(),
        BallotChoice::Score(s) => s
            .iter()
            .enumerate()
            .map(|(i, v)| format!("{}: {v}", name(&i)))
            .collect(),
    }
}

/// Who voted what, for a roll-call vote (refused for a secret ballot, open or closed).
pub fn roll_call(
    conn: &mut DbConn,
    proposal_id: i64,
) -> Result<Vec<RollCallEntry>, GovernanceError> {
    let p = roll_call_proposal(conn, proposal_id)?;
    let rows = store_ballots::with_voters(conn, p.id)?;
    rows.iter()
        .map(|(b, a)| roll_call_entry(&p, b, a))
        .collect()
}

/// One page of the roll call (`page` from 1, `per_page` lines each, in the order of
/// [`roll_call`]), each line with its voter's actor, and how many lines it has in all: a large
/// co-op's roll call is too long for one page.
pub fn roll_call_page(
    conn: &mut DbConn,
    proposal_id: i64,
    page: i64,
    per_page: i64,
) -> Result<(Vec<(RollCallEntry, Actor)>, i64), GovernanceError> {
    let p = roll_call_proposal(conn, proposal_id)?;
    let total = store_ballots::count_with_voters(conn, p.id)?;
    let per_page = per_page.max(1);
    let offset = (page.max(1) - 1).saturating_mul(per_page);
    let rows = store_ballots::with_voters_page(conn, p.id, offset, per_page)?;
    let lines = rows
        .into_iter()
        .map(|(b, a)| Ok((roll_call_entry(&p, &b, &a)?, a)))
        .collect::<Result<_, GovernanceError>>()?;
    Ok((lines, total))
}

fn roll_call_proposal(conn: &mut DbConn, proposal_id: i64) -> Result<Proposal, GovernanceError> {
    let p = proposals::get(conn, proposal_id)?;
    if p.ballot != BallotKind::RollCall {
        return Err(GovernanceError::SecretBallot);
    }
    Ok(p)
}

fn roll_call_entry(
    p: &Proposal,
    b: &store_ballots::Ballot,
    a: &Actor,
) -> Result<RollCallEntry, GovernanceError> {
    let choice: BallotChoice = serde_json::from_str(&b.choice).map_err(|e| corrupt("ballot", e))?;
    Ok(RollCallEntry {
        voter_id: a.id,
        voter_ap_id: a.ap_id.clone(),
        voter: if a.local {
            a.name.clone()
        } else {
            format!("{}@{}", a.name, a.domain)
        },
        display_name: a.display_name.clone(),
        class: b.class.clone(),
        chosen: describe(p, &choice),
        choice,
    })
}

/// What anyone may see of a proposal's votes.
#[derive(Clone, Debug, PartialEq)]
pub struct Results {
    pub status: Status,
    /// Ballots cast so far (or counted, once closed).
    pub ballots: u64,
    /// Eligible members (0 until it opens).
    pub eligible: u64,
    /// The recorded result once closed; the live count of an open roll-call vote; `None` for an
    /// open secret ballot (hidden until close) or a proposal that could not be counted.
    pub result: Option<ProposalResult>,
}

/// Turnout always; the tally per the ballot kind.
pub fn results(conn: &mut DbConn, proposal_id: i64) -> Result<Results, GovernanceError> {
    let p = proposals::get(conn, proposal_id)?;
    let eligible = p.electorate.as_ref().map_or(0, |e| e.total());
    if p.status == Status::Closed {
        let ballots = p.result.as_ref().map_or(0, |r| r.outcome.turnout.ballots);
        return Ok(Results {
            status: p.status,
            ballots,
            eligible,
            result: p.result,
        });
    }
    let ballots = store_ballots::count(conn, p.id)? as u64;
    let result = if p.status == Status::Open && p.live_results() {
        let counted = count(conn, &p)?;
        counted.outcome.ok().map(|outcome| ProposalResult {
            outcome,
            withdrawn: counted.withdrawn,
            is_final: false,
            receipts: None,
        })
    } else {
        None
    };
    Ok(Results {
        status: p.status,
        ballots,
        eligible,
        result,
    })
}

/// A count of a proposal's ballots as they stand.
pub(crate) struct Counted {
    pub outcome: Result<Outcome, TallyError>,
    pub receipts: Vec<String>,
    pub withdrawn: u64,
}

/// Tallies the ballots as they stand, leaving out those of voters who left when the proposal
/// says leaving withdraws a ballot.
pub(crate) fn count(conn: &mut DbConn, p: &Proposal) -> Result<Counted, GovernanceError> {
    let electorate = p.electorate.clone().unwrap_or_default();
    let rows = store_ballots::of_proposal(conn, p.id)?;
    let active: Option<HashSet<i64>> = if p.withdraw_on_leave {
        Some(
            store_proposals::active_member_ids(conn, p.community_id)?
                .into_iter()
                .collect(),
        )
    } else {
        None
    };
    let mut ballots = Vec::with_capacity(rows.len());
    let mut receipts = Vec::with_capacity(rows.len());
    let mut withdrawn = 0;
    for b in rows {
        if let Some(active) = &active {
            if !b.voter_id.is_some_and(|v| active.contains(&v)) {
                withdrawn += 1;
                continue;
            }
        }
        let choice: BallotChoice =
            serde_json::from_str(&b.choice).map_err(|e| corrupt("ballot", e))?;
        ballots.push(Ballot::new(b.class, choice));
        receipts.push(b.receipt_hash);
    }
    receipts.sort_unstable();
    Ok(Counted {
        outcome: tally::tally(&p.voting, &electorate, &p.options, &ballots),
        receipts,
        withdrawn,
    })
}

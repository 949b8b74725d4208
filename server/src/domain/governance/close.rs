//! Opening scheduled proposals and closing proposals whose time is up — exactly once, even across
//! restarts and with several server processes on one database.
//!
//! Closing claims the proposal with a conditional update (`open` → `closed` only if still open
//! and due) as the first statement of one transaction, which then counts the ballots, records the
//! outcome, applies a passed rule change (a new rules version) or election (new moderators),
//! unlinks the voters of a secret ballot and publishes the events. A second closer finds nothing
//! to claim; a failure rolls everything back and the next run tries again. Votes take the same
//! row first (see [`super::ballots::cast`]), so a vote is either counted or refused, never lost.

use chrono::NaiveDateTime;

use super::ballots::{self, ProposalResult};
use super::proposals::{self, BallotKind, Proposal, ProposalKind, Status};
use super::receipts;
use super::rules::{self, RuleChangeError};
use super::tally::Outcome;
use super::{community, GovernanceError};
use crate::domain::events::{Event, Publisher};
use crate::store::{ballots as store_ballots, memberships, proposals as store_proposals, DbConn};

/// What closing one proposal did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Closed {
    pub proposal_id: i64,
    pub passed: Option<bool>,
    /// The rules version a passed rule change created.
    pub rules_version: Option<i64>,
    /// Why nothing was applied although it passed, or why it could not be counted.
    pub note: Option<String>,
}

/// What one run of the close job did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DueReport {
    pub opened: Vec<i64>,
    pub closed: Vec<Closed>,
    /// Proposals that failed to open or close (they stay as they were and are retried).
    pub failed: Vec<(i64, String)>,
}

/// Whether a counted proposal passed: decisions by the engine's verdict, elections when they
/// have winners and no unresolved problem; polls neither pass nor fail.
pub fn passed(kind: ProposalKind, outcome: &Outcome) -> Option<bool> {
    match kind {
        ProposalKind::RuleChange | ProposalKind::Decision => Some(outcome.passed == Some(true)),
        ProposalKind::Election => Some(outcome.reason.is_none() && !outcome.winners.is_empty()),
        ProposalKind::Poll => None,
    }
}

/// Opens a scheduled proposal whose time has come: snapshots the electorate. `false` when it
/// was not due or someone else opened it.
pub fn open(
    conn: &mut DbConn,
    publisher: &dyn Publisher,
    proposal_id: i64,
    now: NaiveDateTime,
) -> Result<bool, GovernanceError> {
    crate::store::write_transaction(conn, |conn| {
        if store_proposals::claim_open(conn, proposal_id, now)? == 0 {
            return Ok(false);
        }
        let row = store_proposals::by_id(conn, proposal_id)?;
        let (c, _) = community(conn, row.community_id)?;
        proposals::snapshot(conn, proposal_id, row.community_id, &c.classes())?;
        publisher.publish(conn, Event::ProposalOpened { proposal_id })?;
        Ok(true)
    })
}

/// Closes a proposal if it is open and due at `now`; `None` when there was nothing to do
/// (already closed — by this or another process — or not yet due).
pub fn close(
    conn: &mut DbConn,
    publisher: &dyn Publisher,
    proposal_id: i64,
    now: NaiveDateTime,
) -> Result<Option<Closed>, GovernanceError> {
    crate::store::write_transaction(conn, |conn| {
        if store_proposals::claim_close(conn, proposal_id, now)? == 0 {
            return Ok(None);
        }
        let p = proposals::get(conn, proposal_id)?;
        let counted = ballots::count(conn, &p)?;
        let mut closed = Closed {
            proposal_id,
            passed: None,
            rules_version: None,
            note: None,
        };
        let mut result_json = None;
        match counted.outcome {
            Err(e) => closed.note = Some(format!("The votes could not be counted: {e}")),
            Ok(outcome) => {
                closed.passed = passed(p.kind, &outcome);
                if closed.passed == Some(true) {
                    match p.kind {
                        ProposalKind::RuleChange => match apply_rule_change(conn, &p)? {
                            Ok(version) => {
                                closed.rules_version = Some(version);
                                publisher.publish(
                                    conn,
                                    Event::RulesChanged {
                                        community_id: p.community_id,
                                    },
                                )?;
                            }
                            Err(e) => {
                                closed.note = Some(format!("Passed, but not applied: {e}."));
                            }
                        },
                        ProposalKind::Election => {
                            closed.note = apply_election(conn, &p, &outcome.winners, now)?;
                            publisher.publish(
                                conn,
                                Event::CommunityUpdated {
                                    community_id: p.community_id,
                                },
                            )?;
                        }
                        ProposalKind::Decision | ProposalKind::Poll => {}
                    }
                }
                receipts::publish(conn, proposal_id, &counted.receipts)?;
                let result = ProposalResult {
                    outcome,
                    withdrawn: counted.withdrawn,
                    is_final: true,
                    receipts: None,
                };
                result_json = Some(
                    serde_json::to_string(&result)
                        .map_err(|e| GovernanceError::Invalid(e.to_string()))?,
                );
            }
        }
        store_proposals::record_result(
            conn,
            proposal_id,
            &store_proposals::Recorded {
                result: result_json.as_deref(),
                passed: closed.passed,
                result_rules_version: closed.rules_version,
                close_note: closed.note.as_deref(),
            },
        )?;
        if p.ballot == BallotKind::Secret {
            store_ballots::unlink_voters(conn, proposal_id, p.closes_at)?;
        }
        publisher.publish(conn, Event::ProposalClosed { proposal_id })?;
        Ok(Some(closed))
    })
}

/// Applies a passed rule change on top of the rules in force: a new version, adopted at the
/// close time. The inner error says why it could not be applied (the rules it amends changed).
fn apply_rule_change(
    conn: &mut DbConn,
    p: &Proposal,
) -> Result<Result<i64, RuleChangeError>, GovernanceError> {
    let current = rules::current(conn, p.community_id)?;
    let base = rules::version(conn, p.community_id, p.base_rules_version.unwrap_or(0))?
        .unwrap_or_else(|| current.clone());
    if let Err(e) = rules::check_unchanged_since(&base.rules, &current.rules, &p.rule_changes) {
        return Ok(Err(e));
    }
    let (new_rules, next) =
        match rules::apply(&current.rules, current.next_rule_id, &p.rule_changes) {
            Ok(x) => x,
            Err(e) => return Ok(Err(e)),
        };
    let version = rules::adopt(conn, &current, &new_rules, next, Some(p.id), p.closes_at)?;
    Ok(Ok(version))
}

/// The winners become the moderators; moderators not elected step down to member. Owners keep
/// their role. Returns a note if a winner could not take the seat.
fn apply_election(
    conn: &mut DbConn,
    p: &Proposal,
    winners: &[String],
    now: NaiveDateTime,
) -> Result<Option<String>, GovernanceError> {
    let elected: Vec<i64> = winners
        .iter()
        .filter_map(|w| p.options.iter().position(|o| o == w))
        .filter_map(|i| p.candidates.get(i).copied())
        .collect();
    for m in store_proposals::moderators(conn, p.community_id)? {
        if !elected.contains(&m) {
            store_proposals::set_role(conn, p.community_id, m, "member", now)?;
        }
    }
    let mut missing = Vec::new();
    for (id, name) in elected.iter().zip(winners) {
        match memberships::find(conn, p.community_id, *id)? {
            Some(m) if m.is_active() => {
                if m.role != "owner" {
                    store_proposals::set_role(conn, p.community_id, *id, "moderator", now)?;
                }
            }
            _ => missing.push(name.clone()),
        }
    }
    Ok((!missing.is_empty()).then(|| {
        format!(
            "Elected but no longer a member, so not made a moderator: {}.",
            missing.join(", ")
        )
    }))
}

/// Opens and closes everything due at `now`, each in its own transaction.
pub fn run_due(
    conn: &mut DbConn,
    publisher: &dyn Publisher,
    now: NaiveDateTime,
) -> Result<DueReport, GovernanceError> {
    let mut report = DueReport::default();
    for id in store_proposals::due_to_open(conn, now)? {
        match open(conn, publisher, id, now) {
            Ok(true) => report.opened.push(id),
            Ok(false) => {}
            Err(e) => report.failed.push((id, e.to_string())),
        }
    }
    for id in store_proposals::due_to_close(conn, now)? {
        match close(conn, publisher, id, now) {
            Ok(Some(c)) => report.closed.push(c),
            Ok(None) => {}
            Err(e) => report.failed.push((id, e.to_string())),
        }
    }
    Ok(report)
}

/// The next time something is due (a scheduled opening or a close), if any.
pub fn next_due(conn: &mut DbConn) -> Result<Option<NaiveDateTime>, GovernanceError> {
    Ok(store_proposals::next_due(conn)?)
}

/// Whether a proposal is still waiting for the close job.
pub fn awaiting_close(p: &Proposal, now: NaiveDateTime) -> bool {
    p.status == Status::Open && now >= p.closes_at
}

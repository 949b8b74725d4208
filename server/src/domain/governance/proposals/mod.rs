//! Proposals: rule changes, general decisions, elections and polls, each with its voting rules
//! (method, quorum, threshold, class policy, seats), its ballot kind and its window.
//!
//! A proposal opens at once or at a set time; when it opens, the members active with a class
//! are copied into its electorate (joining later gives no vote). It closes at its close time,
//! extendable only within the limit the community's settings allowed when it was made.
//! Rule changes and decisions pass or fail (consent, or a For/Against/Abstain motion); elections
//! and polls have winners (single choice, approval, ranked, score).

use std::collections::BTreeMap;

use chrono::NaiveDateTime;

mod model;

pub use model::{
    BallotKind, Proposal, ProposalContent, ProposalForm, ProposalKind, Status, MOTION_OPTIONS,
};

use super::rules::{self, RulesDiff};
use super::settings::{self, Proposers};
use super::tally::{Electorate, Method, Rules, Threshold};
use super::{community, not_found, GovernanceError};
use crate::domain::events::{Event, Publisher};
use crate::domain::{markdown, Instance};
use crate::store::proposals::{self as store_proposals, NewProposal};
use crate::store::{self, actors, memberships, DbConn};

pub const MAX_TITLE: usize = 200;
pub const MAX_BODY: usize = 20_000;
pub const MAX_OPTIONS: usize = 50;
pub const MAX_OPTION: usize = 200;
/// The longest a vote may stay open: a year.
pub const MAX_WINDOW_DAYS: i64 = 366;

/// Timestamps keep microseconds, as both databases do.
pub(crate) fn micros(t: NaiveDateTime) -> NaiveDateTime {
    t - chrono::Duration::nanoseconds(i64::from(t.and_utc().timestamp_subsec_nanos() % 1000))
}

/// Eligible members per class: every class of the community (0 if empty), plus any class a
/// member holds that the community no longer lists.
pub(crate) fn electorate_of<'a>(
    community_classes: &[String],
    member_classes: impl IntoIterator<Item = &'a String>,
) -> Electorate {
    let mut counts: BTreeMap<String, u64> =
        community_classes.iter().map(|c| (c.clone(), 0)).collect();
    for c in member_classes {
        *counts.entry(c.clone()).or_default() += 1;
    }
    Electorate::from_counts(counts).unwrap_or_default()
}

/// A proposal by id.
pub fn get(conn: &mut DbConn, proposal_id: i64) -> Result<Proposal, GovernanceError> {
    Proposal::from_row(store_proposals::by_id(conn, proposal_id).map_err(not_found)?)
}

/// A proposal by its ActivityPub id.
pub fn by_ap_id(conn: &mut DbConn, ap_id: &str) -> Result<Option<Proposal>, GovernanceError> {
    store_proposals::by_ap_id(conn, ap_id)?
        .map(Proposal::from_row)
        .transpose()
}

/// A community's proposals, newest first.
pub fn list(
    conn: &mut DbConn,
    community_id: i64,
    status: Option<Status>,
    limit: i64,
) -> Result<Vec<Proposal>, GovernanceError> {
    store_proposals::list(
        conn,
        community_id,
        status.map(Status::as_str),
        limit.clamp(1, 500),
    )?
    .into_iter()
    .map(Proposal::from_row)
    .collect()
}

/// A rule change's diff: the rules it was written against, and those rules with it applied.
/// `None` for other kinds, or when the base version is gone.
pub fn change_diff(
    conn: &mut DbConn,
    proposal: &Proposal,
) -> Result<Option<RulesDiff>, GovernanceError> {
    if proposal.kind != ProposalKind::RuleChange {
        return Ok(None);
    }
    let base_no = proposal.base_rules_version.unwrap_or(0);
    let Some(base) = rules::version(conn, proposal.community_id, base_no)? else {
        return Ok(None);
    };
    let (after, _) = rules::apply(&base.rules, base.next_rule_id, &proposal.rule_changes)?;
    Ok(Some(rules::diff(
        &base.rules,
        &after,
        &format!("version {base_no}"),
        "proposed",
    )))
}

fn invalid(msg: impl Into<String>) -> GovernanceError {
    GovernanceError::Invalid(msg.into())
}

/// A member proposes. Checks who may propose, the text, the window and the voting rules (with
/// the tally engine's own validation), then stores it; if it opens now, the electorate is
/// snapshotted and `ProposalOpened` published in the same transaction.
pub fn create(
    conn: &mut DbConn,
    publisher: &dyn Publisher,
    instance: &Instance,
    community_id: i64,
    author_actor_id: i64,
    form: &ProposalForm,
) -> Result<Proposal, GovernanceError> {
    let (c, community_actor) = community(conn, community_id)?;
    if !c.local {
        return Err(GovernanceError::Remote);
    }
    let member = match memberships::find(conn, community_id, author_actor_id)? {
        Some(m) if m.is_active() => m,
        _ => return Err(GovernanceError::NotMember),
    };
    let gov = settings::get(conn, community_id)?;
    if !gov.proposers.admits(&member) {
        return Err(GovernanceError::MayNotPropose(match &gov.proposers {
            Proposers::AnyMember => "members".into(),
            p => p.describe(),
        }));
    }

    let title = form.title.trim();
    if title.is_empty() || title.chars().count() > MAX_TITLE {
        return Err(invalid(format!("Title: 1 to {MAX_TITLE} characters.")));
    }
    let body = form.body.trim();
    if body.chars().count() > MAX_BODY {
        return Err(invalid(format!("Text: at most {MAX_BODY} characters.")));
    }

    let now = store::now();
    let opens_at = match form.opens_at.map(micros) {
        Some(t) if t > now => t,
        _ => now,
    };
    let closes_at = micros(form.closes_at);
    if closes_at <= opens_at {
        return Err(invalid("The vote must close after it opens."));
    }
    if closes_at - opens_at > chrono::Duration::days(MAX_WINDOW_DAYS) {
        return Err(invalid(format!(
            "A vote may stay open at most {MAX_WINDOW_DAYS} days."
        )));
    }

    let kind = form.content.kind();
    let mut threshold = form.threshold;
    let mut rule_changes = None;
    let mut base_rules_version = None;
    let mut candidates = None;
    let (options, seats): (Vec<String>, u32) = match &form.content {
        ProposalContent::RuleChange { .. } | ProposalContent::Decision => {
            let options = match form.method {
                Method::Consent => Vec::new(),
                Method::SingleChoice => {
                    threshold.get_or_insert(Threshold::SimpleMajority);
                    MOTION_OPTIONS.iter().map(|s| s.to_string()).collect()
                }
                _ => return Err(invalid(
                    "A rule change or decision is voted by consent or For/Against (single choice).",
                )),
            };
            if let ProposalContent::RuleChange { changes } = &form.content {
                let ops = rules::normalise(changes);
                let current = rules::current(conn, community_id)?;
                rules::apply(&current.rules, current.next_rule_id, &ops)?;
                rule_changes =
                    Some(serde_json::to_string(&ops).map_err(|e| invalid(e.to_string()))?);
                base_rules_version = Some(current.version);
            }
            (options, 1)
        }
        ProposalContent::Election {
            candidates: ids,
            seats,
        } => {
            if form.threshold.is_some() {
                return Err(invalid("An election has winners, not a threshold."));
            }
            let mut names = Vec::with_capacity(ids.len());
            for (i, &id) in ids.iter().enumerate() {
                if ids[..i].contains(&id) {
                    return Err(invalid("A candidate is listed twice."));
                }
                match memberships::find(conn, community_id, id)? {
                    Some(m) if m.is_active() => {}
                    _ => {
                        return Err(invalid(
                            "Every candidate must be an active member of the community.",
                        ))
                    }
                }
                let a = actors::by_id(conn, id)?;
                names.push(if a.local {
                    a.name
                } else {
                    format!("{}@{}", a.name, a.domain)
                });
            }
            candidates = Some(serde_json::to_string(ids).map_err(|e| invalid(e.to_string()))?);
            (names, *seats)
        }
        ProposalContent::Poll { options, seats } => {
            if form.threshold.is_some() {
                return Err(invalid("A poll has winners, not a threshold."));
            }
            if options.len() > MAX_OPTIONS {
                return Err(invalid(format!("At most {MAX_OPTIONS} options.")));
            }
            let options: Vec<String> = options.iter().map(|o| o.trim().to_string()).collect();
            if options.iter().any(|o| o.chars().count() > MAX_OPTION) {
                return Err(invalid(format!(
                    "An option is at most {MAX_OPTION} characters."
                )));
            }
            (options, *seats)
        }
    };
    if !kind.is_decision() && form.method == Method::Consent {
        return Err(invalid(
            "Elections and polls are voted by single choice, approval, ranking or score.",
        ));
    }
    let voting = Rules {
        method: form.method,
        quorum: form.quorum,
        threshold,
        class_policy: form.class_policy.clone(),
        seats,
    };
    // The engine's own checks, against the community's classes and its members now.
    let member_classes = store_proposals::active_class_counts(conn, community_id)?;
    let electorate_now = electorate_of(&c.classes(), &member_classes);
    voting.validate_for(&options, &electorate_now)?;

    let opens_now = opens_at <= now;
    let options_json = serde_json::to_string(&options).map_err(|e| invalid(e.to_string()))?;
    let voting_json = serde_json::to_string(&voting).map_err(|e| invalid(e.to_string()))?;
    let body_html = markdown::to_safe_html(body);
    let provisional = instance.provisional_id();
    let id = crate::store::write_transaction(conn, |conn| {
        let row = store_proposals::insert(
            conn,
            &NewProposal {
                ap_id: &provisional,
                community_id,
                author_id: Some(author_actor_id),
                local: true,
                kind: kind.as_str(),
                title,
                body_markdown: body,
                body_html: &body_html,
                rule_changes: rule_changes.as_deref(),
                base_rules_version,
                candidates: candidates.as_deref(),
                options: &options_json,
                voting: &voting_json,
                ballot: form.ballot.as_str(),
                withdraw_on_leave: gov.withdraw_on_leave,
                max_extension_seconds: if gov.allow_extension {
                    gov.max_extension_seconds
                } else {
                    0
                },
                opens_at,
                closes_at,
                original_closes_at: closes_at,
                status: if opens_now { "open" } else { "scheduled" },
                created_at: now,
                updated_at: now,
            },
        )?;
        let ap_id = format!("{}/proposals/{}", community_actor.ap_id, row.id);
        store_proposals::set_ap_id(conn, row.id, &ap_id)?;
        if opens_now {
            snapshot(conn, row.id, community_id, &c.classes())?;
            publisher.publish(
                conn,
                Event::ProposalOpened {
                    proposal_id: row.id,
                },
            )?;
        }
        Ok::<_, GovernanceError>(row.id)
    })?;
    get(conn, id)
}

/// Copies the electorate (call in the opening transaction).
pub(crate) fn snapshot(
    conn: &mut DbConn,
    proposal_id: i64,
    community_id: i64,
    community_classes: &[String],
) -> Result<Electorate, GovernanceError> {
    let members = store_proposals::snapshot_electorate(conn, proposal_id, community_id)?;
    let electorate = electorate_of(community_classes, members.iter().map(|(_, c)| c));
    let json = serde_json::to_string(&electorate).map_err(|e| invalid(e.to_string()))?;
    store_proposals::set_electorate(conn, proposal_id, &json)?;
    Ok(electorate)
}

/// A moderator moves an open proposal's close time later, within the extension the community
/// allowed when the proposal was made (none by default).
pub fn extend(
    conn: &mut DbConn,
    publisher: &dyn Publisher,
    proposal_id: i64,
    moderator_actor_id: i64,
    new_closes_at: NaiveDateTime,
) -> Result<Proposal, GovernanceError> {
    let p = get(conn, proposal_id)?;
    if !p.local {
        return Err(GovernanceError::Remote);
    }
    match memberships::find(conn, p.community_id, moderator_actor_id)? {
        Some(m) if m.is_moderator() => {}
        _ => return Err(GovernanceError::NotAllowed("the community's moderators")),
    }
    let now = store::now();
    if p.status == Status::Closed || now >= p.closes_at {
        return Err(GovernanceError::Closed);
    }
    if p.max_extension_seconds <= 0 {
        return Err(invalid(
            "This community's rules did not allow extending this vote when it was proposed.",
        ));
    }
    let new_closes_at = micros(new_closes_at);
    if new_closes_at <= p.closes_at {
        return Err(invalid("An extension must move the close time later."));
    }
    let limit = p.original_closes_at + chrono::Duration::seconds(p.max_extension_seconds);
    if new_closes_at > limit {
        return Err(invalid(format!(
            "This vote may be extended at most until {} UTC.",
            limit.format("%Y-%m-%d %H:%M:%S")
        )));
    }
    crate::store::write_transaction(conn, |conn| {
        if store_proposals::extend(conn, p.id, new_closes_at, now)? == 0 {
            return Err(GovernanceError::Closed);
        }
        publisher.publish(conn, Event::ProposalExtended { proposal_id: p.id })?;
        Ok(())
    })?;
    get(conn, p.id)
}

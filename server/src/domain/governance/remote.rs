//! Proposals and rules of remote communities: our copy of what the community's instance
//! published (it alone counts the votes and changes its rules), so that our members can read and
//! vote from here.
//!
//! A remote proposal is stored when its community announces it, with the members of that
//! community on this instance who are active then as its local electorate (the community checks
//! eligibility again when the vote arrives). Our members vote through [`super::ballots::vote`];
//! the close and the outcome come from the community, as do new versions of its rules.

use chrono::NaiveDateTime;

use super::ballots::ProposalResult;
use super::proposals::{self, BallotKind, Proposal, ProposalKind, MAX_BODY, MAX_TITLE};
use super::rules::{self, Rule, RuleOp, MAX_RULES, MAX_RULE_TEXT, MAX_RULE_TITLE};
use super::tally::{BallotChoice, Electorate, Rules};
use super::{community, GovernanceError};
use crate::store::ballots as store_ballots;
use crate::store::proposals::{self as store_proposals, NewProposal, Recorded};
use crate::store::rules::{self as store_rules, NewRuleVersion};
use crate::store::{self, actors, DbConn};

/// A proposal as a remote community published it.
#[derive(Clone, Debug, PartialEq)]
pub struct RemoteProposal {
    pub ap_id: String,
    /// Our row of the remote community.
    pub community_id: i64,
    pub kind: ProposalKind,
    pub title: String,
    /// Already sanitised.
    pub body_html: String,
    pub body_markdown: String,
    pub rule_changes: Vec<RuleOp>,
    pub base_rules_version: Option<i64>,
    /// Empty for consent.
    pub options: Vec<String>,
    pub voting: Rules,
    pub ballot: BallotKind,
    /// Eligible members per class, as the community counted them when it opened.
    pub electorate: Option<Electorate>,
    pub opens_at: NaiveDateTime,
    pub closes_at: NaiveDateTime,
    pub closed: Option<RemoteClose>,
}

/// A remote proposal's close, as its community published it.
#[derive(Clone, Debug, PartialEq)]
pub struct RemoteClose {
    pub closed_at: NaiveDateTime,
    pub result: Option<ProposalResult>,
    pub passed: Option<bool>,
    pub rules_version: Option<i64>,
    pub note: Option<String>,
}

fn invalid(msg: impl Into<String>) -> GovernanceError {
    GovernanceError::Invalid(msg.into())
}

fn json<T: serde::Serialize>(v: &T) -> Result<String, GovernanceError> {
    serde_json::to_string(v).map_err(|e| invalid(e.to_string()))
}

/// Stores a remote community's proposal, or brings our copy up to date (text, an extended close
/// time, the close and its outcome). A proposal stays closed once closed.
pub fn store(conn: &mut DbConn, r: &RemoteProposal) -> Result<Proposal, GovernanceError> {
    let (c, _) = community(conn, r.community_id)?;
    if c.local {
        return Err(GovernanceError::Invalid(
            "A local community's proposals are not taken from other instances.".into(),
        ));
    }
    if r.title.trim().is_empty() || r.title.chars().count() > MAX_TITLE {
        return Err(invalid(format!("Title: 1 to {MAX_TITLE} characters.")));
    }
    if r.body_html.chars().count() > 4 * MAX_BODY {
        return Err(invalid("The proposal's text is too long."));
    }
    if r.closes_at <= r.opens_at {
        return Err(invalid("The vote must close after it opens."));
    }
    r.voting.validate(&r.options)?;
    let now = store::now();
    let closes_at = proposals::micros(r.closes_at);
    crate::store::write_transaction(conn, |conn| {
        store_proposals::lock_remote(conn, &r.ap_id)?;
        let id = match store_proposals::by_ap_id(conn, &r.ap_id)? {
            Some(row) if row.local || row.community_id != r.community_id => {
                return Err(invalid("That proposal belongs to another community."));
            }
            Some(row) => {
                store_proposals::update_remote(
                    conn,
                    row.id,
                    &r.title,
                    &r.body_html,
                    closes_at,
                    now,
                )?;
                row.id
            }
            None => insert(conn, r, &c.classes(), now)?,
        };
        if let Some(closed) = &r.closed {
            record_close(conn, id, closed, now)?;
        }
        Ok(())
    })?;
    proposals::by_ap_id(conn, &r.ap_id)?.ok_or(GovernanceError::NotFound)
}

fn insert(
    conn: &mut DbConn,
    r: &RemoteProposal,
    classes: &[String],
    now: NaiveDateTime,
) -> Result<i64, GovernanceError> {
    let rule_changes = match r.kind {
        ProposalKind::RuleChange => Some(json(&r.rule_changes)?),
        _ => None,
    };
    let row = store_proposals::insert(
        conn,
        &NewProposal {
            ap_id: &r.ap_id,
            community_id: r.community_id,
            author_id: None,
            local: false,
            kind: r.kind.as_str(),
            title: r.title.trim(),
            body_markdown: &r.body_markdown,
            body_html: &r.body_html,
            rule_changes: rule_changes.as_deref(),
            base_rules_version: r.base_rules_version,
            candidates: None,
            options: &json(&r.options)?,
            voting: &json(&r.voting)?,
            ballot: r.ballot.as_str(),
            withdraw_on_leave: false,
            max_extension_seconds: 0,
            opens_at: proposals::micros(r.opens_at),
            closes_at: proposals::micros(r.closes_at),
            original_closes_at: proposals::micros(r.closes_at),
            status: "open",
            created_at: now,
            updated_at: now,
        },
    )?;
    // Our members of the community as it stands now are who may vote from here.
    let local = proposals::snapshot(conn, row.id, r.community_id, classes)?;
    let published = r.electorate.clone().unwrap_or(local);
    store_proposals::set_electorate(conn, row.id, &json(&published)?)?;
    Ok(row.id)
}

fn record_close(
    conn: &mut DbConn,
    id: i64,
    closed: &RemoteClose,
    now: NaiveDateTime,
) -> Result<(), GovernanceError> {
    if store_proposals::close_remote(conn, id, proposals::micros(closed.closed_at), now)? == 0 {
        return Ok(());
    }
    let result = closed.result.as_ref().map(json).transpose()?;
    store_proposals::record_result(
        conn,
        id,
        &Recorded {
            result: result.as_deref(),
            passed: closed.passed,
            result_rules_version: closed.rules_version,
            close_note: closed.note.as_deref(),
        },
    )?;
    let row = store_proposals::by_id(conn, id)?;
    if let Some(version) = closed.rules_version {
        store_rules::link_proposal(conn, row.community_id, version, id)?;
    }
    // As on the community's instance: once closed, nobody can tell who cast a secret ballot.
    if row.ballot == BallotKind::Secret.as_str() {
        store_ballots::unlink_voters(conn, id, row.closes_at)?;
    }
    Ok(())
}

/// What can be sent to a remote community: a vote by one of our own people that the Mastodon
/// shape can carry (at least one option chosen).
pub(crate) fn check_sendable(
    conn: &mut DbConn,
    voter_actor_id: i64,
    choice: &BallotChoice,
) -> Result<(), GovernanceError> {
    if !actors::by_id(conn, voter_actor_id)?.local {
        return Err(GovernanceError::NotAllowed("people of this instance"));
    }
    match choice {
        BallotChoice::Approval(l) | BallotChoice::Ranked(l) if l.is_empty() => Err(invalid(
            "Choose at least one option: a blank ballot cannot be sent to another instance.",
        )),
        _ => Ok(()),
    }
}

/// One rule as a remote community published it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemoteRule {
    /// Its stable id there, if published (else its number).
    pub id: Option<i64>,
    pub title: String,
    /// Markdown.
    pub text: String,
}

/// Takes a remote community's rules at `version` as our copy's newest version, unless we
/// already have that version or a later one. Returns whether anything changed.
pub fn mirror_rules(
    conn: &mut DbConn,
    community_id: i64,
    version: i64,
    published: &[RemoteRule],
) -> Result<bool, GovernanceError> {
    let (c, _) = community(conn, community_id)?;
    if c.local {
        return Err(GovernanceError::Invalid(
            "A local community's rules are not taken from other instances.".into(),
        ));
    }
    if version < 1 || published.len() > MAX_RULES {
        return Err(invalid("Unreadable rules."));
    }
    let mut list = Vec::with_capacity(published.len());
    for (i, r) in published.iter().enumerate() {
        if r.title.chars().count() > MAX_RULE_TITLE || r.text.chars().count() > MAX_RULE_TEXT {
            return Err(invalid("A rule is too long."));
        }
        let id = r.id.unwrap_or(i as i64 + 1);
        if list.iter().any(|x: &Rule| x.id == id) {
            return Err(invalid("Two rules have the same id."));
        }
        list.push(Rule {
            id,
            title: r.title.clone(),
            text: r.text.clone(),
        });
    }
    if rules::current(conn, community_id)?.version >= version {
        return Ok(false);
    }
    let next_rule_id = list.iter().map(|r| r.id).max().unwrap_or(0) + 1;
    let adopted_by = store_proposals::adopting(conn, community_id, version)?;
    let inserted = store_rules::insert(
        conn,
        &NewRuleVersion {
            community_id,
            version,
            rules: &json(&list)?,
            next_rule_id,
            proposal_id: adopted_by,
            adopted_at: store::now(),
        },
    );
    match inserted {
        Ok(_) => Ok(true),
        // Someone stored the same version first.
        Err(e) if store::is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

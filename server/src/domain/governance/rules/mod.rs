//! A community's rules: an ordered, numbered list (title + Markdown text), kept in full at every
//! version, with the proposal that adopted each version and a readable line diff between them.
//!
//! Each rule has a stable id that survives renumbering, so a change names the rule it amends or
//! repeals; the number is just its position. Version 0 is "no rules yet" and is never stored.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

mod diff;
#[cfg(test)]
mod tests;

pub use diff::{diff, render, DiffLine, DiffTag, RulesDiff};

use super::ballots::ProposalResult;
use super::{community, corrupt, GovernanceError};
use crate::domain::events::{Event, Publisher};
use crate::domain::markdown;
use crate::store::rules::{self as store_rules, NewRuleVersion};
use crate::store::{self, memberships, proposals, DbConn};

pub const MAX_RULES: usize = 200;
pub const MAX_RULE_TITLE: usize = 200;
pub const MAX_RULE_TEXT: usize = 20_000;

/// One rule as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    /// Stable across versions; never reused within a community.
    pub id: i64,
    pub title: String,
    /// Markdown.
    pub text: String,
}

/// A rule as shown: with its number and rendered text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NumberedRule {
    /// 1-based position.
    pub number: usize,
    pub id: i64,
    pub title: String,
    pub text: String,
    pub html: String,
}

/// One version of a community's rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RulesVersion {
    pub community_id: i64,
    /// 0 when the community has no rules yet.
    pub version: i64,
    pub rules: Vec<Rule>,
    /// The id the next added rule gets.
    pub next_rule_id: i64,
    /// The proposal that adopted this version (`None` for founding rules).
    pub proposal_id: Option<i64>,
    pub adopted_at: Option<NaiveDateTime>,
}

impl RulesVersion {
    fn empty(community_id: i64) -> RulesVersion {
        RulesVersion {
            community_id,
            version: 0,
            rules: Vec::new(),
            next_rule_id: 1,
            proposal_id: None,
            adopted_at: None,
        }
    }

    /// The rules numbered from 1, with their Markdown rendered to safe HTML.
    pub fn numbered(&self) -> Vec<NumberedRule> {
        self.rules
            .iter()
            .enumerate()
            .map(|(i, r)| NumberedRule {
                number: i + 1,
                id: r.id,
                title: r.title.clone(),
                text: r.text.clone(),
                html: markdown::to_safe_html(&r.text),
            })
            .collect()
    }

    /// The stable id of rule number `number` (1-based).
    pub fn id_of(&self, number: usize) -> Option<i64> {
        number
            .checked_sub(1)
            .and_then(|i| self.rules.get(i))
            .map(|r| r.id)
    }
}

/// One change to the rules, carrying the exact new text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum RuleOp {
    /// A new rule at `position` (1-based, in the list as it is when this operation applies), or
    /// at the end.
    Add {
        title: String,
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        position: Option<usize>,
    },
    /// New title and text for the rule with this id.
    Amend {
        rule: i64,
        title: String,
        text: String,
    },
    /// Removes the rule with this id.
    Repeal { rule: i64 },
    /// Every current rule id, in the new order.
    Reorder { order: Vec<i64> },
}

/// Why a rule change cannot be made (at proposal time) or applied (when it passes).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RuleChangeError {
    #[error("a rule change needs at least one operation")]
    Empty,
    #[error("there is no rule with id {0}")]
    UnknownRule(i64),
    #[error("rule {0} is named twice in one change")]
    Twice(i64),
    #[error("position {position} is outside 1..={max}")]
    Position { position: usize, max: usize },
    #[error("a new order must list every current rule exactly once")]
    Reorder,
    #[error("a rule needs a title of 1 to {MAX_RULE_TITLE} characters on one line")]
    Title,
    #[error("a rule's text must be 1 to {MAX_RULE_TEXT} characters")]
    Text,
    #[error("at most {MAX_RULES} rules")]
    TooMany,
    #[error("the change makes no difference to the rules")]
    NoChange,
    #[error("rule “{0}” was changed by another proposal since this one was made")]
    ChangedSince(String),
}

fn check_rule(title: &str, text: &str) -> Result<(), RuleChangeError> {
    let t = title.trim();
    if t.is_empty() || t.chars().count() > MAX_RULE_TITLE || t.contains('\n') {
        return Err(RuleChangeError::Title);
    }
    let n = text.trim().chars().count();
    if n == 0 || n > MAX_RULE_TEXT {
        return Err(RuleChangeError::Text);
    }
    Ok(())
}

/// Trims titles and texts (and normalises line ends) so stored rules diff cleanly.
pub fn normalise(ops: &[RuleOp]) -> Vec<RuleOp> {
    let text = |s: &str| s.replace("\r\n", "\n").trim().to_string();
    ops.iter()
        .map(|op| match op {
            RuleOp::Add {
                title,
                text: t,
                position,
            } => RuleOp::Add {
                title: title.trim().to_string(),
                text: text(t),
                position: *position,
            },
            RuleOp::Amend {
                rule,
                title,
                text: t,
            } => RuleOp::Amend {
                rule: *rule,
                title: title.trim().to_string(),
                text: text(t),
            },
            other => other.clone(),
        })
        .collect()
}

/// Applies operations in order; returns the new rules and the next free rule id.
pub fn apply(
    rules: &[Rule],
    next_rule_id: i64,
    ops: &[RuleOp],
) -> Result<(Vec<Rule>, i64), RuleChangeError> {
    if ops.is_empty() {
        return Err(RuleChangeError::Empty);
    }
    let mut out = rules.to_vec();
    let mut next = next_rule_id;
    let mut touched = std::collections::BTreeSet::new();
    let find = |out: &[Rule], id: i64| {
        out.iter()
            .position(|r| r.id == id)
            .ok_or(RuleChangeError::UnknownRule(id))
    };
    for op in ops {
        match op {
            RuleOp::Add {
                title,
                text,
                position,
            } => {
                check_rule(title, text)?;
                let at = match position {
                    None => out.len(),
                    Some(p) if (1..=out.len() + 1).contains(p) => p - 1,
                    Some(p) => {
                        return Err(RuleChangeError::Position {
                            position: *p,
                            max: out.len() + 1,
                        })
                    }
                };
                out.insert(
                    at,
                    Rule {
                        id: next,
                        title: title.clone(),
                        text: text.clone(),
                    },
                );
                touched.insert(next);
                next += 1;
            }
            RuleOp::Amend { rule, title, text } => {
                check_rule(title, text)?;
                let i = find(&out, *rule)?;
                if !touched.insert(*rule) {
                    return Err(RuleChangeError::Twice(*rule));
                }
                out[i].title = title.clone();
                out[i].text = text.clone();
            }
            RuleOp::Repeal { rule } => {
                let i = find(&out, *rule)?;
                if !touched.insert(*rule) {
                    return Err(RuleChangeError::Twice(*rule));
                }
                out.remove(i);
            }
            RuleOp::Reorder { order } => {
                let mut a: Vec<i64> = order.clone();
                let mut b: Vec<i64> = out.iter().map(|r| r.id).collect();
                a.sort_unstable();
                b.sort_unstable();
                if a != b {
                    return Err(RuleChangeError::Reorder);
                }
                out.sort_by_key(|r| order.iter().position(|id| *id == r.id));
            }
        }
    }
    if out.len() > MAX_RULES {
        return Err(RuleChangeError::TooMany);
    }
    if out == rules {
        return Err(RuleChangeError::NoChange);
    }
    Ok((out, next))
}

/// Refuses a passed change whose amended or repealed rules were changed (or removed) by another
/// proposal after this one was written against `base`: the members voted on a text that no
/// longer stands.
pub fn check_unchanged_since(
    base: &[Rule],
    current: &[Rule],
    ops: &[RuleOp],
) -> Result<(), RuleChangeError> {
    for op in ops {
        let id = match op {
            RuleOp::Amend { rule, .. } | RuleOp::Repeal { rule } => *rule,
            _ => continue,
        };
        let before = base.iter().find(|r| r.id == id);
        let now = current.iter().find(|r| r.id == id);
        match (before, now) {
            (Some(b), Some(n)) if b == n => {}
            (Some(b), _) => return Err(RuleChangeError::ChangedSince(b.title.clone())),
            (None, _) => return Err(RuleChangeError::UnknownRule(id)),
        }
    }
    Ok(())
}

fn decode(row: store_rules::RuleVersion) -> Result<RulesVersion, GovernanceError> {
    Ok(RulesVersion {
        community_id: row.community_id,
        version: row.version,
        rules: serde_json::from_str(&row.rules).map_err(|e| corrupt("rules", e))?,
        next_rule_id: row.next_rule_id,
        proposal_id: row.proposal_id,
        adopted_at: Some(row.adopted_at),
    })
}

/// The rules in force (version 0, empty, when there are none yet).
pub fn current(conn: &mut DbConn, community_id: i64) -> Result<RulesVersion, GovernanceError> {
    match store_rules::current(conn, community_id)? {
        Some(row) => decode(row),
        None => Ok(RulesVersion::empty(community_id)),
    }
}

/// One version (0 is the empty one before any rules), `None` if it does not exist.
pub fn version(
    conn: &mut DbConn,
    community_id: i64,
    version: i64,
) -> Result<Option<RulesVersion>, GovernanceError> {
    if version == 0 {
        return Ok(Some(RulesVersion::empty(community_id)));
    }
    store_rules::version(conn, community_id, version)?
        .map(decode)
        .transpose()
}

/// The proposal that adopted a version, and by what result.
#[derive(Clone, Debug, PartialEq)]
pub struct AdoptedBy {
    pub proposal_id: i64,
    pub ap_id: String,
    pub title: String,
    pub result: Option<ProposalResult>,
}

/// One entry of the rules' history.
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryEntry {
    pub version: i64,
    pub adopted_at: NaiveDateTime,
    /// `None` for founding rules.
    pub adopted_by: Option<AdoptedBy>,
    /// From the previous version.
    pub diff: RulesDiff,
    pub rules: Vec<Rule>,
}

/// Every version, newest first, each with its diff from the one before and what adopted it.
pub fn history(conn: &mut DbConn, community_id: i64) -> Result<Vec<HistoryEntry>, GovernanceError> {
    let versions = store_rules::all(conn, community_id)?
        .into_iter()
        .map(decode)
        .collect::<Result<Vec<_>, _>>()?;
    let mut out = Vec::with_capacity(versions.len());
    let mut previous: Vec<Rule> = Vec::new();
    let mut previous_version = 0;
    for v in versions {
        let adopted_by = match v.proposal_id {
            None => None,
            Some(pid) => {
                let p = proposals::by_id(conn, pid)?;
                let result = match p.result.as_deref() {
                    Some(json) => {
                        Some(serde_json::from_str(json).map_err(|e| corrupt("result", e))?)
                    }
                    None => None,
                };
                Some(AdoptedBy {
                    proposal_id: p.id,
                    ap_id: p.ap_id,
                    title: p.title,
                    result,
                })
            }
        };
        out.push(HistoryEntry {
            version: v.version,
            adopted_at: v.adopted_at.unwrap_or_default(),
            adopted_by,
            diff: diff(
                &previous,
                &v.rules,
                &format!("version {previous_version}"),
                &format!("version {}", v.version),
            ),
            rules: v.rules.clone(),
        });
        previous = v.rules;
        previous_version = v.version;
    }
    out.reverse();
    Ok(out)
}

/// Stores version `current.version + 1`. Fails with a unique violation if another process
/// stored that version first (the caller's transaction then rolls back and is retried).
pub(crate) fn adopt(
    conn: &mut DbConn,
    current: &RulesVersion,
    rules: &[Rule],
    next_rule_id: i64,
    proposal_id: Option<i64>,
    adopted_at: NaiveDateTime,
) -> Result<i64, GovernanceError> {
    let json = serde_json::to_string(rules).map_err(|e| GovernanceError::Invalid(e.to_string()))?;
    let version = current.version + 1;
    store_rules::insert(
        conn,
        &NewRuleVersion {
            community_id: current.community_id,
            version,
            rules: &json,
            next_rule_id,
            proposal_id,
            adopted_at,
        },
    )?;
    Ok(version)
}

/// The owner of a local community with no rules yet writes its founding rules (version 1).
/// Every later change goes through a proposal.
pub fn found(
    conn: &mut DbConn,
    publisher: &dyn Publisher,
    community_id: i64,
    owner_actor_id: i64,
    rules: &[(String, String)],
) -> Result<RulesVersion, GovernanceError> {
    let (c, _) = community(conn, community_id)?;
    if !c.local {
        return Err(GovernanceError::Remote);
    }
    match memberships::find(conn, community_id, owner_actor_id)? {
        Some(m) if m.is_active() && m.role == "owner" => {}
        _ => return Err(GovernanceError::NotAllowed("the community's owner")),
    }
    let ops: Vec<RuleOp> = rules
        .iter()
        .map(|(title, text)| RuleOp::Add {
            title: title.clone(),
            text: text.clone(),
            position: None,
        })
        .collect();
    let ops = normalise(&ops);
    let empty = RulesVersion::empty(community_id);
    let (new_rules, next) = apply(&empty.rules, empty.next_rule_id, &ops)?;
    let now = store::now();
    let result = crate::store::write_transaction(conn, |conn| {
        if store_rules::current(conn, community_id)?.is_some() {
            return Err(GovernanceError::Conflict(
                "This community already has rules: change them with a proposal.".into(),
            ));
        }
        adopt(conn, &empty, &new_rules, next, None, now)?;
        publisher.publish(conn, Event::RulesChanged { community_id })?;
        Ok(())
    });
    match result {
        Err(GovernanceError::Database(e)) if store::is_unique_violation(&e) => Err(
            GovernanceError::Conflict("This community already has rules.".into()),
        ),
        other => other,
    }?;
    current(conn, community_id)
}

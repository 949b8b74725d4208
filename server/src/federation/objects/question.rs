//! Proposals as `Question`s: a local community's proposal as the document we send and serve, and
//! a remote community's `Question` read into our copy of it.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDateTime, Utc};
use serde_json::Value;
use url::Url;

use crate::domain::governance::ballots::{self, ProposalResult};
use crate::domain::governance::proposals::{self, BallotKind, Proposal, ProposalKind, Status};
use crate::domain::governance::remote::{RemoteClose, RemoteProposal};
use crate::domain::governance::tally::{
    ClassPolicy, ClassShare, Electorate, Method, Quorum, Ratio, Rules, Threshold,
};
use crate::domain::governance::{GovernanceError, RuleOp};
use crate::domain::markdown;
use crate::federation::protocol::objects::collections::CollectionType;
use crate::federation::protocol::objects::note::NoteType;
use crate::federation::protocol::objects::question::{self as wire, Closed, OptionReplies};
use crate::federation::protocol::objects::{PollOption, Question};
use crate::federation::protocol::values::Source;
use crate::federation::receipts;
use crate::store::{communities, DbConn};

fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    DateTime::from_naive_utc_and_offset(t, Utc)
}

fn url(s: &str) -> Result<Url, GovernanceError> {
    Url::parse(s).map_err(|e| GovernanceError::Invalid(format!("invalid URL {s}: {e}")))
}

/// How a proposal's options are named on the wire: consent answers capitalised, as Mastodon
/// shows them.
pub fn option_names(p: &Proposal) -> Vec<String> {
    if p.voting.method == Method::Consent {
        let mut names = p.option_names();
        for n in &mut names {
            if let Some(first) = n.get(..1) {
                *n = first.to_uppercase() + &n[1..];
            }
        }
        names
    } else {
        p.options.clone()
    }
}

/// Votes per option, when they may be shown (a live roll-call count, or the final one) and mean
/// votes (not score points).
fn option_totals(p: &Proposal, result: Option<&ProposalResult>) -> Option<Vec<u64>> {
    let result = result?;
    if p.voting.method == Method::Score {
        return None;
    }
    let mut totals = vec![0; option_names(p).len()];
    for o in &result.outcome.options {
        if let Some(t) = totals.get_mut(o.index) {
            *t = o.by_class.values().map(|c| c.raw).sum();
        }
    }
    Some(totals)
}

/// The proposal text, with a rule change's diff against the rules it was written for.
fn content(conn: &mut DbConn, p: &Proposal) -> Result<String, GovernanceError> {
    let mut html = p.body_html.clone();
    if let Some(diff) = proposals::change_diff(conn, p)? {
        html.push_str("<p>Proposed change to the rules:</p><pre>");
        html.push_str(&ammonia::clean_text(&diff.unified));
        html.push_str("</pre>");
    }
    Ok(html)
}

/// `coop:outcome` of a closed proposal: the published result (per option, per class, turnout,
/// quorum, where the counted receipts are listed) with what closing decided.
fn outcome(p: &Proposal) -> Option<Value> {
    let mut v = serde_json::to_value(p.result.as_ref()?).ok()?;
    let map = v.as_object_mut()?;
    if p.local && p.status == Status::Closed {
        map.insert("receipts".into(), receipts::collection_id(p).into());
    }
    map.insert("passed".into(), p.passed.into());
    if let Some(version) = p.result_rules_version {
        map.insert("rulesVersion".into(), version.into());
    }
    if let Some(note) = &p.close_note {
        map.insert("note".into(), note.clone().into());
    }
    Some(v)
}

/// `coop:proposal`: how the proposal is decided.
pub(crate) fn coop_proposal(p: &Proposal) -> wire::Proposal {
    let r = &p.voting;
    let (quorum, quorum_count) = match r.quorum {
        Quorum::Share(s) => (Some(s.to_string()), None),
        Quorum::Count(n) => (None, Some(n)),
    };
    let (class_policy, class_shares) = match &r.class_policy {
        ClassPolicy::OneMemberOneVote => ("one_member_one_vote", None),
        ClassPolicy::ConcurrentMajorities => ("concurrent_majorities", None),
        ClassPolicy::WeightedClasses(shares) => (
            "weighted_classes",
            Some(
                shares
                    .iter()
                    .map(|s| wire::ClassShare {
                        class: s.class.clone(),
                        share: s.share.to_string(),
                    })
                    .collect(),
            ),
        ),
    };
    let method = serde_json::to_value(r.method)
        .ok()
        .and_then(|m| m.as_str().map(str::to_owned));
    wire::Proposal {
        kind: p.kind.as_str().to_owned(),
        method,
        quorum,
        threshold: r.threshold.map(|t| t.to_string()),
        class_policy: Some(class_policy.to_owned()),
        ballot: Some(match p.ballot {
            BallotKind::Secret => wire::Ballot::Secret,
            BallotKind::RollCall => wire::Ballot::Open,
        }),
        eligible_count: p.electorate.as_ref().map(Electorate::total),
        quorum_count,
        seats: Some(r.seats),
        class_shares,
        electorate: p
            .electorate
            .as_ref()
            .map(|e| e.classes().map(|(c, n)| (c.to_owned(), n)).collect()),
        rule_changes: (p.kind == ProposalKind::RuleChange)
            .then(|| serde_json::to_value(&p.rule_changes).ok())
            .flatten(),
        base_rules_version: p.base_rules_version,
    }
}

/// A local community's proposal as a `Question` authored by the community.
pub fn document(conn: &mut DbConn, proposal_id: i64) -> Result<Question, GovernanceError> {
    let p = proposals::get(conn, proposal_id)?;
    let (_, community_actor) = communities::by_id(conn, p.community_id)?;
    let community = url(&community_actor.ap_id)?;
    let followers = url(&format!("{}/followers", community_actor.ap_id))?;
    let results = ballots::results(conn, p.id)?;
    let mut q = Question::new(url(&p.ap_id)?, community, followers, p.title.clone());
    q.content = Some(content(conn, &p)?);
    q.source = (!p.body_markdown.is_empty()).then(|| Source::markdown(p.body_markdown.clone()));
    q.end_time = Some(utc(p.closes_at));
    q.published = Some(utc(p.opens_at));
    q.updated = Some(utc(p.closed_at.unwrap_or(p.opens_at)));
    q.voters_count = Some(results.ballots);
    let totals = option_totals(&p, results.result.as_ref());
    let options = option_names(&p)
        .into_iter()
        .enumerate()
        .map(|(i, name)| PollOption {
            kind: NoteType::Note,
            name,
            replies: totals.as_ref().map(|t| OptionReplies {
                kind: CollectionType::Collection,
                total_items: t.get(i).copied().unwrap_or(0),
            }),
        })
        .collect();
    if p.voting.method == Method::Approval {
        q.any_of = Some(options);
    } else {
        q.one_of = Some(options);
    }
    if p.status == Status::Closed {
        q.closed = Some(Closed::At(utc(p.closed_at.unwrap_or(p.closes_at))));
        q.outcome = outcome(&p);
    }
    q.proposal = Some(coop_proposal(&p));
    Ok(q)
}

fn refused(what: &str) -> GovernanceError {
    GovernanceError::Invalid(format!("unreadable proposal: {what}"))
}

fn ratio(s: &str) -> Result<Ratio, GovernanceError> {
    s.parse().map_err(|_| refused("a share"))
}

fn voting(q: &Question, coop: &wire::Proposal) -> Result<Rules, GovernanceError> {
    let method = match coop.method.as_deref() {
        Some(m) => serde_json::from_value(Value::String(m.to_owned()))
            .map_err(|_| refused("unknown method"))?,
        None if q.is_multiple_choice() => Method::Approval,
        None => Method::SingleChoice,
    };
    let quorum = match (coop.quorum_count, coop.quorum.as_deref()) {
        (Some(n), _) => Quorum::Count(n),
        (None, Some(s)) => Quorum::Share(ratio(s)?),
        (None, None) => Quorum::default(),
    };
    let threshold = coop
        .threshold
        .as_deref()
        .map(str::parse::<Threshold>)
        .transpose()
        .map_err(|_| refused("threshold"))?;
    let class_policy = match coop.class_policy.as_deref() {
        None | Some("one_member_one_vote") => ClassPolicy::OneMemberOneVote,
        Some("concurrent_majorities") => ClassPolicy::ConcurrentMajorities,
        Some("weighted_classes") => ClassPolicy::WeightedClasses(
            coop.class_shares
                .iter()
                .flatten()
                .map(|s| {
                    Ok(ClassShare {
                        class: s.class.clone(),
                        share: ratio(&s.share)?,
                    })
                })
                .collect::<Result<_, GovernanceError>>()?,
        ),
        Some(_) => return Err(refused("class policy")),
    };
    Ok(Rules {
        method,
        quorum,
        threshold,
        class_policy,
        seats: coop.seats.unwrap_or(1),
    })
}

fn kind(coop: &wire::Proposal) -> Result<ProposalKind, GovernanceError> {
    match coop.kind.as_str() {
        "" => Ok(ProposalKind::Poll),
        "amend_rules" => Ok(ProposalKind::RuleChange),
        k => ProposalKind::parse(k).ok_or_else(|| refused("kind")),
    }
}

/// What a `Question`'s `closed` and `coop:outcome` say about its close.
fn close_of(q: &Question) -> Option<RemoteClose> {
    let closed_at = match q.closed.as_ref()? {
        Closed::At(t) => t.naive_utc(),
        Closed::Flag(true) => crate::store::now(),
        Closed::Flag(false) => return None,
    };
    let outcome = q.outcome.as_ref();
    Some(RemoteClose {
        closed_at,
        result: outcome.and_then(|o| serde_json::from_value(o.clone()).ok()),
        passed: outcome
            .and_then(|o| o.get("passed"))
            .and_then(Value::as_bool),
        rules_version: outcome
            .and_then(|o| o.get("rulesVersion"))
            .and_then(Value::as_i64),
        note: outcome
            .and_then(|o| o.get("note"))
            .and_then(Value::as_str)
            .map(|s| s.chars().take(1000).collect()),
    })
}

/// A remote community's `Question` as our copy of its proposal (`community_id` is our row of
/// that community).
pub fn remote_proposal(q: &Question, community_id: i64) -> Result<RemoteProposal, GovernanceError> {
    let coop = q.proposal.clone().unwrap_or_default();
    let kind = kind(&coop)?;
    let voting = voting(q, &coop)?;
    let options: Vec<String> = if voting.method == Method::Consent {
        Vec::new()
    } else {
        q.options()
            .iter()
            .map(|o| o.name.trim().to_owned())
            .collect()
    };
    let rule_changes: Vec<RuleOp> = match (&coop.rule_changes, kind) {
        (Some(ops), ProposalKind::RuleChange) => {
            serde_json::from_value(ops.clone()).map_err(|_| refused("rule changes"))?
        }
        _ => Vec::new(),
    };
    let electorate = coop
        .electorate
        .clone()
        .map(|m: BTreeMap<String, u64>| Electorate::from_counts(m))
        .transpose()
        .map_err(|_| refused("electorate"))?;
    let closes_at = q.end_time.ok_or_else(|| refused("no endTime"))?.naive_utc();
    let opens_at = q
        .published
        .map(|t| t.naive_utc())
        .unwrap_or_else(crate::store::now)
        .min(closes_at - chrono::Duration::seconds(1));
    Ok(RemoteProposal {
        ap_id: q.id.to_string(),
        community_id,
        kind,
        title: q
            .name
            .as_deref()
            .map(|n| n.chars().take(proposals::MAX_TITLE).collect())
            .unwrap_or_else(|| "Poll".to_owned()),
        body_html: markdown::sanitize_html(q.content.as_deref().unwrap_or("")),
        body_markdown: q
            .source
            .as_ref()
            .filter(|s| s.is_markdown())
            .map(|s| s.content.clone())
            .unwrap_or_default(),
        rule_changes,
        base_rules_version: coop.base_rules_version,
        options,
        voting,
        ballot: match coop.ballot {
            Some(wire::Ballot::Open) => BallotKind::RollCall,
            _ => BallotKind::Secret,
        },
        electorate,
        opens_at,
        closes_at,
        closed: close_of(q),
    })
}

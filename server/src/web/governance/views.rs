//! Governance domain values as the UI's view types: proposal summaries and verdicts, terms in
//! words, diffs, and results as numbers and chart bars.

use commonhall_frontend::{
    Bar, BarGroup, DiffLineView, DiffView, ProposalRef, ResultView, RuleView, TurnoutView,
};

use crate::domain::governance::ballots::ProposalResult;
use crate::domain::governance::rules::{DiffTag, NumberedRule};
use crate::domain::governance::tally::{
    ClassPolicy, Method, Outcome, Quorum, Reason, RoundEvent, Threshold, Value,
};
use crate::domain::governance::{Proposal, ProposalKind, RulesDiff, Status};
use crate::web::read;

pub fn method_str(m: Method) -> &'static str {
    match m {
        Method::Consent => "consent",
        Method::SingleChoice => "single_choice",
        Method::Approval => "approval",
        Method::Ranked => "ranked",
        Method::Score => "score",
    }
}

pub fn rule_view(r: NumberedRule) -> RuleView {
    RuleView {
        number: r.number,
        id: r.id,
        title: r.title,
        text: r.text,
        html: r.html,
    }
}

pub fn diff_view(d: &RulesDiff) -> DiffView {
    DiffView {
        lines: d
            .lines
            .iter()
            .map(|l| DiffLineView {
                tag: match l.tag {
                    DiffTag::Same => "same",
                    DiffTag::Added => "added",
                    DiffTag::Removed => "removed",
                }
                .to_string(),
                text: l.text.clone(),
            })
            .collect(),
        added: d.added,
        removed: d.removed,
    }
}

/// Why a proposal failed or has no winner, in words.
pub fn reason_text(r: &Reason) -> String {
    match r {
        Reason::QuorumNotMet => "the quorum was not met".into(),
        Reason::Blocked { count } => format!("blocked ({count} block(s))"),
        Reason::ThresholdNotMet => "the threshold was not met".into(),
        Reason::FailedInClass { class } => format!("it did not pass in the {class} class"),
        Reason::Tie => "a tie".into(),
    }
}

/// The outcome in one line: "Passed", "Failed: the quorum was not met", "Elected: ann".
pub fn outcome_text(kind: ProposalKind, o: &Outcome) -> String {
    if kind.is_decision() {
        return match (o.passed, &o.reason) {
            (Some(true), _) => "Passed".into(),
            (_, Some(r)) => format!("Failed: {}", reason_text(r)),
            _ => "Failed".into(),
        };
    }
    let what = if kind == ProposalKind::Election {
        "Elected"
    } else {
        "Winner"
    };
    match (o.winners.is_empty(), &o.reason) {
        (false, _) => format!("{what}: {}", o.winners.join(", ")),
        (true, Some(r)) => format!("No winner: {}", reason_text(r)),
        (true, None) => "No winner".into(),
    }
}

/// The verdict of a closed proposal.
pub fn verdict(p: &Proposal) -> Option<String> {
    if p.status != Status::Closed {
        return None;
    }
    Some(match &p.result {
        Some(r) => outcome_text(p.kind, &r.outcome),
        None => "Not counted".into(),
    })
}

pub fn proposal_ref(p: &Proposal) -> ProposalRef {
    ProposalRef {
        id: p.id,
        title: p.title.clone(),
        kind: p.kind.as_str().to_string(),
        status: p.status.as_str().to_string(),
        method: method_str(p.voting.method).to_string(),
        opens_at: read::human_time(p.opens_at),
        closes_at: read::human_time(p.closes_at),
        passed: p.passed,
        verdict: verdict(p),
    }
}

fn threshold_text(t: Threshold) -> String {
    match t {
        Threshold::SimpleMajority => "simple majority (more than half)".into(),
        Threshold::TwoThirds => "two thirds".into(),
        Threshold::Consent { min_agree: None } => {
            "consent: no block, and more agree than disagree".into()
        }
        Threshold::Consent { min_agree: Some(r) } => {
            format!("consent: no block, and at least {r} of those deciding agree")
        }
        Threshold::Fraction(r) => format!("at least {r}"),
    }
}

/// How a proposal is decided, as labelled lines.
pub fn terms(p: &Proposal) -> Vec<(String, String)> {
    let v = &p.voting;
    let mut out = vec![(
        "Method".to_string(),
        match v.method {
            Method::Consent => "consent (agree / abstain / disagree / block)".to_string(),
            Method::SingleChoice if p.kind.is_decision() => {
                "motion: for / against / abstain".into()
            }
            Method::SingleChoice => "single choice".into(),
            Method::Approval => "multiple choice (approval)".into(),
            Method::Ranked if v.seats > 1 => "ranked choice (single transferable vote)".into(),
            Method::Ranked => "ranked choice (instant runoff)".into(),
            Method::Score => "score (0–5)".into(),
        },
    )];
    out.push((
        "Quorum".into(),
        match v.quorum {
            Quorum::Share(r) if r.is_zero() => "none".into(),
            Quorum::Share(r) => format!("{r} of the eligible members"),
            Quorum::Count(n) => format!("{n} ballots"),
        },
    ));
    if p.kind.is_decision() {
        let t = match v.method {
            Method::Consent => v.consent_threshold(),
            _ => v.threshold.unwrap_or(Threshold::SimpleMajority),
        };
        out.push(("Threshold".into(), threshold_text(t)));
    }
    if v.seats > 1 {
        out.push(("Seats".into(), v.seats.to_string()));
    }
    out.push((
        "Ballot".into(),
        match p.ballot {
            crate::domain::governance::BallotKind::Secret => {
                "secret: only counts are published, when the vote closes".into()
            }
            crate::domain::governance::BallotKind::RollCall => {
                "roll call: who voted what is public, results are live".into()
            }
        },
    ));
    out.push((
        "Classes".into(),
        match &v.class_policy {
            ClassPolicy::OneMemberOneVote => "one member, one vote".into(),
            ClassPolicy::ConcurrentMajorities => {
                "concurrent majorities: must pass in every class".into()
            }
            ClassPolicy::WeightedClasses(shares) => format!(
                "weighted: {}",
                shares
                    .iter()
                    .map(|s| format!("{} {:.0}%", s.class, s.share.approx() * 100.0))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        },
    ));
    if let Some(e) = &p.electorate {
        let classes: Vec<String> = e.classes().map(|(c, n)| format!("{c} {n}")).collect();
        out.push((
            "Eligible".into(),
            format!(
                "{} members active when it opened ({})",
                e.total(),
                classes.join(", ")
            ),
        ));
    }
    if p.max_extension_seconds > 0 {
        out.push((
            "Extension".into(),
            format!(
                "moderators may extend it by up to {:.1} hours",
                p.max_extension_seconds as f64 / 3600.0
            ),
        ));
    }
    out
}

fn bar(label: &str, v: &Value) -> Bar {
    Bar {
        label: label.to_string(),
        value: v.approx,
        text: v.exact.clone(),
    }
}

fn percent(v: &Option<Value>) -> Option<String> {
    v.as_ref().map(|s| format!("{:.1}%", s.approx * 100.0))
}

fn event_text(e: &RoundEvent) -> String {
    match e {
        RoundEvent::Elected { option, .. } => format!("{option} elected"),
        RoundEvent::Eliminated { option, .. } => format!("{option} excluded; its votes move on"),
        RoundEvent::SurplusTransferred {
            option, surplus, ..
        } => format!("{option}'s surplus of {} transferred", surplus.exact),
    }
}

/// A result as numbers and bars: overall, per class and per round.
pub fn result_view(kind: ProposalKind, r: &ProposalResult) -> ResultView {
    let o = &r.outcome;
    let totals = BarGroup {
        title: "All ballots".into(),
        bars: o.options.iter().map(|x| bar(&x.option, &x.total)).collect(),
    };
    let classes: Vec<&String> = o.turnout.by_class.keys().collect();
    let by_class = if classes.len() > 1 {
        classes
            .iter()
            .map(|c| BarGroup {
                title: format!("Class {c}"),
                bars: o
                    .options
                    .iter()
                    .map(|x| {
                        let raw = x.by_class.get(*c).map_or(0, |t| t.raw);
                        Bar {
                            label: x.option.clone(),
                            value: raw as f64,
                            text: raw.to_string(),
                        }
                    })
                    .collect(),
            })
            .collect()
    } else {
        Vec::new()
    };
    let rounds = o
        .rounds
        .iter()
        .map(|round| {
            (
                BarGroup {
                    title: format!("Round {}", round.number),
                    bars: round
                        .votes
                        .iter()
                        .map(|v| bar(&v.option, &v.votes))
                        .collect(),
                },
                round.events.iter().map(event_text).collect(),
            )
        })
        .collect();
    ResultView {
        is_final: r.is_final,
        verdict: if r.is_final {
            outcome_text(kind, o)
        } else {
            format!("If the vote closed now: {}", outcome_text(kind, o))
        },
        quorum_met: o.quorum_met,
        turnout: TurnoutView {
            ballots: o.turnout.ballots,
            eligible: o.turnout.eligible,
            share: percent(&o.turnout.share),
            by_class: o
                .turnout
                .by_class
                .iter()
                .map(|(c, t)| (c.clone(), t.ballots, t.eligible))
                .collect(),
        },
        totals,
        by_class,
        rounds,
        quota: o.quota.as_ref().map(|q| q.exact.clone()),
        withdrawn: r.withdrawn,
    }
}

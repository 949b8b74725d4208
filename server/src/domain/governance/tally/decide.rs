//! Turning totals into decisions: exact threshold tests, plurality / top-k with reported ties,
//! and the combination of overall and per-class results into an `Outcome`.

use std::cmp::Ordering;

use super::classes::ClassTable;
use super::exact::cmp_products;
use super::outcome::{ClassOutcome, Outcome, PolicyKind, Reason};
use super::rules::{ClassPolicy, Rules, Threshold};

/// Does `yes` out of `yes + no` meet the threshold? Exact (integer cross-multiplication).
///
/// Nobody in favour (`yes == 0`, including the case where everybody abstained) never passes.
pub(crate) fn meets(t: Threshold, yes: u128, no: u128) -> bool {
    if yes == 0 {
        return false;
    }
    match t {
        Threshold::SimpleMajority | Threshold::Consent { min_agree: None } => yes > no,
        Threshold::TwoThirds => at_least(yes, no, 2, 3),
        Threshold::Consent { min_agree: Some(r) } | Threshold::Fraction(r) => {
            at_least(yes, no, r.num(), r.den())
        }
    }
}

/// `yes / (yes + no) >= num / den`  ⇔  `yes · (den − num) >= num · no` (no overflow: 256-bit products).
fn at_least(yes: u128, no: u128, num: u64, den: u64) -> bool {
    cmp_products(yes, (den - num) as u128, num as u128, no) != Ordering::Less
}

/// The result of one decision or one poll, before quorum and class policy are applied.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Decided {
    pub passed: Option<bool>,
    pub winners: Vec<usize>,
    pub tied: Vec<usize>,
    pub reason: Option<Reason>,
}

impl Decided {
    pub(crate) fn pass() -> Decided {
        Decided {
            passed: Some(true),
            ..Decided::default()
        }
    }

    pub(crate) fn fail(reason: Reason) -> Decided {
        Decided {
            passed: Some(false),
            reason: Some(reason),
            ..Decided::default()
        }
    }

    /// A yes/no decision by threshold.
    pub(crate) fn threshold(t: Threshold, yes: u128, no: u128) -> Decided {
        if meets(t, yes, no) {
            Decided::pass()
        } else {
            Decided::fail(Reason::ThresholdNotMet)
        }
    }

    /// The `seats` highest totals win. If options tie across the cut, only those strictly above it
    /// win and the tied ones are reported (never resolved by order or chance).
    pub(crate) fn top(totals: &[u128], seats: usize) -> Decided {
        let mut order: Vec<usize> = (0..totals.len()).collect();
        order.sort_by(|&a, &b| totals[b].cmp(&totals[a]).then(a.cmp(&b)));
        let seats = seats.min(order.len());
        if seats == 0 {
            return Decided::default();
        }
        let cut = totals[order[seats - 1]];
        let above: Vec<usize> = order.iter().copied().filter(|&o| totals[o] > cut).collect();
        let at: Vec<usize> = order
            .iter()
            .copied()
            .filter(|&o| totals[o] == cut)
            .collect();
        if above.len() + at.len() <= seats {
            let mut winners = above;
            winners.extend(at);
            return Decided {
                winners,
                ..Decided::default()
            };
        }
        let mut tied = at;
        tied.sort_unstable();
        Decided {
            winners: above,
            tied,
            reason: Some(Reason::Tie),
            ..Decided::default()
        }
    }
}

/// Everything a method computed, ready to be combined with quorum and class policy.
pub(crate) struct Draft {
    /// Overall decision (weighted, or unweighted under concurrent majorities).
    pub overall: Decided,
    /// Under concurrent majorities: each class's own decision on its raw counts, by class index.
    pub per_class: Vec<Decided>,
    /// `true` for consent and motions (pass/fail), `false` for polls and elections.
    pub is_decision: bool,
    /// Total Block ballots (consent), reported when a block fails the proposal.
    pub blocks: u64,
}

/// Applies quorum and class policy and assembles the outcome (options, rounds, quota are filled
/// by the caller).
pub(crate) fn finish(rules: &Rules, table: &ClassTable, names: &[String], draft: Draft) -> Outcome {
    let q = &rules.quorum;
    let overall_quorum = table.quorum_met(q);
    let name = |v: &[usize]| v.iter().map(|&i| names[i].clone()).collect::<Vec<_>>();
    let mut out = Outcome {
        method: rules.method,
        policy: PolicyKind::from(&rules.class_policy),
        seats: rules.seats,
        options: Vec::new(),
        turnout: table.turnout(q),
        quorum_met: overall_quorum,
        passed: None,
        winners: Vec::new(),
        tie: false,
        tied: Vec::new(),
        quota: None,
        rounds: Vec::new(),
        reason: None,
        classes: Vec::new(),
    };
    let d = draft.overall;
    if !matches!(rules.class_policy, ClassPolicy::ConcurrentMajorities) {
        if !overall_quorum {
            out.passed = draft.is_decision.then_some(false);
            out.reason = Some(Reason::QuorumNotMet);
            return out;
        }
        out.passed = d.passed;
        out.winners = name(&d.winners);
        out.tie = !d.tied.is_empty();
        out.tied = name(&d.tied);
        out.reason = d.reason;
        return out;
    }

    // Concurrent majorities: every class with eligible members must agree on its own.
    let mut all_quorums = overall_quorum;
    let mut first_failing: Option<String> = None;
    for (c, class) in table.names.iter().enumerate() {
        let Some(class_quorum) = table.class_quorum_met(q, c) else {
            continue; // no eligible members: skipped
        };
        all_quorums &= class_quorum;
        let own = draft.per_class.get(c).cloned().unwrap_or_default();
        let agrees = class_quorum
            && if draft.is_decision {
                own.passed == Some(true)
            } else {
                d.tied.is_empty() && own.tied.is_empty() && own.winners == d.winners
            };
        if !agrees && first_failing.is_none() {
            first_failing = Some(class.clone());
        }
        let (passed, reason) = if class_quorum {
            (own.passed, own.reason.clone())
        } else {
            (
                draft.is_decision.then_some(false),
                Some(Reason::QuorumNotMet),
            )
        };
        out.classes.push(ClassOutcome {
            class: class.clone(),
            quorum_met: class_quorum,
            passed,
            winners: if class_quorum {
                name(&own.winners)
            } else {
                Vec::new()
            },
            tie: class_quorum && !own.tied.is_empty(),
            reason,
        });
    }
    out.quorum_met = all_quorums;
    let ok = overall_quorum && first_failing.is_none();
    out.passed = draft.is_decision.then_some(ok);
    if ok {
        out.winners = name(&d.winners);
        return out;
    }
    out.reason = Some(if !overall_quorum {
        Reason::QuorumNotMet
    } else if draft.blocks > 0 {
        Reason::Blocked {
            count: draft.blocks,
        }
    } else if !draft.is_decision && !d.tied.is_empty() {
        out.tie = true;
        out.tied = name(&d.tied);
        Reason::Tie
    } else {
        Reason::FailedInClass {
            class: first_failing.unwrap_or_default(),
        }
    });
    out
}

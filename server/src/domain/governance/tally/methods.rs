//! Counting for the non-ranked methods: consent, single choice (poll or motion), approval and score.

use super::ballot::{Ballot, BallotChoice, ConsentChoice};
use super::classes::{option_results, ClassTable};
use super::decide::{finish, Decided, Draft};
use super::error::TallyError;
use super::outcome::{Outcome, Reason};
use super::rules::{ClassPolicy, Rules};

/// Raw counts `raw[class][option]`, filled by `add(ballot, class_row)`.
fn count_raw(
    table: &ClassTable,
    ballots: &[Ballot],
    options: usize,
    mut add: impl FnMut(&BallotChoice, &mut [u64]),
) -> Vec<Vec<u64>> {
    let mut raw = vec![vec![0u64; options]; table.names.len()];
    for (b, &c) in ballots.iter().zip(&table.of_ballot) {
        add(&b.choice, &mut raw[c]);
    }
    raw
}

/// Each class's own decision on its raw (unweighted) counts — only under concurrent majorities.
fn per_class(
    rules: &Rules,
    raw: &[Vec<u64>],
    decide: impl Fn(&[u128], &[u64]) -> Decided,
) -> Vec<Decided> {
    if !matches!(rules.class_policy, ClassPolicy::ConcurrentMajorities) {
        return Vec::new();
    }
    raw.iter()
        .map(|row| {
            let wide: Vec<u128> = row.iter().map(|&x| x as u128).collect();
            decide(&wide, row)
        })
        .collect()
}

/// Consent: fails on any Block; otherwise Agree must meet the threshold out of Agree + Disagree.
pub(crate) fn consent(
    rules: &Rules,
    table: &ClassTable,
    ballots: &[Ballot],
) -> Result<Outcome, TallyError> {
    let names: Vec<String> = ConsentChoice::ALL
        .iter()
        .map(|c| c.name().to_string())
        .collect();
    let raw = count_raw(table, ballots, 4, |choice, row| {
        if let BallotChoice::Consent(k) = choice {
            row[k.index()] += 1;
        }
    });
    let weights = table.weights(&rules.class_policy)?;
    let totals = weights.totals(&raw, 4)?;
    let threshold = rules.consent_threshold();
    let block = ConsentChoice::Block.index();
    let (agree, disagree) = (
        ConsentChoice::Agree.index(),
        ConsentChoice::Disagree.index(),
    );
    let decide = |t: &[u128], blocks: u64| {
        if blocks > 0 {
            Decided::fail(Reason::Blocked { count: blocks })
        } else {
            Decided::threshold(threshold, t[agree], t[disagree])
        }
    };
    let blocks: u64 = raw.iter().map(|r| r[block]).sum();
    let draft = Draft {
        overall: decide(&totals, blocks),
        per_class: per_class(rules, &raw, |t, r| decide(t, r[block])),
        is_decision: true,
        blocks,
    };
    let mut out = finish(rules, table, &names, draft);
    out.options = option_results(&names, table, &raw, &weights, &totals, None);
    Ok(out)
}

/// Single choice: a motion (threshold on For vs Against) or a plurality poll.
pub(crate) fn single(
    rules: &Rules,
    table: &ClassTable,
    options: &[String],
    ballots: &[Ballot],
) -> Result<Outcome, TallyError> {
    let raw = count_raw(table, ballots, options.len(), |choice, row| {
        if let BallotChoice::Single(i) = choice {
            row[*i] += 1;
        }
    });
    let weights = table.weights(&rules.class_policy)?;
    let totals = weights.totals(&raw, options.len())?;
    let motion = rules.motion(options);
    let decide = |t: &[u128]| match (motion, rules.threshold) {
        (Some(m), Some(th)) => Decided::threshold(th, t[m.for_index], t[m.against_index]),
        _ => Decided::top(t, 1),
    };
    let draft = Draft {
        overall: decide(&totals),
        per_class: per_class(rules, &raw, |t, _| decide(t)),
        is_decision: motion.is_some(),
        blocks: 0,
    };
    let mut out = finish(rules, table, options, draft);
    out.options = option_results(options, table, &raw, &weights, &totals, None);
    Ok(out)
}

/// Approval: counts approvals per option; the `seats` most approved win, ties at the cut reported.
pub(crate) fn approval(
    rules: &Rules,
    table: &ClassTable,
    options: &[String],
    ballots: &[Ballot],
) -> Result<Outcome, TallyError> {
    let raw = count_raw(table, ballots, options.len(), |choice, row| {
        if let BallotChoice::Approval(set) = choice {
            for &i in set {
                row[i] += 1;
            }
        }
    });
    let weights = table.weights(&rules.class_policy)?;
    let totals = weights.totals(&raw, options.len())?;
    let draft = Draft {
        overall: Decided::top(&totals, rules.seats as usize),
        per_class: Vec::new(), // concurrent majorities are refused for approval
        is_decision: false,
        blocks: 0,
    };
    let mut out = finish(rules, table, options, draft);
    out.options = option_results(options, table, &raw, &weights, &totals, None);
    Ok(out)
}

/// Score: sums 0–5 scores per option (weighted); highest total wins, ties reported.
pub(crate) fn score(
    rules: &Rules,
    table: &ClassTable,
    options: &[String],
    ballots: &[Ballot],
) -> Result<Outcome, TallyError> {
    let raw = count_raw(table, ballots, options.len(), |choice, row| {
        if let BallotChoice::Score(scores) = choice {
            for (r, &s) in row.iter_mut().zip(scores) {
                *r += s as u64;
            }
        }
    });
    let weights = table.weights(&rules.class_policy)?;
    let totals = weights.totals(&raw, options.len())?;
    let weighted_ballots = weights.sum(&table.ballots)?;
    let draft = Draft {
        overall: Decided::top(&totals, 1),
        per_class: per_class(rules, &raw, |t, _| Decided::top(t, 1)),
        is_decision: false,
        blocks: 0,
    };
    let mut out = finish(rules, table, options, draft);
    out.options = option_results(
        options,
        table,
        &raw,
        &weights,
        &totals,
        Some(weighted_ballots),
    );
    Ok(out)
}

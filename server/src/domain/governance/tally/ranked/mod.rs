//! Ranked choice: groups identical ballots, runs the count (IRV for one seat, Scottish STV for
//! several — see `count`), and reports first preferences and every round in the outcome.

mod count;
mod tiebreak;

use std::collections::BTreeMap;

pub(crate) use count::{count as run_count, Count, Event, Mode, Paper, Status, SCALE};
pub(crate) use tiebreak::Tie;

use super::ballot::{Ballot, BallotChoice};
use super::classes::{option_results, ClassTable, Weights};
use super::decide::{finish, Decided, Draft};
use super::error::TallyError;
use super::outcome::{CandidateVotes, Outcome, Reason, Round, RoundEvent, TieBreak, Value};
use super::rules::{ClassPolicy, Rules};

/// Value of one ballot of each class, in units of 1/SCALE.
///
/// One member, one vote: 1 vote each. Weighted classes: `share × N / n_c` votes, where `N` is the
/// number of ballots cast overall and `n_c` in the class, so the class carries `share` of the `N`
/// votes, truncated to 5 decimals (the precision of the Scottish rules).
fn ballot_values(rules: &Rules, table: &ClassTable) -> Result<Vec<u64>, TallyError> {
    let ClassPolicy::WeightedClasses(shares) = &rules.class_policy else {
        return Ok(vec![SCALE; table.names.len()]);
    };
    let mut values = vec![0u64; table.names.len()];
    for s in shares {
        let Ok(c) = table.names.binary_search(&s.class) else {
            continue;
        };
        if table.ballots[c] == 0 {
            continue;
        }
        let num = (s.share.num() as u128)
            .checked_mul(table.total_ballots as u128)
            .and_then(|x| x.checked_mul(SCALE as u128))
            .ok_or(TallyError::Overflow)?;
        let den = s.share.den() as u128 * table.ballots[c] as u128;
        values[c] = u64::try_from(num / den).map_err(|_| TallyError::Overflow)?;
    }
    Ok(values)
}

/// Groups ballots by (value, ranking) and counts first preferences per class.
fn group(
    table: &ClassTable,
    ballots: &[Ballot],
    options: usize,
    values: &[u64],
) -> (Vec<Paper>, Vec<Vec<u64>>) {
    let mut first = vec![vec![0u64; options]; table.names.len()];
    let mut groups: BTreeMap<u64, BTreeMap<Vec<u16>, u64>> = BTreeMap::new();
    let mut key: Vec<u16> = Vec::with_capacity(options);
    for (b, &c) in ballots.iter().zip(&table.of_ballot) {
        let BallotChoice::Ranked(ranking) = &b.choice else {
            continue;
        };
        let Some(&top) = ranking.first() else {
            continue; // blank: counted in turnout only
        };
        first[c][top] += 1;
        if values[c] == 0 {
            continue; // a class with share 0 carries no value
        }
        key.clear();
        key.extend(ranking.iter().map(|&i| i as u16));
        let inner = groups.entry(values[c]).or_default();
        match inner.get_mut(key.as_slice()) {
            Some(n) => *n += 1,
            None => {
                inner.insert(key.clone(), 1);
            }
        }
    }
    let papers = groups
        .into_iter()
        .flat_map(|(value, inner)| {
            inner.into_iter().map(move |(ranking, count)| Paper {
                ranking,
                count,
                value,
                pos: 0,
            })
        })
        .collect();
    (papers, first)
}

pub(crate) fn ranked(
    rules: &Rules,
    table: &ClassTable,
    options: &[String],
    ballots: &[Ballot],
) -> Result<Outcome, TallyError> {
    let values = ballot_values(rules, table)?;
    let (papers, first) = group(table, ballots, options.len(), &values);
    let mode = match rules.seats {
        1 => Mode::Irv,
        seats => Mode::Stv {
            seats: seats as usize,
        },
    };
    let count = run_count(options.len(), mode, papers);

    let mut fallback = count.fallback.clone();
    fallback.sort_unstable();
    fallback.dedup();
    let overall = if count.elected.is_empty() {
        Decided {
            tied: (0..options.len()).collect(),
            reason: Some(Reason::Tie),
            ..Decided::default()
        }
    } else {
        Decided {
            winners: count.elected.clone(),
            tied: fallback,
            ..Decided::default()
        }
    };
    let draft = Draft {
        overall,
        per_class: Vec::new(), // concurrent majorities are refused for ranked elections
        is_decision: false,
        blocks: 0,
    };
    let mut out = finish(rules, table, options, draft);
    let weights = Weights {
        den: SCALE as u128,
        per_class: values.iter().map(|&v| v as u128).collect(),
    };
    let totals = weights.totals(&first, options.len())?;
    out.options = option_results(options, table, &first, &weights, &totals, None);
    out.quota = count.quota.map(units);
    out.rounds = rounds(&count, options);
    Ok(out)
}

fn units(v: u64) -> Value {
    Value::frac(v as u128, SCALE as u128)
}

fn tie_break(tie: &Option<Tie>, options: &[String]) -> Option<TieBreak> {
    let names = |among: &[usize]| among.iter().map(|&c| options[c].clone()).collect();
    match tie {
        None => None,
        Some(Tie::EarlierRound { round, among }) => Some(TieBreak::EarlierRound {
            round: *round as u32 + 1,
            among: names(among),
        }),
        Some(Tie::OptionOrder { among }) => Some(TieBreak::OptionOrder {
            among: names(among),
        }),
    }
}

fn rounds(count: &Count, options: &[String]) -> Vec<Round> {
    count
        .rounds
        .iter()
        .enumerate()
        .map(|(i, r)| Round {
            number: i as u32 + 1,
            votes: (0..options.len())
                .filter(|&c| r.status[c] != Status::Excluded)
                .map(|c| CandidateVotes {
                    option: options[c].clone(),
                    votes: units(r.votes[c]),
                    elected: r.status[c] == Status::Elected,
                })
                .collect(),
            exhausted: units(r.exhausted),
            rounding_loss: units(r.loss),
            events: r
                .events
                .iter()
                .map(|e| match e {
                    Event::Elected(c, because) => RoundEvent::Elected {
                        option: options[*c].clone(),
                        because: *because,
                    },
                    Event::Eliminated(c, tie) => RoundEvent::Eliminated {
                        option: options[*c].clone(),
                        tie_break: tie_break(tie, options),
                    },
                    Event::Surplus(c, surplus, tie) => RoundEvent::SurplusTransferred {
                        option: options[*c].clone(),
                        surplus: units(*surplus),
                        tie_break: tie_break(tie, options),
                    },
                })
                .collect(),
        })
        .collect()
}

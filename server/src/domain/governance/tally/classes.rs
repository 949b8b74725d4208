//! Per-class bookkeeping shared by every method: ballots per class, turnout and quorum
//! (overall and per class), and exact class weights on a common denominator.

use std::collections::BTreeMap;

use super::ballot::{validate_with, Ballot};
use super::error::TallyError;
use super::exact::{gcd, lcm};
use super::outcome::{ClassTotal, ClassTurnout, OptionResult, Turnout, Value};
use super::rules::{ClassPolicy, Quorum, Rules};

/// The electorate's classes (name order), with eligible and cast counts, and each ballot's class.
pub(crate) struct ClassTable {
    pub names: Vec<String>,
    pub eligible: Vec<u64>,
    pub ballots: Vec<u64>,
    /// Class index of each ballot, in ballot order.
    pub of_ballot: Vec<usize>,
    pub total_eligible: u64,
    pub total_ballots: u64,
}

impl ClassTable {
    /// Validates every ballot (class known, choice valid) and counts ballots per class.
    pub(crate) fn build(
        rules: &Rules,
        electorate: &super::Electorate,
        options: usize,
        ballots: &[Ballot],
    ) -> Result<ClassTable, TallyError> {
        let (names, eligible): (Vec<String>, Vec<u64>) = electorate
            .classes()
            .map(|(c, n)| (c.to_string(), n))
            .unzip();
        let mut cast = vec![0u64; names.len()];
        let mut of_ballot = Vec::with_capacity(ballots.len());
        let mut seen = vec![false; options];
        for (index, b) in ballots.iter().enumerate() {
            let c = names
                .binary_search_by(|n| n.as_str().cmp(b.class.as_str()))
                .map_err(|_| TallyError::UnknownClass {
                    index,
                    class: b.class.clone(),
                })?;
            validate_with(rules.method, options, &b.choice, &mut seen)
                .map_err(|error| TallyError::Ballot { index, error })?;
            cast[c] += 1;
            of_ballot.push(c);
        }
        for (c, name) in names.iter().enumerate() {
            if cast[c] > eligible[c] {
                return Err(TallyError::TooManyBallots {
                    class: name.clone(),
                    ballots: cast[c],
                    eligible: eligible[c],
                });
            }
        }
        Ok(ClassTable {
            total_eligible: electorate.total(),
            total_ballots: ballots.len() as u64,
            names,
            eligible,
            ballots: cast,
            of_ballot,
        })
    }

    /// Overall quorum: never met with nobody eligible; otherwise `ballots / eligible >= share`
    /// or `ballots >= count`.
    pub(crate) fn quorum_met(&self, q: &Quorum) -> bool {
        met(
            q,
            self.total_ballots,
            self.total_eligible,
            self.total_eligible,
        )
    }

    /// One class's quorum (`None` if it has no eligible members). A share quorum applies to the
    /// class as is; a count quorum is converted to the equivalent share of the whole electorate.
    pub(crate) fn class_quorum_met(&self, q: &Quorum, c: usize) -> Option<bool> {
        if self.eligible[c] == 0 {
            return None;
        }
        Some(met(
            q,
            self.ballots[c],
            self.eligible[c],
            self.total_eligible,
        ))
    }

    pub(crate) fn turnout(&self, q: &Quorum) -> Turnout {
        let share = |b: u64, e: u64| (e > 0).then(|| Value::frac(b as u128, e as u128));
        let by_class = self
            .names
            .iter()
            .enumerate()
            .map(|(c, name)| {
                let t = ClassTurnout {
                    ballots: self.ballots[c],
                    eligible: self.eligible[c],
                    share: share(self.ballots[c], self.eligible[c]),
                    quorum_met: self.class_quorum_met(q, c),
                };
                (name.clone(), t)
            })
            .collect();
        Turnout {
            ballots: self.total_ballots,
            eligible: self.total_eligible,
            share: share(self.total_ballots, self.total_eligible),
            by_class,
        }
    }

    /// Per-ballot weights for the policy (concurrent majorities: 1 each, for the overall totals).
    pub(crate) fn weights(&self, policy: &ClassPolicy) -> Result<Weights, TallyError> {
        let shares = match policy {
            ClassPolicy::WeightedClasses(s) => s,
            _ => {
                return Ok(Weights {
                    den: 1,
                    per_class: vec![1; self.names.len()],
                })
            }
        };
        // Each class's per-ballot weight is share / ballots_cast_in_class, reduced; then all are put
        // on the least common denominator so that totals are integers over one denominator.
        let mut terms = vec![(0u128, 1u128); self.names.len()];
        let mut den: u128 = 1;
        for s in shares {
            let Ok(c) = self.names.binary_search(&s.class) else {
                continue; // refused by Rules::validate_for; unreachable through `tally`
            };
            if self.ballots[c] == 0 || s.share.is_zero() {
                continue; // a class that cast nothing contributes nothing (no renormalisation)
            }
            let num = s.share.num() as u128;
            let d = s.share.den() as u128 * self.ballots[c] as u128;
            let g = gcd(num, d);
            terms[c] = (num / g, d / g);
            den = lcm(den, d / g).ok_or(TallyError::Overflow)?;
        }
        let per_class = terms
            .iter()
            .map(|&(n, d)| n.checked_mul(den / d).ok_or(TallyError::Overflow))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Weights { den, per_class })
    }
}

fn met(q: &Quorum, ballots: u64, eligible: u64, total_eligible: u64) -> bool {
    if eligible == 0 {
        return false;
    }
    match *q {
        Quorum::Share(r) => ballots as u128 * r.den() as u128 >= r.num() as u128 * eligible as u128,
        // For a class: ballots/eligible >= count/total_eligible. Overall this is ballots >= count.
        Quorum::Count(n) => {
            ballots as u128 * total_eligible as u128 >= n as u128 * eligible as u128
        }
    }
}

/// Per-ballot weights: a ballot of class `c` weighs `per_class[c] / den`.
pub(crate) struct Weights {
    pub den: u128,
    pub per_class: Vec<u128>,
}

impl Weights {
    /// Weighted totals per option (numerators over `den`) from raw counts `raw[class][option]`.
    pub(crate) fn totals(&self, raw: &[Vec<u64>], options: usize) -> Result<Vec<u128>, TallyError> {
        let mut totals = vec![0u128; options];
        for (c, row) in raw.iter().enumerate() {
            let w = self.per_class[c];
            for (t, &r) in totals.iter_mut().zip(row) {
                *t = w
                    .checked_mul(r as u128)
                    .and_then(|x| t.checked_add(x))
                    .ok_or(TallyError::Overflow)?;
            }
        }
        Ok(totals)
    }

    /// The weighted sum of per-class quantities (e.g. ballots cast), as a numerator over `den`.
    pub(crate) fn sum(&self, per_class: &[u64]) -> Result<u128, TallyError> {
        self.per_class
            .iter()
            .zip(per_class)
            .try_fold(0u128, |acc, (&w, &n)| {
                w.checked_mul(n as u128).and_then(|x| acc.checked_add(x))
            })
            .ok_or(TallyError::Overflow)
    }
}

/// Builds the per-option results. `raw[class][option]`; `totals` are numerators over `weights.den`.
/// `means`: for score, the weighted number of ballots (numerator over `den`) to divide by.
pub(crate) fn option_results(
    names: &[String],
    table: &ClassTable,
    raw: &[Vec<u64>],
    weights: &Weights,
    totals: &[u128],
    mean_base: Option<u128>,
) -> Vec<OptionResult> {
    names
        .iter()
        .enumerate()
        .map(|(o, name)| {
            let by_class: BTreeMap<String, ClassTotal> = table
                .names
                .iter()
                .enumerate()
                .map(|(c, class)| {
                    let r = raw[c][o];
                    let w = weights.per_class[c].saturating_mul(r as u128);
                    let t = ClassTotal {
                        raw: r,
                        weighted: Value::frac(w, weights.den),
                    };
                    (class.clone(), t)
                })
                .collect();
            OptionResult {
                index: o,
                option: name.clone(),
                rank: 1 + totals.iter().filter(|&&t| t > totals[o]).count(),
                total: Value::frac(totals[o], weights.den),
                mean: mean_base.and_then(|b| (b > 0).then(|| Value::frac(totals[o], b))),
                by_class,
            }
        })
        .collect()
}

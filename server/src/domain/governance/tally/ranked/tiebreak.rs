//! Deterministic tie-breaking for ranked counts: the backwards rule (most recent earlier round at
//! which the tied candidates differed), then the declared option order.

use std::cmp::Ordering;

/// Which end of a tie is wanted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Want {
    /// The candidate to exclude: fewest votes; if equal at every round, the one listed **last**.
    Lowest,
    /// The surplus to transfer first: most votes; if equal at every round, the one listed **first**.
    Highest,
}

/// How a tie was resolved (candidate indices).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Tie {
    /// Resolved by the counts at this earlier round (0-based index into the history).
    EarlierRound { round: usize, among: Vec<usize> },
    /// Equal at every round: resolved by option order.
    OptionOrder { among: Vec<usize> },
}

/// Picks one candidate among `tied` (all equal in the current, last, entry of `history`).
///
/// Scottish rules 49(2) and 51(2)(a): look at the most recent preceding round at which the tied
/// candidates had unequal votes and keep those with the lowest (exclusion) or highest (surplus)
/// votes there; if several remain, keep going back with them. Rules 49(3)/51(2)(b) say "by lot";
/// this engine never uses chance and instead falls back to the option order.
pub(crate) fn pick(tied: &[usize], history: &[Vec<u64>], want: Want) -> (usize, Option<Tie>) {
    let mut set: Vec<usize> = tied.to_vec();
    set.sort_unstable();
    set.dedup();
    if set.len() <= 1 {
        return (set.first().copied().unwrap_or_default(), None);
    }
    let among = set.clone();
    let current = history.len().saturating_sub(1);
    for r in (0..current).rev() {
        let counts = &history[r];
        let target = match want {
            Want::Lowest => set.iter().map(|&c| counts[c]).min(),
            Want::Highest => set.iter().map(|&c| counts[c]).max(),
        };
        let Some(target) = target else { break };
        if set.iter().any(|&c| counts[c] != target) {
            set.retain(|&c| counts[c] == target);
            if let [only] = set[..] {
                return (only, Some(Tie::EarlierRound { round: r, among }));
            }
        }
    }
    let chosen = match want {
        Want::Lowest => set.iter().copied().max(),
        Want::Highest => set.iter().copied().min(),
    };
    (chosen.unwrap_or_default(), Some(Tie::OptionOrder { among }))
}

/// Orders candidates by votes, most first: current round, then backwards through earlier rounds,
/// then option order. Used only to list simultaneous elections; it never changes who is elected.
pub(crate) fn order_desc(cands: &mut [usize], history: &[Vec<u64>]) {
    cands.sort_by(|&a, &b| {
        for h in history.iter().rev() {
            match h[b].cmp(&h[a]) {
                Ordering::Equal => continue,
                other => return other,
            }
        }
        a.cmp(&b)
    });
}

//! The ranked-choice count on grouped ballots: instant-runoff for one seat, and for several seats
//! STV under the Scottish Local Government Elections Order 2007 (SSI 2007/42, schedule 1, rules
//! 45–52): Droop quota, Weighted Inclusive Gregory surplus transfers truncated to 5 decimals.

use super::super::outcome::ElectedBecause;
use super::tiebreak::{order_desc, pick, Tie, Want};

/// Fixed-point scale: values are integers in units of 10⁻⁵ vote (rule 48(3): five decimal places).
pub(crate) const SCALE: u64 = 100_000;

/// A group of identical ballots: same ranking, same current value per ballot, same position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Paper {
    pub ranking: Vec<u16>,
    pub count: u64,
    /// Value of each ballot of the group, in units of 1/SCALE.
    pub value: u64,
    /// Index in `ranking` of the candidate currently holding the group; `ranking.len()` once exhausted.
    pub pos: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Status {
    Continuing,
    Elected,
    Excluded,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// One seat: a candidate with strictly more than half of the continuing votes wins.
    Irv,
    /// Several seats: Scottish STV.
    Stv { seats: usize },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Event {
    Elected(usize, ElectedBecause),
    Eliminated(usize, Option<Tie>),
    /// Candidate, surplus (units), tie resolution for the order of surpluses.
    Surplus(usize, u64, Option<Tie>),
}

/// One round: counts at its start, statuses after its elections, and what it did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RoundRecord {
    pub votes: Vec<u64>,
    pub status: Vec<Status>,
    pub exhausted: u64,
    pub loss: u64,
    pub events: Vec<Event>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Count {
    pub rounds: Vec<RoundRecord>,
    /// In order of election.
    pub elected: Vec<usize>,
    /// STV only.
    pub quota: Option<u64>,
    /// Candidates in ties that had to be resolved by option order.
    pub fallback: Vec<usize>,
}

/// Droop quota, rule 46: ⌊valid votes / (seats + 1)⌋ + 1, in whole votes.
pub(crate) fn droop_quota(total: u64, seats: usize) -> u64 {
    let per = SCALE.saturating_mul(seats as u64 + 1);
    (total / per) * SCALE + SCALE
}

struct State {
    papers: Vec<Paper>,
    status: Vec<Status>,
    votes: Vec<u64>,
    exhausted: u64,
    loss: u64,
}

fn next_continuing(status: &[Status], p: &Paper, from: usize) -> Option<usize> {
    (from..p.ranking.len()).find(|&i| status[p.ranking[i] as usize] == Status::Continuing)
}

fn holds(p: &Paper, c: usize) -> bool {
    p.pos < p.ranking.len() && p.ranking[p.pos] as usize == c
}

impl State {
    /// Moves one group of `amount` units onwards to its next continuing preference, or exhausts it.
    fn pass_on(&mut self, i: usize, amount: u64) {
        let p = &self.papers[i];
        match next_continuing(&self.status, p, p.pos + 1) {
            Some(next) => {
                let to = p.ranking[next] as usize;
                self.papers[i].pos = next;
                self.votes[to] += amount;
            }
            None => {
                self.papers[i].pos = p.ranking.len();
                self.exhausted += amount;
            }
        }
    }

    /// Rule 48: every ballot held by `c` (inclusive) moves on at value
    /// ⌊surplus × value / total⌋ (5 decimals, remainder ignored). Returns the surplus.
    fn transfer_surplus(&mut self, c: usize, quota: u64) -> u64 {
        let total = self.votes[c];
        let surplus = total.saturating_sub(quota);
        let mut moved = 0u64;
        for i in 0..self.papers.len() {
            if !holds(&self.papers[i], c) {
                continue;
            }
            let p = &mut self.papers[i];
            let value = if total == 0 {
                0
            } else {
                (surplus as u128 * p.value as u128 / total as u128) as u64
            };
            p.value = value;
            let amount = p.count * value;
            moved += amount;
            self.pass_on(i, amount);
        }
        self.votes[c] = total - surplus;
        self.loss += surplus - moved;
        surplus
    }

    /// Rule 50: every ballot held by `c` moves on at its current value.
    fn exclude(&mut self, c: usize) {
        self.status[c] = Status::Excluded;
        for i in 0..self.papers.len() {
            if holds(&self.papers[i], c) {
                let amount = self.papers[i].count * self.papers[i].value;
                self.pass_on(i, amount);
            }
        }
        self.votes[c] = 0;
    }

    fn continuing(&self) -> Vec<usize> {
        (0..self.status.len())
            .filter(|&c| self.status[c] == Status::Continuing)
            .collect()
    }
}

/// Counts `papers` (non-empty rankings, first preference at `pos == 0`) for `n` candidates.
pub(crate) fn count(n: usize, mode: Mode, papers: Vec<Paper>) -> Count {
    let mut s = State {
        status: vec![Status::Continuing; n],
        votes: vec![0; n],
        exhausted: 0,
        loss: 0,
        papers,
    };
    for p in &s.papers {
        s.votes[p.ranking[p.pos] as usize] += p.count * p.value;
    }
    let total: u64 = s.votes.iter().sum();
    let seats = match mode {
        Mode::Irv => 1,
        Mode::Stv { seats } => seats,
    };
    let quota = match mode {
        Mode::Irv => None,
        Mode::Stv { .. } => Some(droop_quota(total, seats)),
    };
    let mut out = Count {
        rounds: Vec::new(),
        elected: Vec::new(),
        quota,
        fallback: Vec::new(),
    };
    let mut history: Vec<Vec<u64>> = Vec::new();
    let mut pending: Vec<usize> = Vec::new();
    loop {
        history.push(s.votes.clone());
        let (start_votes, exhausted, loss) = (s.votes.clone(), s.exhausted, s.loss);
        let mut events = Vec::new();
        if total == 0 {
            // Nobody expressed a preference: nothing to decide (reported as a tie by the caller).
            out.rounds
                .push(record(start_votes, &s, exhausted, loss, events));
            return out;
        }

        // Elections at this stage (rule 47; IRV: majority of the votes still in the count).
        let mut newly: Vec<usize> = match (mode, quota) {
            (Mode::Stv { .. }, Some(q)) => s
                .continuing()
                .into_iter()
                .filter(|&c| s.votes[c] >= q)
                .collect(),
            _ => {
                let live: u64 = s.continuing().iter().map(|&c| s.votes[c]).sum();
                let majority = |c: &usize| s.votes[*c] as u128 * 2 > live as u128;
                s.continuing().into_iter().filter(majority).collect()
            }
        };
        order_desc(&mut newly, &history);
        let because = match mode {
            Mode::Irv => ElectedBecause::Majority,
            Mode::Stv { .. } => ElectedBecause::ReachedQuota,
        };
        for c in newly {
            if out.elected.len() == seats {
                break;
            }
            s.status[c] = Status::Elected;
            out.elected.push(c);
            events.push(Event::Elected(c, because));
            if quota.is_some_and(|q| s.votes[c] > q) {
                pending.push(c);
            }
        }

        let remaining = seats - out.elected.len();
        let mut continuing = s.continuing();
        if remaining == 0 || continuing.len() <= remaining {
            // Rule 52: as many continuing candidates as vacancies: all elected, no more transfers.
            order_desc(&mut continuing, &history);
            for c in continuing.into_iter().take(remaining) {
                s.status[c] = Status::Elected;
                out.elected.push(c);
                events.push(Event::Elected(c, ElectedBecause::RemainingSeats));
            }
            out.rounds
                .push(record(start_votes, &s, exhausted, loss, events));
            return out;
        }

        let status_after_elections = s.status.clone();
        let tie = match quota {
            Some(q) if !pending.is_empty() => {
                // Rule 49: the largest surplus first.
                let top = pending.iter().map(|&c| s.votes[c]).max().unwrap_or(0);
                let tied: Vec<usize> = pending
                    .iter()
                    .copied()
                    .filter(|&c| s.votes[c] == top)
                    .collect();
                let (c, tie) = pick(&tied, &history, Want::Highest);
                pending.retain(|&p| p != c);
                let surplus = s.transfer_surplus(c, q);
                events.push(Event::Surplus(c, surplus, tie.clone()));
                tie
            }
            _ => {
                // Rule 50: exclude the candidate with the fewest votes.
                let low = continuing.iter().map(|&c| s.votes[c]).min().unwrap_or(0);
                let tied: Vec<usize> = continuing
                    .iter()
                    .copied()
                    .filter(|&c| s.votes[c] == low)
                    .collect();
                let (c, tie) = pick(&tied, &history, Want::Lowest);
                s.exclude(c);
                events.push(Event::Eliminated(c, tie.clone()));
                // Candidates tied at zero hold no ballots: if enough others remain that all of
                // them will be excluded one after another anyway, their order cannot matter.
                let harmless = low == 0 && continuing.len() - tied.len() >= remaining;
                tie.filter(|_| !harmless)
            }
        };
        if let Some(Tie::OptionOrder { among }) = tie {
            out.fallback.extend(among);
        }
        out.rounds.push(RoundRecord {
            votes: start_votes,
            status: status_after_elections,
            exhausted,
            loss,
            events,
        });
    }
}

fn record(
    votes: Vec<u64>,
    s: &State,
    exhausted: u64,
    loss: u64,
    events: Vec<Event>,
) -> RoundRecord {
    RoundRecord {
        votes,
        status: s.status.clone(),
        exhausted,
        loss,
        events,
    }
}

//! Terse builders for rules, electorates and ballots used by the tests.

use super::super::*;

/// The class used when a test does not care about classes.
pub const M: &str = "member";

pub fn opts(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

/// Options named "A", "B", … for `n` candidates.
pub fn letters(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| ((b'A' + i as u8) as char).to_string())
        .collect()
}

pub fn ratio(s: &str) -> Ratio {
    s.parse().unwrap()
}

/// One-member-one-vote rules with no quorum, no threshold, one seat.
pub fn rules(method: Method) -> Rules {
    Rules {
        method,
        quorum: Quorum::Share(Ratio::ZERO),
        threshold: None,
        class_policy: ClassPolicy::OneMemberOneVote,
        seats: 1,
    }
}

pub fn with_threshold(mut r: Rules, t: Threshold) -> Rules {
    r.threshold = Some(t);
    r
}

pub fn with_quorum(mut r: Rules, q: Quorum) -> Rules {
    r.quorum = q;
    r
}

pub fn with_seats(mut r: Rules, seats: u32) -> Rules {
    r.seats = seats;
    r
}

pub fn with_policy(mut r: Rules, p: ClassPolicy) -> Rules {
    r.class_policy = p;
    r
}

/// `WeightedClasses` from `("worker", "1/2")` pairs.
pub fn weighted(shares: &[(&str, &str)]) -> ClassPolicy {
    ClassPolicy::WeightedClasses(
        shares
            .iter()
            .map(|(c, s)| ClassShare {
                class: c.to_string(),
                share: ratio(s),
            })
            .collect(),
    )
}

pub fn electorate(classes: &[(&str, u64)]) -> Electorate {
    Electorate::from_counts(classes.iter().map(|&(c, n)| (c, n))).unwrap()
}

/// A single-class electorate of `n` members.
pub fn members(n: u64) -> Electorate {
    Electorate::single(M, n)
}

/// Ballot list builder: `Bs::new().agree(3, M).block(1, "user").done()`.
#[derive(Default, Clone)]
pub struct Bs(pub Vec<Ballot>);

impl Bs {
    pub fn new() -> Bs {
        Bs(Vec::new())
    }
    pub fn add(mut self, n: usize, class: &str, choice: BallotChoice) -> Bs {
        for _ in 0..n {
            self.0.push(Ballot::new(class, choice.clone()));
        }
        self
    }
    pub fn consent(self, n: usize, class: &str, c: ConsentChoice) -> Bs {
        self.add(n, class, BallotChoice::Consent(c))
    }
    pub fn agree(self, n: usize, class: &str) -> Bs {
        self.consent(n, class, ConsentChoice::Agree)
    }
    pub fn abstain(self, n: usize, class: &str) -> Bs {
        self.consent(n, class, ConsentChoice::Abstain)
    }
    pub fn disagree(self, n: usize, class: &str) -> Bs {
        self.consent(n, class, ConsentChoice::Disagree)
    }
    pub fn block(self, n: usize, class: &str) -> Bs {
        self.consent(n, class, ConsentChoice::Block)
    }
    pub fn single(self, n: usize, class: &str, option: usize) -> Bs {
        self.add(n, class, BallotChoice::Single(option))
    }
    pub fn approve(self, n: usize, class: &str, set: &[usize]) -> Bs {
        self.add(n, class, BallotChoice::Approval(set.to_vec()))
    }
    pub fn rank(self, n: usize, class: &str, ranking: &[usize]) -> Bs {
        self.add(n, class, BallotChoice::Ranked(ranking.to_vec()))
    }
    pub fn score(self, n: usize, class: &str, scores: &[u8]) -> Bs {
        self.add(n, class, BallotChoice::Score(scores.to_vec()))
    }
    pub fn done(self) -> Vec<Ballot> {
        self.0
    }
}

/// Tally that must succeed.
pub fn run(rules: &Rules, e: &Electorate, options: &[String], ballots: &[Ballot]) -> Outcome {
    tally(rules, e, options, ballots).unwrap()
}

/// The exact total of option `i`.
pub fn total(o: &Outcome, i: usize) -> String {
    o.options[i].total.exact.clone()
}

/// Names as `Vec<String>` for comparisons.
pub fn names(list: &[&str]) -> Vec<String> {
    opts(list)
}

/// A ranking given by option names, for the worked examples.
pub fn by_name(options: &[String], ranking: &[&str]) -> Vec<usize> {
    ranking
        .iter()
        .map(|n| options.iter().position(|o| o == n).unwrap())
        .collect()
}

/// Votes of `option` in ranked round `round` (1-based), as the exact string.
pub fn round_votes(o: &Outcome, round: usize, option: &str) -> String {
    o.rounds[round - 1]
        .votes
        .iter()
        .find(|v| v.option == option)
        .map(|v| v.votes.exact.clone())
        .unwrap_or_else(|| panic!("{option} not in round {round}"))
}

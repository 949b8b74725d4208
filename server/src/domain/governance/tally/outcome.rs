//! The result of a tally (`Outcome` and its parts), stored as JSON and sent over federation.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::exact::Frac;
use super::rules::{ClassPolicy, Method};

/// An exact value (`"7/3"`, `"2"`) with a floating-point approximation for display only.
///
/// Equality compares `exact` only: `approx` is derived from it and may come back from a JSON
/// parser a last bit different.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Value {
    /// Lowest-terms fraction, or an integer; this is the authoritative value.
    pub exact: String,
    /// `exact` as a float, for charts and sorting in UIs. Never used to decide anything.
    pub approx: f64,
}

impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        self.exact == other.exact
    }
}

impl Value {
    pub(crate) fn frac(num: u128, den: u128) -> Value {
        let f = Frac::new(num, den);
        Value {
            exact: f.exact_string(),
            approx: f.approx(),
        }
    }
}

/// Which class policy produced the outcome (the shares themselves live in the rules).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyKind {
    OneMemberOneVote,
    WeightedClasses,
    ConcurrentMajorities,
}

impl From<&ClassPolicy> for PolicyKind {
    fn from(p: &ClassPolicy) -> PolicyKind {
        match p {
            ClassPolicy::OneMemberOneVote => PolicyKind::OneMemberOneVote,
            ClassPolicy::WeightedClasses(_) => PolicyKind::WeightedClasses,
            ClassPolicy::ConcurrentMajorities => PolicyKind::ConcurrentMajorities,
        }
    }
}

/// One option's (or consent answer's) totals.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OptionResult {
    /// Position in the proposal's option list (consent: agree 0, abstain 1, disagree 2, block 3).
    pub index: usize,
    pub option: String,
    /// Standing by `total`, 1 = highest; equal totals share a rank ("1, 2, 2, 4").
    /// For ranked choice this is the first-preference standing, not the election order.
    pub rank: usize,
    /// Overall total: ballots (or approvals, points, first-preference votes) after class weighting.
    /// Under concurrent majorities this is the unweighted sum over all classes.
    pub total: Value,
    /// Score only: weighted mean score per ballot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mean: Option<Value>,
    /// Per class: raw count and that class's weighted contribution to `total`.
    pub by_class: BTreeMap<String, ClassTotal>,
}

/// One class's part of an option's total.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassTotal {
    /// Unweighted count in this class (ballots, approvals, score points, first preferences).
    pub raw: u64,
    /// This class's contribution to the overall total after weighting.
    pub weighted: Value,
}

/// Participation, overall and per class.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Turnout {
    /// Ballots cast (one per member).
    pub ballots: u64,
    /// Members eligible when the proposal opened.
    pub eligible: u64,
    /// `ballots / eligible`; `None` when nobody was eligible.
    pub share: Option<Value>,
    pub by_class: BTreeMap<String, ClassTurnout>,
}

/// One class's participation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassTurnout {
    pub ballots: u64,
    pub eligible: u64,
    /// `None` when the class has no eligible members.
    pub share: Option<Value>,
    /// The quorum applied to this class on its own (see the module docs); `None` when the class
    /// has no eligible members. Only binding under concurrent majorities.
    pub quorum_met: Option<bool>,
}

/// Why a proposal failed, or why a poll/election has no winner.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Reason {
    QuorumNotMet,
    /// At least one member blocked (consent).
    Blocked {
        count: u64,
    },
    ThresholdNotMet,
    /// Concurrent majorities: this class (the first failing one by name) did not agree.
    FailedInClass {
        class: String,
    },
    /// Options tied for the win (polls, approval at the cut, score); nothing is resolved arbitrarily.
    Tie,
}

/// Under concurrent majorities: what happened within one class that has eligible members.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassOutcome {
    pub class: String,
    pub quorum_met: bool,
    pub passed: Option<bool>,
    pub winners: Vec<String>,
    pub tie: bool,
    pub reason: Option<Reason>,
}

/// Why a ranked-choice candidate was elected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ElectedBecause {
    /// STV: votes reached the Droop quota.
    ReachedQuota,
    /// IRV: strictly more than half of the votes still in the count.
    Majority,
    /// As many continuing candidates as seats left (Scottish rule 52).
    RemainingSeats,
}

/// How a tie between candidates was resolved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum TieBreak {
    /// By their votes at this earlier round (the most recent one where they differed).
    EarlierRound { round: u32, among: Vec<String> },
    /// Equal at every round: by the declared option order (see module docs).
    OptionOrder { among: Vec<String> },
}

/// Something that happened in a ranked-choice round.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum RoundEvent {
    Elected {
        option: String,
        because: ElectedBecause,
    },
    /// The candidate with the fewest votes was excluded and its ballots transferred at their value.
    Eliminated {
        option: String,
        tie_break: Option<TieBreak>,
    },
    /// An elected candidate's surplus was transferred (Weighted Inclusive Gregory).
    SurplusTransferred {
        option: String,
        surplus: Value,
        tie_break: Option<TieBreak>,
    },
}

/// One candidate's votes at the start of a round.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CandidateVotes {
    pub option: String,
    pub votes: Value,
    /// Already elected (its votes stay at the quota once its surplus has left).
    pub elected: bool,
}

/// A ranked-choice round (a "stage" in the Scottish rules): the counts at its start, then what was done.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Round {
    /// 1-based.
    pub number: u32,
    /// Continuing and elected candidates (excluded ones are left out).
    pub votes: Vec<CandidateVotes>,
    /// Value of ballots with no further continuing preference.
    pub exhausted: Value,
    /// Value lost to truncating transfer values to 5 decimals (Scottish rule 48(3)).
    pub rounding_loss: Value,
    pub events: Vec<RoundEvent>,
}

/// The full result of a tally.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub method: Method,
    pub policy: PolicyKind,
    pub seats: u32,
    pub options: Vec<OptionResult>,
    pub turnout: Turnout,
    /// Overall quorum, and under concurrent majorities also every class's quorum.
    pub quorum_met: bool,
    /// `Some` for decisions (consent, single-choice motions); `None` for polls and elections.
    pub passed: Option<bool>,
    /// Polls and elections: the winning options (ranked: in order of election).
    pub winners: Vec<String>,
    /// A tie affected the result: unresolved for polls/approval/score (the tied options are not
    /// winners), resolved by the declared option order for ranked choice (see `rounds`).
    pub tie: bool,
    /// The options involved in that tie.
    pub tied: Vec<String>,
    /// Ranked only: the Droop quota (STV) — `None` for IRV.
    pub quota: Option<Value>,
    /// Ranked only: every round of the count.
    pub rounds: Vec<Round>,
    /// Why it failed or has no winner; `None` when it passed or has winners.
    pub reason: Option<Reason>,
    /// Concurrent majorities only: per-class results.
    pub classes: Vec<ClassOutcome>,
}

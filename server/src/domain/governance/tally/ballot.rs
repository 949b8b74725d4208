//! Ballots (`Ballot`, `BallotChoice`, `ConsentChoice`) and their validation against a proposal.

use serde::{Deserialize, Serialize};

use super::error::BallotError;
use super::rules::{Method, Rules};

/// The highest score a score ballot may give.
pub const MAX_SCORE: u8 = 5;

/// A consent-ballot answer. The reason for a Block is recorded elsewhere; the engine only counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentChoice {
    Agree,
    Abstain,
    Disagree,
    Block,
}

impl ConsentChoice {
    /// All four, in the order used for consent outcome options.
    pub const ALL: [ConsentChoice; 4] = [
        ConsentChoice::Agree,
        ConsentChoice::Abstain,
        ConsentChoice::Disagree,
        ConsentChoice::Block,
    ];

    /// Position in [`ConsentChoice::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// Lower-case name, as shown in outcomes.
    pub fn name(self) -> &'static str {
        match self {
            ConsentChoice::Agree => "agree",
            ConsentChoice::Abstain => "abstain",
            ConsentChoice::Disagree => "disagree",
            ConsentChoice::Block => "block",
        }
    }
}

/// What a member chose. Options are referred to by their index in the proposal's option list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BallotChoice {
    /// For [`Method::Consent`].
    Consent(ConsentChoice),
    /// For [`Method::SingleChoice`]: one option.
    Single(usize),
    /// For [`Method::Approval`]: the approved options, any order, no duplicates; may be empty
    /// (a member who takes part but approves nothing: counts for turnout only).
    Approval(Vec<usize>),
    /// For [`Method::Ranked`]: options from most to least preferred, no duplicates; may stop
    /// early (truncated ranking) or be empty (blank: counts for turnout, not as a valid vote).
    Ranked(Vec<usize>),
    /// For [`Method::Score`]: one score 0..=5 per option, in option order.
    Score(Vec<u8>),
}

impl BallotChoice {
    /// The method this kind of ballot belongs to.
    pub fn method(&self) -> Method {
        match self {
            BallotChoice::Consent(_) => Method::Consent,
            BallotChoice::Single(_) => Method::SingleChoice,
            BallotChoice::Approval(_) => Method::Approval,
            BallotChoice::Ranked(_) => Method::Ranked,
            BallotChoice::Score(_) => Method::Score,
        }
    }
}

/// One member's ballot: their stakeholder class and their choice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ballot {
    pub class: String,
    pub choice: BallotChoice,
}

impl Ballot {
    /// Shorthand constructor.
    pub fn new(class: impl Into<String>, choice: BallotChoice) -> Ballot {
        Ballot {
            class: class.into(),
            choice,
        }
    }
}

/// Checks a choice against the proposal's rules and options (consent ballots ignore options).
pub fn validate_ballot(
    rules: &Rules,
    options: &[String],
    choice: &BallotChoice,
) -> Result<(), BallotError> {
    let mut seen = vec![false; options.len()];
    validate_with(rules.method, options.len(), choice, &mut seen)
}

/// [`validate_ballot`] with a caller-provided scratch buffer of `options` falses (left all false).
pub(crate) fn validate_with(
    method: Method,
    options: usize,
    choice: &BallotChoice,
    seen: &mut [bool],
) -> Result<(), BallotError> {
    if choice.method() != method {
        return Err(BallotError::WrongKind {
            expected: method,
            got: choice.method(),
        });
    }
    let known = |index: usize| {
        if index < options {
            Ok(())
        } else {
            Err(BallotError::UnknownOption { index, options })
        }
    };
    match choice {
        BallotChoice::Consent(_) => Ok(()),
        BallotChoice::Single(i) => known(*i),
        BallotChoice::Approval(list) | BallotChoice::Ranked(list) => {
            let mut result = Ok(());
            for &i in list {
                if let Err(e) = known(i) {
                    result = Err(e);
                    break;
                }
                if seen[i] {
                    result = Err(BallotError::DuplicateOption { index: i });
                    break;
                }
                seen[i] = true;
            }
            for &i in list {
                if i < options {
                    seen[i] = false;
                }
            }
            result
        }
        BallotChoice::Score(scores) => {
            if scores.len() != options {
                return Err(BallotError::ScoreLength {
                    expected: options,
                    got: scores.len(),
                });
            }
            match scores.iter().position(|&s| s > MAX_SCORE) {
                Some(index) => Err(BallotError::ScoreOutOfRange {
                    index,
                    score: scores[index],
                    max: MAX_SCORE,
                }),
                None => Ok(()),
            }
        }
    }
}

//! The typed errors of the tally engine: invalid rules (refused at proposal creation),
//! invalid ballots (refused when cast) and failures of a tally.

use super::rules::Method;

/// Why a set of [`Rules`](super::Rules) (with its options and electorate) is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RulesError {
    /// The method needs more options than were given (ranked, approval, single choice and score need 2).
    #[error("{method:?} needs at least {min} options, got {got}")]
    TooFewOptions {
        method: Method,
        min: usize,
        got: usize,
    },
    /// More options than the engine indexes (65,535).
    #[error("at most {max} options are supported, got {got}")]
    TooManyOptions { max: usize, got: usize },
    /// An option name is empty or only spaces.
    #[error("option {index} has an empty name")]
    BlankOption { index: usize },
    /// Two options share a name (compared after trimming, case-insensitively).
    #[error("option {0:?} appears more than once")]
    DuplicateOption(String),
    /// `seats` is 0 for an election.
    #[error("an election needs at least one seat")]
    SeatsZero,
    /// `seats` must be smaller than the number of candidates, otherwise there is nothing to decide.
    #[error("{seats} seats for {candidates} candidates: seats must be fewer than candidates")]
    SeatsNotFewerThanCandidates { seats: u32, candidates: usize },
    /// Consent, single choice and score decide one thing: `seats` must be 1.
    #[error("{method:?} elects nothing: seats must be 1, got {seats}")]
    SeatsNotApplicable { method: Method, seats: u32 },
    /// Approval, ranked and score are polls/elections: they take no threshold.
    #[error("{method:?} takes no threshold")]
    ThresholdNotApplicable { method: Method },
    /// A `Consent` threshold on another method (only consent ballots can block).
    #[error("the consent threshold only applies to the consent method, not {method:?}")]
    ConsentThresholdOnOtherMethod { method: Method },
    /// A threshold of 0 would pass anything with a single vote either way.
    #[error("a threshold must be greater than zero")]
    ThresholdZero,
    /// A single-choice motion (single choice with a threshold) needs exactly the options
    /// "For" and "Against", optionally "Abstain".
    #[error(
        "a motion's options must be \"For\", \"Against\" and optionally \"Abstain\"; got {0:?}"
    )]
    MotionOptions(Vec<String>),
    /// Weighted class shares do not add up to exactly 1.
    #[error("class shares add up to {sum}, not 1")]
    ShareSumNot1 { sum: String },
    /// A class appears twice (in the shares or in the electorate).
    #[error("class {0:?} appears more than once")]
    DuplicateClass(String),
    /// A class name is empty.
    #[error("a class name is empty")]
    BlankClass,
    /// A share is given for a class that is not part of the electorate.
    #[error("a share is given for class {0:?}, which is not part of the electorate")]
    UnknownClass(String),
    /// The electorate has members in a class that has no share (list it with share "0" to give it none).
    #[error("class {0:?} has eligible members but no share")]
    ClassWithoutShare(String),
    /// Concurrent majorities only make sense for yes/no decisions and single-winner polls.
    #[error("concurrent majorities are not supported for {method:?} elections")]
    ConcurrentNotSupported { method: Method },
}

/// Why a ballot is refused for a proposal.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BallotError {
    /// The ballot's kind does not match the proposal's method (e.g. a consent ballot on a ranked election).
    #[error("a {got:?} ballot cannot be cast on a {expected:?} proposal")]
    WrongKind { expected: Method, got: Method },
    /// An option index outside the option list.
    #[error("option {index} does not exist (there are {options} options)")]
    UnknownOption { index: usize, options: usize },
    /// The same option listed twice in an approval set or a ranking.
    #[error("option {index} is listed more than once")]
    DuplicateOption { index: usize },
    /// A score above the maximum (5).
    #[error("score {score} for option {index} is outside 0..={max}")]
    ScoreOutOfRange { index: usize, score: u8, max: u8 },
    /// A score ballot must score every option.
    #[error("a score ballot must score all {expected} options, got {got}")]
    ScoreLength { expected: usize, got: usize },
}

/// Why a tally could not be computed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TallyError {
    /// The rules are invalid for these options and this electorate.
    #[error("invalid rules: {0}")]
    Rules(#[from] RulesError),
    /// A ballot is invalid (`index` is its position in the slice given to `tally`).
    #[error("ballot {index}: {error}")]
    Ballot { index: usize, error: BallotError },
    /// A ballot's class is not part of the electorate.
    #[error("ballot {index}: class {class:?} is not part of the electorate")]
    UnknownClass { index: usize, class: String },
    /// More ballots in a class than eligible members (ballots must be one per member).
    #[error("class {class:?} has {ballots} ballots but only {eligible} eligible members")]
    TooManyBallots {
        class: String,
        ballots: u64,
        eligible: u64,
    },
    /// Exact arithmetic would exceed 128 bits (only with extreme class shares and sizes).
    #[error("the exact arithmetic for these class shares and sizes exceeds 128 bits")]
    Overflow,
}

//! Pure vote-tallying engine for cooperative governance: one entry point, [`tally`], turning a
//! proposal's [`Rules`], [`Electorate`], options and [`Ballot`]s into an [`Outcome`].
//!
//! No I/O, no clocks, no randomness, no floating point in any decision: every pass/fail and every
//! ranking of options is decided with exact integer arithmetic (cross-multiplication with 256-bit
//! products, rationals on a common denominator, or 5-decimal fixed point for STV transfers).
//! Results never depend on the order of the ballots.
//!
//! # Methods
//!
//! * **Consent** — Agree / Abstain / Disagree / Block. Passes when the quorum is met, there is
//!   **no Block**, and Agree meets the threshold out of **Agree + Disagree**. Abstentions count
//!   toward turnout and quorum but not toward the threshold base. Default threshold
//!   (`threshold: None` or `Threshold::Consent { min_agree: None }`): Agree strictly more than
//!   half; any other threshold may be used and a Block always fails the proposal. If nobody
//!   agrees (e.g. everybody abstained) the threshold is not met.
//! * **Single choice** — without a threshold it is a poll: counts per option, the unique
//!   plurality winner wins; a tie for first is reported (`tie`, `tied`, reason `Tie`) and never
//!   resolved. With a threshold it is a motion: options must be exactly "For", "Against" and
//!   optionally "Abstain" (case-insensitive); For must meet the threshold out of For + Against.
//! * **Approval** — each ballot approves a set (possibly empty: the member takes part without
//!   approving anything). The `seats` most approved options win; when options tie across the
//!   cut, only those strictly above it are winners and the tied ones are reported.
//! * **Ranked** — one seat: instant-runoff (a candidate with strictly more than half of the
//!   votes still in the count wins; otherwise the last is excluded). Several seats: STV per the
//!   **Scottish Local Government Elections Order 2007 (SSI 2007/42), schedule 1, rules 45–52**:
//!   Droop quota ⌊valid votes / (seats + 1)⌋ + 1; a candidate reaching the quota is elected;
//!   the largest surplus is transferred first by **Weighted Inclusive Gregory** (every ballot
//!   the candidate holds moves on at ⌊surplus × its value / candidate's votes⌋, truncated to 5
//!   decimals, rule 48(3)); with no surplus the candidate with fewest votes is excluded and
//!   its ballots move on at their current value (rule 50); when the continuing candidates are
//!   as many as the seats left they are all elected (rule 52). Ballots may rank any prefix; an
//!   empty ranking is a blank ballot (turnout only, not a valid vote for the quota).
//!   Each round reports every continuing/elected candidate's votes, exhausted votes, the value
//!   lost to truncation, and who was elected, excluded or had a surplus transferred and why.
//! * **Score** — 0–5 for every option. Totals and means per option; the highest total wins,
//!   ties reported.
//!
//! # Ranked tie-breaks (deterministic, independent of ballot order)
//!
//! The backwards rule of Scottish rules 49(2) and 51(2)(a): look at the most recent earlier
//! round at which the tied candidates had unequal votes; exclude the one with the fewest there
//! (or, for the order of equal surpluses, transfer first the one with the most); if several are
//! still level there, keep going back with just those. Where the rules say "by lot" (equal at
//! every round), this engine instead uses the **option order set at proposal creation**: the
//! option listed **last** is excluded first, and the surplus of the option listed **first** is
//! transferred first. Each tie-break is recorded in its round. A fallback to option order sets
//! `Outcome::tie` and lists the candidates in `tied` (the winners are still declared) — except
//! when the tied candidates have no votes and enough other candidates remain that they will all
//! be excluded one after another anyway, so their order cannot change the result. If nobody
//! ranked anyone, there is no winner (reason `Tie`).
//!
//! # Quorum and thresholds
//!
//! Turnout = ballots cast / eligible (one ballot per member). The quorum is met when turnout ≥
//! the share, or ballots ≥ the count. With nobody eligible it is never met. Thresholds:
//! `SimpleMajority` is strictly more than 1/2 (exactly 1/2 fails), `TwoThirds` is at least 2/3
//! (exactly 2/3 passes), `Fraction(r)` is at least `r`; `r` must be > 0. When the quorum is not
//! met a decision fails and a poll/election has no winners (reason `QuorumNotMet`; totals and
//! rounds are still reported).
//!
//! # Class policies
//!
//! * **One member, one vote** — every ballot weighs 1.
//! * **Weighted classes** — shares per class must add up to exactly 1 (checked exactly), every
//!   class with eligible members must have a share (a share of `"0"` is allowed and means an
//!   advisory class), no class twice, no share for a class outside the electorate. A ballot
//!   weighs `class share / ballots cast in its class` (all ballots cast, including abstentions
//!   and blocks: abstainers hold part of their class's share as abstention). So each class
//!   that votes contributes exactly its share. A class that casts no ballot contributes nothing
//!   and the other shares are **not** renormalised (thresholds and winners are ratios, so this
//!   only shows in the displayed totals; no class's voice is inflated by another's absence).
//!   For ranked elections a ballot is worth `share × ballots cast overall / ballots cast in its
//!   class` votes (so quotas read as votes), truncated to 5 decimals.
//! * **Concurrent majorities** — consent, motions, polls and score only (refused for approval
//!   and ranked elections: a multi-winner result has no per-class "majority"). Each class with
//!   eligible members is tallied on its own, unweighted, with the same threshold, and must pass
//!   (polls/score: must have the same unique winner as the overall count). Classes with no
//!   eligible members are skipped. The quorum is checked overall **and** per class: a share
//!   quorum applies to each class as is; a count quorum is converted to the same share of each
//!   class. `quorum_met` is the conjunction; a class that misses its quorum fails the proposal
//!   with `FailedInClass`. A block anywhere fails with `Blocked`.

mod ballot;
mod classes;
mod decide;
mod electorate;
mod error;
mod exact;
mod methods;
mod outcome;
mod ranked;
mod ratio;
mod rules;

#[cfg(test)]
mod tests;

pub use ballot::{validate_ballot, Ballot, BallotChoice, ConsentChoice, MAX_SCORE};
pub use electorate::Electorate;
pub use error::{BallotError, RulesError, TallyError};
pub use outcome::{
    CandidateVotes, ClassOutcome, ClassTotal, ClassTurnout, ElectedBecause, OptionResult, Outcome,
    PolicyKind, Reason, Round, RoundEvent, TieBreak, Turnout, Value,
};
pub use ratio::{Ratio, RatioError};
pub use rules::{ClassPolicy, ClassShare, Method, Quorum, Rules, Threshold, MAX_OPTIONS};

/// Tallies a closed proposal. Validates the rules against the options and electorate, and every
/// ballot (known class, valid choice, no more ballots than eligible members per class), then
/// counts. `options` is ignored for consent.
pub fn tally(
    rules: &Rules,
    electorate: &Electorate,
    options: &[String],
    ballots: &[Ballot],
) -> Result<Outcome, TallyError> {
    rules.validate_for(options, electorate)?;
    let table = classes::ClassTable::build(rules, electorate, options.len(), ballots)?;
    match rules.method {
        Method::Consent => methods::consent(rules, &table, ballots),
        Method::SingleChoice => methods::single(rules, &table, options, ballots),
        Method::Approval => methods::approval(rules, &table, options, ballots),
        Method::Score => methods::score(rules, &table, options, ballots),
        Method::Ranked => ranked::ranked(rules, &table, options, ballots),
    }
}

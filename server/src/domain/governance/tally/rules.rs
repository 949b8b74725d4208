//! The decision rules of a proposal (`Rules`: method, quorum, threshold, class policy, seats)
//! and their validation at proposal creation.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::electorate::Electorate;
use super::error::RulesError;
use super::exact::{gcd, lcm};
use super::ratio::{Ratio, RatioError};

/// Most options a proposal may have (ranked ballots index options with `u16`).
pub const MAX_OPTIONS: usize = u16::MAX as usize;

/// How ballots are cast and counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Agree / Abstain / Disagree / Block on one proposal.
    Consent,
    /// One option among N: a poll (plurality), or a motion when a threshold is set.
    SingleChoice,
    /// Approve any set of options; the `seats` most approved win.
    Approval,
    /// Rank options: IRV for one seat, Scottish STV for several.
    Ranked,
    /// Score every option 0–5; the highest total wins.
    Score,
}

/// The minimum participation for a decision to count. Compared as `turnout >= quorum`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Quorum {
    /// A share of the eligible members (`"0"` means no quorum beyond a non-empty electorate).
    Share(Ratio),
    /// An absolute number of ballots.
    Count(u64),
}

impl Default for Quorum {
    fn default() -> Quorum {
        Quorum::Share(Ratio::ZERO)
    }
}

/// What share of the decided votes (For + Against, or Agree + Disagree) a motion needs.
///
/// Serialised as a string: `"simple_majority"`, `"two_thirds"`, `"consent"`, `"consent:3/4"`, or a
/// fraction such as `"3/5"` / `"0.6"` (meaning "at least").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Threshold {
    /// Strictly more than half (exactly 1/2 fails).
    SimpleMajority,
    /// At least two thirds (exactly 2/3 passes).
    TwoThirds,
    /// No Block, and Agree strictly more than half — or at least `min_agree` when given.
    /// Only valid with [`Method::Consent`].
    Consent { min_agree: Option<Ratio> },
    /// At least this fraction.
    Fraction(Ratio),
}

impl fmt::Display for Threshold {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Threshold::SimpleMajority => f.write_str("simple_majority"),
            Threshold::TwoThirds => f.write_str("two_thirds"),
            Threshold::Consent { min_agree: None } => f.write_str("consent"),
            Threshold::Consent { min_agree: Some(r) } => write!(f, "consent:{r}"),
            Threshold::Fraction(r) => write!(f, "{r}"),
        }
    }
}

impl From<Threshold> for String {
    fn from(t: Threshold) -> String {
        t.to_string()
    }
}

impl TryFrom<String> for Threshold {
    type Error = RatioError;
    fn try_from(s: String) -> Result<Threshold, RatioError> {
        s.parse()
    }
}

impl FromStr for Threshold {
    type Err = RatioError;

    /// `majority`/`simple_majority` → strict majority; `two_thirds` → at least 2/3; `consent` or
    /// `consent:<fraction>`; anything else is read as a [`Ratio`] meaning "at least".
    fn from_str(input: &str) -> Result<Threshold, RatioError> {
        let s = input.trim().to_ascii_lowercase().replace('-', "_");
        match s.as_str() {
            "majority" | "simple_majority" => return Ok(Threshold::SimpleMajority),
            "two_thirds" => return Ok(Threshold::TwoThirds),
            "consent" => return Ok(Threshold::Consent { min_agree: None }),
            _ => {}
        }
        if let Some(rest) = s.strip_prefix("consent:") {
            return Ok(Threshold::Consent {
                min_agree: Some(rest.parse()?),
            });
        }
        Ok(Threshold::Fraction(input.parse()?))
    }
}

/// One class's fixed share of a weighted vote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassShare {
    pub class: String,
    pub share: Ratio,
}

/// How stakeholder classes combine.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClassPolicy {
    /// Every ballot weighs 1.
    #[default]
    OneMemberOneVote,
    /// Each class contributes a fixed share of the result, spread over the ballots it cast.
    /// A list (not a map) so that duplicates arriving over federation are detected.
    WeightedClasses(Vec<ClassShare>),
    /// Passes only if it passes within every class that has eligible members.
    ConcurrentMajorities,
}

fn default_seats() -> u32 {
    1
}

/// Everything that decides how a proposal's ballots become an outcome.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rules {
    pub method: Method,
    #[serde(default)]
    pub quorum: Quorum,
    /// `None` for polls and elections. On single choice, `Some` makes the proposal a motion
    /// (options For/Against[/Abstain]). Consent without a threshold uses
    /// `Threshold::Consent { min_agree: None }` (no Block, Agree strictly more than half).
    #[serde(default)]
    pub threshold: Option<Threshold>,
    #[serde(default)]
    pub class_policy: ClassPolicy,
    /// Winners to elect (approval, ranked); must be 1 for the other methods.
    #[serde(default = "default_seats")]
    pub seats: u32,
}

/// Indices of the For / Against / Abstain options of a motion.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Motion {
    pub for_index: usize,
    pub against_index: usize,
}

impl Rules {
    /// The threshold that applies to a consent proposal (`Consent { min_agree: None }` by default).
    pub fn consent_threshold(&self) -> Threshold {
        self.threshold
            .unwrap_or(Threshold::Consent { min_agree: None })
    }

    /// Checks the rules on their own and against the option list (ignored for consent).
    pub fn validate(&self, options: &[String]) -> Result<(), RulesError> {
        let method = self.method;
        if method != Method::Consent {
            check_options(method, options)?;
        }
        match method {
            Method::Approval | Method::Ranked => {
                if self.seats == 0 {
                    return Err(RulesError::SeatsZero);
                }
                if self.seats as usize >= options.len() {
                    return Err(RulesError::SeatsNotFewerThanCandidates {
                        seats: self.seats,
                        candidates: options.len(),
                    });
                }
            }
            _ if self.seats != 1 => {
                return Err(RulesError::SeatsNotApplicable {
                    method,
                    seats: self.seats,
                })
            }
            _ => {}
        }
        match (method, self.threshold) {
            (_, None) => {}
            (Method::Consent, Some(t)) => check_threshold_value(t)?,
            (Method::SingleChoice, Some(Threshold::Consent { .. })) => {
                return Err(RulesError::ConsentThresholdOnOtherMethod { method })
            }
            (Method::SingleChoice, Some(t)) => {
                check_threshold_value(t)?;
                motion_indices(options)?;
            }
            (_, Some(_)) => return Err(RulesError::ThresholdNotApplicable { method }),
        }
        match &self.class_policy {
            ClassPolicy::OneMemberOneVote => {}
            ClassPolicy::ConcurrentMajorities => {
                if matches!(method, Method::Approval | Method::Ranked) {
                    return Err(RulesError::ConcurrentNotSupported { method });
                }
            }
            ClassPolicy::WeightedClasses(shares) => check_shares(shares)?,
        }
        Ok(())
    }

    /// [`validate`](Self::validate) plus the consistency of weighted shares with the electorate:
    /// every share names a class of the electorate, and every class with eligible members has a share.
    pub fn validate_for(
        &self,
        options: &[String],
        electorate: &Electorate,
    ) -> Result<(), RulesError> {
        self.validate(options)?;
        if let ClassPolicy::WeightedClasses(shares) = &self.class_policy {
            for s in shares {
                if electorate.eligible(&s.class).is_none() {
                    return Err(RulesError::UnknownClass(s.class.clone()));
                }
            }
            for (class, eligible) in electorate.classes() {
                if eligible > 0 && !shares.iter().any(|s| s.class == class) {
                    return Err(RulesError::ClassWithoutShare(class.to_string()));
                }
            }
        }
        Ok(())
    }

    /// The motion's option indices when this is a single-choice proposal with a threshold.
    pub(crate) fn motion(&self, options: &[String]) -> Option<Motion> {
        match (self.method, self.threshold) {
            (Method::SingleChoice, Some(_)) => motion_indices(options).ok(),
            _ => None,
        }
    }
}

fn check_options(method: Method, options: &[String]) -> Result<(), RulesError> {
    if options.len() < 2 {
        return Err(RulesError::TooFewOptions {
            method,
            min: 2,
            got: options.len(),
        });
    }
    if options.len() > MAX_OPTIONS {
        return Err(RulesError::TooManyOptions {
            max: MAX_OPTIONS,
            got: options.len(),
        });
    }
    let mut seen = BTreeSet::new();
    for (index, o) in options.iter().enumerate() {
        let key = o.trim().to_lowercase();
        if key.is_empty() {
            return Err(RulesError::BlankOption { index });
        }
        if !seen.insert(key) {
            return Err(RulesError::DuplicateOption(o.clone()));
        }
    }
    Ok(())
}

fn check_threshold_value(t: Threshold) -> Result<(), RulesError> {
    match t {
        Threshold::Fraction(r) | Threshold::Consent { min_agree: Some(r) } if r.is_zero() => {
            Err(RulesError::ThresholdZero)
        }
        _ => Ok(()),
    }
}

fn motion_indices(options: &[String]) -> Result<Motion, RulesError> {
    let mut for_index = None;
    let mut against_index = None;
    let mut abstain = false;
    let bad = || RulesError::MotionOptions(options.to_vec());
    for (i, o) in options.iter().enumerate() {
        match o.trim().to_lowercase().as_str() {
            "for" if for_index.is_none() => for_index = Some(i),
            "against" if against_index.is_none() => against_index = Some(i),
            "abstain" if !abstain => abstain = true,
            _ => return Err(bad()),
        }
    }
    match (for_index, against_index) {
        (Some(for_index), Some(against_index)) => Ok(Motion {
            for_index,
            against_index,
        }),
        _ => Err(bad()),
    }
}

/// Shares: non-empty distinct class names summing to exactly 1 (exact rational sum).
fn check_shares(shares: &[ClassShare]) -> Result<(), RulesError> {
    let mut seen = BTreeSet::new();
    let (mut num, mut den): (u128, u128) = (0, 1);
    let mut overflow = false;
    for s in shares {
        if s.class.trim().is_empty() {
            return Err(RulesError::BlankClass);
        }
        if !seen.insert(s.class.as_str()) {
            return Err(RulesError::DuplicateClass(s.class.clone()));
        }
        // num/den + s.num/s.den on the common denominator, reduced each step.
        let sd = s.share.den() as u128;
        match lcm(den, sd) {
            Some(l) if !overflow => {
                let a = num.checked_mul(l / den);
                let b = (s.share.num() as u128).checked_mul(l / sd);
                match (a, b) {
                    (Some(a), Some(b)) if a.checked_add(b).is_some() => {
                        let n = a + b;
                        let g = gcd(n, l).max(1);
                        num = n / g;
                        den = l / g;
                    }
                    _ => overflow = true,
                }
            }
            _ => overflow = true,
        }
    }
    if overflow || num != den {
        let sum = if overflow {
            "more than 128 bits can hold".to_string()
        } else if den == 1 {
            num.to_string()
        } else {
            format!("{num}/{den}")
        };
        return Err(RulesError::ShareSumNot1 { sum });
    }
    Ok(())
}

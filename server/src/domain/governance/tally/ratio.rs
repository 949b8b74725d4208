//! `Ratio`: a validated fraction between 0 and 1 (used for quorums, thresholds and class shares),
//! and its parsing from the strings that arrive from configuration and federation.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::exact::gcd;

/// A fraction `num / den` with `den > 0` and `num <= den`, always stored in lowest terms
/// (so `Ratio::new(2, 4) == Ratio::new(1, 2)`).
///
/// Serialised as a string (`"1/2"`, `"0"`, `"1"`); deserialised with [`Ratio::from_str`], so
/// `"0.5"`, `"50%"`, `"2/3"`, `"majority"` and `"two_thirds"` are all accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Ratio {
    num: u64,
    den: u64,
}

/// Why a string or a pair of integers is not a valid [`Ratio`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RatioError {
    /// `x/0`.
    #[error("a fraction's denominator must be greater than zero")]
    ZeroDenominator,
    /// The value exceeds 1 (e.g. a quorum of `1.5`).
    #[error("{num}/{den} is greater than 1")]
    GreaterThanOne { num: u128, den: u128 },
    /// A leading minus sign.
    #[error("negative fractions are not allowed: {0:?}")]
    Negative(String),
    /// More precision than 64-bit integers can hold (more than 18 decimals).
    #[error("{0:?} has too many digits")]
    TooPrecise(String),
    /// Anything else.
    #[error(
        "cannot read {0:?} as a fraction (expected e.g. \"0.5\", \"50%\", \"2/3\", \"majority\", \"two_thirds\")"
    )]
    Unparsable(String),
}

impl Ratio {
    /// 0.
    pub const ZERO: Ratio = Ratio { num: 0, den: 1 };
    /// 1.
    pub const ONE: Ratio = Ratio { num: 1, den: 1 };
    /// 1/2.
    pub const HALF: Ratio = Ratio { num: 1, den: 2 };
    /// 2/3.
    pub const TWO_THIRDS: Ratio = Ratio { num: 2, den: 3 };

    /// Validates and reduces `num / den`.
    pub fn new(num: u64, den: u64) -> Result<Ratio, RatioError> {
        Self::from_u128(num as u128, den as u128, || format!("{num}/{den}"))
    }

    fn from_u128(num: u128, den: u128, text: impl Fn() -> String) -> Result<Ratio, RatioError> {
        if den == 0 {
            return Err(RatioError::ZeroDenominator);
        }
        if num > den {
            return Err(RatioError::GreaterThanOne { num, den });
        }
        let g = gcd(num, den).max(1);
        let (num, den) = (num / g, den / g);
        match (u64::try_from(num), u64::try_from(den)) {
            (Ok(num), Ok(den)) => Ok(Ratio { num, den }),
            _ => Err(RatioError::TooPrecise(text())),
        }
    }

    /// Numerator (lowest terms).
    pub fn num(&self) -> u64 {
        self.num
    }

    /// Denominator (lowest terms, never 0).
    pub fn den(&self) -> u64 {
        self.den
    }

    /// `true` for 0.
    pub fn is_zero(&self) -> bool {
        self.num == 0
    }

    /// Display approximation (never used to decide anything).
    pub fn approx(&self) -> f64 {
        self.num as f64 / self.den as f64
    }
}

impl fmt::Display for Ratio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.den == 1 {
            write!(f, "{}", self.num)
        } else {
            write!(f, "{}/{}", self.num, self.den)
        }
    }
}

impl From<Ratio> for String {
    fn from(r: Ratio) -> String {
        r.to_string()
    }
}

impl TryFrom<String> for Ratio {
    type Error = RatioError;
    fn try_from(s: String) -> Result<Ratio, RatioError> {
        s.parse()
    }
}

/// Parses a run of ASCII digits (at least one) into `u128`, `None` on anything else or overflow.
fn digits(s: &str) -> Option<u128> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Parses `"12"`, `"0.75"`, `".5"` into `(num, den)` with `den` a power of ten.
fn decimal(s: &str, original: &str) -> Result<(u128, u128), RatioError> {
    let bad = || RatioError::Unparsable(original.to_string());
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, f),
        None => (s, ""),
    };
    if int.is_empty() && frac.is_empty() {
        return Err(bad());
    }
    if frac.len() > 18 {
        return Err(RatioError::TooPrecise(original.to_string()));
    }
    let int_val = if int.is_empty() {
        0
    } else {
        digits(int).ok_or_else(bad)?
    };
    let frac_val = if frac.is_empty() {
        0
    } else {
        digits(frac).ok_or_else(bad)?
    };
    let den = 10u128.pow(frac.len() as u32);
    let num = int_val
        .checked_mul(den)
        .and_then(|v| v.checked_add(frac_val))
        .ok_or_else(|| RatioError::TooPrecise(original.to_string()))?;
    Ok((num, den))
}

impl FromStr for Ratio {
    type Err = RatioError;

    /// Accepts `"2/3"`, decimals (`"0.5"`, `"1"`, `".25"`), percentages (`"50%"`, `"66.5%"`) and the
    /// names `majority`/`simple_majority`/`half` (1/2), `two_thirds` (2/3), `three_quarters` (3/4),
    /// `unanimous`/`unanimity` (1) and `none`/`zero` (0). Case and surrounding spaces are ignored;
    /// `-` and `_` are interchangeable in names.
    fn from_str(input: &str) -> Result<Ratio, RatioError> {
        let s = input.trim().to_ascii_lowercase().replace('-', "_");
        let named = match s.as_str() {
            "majority" | "simple_majority" | "half" => Some((1, 2)),
            "two_thirds" => Some((2, 3)),
            "three_quarters" => Some((3, 4)),
            "unanimous" | "unanimity" => Some((1, 1)),
            "none" | "zero" => Some((0, 1)),
            _ => None,
        };
        if let Some((n, d)) = named {
            return Ratio::new(n, d);
        }
        if s.starts_with('_') || input.trim_start().starts_with('-') {
            return Err(RatioError::Negative(input.to_string()));
        }
        let text = || input.to_string();
        if let Some((n, d)) = s.split_once('/') {
            let n = digits(n.trim()).ok_or_else(|| RatioError::Unparsable(text()))?;
            let d = digits(d.trim()).ok_or_else(|| RatioError::Unparsable(text()))?;
            return Ratio::from_u128(n, d, text);
        }
        if let Some(p) = s.strip_suffix('%') {
            let (n, d) = decimal(p.trim(), input)?;
            let d = d
                .checked_mul(100)
                .ok_or_else(|| RatioError::TooPrecise(text()))?;
            return Ratio::from_u128(n, d, text);
        }
        let (n, d) = decimal(&s, input)?;
        Ratio::from_u128(n, d, text)
    }
}

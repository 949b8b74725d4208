//! Exact integer helpers: gcd/lcm on `u128`, 256-bit products for comparisons, and exact fractions for display.
//!
//! Nothing in the tally engine decides a pass, a fail or a winner with floating point:
//! every comparison goes through the functions here.

use std::cmp::Ordering;

/// Greatest common divisor (Euclid). `gcd(0, 0) == 0`.
pub(crate) fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        let r = a % b;
        a = b;
        b = r;
    }
    a
}

/// Least common multiple, `None` on overflow. `lcm(0, x) == 0`.
pub(crate) fn lcm(a: u128, b: u128) -> Option<u128> {
    if a == 0 || b == 0 {
        return Some(0);
    }
    (a / gcd(a, b)).checked_mul(b)
}

/// Full 256-bit product of two `u128`, as `(high, low)` halves.
pub(crate) fn mul_wide(a: u128, b: u128) -> (u128, u128) {
    const MASK: u128 = u64::MAX as u128;
    let (a_hi, a_lo) = (a >> 64, a & MASK);
    let (b_hi, b_lo) = (b >> 64, b & MASK);
    let lo_lo = a_lo * b_lo;
    let hi_lo = a_hi * b_lo;
    let lo_hi = a_lo * b_hi;
    let hi_hi = a_hi * b_hi;
    // Middle column: carries are collected explicitly so nothing can overflow.
    let mid = (lo_lo >> 64) + (hi_lo & MASK) + (lo_hi & MASK);
    let low = (lo_lo & MASK) | (mid << 64);
    let high = hi_hi + (hi_lo >> 64) + (lo_hi >> 64) + (mid >> 64);
    (high, low)
}

/// Compares `a * b` with `c * d` exactly (no overflow possible).
pub(crate) fn cmp_products(a: u128, b: u128, c: u128, d: u128) -> Ordering {
    mul_wide(a, b).cmp(&mul_wide(c, d))
}

/// A fraction reduced to lowest terms, used to print exact values (`"7/3"`, `"2"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Frac {
    pub num: u128,
    pub den: u128,
}

impl Frac {
    /// Builds `num / den` reduced; a zero denominator yields `0` (callers never divide by zero,
    /// this is only a guard so that display code cannot panic).
    pub(crate) fn new(num: u128, den: u128) -> Frac {
        if den == 0 || num == 0 {
            return Frac { num: 0, den: 1 };
        }
        let g = gcd(num, den);
        Frac {
            num: num / g,
            den: den / g,
        }
    }

    /// `"n"` when the denominator is 1, otherwise `"n/d"`.
    pub(crate) fn exact_string(&self) -> String {
        if self.den == 1 {
            self.num.to_string()
        } else {
            format!("{}/{}", self.num, self.den)
        }
    }

    /// A floating-point approximation for display only.
    pub(crate) fn approx(&self) -> f64 {
        self.num as f64 / self.den as f64
    }
}

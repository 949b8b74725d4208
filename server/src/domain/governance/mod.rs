//! Cooperative governance: proposals, ballots, tallies and versioned rules. The tally engine is pure.

pub mod tally;

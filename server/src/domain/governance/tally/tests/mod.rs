//! Unit, property and worked-example tests for the tally engine.

mod approval;
mod build;
mod classes;
mod concurrent;
mod consent;
mod examples;
mod props;
mod ranked;
mod ratio;
mod rules;
mod score;
mod single;

//! Our database rows as ActivityPub objects: actors, communities, posts and comments, proposals, ballots and rules.

pub mod actor;
pub mod ballot;
pub mod content;
pub mod question;
pub mod rules;

#[cfg(test)]
mod governance_tests;

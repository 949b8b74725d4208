//! Our database rows as ActivityPub objects: actors, communities, posts and comments, proposals (and their notices), ballots and rules.

pub mod actor;
pub mod ballot;
pub mod content;
pub mod notice;
pub mod question;
pub mod rules;

#[cfg(test)]
mod governance_tests;

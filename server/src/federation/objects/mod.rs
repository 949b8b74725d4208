//! Our database rows as ActivityPub objects: actors, communities, posts and comments.

pub mod actor;
pub mod content;

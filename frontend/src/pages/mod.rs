//! One module per page.

pub mod admin;
pub mod auth;
pub mod communities;
pub mod feeds;
pub mod governance;
pub mod home;
pub mod not_found;
pub mod posts;
pub mod profile;
pub mod settings;

// Federation pages.
pub mod admin_federation;
pub mod network;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// A query parameter of the current URL.
pub fn query(name: &'static str) -> Option<String> {
    use_query_map().with_untracked(|q| q.get(name))
}

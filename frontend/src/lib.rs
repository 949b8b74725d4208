//! Commonhall's web UI: server-rendered Leptos pages over the `Backend` port; every action is a plain HTML form.

pub mod app;
pub mod backend;
pub mod components;
pub mod federation;
pub mod pages;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod ssr;

pub use app::{shell, App};
pub use backend::*;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    leptos::mount::hydrate_body(App);
}

/// The site's stylesheet, served by the server at `/static/commonhall.css`.
pub const STYLESHEET: &str = include_str!("../style/commonhall.css");

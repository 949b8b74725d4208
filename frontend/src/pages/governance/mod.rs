//! Governance pages of a community: its rules and their history, proposals (list, new, one
//! proposal with its ballot and results) and the governance settings.

pub mod new_proposal;
pub mod proposal;
pub mod proposals;
pub mod results;
pub mod rules;
pub mod settings;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::backend::{GovCommunity, ProposalRef};
use crate::server_fns::{gov_path, proposal_path};

/// The `:name` route parameter (a community key).
pub(crate) fn key_param() -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.with(|p| p.get("name").unwrap_or_default())
}

/// The `:id` route parameter (a proposal id; 0 when it is not a number, which finds nothing).
pub(crate) fn id_param() -> impl Fn() -> i64 + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.with(|p| p.get("id").and_then(|s| s.parse().ok()).unwrap_or(0))
}

/// Links between a community's governance pages, the current one marked.
#[component]
pub fn GovNav(community: GovCommunity, current: &'static str) -> impl IntoView {
    let key = community.key.clone();
    let link = move |rest: &'static str, label: &'static str| {
        let href = if rest.is_empty() {
            format!("/c/{key}")
        } else {
            gov_path(&key, rest)
        };
        let class = if rest == current { "current" } else { "" };
        let aria = (rest == current).then_some("page");
        view! { <a href=href class=class aria-current=aria>{label}</a> }
    };
    view! {
        <nav class="tabs gov" aria-label="Governance">
            {link("", "Community")}
            {link("rules", "Rules")}
            {link("rules/history", "History")}
            {link("proposals", "Proposals")}
            {community.is_moderator.then(|| link("governance", "Governance settings"))}
        </nav>
    }
}

/// How a kind of proposal reads.
pub fn kind_label(kind: &str) -> &'static str {
    match kind {
        "rule_change" => "Rule change",
        "decision" => "Decision",
        "election" => "Election",
        "poll" => "Poll",
        _ => "Proposal",
    }
}

/// How a voting method reads.
pub fn method_label(method: &str) -> &'static str {
    match method {
        "consent" => "Consent (agree / abstain / disagree / block)",
        "single_choice" => "Single choice",
        "approval" => "Multiple choice (approval)",
        "ranked" => "Ranked choice",
        "score" => "Score (0–5)",
        _ => "Unknown method",
    }
}

/// A proposal in a list: title link, kind, status, window and verdict.
#[component]
pub fn ProposalItem(key: String, p: ProposalRef) -> impl IntoView {
    let when = match p.status.as_str() {
        "scheduled" => format!("opens {} · closes {}", p.opens_at, p.closes_at),
        "open" => format!("closes {}", p.closes_at),
        _ => format!("closed {}", p.closes_at),
    };
    view! {
        <li class="proposal-item" data-status=p.status.clone()>
            <a href=proposal_path(&key, p.id) class="title">{p.title.clone()}</a>
            " "<span class="badge">{kind_label(&p.kind)}</span>
            " "<span class=format!("badge status-{}", p.status)>{p.status.clone()}</span>
            <span class="muted">{when}</span>
            {p.verdict.clone().map(|v| view! { <span class="verdict">{v}</span> })}
        </li>
    }
}

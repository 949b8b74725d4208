//! Filling in the governance forms as a browser with JavaScript off does, in community `garden`.

use commonhall::store;

use super::last_proposal;
use crate::page::{error_text, Browser, Reply};
use crate::TestInstance;

/// The page as shown, without the trailing scripts that carry its data.
pub fn shown(r: &Reply) -> &str {
    r.body.split("<script").next().unwrap_or(&r.body)
}

pub fn error_of(r: &Reply) -> String {
    error_text(shown(r)).unwrap_or_default()
}

fn in_an_hour() -> String {
    (store::now() + chrono::Duration::hours(1))
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

/// Posts the new-proposal form (`fields` on top of the terms every kind needs).
pub async fn propose(b: &Browser, kind: &str, fields: &[(&str, &str)]) -> Reply {
    let closes = in_an_hour();
    let mut all: Vec<(&str, &str)> = vec![
        ("key", "garden"),
        ("kind", kind),
        ("closes_at", &closes),
        ("ballot", "secret"),
        ("class_policy", "one_member_one_vote"),
    ];
    for (k, v) in fields {
        all.retain(|(x, _)| x != k);
        all.push((k, v));
    }
    b.submit_and_follow(
        &format!("/c/garden/proposals/new?kind={kind}"),
        "/_app/gov_create_proposal",
        &all,
    )
    .await
}

/// Posts the form, expects no error, and returns the page shown and the new proposal's id.
pub async fn propose_ok(
    i: &TestInstance,
    b: &Browser,
    kind: &str,
    fields: &[(&str, &str)],
) -> (Reply, i64) {
    let r = propose(b, kind, fields).await;
    assert_eq!(error_of(&r), "", "{}", shown(&r));
    let id = last_proposal(i).await.expect("a proposal was made");
    (r, id)
}

pub async fn vote(b: &Browser, id: i64, fields: &[(&str, &str)]) -> Reply {
    let ids = id.to_string();
    let mut all = vec![("key", "garden"), ("id", ids.as_str())];
    all.extend_from_slice(fields);
    b.submit_and_follow(&format!("/c/garden/proposals/{id}"), "/_app/gov_vote", &all)
        .await
}

/// The receipt shown on the page after voting.
pub fn receipt(r: &Reply) -> Option<String> {
    let html = shown(r);
    let start =
        html.find(r#"<code class="receipt-code">"#)? + r#"<code class="receipt-code">"#.len();
    let end = html[start..].find('<')? + start;
    Some(html[start..end].to_string())
}

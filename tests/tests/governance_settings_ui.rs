//! The governance settings and founding rules through the web UI with JavaScript off, on SQLite
//! and PostgreSQL: who may propose, extending a vote within the community's rule, and the
//! owner's founding rules.

use commonhall_tests::governance::form::{error_of, propose, propose_ok, shown};
use commonhall_tests::governance::{coop, proposal_count, signed_in, user};
use commonhall_tests::{on_both_backends, Db, TestInstance};
use reqwest::StatusCode;

async fn governance_settings_decide_who_may_propose(db: Db) {
    let i = TestInstance::start(db).await;
    coop(&i, "garden", "olga", &[("bob", "worker")]).await;
    let olga = signed_in(&i, "olga").await;
    let bob = signed_in(&i, "bob").await;
    let page = bob.get("/c/garden/governance").await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(olga
        .get("/c/garden/proposals")
        .await
        .body
        .contains("Governance settings"));
    let save = |extra: &'static [(&'static str, &'static str)]| {
        let mut fields = vec![
            ("key", "garden"),
            ("proposers", "only"),
            ("roles[moderator]", "on"),
        ];
        fields.extend_from_slice(extra);
        let b = &olga;
        async move {
            b.submit_and_follow("/c/garden/governance", "/_app/gov_update_settings", &fields)
                .await
        }
    };
    let r = save(&[("allow_extension", "on"), ("max_extension_hours", "0")]).await;
    assert!(error_of(&r).contains("hours"), "{}", error_of(&r));
    let r = save(&[("allow_extension", "on"), ("max_extension_hours", "48")]).await;
    assert!(
        shown(&r).contains("The governance settings are saved."),
        "{}",
        shown(&r)
    );
    let list = bob.get("/c/garden/proposals").await;
    assert!(
        shown(&list).contains("Only moderators may make proposals in this community."),
        "{}",
        shown(&list)
    );
    let r = propose(
        &bob,
        "decision",
        &[("title", "Mine"), ("method", "consent")],
    )
    .await;
    assert!(error_of(&r).contains("Only moderators"), "{}", error_of(&r));
    let (r, id) = propose_ok(
        &i,
        &olga,
        "decision",
        &[("title", "Paint the shed"), ("method", "single_choice")],
    )
    .await;
    assert!(shown(&r).contains("motion: for / against / abstain"));
    assert_eq!(proposal_count(&i).await, 1);

    // Extending: moderators only, and only as far as the rule allowed when it was proposed.
    let page = format!("/c/garden/proposals/{id}");
    assert!(!shown(&bob.get(&page).await).contains("Extend the vote"));
    assert!(shown(&r).contains("Extend the vote"));
    let closes = i
        .db(move |c| {
            commonhall::domain::governance::proposals::get(c, id)
                .unwrap()
                .closes_at
        })
        .await;
    let extend = |to: chrono::NaiveDateTime| {
        let (b, page) = (&olga, page.clone());
        let to = to.format("%Y-%m-%d %H:%M:%S").to_string();
        async move {
            b.submit_and_follow(
                &page,
                "/_app/gov_extend",
                &[
                    ("key", "garden"),
                    ("id", &id.to_string()),
                    ("closes_at", &to),
                ],
            )
            .await
        }
    };
    let r = extend(closes + chrono::Duration::hours(49)).await;
    assert!(
        error_of(&r).contains("extended at most until"),
        "{}",
        error_of(&r)
    );
    let r = extend(closes + chrono::Duration::hours(2)).await;
    assert!(shown(&r).contains("The vote is extended."), "{}", shown(&r));
    let now_closes = i
        .db(move |c| {
            commonhall::domain::governance::proposals::get(c, id)
                .unwrap()
                .closes_at
        })
        .await;
    assert_eq!(
        now_closes.format("%H:%M:%S").to_string(),
        (closes + chrono::Duration::hours(2))
            .format("%H:%M:%S")
            .to_string()
    );
    i.stop().await;
}

async fn owners_write_founding_rules_once(db: Db) {
    let i = TestInstance::start(db).await;
    user(&i, "olga", true).await;
    user(&i, "bob", false).await;
    let olga = signed_in(&i, "olga").await;
    let bob = signed_in(&i, "bob").await;
    let made = olga
        .submit_and_follow(
            "/communities",
            "/_app/create_community",
            &[
                ("name", "garden"),
                ("title", "Garden co-op"),
                ("description", ""),
                ("join_policy", "open"),
                ("classes", "worker"),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", shown(&made));
    let page = bob.get("/c/garden/rules").await;
    assert!(shown(&page).contains("No rules yet."));
    assert!(
        !shown(&page).contains("Write the founding rules"),
        "only the owner founds"
    );
    let found = |text: &'static str| {
        let b = &olga;
        async move {
            b.submit_and_follow(
                "/c/garden/rules",
                "/_app/gov_found_rules",
                &[("key", "garden"), ("rules", text)],
            )
            .await
        }
    };
    let r = found("Be kind to each other.").await;
    assert!(error_of(&r).contains("## Title"), "{}", error_of(&r));
    let r =
        found("## Be kind\nTreat every member with **respect**.\n\n## Share tools\nBy dusk.").await;
    let html = shown(&r);
    assert!(
        html.contains("Version 1") && html.contains("2. Share tools"),
        "{html}"
    );
    assert!(html.contains("<strong>respect</strong>"), "{html}");
    assert!(
        !html.contains("Write the founding rules"),
        "founding happens once"
    );
    i.stop().await;
}

on_both_backends!(
    governance_settings_decide_who_may_propose,
    owners_write_founding_rules_once,
);

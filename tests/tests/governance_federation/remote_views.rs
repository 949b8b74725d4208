//! What A shows of a community on B: A counts the community's open proposals from the
//! `Question`s it received (on the community's page, in the communities list, in the network
//! view and in the API), and stops counting one when its close arrives.

use commonhall::domain::governance::tally::Method;
use commonhall::domain::governance::Status;
use commonhall::store::{self, schema};
use commonhall_tests::governance::close_now;
use commonhall_tests::network::Network;
use commonhall_tests::{on_both_backends, Db, TestInstance};
use diesel::prelude::*;
use serde_json::Value;

use super::receipts::{form, open};
use super::{community, copy_on, join, user, wait_member};

/// The pages of A that show community `key`, each with the counts line of that community.
async fn counts_lines(a: &TestInstance, key: &str) -> Vec<String> {
    let client = a.client();
    let mut lines = Vec::new();
    for (path, list) in [
        (format!("/c/{key}"), false),
        ("/communities".into(), true),
        ("/network".into(), true),
    ] {
        let html = client.get(&path).await.body;
        // The counts line of this community: in a list, the first one after its link.
        let after = match list {
            false => &html[..],
            true => html
                .find(&format!("href=\"/c/{key}\""))
                .map_or("", |at| &html[at..]),
        };
        let line = after
            .split("class=\"muted counts\">")
            .nth(1)
            .and_then(|rest| rest.split('<').next())
            .unwrap_or_else(|| panic!("no counts for {key} on {path}: {html}"));
        lines.push(format!("{path}: {line}"));
    }
    lines
}

async fn open_count_api(a: &TestInstance, key: &str) -> Value {
    let body: Value = reqwest::Client::new()
        .get(a.url(&format!("/api/v1/communities/{key}")))
        .send()
        .await
        .expect("community")
        .json()
        .await
        .expect("JSON");
    body["open_proposals"].clone()
}

async fn remote_open_counts(db: Db) {
    let net = Network::start(2, db).await;
    let (a, b) = (&net.instances[0], &net.instances[1]);
    let (music, bella) = community(b, "music").await;
    let ann = user(a, "ann").await;
    let key = format!("music@{}", b.host());
    let music_on_a = commonhall::federation::resolve::community(&key, &a.fed())
        .await
        .expect("resolve music@b");
    join(a, music_on_a, ann).await;
    wait_member(a, music_on_a, ann).await;
    // A follows B's instance, so the community is in A's network view too.
    commonhall::federation::network::follow_instance(b.host(), &a.fed())
        .await
        .expect("follow B");
    let lines = counts_lines(a, &key).await;
    assert!(
        lines.iter().all(|l| l.ends_with("0 open proposals")),
        "{lines:?}"
    );

    let van = open(b, music, bella, form("Buy a van", Method::Consent, &[])).await;
    let day = open(b, music, bella, form("Market day", Method::Consent, &[])).await;
    for p in [&van, &day] {
        copy_on(a, &p.ap_id, |_| true).await;
    }
    let lines = counts_lines(a, &key).await;
    assert!(
        lines.iter().all(|l| l.ends_with("2 open proposals")),
        "{lines:?}"
    );
    assert_eq!(open_count_api(a, &key).await, 2);

    // The van closes on B: A hears of it and no longer counts it.
    close_now(b, van.id).await;
    copy_on(a, &van.ap_id, |p| p.status == Status::Closed).await;
    let lines = counts_lines(a, &key).await;
    assert!(
        lines.iter().all(|l| l.ends_with("1 open proposal")),
        "{lines:?}"
    );
    assert_eq!(open_count_api(a, &key).await, 1);
    // A copy past its close time counts no more, even before its close arrives.
    let day_ap = day.ap_id.clone();
    a.db(move |c| {
        use schema::proposals::dsl::*;
        diesel::update(proposals.filter(ap_id.eq(day_ap)))
            .set(closes_at.eq(store::now()))
            .execute(c)
            .expect("move the close")
    })
    .await;
    assert_eq!(open_count_api(a, &key).await, 0);

    net.stop().await;
}

on_both_backends!(remote_open_counts);

//! What A shows of a community on B, and what B serves for Lemmy: A counts the community's open
//! proposals from the `Question`s it received (on the community's page, in the communities list,
//! in the network view and in the API), and stops counting one when its close arrives; the short
//! `Page` B announced for each proposal can be fetched at its id (ActivityPub JSON, and a
//! redirect to the proposal's page for browsers).

use commonhall::domain::governance::tally::Method;
use commonhall::domain::governance::Status;
use commonhall::store::{self, schema};
use commonhall_tests::governance::close_now;
use commonhall_tests::network::{eventually, Network};
use commonhall_tests::{on_both_backends, Db, TestInstance};
use diesel::prelude::*;
use reqwest::StatusCode;
use serde_json::Value;

use super::receipts::{form, open};
use super::{community, copy_on, members_from, user};

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

/// GET `url` (an address on `i`) without following redirects.
async fn get(i: &TestInstance, url: &str, accept: &str) -> reqwest::Response {
    let path = url::Url::parse(url).expect("URL").path().to_string();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
        .get(i.url(&path))
        .header("accept", accept)
        .send()
        .await
        .expect("GET")
}

/// The `Page`s B queued inside `Announce`s, by id.
async fn announced_pages(b: &TestInstance) -> Vec<Value> {
    let bodies: Vec<String> = b
        .db(|c| {
            schema::outgoing_activities::table
                .filter(schema::outgoing_activities::body.like("%\"type\":\"Announce\"%"))
                .select(schema::outgoing_activities::body)
                .load(c)
                .expect("outgoing")
        })
        .await;
    bodies
        .iter()
        .filter_map(|b| serde_json::from_str::<Value>(b).ok())
        .map(|a| a["object"]["object"].clone())
        .filter(|o| o["type"] == "Page")
        .collect()
}

async fn remote_open_counts_and_notice_pages(db: Db) {
    let net = Network::start(2, db).await;
    let (a, b) = (&net.instances[0], &net.instances[1]);
    let (music, bella) = community(b, "music").await;
    let ann = user(a, "ann").await;
    let (key, _) = members_from(a, b, "music", &[ann]).await;
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

    // The Pages B announced for Lemmy: the van's proposal and its result, the market day's
    // proposal; each id serves the Page as it stands now.
    let pages = eventually(10, "the announced Pages", || async {
        let pages = announced_pages(b).await;
        (pages.len() == 3).then_some(pages)
    })
    .await;
    let van_page = format!("{}/page", van.ap_id);
    for page in &pages {
        let id = page["id"].as_str().expect("Page id");
        assert!(
            id == van_page || id == format!("{}/page", day.ap_id),
            "{id}"
        );
        let r = get(b, id, "application/activity+json").await;
        assert_eq!(r.status(), StatusCode::OK, "{id}");
        assert!(r.headers()["content-type"]
            .to_str()
            .is_ok_and(|t| t.starts_with("application/activity+json")));
        let served: Value = r.json().await.expect("JSON");
        assert_eq!(served["type"], "Page");
        assert_eq!(served["id"], page["id"]);
        assert_eq!(served["attributedTo"], page["attributedTo"]);
        let expected = if id == van_page {
            "Result: Buy a van"
        } else {
            "Proposal: Market day"
        };
        assert_eq!(served["name"], expected);
    }
    let r = get(b, &van_page, "text/html").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        r.headers()["location"],
        format!("/c/music/proposals/{}", van.id).as_str()
    );
    let proposal_page = b
        .client()
        .get(&format!("/c/music/proposals/{}", van.id))
        .await;
    assert!(proposal_page.body.contains("Buy a van"));
    // Nothing is served for proposals that are not there.
    for missing in [
        format!("/c/music/proposals/{}/page", day.id + 100),
        format!("/c/nowhere/proposals/{}/page", van.id),
    ] {
        let r = get(b, &b.url(&missing), "application/activity+json").await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{missing}");
    }
    net.stop().await;
}

on_both_backends!(remote_open_counts_and_notice_pages);

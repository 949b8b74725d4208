//! Receipts of members voting from another instance: ann, on A, votes in A's web UI on two
//! proposals of a community on B (a consent decision, changed once, and an approval poll sent as
//! one Note per option). A shows her a receipt; the votes carry its hash (`coop:receipt`) and B
//! counts each ballot under it, so after the close B's published count lists her latest receipt
//! and A's "Check a receipt" (web UI and API) finds it, and not the replaced one. A malformed
//! receipt hash, or one that is another ballot's, is refused and changes nothing; the same
//! choice sent again with a new receipt hash is counted under the new one.

use commonhall::domain::governance::ballots::receipt_hash;
use commonhall::domain::governance::proposals::{self, Proposal, ProposalContent, ProposalForm};
use commonhall::domain::governance::tally::{BallotChoice, ConsentChoice, Method};
use commonhall::domain::governance::Status;
use commonhall::store;
use commonhall_tests::governance::form::{receipt, shown};
use commonhall_tests::governance::{as_recorded, close_now, signed_in};
use commonhall_tests::network::{eventually, Network};
use commonhall_tests::page::{Browser, Reply};
use commonhall_tests::{on_both_backends, Db, TestInstance};
use serde_json::json;

use super::{
    actor_on, ballot_of, community, consent, copy_on, join, mastodon_vote, members_from,
    rule_change, send_raw, user,
};

/// A secret-ballot decision (`options` empty) or poll decided by `method`, closing in an hour.
pub(super) fn form(title: &str, method: Method, options: &[&str]) -> ProposalForm {
    ProposalForm {
        title: title.into(),
        body: "Say what you think.".into(),
        content: if options.is_empty() {
            ProposalContent::Decision
        } else {
            ProposalContent::Poll {
                options: options.iter().map(|o| o.to_string()).collect(),
                seats: 1,
            }
        },
        method,
        ..rule_change(store::now() + chrono::Duration::hours(1))
    }
}

/// Opens a proposal of community `community` (owned by `owner`) on `b`.
pub(super) async fn open(
    b: &TestInstance,
    community: i64,
    owner: i64,
    f: ProposalForm,
) -> Proposal {
    let (publisher, instance) = (b.state.publisher.clone(), b.state.instance.clone());
    b.db(move |c| proposals::create(c, &*publisher, &instance, community, owner, &f))
        .await
        .expect("proposal")
}

/// Votes in the web UI on proposal `id` of community `key`; returns the page shown after.
async fn vote_ui(who: &Browser, key: &str, id: i64, fields: &[(&str, &str)]) -> Reply {
    let ids = id.to_string();
    let mut all = vec![("key", key), ("id", ids.as_str())];
    all.extend_from_slice(fields);
    who.submit_and_follow(&format!("/c/{key}/proposals/{id}"), "/_app/gov_vote", &all)
        .await
}

/// Every receipt hash a community's instance publishes for its closed proposal `ap_id`, read
/// page by page as a peer would (checking the collection's shape on the way).
pub(super) async fn published(on: &TestInstance, ap_id: &str) -> Vec<String> {
    let get = |url: String| async move {
        // The test's own client does not know the instances' host names.
        let path = url
            .strip_prefix(&format!("http://{}", on.host()))
            .expect("a URL on the community's instance")
            .to_owned();
        let doc: serde_json::Value = reqwest::Client::new()
            .get(on.url(&path))
            .header("accept", "application/activity+json")
            .send()
            .await
            .expect("receipts")
            .error_for_status()
            .expect("a published list")
            .json()
            .await
            .expect("JSON");
        doc
    };
    let collection = get(format!("{ap_id}/receipts")).await;
    assert_eq!(collection["type"], "OrderedCollection");
    let total = collection["totalItems"].as_u64().expect("totalItems") as usize;
    let mut hashes = Vec::new();
    let mut next = collection["first"].as_str().map(str::to_owned);
    while let Some(url) = next {
        let page = get(url).await;
        assert_eq!(page["type"], "OrderedCollectionPage");
        assert_eq!(
            page["partOf"].as_str(),
            Some(format!("{ap_id}/receipts").as_str())
        );
        let items = page["orderedItems"].as_array().expect("orderedItems");
        hashes.extend(items.iter().map(|h| h.as_str().expect("a hash").to_owned()));
        next = page["next"].as_str().map(str::to_owned);
    }
    assert_eq!(hashes.len(), total, "the pages hold totalItems hashes");
    for before_the_first in ["0", "-1"] {
        let status = reqwest::Client::new()
            .get(on.url(&format!(
                "{}/receipts?page={before_the_first}",
                ap_id
                    .strip_prefix(&format!("http://{}", on.host()))
                    .expect("a URL on the community's instance")
            )))
            .header("accept", "application/activity+json")
            .send()
            .await
            .expect("receipts page")
            .status();
        assert_eq!(
            status,
            reqwest::StatusCode::NOT_FOUND,
            "page {before_the_first}"
        );
    }
    let mut sorted = hashes.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted, hashes, "in order, each once");
    hashes
}

/// What A's "Check a receipt" form answers.
async fn check_ui(who: &Browser, key: &str, id: i64, code: &str) -> String {
    let ids = id.to_string();
    let r = who
        .submit_and_follow(
            &format!("/c/{key}/proposals/{id}"),
            "/_app/gov_check_receipt",
            &[("key", key), ("id", &ids), ("receipt", code)],
        )
        .await;
    shown(&r).to_string()
}

async fn receipts_of_remote_voters(db: Db) {
    let net = Network::start(2, db).await;
    let (a, b) = (&net.instances[0], &net.instances[1]);
    let (music, bella) = community(b, "music").await;
    let bob = user(b, "bob").await;
    join(b, music, bob).await;
    let (ann, finn) = (user(a, "ann").await, user(a, "finn").await);
    let (key, music_on_a) = members_from(a, b, "music", &[ann, finn]).await;
    let van = open(b, music, bella, form("Buy a van", Method::Consent, &[])).await;
    let days = ["Mon", "Tue", "Wed"];
    let day = open(b, music, bella, form("Market day", Method::Approval, &days)).await;
    let van_on_a = copy_on(a, &van.ap_id, |_| true).await.id;
    let day_on_a = copy_on(a, &day.ap_id, |_| true).await.id;
    let ann_on_b = actor_on(b, a.state.instance.person_id("ann"))
        .await
        .expect("ann on B");

    // Ann votes in A's UI, changes her mind, and votes on the poll: a receipt each time.
    let browser = signed_in(a, "ann").await;
    let r = vote_ui(&browser, &key, van_on_a, &[("choice", "disagree")]).await;
    let first = receipt(&r).expect("a receipt for ann's vote");
    assert!(
        shown(&r).contains("went to the community's own instance"),
        "{}",
        shown(&r)
    );
    eventually(30, "ann's first ballot on B", || async {
        (ballot_of(b, van.id, ann_on_b).await == Some(consent(ConsentChoice::Disagree)))
            .then_some(())
    })
    .await;
    let r = vote_ui(&browser, &key, van_on_a, &[("choice", "agree")]).await;
    let latest = receipt(&r).expect("a new receipt for the changed vote");
    assert_ne!(first, latest);
    let r = vote_ui(
        &browser,
        &key,
        day_on_a,
        &[("approve[0]", "on"), ("approve[2]", "on")],
    )
    .await;
    let poll_receipt = receipt(&r).expect("a receipt for the poll");
    eventually(30, "ann's ballots on B", || async {
        let van_ok = ballot_of(b, van.id, ann_on_b).await == Some(consent(ConsentChoice::Agree));
        let day_ok =
            ballot_of(b, day.id, ann_on_b).await == Some(BallotChoice::Approval(vec![0, 2]));
        (van_ok && day_ok).then_some(())
    })
    .await;

    // Finn's instance sends receipt hashes B must refuse: malformed, or ann's.
    let group = b.state.instance.community_id("music");
    let finn_url = a.state.instance.person_id("finn");
    let finn_on_b = actor_on(b, finn_url.clone()).await.expect("finn on B");
    let with_receipt = |n: u32, receipt: String| {
        let mut v = mastodon_vote(&finn_url, n, &van.ap_id, &group, "Agree");
        v["object"]["coop:receipt"] = json!(receipt);
        v
    };
    for (n, bad) in [(1, "NOT-A-RECEIPT".to_string()), (2, receipt_hash(&latest))] {
        send_raw(a, finn, music_on_a, with_receipt(n, bad)).await;
        assert_eq!(ballot_of(b, van.id, finn_on_b).await, None, "vote {n}");
    }
    let first_code = "finn's first code";
    send_raw(
        a,
        finn,
        music_on_a,
        with_receipt(3, receipt_hash(first_code)),
    )
    .await;
    assert_eq!(
        ballot_of(b, van.id, finn_on_b).await,
        Some(consent(ConsentChoice::Agree))
    );
    // The same choice again with a new receipt: the ballot is counted under the new one.
    let finn_code = "finn's second code";
    send_raw(
        a,
        finn,
        music_on_a,
        with_receipt(4, receipt_hash(finn_code)),
    )
    .await;

    // B closes both and publishes the counted receipts at <proposal>/receipts; the close that
    // reaches A names that list, and A's copy has the same count.
    let van_b = close_now(b, van.id).await.result.expect("van counted");
    let day_b = close_now(b, day.id).await.result.expect("poll counted");
    assert_eq!(van_b.outcome.turnout.ballots, 2);
    let van_list = published(b, &van.ap_id).await;
    let day_list = published(b, &day.ap_id).await;
    let listed = |list: &[String], code: &str| list.contains(&receipt_hash(code));
    assert!(listed(&van_list, &latest) && listed(&van_list, finn_code));
    assert!(
        !listed(&van_list, &first),
        "a replaced receipt is not counted"
    );
    assert!(!listed(&van_list, first_code));
    assert!(listed(&day_list, &poll_receipt));
    for (proposal, count) in [(&van, van_b), (&day, day_b)] {
        let copy = copy_on(a, &proposal.ap_id, |p| p.status == Status::Closed).await;
        let copied = copy.result.expect("the count reached A");
        assert_eq!(as_recorded(copied, &proposal.ap_id), count);
    }

    // On A, ann checks her receipts against the count B published: in the UI…
    let counted = "the ballot was counted";
    let page = check_ui(&browser, &key, van_on_a, &latest).await;
    assert!(page.contains(counted), "{page}");
    let page = check_ui(&browser, &key, van_on_a, &first).await;
    assert!(page.contains("is not in the published count"), "{page}");
    let page = check_ui(&browser, &key, day_on_a, &poll_receipt).await;
    assert!(page.contains(counted), "{page}");
    // …and in the API, which anyone may ask.
    for (id, code, expected) in [(van_on_a, &latest, true), (day_on_a, &first, false)] {
        let answer: serde_json::Value = reqwest::Client::new()
            .post(a.url(&format!("/api/v1/communities/{key}/proposals/{id}/receipt")))
            .json(&json!({ "receipt": code }))
            .send()
            .await
            .expect("receipt check")
            .json()
            .await
            .expect("JSON");
        assert_eq!(answer, json!({"counted": expected, "final": true}));
    }
    net.stop().await;
}

on_both_backends!(receipts_of_remote_voters);

//! A count too big for one activity: 2,500 members of a community on B vote (2,499 inserted
//! straight into B's store, and ann from A through A), and B closes the vote. The close that
//! reaches A names B's list of counted receipts instead of carrying it; B serves it in pages of
//! 1,000 and A reads every page, so ann checks her receipt on A. A's copy that lost the list
//! fetches it again when someone checks a receipt.

use commonhall::domain::governance::ballots;
use commonhall::domain::governance::receipts::PAGE_SIZE;
use commonhall::domain::governance::tally::{ConsentChoice, Method};
use commonhall::domain::governance::{Cast, Status};
use commonhall::store::counted_receipts;
use commonhall_tests::governance::close_now;
use commonhall_tests::governance::crowd;
use commonhall_tests::network::{eventually, Network};
use commonhall_tests::{on_both_backends, Db, TestInstance};
use serde_json::json;

use super::receipts::{form, open, published};
use super::{ballot_count, community, consent, copy_on, members_from, user, vote};

const CROWD: usize = 2_499;

/// How many counted receipts `i` holds for proposal `id`.
async fn stored(i: &TestInstance, id: i64) -> i64 {
    i.db(move |c| counted_receipts::count(c, id).expect("count"))
        .await
}

/// What A's API answers to a receipt check on proposal `id` of community `key`.
async fn check(i: &TestInstance, key: &str, id: i64, receipt: &str) -> serde_json::Value {
    reqwest::Client::new()
        .post(i.url(&format!("/api/v1/communities/{key}/proposals/{id}/receipt")))
        .json(&json!({ "receipt": receipt }))
        .send()
        .await
        .expect("receipt check")
        .json()
        .await
        .expect("JSON")
}

async fn receipts_in_pages(db: Db) {
    let net = Network::start(2, db).await;
    let (a, b) = (&net.instances[0], &net.instances[1]);
    let (music, bella) = community(b, "music").await;
    let ann = user(a, "ann").await;
    let (key, _) = members_from(a, b, "music", &[ann]).await;
    let crowd = crowd::members(b, music, bella, "crowd.test", CROWD, &["member"]).await;

    let van = open(b, music, bella, form("Buy a van", Method::Consent, &[])).await;
    let van_on_a = copy_on(a, &van.ap_id, |_| true).await.id;
    let receipt = match vote(a, van_on_a, ann, consent(ConsentChoice::Agree)).await {
        Ok(Cast::Counted { receipt, .. }) => receipt,
        other => panic!("ann's vote: {other:?}"),
    };
    let id = van.id;
    b.db(move |c| {
        for voter in crowd {
            let choice = consent(ConsentChoice::Agree);
            ballots::cast(c, id, voter, &choice, None).expect("a crowd ballot");
        }
    })
    .await;
    eventually(40, "ann's ballot reaches B", || async {
        (ballot_count(b, van.id).await == CROWD as i64 + 1).then_some(())
    })
    .await;

    let closed = close_now(b, van.id).await;
    let ballots_counted = CROWD + 1;
    assert_eq!(
        closed.result.expect("counted").outcome.turnout.ballots,
        ballots_counted as u64
    );
    let list = published(b, &van.ap_id).await;
    assert_eq!(list.len(), ballots_counted);
    assert!(list.contains(&ballots::receipt_hash(&receipt)));
    assert_eq!(
        ballots_counted.div_ceil(PAGE_SIZE as usize),
        3,
        "the list spans several pages"
    );

    // A's copy closes and fetches the whole list.
    copy_on(a, &van.ap_id, |p| p.status == Status::Closed).await;
    eventually(40, "A fetches the counted receipts", || async {
        (stored(a, van_on_a).await == ballots_counted as i64).then_some(())
    })
    .await;
    let answer = check(a, &key, van_on_a, &receipt).await;
    assert_eq!(answer, json!({"counted": true, "final": true}));
    let answer = check(a, &key, van_on_a, "not ann's code").await;
    assert_eq!(answer, json!({"counted": false, "final": true}));

    // Lost (say the fetch failed): a receipt check fetches the list again.
    a.db(move |c| counted_receipts::replace(c, van_on_a, &[]).expect("forget"))
        .await;
    let answer = check(a, &key, van_on_a, &receipt).await;
    assert_eq!(answer, json!({"counted": true, "final": true}));
    assert_eq!(stored(a, van_on_a).await, ballots_counted as i64);
    net.stop().await;
}

on_both_backends!(receipts_in_pages);

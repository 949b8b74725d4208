//! The inbox's bound on work accepted but not yet applied: when every place
//! in the background queue is taken, a correctly signed activity is answered
//! 503 with `Retry-After` (and nothing is recorded), so its sender retries;
//! once there is room, the same request is accepted and applied. A repeat
//! is answered 202 and applied once.

// The benches' signer (as activitypub_federation signs); this test uses part of it.
#[allow(dead_code)]
#[path = "../benches/common/signing.rs"]
mod signing;

use std::net::SocketAddr;
use std::time::Duration;

use commonhall::store::{self, actors};
use commonhall_tests::network::{eventually, Network};
use commonhall_tests::setup::{community, user};
use commonhall_tests::{Db, TestInstance};

/// A `Follow` from `actor` to `object`, signed as activitypub_federation
/// signs: (body, headers).
fn signed_follow(
    target: &TestInstance,
    actor: &str,
    key: &rsa::RsaPrivateKey,
    object: &str,
) -> (String, Vec<(&'static str, String)>) {
    let host = target.host().to_string();
    let body = serde_json::json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{actor}/follows/{}", uuid::Uuid::new_v4()),
        "type": "Follow",
        "actor": actor,
        "object": object,
        "to": [object],
    })
    .to_string();
    let date = signing::http_date();
    let digest = signing::digest_header(body.as_bytes());
    let sig = signing::rsa_sign(
        key,
        &signing::signing_string("/inbox", &host, &date, &digest),
    );
    let headers = vec![
        ("content-type", "application/activity+json".to_string()),
        ("date", date),
        ("digest", digest),
        ("signature", signing::signature_header(actor, &sig)),
    ];
    (body, headers)
}

async fn post(
    client: &reqwest::Client,
    target: &TestInstance,
    (body, headers): &(String, Vec<(&'static str, String)>),
) -> reqwest::Response {
    let mut req = client
        .post(format!("http://{}/inbox", target.host()))
        .body(body.clone());
    for (k, v) in headers {
        req = req.header(*k, v);
    }
    req.send().await.expect("inbox answers")
}

async fn follow_count(i: &TestInstance, community: i64) -> usize {
    i.db(move |c| {
        store::follows::remote_followers(c, community)
            .expect("followers")
            .len()
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_inbox_queue_answers_503_with_retry_after() {
    let net = Network::start(2, Db::Sqlite).await;
    let (a, b) = (&net.instances[0], &net.instances[1]);
    let owner = user(a, "olga", false).await;
    let garden = community(a, owner, "garden", "open").await;
    let garden_url = a.state.instance.community_id("garden");
    let (_, bruno_actor) = user(b, "bruno", false).await;
    let bruno = b
        .db(move |c| actors::by_id(c, bruno_actor).expect("bruno's actor"))
        .await;
    let key = signing::private_key(bruno.private_key_pem.as_deref().expect("key"));
    let name = a.host().split(':').next().expect("host name");
    let client = reqwest::Client::builder()
        .resolve(name, SocketAddr::new(a.settings.bind.ip(), 0))
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client");

    // Every place taken: refused for now, with a hint when to come back.
    let slots = a.state.inbox.occupy_all();
    assert!(!slots.is_empty());
    let request = signed_follow(a, &bruno.ap_id, &key, &garden_url);
    let res = post(&client, a, &request).await;
    assert_eq!(res.status().as_u16(), 503, "a full queue");
    let retry_after = res
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u32>().ok());
    assert!(
        retry_after.is_some_and(|s| s > 0),
        "Retry-After in seconds: {:?}",
        res.headers()
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(follow_count(a, garden).await, 0, "nothing was recorded");

    // Room again: the sender's retry is accepted and applied.
    drop(slots);
    let res = post(&client, a, &request).await;
    assert_eq!(res.status().as_u16(), 202, "accepted once there is room");
    eventually(30, "the follow recorded", || async {
        (follow_count(a, garden).await == 1).then_some(())
    })
    .await;
    // The place is given back when the handler returns, a moment after its commit.
    eventually(5, "its place was given back", || async {
        (a.state.inbox.in_flight() == 0).then_some(())
    })
    .await;

    // The same request again: accepted and not applied twice.
    let res = post(&client, a, &request).await;
    assert_eq!(res.status().as_u16(), 202, "a repeat");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(follow_count(a, garden).await, 1);
    net.stop().await;
}

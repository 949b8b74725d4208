//! HTTP signatures against an independent implementation of
//! draft-cavage-http-signatures (the PyPI library `httpsig`, driven by
//! `tests/scripts/httpsig_interop.py`), in both directions:
//! - requests signed by Python are accepted by a real instance's inbox, and
//!   every way of getting them wrong is refused with a 4xx, recording nothing;
//! - what an instance delivers verifies with Python against the sending
//!   community's public key, and stops verifying once a byte is changed.
//!
//! Needs `python3` with `httpsig` (`pip install httpsig`): without them these
//! tests fail, they never skip.

use std::collections::BTreeMap;
use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use commonhall::domain::accounts::{self, CreatedBy, Registration};
use commonhall::domain::communities::membership::{self, JoinRequest};
use commonhall::domain::communities::{self, follow, CommunityForm};
use commonhall::federation::objects::actor::{store_remote, ActorDocument};
use commonhall::store::{self, actors};
use commonhall_tests::network::{eventually, Network};
use commonhall_tests::setup::new_post;
use commonhall_tests::{Db, TestInstance};
use serde_json::{json, Value};

const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/httpsig_interop.py");

/// Runs the Python side (`sign` or `verify`) on one request or a list.
fn python_blocking(action: &str, input: &Value) -> Value {
    let mut child = Command::new("python3")
        .arg(SCRIPT)
        .arg(action)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "these tests need `python3` with the PyPI library `httpsig` \
                 (pip install httpsig), to check our HTTP signatures against an \
                 independent implementation; starting python3 failed: {e}"
            )
        });
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.to_string().as_bytes())
        .expect("write to python3");
    let out = child.wait_with_output().expect("python3 runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{SCRIPT} {action} failed ({}): {stderr}{}",
        out.status,
        if out.status.code() == Some(3) {
            "\n(install it with `pip install httpsig`)"
        } else {
            ""
        }
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{SCRIPT} {action} printed no JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

async fn python(action: &'static str, input: Value) -> Value {
    tokio::task::spawn_blocking(move || python_blocking(action, &input))
        .await
        .expect("python task")
}

/// A client that resolves the instances' `*.test` names as they do.
fn client_for(instances: &[&TestInstance]) -> reqwest::Client {
    let mut builder = reqwest::Client::builder()
        .timeout(Duration::from_secs(40))
        .redirect(reqwest::redirect::Policy::none());
    for i in instances {
        let name = i.host().split(':').next().expect("host name");
        builder = builder.resolve(name, SocketAddr::new(i.settings.bind.ip(), 0));
    }
    builder.build().expect("reqwest client")
}

/// Creates a local user; returns (user id, actor id, actor URL).
async fn user(i: &TestInstance, name: &str) -> (i64, i64, String) {
    let inst = i.state.instance.clone();
    let name = name.to_string();
    let url = inst.person_id(&name);
    let (uid, aid) = i
        .db(move |c| {
            let reg = Registration {
                username: name,
                password: "tomato soup at noon".into(),
                display_name: None,
                application: None,
            };
            let u = accounts::register(c, &inst, &reg, CreatedBy::Admin { make_admin: false })
                .expect("user");
            (u.id, u.actor_id)
        })
        .await;
    (uid, aid, url)
}

/// Creates an open community; returns (community id, its actor URL).
async fn community(i: &TestInstance, owner: (i64, i64), name: &str) -> (i64, String) {
    let inst = i.state.instance.clone();
    let url = inst.community_id(name);
    let form = CommunityForm {
        name: name.into(),
        title: format!("The {name} co-op"),
        description: "We grow things.".into(),
        join_policy: "open".into(),
        classes: "worker, user".into(),
    };
    let id = i
        .db(move |c| {
            communities::create(c, &inst, owner.0, owner.1, &form)
                .expect("community")
                .id
        })
        .await;
    (id, url)
}

async fn actor_row(i: &TestInstance, ap_id: &str) -> Option<actors::Actor> {
    let ap_id = ap_id.to_string();
    i.db(move |c| actors::by_ap_id(c, &ap_id).expect("actor lookup"))
        .await
}

async fn private_key(i: &TestInstance, ap_id: &str) -> String {
    actor_row(i, ap_id)
        .await
        .expect("actor row")
        .private_key_pem
        .expect("a local actor has a private key")
}

async fn healthy(client: &reqwest::Client, i: &TestInstance) {
    let res = client
        .get(format!("http://{}/healthz", i.host()))
        .send()
        .await
        .expect("healthz answers");
    assert_eq!(res.status().as_u16(), 200, "healthz");
}

/// What Python's signer gives for a POST of `body` to `path` on `target`.
fn sign_request(target: &TestInstance, path: &str, key_id: &str, pem: &str, body: &str) -> Value {
    json!({
        "key_id": key_id,
        "private_key_pem": pem,
        "method": "POST",
        "path": path,
        "host": target.host(),
        "body": body,
    })
}

/// POSTs `body` with `headers` (Host comes from the URL); returns status and body.
async fn post(
    client: &reqwest::Client,
    target: &TestInstance,
    path: &str,
    headers: &Value,
    body: &str,
) -> (u16, String) {
    let mut req = client
        .post(format!("http://{}{}", target.host(), path))
        .body(body.to_string());
    if let Some(map) = headers.as_object() {
        for (k, v) in map {
            if k.eq_ignore_ascii_case("host") {
                continue;
            }
            req = req.header(k.as_str(), v.as_str().expect("header value"));
        }
    }
    let res = req.send().await.expect("inbox answers");
    let status = res.status().as_u16();
    (status, res.text().await.unwrap_or_default())
}

fn http_date(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

fn follow_activity(b: &TestInstance, actor: &str, object: &str) -> String {
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("http://{}/activities/follow/{}", b.host(), uuid::Uuid::new_v4()),
        "type": "Follow",
        "actor": actor,
        "object": object,
        "to": [object],
    })
    .to_string()
}

async fn python_signs_commonhall_verifies(db: Db) {
    let net = Network::start(2, db).await;
    let (a, b) = (&net.instances[0], &net.instances[1]);
    let client = client_for(&[a, b]);
    let olga = user(a, "olga").await;
    let (garden, garden_url) = community(a, (olga.0, olga.1), "garden").await;
    let bruno = user(b, "bruno").await.2;
    let mallory = user(b, "mallory").await.2;
    let bruno_pem = private_key(b, &bruno).await;
    let mallory_pem = private_key(b, &mallory).await;
    let bruno_key = format!("{bruno}#main-key");

    // Each way of getting it wrong, refused with a 4xx (never a 5xx).
    let mut refused: Vec<(&str, u16, String)> = Vec::new();
    let mut check = |what: &'static str, (status, body): (u16, String)| {
        println!("{what}: {status} {body}");
        refused.push((what, status, body));
    };

    // The body changed after signing: the Digest no longer matches.
    let signed_body = follow_activity(b, &bruno, &garden_url);
    let s = python(
        "sign",
        sign_request(a, "/inbox", &bruno_key, &bruno_pem, &signed_body),
    )
    .await;
    let tampered = follow_activity(b, &bruno, &garden_url);
    check(
        "body tampered after signing (digest mismatch)",
        post(&client, a, "/inbox", &s["headers"], &tampered).await,
    );
    // ... and with a Digest recomputed for the new body: the signature covers the old one.
    let t = python(
        "sign",
        sign_request(a, "/inbox", &bruno_key, &bruno_pem, &tampered),
    )
    .await;
    let mut headers = s["headers"].clone();
    headers["Digest"] = t["headers"]["Digest"].clone();
    check(
        "body tampered, Digest recomputed (signature mismatch)",
        post(&client, a, "/inbox", &headers, &tampered).await,
    );

    // Signed with another B user's key, under Bruno's keyId.
    let body = follow_activity(b, &bruno, &garden_url);
    let s = python(
        "sign",
        sign_request(a, "/inbox", &bruno_key, &mallory_pem, &body),
    )
    .await;
    check(
        "signed by a different key",
        post(&client, a, "/inbox", &s["headers"], &body).await,
    );

    // Correctly signed, but the Date is two hours off (either way).
    for (what, hours) in [("Date 2 hours old", -2), ("Date 2 hours in the future", 2)] {
        let body = follow_activity(b, &bruno, &garden_url);
        let mut req = sign_request(a, "/inbox", &bruno_key, &bruno_pem, &body);
        req["date"] = json!(http_date(
            chrono::Utc::now() + chrono::TimeDelta::hours(hours)
        ));
        let s = python("sign", req).await;
        check(what, post(&client, a, "/inbox", &s["headers"], &body).await);
    }

    // No signature at all (Date and Digest are right).
    let body = follow_activity(b, &bruno, &garden_url);
    let s = python(
        "sign",
        sign_request(a, "/inbox", &bruno_key, &bruno_pem, &body),
    )
    .await;
    let mut headers = s["headers"].clone();
    headers
        .as_object_mut()
        .expect("headers")
        .remove("Signature");
    check(
        "missing signature",
        post(&client, a, "/inbox", &headers, &body).await,
    );

    // Signed by Bruno, claiming to be Mallory's.
    let body = follow_activity(b, &mallory, &garden_url);
    let s = python(
        "sign",
        sign_request(a, "/inbox", &bruno_key, &bruno_pem, &body),
    )
    .await;
    check(
        "activity actor differs from the signer",
        post(&client, a, "/inbox", &s["headers"], &body).await,
    );

    // Signed for another inbox: (request-target) no longer matches.
    let body = follow_activity(b, &bruno, &garden_url);
    let s = python(
        "sign",
        sign_request(a, "/c/garden/inbox", &bruno_key, &bruno_pem, &body),
    )
    .await;
    check(
        "signed for /c/garden/inbox, sent to /inbox",
        post(&client, a, "/inbox", &s["headers"], &body).await,
    );

    // Unsigned garbage.
    let json_ct = json!({ "Content-Type": "application/activity+json" });
    for (what, body) in [
        ("unsigned garbage: not JSON", "{\"type\": \"Follow\", oops"),
        (
            "unsigned garbage: JSON without a type",
            "{\"hello\": \"world\"}",
        ),
        ("unsigned garbage: a JSON array", "[1, 2, 3]"),
        ("unsigned garbage: empty body", ""),
    ] {
        check(what, post(&client, a, "/inbox", &json_ct, body).await);
    }

    for (what, status, body) in &refused {
        assert!(
            (400..500).contains(status),
            "{what}: expected a 4xx refusal, got {status} {body}"
        );
    }
    // Nothing was recorded, not even after background processing.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let followers = a
        .db(move |c| store::follows::remote_followers(c, garden).expect("followers"))
        .await;
    assert!(
        followers.is_empty(),
        "refused requests recorded follows: {:?}",
        followers.iter().map(|f| &f.ap_id).collect::<Vec<_>>()
    );
    healthy(&client, a).await;

    // Done right: accepted with 202, and the follow is recorded.
    let body = follow_activity(b, &bruno, &garden_url);
    let follow_id = serde_json::from_str::<Value>(&body).expect("json")["id"]
        .as_str()
        .expect("id")
        .to_string();
    let s = python(
        "sign",
        sign_request(a, "/inbox", &bruno_key, &bruno_pem, &body),
    )
    .await;
    let signature = s["headers"]["Signature"].as_str().expect("signature");
    assert!(
        signature.contains(&format!("keyId=\"{bruno_key}\"")),
        "{signature}"
    );
    let (status, answer) = post(&client, a, "/inbox", &s["headers"], &body).await;
    println!("correctly signed Follow: {status} {answer}");
    assert_eq!(status, 202, "a correctly signed Follow: {answer}");
    let f = eventually(30, "the follow recorded on A", || async {
        let bruno_on_a = actor_row(a, &bruno).await?;
        a.db(move |c| store::follows::find(c, garden, bruno_on_a.id).expect("follow"))
            .await
    })
    .await;
    assert_eq!(f.status, "accepted");
    assert_eq!(f.follow_activity_id.as_deref(), Some(follow_id.as_str()));
    // The same request again: accepted, and ignored.
    let (status, answer) = post(&client, a, "/inbox", &s["headers"], &body).await;
    assert_eq!(status, 202, "a repeated activity: {answer}");
    healthy(&client, a).await;
    net.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_python_signed_requests_pass_and_forgeries_are_refused() {
    python_signs_commonhall_verifies(Db::Sqlite).await
}

/// GETs `path` as ActivityPub JSON with `headers` (a Python-signed set, or none).
async fn get_json(
    client: &reqwest::Client,
    target: &TestInstance,
    path: &str,
    headers: &Value,
) -> (u16, Value) {
    let mut req = client
        .get(format!("http://{}{}", target.host(), path))
        .header("accept", "application/activity+json");
    for (k, v) in headers.as_object().into_iter().flatten() {
        if !k.eq_ignore_ascii_case("host") && !k.eq_ignore_ascii_case("content-type") {
            req = req.header(k.as_str(), v.as_str().expect("header value"));
        }
    }
    let res = req.send().await.expect("an answer");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// The members collection: a count for everyone, the list only for a member asking with a
/// signed fetch (signed by Python's httpsig).
async fn members_are_listed_only_to_members(db: Db) {
    let net = Network::start(2, db).await;
    let (a, b) = (&net.instances[0], &net.instances[1]);
    let client = client_for(&[a, b]);
    let olga = user(a, "olga").await;
    let (garden, garden_url) = community(a, (olga.0, olga.1), "garden").await;
    let bruno = user(b, "bruno").await.2;
    let bruno_pem = private_key(b, &bruno).await;
    let mallory_pem = private_key(b, &user(b, "mallory").await.2).await;
    let path = "/c/garden/members";
    let signed = |pem: &str| {
        let mut req = sign_request(a, path, &format!("{bruno}#main-key"), pem, "");
        // As activitypub_federation signs fetches: the Digest of the empty body is signed too.
        req["method"] = json!("GET");
        req
    };

    let (status, count) = get_json(&client, a, path, &Value::Null).await;
    assert_eq!(status, 200, "{count}");
    assert_eq!(count["totalItems"], 1, "{count}");
    assert!(count.get("orderedItems").is_none(), "a count only: {count}");
    // Signed, but Bruno is not a member yet.
    let s = python("sign", signed(&bruno_pem)).await;
    let (status, body) = get_json(&client, a, path, &s["headers"]).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.get("orderedItems").is_none(), "not a member: {body}");

    // Bruno joins (open community; A knows his actor from the signed fetch).
    let bruno_row = actor_row(a, &bruno).await.expect("A stored Bruno's actor");
    let publisher = a.state.publisher.clone();
    a.db(move |c| {
        let join = JoinRequest {
            class: Some("worker".into()),
            application: None,
            activity_id: Some(format!("{}/activities/join/1", bruno_row.ap_id)),
        };
        membership::request_join(c, &*publisher, garden, bruno_row.id, &join).expect("joined")
    })
    .await;
    let s = python("sign", signed(&bruno_pem)).await;
    let (status, list) = get_json(&client, a, path, &s["headers"]).await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["type"], "OrderedCollection", "{list}");
    let olga_url = a.state.instance.person_id("olga");
    assert_eq!(list["orderedItems"], json!([olga_url, bruno]), "{list}");
    assert_eq!(list["id"], format!("{garden_url}/members"));

    // Under Bruno's key id but signed with Mallory's key, or too old: refused, no list.
    let s = python("sign", signed(&mallory_pem)).await;
    let (status, body) = get_json(&client, a, path, &s["headers"]).await;
    assert_eq!(status, 401, "forged: {body}");
    let mut old = signed(&bruno_pem);
    old["date"] = json!(http_date(chrono::Utc::now() - chrono::TimeDelta::hours(2)));
    let s = python("sign", old).await;
    let (status, body) = get_json(&client, a, path, &s["headers"]).await;
    assert!((400..500).contains(&status), "stale: {status} {body}");
    healthy(&client, a).await;
    net.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_members_are_listed_only_to_members() {
    members_are_listed_only_to_members(Db::Sqlite).await
}

/// One request as the sink received it.
#[derive(Clone, Debug)]
struct Captured {
    method: String,
    path: String,
    headers: BTreeMap<String, String>,
    body: String,
}

type Captures = Arc<Mutex<Vec<Captured>>>;

async fn record(req: HttpRequest, body: web::Bytes, seen: web::Data<Captures>) -> HttpResponse {
    let mut headers = BTreeMap::new();
    for (name, value) in req.headers() {
        headers.insert(
            name.as_str().to_string(),
            String::from_utf8_lossy(value.as_bytes()).into_owned(),
        );
    }
    let path = match req.uri().query() {
        Some(q) => format!("{}?{q}", req.uri().path()),
        None => req.uri().path().to_string(),
    };
    seen.lock().expect("captures").push(Captured {
        method: req.method().to_string(),
        path,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    });
    HttpResponse::Accepted().finish()
}

/// A verification request for Python.
fn verify_request(c: &Captured, public_key_pem: &str) -> Value {
    json!({
        "public_key_pem": public_key_pem,
        "method": c.method,
        "path": c.path,
        "headers": c.headers,
        "body": c.body,
    })
}

/// Changes one character in the middle of `s`.
fn flip_one(s: &str) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    let i = chars.len() / 2;
    chars[i] = if chars[i] == 'A' { 'B' } else { 'A' };
    chars.into_iter().collect()
}

async fn commonhall_signs_python_verifies(db: Db) {
    // Instance A, and a sink named c.test that A's client resolves.
    let a_ip = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2));
    let sink_ip = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 4));
    let a_listener = TcpListener::bind((a_ip, 0)).expect("bind 127.0.0.2");
    let sink_listener = TcpListener::bind((sink_ip, 0)).expect("bind 127.0.0.4");
    let a_port = a_listener.local_addr().expect("addr").port();
    let sink_base = format!(
        "http://c.test:{}",
        sink_listener.local_addr().expect("addr").port()
    );
    let hosts = BTreeMap::from([
        ("a.test".to_string(), a_ip),
        ("c.test".to_string(), sink_ip),
    ]);
    let a = TestInstance::start_on(db, a_listener, Some(format!("a.test:{a_port}")), move |s| {
        s.federation_hosts = hosts;
        s.instance_name = "Co-op a.test".into();
    })
    .await
    .expect("instance A starts");
    let captures: Captures = Arc::default();
    let data = web::Data::new(captures.clone());
    let sink = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .app_data(web::PayloadConfig::new(4 << 20))
            .default_service(web::to(record))
    })
    .workers(1)
    .disable_signals()
    .listen(sink_listener)
    .expect("sink listens")
    .run();
    let sink_handle = sink.handle();
    tokio::spawn(sink);

    // The sink's person follows a community on A.
    let olga = user(&a, "olga").await;
    let (garden, garden_url) = community(&a, (olga.0, olga.1), "garden").await;
    let olga_public = actor_row(&a, &olga.2).await.expect("olga").public_key_pem;
    let sink_actor = format!("{sink_base}/u/sinky");
    let doc: ActorDocument = serde_json::from_value(json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        "type": "Person",
        "id": sink_actor,
        "preferredUsername": "sinky",
        "inbox": format!("{sink_actor}/inbox"),
        "publicKey": {
            "id": format!("{sink_actor}#main-key"),
            "owner": sink_actor,
            "publicKeyPem": olga_public,
        },
    }))
    .expect("a Person document");
    let publisher = a.state.publisher.clone();
    let follow_id = format!("{sink_base}/activities/follow/1");
    a.db(move |c| {
        let row = store_remote(c, &doc).expect("store the sink's actor");
        follow::remote_follow(c, &*publisher, garden, row.id, &follow_id).expect("remote follow");
    })
    .await;

    // Olga posts: A announces it to its follower, the sink.
    let post = new_post(
        &a,
        garden,
        (olga.0, olga.1),
        "Seed swap",
        "Bring *tomatoes*",
    )
    .await;
    let deliveries = eventually(60, "the Accept and the Announce reach the sink", || {
        let captures = captures.clone();
        let post_id = post.ap_id.clone();
        async move {
            let seen = captures.lock().expect("captures").clone();
            let kinds: Vec<(String, Value)> = seen
                .iter()
                .filter(|c| c.method == "POST")
                .filter_map(|c| serde_json::from_str::<Value>(&c.body).ok())
                .map(|v| (v["type"].as_str().unwrap_or_default().to_string(), v))
                .collect();
            let accepted = kinds.iter().any(|(k, _)| k == "Accept");
            let announced = kinds
                .iter()
                .any(|(k, v)| k == "Announce" && v.to_string().contains(&post_id));
            (accepted && announced).then_some(seen)
        }
    })
    .await;
    let posts: Vec<Captured> = deliveries
        .into_iter()
        .filter(|c| c.method == "POST")
        .collect();
    for c in &posts {
        println!(
            "captured {} {} headers {:?}\n  body {}",
            c.method, c.path, c.headers, c.body
        );
        assert_eq!(c.path, "/u/sinky/inbox");
    }

    // Every delivery verifies with Python, against the community's key.
    let community_key = actor_row(&a, &garden_url)
        .await
        .expect("community actor")
        .public_key_pem;
    let verdicts = python(
        "verify",
        Value::Array(
            posts
                .iter()
                .map(|c| verify_request(c, &community_key))
                .collect(),
        ),
    )
    .await;
    for (c, v) in posts.iter().zip(verdicts.as_array().expect("verdicts")) {
        println!("verdict on {}: {v}", c.path);
        assert_eq!(v["valid"], true, "Python does not verify {c:?}: {v}");
        let signature = &c.headers["signature"];
        assert!(
            signature.contains(&format!("keyId=\"{garden_url}#main-key\"")),
            "{signature}"
        );
        let date = chrono::DateTime::parse_from_rfc2822(&c.headers["date"]).expect("Date");
        assert!((chrono::Utc::now() - date.with_timezone(&chrono::Utc)).num_minutes() < 10);
        if v["strict_valid"] != true {
            println!(
                "note: httpsig's HeaderVerifier as-is (draft-10 algorithm names only) \
                 refuses it: {}",
                v["strict_error"]
            );
        }
    }

    // Any change, and it no longer verifies.
    let announce = posts
        .iter()
        .find(|c| c.body.contains("\"Announce\""))
        .expect("an Announce");
    let mut mutants: Vec<(&str, Value)> = Vec::new();
    let base = verify_request(announce, &community_key);
    let mut m = base.clone();
    m["body"] = json!(flip_one(&announce.body));
    mutants.push(("one body byte changed", m.clone()));
    let redigest = python(
        "sign",
        json!({
            "key_id": "x#main-key",
            "private_key_pem": private_key(&a, &olga.2).await,
            "method": "POST",
            "path": "/",
            "host": "x",
            "body": flip_one(&announce.body),
        }),
    )
    .await;
    m["headers"]["digest"] = redigest["headers"]["Digest"].clone();
    mutants.push(("body changed, Digest recomputed", m));
    let mut m = base.clone();
    let date = chrono::DateTime::parse_from_rfc2822(&announce.headers["date"]).expect("Date");
    m["headers"]["date"] = json!(http_date(
        date.with_timezone(&chrono::Utc) + chrono::TimeDelta::seconds(1)
    ));
    mutants.push(("Date header changed", m));
    let mut m = base.clone();
    m["headers"]["host"] = json!("d.test");
    mutants.push(("Host header changed", m));
    let mut m = base.clone();
    m["path"] = json!("/inbox");
    mutants.push(("request target changed", m));
    let mut m = base.clone();
    let sig = announce.headers["signature"].clone();
    let at = sig.find("signature=\"").expect("signature field") + "signature=\"".len() + 10;
    let mut flipped = sig.clone();
    let old = &sig[at..at + 1];
    flipped.replace_range(at..at + 1, if old == "A" { "B" } else { "A" });
    m["headers"]["signature"] = json!(flipped);
    mutants.push(("signature bytes changed", m));
    let mut m = base.clone();
    m["public_key_pem"] = json!(olga_public);
    mutants.push(("checked against another key", m));
    let verdicts = python(
        "verify",
        Value::Array(mutants.iter().map(|(_, m)| m.clone()).collect()),
    )
    .await;
    for ((what, _), v) in mutants.iter().zip(verdicts.as_array().expect("verdicts")) {
        println!("mutant '{what}': {v}");
        assert_eq!(v["valid"], false, "{what} still verifies: {v}");
    }

    sink_handle.stop(false).await;
    a.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_deliveries_verify_with_python_httpsig() {
    commonhall_signs_python_verifies(Db::Sqlite).await
}

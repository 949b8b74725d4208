//! Inbox throughput with real HTTP-signature checks, next to the raw RSA-2048
//! verify rate of this machine: `cargo bench -p commonhall-tests --bench inbox`.
//!
//! Two federating instances on loopback (SQLite, production worker and pool
//! settings) in this process. `VOTERS` people on B like posts in a community
//! on A: every `Like` is a distinct (person, post) pair with its own id,
//! signed here before the clock starts with the person's private key from
//! B's database (draft-cavage `(request-target) host date digest`,
//! rsa-sha256, a real `Digest`), as activitypub_federation signs; they
//! follow the community, as only members and followers may vote. A load
//! client in a separate process (this binary again) POSTs them to A's shared
//! `/inbox` over `CONNECTIONS` keep-alive connections, each once. A runs its
//! real inbox: JSON, date window, policy, digest, signature (the key read
//! from its database; each person was fetched from B once by a warm-up
//! request), de-duplication, 202, then applies the vote in the background.
//!
//! Measured in `ROUNDS` rounds, each on posts of its own: 202s per second
//! while sending, and activities applied per second until every vote is in
//! A's database (the load plus the backlog). The server's CPU time (this
//! process's, the client being elsewhere) per applied activity is shown next
//! to the raw cost of one verify. The raw `RsaPublicKey::verify` rate
//! (PKCS#1 v1.5, SHA-256 of the signing string) is measured on one thread and
//! on two around each round; the goal is an inbox rate ≥ 70 % of the
//! raw rate on the same two cores, judged on the median round (this
//! machine's speed drifts from second to second).

#[path = "common/mod.rs"]
mod common;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use common::presigned::{self, Signed};
use common::signing;
use commonhall::federation::protocol::activities::{LikeOrDislike, LikeType};
use commonhall::federation::protocol::WithContext;
use commonhall::store::{actors, follows, schema};
use commonhall_tests::TestInstance;
use diesel::prelude::*;
use rsa::pkcs8::DecodePublicKey;
use rsa::RsaPublicKey;
use url::Url;

const GOAL_RATIO: f64 = 0.70;
const CONNECTIONS: usize = 32;
const VOTERS: usize = 8;
/// Posts liked per voter in each measured round (one more for the warm-up).
const POSTS: usize = 500;
/// Measured rounds, each on posts of its own (distinct likes), each next to
/// the raw 2-thread verify rate measured just before and just after it (their
/// mean): the machine's speed drifts, so the goal is judged on the median round.
const ROUNDS: usize = 5;

fn main() {
    presigned::child_if_asked();
    common::run_only_under_cargo_bench("inbox");
    common::runtime().block_on(run());
}

/// Verifications per second of one signature on `threads` threads, and CPU per verify.
fn verify_rate(
    public: &RsaPublicKey,
    signing_string: &str,
    sig: &[u8],
    threads: usize,
) -> (f64, Duration) {
    let n = 2_000 * threads;
    let t = common::parallel(n, threads, |_| {
        signing::rsa_verify(public, signing_string, sig)
    });
    (n as f64 / t.wall.as_secs_f64(), t.cpu / n as u32)
}

/// Like `verify_rate` on one thread, but parsing the SPKI PEM every time,
/// as the activitypub_federation verifier does per request.
fn verify_with_pem_rate(pem: &str, signing_string: &str, sig: &[u8]) -> f64 {
    let n = 3_000;
    let elapsed = common::parallel(n, 1, |_| {
        let key = RsaPublicKey::from_public_key_pem(pem).expect("public key");
        signing::rsa_verify(&key, signing_string, sig);
    });
    n as f64 / elapsed.wall.as_secs_f64()
}

/// A signed `Like` by `voter` (ap id, key) of `post`.
fn signed_like(
    b: &TestInstance,
    a_host: &str,
    date: &str,
    voter: &(Url, rsa::RsaPrivateKey),
    post: &str,
    garden: &Url,
) -> Signed {
    let id = Url::parse(&b.state.instance.activity_id("like")).expect("activity id");
    let like = LikeOrDislike::new(
        LikeType::Like,
        id,
        voter.0.clone(),
        Url::parse(post).expect("post id"),
        garden.clone(),
    );
    let body = serde_json::to_string(&WithContext::new(like)).expect("activity JSON");
    let digest = signing::digest_header(body.as_bytes());
    let sig = signing::rsa_sign(
        &voter.1,
        &signing::signing_string("/inbox", a_host, date, &digest),
    );
    Signed {
        host: a_host.to_string(),
        date: date.to_string(),
        digest,
        signature: signing::signature_header(voter.0.as_str(), &sig),
        body,
    }
}

async fn vote_count(a: &TestInstance) -> i64 {
    a.db(|c| {
        schema::votes::table
            .count()
            .get_result::<i64>(c)
            .expect("count votes")
    })
    .await
}

async fn run() {
    let instances = common::federating_instances(2, &BTreeMap::new()).await;
    let (a, b) = (&instances[0], &instances[1]);
    let alice = common::user(a, "alice", true).await;
    let garden = common::community(a, alice, "garden").await;
    let posts = common::seed_posts(a, garden, alice.1, ROUNDS * POSTS + 1).await;
    let garden_url = Url::parse(&a.state.instance.community_id("garden")).expect("community id");
    let mut voters = Vec::new();
    for v in 0..VOTERS {
        let (_, actor_id) = common::user(b, &format!("voter{v}"), false).await;
        let row = b
            .db(move |c| actors::by_id(c, actor_id).expect("voter's actor"))
            .await;
        let key = signing::private_key(row.private_key_pem.as_deref().expect("voter's key"));
        voters.push((
            Url::parse(&row.ap_id).expect("voter id"),
            key,
            row.public_key_pem,
        ));
    }
    let voters: Vec<(Url, rsa::RsaPrivateKey)> =
        voters.into_iter().map(|(u, k, _)| (u, k)).collect();

    // Sign everything before the clock starts: post 0 is each voter's warm-up.
    let a_host = a.host().to_string();
    let date = signing::http_date();
    let n = VOTERS * POSTS;
    let slots: Vec<Mutex<Option<Signed>>> = (0..VOTERS * (ROUNDS * POSTS + 1))
        .map(|_| Mutex::new(None))
        .collect();
    let t = common::parallel(slots.len(), 2, |k| {
        let (v, p) = (k % VOTERS, k / VOTERS);
        let s = signed_like(b, &a_host, &date, &voters[v], &posts[p], &garden_url);
        *slots[k].lock().expect("slot") = Some(s);
    });
    let mut signed: Vec<Signed> = slots
        .into_iter()
        .map(|s| s.into_inner().expect("slot").expect("signed"))
        .collect();
    let measured = signed.split_off(VOTERS);
    println!(
        "signed {} Likes in {:.2} s on 2 threads (setup, not measured)",
        signed.len() + measured.len(),
        t.wall.as_secs_f64()
    );

    // Raw verify rates of the same key and a real signing string, same run.
    let sample = &measured[0];
    let sample_string = signing::signing_string("/inbox", &a_host, &date, &sample.digest);
    let sig_b64 = sample
        .signature
        .rsplit("signature=\"")
        .next()
        .and_then(|s| s.strip_suffix('"'))
        .expect("signature value");
    let sig = BASE64.decode(sig_b64).expect("base64");
    let public = voters[0].1.to_public_key();
    let pem = {
        use rsa::pkcs8::EncodePublicKey;
        public
            .to_public_key_pem(rsa::pkcs8::LineEnding::LF)
            .expect("PEM")
    };
    let raw_pem = verify_with_pem_rate(&pem, &sample_string, &sig);

    // Warm-up: A fetches each voter's actor (and key) from B and stores it.
    let a_addr: SocketAddr = a.base.trim_start_matches("http://").parse().expect("addr");
    let dir = tempfile::tempdir().expect("temp dir");
    let warm_file = dir.path().join("warm");
    presigned::write(&warm_file, &signed);
    let warm = tokio::task::spawn_blocking(move || presigned::run(&warm_file, a_addr, "/inbox", 1))
        .await
        .expect("warm-up");
    assert_eq!(warm.count("202"), VOTERS, "warm-up: {:?}", warm.statuses);
    // Only members and followers may vote: the voters, now known to A, follow
    // the community (the warm-up likes themselves were refused after the 202).
    tokio::time::sleep(Duration::from_secs(1)).await; // the refusals are done
    let ids: Vec<String> = voters.iter().map(|(u, _)| u.to_string()).collect();
    a.db(move |c| {
        for id in &ids {
            let actor = actors::by_ap_id(c, id)
                .expect("query")
                .expect("A fetched the voter during the warm-up");
            follows::upsert(c, garden, actor.id, "accepted", None).expect("follow");
        }
    })
    .await;
    assert_eq!(vote_count(a).await, 0, "no vote before the load");

    // The rounds: raw verify rates, then the load.
    let mut rounds = Vec::new();
    for (k, load) in measured.chunks(n).enumerate() {
        let file = dir.path().join(format!("load{k}"));
        presigned::write(&file, load);
        let (raw_1, _) = verify_rate(&public, &sample_string, &sig, 1);
        let (before, cpu_before) = verify_rate(&public, &sample_string, &sig, 2);
        let round = measure(a, a_addr, file, (k + 1) * n).await;
        let (after, cpu_after) = verify_rate(&public, &sample_string, &sig, 2);
        rounds.push(Round {
            raw_1,
            raw_2: (before + after) / 2.0,
            verify_cpu: (cpu_before + cpu_after) / 2,
            ..round
        });
    }
    report(&rounds, n, raw_pem);
    for i in instances {
        i.stop().await;
    }
}

/// One round's figures.
#[derive(Clone, Copy, Default)]
struct Round {
    /// 202s, and all the client's answers.
    accepted: usize,
    answers: usize,
    applied: usize,
    sending: Duration,
    /// From the last answer to the last vote written.
    drain: Duration,
    /// The server's CPU per applied activity, and the client's per request.
    cpu_per: Duration,
    client_per: Duration,
    raw_1: f64,
    raw_2: f64,
    verify_cpu: Duration,
}

impl Round {
    fn applied_rate(&self) -> f64 {
        self.applied as f64 / (self.sending + self.drain).as_secs_f64()
    }
    /// The goal's ratio: applied per second ÷ raw verifies per second on 2 threads.
    fn ratio(&self) -> f64 {
        self.applied_rate() / self.raw_2
    }
}

/// Sends one round's requests and waits until its votes are in (`expected`
/// in all), or nothing has changed for longer than the inbox's processing
/// time limit (30 s): then the rest is lost.
async fn measure(a: &TestInstance, addr: SocketAddr, file: PathBuf, expected: usize) -> Round {
    let before = vote_count(a).await;
    let cpu0 = common::process_cpu();
    let report =
        tokio::task::spawn_blocking(move || presigned::run(&file, addr, "/inbox", CONNECTIONS))
            .await
            .expect("load");
    let after_load = Instant::now();
    let mut applied = vote_count(a).await;
    let mut last_change = after_load;
    while applied < expected as i64 && last_change.elapsed() < Duration::from_secs(35) {
        tokio::time::sleep(Duration::from_millis(5)).await;
        let now = vote_count(a).await;
        if now != applied {
            applied = now;
            last_change = Instant::now();
        }
    }
    let cpu = common::process_cpu() - cpu0;
    let applied = (applied - before) as usize;
    let answers: usize = report.statuses.values().sum();
    Round {
        accepted: report.count("202"),
        answers,
        applied,
        sending: report.elapsed,
        drain: last_change - after_load,
        cpu_per: cpu / applied.max(1) as u32,
        client_per: report.cpu / answers.max(1) as u32,
        ..Round::default()
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn report(rounds: &[Round], n: usize, raw_pem: f64) {
    let us = |d: Duration| format!("{:.0} µs", d.as_secs_f64() * 1e6);
    let mut rows: Vec<(String, String)> = Vec::new();
    for (k, r) in rounds.iter().enumerate() {
        rows.push((
            format!("round {}: applied /s ÷ raw 2-thread verify /s", k + 1),
            format!(
                "{:.0} ÷ {:.0} = {:.1} %",
                r.applied_rate(),
                r.raw_2,
                r.ratio() * 100.0
            ),
        ));
        rows.push((
            format!("round {}: server CPU per activity (raw verify CPU)", k + 1),
            format!("{} ({})", us(r.cpu_per), us(r.verify_cpu)),
        ));
    }
    let mid = |f: fn(&Round) -> f64| median(rounds.iter().map(f).collect());
    let ratio = mid(Round::ratio);
    rows.extend([
        (
            "accepted (202) per second while sending, median".into(),
            format!(
                "{:.0} /s",
                mid(|r| r.accepted as f64 / r.sending.as_secs_f64())
            ),
        ),
        (
            "applied per second, median".into(),
            format!("{:.0} /s", mid(Round::applied_rate)),
        ),
        (
            "until the last vote was applied after the last answer, median".into(),
            format!("{:.3} s", mid(|r| r.drain.as_secs_f64())),
        ),
        (
            "server CPU per applied activity, median".into(),
            format!("{:.0} µs", mid(|r| r.cpu_per.as_secs_f64() * 1e6)),
        ),
        (
            "load client CPU per request (same cores), median".into(),
            format!("{:.0} µs", mid(|r| r.client_per.as_secs_f64() * 1e6)),
        ),
        (
            "raw RSA-2048 verify, 1 thread, median".into(),
            format!("{:.0} /s", mid(|r| r.raw_1)),
        ),
        (
            "raw RSA-2048 verify, 2 threads, median".into(),
            format!("{:.0} /s", mid(|r| r.raw_2)),
        ),
        (
            "verify parsing the PEM key each time, 1 thread".into(),
            format!("{raw_pem:.0} /s"),
        ),
        (
            "CPU per raw verify ÷ server CPU per activity, median".into(),
            format!(
                "{:.1} %",
                mid(|r| r.verify_cpu.as_secs_f64() / r.cpu_per.as_secs_f64()) * 100.0
            ),
        ),
        (
            "applied rate ÷ raw verify on 2 threads, median round (the goal)".into(),
            format!(
                "{:.1} % (goal ≥ {:.0} %: {})",
                ratio * 100.0,
                GOAL_RATIO * 100.0,
                common::verdict(ratio >= GOAL_RATIO)
            ),
        ),
    ]);
    common::print_summary(
        &format!(
            "Inbox: {ROUNDS} rounds of {n} signed Likes from {VOTERS} people POSTed once each to \
             /inbox over {CONNECTIONS} connections (SQLite, 2 HTTP workers, 2 cores, {})",
            common::build_and_date()
        ),
        &rows,
    );
    println!(
        "\nThe load client is a separate process on the same 2 cores; its CPU is not in \
         \"server CPU\" but it does take time from the server."
    );
    for (k, r) in rounds.iter().enumerate() {
        if r.accepted != r.answers || r.applied != n {
            println!(
                "\nLOST in round {}: {} of {n} accepted (202), {} applied; the rest were \
                 answered 202 and then dropped (the rate above counts applied ones only)",
                k + 1,
                r.accepted,
                r.applied
            );
        }
    }
}

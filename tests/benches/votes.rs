//! Governance over HTTP: `cargo bench -p commonhall-tests --bench votes`.
//!
//! 1. Vote intake through the inbox. One instance in this process (SQLite,
//!    production worker and pool settings) with a community whose `VOTES`
//!    members live on another instance (`members.test`, inserted straight
//!    into the store with a public key whose private half this bench holds)
//!    and an open ranked roll-call poll of 8 options. Each member's ballot is
//!    the `Create{Note{name, inReplyTo, coop:ranking, coop:receipt}}` a
//!    Commonhall instance sends, signed before the clock starts (draft-cavage
//!    `(request-target) host date digest`, rsa-sha256, a real `Digest`, keyId
//!    the member's own). A load client in a separate process (this binary
//!    again) POSTs them once each to the shared `/inbox` over `CONNECTIONS`
//!    keep-alive connections; the instance runs its real inbox (signature
//!    with the key from its database, de-duplication, 202) and counts each
//!    vote in the background through the domain (membership, eligibility,
//!    validation, receipt). Measured: 202s per second while sending, and
//!    votes counted per second until every ballot is in the database, with
//!    the server's CPU time per vote.
//! 2. The proposal page with those `VOTES` ballots, rendered on the server
//!    (anonymous GETs, `wrk` in its own process as in the `pages` bench):
//!    open, with the live count and the first page of the roll call
//!    (`ROLL_CALL_PAGE` lines, `?roll=N`); and after the close, from the
//!    recorded result, on the first and on the last roll-call page. Also the
//!    `Question` document a remote instance fetches, whose `coop:outcome`
//!    names the list of counted receipts instead of carrying it, and the
//!    first page of that list (`<proposal>/receipts?page=1`, 1,000 hashes).

#[path = "common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common::ballots::{self, Lcg};
use common::governance;
use common::presigned::{self, Signed};
use common::signing;
use commonhall::domain::governance::ballots::receipt_hash;
use commonhall::domain::governance::close;
use commonhall::domain::governance::tally::{BallotChoice, Method};
use commonhall::domain::governance::Proposal;
use commonhall::federation::protocol::activities::CreateOrUpdate;
use commonhall::federation::protocol::objects::Vote;
use commonhall::federation::protocol::values::OneOrMany;
use commonhall::federation::protocol::WithContext;
use commonhall::store::actors;
use commonhall::web::governance::ROLL_CALL_PAGE;
use commonhall_tests::{Db, TestInstance};
use url::Url;

const VOTES: usize = 10_000;
const CONNECTIONS: usize = 32;
const MEMBERS_HOST: &str = "members.test";
/// wrk, per URL.
const PAGE_CONNECTIONS: usize = 8;
const PAGE_SECONDS: u64 = 10;

fn main() {
    presigned::child_if_asked();
    common::run_only_under_cargo_bench("votes");
    common::wrk::require("votes");
    common::runtime().block_on(run());
}

/// Member `k`'s ballot, as their instance sends it, signed with `key`.
fn signed_vote(
    p: &Proposal,
    community: &Url,
    host: &str,
    date: &str,
    key: &rsa::RsaPrivateKey,
    k: usize,
    choice: &BallotChoice,
) -> Signed {
    let voter = Url::parse(&format!("http://{MEMBERS_HOST}/u/m{k}")).expect("voter id");
    let ranking: Vec<String> = match choice {
        BallotChoice::Ranked(order) => order.iter().map(|&i| p.options[i].clone()).collect(),
        other => panic!("a ranked ballot, not {other:?}"),
    };
    let note_id = Url::parse(&format!("{voter}/votes/1")).expect("vote id");
    let mut note = Vote::new(
        note_id.clone(),
        voter.clone(),
        Url::parse(&p.ap_id).expect("question id"),
        community.clone(),
        ranking.first().cloned().unwrap_or_default(),
    );
    note.ranking = Some(ranking);
    note.receipt = Some(receipt_hash(&format!("receipt of member {k}")));
    let id = Url::parse(&format!("{note_id}/activity")).expect("activity id");
    let create = CreateOrUpdate::create(
        id,
        voter.clone(),
        note,
        OneOrMany::one(community.clone()),
        OneOrMany::default(),
    );
    let body = serde_json::to_string(&WithContext::new(create)).expect("activity JSON");
    let digest = signing::digest_header(body.as_bytes());
    let sig = signing::rsa_sign(key, &signing::signing_string("/inbox", host, date, &digest));
    Signed {
        host: host.to_string(),
        date: date.to_string(),
        digest,
        signature: signing::signature_header(voter.as_str(), &sig),
        body,
    }
}

/// Sends every vote through the inbox and waits until all are counted; the summary rows.
async fn intake(i: &TestInstance, p: &Proposal, signed: Vec<Signed>) -> Vec<(String, String)> {
    let addr: std::net::SocketAddr = i.base.trim_start_matches("http://").parse().expect("addr");
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("votes");
    presigned::write(&file, &signed);
    let cpu0 = common::process_cpu();
    let report =
        tokio::task::spawn_blocking(move || presigned::run(&file, addr, "/inbox", CONNECTIONS))
            .await
            .expect("load");
    let after_load = Instant::now();
    // Until every vote is counted, or nothing changed for longer than the inbox's 30 s limit.
    let mut counted = governance::ballot_count(i, p.id).await;
    let mut last_change = after_load;
    while counted < VOTES as i64 && last_change.elapsed() < Duration::from_secs(35) {
        tokio::time::sleep(Duration::from_millis(5)).await;
        let now = governance::ballot_count(i, p.id).await;
        if now != counted {
            counted = now;
            last_change = Instant::now();
        }
    }
    let drain = last_change - after_load;
    let cpu = common::process_cpu() - cpu0;
    let accepted = report.count("202");
    let counted = counted as usize;
    if counted != VOTES {
        println!("\nLOST: {accepted} of {VOTES} accepted (202), {counted} counted");
    }
    vec![
        ("responses".into(), format!("{:?}", report.statuses)),
        (
            "sending time (client)".into(),
            format!("{:.3} s", report.elapsed.as_secs_f64()),
        ),
        (
            "until the last vote was counted, after the last response".into(),
            format!("{:.3} s", drain.as_secs_f64()),
        ),
        (
            "accepted (202) per second while sending".into(),
            format!("{:.0} /s", accepted as f64 / report.elapsed.as_secs_f64()),
        ),
        (
            format!("votes counted per second, {counted} of {VOTES} in the database"),
            format!(
                "{:.0} /s",
                counted as f64 / (report.elapsed + drain).as_secs_f64()
            ),
        ),
        (
            "server CPU per counted vote".into(),
            format!("{:.0} µs", cpu.as_secs_f64() * 1e6 / counted.max(1) as f64),
        ),
    ]
}

/// One wrk run against `path`: a table row.
async fn page_row(i: &TestInstance, label: &str, path: &str, accept: &str) -> Vec<String> {
    let m = common::wrk::measure(&i.url(path), accept, PAGE_CONNECTIONS, PAGE_SECONDS).await;
    let s = &m.summary;
    vec![
        label.to_string(),
        format!("{:.1}", s.ok_rate()),
        format!("{:.0}", s.mean_latency.as_secs_f64() * 1e3),
        s.p99_latency
            .map_or("-".into(), |d| format!("{:.0}", d.as_secs_f64() * 1e3)),
        format!("{:.1}", m.cpu_ms_per_request()),
        format!("{}/{}", s.non_2xx, s.socket_errors),
        format!("{:.0}", m.size as f64 / 1024.0),
    ]
}

async fn run() {
    let i = TestInstance::start_with(Db::Sqlite, common::production_shape).await;
    let alice = common::user(&i, "alice", true).await;
    let garden = common::community(&i, alice, "garden").await;
    let t = Instant::now();
    governance::members(&i, garden, alice.1, MEMBERS_HOST, VOTES).await;
    let p = governance::ranked_poll(&i, garden, alice.1).await;
    println!(
        "{VOTES} remote members and the poll in {:.2} s (setup)",
        t.elapsed().as_secs_f64()
    );

    // Sign every ballot before the clock starts, with the key all the members share.
    let key_pem = i
        .db(move |c| actors::by_id(c, alice.1).expect("alice").private_key_pem)
        .await
        .expect("alice's private key");
    let key = signing::private_key(&key_pem);
    let mut rng = Lcg::new(Method::Ranked as u64);
    let choices: Vec<BallotChoice> = (0..VOTES)
        .map(|_| ballots::choice(Method::Ranked, &mut rng))
        .collect();
    let (host, date) = (i.host().to_string(), signing::http_date());
    let community = Url::parse(&i.state.instance.community_id("garden")).expect("community id");
    let slots: Vec<std::sync::Mutex<Option<Signed>>> =
        (0..VOTES).map(|_| std::sync::Mutex::new(None)).collect();
    let t = common::parallel(VOTES, 2, |k| {
        let s = signed_vote(&p, &community, &host, &date, &key, k, &choices[k]);
        *slots[k].lock().expect("slot") = Some(s);
    });
    let signed: Vec<Signed> = slots
        .into_iter()
        .map(|s| s.into_inner().expect("slot").expect("signed"))
        .collect();
    println!(
        "signed {VOTES} votes in {:.2} s on 2 threads (setup, not measured)",
        t.wall.as_secs_f64()
    );
    let rows = intake(&i, &p, signed).await;
    common::print_summary(
        &format!(
            "Vote intake: {VOTES} signed Create{{Note}} ranked ballots from {VOTES} remote members, \
             POSTed once each to /inbox over {CONNECTIONS} connections (SQLite, 2 HTTP workers, \
             2 cores, {})",
            common::build_and_date()
        ),
        &rows,
    );

    let page = format!("/c/garden/proposals/{}", p.id);
    let mut rows = vec![
        page_row(
            &i,
            "open: live count, roll call page 1 (SSR)",
            &page,
            "text/html",
        )
        .await,
    ];
    let (publisher, id, at) = (
        i.state.publisher.clone(),
        p.id,
        p.closes_at + chrono::Duration::seconds(1),
    );
    i.db(move |c| close::close(c, &*publisher, id, at).expect("close"))
        .await
        .expect("closed");
    rows.push(
        page_row(
            &i,
            "closed: result, roll call page 1 (SSR)",
            &page,
            "text/html",
        )
        .await,
    );
    let last_roll = VOTES.div_ceil(ROLL_CALL_PAGE as usize);
    rows.push(
        page_row(
            &i,
            &format!("closed: result, roll call page {last_roll} (last, SSR)"),
            &format!("{page}?roll={last_roll}"),
            "text/html",
        )
        .await,
    );
    rows.push(
        page_row(
            &i,
            "closed: Question document (JSON)",
            &page,
            "application/activity+json",
        )
        .await,
    );
    rows.push(
        page_row(
            &i,
            "closed: receipts, first page of 1,000 (JSON)",
            &format!("{page}/receipts?page=1"),
            "application/activity+json",
        )
        .await,
    );
    common::print_table(
        &format!(
            "The proposal page with {VOTES} ballots ({page}): wrk, 1 thread, {PAGE_CONNECTIONS} \
             connections, {PAGE_SECONDS} s per URL ({})",
            common::build_and_date()
        ),
        &[
            "what",
            "req/s",
            "mean ms",
            "p99 ms",
            "server CPU ms/req",
            "non-2xx/errors",
            "KiB",
        ],
        &rows,
    );
    i.stop().await;
}

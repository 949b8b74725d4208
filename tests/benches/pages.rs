//! Community page (server-side rendered) and JSON feed of a community with
//! 10,000 posts, in requests per second: `cargo bench -p commonhall-tests --bench pages`.
//!
//! One instance in this process (SQLite, production worker and pool
//! settings); the posts are inserted straight into the store in one
//! transaction. The load tool is `wrk` (`apt-get install -y wrk`; the bench
//! stops with a message if it is missing), a separate process on the same
//! 2 cores: one thread, `CONNECTIONS` keep-alive connections, `SECONDS` s
//! per URL, anonymous GETs of the first page. Besides wrk's rate the table
//! shows the server's CPU time per request (this process's CPU time over the
//! run, so wrk's own CPU is not in it).
//!
//! The API allows each client address `api_requests_per_second` (20 by
//! default); wrk sends everything from 127.0.0.1, so the bench raises that
//! setting (the limiter still runs on every request).

#[path = "common/mod.rs"]
mod common;

use std::time::Instant;

use common::wrk;
use commonhall_tests::{Db, TestInstance};

const POSTS: usize = 10_000;
const CONNECTIONS: usize = 16;
const SECONDS: u64 = 10;
const COMMUNITY: &str = "garden";

fn main() {
    common::run_only_under_cargo_bench("pages");
    wrk::require("pages");
    common::runtime().block_on(run());
}

async fn run() {
    let i = TestInstance::start_with(Db::Sqlite, |s| {
        common::production_shape(s);
        s.api_requests_per_second = 1_000_000;
    })
    .await;
    let alice = common::user(&i, "alice", true).await;
    let garden = common::community(&i, alice, COMMUNITY).await;
    let t = Instant::now();
    common::seed_posts(&i, garden, alice.1, POSTS).await;
    println!(
        "inserted {POSTS} posts in {:.2} s (setup, one transaction)",
        t.elapsed().as_secs_f64()
    );

    let targets = [
        (
            "community page (SSR)",
            format!("/c/{COMMUNITY}"),
            "text/html",
        ),
        (
            "community JSON feed",
            format!("/api/v1/feed?kind=community&community={COMMUNITY}"),
            "application/json",
        ),
    ];
    let mut rows = Vec::new();
    for (label, path, accept) in &targets {
        let m = wrk::measure(&i.url(path), accept, CONNECTIONS, SECONDS).await;
        let s = &m.summary;
        rows.push(vec![
            label.to_string(),
            path.clone(),
            format!("{:.0}", s.ok_rate()),
            format!("{:.1}", s.mean_latency.as_secs_f64() * 1e3),
            s.p99_latency
                .map_or("-".into(), |d| format!("{:.1}", d.as_secs_f64() * 1e3)),
            format!("{:.2}", m.cpu_ms_per_request()),
            format!("{}/{}", s.non_2xx, s.socket_errors),
            format!("{:.1}", m.size as f64 / 1024.0),
        ]);
    }
    common::print_table(
        &format!(
            "Pages of a community with {POSTS} posts: wrk, 1 thread, {CONNECTIONS} connections, \
             {SECONDS} s per URL (SQLite, {} HTTP workers, 2 cores, {})",
            effective_workers(&i),
            common::build_and_date()
        ),
        &[
            "what",
            "URL",
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

/// HTTP workers the instance runs (0 in the settings = one per core, at most 4).
fn effective_workers(i: &TestInstance) -> usize {
    match i.settings.http_workers {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get().min(4)),
        n => n,
    }
}

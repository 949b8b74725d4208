//! Governance figures: `cargo bench -p commonhall-tests --bench tally`.
//!
//! 1. The tally engine (`domain::governance::tally`): 10,000 ballots per
//!    method from a fixed-seed generator, each method tallied repeatedly (at
//!    least 10 times and 1 s, one thread); median and fastest tally and µs per
//!    ballot. Goal: ≤ 2 µs per ballot for ranked choice (IRV and STV).
//! 2. Vote intake on a running instance (SQLite, production pool): 10,000
//!    members (inserted straight into the store) cast ranked ballots on an
//!    open roll-call poll through the domain's cast path
//!    (`ballots::cast`: membership, eligibility, validation, receipt, one
//!    transaction each), as many at once as the pool has connections: the
//!    domain's share of a vote (the `votes` bench sends them through the inbox).
//! 3. What a proposal page with 10,000 ballots computes: the live results
//!    (`ballots::results`: reads and parses every ballot, tallies) and the
//!    roll call (`ballots::roll_call`: every ballot with its voter), and the
//!    close (`close::close`, once). The `votes` bench serves the page itself.

#[path = "common/mod.rs"]
mod common;

use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::ballots::{self, BALLOTS};
use common::governance;
use commonhall::domain::governance::ballots::{self as cast_path, Cast};
use commonhall::domain::governance::close;
use commonhall::domain::governance::tally::{tally, BallotChoice, Method, Outcome};
use commonhall_tests::{Db, TestInstance};

const GOAL_RANKED_US: f64 = 2.0;

fn main() {
    common::run_only_under_cargo_bench("tally");
    engine();
    common::runtime().block_on(on_an_instance());
}

fn summary(o: &Outcome) -> String {
    let mut s = match o.passed {
        Some(true) => "passed".to_string(),
        Some(false) => "failed".to_string(),
        None => format!("won: {}", o.winners.join(", ")),
    };
    if !o.rounds.is_empty() {
        s.push_str(&format!(" ({} rounds)", o.rounds.len()));
    }
    if o.tie {
        s.push_str(" [tie]");
    }
    s
}

/// Runs `f` at least `min_runs` times and for `min_time`; sorted times.
fn timed<T>(min_runs: usize, min_time: Duration, mut f: impl FnMut() -> T) -> Vec<Duration> {
    let mut times = Vec::new();
    let started = Instant::now();
    while times.len() < min_runs || started.elapsed() < min_time {
        let t = Instant::now();
        black_box(f());
        times.push(t.elapsed());
    }
    times.sort();
    times
}

fn engine() {
    let mut rows = Vec::new();
    let mut worst_ranked: f64 = 0.0;
    for case in ballots::cases() {
        let run = || {
            tally(
                black_box(&case.rules),
                black_box(&case.electorate),
                black_box(&case.options),
                black_box(&case.ballots),
            )
            .expect("tally")
        };
        let outcome = run(); // warm-up, and the result shown
        let times = timed(10, Duration::from_secs(1), run);
        let median = times[times.len() / 2];
        let per_ballot = median.as_secs_f64() * 1e6 / BALLOTS as f64;
        let goal = if case.ranked {
            worst_ranked = worst_ranked.max(per_ballot);
            format!(
                "≤ {GOAL_RANKED_US} µs ({})",
                common::verdict(per_ballot <= GOAL_RANKED_US)
            )
        } else {
            "-".to_string()
        };
        rows.push(vec![
            case.name.to_string(),
            format!("{:.2}", median.as_secs_f64() * 1e3),
            format!("{:.2}", times[0].as_secs_f64() * 1e3),
            format!("{per_ballot:.3}"),
            goal,
            times.len().to_string(),
            summary(&outcome),
        ]);
    }
    common::print_table(
        &format!(
            "Tally of {BALLOTS} ballots, one thread ({})",
            common::build_and_date()
        ),
        &[
            "method",
            "median ms",
            "fastest ms",
            "µs/ballot",
            "goal (ranked)",
            "runs",
            "result",
        ],
        &rows,
    );
    println!(
        "\nranked tally: at most {worst_ranked:.3} µs per ballot (goal ≤ {GOAL_RANKED_US} µs): {}",
        common::verdict(worst_ranked <= GOAL_RANKED_US)
    );
}

async fn on_an_instance() {
    let i = TestInstance::start_with(Db::Sqlite, common::production_shape).await;
    let alice = common::user(&i, "alice", true).await;
    let garden = common::community(&i, alice, "garden").await;
    let t = Instant::now();
    let voters = governance::members(&i, garden, alice.1, "members.test", BALLOTS).await;
    println!(
        "\n{BALLOTS} members inserted in {:.2} s (setup)",
        t.elapsed().as_secs_f64()
    );
    let proposal = governance::ranked_poll(&i, garden, alice.1).await;

    // Intake: every member casts once, `pool` at a time.
    let mut rng = ballots::Lcg::new(Method::Ranked as u64);
    let choices: Vec<BallotChoice> = (0..BALLOTS)
        .map(|_| ballots::choice(Method::Ranked, &mut rng))
        .collect();
    let work = Arc::new((voters, choices, AtomicUsize::new(0)));
    let pool = i.settings.database_pool_size as usize;
    let cpu0 = common::process_cpu();
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..pool {
        let (work, pool_handle, id) = (work.clone(), i.state.pool.clone(), proposal.id);
        tasks.spawn_blocking(move || {
            let mut conn = pool_handle.get().expect("connection");
            let mut counted = 0;
            loop {
                let k = work.2.fetch_add(1, Ordering::Relaxed);
                let (Some(voter), Some(choice)) = (work.0.get(k), work.1.get(k)) else {
                    return counted;
                };
                if let Cast::Counted { .. } =
                    cast_path::cast(&mut conn, id, *voter, choice, None).expect("cast")
                {
                    counted += 1;
                }
            }
        });
    }
    let mut counted = 0;
    while let Some(n) = tasks.join_next().await {
        counted += n.expect("intake task");
    }
    let intake = started.elapsed();
    let intake_cpu = common::process_cpu() - cpu0;
    assert_eq!(counted, BALLOTS, "every ballot counted");

    // What the proposal page computes, with 10,000 ballots in.
    let id = proposal.id;
    let results = i
        .db(move |c| {
            timed(10, Duration::from_secs(2), || {
                cast_path::results(c, id).expect("results")
            })
        })
        .await;
    let roll_call = i
        .db(move |c| {
            timed(10, Duration::from_secs(2), || {
                cast_path::roll_call(c, id).expect("roll call")
            })
        })
        .await;
    let winners = i
        .db(move |c| cast_path::results(c, id).expect("results"))
        .await
        .result
        .map(|r| summary(&r.outcome))
        .unwrap_or_default();
    let publisher = i.state.publisher.clone();
    let at = proposal.closes_at + chrono::Duration::seconds(1);
    let t = Instant::now();
    i.db(move |c| {
        close::close(c, &*publisher, id, at)
            .expect("close")
            .expect("closed")
    })
    .await;
    let closing = t.elapsed();

    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1e3);
    let median = |v: &[Duration]| v[v.len() / 2];
    common::print_summary(
        &format!(
            "A ranked roll-call poll with {BALLOTS} ballots on an instance (SQLite, pool {pool}, \
             2 cores, {})",
            common::build_and_date()
        ),
        &[
            (
                format!("vote intake: {BALLOTS} casts through ballots::cast, {pool} at once"),
                format!(
                    "{:.0} /s ({:.2} s, {:.0} µs CPU each)",
                    BALLOTS as f64 / intake.as_secs_f64(),
                    intake.as_secs_f64(),
                    intake_cpu.as_secs_f64() * 1e6 / BALLOTS as f64
                ),
            ),
            (
                format!(
                    "live results (ballots::results), median of {}",
                    results.len()
                ),
                ms(median(&results)),
            ),
            (
                format!(
                    "roll call (ballots::roll_call), median of {}",
                    roll_call.len()
                ),
                ms(median(&roll_call)),
            ),
            (
                "close (close::close: count, record, receipts), once".into(),
                ms(closing),
            ),
            ("result".into(), winners),
        ],
    );
    i.stop().await;
}

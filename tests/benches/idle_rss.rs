//! Idle memory of one instance: `cargo bench -p commonhall-tests --bench idle_rss`.
//!
//! Starts an instance in-process on SQLite (release build, default worker and
//! pool settings), serves the home page and the health check a few times, waits
//! two seconds idle and prints the resident set size of this process. Exits
//! non-zero when it is 30 MiB or more.

use std::time::Duration;

use commonhall::config::Settings;
use commonhall_tests::{Db, TestInstance};

const GOAL_MIB: f64 = 30.0;

/// VmRSS of this process in KiB.
fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("read /proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS in /proc/self/status")
}

fn main() {
    // The same runtime shape `commonhall serve` uses.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let kib = rt.block_on(async {
        let defaults = Settings::default();
        let i = TestInstance::start_with(Db::Sqlite, |s| {
            s.http_workers = defaults.http_workers;
            s.database_pool_size = defaults.database_pool_size;
        })
        .await;
        let client = i.client();
        for _ in 0..5 {
            for path in ["/", "/healthz", "/login"] {
                let r = client.get(path).await;
                assert!(r.status.is_success(), "GET {path}: {}", r.status);
            }
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
        let kib = rss_kib();
        i.stop().await;
        kib
    });
    let mib = kib as f64 / 1024.0;
    println!("idle RSS after start (SQLite): {mib:.1} MiB (goal < {GOAL_MIB:.0} MiB)");
    if mib >= GOAL_MIB {
        eprintln!("idle RSS is over the goal");
        std::process::exit(1);
    }
}

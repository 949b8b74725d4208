//! Shared by the benchmark binaries (`#[path]`-included, not a bench itself):
//! the `cargo bench` guard, the runtime, instances on loopback under host
//! names, users, communities and posts, governance scenes, CPU time, and table printing.
#![allow(dead_code)]

pub mod ballots;
pub mod governance;
pub mod presigned;
pub mod signing;
pub mod wrk;

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, TcpListener};
use std::time::Duration;

use commonhall::config::Settings;
use commonhall::domain::communities::{self, CommunityForm};
use commonhall::store::{self, posts};
use commonhall_tests::{Db, TestInstance};

/// `cargo bench` passes `--bench` to `harness = false` binaries; `cargo test
/// --all-targets` does not. Without it the benchmark says so and exits 0, so
/// test runs never pay for it.
pub fn run_only_under_cargo_bench(name: &str) {
    if !std::env::args().any(|a| a == "--bench") {
        println!(
            "{name}: benchmark skipped (run it with `cargo bench -p commonhall-tests --bench {name}`)"
        );
        std::process::exit(0);
    }
    if cfg!(debug_assertions) {
        println!("{name}: WARNING: debug build; the figures mean nothing (use `cargo bench`)");
    }
    // The server logs as `commonhall serve` does (its filter, its request
    // spans), so the figures include what that costs; the lines are shown
    // when RUST_LOG asks for them, and thrown away otherwise.
    let text = commonhall::config::LogFormat::Text;
    if std::env::var_os("RUST_LOG").is_some() {
        commonhall::telemetry::init(text);
    } else {
        commonhall::telemetry::init_to(text, std::io::sink);
    }
}

/// The runtime shape `commonhall serve` uses on this machine.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// Production defaults for HTTP workers, the database pool and delivery (the
/// test harness otherwise runs one worker and a pool of 4).
pub fn production_shape(s: &mut Settings) {
    let defaults = Settings::default();
    s.http_workers = defaults.http_workers;
    s.database_pool_size = defaults.database_pool_size;
    s.delivery_concurrency = defaults.delivery_concurrency;
}

/// A listener on `127.0.0.<last>` (any port).
pub fn loopback_listener(last: u8) -> TcpListener {
    TcpListener::bind((IpAddr::V4(Ipv4Addr::new(127, 0, 0, last)), 0)).expect("bind 127.0.0.x")
}

/// Starts federating instances named `a.test`, `b.test`, … on 127.0.0.2, …
/// (like `commonhall_tests::network::Network`) with production worker and
/// pool settings, and extra names (e.g. sink servers) in their resolvers.
pub async fn federating_instances(
    n: usize,
    extra_hosts: &BTreeMap<String, IpAddr>,
) -> Vec<TestInstance> {
    let mut hosts = extra_hosts.clone();
    let mut listeners = Vec::new();
    for i in 0..n {
        let listener = loopback_listener(2 + i as u8);
        let name = format!("{}.test", (b'a' + i as u8) as char);
        hosts.insert(name.clone(), listener.local_addr().expect("addr").ip());
        listeners.push((name, listener));
    }
    let mut instances = Vec::new();
    for (name, listener) in listeners {
        let port = listener.local_addr().expect("local addr").port();
        let hosts = hosts.clone();
        let instance = TestInstance::start_on(
            Db::Sqlite,
            listener,
            Some(format!("{name}:{port}")),
            move |s| {
                production_shape(s);
                s.federation_hosts = hosts;
                s.instance_name = format!("Co-op {name}");
            },
        )
        .await
        .expect("federating instance starts");
        instances.push(instance);
    }
    instances
}

/// Creates a local user; returns (user id, actor id).
pub async fn user(i: &TestInstance, name: &str, admin: bool) -> (i64, i64) {
    i.user(name, admin).await
}

/// Creates an open community owned by `owner`; returns its id.
pub async fn community(i: &TestInstance, owner: (i64, i64), name: &str) -> i64 {
    let inst = i.state.instance.clone();
    let form = CommunityForm {
        name: name.into(),
        title: format!("The {name} co-op"),
        description: "We **grow** things together.".into(),
        join_policy: "open".into(),
        classes: "worker, user, supporter".into(),
    };
    i.db(move |c| {
        communities::create(c, &inst, owner.0, owner.1, &form)
            .expect("community")
            .id
    })
    .await
}

/// Inserts `n` posts by `author` (an actor id) into a community in one
/// transaction, one a minute up to now, as the store holds rendered posts.
/// Returns their ActivityPub ids, oldest first.
pub async fn seed_posts(i: &TestInstance, community: i64, author: i64, n: usize) -> Vec<String> {
    let inst = i.state.instance.clone();
    i.db(move |c| {
        use diesel::Connection;
        c.transaction::<_, diesel::result::Error, _>(|c| {
            let start = store::now() - chrono::TimeDelta::minutes(n as i64);
            let mut ids = Vec::with_capacity(n);
            for k in 0..n {
                let at = start + chrono::TimeDelta::minutes(k as i64);
                let provisional = inst.provisional_id();
                let title = format!("Harvest note {k}: what grew well this week");
                let md = format!(
                    "Beans did **well** in bed {k}. Tomatoes need more water; \
                     see the [watering rota](https://example.org/rota/{k})."
                );
                let html = format!(
                    "<p>Beans did <strong>well</strong> in bed {k}. Tomatoes need more water; \
                     see the <a href=\"https://example.org/rota/{k}\" rel=\"noopener noreferrer\">watering rota</a>.</p>"
                );
                let p = posts::insert(
                    c,
                    &posts::NewPost {
                        ap_id: &provisional,
                        community_id: community,
                        author_id: author,
                        local: true,
                        title: &title,
                        body_markdown: &md,
                        body_html: &html,
                        link_url: None,
                        published_at: at,
                        last_activity_at: at,
                    },
                )?;
                let ap_id = inst.post_id(p.id);
                posts::set_ap_id(c, p.id, &ap_id)?;
                ids.push(ap_id);
            }
            Ok(ids)
        })
        .expect("posts inserted")
    })
    .await
}

/// CPU time (user + system) this process has used so far, all threads.
pub fn process_cpu() -> Duration {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage writes a full `rusage` into the pointer it is given.
    let usage = unsafe {
        assert_eq!(libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()), 0);
        usage.assume_init()
    };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

/// Wall-clock and CPU time of a piece of work.
#[derive(Clone, Copy, Debug)]
pub struct Timing {
    pub wall: Duration,
    /// This process's CPU time meanwhile (all threads).
    pub cpu: Duration,
}

/// Runs `per_item` over `0..n` on `threads` OS threads.
pub fn parallel<F>(n: usize, threads: usize, per_item: F) -> Timing
where
    F: Fn(usize) + Sync,
{
    let cpu = process_cpu();
    let start = std::time::Instant::now();
    std::thread::scope(|s| {
        for t in 0..threads {
            let per_item = &per_item;
            s.spawn(move || {
                let mut i = t;
                while i < n {
                    per_item(i);
                    i += threads;
                }
            });
        }
    });
    Timing {
        wall: start.elapsed(),
        cpu: process_cpu() - cpu,
    }
}

/// The 1-minute load average, to show how busy the machine was.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".into())
}

/// `met` or `MISSED`, for a goal line.
pub fn verdict(met: bool) -> &'static str {
    if met {
        "met"
    } else {
        "MISSED"
    }
}

/// Prints a plain-text table with a title, right-aligning every column but the first.
pub fn print_table(title: &str, header: &[&str], rows: &[Vec<String>]) {
    let cols = header.len();
    let mut width: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (c, cell) in r.iter().enumerate().take(cols) {
            width[c] = width[c].max(cell.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let mut out = String::new();
        for (c, cell) in cells.iter().enumerate().take(cols) {
            let pad = " ".repeat(width[c] - cell.chars().count());
            if c == 0 {
                out.push_str(cell);
                out.push_str(&pad);
            } else {
                out.push_str("  ");
                out.push_str(&pad);
                out.push_str(cell);
            }
        }
        println!("{}", out.trim_end());
    };
    println!();
    println!("{title}");
    line(&header.iter().map(|h| h.to_string()).collect::<Vec<_>>());
    println!(
        "{}",
        "-".repeat(width.iter().sum::<usize>() + 2 * (cols - 1))
    );
    for r in rows {
        line(r);
    }
}

/// A two-column `measure | value` table.
pub fn print_summary(title: &str, rows: &[(String, String)]) {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|(a, b)| vec![a.clone(), b.clone()])
        .collect();
    print_table(title, &["measure", "value"], &rows);
}

/// How this run was built and when, for table titles.
pub fn build_and_date() -> String {
    let profile = if cfg!(debug_assertions) {
        "DEBUG build"
    } else {
        "release build"
    };
    format!(
        "{profile}, {}, load average {}",
        chrono::Utc::now().format("%Y-%m-%d"),
        load_average()
    )
}

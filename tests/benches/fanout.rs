//! Fan-out of one post to 1,000 remote inboxes, next to the raw RSA-2048
//! signing time of the same requests: `cargo bench -p commonhall-tests --bench fanout`.
//!
//! Instance A (SQLite, production worker, pool and `delivery_concurrency`
//! settings) has a community with 1,000 remote followers: `SINK_HOSTS` sink
//! servers (`s00.test`, … on 127.0.0.10, …, each its own instance for the
//! delivery queue) with `PER_HOST` followers each, every one with its own
//! inbox and no shared inbox. The sinks (one actix worker thread in this
//! process) answer 202 at once and note what each inbox got.
//!
//! A post is created with `posts::create`, which queues its activities in the
//! same transaction; the delivery workers then sign and send them. A post in
//! a local community goes out as two activities (FEP-1b12 `Announce{Create
//! {Page}}` for Lemmy and Commonhall, `Announce{Page}` for Mastodon), so one
//! post is 2,000 signed requests. The clock runs from `posts::create` until
//! every inbox has both. The first post is shown on its own (connections are
//! opened, the key parsed); the figure is the median of `RUNS` posts after it.
//!
//! Baselines from the same run and key: signing the 1,000 requests of one
//! activity on one thread (the goal: fan-out ≤ 1.5× that), and the post's
//! real signing work — 2,000 requests on both cores.

#[path = "common/mod.rs"]
mod common;

use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use common::signing;
use commonhall::domain::content::posts;
use commonhall::store::{self, actors, follows, instances};

const SINK_HOSTS: usize = 20;
const PER_HOST: usize = 50;
const FOLLOWERS: usize = SINK_HOSTS * PER_HOST;
/// Activities one post makes per follower.
const PER_POST: usize = 2;
const RUNS: usize = 3;
const GOAL_RATIO: f64 = 1.5;
const CREATE: u8 = 1;
const PAGE: u8 = 2;

/// What the inboxes got of one post.
#[derive(Default)]
struct Arrivals {
    /// Inbox (host + path) → which of the two activities it got.
    inboxes: HashMap<String, u8>,
    complete: usize,
    first: Option<Instant>,
    last: Option<Instant>,
}

#[derive(Default)]
struct Received {
    /// By post title.
    posts: BTreeMap<String, Arrivals>,
    other: usize,
}

type Shared = Arc<Mutex<Received>>;

/// The post title and which activity a delivered body is.
fn classify(body: &[u8]) -> Option<(String, u8)> {
    let v: serde_json::Value = serde_json::from_slice(body).ok()?;
    let object = v.get("object")?;
    match object.get("type")?.as_str()? {
        "Create" => Some((object.get("object")?.get("name")?.as_str()?.into(), CREATE)),
        "Page" => Some((object.get("name")?.as_str()?.into(), PAGE)),
        _ => None,
    }
}

async fn sink(req: HttpRequest, body: web::Bytes, seen: web::Data<Shared>) -> HttpResponse {
    let now = Instant::now();
    let inbox = format!("{}{}", req.connection_info().host(), req.path());
    let mut seen = seen.lock().expect("sink state");
    match classify(&body) {
        Some((title, kind)) => {
            let post = seen.posts.entry(title).or_default();
            let mask = post.inboxes.entry(inbox).or_default();
            let before = *mask;
            *mask |= kind;
            if before != CREATE | PAGE && *mask == CREATE | PAGE {
                post.complete += 1;
            }
            post.first.get_or_insert(now);
            post.last = Some(now);
        }
        None => seen.other += 1,
    }
    HttpResponse::Accepted().finish()
}

fn main() {
    common::run_only_under_cargo_bench("fanout");
    common::runtime().block_on(run());
}

/// The running sink servers.
struct Sinks {
    /// Host name → address, for the instance's resolver.
    names: BTreeMap<String, IpAddr>,
    /// `host:port` of each.
    hosts: Vec<String>,
    handle: actix_web::dev::ServerHandle,
}

/// Starts the sinks: one actix server (one worker) on `SINK_HOSTS` addresses.
fn start_sinks(seen: &Shared) -> Sinks {
    let mut names = BTreeMap::new();
    let mut hosts = Vec::new();
    let data = web::Data::new(seen.clone());
    let mut server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .app_data(web::PayloadConfig::new(1 << 20))
            .default_service(web::to(sink))
    })
    .workers(1)
    .disable_signals();
    for s in 0..SINK_HOSTS {
        let listener = common::loopback_listener(10 + s as u8);
        let addr = listener.local_addr().expect("sink addr");
        let name = format!("s{s:02}.test");
        names.insert(name.clone(), addr.ip());
        hosts.push(format!("{name}:{}", addr.port()));
        server = server.listen(listener).expect("sink listens");
    }
    let server = server.run();
    let handle = server.handle();
    tokio::spawn(server);
    Sinks {
        names,
        hosts,
        handle,
    }
}

/// `PER_HOST` remote followers on every sink host, each with its own inbox.
/// Returns the community's private key (PEM).
async fn add_followers(
    a: &commonhall_tests::TestInstance,
    garden: i64,
    key_of: i64,
    hosts: Vec<String>,
) -> String {
    a.db(move |c| {
        use diesel::Connection;
        let some_key = actors::by_id(c, key_of).expect("actor").public_key_pem;
        let (_, group) = store::communities::by_id(c, garden).expect("community");
        c.transaction::<_, diesel::result::Error, _>(|c| {
            for host in &hosts {
                instances::ensure(c, host)?;
                for j in 0..PER_HOST {
                    let actor = commonhall_tests::governance::crowd::remote_person(
                        c,
                        host,
                        &format!("f{j}"),
                        &some_key,
                    )?;
                    follows::upsert(c, garden, actor.id, "accepted", None)?;
                }
            }
            Ok(())
        })
        .expect("followers");
        group.private_key_pem.expect("community key")
    })
    .await
}

/// Signs `n` production-like requests to the sinks on `threads` threads.
fn raw_signing(pem: &str, hosts: &[String], n: usize, threads: usize) -> common::Timing {
    let key = signing::private_key(pem);
    let date = signing::http_date();
    let strings: Vec<String> = (0..n)
        .map(|i| {
            let digest = signing::digest_header(format!("announce body {i}").as_bytes());
            let path = format!("/u/f{}/inbox", (i / SINK_HOSTS) % PER_HOST);
            signing::signing_string(&path, &hosts[i % SINK_HOSTS], &date, &digest)
        })
        .collect();
    common::parallel(n, threads, |i| {
        std::hint::black_box(signing::rsa_sign(&key, &strings[i]));
    })
}

/// One post, timed until every inbox has both of its activities.
/// Returns (posts::create time, first arrival, all arrived), from the start.
async fn fan_out(
    a: &commonhall_tests::TestInstance,
    seen: &Shared,
    garden: i64,
    author: i64,
    title: &str,
) -> (Duration, Duration, Duration) {
    let (pa, inst) = (a.state.publisher.clone(), a.state.instance.clone());
    let form = posts::PostForm {
        title: title.to_string(),
        body: "Plant the **beans** before the rain.".into(),
        link: None,
    };
    let t0 = Instant::now();
    a.db(move |c| posts::create(c, &*pa, &inst, garden, author, &form).expect("post"))
        .await;
    let created = t0.elapsed();
    let deadline = t0 + Duration::from_secs(300);
    loop {
        let (complete, first, last) = {
            let s = seen.lock().expect("sink state");
            s.posts
                .get(title)
                .map_or((0, None, None), |p| (p.complete, p.first, p.last))
        };
        if complete >= FOLLOWERS {
            let (first, last) = (first.expect("first"), last.expect("last"));
            return (created, first - t0, last - t0);
        }
        assert!(
            Instant::now() < deadline,
            "{title}: only {complete} of {FOLLOWERS} inboxes got both activities in 300 s"
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

async fn run() {
    let seen: Shared = Arc::default();
    let sinks = start_sinks(&seen);
    let sink_hosts = sinks.hosts.clone();
    let instances = common::federating_instances(1, &sinks.names).await;
    let a = &instances[0];
    let alice = common::user(a, "alice", true).await;
    let garden = common::community(a, alice, "garden").await;
    let t = Instant::now();
    let community_key = add_followers(a, garden, alice.1, sink_hosts.clone()).await;
    println!(
        "{FOLLOWERS} remote followers on {SINK_HOSTS} sink hosts inserted in {:.2} s (setup)",
        t.elapsed().as_secs_f64()
    );

    let sign_1t = raw_signing(&community_key, &sink_hosts, FOLLOWERS, 1);
    let sign_2t = raw_signing(&community_key, &sink_hosts, FOLLOWERS * PER_POST, 2);
    let (sign_1, sign_2) = (sign_1t.wall, sign_2t.wall);
    // CPU per signature, from the two-thread run (more samples).
    let sign_cpu = sign_2t.cpu.as_secs_f64() / (FOLLOWERS * PER_POST) as f64;

    let mut rows = Vec::new();
    let mut measured = Vec::new();
    let mut cpus = Vec::new();
    for run in 0..=RUNS {
        let title = format!("fan-out {run}");
        let cpu0 = common::process_cpu();
        let (created, first, all) = fan_out(a, &seen, garden, alice.1, &title).await;
        let cpu = common::process_cpu() - cpu0;
        if run > 0 {
            measured.push(all);
            cpus.push(cpu);
        }
        rows.push(vec![
            if run == 0 {
                "post 0 (cold: key parse, new connections)".to_string()
            } else {
                format!("post {run}")
            },
            format!("{:.1}", created.as_secs_f64() * 1e3),
            format!("{:.0}", first.as_secs_f64() * 1e3),
            format!("{:.0}", all.as_secs_f64() * 1e3),
            format!("{:.2}", cpu.as_secs_f64()),
            format!("{:.2}×", all.as_secs_f64() / sign_1.as_secs_f64()),
        ]);
        // Let the workers go idle before the next post.
        tokio::time::sleep(Duration::from_millis(1500)).await;
    }
    measured.sort();
    cpus.sort();
    let median = measured[measured.len() / 2];
    let cpu_per_request = cpus[cpus.len() / 2].as_secs_f64() / (FOLLOWERS * PER_POST) as f64;
    let ratio = median.as_secs_f64() / sign_1.as_secs_f64();
    let ms = |d: Duration| format!("{:.0} ms", d.as_secs_f64() * 1e3);

    common::print_table(
        &format!(
            "Fan-out of one post to {FOLLOWERS} inboxes ({} signed requests) on {SINK_HOSTS} sink \
             hosts (SQLite, delivery_concurrency {}, 2 cores, {})",
            FOLLOWERS * PER_POST,
            a.settings.delivery_concurrency,
            common::build_and_date()
        ),
        &[
            "post",
            "posts::create ms",
            "first copy ms",
            "all copies ms",
            "CPU s",
            "÷ raw signing (1,000, 1 thread)",
        ],
        &rows,
    );
    common::print_summary(
        "Summary",
        &[
            (
                format!("raw RSA-2048 signing of {FOLLOWERS} requests, 1 thread"),
                ms(sign_1),
            ),
            (
                format!(
                    "raw RSA-2048 signing of {} requests (one post's), 2 threads",
                    FOLLOWERS * PER_POST
                ),
                ms(sign_2),
            ),
            (
                format!("fan-out to {FOLLOWERS} inboxes, both activities (median of {RUNS})"),
                ms(median),
            ),
            (
                format!("fan-out ÷ raw signing of {FOLLOWERS} (1 thread)"),
                format!(
                    "{ratio:.2}× (goal ≤ {GOAL_RATIO}×: {})",
                    common::verdict(ratio <= GOAL_RATIO)
                ),
            ),
            (
                format!(
                    "fan-out ÷ raw signing of {} (2 threads)",
                    FOLLOWERS * PER_POST
                ),
                format!("{:.2}×", median.as_secs_f64() / sign_2.as_secs_f64()),
            ),
            (
                "CPU per delivered request ÷ CPU per raw signature".into(),
                format!(
                    "{:.0} µs ÷ {:.0} µs = {:.2}×",
                    cpu_per_request * 1e6,
                    sign_cpu * 1e6,
                    cpu_per_request / sign_cpu
                ),
            ),
        ],
    );
    println!(
        "\nCPU s: this process over the fan-out (instance A and the sinks, which parse every body)."
    );
    let other = seen.lock().expect("sink state").other;
    if other > 0 {
        println!("note: the sinks also received {other} other requests");
    }
    for i in instances {
        i.stop().await;
    }
    sinks.handle.stop(true).await;
}

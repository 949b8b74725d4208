//! A load client for pre-signed POSTs that runs in its own process (this
//! bench binary again, started with `COMMONHALL_BENCH_CLIENT` set), so the
//! server's CPU time can be read apart from the client's: it sends every
//! request of a file once, `connections` at a time over keep-alive
//! connections, and prints how long that took and the status codes. A 503
//! is sent again after the server's `Retry-After`, as federating servers do
//! (counted apart as "503-retried").

use std::collections::BTreeMap;
use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const ENV: &str = "COMMONHALL_BENCH_CLIENT";
/// Tries of one request answered 503 (with the server's `Retry-After` between them).
const MAX_ATTEMPTS: usize = 4;

/// One signed request.
pub struct Signed {
    /// `host[:port]` the signature covers (also the `Host` header).
    pub host: String,
    pub date: String,
    pub digest: String,
    pub signature: String,
    /// Compact JSON: no tabs or line breaks.
    pub body: String,
}

/// What the client saw.
pub struct Report {
    pub elapsed: Duration,
    /// Status code (or `error`) → count.
    pub statuses: BTreeMap<String, usize>,
}

impl Report {
    pub fn count(&self, status: &str) -> usize {
        self.statuses.get(status).copied().unwrap_or(0)
    }
}

/// Writes requests one a line: host, date, digest, signature, body, tab-separated.
pub fn write(path: &Path, requests: &[Signed]) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).expect("requests file"));
    for r in requests {
        writeln!(
            f,
            "{}\t{}\t{}\t{}\t{}",
            r.host, r.date, r.digest, r.signature, r.body
        )
        .expect("write request");
    }
    f.flush().expect("flush requests");
}

/// Sends the file's requests to `addr` from a child process; blocks until done.
pub fn run(file: &Path, addr: SocketAddr, path: &str, connections: usize) -> Report {
    let exe = std::env::current_exe().expect("this bench's path");
    let out = std::process::Command::new(exe)
        .env(
            ENV,
            format!("{}|{addr}|{path}|{connections}", file.display()),
        )
        .output()
        .expect("start the load client");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "load client failed: {text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut report = Report {
        elapsed: Duration::ZERO,
        statuses: BTreeMap::new(),
    };
    for line in text.lines() {
        let parts: Vec<&str> = line.splitn(3, ' ').collect();
        match parts.as_slice() {
            ["elapsed_us", us] => {
                report.elapsed = Duration::from_micros(us.parse().expect("elapsed"));
            }
            ["status", code, n] => {
                report
                    .statuses
                    .insert(code.to_string(), n.parse().expect("count"));
            }
            _ => {}
        }
    }
    report
}

/// In the child process: send, print, exit. Returns at once in the parent.
pub fn child_if_asked() {
    let Ok(spec) = std::env::var(ENV) else {
        return;
    };
    let parts: Vec<&str> = spec.split('|').collect();
    let [file, addr, path, connections] = parts.as_slice() else {
        panic!("bad {ENV}: {spec}");
    };
    let addr: SocketAddr = addr.parse().expect("address");
    let connections: usize = connections.parse().expect("connections");
    let text = std::fs::read_to_string(file).expect("requests file");
    let requests: Vec<Signed> = text
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.splitn(5, '\t').collect();
            Signed {
                host: f[0].into(),
                date: f[1].into(),
                digest: f[2].into(),
                signature: f[3].into(),
                body: f[4].into(),
            }
        })
        .collect();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("client runtime");
    let (elapsed, statuses) = rt.block_on(send_all(requests, addr, path, connections));
    println!("elapsed_us {}", elapsed.as_micros());
    for (code, n) in statuses {
        println!("status {code} {n}");
    }
    std::process::exit(0);
}

async fn send_all(
    requests: Vec<Signed>,
    addr: SocketAddr,
    path: &str,
    connections: usize,
) -> (Duration, BTreeMap<String, usize>) {
    let host_name = requests
        .first()
        .map(|r| r.host.split(':').next().unwrap_or(&r.host).to_string())
        .unwrap_or_default();
    let client = reqwest::Client::builder()
        .resolve(&host_name, SocketAddr::new(addr.ip(), 0))
        .pool_max_idle_per_host(connections)
        .timeout(Duration::from_secs(60))
        .build()
        .expect("client");
    let requests = Arc::new(requests);
    let next = Arc::new(AtomicUsize::new(0));
    let statuses: Arc<Mutex<BTreeMap<String, usize>>> = Arc::default();
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..connections {
        let (client, requests, next) = (client.clone(), requests.clone(), next.clone());
        let (statuses, path) = (statuses.clone(), path.to_string());
        tasks.spawn(async move {
            let mut mine: BTreeMap<String, usize> = BTreeMap::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(r) = requests.get(i) else { break };
                // As a sender does: a 503 is tried again after its Retry-After.
                for attempt in 1..=MAX_ATTEMPTS {
                    let result = client
                        .post(format!("http://{}{path}", r.host))
                        .header("content-type", "application/activity+json")
                        .header("date", &r.date)
                        .header("digest", &r.digest)
                        .header("signature", &r.signature)
                        .body(r.body.clone())
                        .send()
                        .await;
                    let (key, retry_after) = match result {
                        Ok(resp) => {
                            let code = resp.status().as_u16();
                            let retry_after = resp
                                .headers()
                                .get("retry-after")
                                .and_then(|v| v.to_str().ok())
                                .and_then(|v| v.parse::<u64>().ok());
                            let _ = resp.bytes().await;
                            (code.to_string(), (code == 503).then_some(retry_after))
                        }
                        Err(_) => ("error".to_string(), None),
                    };
                    match retry_after {
                        Some(secs) if attempt < MAX_ATTEMPTS => {
                            *mine.entry("503-retried".into()).or_default() += 1;
                            tokio::time::sleep(Duration::from_secs(secs.unwrap_or(1))).await;
                        }
                        _ => {
                            *mine.entry(key).or_default() += 1;
                            break;
                        }
                    }
                }
            }
            let mut all = statuses.lock().expect("statuses");
            for (k, v) in mine {
                *all.entry(k).or_default() += v;
            }
        });
    }
    while tasks.join_next().await.is_some() {}
    let elapsed = started.elapsed();
    let statuses = statuses.lock().expect("statuses").clone();
    (elapsed, statuses)
}

//! A load client for pre-signed POSTs that runs in its own process (this
//! bench binary again, started with `COMMONHALL_BENCH_CLIENT` set), so the
//! server's CPU time can be read apart from the client's: it sends every
//! request of a file once, `connections` at a time over keep-alive
//! connections, and prints how long that took and the status codes. A 503
//! is sent again after the server's `Retry-After`, as federating servers do
//! (counted apart as "503-retried"). It speaks HTTP/1.1 over plain sockets
//! with every request built beforehand, as `wrk` does, so that the client
//! takes as little as it can of the two cores it shares with the server.

use std::collections::BTreeMap;
use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

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
    /// The client's own CPU time while sending.
    pub cpu: Duration,
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
        cpu: Duration::ZERO,
        statuses: BTreeMap::new(),
    };
    for line in text.lines() {
        let parts: Vec<&str> = line.splitn(3, ' ').collect();
        match parts.as_slice() {
            ["elapsed_us", us] => {
                report.elapsed = Duration::from_micros(us.parse().expect("elapsed"));
            }
            ["cpu_us", us] => report.cpu = Duration::from_micros(us.parse().expect("cpu")),
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
    let cpu = super::process_cpu();
    let (elapsed, statuses) = rt.block_on(send_all(requests, addr, path, connections));
    println!("elapsed_us {}", elapsed.as_micros());
    println!("cpu_us {}", (super::process_cpu() - cpu).as_micros());
    for (code, n) in statuses {
        println!("status {code} {n}");
    }
    std::process::exit(0);
}

/// The request as it goes on the wire, built before the clock starts.
fn wire(r: &Signed, path: &str) -> Vec<u8> {
    format!(
        "POST {path} HTTP/1.1\r\nhost: {}\r\ncontent-type: application/activity+json\r\n\
         date: {}\r\ndigest: {}\r\nsignature: {}\r\ncontent-length: {}\r\n\r\n{}",
        r.host,
        r.date,
        r.digest,
        r.signature,
        r.body.len(),
        r.body
    )
    .into_bytes()
}

/// One keep-alive HTTP/1.1 connection, one request at a time (no pipelining,
/// as federating servers send).
struct Connection {
    addr: SocketAddr,
    stream: Option<TcpStream>,
    buf: Vec<u8>,
}

/// A response's status code and `Retry-After` seconds.
type Answer = (u16, Option<u64>);

impl Connection {
    async fn send(&mut self, request: &[u8]) -> std::io::Result<Answer> {
        if self.stream.is_none() {
            let stream = TcpStream::connect(self.addr).await?;
            stream.set_nodelay(true)?;
            self.stream = Some(stream);
        }
        let result = self.exchange(request).await;
        if !matches!(result, Ok(Some(_))) {
            self.stream = None;
        }
        result?.ok_or_else(|| std::io::Error::other("connection closed"))
    }

    /// `None` when the server closed the connection before answering.
    async fn exchange(&mut self, request: &[u8]) -> std::io::Result<Option<Answer>> {
        let stream = self.stream.as_mut().expect("connected");
        stream.write_all(request).await?;
        self.buf.clear();
        loop {
            let mut headers = [httparse::EMPTY_HEADER; 32];
            let mut response = httparse::Response::new(&mut headers);
            if let httparse::Status::Complete(head) =
                response.parse(&self.buf).map_err(std::io::Error::other)?
            {
                let header = |name: &str| {
                    response
                        .headers
                        .iter()
                        .find(|h| h.name.eq_ignore_ascii_case(name))
                        .and_then(|h| std::str::from_utf8(h.value).ok())
                        .and_then(|v| v.trim().parse::<u64>().ok())
                };
                let length = header("content-length").unwrap_or(0) as usize;
                let answer = (response.code.unwrap_or(0), header("retry-after"));
                while self.buf.len() < head + length {
                    if stream.read_buf(&mut self.buf).await? == 0 {
                        return Ok(None);
                    }
                }
                return Ok(Some(answer));
            }
            if stream.read_buf(&mut self.buf).await? == 0 {
                return Ok(None);
            }
        }
    }
}

async fn send_all(
    requests: Vec<Signed>,
    addr: SocketAddr,
    path: &str,
    connections: usize,
) -> (Duration, BTreeMap<String, usize>) {
    let requests: Arc<Vec<Vec<u8>>> = Arc::new(requests.iter().map(|r| wire(r, path)).collect());
    let next = Arc::new(AtomicUsize::new(0));
    let statuses: Arc<Mutex<BTreeMap<String, usize>>> = Arc::default();
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..connections {
        let (requests, next, statuses) = (requests.clone(), next.clone(), statuses.clone());
        tasks.spawn(async move {
            let mut connection = Connection {
                addr,
                stream: None,
                buf: Vec::with_capacity(1024),
            };
            let mut mine: BTreeMap<String, usize> = BTreeMap::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(r) = requests.get(i) else { break };
                // As a sender does: a 503 is tried again after its Retry-After.
                for attempt in 1..=MAX_ATTEMPTS {
                    let (key, retry_after) = match connection.send(r).await {
                        Ok((code, retry_after)) => {
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

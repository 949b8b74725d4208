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
use std::io::{Read, Write};
use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, Instant};

use mio::net::TcpStream;
use mio::{Events, Interest, Poll, Token};

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
    let cpu = super::process_cpu();
    let (elapsed, statuses) = send_all(requests, addr, path, connections).expect("load client");
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

/// How long the client sleeps when none of its sockets has news. On
/// loopback a response's send runs the receiver's side inside the server's
/// system call, waking the client if it waits in `epoll_wait`: a client
/// that slept until each answer made the server pay one wake-up per request
/// (a third of its `send`, perf), which a sender on another machine never
/// costs it. Looking every half millisecond takes the answers that arrived
/// meanwhile together; 32 requests in flight keep the server busy.
const TICK: Duration = Duration::from_micros(500);

/// The request on a connection and how far it went.
struct InFlight {
    index: usize,
    attempt: usize,
    written: usize,
}

/// One keep-alive HTTP/1.1 connection, one request at a time (no pipelining,
/// as federating servers send).
struct Connection {
    stream: TcpStream,
    buf: Vec<u8>,
    current: Option<InFlight>,
    /// A 503's `Retry-After`: when to send the request again.
    retry_at: Option<Instant>,
}

/// A response's status code and `Retry-After` seconds.
type Answer = (u16, Option<u64>);

fn connect(addr: SocketAddr, poll: &Poll, token: Token) -> std::io::Result<TcpStream> {
    let stream = std::net::TcpStream::connect(addr)?;
    stream.set_nodelay(true)?;
    stream.set_nonblocking(true)?;
    let mut stream = TcpStream::from_std(stream);
    poll.registry()
        .register(&mut stream, token, Interest::READABLE | Interest::WRITABLE)?;
    Ok(stream)
}

/// A complete response at the start of `buf`, if there is one.
fn parse_answer(buf: &[u8]) -> std::io::Result<Option<Answer>> {
    let mut headers = [httparse::EMPTY_HEADER; 32];
    let mut response = httparse::Response::new(&mut headers);
    let httparse::Status::Complete(head) = response.parse(buf).map_err(std::io::Error::other)?
    else {
        return Ok(None);
    };
    let header = |name: &str| {
        response
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .and_then(|h| std::str::from_utf8(h.value).ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
    };
    let length = header("content-length").unwrap_or(0) as usize;
    Ok((buf.len() >= head + length).then(|| (response.code.unwrap_or(0), header("retry-after"))))
}

impl Connection {
    /// Writes what is left of the request in flight (until the socket is full).
    fn write(&mut self, requests: &[Vec<u8>]) -> std::io::Result<()> {
        let Some(f) = self.current.as_mut().filter(|_| self.retry_at.is_none()) else {
            return Ok(());
        };
        let request = &requests[f.index];
        while f.written < request.len() {
            match self.stream.write(&request[f.written..]) {
                Ok(0) => return Err(std::io::ErrorKind::WriteZero.into()),
                Ok(n) => f.written += n,
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return Ok(()),
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Reads until the answer is complete or the socket is empty; `None`: not yet.
    fn read(&mut self) -> std::io::Result<Option<Answer>> {
        let mut chunk = [0u8; 4096];
        loop {
            match self.stream.read(&mut chunk) {
                Ok(0) => return Err(std::io::ErrorKind::UnexpectedEof.into()),
                Ok(n) => {
                    self.buf.extend_from_slice(&chunk[..n]);
                    // The server sends nothing unasked, so a whole answer
                    // means the socket is empty: no read to learn so.
                    if let Some(answer) = parse_answer(&self.buf)? {
                        self.buf.clear();
                        return Ok(Some(answer));
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return Ok(None),
                Err(e) => return Err(e),
            }
        }
    }
}

/// The client's state: its connections, the next request, what came back.
struct Client<'a> {
    requests: &'a [Vec<u8>],
    addr: SocketAddr,
    poll: Poll,
    connections: Vec<Connection>,
    next: usize,
    finished: usize,
    statuses: BTreeMap<String, usize>,
}

impl Client<'_> {
    /// Puts the next unsent request on connection `i`, if any is left.
    fn start_next(&mut self, i: usize) -> std::io::Result<()> {
        if self.next < self.requests.len() {
            self.connections[i].current = Some(InFlight {
                index: self.next,
                attempt: 1,
                written: 0,
            });
            self.next += 1;
            self.connections[i].write(self.requests)?;
        }
        Ok(())
    }

    /// Counts a request as done (`key`: its status) and starts the next one.
    fn finish(&mut self, i: usize, key: String) -> std::io::Result<()> {
        *self.statuses.entry(key).or_default() += 1;
        self.finished += 1;
        self.connections[i].current = None;
        self.start_next(i)
    }

    /// Handles news on connection `i`: more of the request written, an answer read.
    fn progress(&mut self, i: usize) -> std::io::Result<()> {
        let c = &mut self.connections[i];
        if c.current.is_none() {
            // Idle (all sent): a close by the server is nothing to count.
            return Ok(());
        }
        let read = c.write(self.requests).and_then(|()| c.read());
        match read {
            Ok(None) => Ok(()),
            Ok(Some((503, retry_after))) => {
                let c = &mut self.connections[i];
                match c.current.as_mut() {
                    Some(f) if f.attempt < MAX_ATTEMPTS => {
                        // As a sender does: tried again after its Retry-After.
                        f.attempt += 1;
                        f.written = 0;
                        let wait = Duration::from_secs(retry_after.unwrap_or(1));
                        c.retry_at = Some(Instant::now() + wait);
                        *self.statuses.entry("503-retried".into()).or_default() += 1;
                        Ok(())
                    }
                    _ => self.finish(i, "503".into()),
                }
            }
            Ok(Some((code, _))) => self.finish(i, code.to_string()),
            Err(_) => {
                // The connection broke: the request counts as an error, and
                // the connection is opened again for the next one.
                let stream = connect(self.addr, &self.poll, Token(i))?;
                let c = &mut self.connections[i];
                c.stream = stream;
                c.buf.clear();
                self.finish(i, "error".into())
            }
        }
    }

    /// Sends the requests that waited out a `Retry-After`.
    fn resend_due(&mut self, now: Instant) -> std::io::Result<()> {
        for i in 0..self.connections.len() {
            let c = &mut self.connections[i];
            if c.retry_at.is_some_and(|at| at <= now) {
                c.retry_at = None;
                c.write(self.requests)?;
            }
        }
        Ok(())
    }
}

fn send_all(
    requests: Vec<Signed>,
    addr: SocketAddr,
    path: &str,
    connections: usize,
) -> std::io::Result<(Duration, BTreeMap<String, usize>)> {
    let requests: Vec<Vec<u8>> = requests.iter().map(|r| wire(r, path)).collect();
    let poll = Poll::new()?;
    let mut events = Events::with_capacity(connections.max(1));
    let started = Instant::now();
    let mut client = Client {
        requests: &requests,
        addr,
        connections: Vec::with_capacity(connections),
        poll,
        next: 0,
        finished: 0,
        statuses: BTreeMap::new(),
    };
    for i in 0..connections.min(requests.len()) {
        let stream = connect(addr, &client.poll, Token(i))?;
        client.connections.push(Connection {
            stream,
            buf: Vec::with_capacity(1024),
            current: None,
            retry_at: None,
        });
        client.start_next(i)?;
    }
    while client.finished < requests.len() {
        client.resend_due(Instant::now())?;
        client.poll.poll(&mut events, Some(Duration::ZERO))?;
        if events.is_empty() {
            std::thread::sleep(TICK);
            continue;
        }
        for event in events.iter() {
            client.progress(event.token().0)?;
        }
    }
    Ok((started.elapsed(), client.statuses))
}

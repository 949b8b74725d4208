//! Idle memory of one instance: `cargo bench -p commonhall-tests --bench idle_rss`.
//!
//! Runs `commonhall serve` — the same `cli::run` the binary calls, in a child process of its own
//! (this bench started again with `IDLE_RSS_SERVE` set) — on SQLite with default settings in a
//! fresh data directory, serves the home page, `/login` and the health check five times each,
//! waits two seconds idle and prints the child's resident set size, split into the program's
//! own pages (code and read-only data mapped from the file) and anonymous memory (heap and
//! stacks). Exits non-zero when it is 30 MiB or more.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const GOAL_MIB: f64 = 30.0;
const SERVE: &str = "IDLE_RSS_SERVE";

/// A `/proc/<pid>/…` figure in KiB (`VmRSS:`, `Anonymous:`, …), summed over the file's lines.
fn kib(pid: u32, file: &str, key: &str) -> u64 {
    let text = std::fs::read_to_string(format!("/proc/{pid}/{file}"))
        .unwrap_or_else(|e| panic!("read /proc/{pid}/{file}: {e}"));
    text.lines()
        .filter_map(|l| l.strip_prefix(key))
        .filter_map(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .sum()
}

fn count(pid: u32, key: &str) -> u64 {
    kib(pid, "status", key)
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

/// Stops the child on every way out, panics included.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        // SIGTERM first (graceful shutdown), then make sure.
        unsafe { libc::kill(self.0.id() as i32, libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn main() {
    if std::env::var_os(SERVE).is_some() {
        // The child: exactly what `commonhall serve` does.
        let cli = commonhall::cli::Cli {
            config: None,
            command: Some(commonhall::cli::Command::Serve),
        };
        if let Err(e) = commonhall::cli::run(cli) {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
        return;
    }

    let data = tempfile::tempdir().expect("temporary data directory");
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let exe = std::env::current_exe().expect("this bench's path");
    let server = Server(
        Command::new(exe)
            .env(SERVE, "1")
            .env("COMMONHALL_BIND", format!("127.0.0.1:{port}"))
            .env("COMMONHALL_HOSTNAME", format!("127.0.0.1:{port}"))
            .env("COMMONHALL_DATA_DIR", data.path())
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .expect("start the instance"),
    );
    let pid = server.0.id();

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    rt.block_on(async {
        let client = reqwest::Client::new();
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            match client.get(format!("{base}/healthz")).send().await {
                Ok(r) if r.status().is_success() => break,
                _ if Instant::now() > deadline => panic!("the instance did not start in 60 s"),
                _ => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
        for _ in 0..5 {
            for path in ["/", "/healthz", "/login"] {
                let r = client
                    .get(format!("{base}{path}"))
                    .header("accept-encoding", "gzip")
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("GET {path}: {e}"));
                assert!(r.status().is_success(), "GET {path}: {}", r.status());
                r.bytes().await.expect("a body");
            }
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    });

    let rss = count(pid, "VmRSS:");
    let anon = kib(pid, "smaps_rollup", "Anonymous:");
    let threads = count(pid, "Threads:");
    drop(server);
    let total = mib(rss);
    println!(
        "idle RSS after start (`commonhall serve`, SQLite): {total:.1} MiB (goal < {GOAL_MIB:.0} MiB)"
    );
    println!(
        "  of which mapped from the program file: {:.1} MiB; heap and stacks: {:.1} MiB; {threads} threads",
        mib(rss.saturating_sub(anon)),
        mib(anon)
    );
    if total >= GOAL_MIB {
        eprintln!("idle RSS is over the goal");
        std::process::exit(1);
    }
}

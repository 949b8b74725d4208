//! Driving `wrk` (Debian package `wrk`), the load tool the HTTP benches use:
//! checking it is installed, running it and reading its summary, and one
//! measured GET load with the server's CPU time.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// Stops the bench with a clear message when `wrk` is not installed.
pub fn require(bench: &str) {
    let found = Command::new("wrk")
        .arg("--version")
        .output()
        .map(|o| !o.stdout.is_empty() || !o.stderr.is_empty())
        .unwrap_or(false);
    if !found {
        eprintln!(
            "{bench}: this benchmark measures with the load tool `wrk`, which is not installed.\n\
             Install it (Debian/Ubuntu: `apt-get install -y wrk`) and run it again."
        );
        std::process::exit(2);
    }
}

/// One `wrk` run.
pub struct Load<'a> {
    pub url: &'a str,
    pub threads: usize,
    pub connections: usize,
    pub duration: Duration,
    pub headers: &'a [(&'a str, &'a str)],
    /// A Lua script (`-s`) and its arguments (after `--`).
    pub script: Option<(&'a Path, Vec<String>)>,
}

/// What `wrk` reported.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    pub requests: u64,
    pub elapsed: Duration,
    pub non_2xx: u64,
    pub socket_errors: u64,
    pub mean_latency: Duration,
    pub p99_latency: Option<Duration>,
    /// Everything it printed, for lines a script adds.
    pub output: String,
}

impl Summary {
    /// 2xx/3xx responses per second.
    pub fn ok_rate(&self) -> f64 {
        self.requests.saturating_sub(self.non_2xx) as f64 / self.elapsed.as_secs_f64()
    }
}

/// Runs `wrk` (blocking: call it from `spawn_blocking`) and reads its summary.
pub fn run(load: &Load<'_>) -> Result<Summary, String> {
    let mut cmd = Command::new("wrk");
    cmd.arg(format!("-t{}", load.threads))
        .arg(format!("-c{}", load.connections))
        .arg(format!("-d{}s", load.duration.as_secs().max(1)))
        .arg("--latency")
        .arg("--timeout")
        .arg("30s");
    for (name, value) in load.headers {
        cmd.arg("-H").arg(format!("{name}: {value}"));
    }
    if let Some((script, _)) = &load.script {
        cmd.arg("-s").arg(script);
    }
    cmd.arg(load.url);
    if let Some((_, args)) = &load.script {
        cmd.arg("--").args(args);
    }
    let out = cmd.output().map_err(|e| format!("cannot run wrk: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    if !out.status.success() {
        return Err(format!(
            "wrk failed: {text}{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    parse(&text).ok_or_else(|| format!("cannot read wrk's output:\n{text}"))
}

/// Reads wrk 4's summary.
fn parse(text: &str) -> Option<Summary> {
    let field = |prefix: &str| {
        text.lines()
            .find_map(|l| l.trim().strip_prefix(prefix).map(str::trim))
    };
    // "  41234 requests in 10.01s, 1.23GB read"
    let (requests, elapsed) = text.lines().find_map(|l| {
        let (n, rest) = l.trim().split_once(" requests in ")?;
        Some((n.parse().ok()?, duration(rest.split(',').next()?)?))
    })?;
    let socket_errors = field("Socket errors:")
        .map(|rest| {
            rest.split(',')
                .filter_map(|p| p.split_whitespace().last()?.parse::<u64>().ok())
                .sum()
        })
        .unwrap_or(0);
    Some(Summary {
        requests,
        elapsed,
        non_2xx: field("Non-2xx or 3xx responses:")
            .and_then(|n| n.parse().ok())
            .unwrap_or(0),
        socket_errors,
        // "    Latency    10.93ms    2.41ms  34.43ms   79.93%"
        mean_latency: field("Latency")
            .and_then(|rest| duration(rest.split_whitespace().next()?))
            .unwrap_or_default(),
        // "     99%   31.20ms"
        p99_latency: field("99%").and_then(duration),
        output: text.to_string(),
    })
}

/// `10.93ms`, `1.20s`, `850.00us`, `2.00m` → Duration.
fn duration(s: &str) -> Option<Duration> {
    let s = s.trim();
    let (num, unit) = s.split_at(s.find(|c: char| c.is_ascii_alphabetic())?);
    let v: f64 = num.parse().ok()?;
    let secs = match unit {
        "us" => v / 1e6,
        "ms" => v / 1e3,
        "s" => v,
        "m" => v * 60.0,
        "h" => v * 3600.0,
        _ => return None,
    };
    Some(Duration::from_secs_f64(secs))
}

/// One [`measure`]d URL.
pub struct Measured {
    pub summary: Summary,
    /// This process's CPU time over the load (the server's, wrk being elsewhere).
    pub cpu: Duration,
    /// Bytes of one response.
    pub size: usize,
}

impl Measured {
    /// Server CPU milliseconds per request.
    pub fn cpu_ms_per_request(&self) -> f64 {
        self.cpu.as_secs_f64() * 1e3 / self.summary.requests.max(1) as f64
    }
}

/// Checks that one GET of `url` succeeds, then loads it with wrk (one thread, `connections`
/// keep-alive connections, `seconds`), asking for `accept`; prints wrk's output on errors.
pub async fn measure(url: &str, accept: &str, connections: usize, seconds: u64) -> Measured {
    let probe = reqwest::Client::new()
        .get(url)
        .header("accept", accept)
        .send()
        .await
        .expect("probe request");
    let status = probe.status();
    let size = probe.bytes().await.map(|b| b.len()).unwrap_or(0);
    assert!(status.is_success(), "GET {url}: {status} before the load");
    let cpu0 = super::process_cpu();
    let (u, a) = (url.to_string(), accept.to_string());
    let summary = tokio::task::spawn_blocking(move || {
        run(&Load {
            url: &u,
            threads: 1,
            connections,
            duration: Duration::from_secs(seconds),
            headers: &[("Accept", &a)],
            script: None,
        })
    })
    .await
    .expect("wrk task")
    .unwrap_or_else(|e| panic!("{e}"));
    let cpu = super::process_cpu() - cpu0;
    if summary.non_2xx > 0 || summary.socket_errors > 0 {
        println!("{url}: wrk saw errors:\n{}", summary.output);
    }
    Measured { summary, cpu, size }
}

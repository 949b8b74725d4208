//! Running the real `commonhall` binary as a child process (for crash tests: kill -9 and restart).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The `commonhall` binary of this build, built first if needed.
pub fn binary() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("target directory");
    let bin = dir.join("commonhall");
    if !bin.exists() {
        let status = Command::new(env!("CARGO"))
            .args(["build", "-p", "commonhall", "--bin", "commonhall"])
            .status()
            .expect("run cargo build");
        assert!(status.success(), "building the commonhall binary failed");
    }
    bin
}

/// A `commonhall serve` child process; killed (SIGKILL) when dropped.
pub struct ServerProcess {
    child: Child,
}

impl ServerProcess {
    /// Starts `commonhall --config <file> serve` and waits until `/healthz` answers.
    pub async fn start(config: &Path, health_url: &str) -> ServerProcess {
        let child = Command::new(binary())
            .args(["--config", &config.display().to_string(), "serve"])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start commonhall");
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(r) = client.get(health_url).send().await {
                if r.status().is_success() {
                    break;
                }
            }
            assert!(
                Instant::now() < deadline,
                "commonhall did not come up at {health_url}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        ServerProcess { child }
    }

    /// SIGKILL: no shutdown, no flushing — as a power cut.
    pub fn kill_9(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The settings a test gives a `commonhall` process, as the TOML file it reads with `--config`.
pub fn config_toml(s: &commonhall::config::Settings) -> String {
    let hosts: Vec<String> = s
        .federation_hosts
        .iter()
        .map(|(k, v)| format!("\"{k}\" = \"{v}\""))
        .collect();
    format!(
        "hostname = \"{}\"\nbind = \"{}\"\ndata_dir = \"{}\"\nregistration = \"open\"\nfederation_debug = true\ndelivery_concurrency = {}\nhttp_workers = 1\n\n[federation_hosts]\n{}\n",
        s.hostname,
        s.bind,
        s.data_dir.display(),
        s.delivery_concurrency,
        hosts.join("\n")
    )
}

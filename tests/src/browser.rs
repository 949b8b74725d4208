//! Driving real headless Chromium through chromedriver (see tests/tests/browser.rs).
//!
//! [`Chromium::start`] launches `chromedriver` on a free loopback port as a
//! child process (in its own process group, killed on drop together with the
//! browsers it started), then opens a WebDriver session on a headless
//! Chromium with a fresh profile directory. JavaScript can be switched off
//! with a Chrome content-setting preference, which is how a member on an old
//! phone with scripts disabled sees the site.
//!
//! Missing programs are an error, never a skip: install them with
//! `apt-get install chromium chromium-driver`. `CHROMIUM_BIN` and
//! `CHROMEDRIVER_BIN` override where they are looked for.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

/// How long to wait for a page or an element before failing.
pub const WAIT: Duration = Duration::from_secs(30);

/// Whether pages may run scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JavaScript {
    On,
    Off,
}

/// A headless Chromium session driven through its own chromedriver.
pub struct Chromium {
    client: Option<Client>,
    driver: Child,
    profile: tempfile::TempDir,
}

const INSTALL_HINT: &str = "the browser tests need Chromium and chromedriver: \
     run `apt-get install chromium chromium-driver` (or `.ci/run`, which installs them)";

/// The Chromium binary: `$CHROMIUM_BIN` or `/usr/bin/chromium`.
pub fn chromium_binary() -> PathBuf {
    std::env::var_os("CHROMIUM_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

/// The chromedriver binary: `$CHROMEDRIVER_BIN` or `chromedriver` on `PATH`.
pub fn chromedriver_binary() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CHROMEDRIVER_BIN") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("chromedriver"))
        .find(|p| p.is_file())
}

fn free_port() -> anyhow::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn log_tail(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}

impl Chromium {
    /// Starts chromedriver and a headless Chromium session.
    pub async fn start(js: JavaScript) -> anyhow::Result<Chromium> {
        let binary = chromium_binary();
        if !binary.is_file() {
            bail!("Chromium not found at {}: {INSTALL_HINT}", binary.display());
        }
        let Some(driver_bin) = chromedriver_binary() else {
            bail!("chromedriver not found on PATH: {INSTALL_HINT}");
        };

        let profile = tempfile::Builder::new()
            .prefix("commonhall-chromium-")
            .tempdir()?;
        let log = profile.path().join("chromedriver.log");
        let user_data = profile.path().join("profile");
        let port = free_port()?;
        let driver = Command::new(&driver_bin)
            .arg(format!("--port={port}"))
            .arg(format!("--log-path={}", log.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // Own process group, so dropping kills the browsers it starts too.
            .process_group(0)
            .spawn()
            .with_context(|| format!("starting {}: {INSTALL_HINT}", driver_bin.display()))?;
        let mut chromium = Chromium {
            client: None,
            driver,
            profile,
        };

        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let started = Instant::now();
        while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
            if let Some(status) = chromium.driver.try_wait()? {
                bail!(
                    "chromedriver exited at start ({status}):\n{}",
                    log_tail(&log)
                );
            }
            if started.elapsed() > WAIT {
                bail!(
                    "chromedriver did not listen on {addr} within {WAIT:?}:\n{}",
                    log_tail(&log)
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }

        let mut prefs = serde_json::Map::new();
        if js == JavaScript::Off {
            prefs.insert(
                "profile.managed_default_content_settings.javascript".into(),
                json!(2),
            );
        }
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), json!("chrome"));
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": binary,
                "args": [
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                    "--disable-dev-shm-usage",
                    format!("--user-data-dir={}", user_data.display()),
                ],
                "prefs": prefs,
            }),
        );
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://{addr}"))
            .await
            .map_err(|e| {
                anyhow!(
                    "cannot open a Chromium session through chromedriver: {e}\n{}",
                    log_tail(&log)
                )
            })?;
        chromium.client = Some(client);
        Ok(chromium)
    }

    /// The WebDriver client, for anything the helpers below do not cover.
    pub fn client(&self) -> &Client {
        self.client.as_ref().expect("session is open")
    }

    /// Where chromedriver writes its log (useful in failure messages).
    pub fn log_path(&self) -> PathBuf {
        self.profile.path().join("chromedriver.log")
    }

    /// Whether scripts actually run in this browser: loads a page whose
    /// inline script changes the title.
    pub async fn javascript_runs(&self) -> anyhow::Result<bool> {
        self.client()
            .goto("data:text/html,<title>off</title><script>document.title='on'</script>")
            .await?;
        Ok(self.client().title().await? == "on")
    }

    pub async fn goto(&self, url: &str) -> anyhow::Result<()> {
        self.client()
            .goto(url)
            .await
            .with_context(|| format!("opening {url}"))
    }

    /// Path and query of the current page, e.g. `/settings?welcome=1`.
    pub async fn path(&self) -> anyhow::Result<String> {
        let url = self.client().current_url().await?;
        Ok(match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_string(),
        })
    }

    /// Waits until the current page's path and query are `want`.
    pub async fn wait_for_path(&self, want: &str) -> anyhow::Result<()> {
        let started = Instant::now();
        loop {
            let now = self.path().await?;
            if now == want {
                return Ok(());
            }
            if started.elapsed() > WAIT {
                bail!(
                    "expected to reach {want}, still on {now} after {WAIT:?}; page:\n{}",
                    self.body_text().await.unwrap_or_default()
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits for the first element matching a CSS selector.
    pub async fn wait_for(&self, css: &str) -> anyhow::Result<Element> {
        match self
            .client()
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
        {
            Ok(e) => Ok(e),
            Err(e) => bail!(
                "no `{css}` on {} after {WAIT:?} ({e}); page:\n{}",
                self.path().await.unwrap_or_default(),
                self.body_text().await.unwrap_or_default()
            ),
        }
    }

    /// The visible text of the first element matching a CSS selector.
    pub async fn text(&self, css: &str) -> anyhow::Result<String> {
        Ok(self.wait_for(css).await?.text().await?)
    }

    /// The visible text of the whole page.
    pub async fn body_text(&self) -> anyhow::Result<String> {
        Ok(self
            .client()
            .find(Locator::Css("body"))
            .await?
            .text()
            .await?)
    }

    /// Replaces the value of the form field called `name` by typing `value`.
    pub async fn fill(&self, name: &str, value: &str) -> anyhow::Result<()> {
        let field = self
            .wait_for(&format!(r#"[name="{name}"]"#))
            .await
            .with_context(|| format!("field `{name}`"))?;
        field.clear().await?;
        field.send_keys(value).await?;
        Ok(())
    }

    /// Clicks the `<button>` whose text is `label`.
    pub async fn click_button(&self, label: &str) -> anyhow::Result<()> {
        let xpath = format!("//button[normalize-space(.)='{label}']");
        let button = match self
            .client()
            .wait()
            .at_most(WAIT)
            .for_element(Locator::XPath(&xpath))
            .await
        {
            Ok(b) => b,
            Err(e) => bail!(
                "no button `{label}` on {} ({e})",
                self.path().await.unwrap_or_default()
            ),
        };
        button.click().await?;
        Ok(())
    }

    /// Ends the session (Chromium quits) and stops chromedriver.
    pub async fn close(mut self) -> anyhow::Result<()> {
        if let Some(client) = self.client.take() {
            client.close().await?;
        }
        Ok(())
    }
}

impl Drop for Chromium {
    fn drop(&mut self) {
        let pid = self.driver.id() as i32;
        // SAFETY: signalling the process group we created for chromedriver.
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

//! Settings: defaults, then a TOML file, then `COMMONHALL_*` environment variables; validated once at start.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};

/// Who may create an account through the web or the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum RegistrationMode {
    /// Anyone may register and use the account at once.
    Open,
    /// Anyone may apply; an admin approves before the account can log in.
    Approval,
    /// Only admins create accounts (`commonhall admin create-user`).
    Closed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Public host[:port] of this instance, used in every actor id.
    pub hostname: String,
    /// Address the HTTP server listens on.
    pub bind: SocketAddr,
    /// Where the SQLite database and other files live.
    pub data_dir: PathBuf,
    /// `postgres://…` selects PostgreSQL; anything else is a SQLite path.
    /// Empty means `<data_dir>/commonhall.db`.
    pub database_url: String,
    pub database_pool_size: u32,
    pub registration: RegistrationMode,
    pub instance_name: String,
    pub instance_description: String,
    /// Days a browser session lasts without use.
    pub session_days: u32,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Failed-login budget per client address per minute.
    pub login_attempts_per_minute: u32,
    /// JSON API requests per client address per second (bursts of five times as many).
    pub api_requests_per_second: u32,
    /// Plain http, ports and loopback peers for federation tests. Never in production.
    pub federation_debug: bool,
    pub log_format: LogFormat,
    /// Use `Secure` cookies. Defaults to true unless `federation_debug` serves plain http.
    pub secure_cookies: Option<bool>,
    /// HTTP worker threads; 0 means one per core (at most 4).
    pub http_workers: usize,
    /// Federate only with instances an admin allowed.
    pub federation_allowlist_only: bool,
    /// Requests in flight at once to one healthy instance.
    pub delivery_concurrency: usize,
    /// Incoming activities accepted (202) and not yet processed, at most;
    /// past that the inbox answers 503 with `Retry-After`.
    pub inbox_queue: usize,
    /// Debug mode only: fixed addresses for host names (tests give each
    /// instance a name on 127.0.0.x), e.g. `{ "b.test" = "127.0.0.3" }`.
    pub federation_hosts: std::collections::BTreeMap<String, std::net::IpAddr>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            hostname: "127.0.0.1:8080".into(),
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("./data"),
            database_url: String::new(),
            database_pool_size: 8,
            registration: RegistrationMode::Approval,
            instance_name: "Commonhall".into(),
            instance_description: "A cooperative's own social network.".into(),
            session_days: 30,
            max_body_bytes: 256 * 1024,
            login_attempts_per_minute: 10,
            api_requests_per_second: 20,
            federation_debug: cfg!(debug_assertions),
            log_format: LogFormat::Text,
            secure_cookies: None,
            http_workers: 0,
            federation_allowlist_only: false,
            delivery_concurrency: 4,
            inbox_queue: 256,
            federation_hosts: Default::default(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration file {0} does not exist")]
    MissingFile(PathBuf),
    #[error("invalid configuration: {0}")]
    Parse(String),
    #[error("invalid setting `{field}`: {message}")]
    Invalid {
        field: &'static str,
        message: String,
    },
}

impl Settings {
    /// Loads settings from `file` (if given, it must exist; otherwise
    /// `./commonhall.toml` is read when present) and the environment.
    pub fn load(file: Option<&Path>) -> Result<Settings, ConfigError> {
        let mut fig = Figment::from(Serialized::defaults(Settings::default()));
        match file {
            Some(path) if !path.exists() => return Err(ConfigError::MissingFile(path.into())),
            Some(path) => fig = fig.merge(Toml::file(path)),
            None => fig = fig.merge(Toml::file("commonhall.toml")),
        }
        fig = fig.merge(Env::prefixed("COMMONHALL_").ignore(&["config"]));
        let settings: Settings = fig
            .extract()
            .map_err(|e| ConfigError::Parse(e.to_string()))?;
        settings.validate()?;
        Ok(settings)
    }

    pub fn validate(&self) -> Result<(), ConfigError> {
        validate_hostname(&self.hostname).map_err(|message| ConfigError::Invalid {
            field: "hostname",
            message,
        })?;
        let invalid = |field, message: &str| ConfigError::Invalid {
            field,
            message: message.into(),
        };
        if self.database_pool_size == 0 {
            return Err(invalid("database_pool_size", "must be at least 1"));
        }
        if self.instance_name.trim().is_empty() {
            return Err(invalid("instance_name", "must not be empty"));
        }
        if self.session_days == 0 {
            return Err(invalid("session_days", "must be at least 1"));
        }
        if self.max_body_bytes < 4096 {
            return Err(invalid("max_body_bytes", "must be at least 4096"));
        }
        if !(1..=64).contains(&self.delivery_concurrency) {
            return Err(invalid("delivery_concurrency", "must be 1 to 64"));
        }
        if !(1..=65_536).contains(&self.inbox_queue) {
            return Err(invalid("inbox_queue", "must be 1 to 65536"));
        }
        if !self.federation_hosts.is_empty() && !self.federation_debug {
            return Err(invalid(
                "federation_hosts",
                "is only allowed with federation_debug = true",
            ));
        }
        if self.login_attempts_per_minute == 0 {
            return Err(invalid("login_attempts_per_minute", "must be at least 1"));
        }
        if self.api_requests_per_second == 0 {
            return Err(invalid("api_requests_per_second", "must be at least 1"));
        }
        Ok(())
    }

    /// The database URL, defaulting to a SQLite file in the data directory.
    pub fn database_url(&self) -> String {
        if self.database_url.trim().is_empty() {
            self.data_dir.join("commonhall.db").display().to_string()
        } else {
            self.database_url.clone()
        }
    }

    /// `http` in federation debug mode, `https` otherwise.
    pub fn scheme(&self) -> &'static str {
        if self.federation_debug {
            "http"
        } else {
            "https"
        }
    }

    /// The public base URL, e.g. `https://music.example`.
    pub fn base_url(&self) -> String {
        format!("{}://{}", self.scheme(), self.hostname)
    }

    pub fn secure_cookies(&self) -> bool {
        self.secure_cookies.unwrap_or(!self.federation_debug)
    }
}

fn validate_hostname(host: &str) -> Result<(), String> {
    if host.is_empty() {
        return Err("must not be empty".into());
    }
    if host.contains("://") || host.contains('/') {
        return Err(format!(
            "`{host}` must be a bare host[:port], without scheme or path"
        ));
    }
    let url = url::Url::parse(&format!("http://{host}/"))
        .map_err(|e| format!("`{host}` is not a valid host[:port]: {e}"))?;
    if url.host_str().is_none() || !url.username().is_empty() {
        return Err(format!("`{host}` is not a valid host[:port]"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        Settings::default().validate().unwrap();
    }

    #[test]
    fn hostname_must_be_bare() {
        for bad in [
            "",
            "https://x.example",
            "x.example/path",
            "a b",
            "user@x.example",
        ] {
            let s = Settings {
                hostname: bad.into(),
                ..Settings::default()
            };
            assert!(s.validate().is_err(), "{bad} accepted");
        }
        for good in ["x.example", "x.example:8443", "127.0.0.2:8080", "localhost"] {
            let s = Settings {
                hostname: good.into(),
                ..Settings::default()
            };
            s.validate().unwrap();
        }
    }

    #[test]
    #[allow(clippy::result_large_err)]
    fn env_overrides_and_bad_values_are_explained() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("COMMONHALL_HOSTNAME", "music.example");
            jail.set_env("COMMONHALL_REGISTRATION", "open");
            let s = Settings::load(None).unwrap();
            assert_eq!(s.hostname, "music.example");
            assert_eq!(s.registration, RegistrationMode::Open);
            jail.set_env("COMMONHALL_REGISTRATION", "sometimes");
            let err = Settings::load(None).unwrap_err().to_string();
            assert!(err.to_lowercase().contains("registration"), "{err}");
            assert!(err.contains("sometimes"), "{err}");
            Ok(())
        });
    }

    #[test]
    fn database_url_defaults_to_data_dir() {
        let s = Settings::default();
        assert!(s.database_url().ends_with("commonhall.db"));
    }
}

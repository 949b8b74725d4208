//! The HTTP client for federation: time limits, and no way to reach private addresses outside debug mode.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use activitypub_federation::resolver::ValidatingDnsResolver;
use url::Url;

use crate::config::Settings;

/// Redirects followed per request.
const MAX_REDIRECTS: usize = 3;

/// Builds the client every fetch and delivery uses.
///
/// Outside debug mode, host names are resolved by a resolver that refuses
/// loopback, private and link-local addresses at the moment of connecting
/// (so DNS rebinding cannot slip past an earlier check), and redirects may
/// only lead to `https` URLs with a host name, never to an IP literal (which
/// would skip the resolver). In debug mode the test host map is honoured.
pub fn build(settings: &Settings) -> reqwest::Result<reqwest::Client> {
    let debug = settings.federation_debug;
    let mut client = reqwest::Client::builder()
        .user_agent(format!(
            "Commonhall/{} (+{})",
            env!("CARGO_PKG_VERSION"),
            settings.base_url()
        ))
        .timeout(Duration::from_secs(10))
        .connect_timeout(Duration::from_secs(5))
        .redirect(reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() > MAX_REDIRECTS {
                attempt.error("too many redirects")
            } else if !redirect_allowed(attempt.url(), debug) {
                attempt.error("redirect to a plain-http URL or an IP address")
            } else {
                attempt.follow()
            }
        }))
        .pool_max_idle_per_host(settings.delivery_concurrency)
        .dns_resolver(Arc::new(ValidatingDnsResolver::new(Vec::new(), !debug)));
    if debug {
        for (host, ip) in &settings.federation_hosts {
            client = client.resolve(host, SocketAddr::new(*ip, 0));
        }
    }
    client.build()
}

/// Where a redirect may lead: anywhere in debug mode; otherwise only `https`
/// URLs naming a host (IP literals are never resolved, so never checked).
pub fn redirect_allowed(url: &Url, debug: bool) -> bool {
    debug || (url.scheme() == "https" && url.domain().is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(debug: bool) -> Settings {
        Settings {
            hostname: "coop.example".into(),
            federation_debug: debug,
            ..Settings::default()
        }
    }

    /// A loopback server that answers every connection with `204`.
    async fn loopback_server() -> u16 {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let port = listener.local_addr().expect("addr").port();
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                use tokio::io::{AsyncReadExt, AsyncWriteExt};
                let mut buf = [0u8; 1024];
                let _ = socket.read(&mut buf).await;
                let _ = socket
                    .write_all(b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n")
                    .await;
            }
        });
        port
    }

    #[tokio::test]
    async fn names_resolving_to_loopback_are_refused_outside_debug_mode() {
        let port = loopback_server().await;
        let url = format!("http://localhost:{port}/actor");
        let refused = build(&settings(false))
            .expect("client")
            .get(&url)
            .send()
            .await;
        assert!(refused.is_err(), "reached {url} outside debug mode");
        let allowed = build(&settings(true))
            .expect("client")
            .get(&url)
            .send()
            .await
            .expect("debug mode reaches loopback");
        assert_eq!(allowed.status(), 204);
    }

    #[test]
    fn redirects_only_to_https_host_names_outside_debug_mode() {
        let ok = |u: &str, debug| redirect_allowed(&Url::parse(u).expect("url"), debug);
        assert!(ok("https://lemmy.example/u/a", false));
        assert!(!ok("http://lemmy.example/u/a", false));
        assert!(!ok("https://127.0.0.1/u/a", false));
        assert!(!ok("https://[::1]/u/a", false));
        assert!(!ok("https://10.0.0.7/u/a", false));
        assert!(ok("http://127.0.0.1:8080/u/a", true));
    }
}

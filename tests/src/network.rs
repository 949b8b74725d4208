//! Several instances federating on loopback: each listens on its own 127.0.0.x
//! address under a host name (`a.test`, `b.test`, …) that every instance's
//! HTTP client resolves to that address.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, TcpListener};
use std::time::Duration;

use crate::{Db, TestInstance};

pub struct Network {
    pub instances: Vec<TestInstance>,
}

impl Network {
    /// Starts `n` (≤ 20) federating instances with open registration.
    pub async fn start(n: usize, db: Db) -> Network {
        let mut listeners = Vec::new();
        let mut hosts = BTreeMap::new();
        for i in 0..n {
            let ip = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2 + i as u8));
            let listener = TcpListener::bind((ip, 0)).expect("bind 127.0.0.x");
            let name = format!("{}.test", (b'a' + i as u8) as char);
            hosts.insert(name.clone(), ip);
            listeners.push((name, listener));
        }
        let mut instances = Vec::new();
        for (name, listener) in listeners {
            let port = listener.local_addr().expect("local addr").port();
            let hosts = hosts.clone();
            let instance =
                TestInstance::start_on(db, listener, Some(format!("{name}:{port}")), move |s| {
                    s.federation_hosts = hosts;
                    s.instance_name = format!("Co-op {name}");
                })
                .await
                .expect("federating instance starts");
            instances.push(instance);
        }
        Network { instances }
    }

    pub async fn stop(self) {
        for i in self.instances {
            i.stop().await;
        }
    }
}

/// Polls `check` until it returns `Some`, for at most `seconds`.
pub async fn eventually<T, F, Fut>(seconds: u64, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(seconds);
    loop {
        if let Some(v) = check().await {
            return v;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for: {what}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

//! The `commonhall` binary: migrate, admin commands, settings errors, first-start hints and graceful shutdown.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn commonhall(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_commonhall"));
    c.current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("RUST_LOG", "warn");
    c
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn migrate_and_admin_commands() {
    let dir = tempfile::tempdir().unwrap();
    let out = commonhall(dir.path()).arg("migrate").output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("up to date"));
    assert!(dir.path().join("data/commonhall.db").exists());

    let out = commonhall(dir.path())
        .args([
            "admin",
            "create-user",
            "ann",
            "--admin",
            "--password",
            "tomato soup at noon",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("Created ann, an admin"),
        "{}",
        text(&out)
    );

    let out = commonhall(dir.path())
        .args([
            "admin",
            "create-user",
            "ANN",
            "--password",
            "tomato soup at noon",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(text(&out).contains("already taken"), "{}", text(&out));

    let out = commonhall(dir.path())
        .args(["admin", "create-user", "bob", "--password", "short"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(text(&out).contains("at least 10"), "{}", text(&out));

    let out = commonhall(dir.path())
        .args([
            "admin",
            "reset-password",
            "ann",
            "--password",
            "a brand new secret",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let out = commonhall(dir.path())
        .args([
            "admin",
            "reset-password",
            "ghost",
            "--password",
            "a brand new secret",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(text(&out).contains("No such user"), "{}", text(&out));
}

#[test]
fn bad_settings_are_explained() {
    let dir = tempfile::tempdir().unwrap();
    let out = commonhall(dir.path())
        .arg("migrate")
        .env("COMMONHALL_HOSTNAME", "https://music.example/")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(text(&out).contains("hostname"), "{}", text(&out));

    let out = commonhall(dir.path())
        .args(["--config", "nope.toml", "migrate"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(text(&out).contains("nope.toml"), "{}", text(&out));

    std::fs::write(
        dir.path().join("commonhall.toml"),
        "registration = \"maybe\"\n",
    )
    .unwrap();
    let out = commonhall(dir.path()).arg("migrate").output().unwrap();
    assert!(!out.status.success());
    assert!(text(&out).contains("maybe"), "{}", text(&out));

    std::fs::write(
        dir.path().join("commonhall.toml"),
        "hostnme = \"typo.example\"\n",
    )
    .unwrap();
    let out = commonhall(dir.path()).arg("migrate").output().unwrap();
    assert!(!out.status.success());
    assert!(text(&out).contains("hostnme"), "{}", text(&out));
}

/// True once `/healthz` answers 200 (plain HTTP/1.0 over a socket).
fn healthy(port: u16) -> bool {
    use std::io::Write;
    let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
    if s.write_all(b"GET /healthz HTTP/1.0\r\nHost: localhost\r\n\r\n")
        .is_err()
    {
        return false;
    }
    let mut reply = String::new();
    let _ = s.read_to_string(&mut reply);
    reply.starts_with("HTTP/1.0 200") || reply.starts_with("HTTP/1.1 200")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn serve_prints_hints_and_stops_gracefully_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut child = commonhall(dir.path())
        .env("COMMONHALL_BIND", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut up = false;
    while Instant::now() < deadline {
        if healthy(port) {
            up = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(up, "server did not start");
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    let exit = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < deadline, "did not stop after SIGTERM");
        std::thread::sleep(Duration::from_millis(100));
    };
    let mut stdout = String::new();
    let mut stderr = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(exit.success(), "{stdout}{stderr}");
    assert!(stdout.contains("Data lives in"), "{stdout}");
    assert!(stdout.contains("admin create-user"), "{stdout}");
    assert!(
        format!("{stdout}{stderr}").contains("stopped"),
        "{stdout}{stderr}"
    );
}

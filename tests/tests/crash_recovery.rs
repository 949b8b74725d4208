//! kill -9 of a sending instance in the middle of a fan-out, then a restart
//! on the same data: every post still reaches every follower instance, once.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, TcpListener};

use commonhall::config::{RegistrationMode, Settings};
use commonhall::domain::accounts::{self, CreatedBy, Registration};
use commonhall::domain::communities::{self, follow, CommunityForm};
use commonhall::domain::content::posts;
use commonhall::domain::events::Publisher;
use commonhall::federation::policy::AllowlistSwitch;
use commonhall::federation::publisher::FederationPublisher;
use commonhall::store::{self, schema, DbConn};
use commonhall_tests::network::eventually;
use commonhall_tests::process::{config_toml, ServerProcess};
use commonhall_tests::{Db, TestInstance};
use diesel::prelude::*;

const POSTS: usize = 60;

fn count_posts_from(conn: &mut DbConn, prefix: &str) -> i64 {
    schema::posts::table
        .filter(schema::posts::ap_id.like(format!("{prefix}%")))
        .count()
        .get_result(conn)
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_sender_resumes_and_delivers_everything_once() {
    // B and C run in-process; A is a real process we can kill.
    let ip = |n| IpAddr::V4(Ipv4Addr::new(127, 0, 0, n));
    let a_port = TcpListener::bind((ip(2), 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let b_listener = TcpListener::bind((ip(3), 0)).unwrap();
    let c_listener = TcpListener::bind((ip(4), 0)).unwrap();
    let hosts: BTreeMap<String, IpAddr> = [
        ("a.test".to_string(), ip(2)),
        ("b.test".to_string(), ip(3)),
        ("c.test".to_string(), ip(4)),
    ]
    .into();
    let b_host = format!("b.test:{}", b_listener.local_addr().unwrap().port());
    let c_host = format!("c.test:{}", c_listener.local_addr().unwrap().port());
    let h = hosts.clone();
    let b = TestInstance::start_on(Db::Sqlite, b_listener, Some(b_host), move |s| {
        s.federation_hosts = h
    })
    .await
    .unwrap();
    let h = hosts.clone();
    let c = TestInstance::start_on(Db::Sqlite, c_listener, Some(c_host), move |s| {
        s.federation_hosts = h
    })
    .await
    .unwrap();

    let dir = tempfile::tempdir().unwrap();
    let a_host = format!("a.test:{a_port}");
    let settings = Settings {
        hostname: a_host.clone(),
        bind: std::net::SocketAddr::new(ip(2), a_port),
        data_dir: dir.path().join("data"),
        registration: RegistrationMode::Open,
        federation_debug: true,
        federation_hosts: hosts.clone(),
        delivery_concurrency: 1,
        http_workers: 1,
        ..Settings::default()
    };
    let config = dir.path().join("commonhall.toml");
    std::fs::write(&config, config_toml(&settings)).unwrap();
    let health = format!("http://{}:{a_port}/healthz", ip(2));
    let a = ServerProcess::start(&config, &health).await;

    // Work on A's database from here, as the server itself would.
    let pool = store::open_pool(&settings.database_url(), 2).unwrap();
    let instance = commonhall::domain::Instance {
        base_url: settings.base_url(),
        domain: a_host.clone(),
    };
    let publisher = FederationPublisher {
        instance: instance.clone(),
        allowlist: std::sync::Arc::new(AllowlistSwitch::new(false)),
    };
    let (owner, news) = {
        let mut conn = pool.get().unwrap();
        let reg = Registration {
            username: "ann".into(),
            password: "tomato soup at noon".into(),
            display_name: None,
            application: None,
        };
        let u = accounts::register(
            &mut conn,
            &instance,
            &reg,
            CreatedBy::Admin { make_admin: true },
        )
        .unwrap();
        let form = CommunityForm {
            name: "news".into(),
            title: "News".into(),
            description: String::new(),
            join_policy: "open".into(),
            classes: "member".into(),
        };
        let news = communities::create(&mut conn, &instance, u.id, u.actor_id, &form).unwrap();
        (u.actor_id, news.id)
    };

    // People on B and C follow news@a.
    let handle = format!("news@{a_host}");
    for i in [&b, &c] {
        let reg = Registration {
            username: "reader".into(),
            password: "tomato soup at noon".into(),
            display_name: None,
            application: None,
        };
        let inst = i.state.instance.clone();
        let reader = i
            .db(move |conn| {
                accounts::register(conn, &inst, &reg, CreatedBy::Admin { make_admin: false })
                    .unwrap()
                    .actor_id
            })
            .await;
        let data = i.fed();
        let news_here = commonhall::federation::resolve::community(&handle, &data)
            .await
            .expect("resolve news@a");
        let p = i.state.publisher.clone();
        i.db(move |conn| follow::follow(conn, &*p, news_here, reader).unwrap())
            .await;
    }
    eventually(30, "two remote followers on A", || async {
        let mut conn = pool.get().ok()?;
        let n = store::follows::remote_followers(&mut conn, news)
            .ok()?
            .len();
        (n == 2).then_some(())
    })
    .await;

    // A burst of posts, then kill -9 while they are being delivered.
    {
        let mut conn = pool.get().unwrap();
        for n in 0..POSTS {
            let form = posts::PostForm {
                title: format!("Bulletin {n}"),
                body: "news".into(),
                link: None,
            };
            posts::create(
                &mut conn,
                &publisher as &dyn Publisher,
                &instance,
                news,
                owner,
                &form,
            )
            .unwrap();
        }
    }
    let prefix = format!("{}/post/", settings.base_url());
    let p = prefix.clone();
    eventually(60, "first posts on B", || async {
        let p = p.clone();
        (b.db(move |conn| count_posts_from(conn, &p)).await >= 3).then_some(())
    })
    .await;
    a.kill_9();
    let p = prefix.clone();
    let at_kill = b.db(move |conn| count_posts_from(conn, &p)).await;
    eprintln!("posts on B when A was killed: {at_kill}/{POSTS}");

    // Restart on the same data: the queue resumes from each instance's position.
    let _a = ServerProcess::start(&config, &health).await;
    for (name, i) in [("B", &b), ("C", &c)] {
        let p = prefix.clone();
        eventually(90, &format!("all posts on {name}"), || async {
            let p = p.clone();
            (i.db(move |conn| count_posts_from(conn, &p)).await == POSTS as i64).then_some(())
        })
        .await;
    }
    // Each post arrived once (ids are unique; titles too).
    let titles: Vec<String> = b
        .db(|conn| {
            schema::posts::table
                .select(schema::posts::title)
                .load(conn)
                .unwrap()
        })
        .await;
    let mut unique = titles.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), titles.len());
    b.stop().await;
    c.stop().await;
}

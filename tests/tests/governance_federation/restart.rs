//! kill -9 of the community's instance after the last vote and before the close time, restarted
//! after it: the proposal closes once, with the outcome of the ballots cast, and the
//! `Update{Question}` carrying it goes out once and reaches the voter's instance.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::time::Duration;

use commonhall::config::{RegistrationMode, Settings};
use commonhall::domain::accounts::{self, CreatedBy, Registration};
use commonhall::domain::communities::{self, CommunityForm};
use commonhall::domain::events::Publisher;
use commonhall::domain::governance::proposals::{self, ProposalContent};
use commonhall::domain::governance::tally::{ConsentChoice, Method};
use commonhall::domain::governance::{close, Proposal, Status};
use commonhall::federation::policy::AllowlistSwitch;
use commonhall::federation::publisher::FederationPublisher;
use commonhall::store::{self, schema, DbConn, Pool};
use commonhall_tests::governance::as_recorded;
use commonhall_tests::network::eventually;
use commonhall_tests::process::{config_toml, ServerProcess};
use commonhall_tests::{Db, TestInstance};
use diesel::prelude::*;

use super::{ballot_count, consent, copy_on, join, rule_change, user, vote, wait_member};

async fn on<T: Send + 'static>(
    pool: &Pool,
    f: impl FnOnce(&mut DbConn) -> T + Send + 'static,
) -> T {
    let pool = pool.clone();
    tokio::task::spawn_blocking(move || f(&mut pool.get().expect("connection")))
        .await
        .expect("database task")
}

/// `Update{Question}`s queued for the proposal that say it closed.
fn close_updates(c: &mut DbConn, question: &str) -> i64 {
    schema::outgoing_activities::table
        .filter(schema::outgoing_activities::body.like("%\"type\":\"Update\"%"))
        .filter(schema::outgoing_activities::body.like(format!("%\"id\":\"{question}\"%")))
        .filter(schema::outgoing_activities::body.like("%\"closed\":%"))
        .count()
        .get_result(c)
        .expect("count")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_community_instance_closes_once_after_restart() {
    let ip = |n| IpAddr::V4(Ipv4Addr::new(127, 0, 0, n));
    let a_listener = TcpListener::bind((ip(2), 0)).expect("bind A");
    let b_port = TcpListener::bind((ip(3), 0))
        .and_then(|l| l.local_addr())
        .expect("a port for B")
        .port();
    let hosts: BTreeMap<String, IpAddr> =
        [("a.test".to_string(), ip(2)), ("b.test".to_string(), ip(3))].into();
    let a_host = format!("a.test:{}", a_listener.local_addr().expect("addr").port());
    let h = hosts.clone();
    let a = TestInstance::start_on(Db::Sqlite, a_listener, Some(a_host), move |s| {
        s.federation_hosts = h
    })
    .await
    .expect("A starts");

    // B is a real process on its own SQLite database.
    let dir = tempfile::tempdir().expect("temp dir");
    let b_host = format!("b.test:{b_port}");
    let settings = Settings {
        hostname: b_host.clone(),
        bind: SocketAddr::new(ip(3), b_port),
        data_dir: dir.path().join("data"),
        registration: RegistrationMode::Open,
        federation_debug: true,
        federation_hosts: hosts,
        http_workers: 1,
        ..Settings::default()
    };
    let config = dir.path().join("commonhall.toml");
    std::fs::write(&config, config_toml(&settings)).expect("config");
    let health = format!("http://{}:{b_port}/healthz", ip(3));
    let b = ServerProcess::start(&config, &health).await;
    let pool = store::open_pool(&settings.database_url(), 2).expect("B's database");
    let instance = commonhall::domain::Instance {
        base_url: settings.base_url(),
        domain: b_host.clone(),
    };
    let publisher = std::sync::Arc::new(FederationPublisher {
        instance: instance.clone(),
        allowlist: std::sync::Arc::new(AllowlistSwitch::new(false)),
    });
    let inst = instance.clone();
    let (bakers, owner) = on(&pool, move |c| {
        let reg = Registration {
            username: "bea".into(),
            password: "tomato soup at noon".into(),
            display_name: None,
            application: None,
        };
        let u = accounts::register(c, &inst, &reg, CreatedBy::Admin { make_admin: true })
            .expect("owner");
        let form = CommunityForm {
            name: "bakers".into(),
            title: "Bakers".into(),
            description: String::new(),
            join_policy: "open".into(),
            classes: "worker".into(),
        };
        let co = communities::create(c, &inst, u.id, u.actor_id, &form).expect("community");
        (co.id, u.actor_id)
    })
    .await;

    // Ann on A joins bakers@b; B opens a decision; ann votes from A.
    let ann = user(&a, "ann").await;
    let data = a.fed();
    let bakers_on_a =
        commonhall::federation::resolve::community(&format!("bakers@{b_host}"), &data)
            .await
            .expect("resolve bakers@b");
    join(&a, bakers_on_a, ann).await;
    wait_member(&a, bakers_on_a, ann).await;
    let closes_at = store::now() + chrono::Duration::seconds(25);
    let (pb, inst) = (publisher.clone(), instance.clone());
    let p: Proposal = on(&pool, move |c| {
        let mut form = rule_change(closes_at);
        form.title = "Bake on Mondays".into();
        form.content = ProposalContent::Decision;
        form.method = Method::Consent;
        proposals::create(c, &*pb as &dyn Publisher, &inst, bakers, owner, &form)
    })
    .await
    .expect("proposal");
    let copy = copy_on(&a, &p.ap_id, |_| true).await;
    vote(&a, copy.id, ann, consent(ConsentChoice::Agree))
        .await
        .expect("ann votes");
    let pid = p.id;
    eventually(30, "ann's ballot on B", || async {
        (on(&pool, move |c| {
            store::ballots::count(c, pid).expect("count")
        })
        .await
            == 1)
            .then_some(())
    })
    .await;

    // kill -9 before the close time; it passes while B is down.
    b.kill_9();
    let status = on(&pool, move |c| {
        store::proposals::by_id(c, pid).expect("row").status
    })
    .await;
    assert_eq!(status, "open", "killed before the close time");
    let wait = (closes_at - store::now()).num_milliseconds() + 1500;
    tokio::time::sleep(Duration::from_millis(wait.max(0) as u64)).await;
    assert_eq!(
        ballot_count(&a, copy.id).await,
        1,
        "ann's ballot is recorded on A too"
    );

    // Restarted: the close job closes it once and A hears the outcome.
    let _b = ServerProcess::start(&config, &health).await;
    let closed = copy_on(&a, &p.ap_id, |p| p.status == Status::Closed).await;
    assert_eq!(closed.passed, Some(true), "one agree, nobody against");
    let result = as_recorded(closed.result.expect("outcome on A"), &p.ap_id);
    assert_eq!(result.outcome.turnout.ballots, 1);
    let question = p.ap_id.clone();
    let on_b = on(&pool, move |c| {
        let p = proposals::get(c, pid).expect("proposal");
        (p, close_updates(c, &question))
    })
    .await;
    assert_eq!(on_b.0.result.as_ref(), Some(&result));
    assert_eq!(on_b.1, 1, "one Update{{Question}} with the close");
    // Later passes of the job (every 2 s at most) find nothing to do.
    tokio::time::sleep(Duration::from_secs(5)).await;
    let (pb, question) = (publisher.clone(), p.ap_id.clone());
    let again = on(&pool, move |c| {
        let rerun = close::close(c, &*pb as &dyn Publisher, pid, store::now()).expect("close");
        (
            rerun,
            proposals::get(c, pid).expect("proposal"),
            close_updates(c, &question),
        )
    })
    .await;
    assert_eq!(again.0, None);
    assert_eq!(again.1.closed_at, on_b.0.closed_at, "closed exactly once");
    assert_eq!(again.2, 1, "the close went out once");
    a.stop().await;
}

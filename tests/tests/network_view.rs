//! The network view of followed co-op instances, in the web UI with
//! JavaScript off and in the JSON API, and the allowlist-only switch shared by
//! several processes on one database — on SQLite and PostgreSQL.

use commonhall::federation::policy;
use commonhall::state::AppState;
use commonhall_tests::federation_ui::{
    community, error_of, instance_row, network_and_a_dead_host, shows, signed_in, user, PW,
};
use commonhall_tests::network::eventually;
use commonhall_tests::{on_both_backends, Db, TestInstance};
use reqwest::StatusCode;

async fn network_view_lists_followed_co_ops(db: Db) {
    let (net, dead) = network_and_a_dead_host(2, db).await;
    let (a, b) = (&net.instances[0], &net.instances[1]);
    let bella = user(b, "bella", true).await;
    community(b, bella, "music", "open").await;
    community(b, bella, "bakery", "approval").await;
    user(a, "rosa", true).await;
    user(a, "ann", false).await;
    let rosa = signed_in(a, "rosa").await;
    let ann = signed_in(a, "ann").await;

    let empty = a.client().get("/network").await.body;
    assert!(
        empty.contains("follows no other co-op instance yet"),
        "{empty}"
    );

    // Members cannot follow instances; an unreachable one is refused and not recorded.
    let r = ann
        .submit_and_follow(
            "/admin/federation",
            "/_app/manage_instance",
            &[("host", b.host()), ("action", "follow")],
        )
        .await;
    assert!(error_of(&r).contains("not allowed"), "{:?}", error_of(&r));
    let r = rosa
        .submit_and_follow(
            "/admin/federation",
            "/_app/manage_instance",
            &[("host", &dead), ("action", "follow")],
        )
        .await;
    assert!(
        error_of(&r).contains("could not be reached"),
        "{:?}",
        error_of(&r)
    );
    assert!(instance_row(a, &dead).await.is_none());

    // The admin follows B: its communities appear, grouped under it.
    let r = rosa
        .submit(
            "/admin/federation",
            "/_app/manage_instance",
            &[("host", b.host()), ("action", "follow")],
        )
        .await;
    assert_eq!(
        r.location.as_deref(),
        Some("/admin/federation?saved=1"),
        "{r:?}"
    );
    assert!(instance_row(a, b.host()).await.expect("row").followed);
    let view = ann.get("/network").await.body;
    assert!(
        view.contains(&format!(r#"data-host="{}""#, b.host())),
        "{view}"
    );
    assert!(view.contains("The music co-op") && view.contains("The bakery co-op"));
    assert!(view.contains(">Join</button>") && view.contains(">Apply to join</button>"));
    assert!(view.contains(">Follow</button>"));
    let visitor = a.client().get("/network").await.body;
    assert!(visitor.contains("The music co-op") && visitor.contains("Sign in to join or follow"));

    // Joining from the network view.
    let key = format!("music@{}", b.host());
    let r = ann
        .submit_and_follow(
            "/network",
            "/_app/join_community",
            &[("key", &key), ("class", "user")],
        )
        .await;
    assert!(r.status.is_success(), "{r:?}");
    shows(&ann, "/network", "You are a member, as user.").await;

    // The JSON API shows the same network, and the switch to admins only.
    let http = reqwest::Client::new();
    let network: serde_json::Value = http
        .get(a.url("/api/v1/network"))
        .send()
        .await
        .expect("network")
        .json()
        .await
        .expect("json");
    assert_eq!(network[0]["host"], b.host());
    assert_eq!(network[0]["communities"].as_array().map(Vec::len), Some(2));
    let token = |name: &'static str| {
        let http = http.clone();
        let url = a.url("/api/v1/auth/token");
        async move {
            let v: serde_json::Value = http
                .post(url)
                .json(&serde_json::json!({"username": name, "password": PW}))
                .send()
                .await
                .expect("token")
                .json()
                .await
                .expect("json");
            v["token"].as_str().expect("token").to_string()
        }
    };
    let (admin, member) = (token("rosa").await, token("ann").await);
    let settings = a.url("/api/v1/federation/settings");
    let res = http
        .get(&settings)
        .bearer_auth(&member)
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = http
        .put(&settings)
        .bearer_auth(&admin)
        .json(&serde_json::json!({"allowlist_only": "yes"}))
        .send()
        .await
        .expect("put");
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(!a.state.allowlist_only());
    let res = http
        .put(&settings)
        .bearer_auth(&admin)
        .json(&serde_json::json!({"allowlist_only": true}))
        .send()
        .await
        .expect("put");
    assert_eq!(res.status(), StatusCode::OK);
    let got: serde_json::Value = http
        .get(&settings)
        .bearer_auth(&admin)
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(got["allowlist_only"], true);
    let instances: serde_json::Value = http
        .get(a.url("/api/v1/federation/instances"))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("instances")
        .json()
        .await
        .expect("json");
    let row = &instances[0];
    assert_eq!(row["host"], b.host());
    assert_eq!(row["delivery"], "healthy");
    assert!(row["last_contact_at"].is_string(), "{row}");
    net.stop().await;
}

/// Several `serve` processes on one database: a switch flipped through one
/// reaches the others' cached copy.
async fn another_process_switching_allowlist_only_reaches_this_one(db: Db) {
    let i = TestInstance::start(db).await;
    assert!(!i.state.allowlist_only());
    let other = AppState::new(i.settings.clone(), i.state.pool.clone());
    policy::set_allowlist_only(&other, true)
        .await
        .expect("stored");
    let wait = policy::REFRESH.as_secs() * 2 + 5;
    eventually(wait, "the running instance re-reads the switch", || async {
        i.state.allowlist_only().then_some(())
    })
    .await;
    i.stop().await;
}

on_both_backends!(
    network_view_lists_followed_co_ops,
    another_process_switching_allowlist_only_reaches_this_one,
);

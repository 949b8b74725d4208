//! Three co-op instances federating on loopback: follow, join with approval,
//! posts and comments reaching every follower, likes, edits, deletions,
//! leaving, and blocking an instance — on SQLite and once on PostgreSQL.

use commonhall::domain::communities::follow;
use commonhall::domain::communities::membership::{self, JoinRequest};
use commonhall::domain::content::{comments, posts, votes};
use commonhall::federation::policy::{self, Policy};
use commonhall::store::{self, memberships};
use commonhall_tests::network::{eventually, Network};
use commonhall_tests::setup::{
    actor_id_on, community, membership_status, new_post, post_on, resolve, user,
};
use commonhall_tests::{Db, TestInstance};

async fn member_of_b_joins_from_a_and_c_sees_it(db: Db) {
    let net = Network::start(3, db).await;
    let (a, b, c) = (&net.instances[0], &net.instances[1], &net.instances[2]);
    let b_admin = user(b, "bella", true).await;
    let music = community(b, b_admin, "music", "approval").await;
    let ann = user(a, "ann", false).await;
    let cleo = user(c, "cleo", false).await;

    // Ann (A) finds music@b and asks to join, as a worker; Cleo (C) follows.
    let handle = format!("music@{}", b.host());
    let music_on_a = resolve(a, &handle).await;
    let music_on_c = resolve(c, &handle).await;
    let pa = a.state.publisher.clone();
    a.db(move |conn| {
        follow::follow(conn, &*pa, music_on_a, ann.1).expect("follow");
        let req = JoinRequest {
            class: Some("worker".into()),
            application: Some("I play bass".into()),
            activity_id: None,
        };
        membership::request_join(conn, &*pa, music_on_a, ann.1, &req).expect("join")
    })
    .await;
    let pc = c.state.publisher.clone();
    c.db(move |conn| follow::follow(conn, &*pc, music_on_c, cleo.1).expect("follow"))
        .await;

    // B receives the application with its class and note; the owner approves.
    let ann_url = a.state.instance.person_id("ann");
    let ann_on_b = eventually(30, "ann known on B", || actor_id_on(b, ann_url.clone())).await;
    let pending = eventually(30, "ann's application on B", || async {
        let m = b
            .db(move |conn| memberships::find(conn, music, ann_on_b).ok().flatten())
            .await?;
        (m.status == "pending").then_some(m)
    })
    .await;
    assert_eq!(pending.class, "worker");
    assert_eq!(pending.application.as_deref(), Some("I play bass"));
    let pb = b.state.publisher.clone();
    b.db(move |conn| {
        membership::decide(conn, &*pb, pending.id, b_admin.1, true, None).expect("approve")
    })
    .await;
    eventually(30, "ann is a member on A", || async {
        (membership_status(a, music_on_a, ann.1).await.as_deref() == Some("active")).then_some(())
    })
    .await;
    eventually(30, "follows accepted", || async {
        let a_ok = a
            .db(move |conn| {
                store::follows::find(conn, music_on_a, ann.1)
                    .ok()
                    .flatten()
                    .map(|f| f.status)
            })
            .await;
        let c_ok = c
            .db(move |conn| {
                store::follows::find(conn, music_on_c, cleo.1)
                    .ok()
                    .flatten()
                    .map(|f| f.status)
            })
            .await;
        (a_ok.as_deref() == Some("accepted") && c_ok.as_deref() == Some("accepted")).then_some(())
    })
    .await;

    // Ann posts in music@b from A; B stores it and C sees it.
    let post = new_post(a, music_on_a, ann, "Jam on Friday", "Bring **drums**").await;
    let on_b = eventually(30, "post on B", || post_on(b, post.ap_id.clone())).await;
    assert_eq!(on_b.community_id, music);
    let on_c = eventually(30, "post on C", || post_on(c, post.ap_id.clone())).await;
    assert_eq!(on_c.title, "Jam on Friday");
    assert!(on_c.body_html.contains("<strong>drums</strong>"));

    // Cleo comments from C; it reaches B and A.
    let inst_c = c.state.instance.clone();
    let pc = c.state.publisher.clone();
    let comment = c
        .db(move |conn| {
            comments::create(
                conn,
                &*pc,
                &inst_c,
                on_c.id,
                None,
                cleo.1,
                "I'll bring a cajón",
            )
            .expect("comment")
        })
        .await;
    for (who, i) in [("B", b), ("A", a)] {
        let id = comment.ap_id.clone();
        eventually(30, &format!("comment on {who}"), || async {
            let id = id.clone();
            i.db(move |conn| store::comments::by_ap_id(conn, &id).ok().flatten())
                .await
        })
        .await;
    }

    // Cleo likes the post: the count moves on A.
    let inst_c = c.state.instance.clone();
    let pc = c.state.publisher.clone();
    c.db(move |conn| {
        votes::vote(
            conn,
            &*pc,
            &inst_c,
            cleo.1,
            store::votes::Target::Post(on_c.id),
            1,
        )
        .expect("like")
    })
    .await;
    eventually(30, "like on A", || async {
        let p = post_on(a, post.ap_id.clone()).await?;
        (p.likes == 1).then_some(())
    })
    .await;

    // Ann edits, then deletes, her post: both reach C.
    let pa = a.state.publisher.clone();
    let pid = post.id;
    a.db(move |conn| {
        let form = posts::PostForm {
            title: "Jam moved to Saturday".into(),
            body: String::new(),
            link: None,
        };
        posts::edit(conn, &*pa, pid, ann.1, &form).expect("edit")
    })
    .await;
    eventually(30, "edit on C", || async {
        let p = post_on(c, post.ap_id.clone()).await?;
        (p.title == "Jam moved to Saturday").then_some(())
    })
    .await;
    let pa = a.state.publisher.clone();
    a.db(move |conn| posts::delete(conn, &*pa, pid, ann.1).expect("delete"))
        .await;
    eventually(30, "deletion on C", || async {
        let p = post_on(c, post.ap_id.clone()).await?;
        p.deleted.then_some(())
    })
    .await;

    // Ann leaves: B records it.
    let pa = a.state.publisher.clone();
    a.db(move |conn| membership::leave(conn, &*pa, music_on_a, ann.1).expect("leave"))
        .await;
    eventually(30, "ann left on B", || async {
        (membership_status(b, music, ann_on_b).await.as_deref() == Some("left")).then_some(())
    })
    .await;
    net.stop().await;
}

async fn blocked_instance_gets_nothing_through(db: Db) {
    let net = Network::start(3, db).await;
    let (a, b, c) = (&net.instances[0], &net.instances[1], &net.instances[2]);
    let b_admin = user(b, "bella", true).await;
    let music = community(b, b_admin, "music", "open").await;
    let cleo = user(c, "cleo", false).await;
    let ann = user(a, "ann", false).await;
    let handle = format!("music@{}", b.host());
    let music_on_c = resolve(c, &handle).await;
    let music_on_a = resolve(a, &handle).await;
    for (i, who, cid) in [(c, cleo, music_on_c), (a, ann, music_on_a)] {
        let p = i.state.publisher.clone();
        i.db(move |conn| {
            follow::follow(conn, &*p, cid, who.1).expect("follow");
            membership::request_join(conn, &*p, cid, who.1, &JoinRequest::default()).expect("join")
        })
        .await;
    }
    for (i, cid, who) in [(c, music_on_c, cleo), (a, music_on_a, ann)] {
        eventually(30, "member", || async {
            (membership_status(i, cid, who.1).await.as_deref() == Some("active")).then_some(())
        })
        .await;
    }
    // B's admin blocks C (through the admin path, which also updates B's
    // in-memory policy cache; another process would see it within 15 s).
    policy::set_policy(&b.state, c.host(), Policy::Block)
        .await
        .expect("block");

    // C's post is refused by B (never stored), while A's still arrives.
    let inst_c = c.state.instance.clone();
    let pc = c.state.publisher.clone();
    let from_c = c
        .db(move |conn| {
            posts::create(
                conn,
                &*pc,
                &inst_c,
                music_on_c,
                cleo.1,
                &posts::PostForm {
                    title: "Hi from C".into(),
                    ..Default::default()
                },
            )
            .expect("post")
        })
        .await;
    let inst_a = a.state.instance.clone();
    let pa = a.state.publisher.clone();
    let from_a = a
        .db(move |conn| {
            posts::create(
                conn,
                &*pa,
                &inst_a,
                music_on_a,
                ann.1,
                &posts::PostForm {
                    title: "Hi from A".into(),
                    ..Default::default()
                },
            )
            .expect("post")
        })
        .await;
    eventually(30, "A's post on B", || post_on(b, from_a.ap_id.clone())).await;
    // B does not announce anything to C any more.
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    assert!(
        post_on(b, from_c.ap_id.clone()).await.is_none(),
        "blocked instance's post was stored"
    );
    assert!(
        post_on(c, from_a.ap_id.clone()).await.is_none(),
        "blocked instance received an announce"
    );
    let _ = music;
    net.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_member_of_b_joins_from_a_and_c_sees_it() {
    member_of_b_joins_from_a_and_c_sees_it(Db::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_member_of_b_joins_from_a_and_c_sees_it() {
    member_of_b_joins_from_a_and_c_sees_it(Db::Postgres).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_blocked_instance_gets_nothing_through() {
    blocked_instance_gets_nothing_through(Db::Sqlite).await
}

async fn following_an_instance_learns_its_communities(db: Db) {
    let net = Network::start(2, db).await;
    let (a, b) = (&net.instances[0], &net.instances[1]);
    let b_admin = user(b, "bella", true).await;
    community(b, b_admin, "music", "open").await;
    community(b, b_admin, "repair", "approval").await;
    let inst_b = b.state.instance.clone();
    let pb = b.state.publisher.clone();
    b.db(move |conn| {
        let (music, _) = store::communities::local_by_name(conn, "music")
            .unwrap()
            .unwrap();
        let form = posts::PostForm {
            title: "Welcome".into(),
            body: "Hello *world*".into(),
            link: None,
        };
        posts::create(conn, &*pb, &inst_b, music.id, b_admin.1, &form).expect("post")
    })
    .await;
    let data = a.fed();
    let known = commonhall::federation::network::follow_instance(b.host(), &data)
        .await
        .expect("follow instance");
    assert_eq!(known, 2);
    let (titles, followed) = a
        .db(|conn| {
            let titles: Vec<String> = store::communities::list(conn, false)
                .unwrap()
                .into_iter()
                .map(|(c, _)| c.title)
                .collect();
            let followed = store::instances::all(conn)
                .unwrap()
                .into_iter()
                .filter(|i| i.followed)
                .count();
            (titles, followed)
        })
        .await;
    assert!(
        titles.contains(&"The music co-op".to_string()),
        "{titles:?}"
    );
    assert!(
        titles.contains(&"The repair co-op".to_string()),
        "{titles:?}"
    );
    assert_eq!(followed, 1);
    // The outbox backfills recent posts as Lemmy expects.
    let outbox: serde_json::Value = reqwest::Client::builder()
        .build()
        .unwrap()
        .get(b.url("/c/music/outbox"))
        .header("accept", "application/activity+json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(outbox["totalItems"], 1);
    assert_eq!(outbox["orderedItems"][0]["type"], "Announce");
    assert_eq!(
        outbox["orderedItems"][0]["object"]["object"]["name"],
        "Welcome"
    );
    net.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_following_an_instance_learns_its_communities() {
    following_an_instance_learns_its_communities(Db::Sqlite).await
}

async fn token(i: &TestInstance, name: &str) -> String {
    let res: serde_json::Value = reqwest::Client::new()
        .post(i.url("/api/v1/auth/token"))
        .json(&serde_json::json!({"username": name, "password": "tomato soup at noon"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    res["token"].as_str().expect("token").to_string()
}

async fn federation_api_for_admins_and_members(db: Db) {
    let net = Network::start(2, db).await;
    let (a, b) = (&net.instances[0], &net.instances[1]);
    let b_admin = user(b, "bella", true).await;
    community(b, b_admin, "music", "open").await;
    user(a, "rosa", true).await;
    user(a, "ann", false).await;
    let (admin, member) = (token(a, "rosa").await, token(a, "ann").await);
    let http = reqwest::Client::new();

    // A member finds music@b by handle.
    let res = http
        .post(a.url("/api/v1/resolve"))
        .bearer_auth(&member)
        .json(&serde_json::json!({"query": format!("!music@{}", b.host())}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let found: serde_json::Value = res.json().await.unwrap();
    assert_eq!(found["key"], format!("music@{}", b.host()));
    // Unknown names are a 404, garbage a 400 — never a 500.
    let res = http
        .post(a.url("/api/v1/resolve"))
        .bearer_auth(&member)
        .json(&serde_json::json!({"query": format!("nothing@{}", b.host())}))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_client_error(), "{}", res.status());
    let res = http
        .post(a.url("/api/v1/resolve"))
        .bearer_auth(&member)
        .json(&serde_json::json!({"query": "not a handle"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);

    // Only admins set instance policy.
    let url = a.url(&format!("/api/v1/federation/instances/{}", b.host()));
    let res = http
        .put(&url)
        .bearer_auth(&member)
        .json(&serde_json::json!({"policy": "block"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let res = http
        .put(&url)
        .bearer_auth(&admin)
        .json(&serde_json::json!({"policy": "sometimes"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let res = http
        .put(&url)
        .bearer_auth(&admin)
        .json(&serde_json::json!({"followed": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let res = http
        .put(&url)
        .bearer_auth(&admin)
        .json(&serde_json::json!({"policy": "block"}))
        .send()
        .await
        .unwrap();
    let out: serde_json::Value = res.json().await.unwrap();
    assert_eq!(out["policy"], "block");
    assert_eq!(out["followed"], true);
    let list: serde_json::Value = http
        .get(a.url("/api/v1/federation/instances"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["host"] == b.host() && i["policy"] == "block"));
    // Blocked: resolving anything there is refused.
    let res = http.post(a.url("/api/v1/resolve")).bearer_auth(&member).json(&serde_json::json!({"query": format!("{}/c/music", b.base.replace("127.0.0.3", "b.test"))})).send().await.unwrap();
    assert!(res.status().is_client_error(), "{}", res.status());
    net.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_federation_api_for_admins_and_members() {
    federation_api_for_admins_and_members(Db::Sqlite).await
}

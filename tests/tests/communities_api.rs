//! The JSON API's communities, membership, posts, comments, votes and feeds,
//! with their refusals, on SQLite and PostgreSQL.

use commonhall::domain::accounts::{self, CreatedBy, Registration};
use commonhall_tests::{on_both_backends, Db, TestInstance};
use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};

const PW: &str = "tomato soup at noon";

/// A small JSON client for one instance.
struct Api {
    base: String,
    http: Client,
}

impl Api {
    fn new(i: &TestInstance) -> Api {
        Api {
            base: i.url("/api/v1"),
            http: Client::new(),
        }
    }

    async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.expect("request");
        let status = res.status();
        let text = res.text().await.unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    async fn get(&self, path: &str, token: Option<&str>) -> (StatusCode, Value) {
        self.call(Method::GET, path, token, None).await
    }

    async fn post(&self, path: &str, token: Option<&str>, body: Value) -> (StatusCode, Value) {
        self.call(Method::POST, path, token, Some(body)).await
    }

    async fn patch(&self, path: &str, token: Option<&str>, body: Value) -> (StatusCode, Value) {
        self.call(Method::PATCH, path, token, Some(body)).await
    }

    async fn delete(&self, path: &str, token: Option<&str>) -> (StatusCode, Value) {
        self.call(Method::DELETE, path, token, None).await
    }

    /// Creates an account directly and returns a bearer token for it.
    async fn account(&self, i: &TestInstance, name: &str, admin: bool) -> String {
        let inst = i.state.instance.clone();
        let reg = Registration {
            username: name.into(),
            password: PW.into(),
            display_name: None,
            application: None,
        };
        i.db(move |c| {
            accounts::register(c, &inst, &reg, CreatedBy::Admin { make_admin: admin })
                .expect("account created")
        })
        .await;
        let (s, body) = self
            .post(
                "/auth/token",
                None,
                json!({"username": name, "password": PW}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");
        body["token"].as_str().unwrap().to_string()
    }
}

fn community(name: &str, policy: &str) -> Value {
    json!({
        "name": name,
        "title": format!("The {name}"),
        "description": "We grow **food**.",
        "join_policy": policy,
        "classes": ["worker", "user"],
    })
}

async fn api_communities_and_membership(db: Db) {
    let i = TestInstance::start(db).await;
    let api = Api::new(&i);
    let admin = api.account(&i, "ada", true).await;
    let bob = api.account(&i, "bob", false).await;

    let (s, body) = api
        .post("/communities", Some(&admin), community("growers", "open"))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    assert_eq!(body["key"], "growers");
    assert_eq!(body["handle"], format!("@growers@{}", i.settings.hostname));
    assert_eq!(body["actor_id"], i.url("/c/growers"));
    assert_eq!(
        body["description_html"],
        "<p>We grow <strong>food</strong>.</p>\n"
    );
    assert_eq!(body["classes"], json!(["worker", "user"]));
    assert_eq!(body["members"], 1);
    assert_eq!(body["you"]["membership"]["role"], "owner");
    assert_eq!(body["you"]["is_moderator"], true);

    // Refusals: not an admin, no token, a taken name, bad fields, unknown fields.
    let (s, body) = api
        .post("/communities", Some(&bob), community("bobs", "open"))
        .await;
    assert_eq!(
        (s, body["error"].as_str()),
        (StatusCode::FORBIDDEN, Some("forbidden"))
    );
    let (s, _) = api
        .post("/communities", None, community("anon", "open"))
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, body) = api
        .post("/communities", Some(&admin), community("growers", "open"))
        .await;
    assert_eq!(
        (s, body["error"].as_str()),
        (StatusCode::CONFLICT, Some("name_taken"))
    );
    let (s, body) = api
        .post("/communities", Some(&admin), community("Bad Name", "open"))
        .await;
    assert_eq!(
        (s, body["error"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid"))
    );
    let (s, _) = api
        .post("/communities", Some(&admin), community("fine", "whenever"))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (s, body) = api
        .post(
            "/communities",
            Some(&admin),
            json!({"name": "sneaky", "title": "S", "owner": "me"}),
        )
        .await;
    assert_eq!(
        (s, body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("bad_request"))
    );
    let (s, _) = api
        .post(
            "/communities",
            Some(&admin),
            json!({"name": "commas", "title": "C", "classes": ["a,b"]}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);

    // Reading: the list, one community, with the caller's standing when a token is sent.
    let (s, list) = api.get("/communities", None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert!(list[0].get("you").is_none());
    let (s, one) = api.get("/communities/growers", Some(&bob)).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(one["you"]["membership"], Value::Null);
    let (s, body) = api.get("/communities/nowhere", None).await;
    assert_eq!(
        (s, body["error"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
    let (s, _) = api.get("/communities/growers", Some("not-a-token")).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);

    // Joining an open community, in a class.
    let (s, body) = api
        .post(
            "/communities/growers/join",
            Some(&bob),
            json!({"class": "user"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "active");
    assert_eq!(body["class"], "user");
    let (s, body) = api
        .post("/communities/growers/join", Some(&bob), json!({}))
        .await;
    assert_eq!(
        (s, body["error"].as_str()),
        (StatusCode::CONFLICT, Some("conflict"))
    );
    let carl = api.account(&i, "carl", false).await;
    let (s, _) = api
        .post(
            "/communities/growers/join",
            Some(&carl),
            json!({"class": "boss"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (s, members) = api.get("/communities/growers/members", Some(&bob)).await;
    assert_eq!(s, StatusCode::OK);
    let members = members.as_array().unwrap();
    assert_eq!(members.len(), 2);
    assert_eq!(
        members[1]["person"]["handle"],
        format!("@bob@{}", i.settings.hostname)
    );
    assert_eq!(members[1]["class"], "user");
    assert_eq!(members[1]["role"], "member");
    let (s, _) = api.get("/communities/growers/members", Some(&carl)).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = api.get("/communities/growers/members", None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);

    // Moderators edit settings; members may not; unknown fields are refused.
    let (s, body) = api
        .patch(
            "/communities/growers",
            Some(&admin),
            json!({"title": "Growers", "join_policy": "approval"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body["title"], "Growers");
    assert_eq!(body["join_policy"], "approval");
    assert_eq!(body["classes"], json!(["worker", "user"]));
    let (s, _) = api
        .patch("/communities/growers", Some(&bob), json!({"title": "Mine"}))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = api
        .patch(
            "/communities/growers",
            Some(&admin),
            json!({"name": "renamed"}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);

    // Approval: apply, be refused with a reason, apply again, be approved.
    let (s, m) = api
        .post(
            "/communities/growers/join",
            Some(&carl),
            json!({"class": "worker", "application": "I keep bees."}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{m}");
    assert_eq!(m["status"], "pending");
    let id = m["id"].as_i64().unwrap();
    let (s, _) = api
        .get("/communities/growers/applications", Some(&bob))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, queue) = api
        .get("/communities/growers/applications", Some(&admin))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(queue[0]["application"], "I keep bees.");
    assert_eq!(queue[0]["membership_id"], id);
    let (s, _) = api
        .post(
            &format!("/memberships/{id}/decision"),
            Some(&bob),
            json!({"approve": true}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, m) = api
        .post(
            &format!("/memberships/{id}/decision"),
            Some(&admin),
            json!({"approve": false, "reason": "Full for now."}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(m["status"], "refused");
    assert_eq!(m["reason"], "Full for now.");
    let (_, one) = api.get("/communities/growers", Some(&carl)).await;
    assert_eq!(one["you"]["membership"]["status"], "refused");
    assert_eq!(one["you"]["membership"]["reason"], "Full for now.");
    let (s, _) = api
        .post(
            &format!("/memberships/{id}/decision"),
            Some(&admin),
            json!({"approve": true}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    api.post(
        "/communities/growers/join",
        Some(&carl),
        json!({"application": "Again?"}),
    )
    .await;
    let (s, m) = api
        .post(
            &format!("/memberships/{id}/decision"),
            Some(&admin),
            json!({"approve": true}),
        )
        .await;
    assert_eq!((s, m["status"].as_str()), (StatusCode::OK, Some("active")));
    let (s, _) = api
        .post(
            "/memberships/999999/decision",
            Some(&admin),
            json!({"approve": true}),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = api
        .post(
            "/memberships/abc/decision",
            Some(&admin),
            json!({"approve": true}),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    // Leaving, following, unfollowing.
    let (s, _) = api
        .post("/communities/growers/leave", Some(&carl), json!(null))
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _) = api
        .post("/communities/growers/leave", Some(&carl), json!(null))
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (s, f) = api
        .post("/communities/growers/follow", Some(&carl), json!(null))
        .await;
    assert_eq!(
        (s, f["status"].as_str()),
        (StatusCode::OK, Some("accepted"))
    );
    let (_, one) = api.get("/communities/growers", Some(&carl)).await;
    assert_eq!(one["you"]["following"], "accepted");
    assert_eq!(one["you"]["membership"]["status"], "left");
    let (s, _) = api
        .post("/communities/growers/unfollow", Some(&carl), json!(null))
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (_, one) = api.get("/communities/growers", Some(&carl)).await;
    assert_eq!(one["you"]["following"], Value::Null);
    let (s, _) = api
        .post("/communities/nowhere/follow", Some(&carl), json!(null))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    i.stop().await;
}

async fn api_posts_comments_and_votes(db: Db) {
    let i = TestInstance::start(db).await;
    let api = Api::new(&i);
    let admin = api.account(&i, "ada", true).await;
    let bob = api.account(&i, "bob", false).await;
    let carl = api.account(&i, "carl", false).await;
    let stranger = api.account(&i, "dora", false).await;
    api.post("/communities", Some(&admin), community("growers", "open"))
        .await;
    api.post("/communities/growers/join", Some(&bob), json!({}))
        .await;
    api.post("/communities/growers/join", Some(&carl), json!({}))
        .await;

    let (s, post) = api
        .post(
            "/communities/growers/posts",
            Some(&bob),
            json!({"title": "Seed swap", "body": "Bring **seeds** <script>alert(1)</script>", "link": "https://example.org/swap"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{post}");
    let id = post["id"].as_i64().unwrap();
    assert_eq!(post["ap_id"], i.url(&format!("/post/{id}")));
    assert_eq!(post["community"]["key"], "growers");
    assert_eq!(
        post["author"]["handle"],
        format!("@bob@{}", i.settings.hostname)
    );
    assert!(post["body_html"]
        .as_str()
        .unwrap()
        .contains("<strong>seeds</strong>"));
    assert!(!post["body_html"].as_str().unwrap().contains("<script"));
    assert_eq!(post["link"], "https://example.org/swap");

    // Who may post, and what a post may be.
    let (s, body) = api
        .post(
            "/communities/growers/posts",
            Some(&stranger),
            json!({"title": "Hi"}),
        )
        .await;
    assert_eq!(
        (s, body["error"].as_str()),
        (StatusCode::FORBIDDEN, Some("forbidden"))
    );
    assert_eq!(
        body["message"],
        "Only members of this community may do that."
    );
    let (s, _) = api
        .post("/communities/growers/posts", None, json!({"title": "Hi"}))
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    for bad in [
        json!({"title": ""}),
        json!({"title": "x".repeat(201)}),
        json!({"title": "Big", "body": "x".repeat(50_001)}),
        json!({"title": "Link", "link": "ftp://example.org"}),
        json!({"title": "Link", "link": "javascript:alert(1)"}),
    ] {
        let (s, body) = api
            .post("/communities/growers/posts", Some(&bob), bad.clone())
            .await;
        assert_eq!(
            (s, body["error"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid")),
            "{bad}"
        );
    }
    let (s, _) = api
        .post(
            "/communities/growers/posts",
            Some(&bob),
            json!({"title": "T", "pinned": true}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _) = api
        .post(
            "/communities/growers/posts",
            Some(&bob),
            json!({"title": 5}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _) = api
        .post(
            "/communities/nowhere/posts",
            Some(&bob),
            json!({"title": "T"}),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (_, feed) = api
        .get("/feed?kind=community&community=growers", None)
        .await;
    assert_eq!(feed["items"].as_array().unwrap().len(), 1);

    // Editing and deleting: the author edits; others may not; a moderator removes.
    let (s, edited) = api
        .patch(
            &format!("/posts/{id}"),
            Some(&bob),
            json!({"title": "Seed swap (moved)"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{edited}");
    assert_eq!(edited["title"], "Seed swap (moved)");
    assert_eq!(edited["link"], "https://example.org/swap");
    assert!(edited["updated_at"].is_string());
    let (_, edited) = api
        .patch(&format!("/posts/{id}"), Some(&bob), json!({"link": ""}))
        .await;
    assert_eq!(edited["link"], Value::Null);
    let (s, body) = api
        .patch(
            &format!("/posts/{id}"),
            Some(&carl),
            json!({"title": "Mine now"}),
        )
        .await;
    assert_eq!(
        (s, body["message"].as_str()),
        (StatusCode::FORBIDDEN, Some("Only the author may do that."))
    );
    let (s, _) = api
        .patch(&format!("/posts/{id}"), Some(&bob), json!({"title": " "}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (s, _) = api.delete(&format!("/posts/{id}"), Some(&carl)).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // Comments, nested by parent_id; deleted ones keep their place.
    let (s, c1) = api
        .post(
            &format!("/posts/{id}/comments"),
            Some(&carl),
            json!({"body": "Count me *in*"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{c1}");
    let c1 = c1["id"].as_i64().unwrap();
    let (s, c2) = api
        .post(
            &format!("/posts/{id}/comments"),
            Some(&bob),
            json!({"body": "Great", "parent_id": c1}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    assert_eq!(c2["parent_id"], c1);
    let c2 = c2["id"].as_i64().unwrap();
    let (s, _) = api
        .post(
            &format!("/posts/{id}/comments"),
            Some(&carl),
            json!({"body": ""}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (s, _) = api
        .post(
            &format!("/posts/{id}/comments"),
            Some(&stranger),
            json!({"body": "hi"}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = api
        .post(
            &format!("/posts/{id}/comments"),
            Some(&carl),
            json!({"body": "hi", "parent_id": 999999}),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, c) = api
        .patch(
            &format!("/comments/{c1}"),
            Some(&carl),
            json!({"body": "Count me in twice"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(c["body_html"], "<p>Count me in twice</p>\n");
    let (s, _) = api
        .patch(
            &format!("/comments/{c1}"),
            Some(&bob),
            json!({"body": "hijack"}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = api.delete(&format!("/comments/{c1}"), Some(&bob)).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = api.delete(&format!("/comments/{c1}"), Some(&carl)).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _) = api.delete(&format!("/comments/{c1}"), Some(&carl)).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, list) = api.get(&format!("/posts/{id}/comments"), None).await;
    assert_eq!(s, StatusCode::OK);
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["deleted"], true);
    assert_eq!(list[0]["body_html"], "");
    assert_eq!(list[0]["author"], Value::Null);
    assert_eq!(list[1]["id"], c2);
    assert_eq!(list[1]["parent_id"], c1);

    // Votes: like, change, undo; bad values and outsiders refused.
    let (s, v) = api
        .post(
            &format!("/posts/{id}/vote"),
            Some(&bob),
            json!({"value": 1}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v, json!({"likes": 1, "dislikes": 0, "my_vote": 1}));
    let (_, v) = api
        .post(
            &format!("/posts/{id}/vote"),
            Some(&carl),
            json!({"value": -1}),
        )
        .await;
    assert_eq!(v, json!({"likes": 1, "dislikes": 1, "my_vote": -1}));
    let (_, v) = api
        .post(
            &format!("/posts/{id}/vote"),
            Some(&bob),
            json!({"value": 0}),
        )
        .await;
    assert_eq!(v, json!({"likes": 0, "dislikes": 1, "my_vote": 0}));
    let (_, p) = api.get(&format!("/posts/{id}"), Some(&carl)).await;
    assert_eq!(p["my_vote"], -1);
    assert_eq!(p["dislikes"], 1);
    let (s, _) = api
        .post(
            &format!("/posts/{id}/vote"),
            Some(&bob),
            json!({"value": 2}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (s, _) = api
        .post(
            &format!("/posts/{id}/vote"),
            Some(&bob),
            json!({"value": "up"}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _) = api
        .post(
            &format!("/posts/{id}/vote"),
            Some(&stranger),
            json!({"value": 1}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = api
        .post(
            &format!("/comments/{c2}/vote"),
            Some(&carl),
            json!({"value": 1}),
        )
        .await;
    assert_eq!((s, v["likes"].as_i64()), (StatusCode::OK, Some(1)));
    let (_, list) = api.get(&format!("/posts/{id}/comments"), Some(&carl)).await;
    assert_eq!(list[1]["my_vote"], 1);
    let (s, _) = api
        .post(
            &format!("/comments/{c1}/vote"),
            Some(&carl),
            json!({"value": 1}),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    // A moderator removes the post; it is gone for everyone.
    let (s, _) = api.delete(&format!("/posts/{id}"), Some(&admin)).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, body) = api.get(&format!("/posts/{id}"), None).await;
    assert_eq!(
        (s, body["error"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
    let (s, _) = api.get(&format!("/posts/{id}/comments"), None).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = api.delete(&format!("/posts/{id}"), Some(&admin)).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = api.get("/posts/abc", None).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    i.stop().await;
}

async fn api_feeds(db: Db) {
    let i = TestInstance::start(db).await;
    let api = Api::new(&i);
    let admin = api.account(&i, "ada", true).await;
    let bob = api.account(&i, "bob", false).await;
    api.post("/communities", Some(&admin), community("growers", "open"))
        .await;
    api.post("/communities", Some(&admin), community("makers", "open"))
        .await;
    api.post("/communities/growers/follow", Some(&bob), json!(null))
        .await;
    let mut ids = Vec::new();
    for n in 0..23 {
        let (s, p) = api
            .post(
                "/communities/growers/posts",
                Some(&admin),
                json!({"title": format!("g{n}")}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED);
        ids.push(p["id"].as_i64().unwrap());
    }
    api.post(
        "/communities/makers/posts",
        Some(&admin),
        json!({"title": "m0"}),
    )
    .await;
    api.post(
        &format!("/posts/{}/vote", ids[2]),
        Some(&bob),
        json!({"value": 1}),
    )
    .await;
    api.post(
        &format!("/posts/{}/comments", ids[5]),
        Some(&bob),
        json!({"body": "up"}),
    )
    .await;

    let titles = |v: &Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["title"].as_str().unwrap().to_string())
            .collect()
    };
    // Mine: only followed communities; paginated by cursor.
    let (s, page1) = api.get("/feed?kind=mine", Some(&bob)).await;
    assert_eq!(s, StatusCode::OK, "{page1}");
    let t1 = titles(&page1);
    assert_eq!(t1.len(), 20);
    assert_eq!(t1[0], "g22");
    assert!(!t1.contains(&"m0".to_string()));
    let next = page1["next"].as_str().unwrap();
    let (_, page2) = api
        .get(&format!("/feed?kind=mine&after={next}"), Some(&bob))
        .await;
    assert_eq!(titles(&page2), vec!["g2", "g1", "g0"]);
    assert_eq!(page2["next"], Value::Null);
    let (s, _) = api.get("/feed?kind=mine", None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);

    // Local and all include every local community; sorts order as asked.
    let (_, local) = api.get("/feed?kind=local", None).await;
    assert_eq!(titles(&local)[0], "m0");
    let (_, all) = api.get("/feed", None).await;
    assert_eq!(titles(&all)[0], "m0");
    let (_, all) = api.get("/feed?kind=all&sort=top", None).await;
    assert_eq!(all["sort"], "top");
    assert_eq!(titles(&all)[0], "g2");
    let (_, active) = api.get("/feed?kind=all&sort=active", None).await;
    assert_eq!(titles(&active)[0], "g5");
    let (_, one) = api.get("/feed?kind=community&community=makers", None).await;
    assert_eq!(titles(&one), vec!["m0"]);

    // Bad queries are 4xx with JSON bodies.
    for (path, status) in [
        (
            "/feed?kind=local&sort=hot",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "/feed?kind=local&after=garbage",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        ("/feed?kind=everything", StatusCode::BAD_REQUEST),
        ("/feed?kind=community", StatusCode::BAD_REQUEST),
        (
            "/feed?kind=local&community=growers",
            StatusCode::BAD_REQUEST,
        ),
        (
            "/feed?kind=community&community=nowhere",
            StatusCode::NOT_FOUND,
        ),
        ("/feed?kind=local&page=2", StatusCode::BAD_REQUEST),
        // Decodable, but before any date a database can hold.
        (
            "/feed?kind=local&after=t-250000000000000000_1",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "/feed?kind=local&sort=active&after=t300000000000000000_1",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ] {
        let (s, body) = api.get(path, None).await;
        assert_eq!(s, status, "{path}: {body}");
        assert!(body["error"].is_string(), "{path}: {body}");
    }
    i.stop().await;
}

async fn api_openapi_lists_the_endpoints(db: Db) {
    let i = TestInstance::start(db).await;
    let api = Api::new(&i);
    let (s, doc) = api.get("/openapi.json", None).await;
    assert_eq!(s, StatusCode::OK);
    let paths = doc["paths"].as_object().unwrap();
    for p in [
        "/api/v1/communities",
        "/api/v1/communities/{name}",
        "/api/v1/communities/{name}/join",
        "/api/v1/communities/{name}/leave",
        "/api/v1/communities/{name}/follow",
        "/api/v1/communities/{name}/unfollow",
        "/api/v1/communities/{name}/members",
        "/api/v1/communities/{name}/applications",
        "/api/v1/memberships/{id}/decision",
        "/api/v1/feed",
        "/api/v1/communities/{name}/posts",
        "/api/v1/posts/{id}",
        "/api/v1/posts/{id}/comments",
        "/api/v1/comments/{id}",
        "/api/v1/posts/{id}/vote",
        "/api/v1/comments/{id}/vote",
    ] {
        assert!(paths.contains_key(p), "{p} is documented");
    }
    assert!(doc["components"]["schemas"]["PostOut"].is_object());
    i.stop().await;
}

/// PostgreSQL cannot store NUL; such input is refused as invalid (or names
/// nothing) instead of failing in the database.
async fn api_nul_characters_are_refused(db: Db) {
    let i = TestInstance::start(db).await;
    let api = Api::new(&i);
    let admin = api.account(&i, "ada", true).await;
    api.post("/communities", Some(&admin), community("growers", "open"))
        .await;
    let (s, _) = api.get("/communities/gr%00owers", None).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = api
        .get("/feed?kind=community&community=gr%00owers", None)
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = api.get("/users/a%00b", None).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    for (path, body) in [
        ("/communities", json!({"name": "xx", "title": "a\u{0}b"})),
        ("/communities/growers/posts", json!({"title": "a\u{0}b"})),
        ("/communities/growers/join", json!({"application": "\u{0}"})),
        ("/auth/token", json!({"username": "a\u{0}", "password": PW})),
        ("/accounts", json!({"username": "a\u{0}", "password": PW})),
    ] {
        let (s, body) = api.post(path, Some(&admin), body).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{path}: {body}");
        assert_eq!(body["message"], "Text may not contain NUL characters.");
    }
    let (s, _) = api
        .patch("/me", Some(&admin), json!({"bio": "\u{0}"}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    i.stop().await;
}

on_both_backends!(
    api_communities_and_membership,
    api_posts_comments_and_votes,
    api_feeds,
    api_openapi_lists_the_endpoints,
    api_nul_characters_are_refused,
);

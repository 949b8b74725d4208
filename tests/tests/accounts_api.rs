//! The JSON API's account operations and its refusals, on SQLite and PostgreSQL.

use commonhall::config::RegistrationMode;
use commonhall_tests::{on_both_backends, Db, TestInstance};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

const PW: &str = "tomato soup at noon";

async fn post(c: &Client, url: String, body: Value, token: Option<&str>) -> (StatusCode, Value) {
    let mut req = c.post(url).json(&body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn token_for(c: &Client, i: &TestInstance, name: &str) -> String {
    let (s, body) = post(
        c,
        i.url("/api/v1/auth/token"),
        json!({"username": name, "password": PW}),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    body["token"].as_str().unwrap().to_string()
}

async fn api_account_lifecycle(db: Db) {
    let i = TestInstance::start(db).await;
    let c = Client::new();
    let (s, body) = post(
        &c,
        i.url("/api/v1/accounts"),
        json!({"username": "ann", "password": PW}),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    assert_eq!(body["status"], "active");

    let (s, body) = post(
        &c,
        i.url("/api/v1/accounts"),
        json!({"username": "Ann", "password": PW}),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert_eq!(body["error"], "username_taken");

    let (s, body) = post(
        &c,
        i.url("/api/v1/auth/token"),
        json!({"username": "ann", "password": "bad password"}),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "bad_credentials");

    let token = token_for(&c, &i, "ann").await;
    let me: Value = c
        .get(i.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["username"], "ann");
    assert_eq!(me["actor_id"], i.url("/u/ann"));

    let res = c
        .patch(i.url("/api/v1/me"))
        .bearer_auth(&token)
        .json(&json!({"display_name": "Ann S.", "bio": "*hello*"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let me: Value = res.json().await.unwrap();
    assert_eq!(me["display_name"], "Ann S.");
    assert_eq!(me["bio_html"], "<p><em>hello</em></p>\n");

    let public: Value = c
        .get(i.url("/api/v1/users/ann"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(public["display_name"], "Ann S.");
    assert_eq!(
        c.get(i.url("/api/v1/users/ghost"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );

    let (s, body) = post(
        &c,
        i.url("/api/v1/me/password"),
        json!({"current_password": "nope nope nope", "new_password": "another good one"}),
        Some(&token),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let other = token_for(&c, &i, "ann").await;
    let (s, _) = post(
        &c,
        i.url("/api/v1/me/password"),
        json!({"current_password": PW, "new_password": "another good one"}),
        Some(&token),
    )
    .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert_eq!(
        c.get(i.url("/api/v1/me"))
            .bearer_auth(&other)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::UNAUTHORIZED
    );

    let res = c
        .delete(i.url("/api/v1/auth/token"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = c
        .get(i.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(res.headers()["www-authenticate"], "Bearer");
    i.stop().await;
}

async fn api_refuses_bad_input(db: Db) {
    let i = TestInstance::start(db).await;
    let c = Client::new();
    let raw = |body: &'static str, ct: &'static str| {
        c.post(i.url("/api/v1/accounts"))
            .header("content-type", ct)
            .body(body)
            .send()
    };
    let res = raw(r#"{"username": "ann", "#, "application/json")
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(res.json::<Value>().await.unwrap()["error"], "bad_request");
    let res = raw(r#"{"username": 5, "password": "x"}"#, "application/json")
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let res = raw(
        r#"{"username": "ann", "password": "tomato soup at noon", "admin": true}"#,
        "application/json",
    )
    .await
    .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::BAD_REQUEST,
        "unknown fields are refused"
    );
    let res = raw(
        r#"{"username": "ann", "password": "tomato soup at noon"}"#,
        "text/plain",
    )
    .await
    .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let huge = json!({"username": "ann", "password": "p".repeat(i.settings.max_body_bytes)});
    let res = c
        .post(i.url("/api/v1/accounts"))
        .json(&huge)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let (s, body) = post(
        &c,
        i.url("/api/v1/accounts"),
        json!({"username": "ann", "password": "p".repeat(1000)}),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let res = c
        .get(i.url("/api/v1/me"))
        .bearer_auth("forged-token")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(i.user_count().await, 0);
    i.stop().await;
}

async fn api_respects_registration_mode(db: Db) {
    let i = TestInstance::start_with(db, |s| s.registration = RegistrationMode::Approval).await;
    let c = Client::new();
    let (s, body) = post(
        &c,
        i.url("/api/v1/accounts"),
        json!({"username": "cleo", "password": PW, "application": "fiddler"}),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::CREATED);
    assert_eq!(body["status"], "pending");
    let (s, body) = post(
        &c,
        i.url("/api/v1/auth/token"),
        json!({"username": "cleo", "password": PW}),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(body["error"], "pending_approval");
    i.stop().await;
    let i = TestInstance::start_with(db, |s| s.registration = RegistrationMode::Closed).await;
    let (s, body) = post(
        &c,
        i.url("/api/v1/accounts"),
        json!({"username": "cleo", "password": PW}),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(body["error"], "registration_closed");
    i.stop().await;
}

async fn openapi_document_describes_the_api(db: Db) {
    let i = TestInstance::start(db).await;
    let doc: Value = reqwest::get(i.url("/api/v1/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/v1/accounts",
        "/api/v1/auth/token",
        "/api/v1/me",
        "/api/v1/me/password",
        "/api/v1/users/{username}",
        "/api/v1/instance",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} missing");
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    i.stop().await;
}

on_both_backends!(
    api_account_lifecycle,
    api_refuses_bad_input,
    api_respects_registration_mode,
    openapi_document_describes_the_api,
);

//! Account flows through the web UI, as a browser with JavaScript off does them, on SQLite and PostgreSQL.

use commonhall::config::RegistrationMode;
use commonhall_tests::page::{csrf_token, error_text};
use commonhall_tests::{on_both_backends, Db, TestInstance};
use reqwest::StatusCode;

const PW: &str = "tomato soup at noon";

async fn register(
    b: &commonhall_tests::page::Browser,
    name: &str,
) -> commonhall_tests::page::Reply {
    b.submit(
        "/register",
        "/_app/register",
        &[
            ("username", name),
            ("password", PW),
            ("password_again", PW),
            ("display_name", ""),
        ],
    )
    .await
}

async fn register_login_logout(db: Db) {
    let i = TestInstance::start(db).await;
    let b = i.client();
    let home = b.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("Join this co-op"));

    let r = register(&b, "ann").await;
    assert_eq!(r.status, StatusCode::FOUND, "{r:?}");
    assert_eq!(r.location.as_deref(), Some("/settings?welcome=1"));
    let settings = b.get("/settings?welcome=1").await;
    assert!(
        settings.body.contains("Your account is ready"),
        "{}",
        settings.body
    );
    assert!(settings.body.contains(r#"href="/u/ann""#));

    let out = b.submit("/settings", "/_app/logout", &[]).await;
    assert_eq!(out.location.as_deref(), Some("/"));
    assert!(b.get("/settings").await.body.contains("Sign in needed"));

    let bad = b
        .submit_and_follow(
            "/login",
            "/_app/login",
            &[("username", "ann"), ("password", "wrong password!")],
        )
        .await;
    assert_eq!(
        error_text(&bad.body).as_deref(),
        Some("Wrong user name or password.")
    );
    let ok = b
        .submit(
            "/login",
            "/_app/login",
            &[("username", "ANN"), ("password", PW), ("next", "/settings")],
        )
        .await;
    assert_eq!(ok.location.as_deref(), Some("/settings"));
    assert!(b.get("/settings").await.body.contains("Save profile"));
    i.stop().await;
}

async fn bad_registrations_write_nothing(db: Db) {
    let i = TestInstance::start(db).await;
    let b = i.client();
    register(&b, "ann").await;
    let before = i.user_count().await;
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (
            vec![
                ("username", "ANN"),
                ("password", PW),
                ("password_again", PW),
            ],
            "already taken",
        ),
        (
            vec![
                ("username", "bob"),
                ("password", "short"),
                ("password_again", "short"),
            ],
            "at least 10",
        ),
        (
            vec![
                ("username", "bob"),
                ("password", PW),
                ("password_again", "different one!"),
            ],
            "differ",
        ),
        (
            vec![
                ("username", "b b"),
                ("password", PW),
                ("password_again", PW),
            ],
            "letters, digits",
        ),
    ];
    let fresh = i.client();
    for (fields, expected) in cases {
        let r = fresh
            .submit_and_follow("/register", "/_app/register", &fields)
            .await;
        let err = error_text(&r.body).unwrap_or_default();
        assert!(err.contains(expected), "expected {expected:?}, got {err:?}");
    }
    let huge = "x".repeat(300);
    let r = fresh
        .submit_and_follow(
            "/register",
            "/_app/register",
            &[
                ("username", "bob"),
                ("password", &huge),
                ("password_again", &huge),
            ],
        )
        .await;
    assert!(error_text(&r.body)
        .unwrap_or_default()
        .contains("at most 256"));
    assert_eq!(i.user_count().await, before);
    i.stop().await;
}

async fn forged_csrf_and_foreign_origin_are_refused(db: Db) {
    let i = TestInstance::start(db).await;
    let b = i.client();
    b.get("/register").await;
    let fields = [
        ("username", "mallory"),
        ("password", PW),
        ("password_again", PW),
    ];
    let r = b
        .post_form("/register", "/_app/register", "forged-token", &fields)
        .await;
    let shown = b.get(r.location.as_deref().unwrap_or("/")).await;
    assert!(error_text(&shown.body)
        .unwrap_or_default()
        .contains("expired or came from another site"));
    // A missing token is refused too.
    let r = b
        .post_form("/register", "/_app/register", "", &fields)
        .await;
    assert!(r.location.unwrap_or_default().contains("__err"));
    // A post from another site is refused before it reaches the form handler.
    let html = b.get("/register").await.body;
    let csrf = csrf_token(&html).unwrap_or_default();
    let res = b
        .raw()
        .post(i.url("/_app/register"))
        .header("origin", "https://evil.example")
        .form(&[
            ("csrf", csrf.as_str()),
            ("username", "mallory"),
            ("password", PW),
            ("password_again", PW),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(i.user_count().await, 0);
    i.stop().await;
}

async fn profile_edit_renders_safe_markdown(db: Db) {
    let i = TestInstance::start(db).await;
    let b = i.client();
    register(&b, "ann").await;
    let r = b
        .submit(
            "/settings",
            "/_app/update_profile",
            &[
                ("display_name", "Ann Smith"),
                (
                    "bio",
                    "I grow **beans** & peas.\n\n</textarea><script>alert(1)</script>",
                ),
            ],
        )
        .await;
    assert_eq!(r.location.as_deref(), Some("/settings?saved=profile"));
    let settings = b.get("/settings?saved=profile").await.body;
    assert!(settings.contains("Your profile is saved."));
    // The bio comes back in its textarea as text: it cannot close the textarea and run.
    assert!(!settings.contains("<script>alert"), "{settings}");
    assert!(
        settings.contains(
            "I grow **beans** &amp; peas.\n\n&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;</textarea>"
        ),
        "{settings}"
    );
    let profile = i.client().get("/u/ann").await;
    assert_eq!(profile.status, StatusCode::OK);
    assert!(profile.body.contains("Ann Smith"));
    assert!(
        profile.body.contains("<strong>beans</strong>"),
        "{}",
        profile.body
    );
    assert!(!profile.body.contains("<script>alert"));
    let long = "x".repeat(200);
    let r = b
        .submit_and_follow(
            "/settings",
            "/_app/update_profile",
            &[("display_name", &long), ("bio", "")],
        )
        .await;
    assert!(error_text(&r.body)
        .unwrap_or_default()
        .contains("at most 100"));
    i.stop().await;
}

async fn password_change_ends_other_sessions(db: Db) {
    let i = TestInstance::start(db).await;
    let a = i.client();
    register(&a, "ann").await;
    let other = i.client();
    other
        .submit(
            "/login",
            "/_app/login",
            &[("username", "ann"), ("password", PW)],
        )
        .await;
    assert!(other.get("/settings").await.body.contains("Save profile"));

    let wrong = a
        .submit_and_follow(
            "/settings",
            "/_app/change_password",
            &[
                ("current_password", "not my password"),
                ("new_password", "a brand new secret"),
                ("new_password_again", "a brand new secret"),
            ],
        )
        .await;
    assert!(error_text(&wrong.body)
        .unwrap_or_default()
        .contains("current password"));
    let ok = a
        .submit(
            "/settings",
            "/_app/change_password",
            &[
                ("current_password", PW),
                ("new_password", "a brand new secret"),
                ("new_password_again", "a brand new secret"),
            ],
        )
        .await;
    assert_eq!(ok.location.as_deref(), Some("/settings?saved=password"));
    assert!(
        a.get("/settings").await.body.contains("Save profile"),
        "own session survives"
    );
    assert!(
        other.get("/settings").await.body.contains("Sign in needed"),
        "other session ended"
    );
    let old = i
        .client()
        .submit(
            "/login",
            "/_app/login",
            &[("username", "ann"), ("password", PW)],
        )
        .await;
    assert!(old.location.unwrap_or_default().contains("__err"));
    i.stop().await;
}

async fn approval_mode_needs_an_admin(db: Db) {
    let i = TestInstance::start_with(db, |s| s.registration = RegistrationMode::Approval).await;
    let admin_pw = "admin password here";
    let inst = i.state.instance.clone();
    i.db(move |c| {
        let reg = commonhall::domain::accounts::Registration {
            username: "root_admin".into(),
            password: admin_pw.into(),
            display_name: None,
            application: None,
        };
        commonhall::domain::accounts::register(
            c,
            &inst,
            &reg,
            commonhall::domain::accounts::CreatedBy::Admin { make_admin: true },
        )
        .expect("admin created");
    })
    .await;
    let applicant = i.client();
    let no_reason = applicant
        .submit_and_follow(
            "/register",
            "/_app/register",
            &[
                ("username", "cleo"),
                ("password", PW),
                ("password_again", PW),
            ],
        )
        .await;
    assert!(error_text(&no_reason.body)
        .unwrap_or_default()
        .contains("why you want to join"));
    let r = applicant
        .submit(
            "/register",
            "/_app/register",
            &[
                ("username", "cleo"),
                ("password", PW),
                ("password_again", PW),
                ("application", "I play the fiddle."),
            ],
        )
        .await;
    assert_eq!(r.location.as_deref(), Some("/register/sent"));
    let early = applicant
        .submit_and_follow(
            "/login",
            "/_app/login",
            &[("username", "cleo"), ("password", PW)],
        )
        .await;
    assert!(error_text(&early.body)
        .unwrap_or_default()
        .contains("waiting for an admin"));

    let admin = i.client();
    admin
        .submit(
            "/login",
            "/_app/login",
            &[("username", "root_admin"), ("password", admin_pw)],
        )
        .await;
    let queue = admin.get("/admin").await;
    assert!(queue.body.contains("I play the fiddle."), "{}", queue.body);
    let user_id = i
        .db(|c| {
            commonhall::store::users::by_username(c, "cleo")
                .unwrap()
                .unwrap()
                .0
                .id
        })
        .await
        .to_string();
    // A signed-in member who is not an admin cannot see or decide applications.
    let inst = i.state.instance.clone();
    i.db(move |c| {
        let reg = commonhall::domain::accounts::Registration {
            username: "nosy".into(),
            password: PW.into(),
            display_name: None,
            application: None,
        };
        commonhall::domain::accounts::register(
            c,
            &inst,
            &reg,
            commonhall::domain::accounts::CreatedBy::Admin { make_admin: false },
        )
        .expect("member created");
    })
    .await;
    let nosy = i.client();
    nosy.submit(
        "/login",
        "/_app/login",
        &[("username", "nosy"), ("password", PW)],
    )
    .await;
    let denied = nosy.get("/admin").await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    let r = admin
        .submit(
            "/admin",
            "/_app/decide_application",
            &[
                ("user_id", &user_id),
                ("decision", "approve"),
                ("reason", ""),
            ],
        )
        .await;
    assert_eq!(r.location.as_deref(), Some("/admin"));
    let ok = applicant
        .submit(
            "/login",
            "/_app/login",
            &[("username", "cleo"), ("password", PW)],
        )
        .await;
    assert_eq!(ok.location.as_deref(), Some("/"));
    i.stop().await;
}

async fn closed_registration_refuses(db: Db) {
    let i = TestInstance::start_with(db, |s| s.registration = RegistrationMode::Closed).await;
    let b = i.client();
    assert!(b
        .get("/register")
        .await
        .body
        .contains("Registration is closed"));
    // The page has no form; a hand-made post with a valid token is still refused.
    let csrf = csrf_token(&b.get("/login").await.body).unwrap_or_default();
    let r = b
        .post_form(
            "/register",
            "/_app/register",
            &csrf,
            &[
                ("username", "dan"),
                ("password", PW),
                ("password_again", PW),
            ],
        )
        .await;
    let location = r.location.unwrap_or_default();
    assert!(location.contains("__err"), "{location}");
    assert!(b
        .get(&location)
        .await
        .body
        .contains("Registration is closed"));
    assert_eq!(i.user_count().await, 0);
    i.stop().await;
}

async fn expired_session_is_anonymous(db: Db) {
    let i = TestInstance::start(db).await;
    let b = i.client();
    register(&b, "ann").await;
    assert!(b.get("/settings").await.body.contains("Save profile"));
    i.db(|c| {
        use commonhall::store::schema::sessions;
        use diesel::prelude::*;
        let past = commonhall::store::now() - chrono::Duration::days(1);
        diesel::update(sessions::table)
            .set(sessions::expires_at.eq(past))
            .execute(c)
            .unwrap();
    })
    .await;
    let page = b.get("/settings").await;
    assert!(page.body.contains("Sign in needed"));
    i.stop().await;
}

async fn login_is_rate_limited(db: Db) {
    let i = TestInstance::start_with(db, |s| s.login_attempts_per_minute = 3).await;
    let b = i.client();
    let mut last = String::new();
    for _ in 0..4 {
        let r = b
            .submit_and_follow(
                "/login",
                "/_app/login",
                &[("username", "nobody"), ("password", "whatever it is")],
            )
            .await;
        last = error_text(&r.body).unwrap_or_default();
    }
    assert!(last.contains("Too many attempts"), "{last}");
    i.stop().await;
}

async fn error_pages_have_status(db: Db) {
    let i = TestInstance::start(db).await;
    let b = i.client();
    let r = b.get("/no/such/page").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("Not found"));
    assert_eq!(b.get("/u/ghost").await.status, StatusCode::NOT_FOUND);
    assert_eq!(b.get("/settings").await.status, StatusCode::UNAUTHORIZED);
    let css = b.get("/static/commonhall.css").await;
    assert_eq!(css.status, StatusCode::OK);
    let health = b.get("/healthz").await;
    assert_eq!(health.status, StatusCode::OK);
    assert!(health.body.contains(r#""database":"ok""#));
    // An oversize form is refused without touching anything.
    let big = "y".repeat(i.settings.max_body_bytes + 10);
    let res = b
        .raw()
        .post(i.url("/_app/register"))
        .form(&[("csrf", "x"), ("username", big.as_str())])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_client_error(), "{}", res.status());
    assert_eq!(i.user_count().await, 0);
    i.stop().await;
}

on_both_backends!(
    register_login_logout,
    bad_registrations_write_nothing,
    forged_csrf_and_foreign_origin_are_refused,
    profile_edit_renders_safe_markdown,
    password_change_ends_other_sessions,
    approval_mode_needs_an_admin,
    closed_registration_refuses,
    expired_session_is_anonymous,
    login_is_rate_limited,
    error_pages_have_status,
);

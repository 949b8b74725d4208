//! The account flow in a real headless Chromium, once with JavaScript off and once with it on:
//! register, land signed in, sign out, a wrong password, sign in, edit the profile, see it rendered.
//! And, with JavaScript off, a member joining a community, posting and commenting.
//!
//! Needs `chromium` and `chromedriver` (`apt-get install chromium chromium-driver`); without
//! them these tests fail with that hint rather than being skipped.

use commonhall::config::RegistrationMode;
use commonhall_tests::browser::{Chromium, JavaScript};
use commonhall_tests::governance::{coop, PW as MEMBER_PW};
use commonhall_tests::{Db, TestInstance};

const PW: &str = "tomato soup at noon";

/// One browser at a time: the machines running this have few cores.
static ONE_BROWSER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

async fn account_flow(js: JavaScript) {
    let _one = ONE_BROWSER.lock().await;
    let i = TestInstance::start_with(Db::Sqlite, |s| s.registration = RegistrationMode::Open).await;
    let b = Chromium::start(js)
        .await
        .unwrap_or_else(|e| panic!("cannot start headless Chromium: {e:#}"));
    let result = scenario(&i, &b, js).await;
    let log = b.log_path();
    if let Err(e) = result {
        panic!(
            "browser scenario (JavaScript {js:?}) failed: {e:#}\n(chromedriver log: {})",
            log.display()
        );
    }
    b.close().await.expect("closing the browser");
    i.stop().await;
}

async fn scenario(i: &TestInstance, b: &Chromium, js: JavaScript) -> anyhow::Result<()> {
    anyhow::ensure!(
        b.javascript_runs().await? == (js == JavaScript::On),
        "the browser should run scripts: {js:?}"
    );

    // Register through the form and land signed in on the settings page.
    b.goto(&i.url("/")).await?;
    anyhow::ensure!(b.body_text().await?.contains("Join this co-op"));
    b.goto(&i.url("/register")).await?;
    b.fill("username", "ann").await?;
    b.fill("display_name", "Ann").await?;
    b.fill("password", PW).await?;
    b.fill("password_again", PW).await?;
    b.click_button("Create account").await?;
    b.wait_for_path("/settings?welcome=1").await?;
    let notice = b.text(".notice").await?;
    anyhow::ensure!(notice.contains("Your account is ready"), "notice: {notice}");
    let header = b.text("header.site").await?;
    anyhow::ensure!(
        header.contains("Ann") && header.contains("Sign out"),
        "header: {header}"
    );

    // Sign out with the header button.
    b.click_button("Sign out").await?;
    b.wait_for_path("/").await?;
    let header = b.text("header.site").await?;
    anyhow::ensure!(
        header.contains("Sign in") && !header.contains("Sign out"),
        "header after signing out: {header}"
    );
    b.goto(&i.url("/settings")).await?;
    anyhow::ensure!(b.text("h1").await? == "Sign in needed");

    // A wrong password shows the error on the sign-in page.
    b.goto(&i.url("/login")).await?;
    b.fill("username", "ann").await?;
    b.fill("password", "wrong password!").await?;
    b.click_button("Sign in").await?;
    let error = b.text("p.error").await?;
    anyhow::ensure!(
        error == "Wrong user name or password.",
        "error shown: {error:?}"
    );
    anyhow::ensure!(!b.text("header.site").await?.contains("Sign out"));

    // The right password signs in.
    b.goto(&i.url("/login")).await?;
    b.fill("username", "ann").await?;
    b.fill("password", PW).await?;
    b.click_button("Sign in").await?;
    b.wait_for_path("/").await?;
    let header = b.text("header.site").await?;
    anyhow::ensure!(header.contains("Sign out"), "header: {header}");

    // Edit the profile: display name and a Markdown bio.
    b.goto(&i.url("/settings")).await?;
    b.fill("display_name", "Ann Gardener").await?;
    b.fill(
        "bio",
        "I grow **bold** tomatoes.\n\nAsk me about seeds <script>alert(1)</script>",
    )
    .await?;
    b.click_button("Save profile").await?;
    b.wait_for_path("/settings?saved=profile").await?;
    let notice = b.text(".notice").await?;
    anyhow::ensure!(notice.contains("Your profile is saved"), "notice: {notice}");

    // The public profile shows it, with the Markdown rendered and scripts removed.
    b.goto(&i.url("/u/ann")).await?;
    anyhow::ensure!(b.text("h1").await? == "Ann Gardener");
    anyhow::ensure!(b.text(".bio strong").await? == "bold");
    let bio = b.wait_for(".bio").await?.html(true).await?;
    anyhow::ensure!(
        bio.contains("<strong>bold</strong>") && !bio.contains("<script"),
        "bio html: {bio}"
    );
    anyhow::ensure!(b.text(".handle").await?.contains("ann"));
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn account_flow_with_javascript_off() {
    account_flow(JavaScript::Off).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn account_flow_with_javascript_on() {
    account_flow(JavaScript::On).await;
}

/// An admin's community and a member's account, made directly; the rest goes through the UI.
async fn garden_and_member(i: &TestInstance) {
    use commonhall::domain::accounts::{self, CreatedBy, Registration};
    use commonhall::domain::communities::{self, CommunityForm};
    let inst = i.state.instance.clone();
    i.db(move |c| {
        let account = |name: &str| Registration {
            username: name.into(),
            password: PW.into(),
            display_name: None,
            application: None,
        };
        let ada = accounts::register(
            c,
            &inst,
            &account("ada"),
            CreatedBy::Admin { make_admin: true },
        )
        .expect("admin");
        accounts::register(
            c,
            &inst,
            &account("ben"),
            CreatedBy::Admin { make_admin: false },
        )
        .expect("member");
        let form = CommunityForm {
            name: "garden".into(),
            title: "Garden co-op".into(),
            description: "We grow beans.".into(),
            join_policy: "open".into(),
            classes: "grower, eater".into(),
        };
        communities::create(c, &inst, ada.id, ada.actor_id, &form).expect("community");
    })
    .await;
}

async fn join_post_and_comment(i: &TestInstance, b: &Chromium) -> anyhow::Result<()> {
    anyhow::ensure!(!b.javascript_runs().await?, "scripts must be off");
    b.goto(&i.url("/login")).await?;
    b.fill("username", "ben").await?;
    b.fill("password", PW).await?;
    b.click_button("Sign in").await?;
    b.wait_for_path("/").await?;

    // Join as the first class offered.
    b.goto(&i.url("/c/garden")).await?;
    b.click_button("Join").await?;
    b.wait_for_path("/c/garden").await?;
    let standing = b.text(".membership").await?;
    anyhow::ensure!(
        standing.contains("You are a member, as grower."),
        "membership: {standing}"
    );

    // Post: open the folded form, fill it, land on the post's page.
    b.client()
        .find(fantoccini::Locator::Css("details.new-post summary"))
        .await?
        .click()
        .await?;
    b.fill("title", "First beans").await?;
    b.fill("body", "The **runner** beans are up.").await?;
    b.click_button("Post").await?;
    let started = std::time::Instant::now();
    while !b.path().await?.starts_with("/post/") {
        anyhow::ensure!(
            started.elapsed() < commonhall_tests::browser::WAIT,
            "no post page after posting; page:\n{}",
            b.body_text().await?
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    anyhow::ensure!(b.text("h1").await? == "First beans");
    anyhow::ensure!(b.text(".body strong").await? == "runner");

    // Comment on it; the comment shows, rendered.
    b.fill("body", "Lovely **beans**").await?;
    b.click_button("Comment").await?;
    let comment = b.text(".comment-text").await?;
    anyhow::ensure!(comment.contains("Lovely beans"), "comment: {comment}");
    anyhow::ensure!(b.text(".comment-text strong").await? == "beans");

    // And both are stored as ben's.
    let (posts, comments) = i
        .db(|c| {
            use commonhall::store::schema::{comments, posts};
            use diesel::prelude::*;
            let p: i64 = posts::table.count().get_result(c).expect("count posts");
            let k: i64 = comments::table
                .count()
                .get_result(c)
                .expect("count comments");
            (p, k)
        })
        .await;
    anyhow::ensure!(
        (posts, comments) == (1, 1),
        "stored: {posts} posts, {comments} comments"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn member_joins_posts_and_comments_with_javascript_off() {
    let _one = ONE_BROWSER.lock().await;
    let i = TestInstance::start(Db::Sqlite).await;
    garden_and_member(&i).await;
    let b = Chromium::start(JavaScript::Off)
        .await
        .unwrap_or_else(|e| panic!("cannot start headless Chromium: {e:#}"));
    let result = join_post_and_comment(&i, &b).await;
    if let Err(e) = result {
        panic!(
            "community scenario failed: {e:#}\n(chromedriver log: {})",
            b.log_path().display()
        );
    }
    b.close().await.expect("closing the browser");
    i.stop().await;
}

/// Governance with JavaScript off: propose a rule change, vote, see the live result and the
/// receipt, and after the close job has run (a short window), the new rule and its history.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn governance_flow_with_javascript_off() {
    let _one = ONE_BROWSER.lock().await;
    let i = TestInstance::start(Db::Sqlite).await;
    coop(&i, "garden", "olga", &[("bob", "worker")]).await;
    let b = Chromium::start(JavaScript::Off)
        .await
        .unwrap_or_else(|e| panic!("cannot start headless Chromium: {e:#}"));
    let result = governance_scenario(&i, &b).await;
    let log = b.log_path();
    if let Err(e) = result {
        panic!(
            "governance scenario failed: {e:#}\n(chromedriver log: {})",
            log.display()
        );
    }
    b.close().await.expect("closing the browser");
    i.stop().await;
}

async fn governance_scenario(i: &TestInstance, b: &Chromium) -> anyhow::Result<()> {
    use fantoccini::Locator;
    let click = |css: &'static str| async move {
        b.wait_for(css).await?.click().await?;
        anyhow::Ok(())
    };
    anyhow::ensure!(!b.javascript_runs().await?, "scripts must be off");
    b.goto(&i.url("/login")).await?;
    b.fill("username", "olga").await?;
    b.fill("password", MEMBER_PW).await?;
    b.click_button("Sign in").await?;
    b.wait_for_path("/").await?;

    // From the community to its rules, and on to a new rule-change proposal.
    b.goto(&i.url("/c/garden")).await?;
    b.client()
        .find(Locator::LinkText("Rules"))
        .await?
        .click()
        .await?;
    b.wait_for_path("/c/garden/rules").await?;
    anyhow::ensure!(b.text("ol.rules").await?.contains("2. Share tools"));
    b.client()
        .find(Locator::LinkText("Propose a change"))
        .await?
        .click()
        .await?;
    b.wait_for_path("/c/garden/proposals/new?kind=rule_change")
        .await?;
    b.fill("title", "Save seeds").await?;
    b.fill("added[0][title]", "Save seeds").await?;
    b.fill("added[0][text]", "Keep a share of every harvest's seeds.")
        .await?;
    // A refused submission comes back with the reason and everything typed.
    b.fill("closes_at", "soon").await?;
    b.click_button("Submit proposal").await?;
    let error = b.text(r#"p.error[role="alert"]"#).await?;
    anyhow::ensure!(error.contains("YYYY-MM-DD"), "refused: {error}");
    let kept = b
        .wait_for(r#"[name="added[0][text]"]"#)
        .await?
        .prop("value")
        .await?
        .unwrap_or_default();
    anyhow::ensure!(
        kept == "Keep a share of every harvest's seeds.",
        "kept: {kept:?}"
    );
    let closes = commonhall::store::now() + chrono::Duration::seconds(25);
    b.fill("closes_at", &closes.format("%Y-%m-%d %H:%M:%S").to_string())
        .await?;
    click(r#"select[name="ballot"] option[value="roll_call"]"#).await?;
    b.click_button("Submit proposal").await?;
    b.wait_for_path("/c/garden/proposals/1").await?;
    let diff = b.text(".diff").await?;
    anyhow::ensure!(diff.contains("+ ## Save seeds"), "diff: {diff}");

    // Vote: the receipt is shown once, and the live roll-call count with its chart.
    click(r#"input[name="choice"][value="agree"]"#).await?;
    b.click_button("Vote").await?;
    b.wait_for_path("/c/garden/proposals/1?voted=1").await?;
    let receipt = b.text(".receipt-code").await?;
    anyhow::ensure!(receipt.len() > 16, "receipt: {receipt:?}");
    let live = b.text(".results .verdict").await?;
    anyhow::ensure!(
        live == "If the vote closed now: Passed",
        "live result: {live:?}"
    );
    b.wait_for("svg.chart title").await?;
    anyhow::ensure!(b.text("#roll-call").await?.contains("olga"));

    // The close job closes it on time, with no request; the rule applies itself.
    let started = std::time::Instant::now();
    loop {
        b.goto(&i.url("/c/garden/proposals/1")).await?;
        if b.text(".proposal .verdict").await.unwrap_or_default() == "Passed" {
            break;
        }
        anyhow::ensure!(
            started.elapsed().as_secs() < 90,
            "the proposal never closed"
        );
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    b.goto(&i.url("/c/garden/rules")).await?;
    let rules = b.text("ol.rules").await?;
    anyhow::ensure!(rules.contains("3. Save seeds"), "rules: {rules}");
    anyhow::ensure!(b.text(".rules-version").await?.contains("Version 2"));
    b.client()
        .find(Locator::LinkText("History"))
        .await?
        .click()
        .await?;
    b.wait_for_path("/c/garden/rules/history").await?;
    let history = b.text("#version-2").await?;
    anyhow::ensure!(
        history.contains("adopted by Save seeds") && history.contains("+ Keep a share"),
        "history: {history}"
    );
    Ok(())
}

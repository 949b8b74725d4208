//! Communities, posts, comments, votes and feeds through the web UI, as a
//! browser with JavaScript off uses them, on SQLite and PostgreSQL.

use commonhall::domain::accounts::{self, CreatedBy, Registration};
use commonhall::domain::content::posts::{self as post_rules, PostForm};
use commonhall::store::actors::{self, NewActor};
use commonhall::store::{communities, posts, users};
use commonhall_tests::page::{csrf_token, error_text, Browser, Reply};
use commonhall_tests::{on_both_backends, Db, TestInstance};
use reqwest::StatusCode;

const PW: &str = "tomato soup at noon";

/// Creates an account directly (admin or not) and signs a new browser in.
async fn account(i: &TestInstance, name: &str, admin: bool) -> Browser {
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
    let b = i.client();
    let r = b
        .submit(
            "/login",
            "/_app/login",
            &[("username", name), ("password", PW)],
        )
        .await;
    assert_eq!(r.location.as_deref(), Some("/"), "{name} signs in: {r:?}");
    b
}

/// The person actor id of a local user.
async fn actor_of(i: &TestInstance, name: &str) -> i64 {
    let name = name.to_string();
    i.db(move |c| users::by_username(c, &name).unwrap().unwrap().1.id)
        .await
}

async fn community_id(i: &TestInstance, name: &str) -> i64 {
    let name = name.to_string();
    i.db(move |c| communities::local_by_name(c, &name).unwrap().unwrap().0.id)
        .await
}

async fn create_community(b: &Browser, name: &str, policy: &str, classes: &str) -> Reply {
    b.submit_and_follow(
        "/communities",
        "/_app/create_community",
        &[
            ("name", name),
            ("title", &format!("The {name}")),
            ("description", "We grow **food** together."),
            ("join_policy", policy),
            ("classes", classes),
        ],
    )
    .await
}

async fn join(b: &Browser, key: &str, class: &str, application: &str) -> Reply {
    b.submit_and_follow(
        &format!("/c/{key}"),
        "/_app/join_community",
        &[("key", key), ("class", class), ("application", application)],
    )
    .await
}

/// Writes a post through the form; returns the reply (following the redirect) and the new id.
async fn write_post(
    b: &Browser,
    key: &str,
    title: &str,
    body: &str,
    link: &str,
) -> (Reply, Option<i64>) {
    let r = b
        .submit(
            &format!("/c/{key}"),
            "/_app/create_post",
            &[
                ("key", key),
                ("title", title),
                ("body", body),
                ("link", link),
            ],
        )
        .await;
    let id = r
        .location
        .as_deref()
        .and_then(|l| l.strip_prefix("/post/"))
        .and_then(|l| l.parse().ok());
    let shown = match &r.location {
        Some(l) => b.get(l).await,
        None => r,
    };
    (shown, id)
}

async fn comment(b: &Browser, post: i64, parent: Option<i64>, body: &str) -> (Reply, Option<i64>) {
    let post_s = post.to_string();
    let parent_s = parent.map(|p| p.to_string());
    let mut fields = vec![("post_id", post_s.as_str()), ("body", body)];
    if let Some(p) = &parent_s {
        fields.push(("parent_id", p.as_str()));
    }
    let r = b
        .submit(&format!("/post/{post}"), "/_app/create_comment", &fields)
        .await;
    let id = r
        .location
        .as_deref()
        .and_then(|l| l.split_once("#comment-"))
        .and_then(|(_, id)| id.parse().ok());
    let shown = match &r.location {
        Some(l) => b.get(l).await,
        None => r,
    };
    (shown, id)
}

async fn vote(b: &Browser, target: &str, id: i64, post: i64, value: &str) -> Reply {
    b.submit_and_follow(
        &format!("/post/{post}"),
        "/_app/vote",
        &[
            ("target", target),
            ("id", &id.to_string()),
            ("value", value),
        ],
    )
    .await
}

async fn post_count(i: &TestInstance) -> i64 {
    i.db(|c| {
        use commonhall::store::schema::posts;
        use diesel::prelude::*;
        posts::table.count().get_result::<i64>(c).unwrap()
    })
    .await
}

/// The error a form post sent back in its redirect (`__err`, base64 JSON),
/// for forms posted from pages that do not show that form's errors.
fn url_error(r: &Reply) -> String {
    let location = r.location.as_deref().unwrap_or_default();
    let Some(encoded) = location.split("__err=").nth(1) else {
        return String::new();
    };
    let encoded = encoded
        .split('&')
        .next()
        .unwrap_or_default()
        .replace("%3D", "=");
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut bits = 0u32;
    let mut n = 0;
    let mut out = Vec::new();
    for b in encoded.bytes().take_while(|b| *b != b'=') {
        let v = alphabet.iter().position(|a| *a == b).expect("base64") as u32;
        bits = (bits << 6) | v;
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
            bits &= (1 << n) - 1;
        }
    }
    String::from_utf8(out).unwrap_or_default()
}

/// The page as shown, without the trailing scripts that carry its data.
fn shown_html(body: &str) -> &str {
    body.split("<script").next().unwrap_or(body)
}

fn error_of(r: &Reply) -> String {
    error_text(&r.body).unwrap_or_default()
}

/// How deeply a comment is nested: the number of comment lists around it.
fn depth(html: &str, comment: i64) -> usize {
    let at = html
        .find(&format!(r#"id="comment-{comment}""#))
        .unwrap_or_else(|| panic!("comment {comment} is shown"));
    let before = &html[..at];
    before.matches(r#"<ol class="comments"#).count() - before.matches("</ol>").count()
}

/// Titles of the posts a feed page lists, in order.
fn titles(html: &str) -> Vec<String> {
    html.split(r#"<article class="post-item"><h3><a href="/post/"#)
        .skip(1)
        .filter_map(|s| {
            let start = s.find('>')? + 1;
            let end = s[start..].find('<')? + start;
            Some(s[start..end].to_string())
        })
        .collect()
}

/// The "Next page" link of a feed page.
fn next_link(html: &str) -> Option<String> {
    let i = html.find(r#"rel="next""#)?;
    let start = html[..i].rfind("href=\"")? + 6;
    let end = html[start..].find('"')? + start;
    Some(html[start..end].replace("&amp;", "&"))
}

async fn admin_creates_communities_members_cannot(db: Db) {
    let i = TestInstance::start(db).await;
    let admin = account(&i, "ada", true).await;
    let list = admin.get("/communities").await;
    assert!(list.body.contains("No communities yet."));
    assert!(list.body.contains("Create community"));

    let page = create_community(&admin, "growers", "open", "worker, user").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("<h1>The growers</h1>"), "{}", page.body);
    assert!(page
        .body
        .contains(&format!("@growers@{}", i.settings.hostname)));
    assert!(page.body.contains("<strong>food</strong>"));
    assert!(page
        .body
        .contains("1 member · 1 follower · Open: anyone may join"));
    assert!(page
        .body
        .contains("You are a member, as worker, and owner of this community."));
    assert!(page.body.contains("Edit settings"));
    let list = admin.get("/communities").await;
    assert!(list.body.contains(r#"href="/c/growers""#));

    // Refusals say why and create nothing.
    let dup = create_community(&admin, "growers", "open", "").await;
    assert!(
        error_of(&dup).contains("already exists"),
        "{}",
        error_of(&dup)
    );
    let bad = create_community(&admin, "No Spaces", "open", "").await;
    assert!(
        error_of(&bad).contains("Community name"),
        "{}",
        error_of(&bad)
    );
    let bad = create_community(&admin, "fine", "sometimes", "").await;
    assert!(error_of(&bad).contains("Join policy"), "{}", error_of(&bad));
    let bad = admin
        .submit_and_follow(
            "/communities",
            "/_app/create_community",
            &[
                ("name", "untitled"),
                ("title", "  "),
                ("description", ""),
                ("join_policy", "open"),
                ("classes", ""),
            ],
        )
        .await;
    assert!(error_of(&bad).contains("Title"), "{}", error_of(&bad));

    let member = account(&i, "bob", false).await;
    let list = member.get("/communities").await;
    assert!(!list.body.contains("Create community"));
    let refused = create_community(&member, "mine", "open", "").await;
    assert_eq!(error_of(&refused), "You are not allowed to do that.");
    let anon = i.client();
    let csrf = csrf_token(&anon.get("/login").await.body).unwrap();
    let r = anon
        .post_form(
            "/communities",
            "/_app/create_community",
            &csrf,
            &[
                ("name", "anon"),
                ("title", "Anon"),
                ("description", ""),
                ("join_policy", "open"),
                ("classes", ""),
            ],
        )
        .await;
    let refused = anon.get(r.location.as_deref().unwrap()).await;
    assert_eq!(error_of(&refused), "Please sign in first.");
    let n = i.db(|c| communities::list(c, false).unwrap().len()).await;
    assert_eq!(n, 1);

    // The owner edits the settings; a plain member may not.
    let r = admin
        .submit(
            "/c/growers/settings",
            "/_app/update_community",
            &[
                ("key", "growers"),
                ("title", "Growers co-op"),
                ("description", "Seeds and soil."),
                ("join_policy", "approval"),
                ("classes", "worker, user, supporter"),
            ],
        )
        .await;
    assert_eq!(r.location.as_deref(), Some("/c/growers/settings?saved=1"));
    let page = admin.get("/c/growers").await;
    assert!(
        page.body.contains("<h1>Growers co-op</h1>"),
        "{}",
        page.body
    );
    assert!(page.body.contains("By application"));
    assert!(page.body.contains("worker, user, supporter"));
    assert_eq!(
        member.get("/c/growers/settings").await.status,
        StatusCode::FORBIDDEN
    );
    let refused = member
        .submit(
            "/c/growers/settings",
            "/_app/update_community",
            &[
                ("key", "growers"),
                ("title", "Taken over"),
                ("description", ""),
                ("join_policy", "open"),
                ("classes", ""),
            ],
        )
        .await;
    assert!(url_error(&refused).contains("Only the community's moderators may do that."));
    let title = i
        .db(|c| {
            communities::local_by_name(c, "growers")
                .unwrap()
                .unwrap()
                .0
                .title
        })
        .await;
    assert_eq!(title, "Growers co-op");
    i.stop().await;
}

async fn members_join_post_and_markdown_is_safe(db: Db) {
    let i = TestInstance::start(db).await;
    let admin = account(&i, "ada", true).await;
    create_community(&admin, "growers", "open", "worker, user").await;
    let bob = account(&i, "bob", false).await;
    let page = bob.get("/c/growers").await;
    assert!(
        page.body.contains(r#"<option value="user">"#),
        "{}",
        page.body
    );
    assert!(!page.body.contains("New post"));
    let joined = join(&bob, "growers", "user", "").await;
    assert!(
        joined.body.contains("You are a member, as user."),
        "{}",
        joined.body
    );
    assert!(joined.body.contains("2 members"));
    assert!(joined.body.contains("New post"));
    let again = join(&bob, "growers", "user", "").await;
    assert!(
        error_of(&again).contains("already a member"),
        "{}",
        error_of(&again)
    );
    let bad_class = join(&account(&i, "eve", false).await, "growers", "boss", "").await;
    assert!(
        error_of(&bad_class).contains("not a class"),
        "{}",
        error_of(&bad_class)
    );

    let (post, id) = write_post(
        &bob,
        "growers",
        "Seed swap <b>Saturday</b>",
        "Bring **seeds**.\n\n<script>alert(1)</script>\n\n[click](javascript:alert(2)) <img src=x onerror=alert(3)>",
        "https://example.org/swap",
    )
    .await;
    let id = id.expect("post created");
    assert_eq!(post.status, StatusCode::OK);
    let html = shown_html(&post.body);
    assert!(
        html.contains("Seed swap &lt;b&gt;Saturday&lt;/b&gt;"),
        "{}",
        html
    );
    assert!(html.contains("<strong>seeds</strong>"));
    assert!(!html.contains("<script>alert"));
    assert!(!html.contains("javascript:alert"));
    assert!(!html.contains("onerror"));
    assert!(html.contains(r#"href="https://example.org/swap""#));
    assert!(html.contains(r#"href="/u/bob""#));
    assert!(html.contains(r#"href="/c/growers""#));
    let feed = bob.get("/c/growers").await;
    assert_eq!(
        titles(&feed.body),
        vec!["Seed swap &lt;b&gt;Saturday&lt;/b&gt;"]
    );
    assert!(feed.body.contains("(example.org)"));

    // A visitor reads it but gets no buttons; a non-member may not post.
    let anon = i.client().get(&format!("/post/{id}")).await;
    assert_eq!(anon.status, StatusCode::OK);
    assert!(!anon.body.contains(">Like<"));
    assert!(anon
        .body
        .contains("Members and followers of the community may comment"));
    let carl = account(&i, "carl", false).await;
    let before = post_count(&i).await;
    let (refused, none) = write_post(&carl, "growers", "Hello", "", "").await;
    assert!(none.is_none());
    assert_eq!(
        error_of(&refused),
        "Only members of this community may do that."
    );
    assert_eq!(post_count(&i).await, before);
    i.stop().await;
}

async fn comments_nest_and_votes_count(db: Db) {
    let i = TestInstance::start(db).await;
    let admin = account(&i, "ada", true).await;
    create_community(&admin, "growers", "open", "").await;
    let bob = account(&i, "bob", false).await;
    join(&bob, "growers", "member", "").await;
    let carl = account(&i, "carl", false).await;
    // Followers may comment and vote too.
    carl.submit(
        "/c/growers",
        "/_app/follow_community",
        &[("key", "growers")],
    )
    .await;
    let (_, post) = write_post(&bob, "growers", "Compost", "How hot?", "").await;
    let post = post.unwrap();

    let (_, c1) = comment(&bob, post, None, "First *thoughts*").await;
    let c1 = c1.expect("comment");
    let (_, c2) = comment(&carl, post, Some(c1), "A reply").await;
    let c2 = c2.expect("reply");
    let (_, c3) = comment(&bob, post, Some(c2), "A reply to the reply").await;
    let c3 = c3.expect("reply to reply");
    let (page, c4) = comment(&carl, post, None, "Second thread").await;
    let c4 = c4.unwrap();
    assert!(page.body.contains("<em>thoughts</em>"));
    assert!(page.body.contains("4 comments"));
    assert_eq!(depth(&page.body, c1), 1);
    assert_eq!(depth(&page.body, c2), 2);
    assert_eq!(depth(&page.body, c3), 3);
    assert_eq!(depth(&page.body, c4), 1);

    // Likes and dislikes, changed and undone.
    let page = vote(&bob, "post", post, post, "1").await;
    assert!(
        page.body.contains(r#"<span class="likes">1 like</span>"#),
        "{}",
        page.body
    );
    let page = vote(&carl, "post", post, post, "-1").await;
    assert!(page.body.contains(r#"<span class="likes">1 like</span>"#));
    assert!(page
        .body
        .contains(r#"<span class="dislikes">1 dislike</span>"#));
    assert!(page.body.contains(">Undo<"));
    let page = vote(&carl, "post", post, post, "1").await;
    assert!(page.body.contains(r#"<span class="likes">2 likes</span>"#));
    assert!(page
        .body
        .contains(r#"<span class="dislikes">0 dislikes</span>"#));
    let page = vote(&bob, "post", post, post, "0").await;
    assert!(page.body.contains(r#"<span class="likes">1 like</span>"#));
    vote(&bob, "comment", c2, post, "1").await;
    let counts = i
        .db(move |c| {
            let p = posts::by_id(c, post).unwrap();
            let cm = commonhall::store::comments::by_id(c, c2).unwrap();
            (p.likes, p.dislikes, cm.likes)
        })
        .await;
    assert_eq!(counts, (1, 0, 1));
    let bad = vote(&bob, "post", post, post, "5").await;
    assert!(error_of(&bad).contains("+1, -1 or 0"), "{}", error_of(&bad));
    let anon = i.client();
    let csrf = csrf_token(&anon.get("/login").await.body).unwrap();
    let r = anon
        .post_form(
            &format!("/post/{post}"),
            "/_app/vote",
            &csrf,
            &[
                ("target", "post"),
                ("id", &post.to_string()),
                ("value", "1"),
            ],
        )
        .await;
    let refused = anon.get(r.location.as_deref().unwrap()).await;
    assert_eq!(error_of(&refused), "Please sign in first.");
    let stranger = account(&i, "dora", false).await;
    let refused = vote(&stranger, "post", post, post, "1").await;
    assert!(
        error_of(&refused).contains("members and followers"),
        "{}",
        error_of(&refused)
    );
    let (refused, none) = comment(&stranger, post, None, "Let me in").await;
    assert!(none.is_none());
    assert!(error_of(&refused).contains("members and followers"));

    // A deleted comment keeps its place and its replies.
    let r = bob
        .submit(
            &format!("/post/{post}"),
            "/_app/delete_comment",
            &[("id", &c1.to_string())],
        )
        .await;
    assert_eq!(r.location, Some(format!("/post/{post}#comment-{c1}")));
    let page = bob.get(&format!("/post/{post}")).await;
    assert!(page.body.contains("[deleted]"));
    assert!(!page.body.contains("First <em>thoughts</em>"));
    assert_eq!(depth(&page.body, c2), 2);
    assert_eq!(depth(&page.body, c3), 3);
    assert!(page.body.contains("A reply to the reply"));
    i.stop().await;
}

async fn authors_edit_and_delete_moderators_remove(db: Db) {
    let i = TestInstance::start(db).await;
    let admin = account(&i, "ada", true).await;
    create_community(&admin, "growers", "open", "").await;
    let bob = account(&i, "bob", false).await;
    join(&bob, "growers", "", "").await;
    let carl = account(&i, "carl", false).await;
    join(&carl, "growers", "", "").await;
    let (_, post) = write_post(&bob, "growers", "Old title", "old text", "").await;
    let post = post.unwrap();
    let (_, cm) = comment(&bob, post, None, "old comment").await;
    let cm = cm.unwrap();

    let edit_page = bob.get(&format!("/post/{post}/edit")).await;
    assert!(edit_page.body.contains("Save post"));
    assert!(edit_page.body.contains("old text"));
    let r = bob
        .submit(
            &format!("/post/{post}/edit"),
            "/_app/edit_post",
            &[
                ("id", &post.to_string()),
                ("title", "New title"),
                ("body", "new _text_"),
                ("link", "https://example.org/"),
            ],
        )
        .await;
    assert_eq!(r.location, Some(format!("/post/{post}")));
    let page = bob.get(&format!("/post/{post}")).await;
    assert!(page.body.contains("<h1>New title</h1>"));
    assert!(page.body.contains("<em>text</em>"));
    assert!(page.body.contains("edited"));
    let r = bob
        .submit_and_follow(
            &format!("/post/{post}"),
            "/_app/edit_comment",
            &[("id", &cm.to_string()), ("body", "better comment")],
        )
        .await;
    assert!(r.body.contains("better comment"));

    // Another member may neither edit nor delete them.
    assert_eq!(
        carl.get(&format!("/post/{post}/edit")).await.status,
        StatusCode::FORBIDDEN
    );
    let page = carl.get(&format!("/post/{post}")).await;
    assert!(!page.body.contains("Delete post"));
    let refused = carl
        .submit_and_follow(
            &format!("/post/{post}"),
            "/_app/edit_post",
            &[
                ("id", &post.to_string()),
                ("title", "Hijacked"),
                ("body", ""),
                ("link", ""),
            ],
        )
        .await;
    assert_eq!(error_of(&refused), "Only the author may do that.");
    let refused = carl
        .submit_and_follow(
            &format!("/post/{post}"),
            "/_app/delete_post",
            &[("id", &post.to_string())],
        )
        .await;
    assert_eq!(
        error_of(&refused),
        "Only the author or a moderator may do that."
    );
    let refused = carl
        .submit_and_follow(
            &format!("/post/{post}"),
            "/_app/edit_comment",
            &[("id", &cm.to_string()), ("body", "hijacked")],
        )
        .await;
    assert_eq!(error_of(&refused), "Only the author may do that.");
    let refused = carl
        .submit_and_follow(
            &format!("/post/{post}"),
            "/_app/delete_comment",
            &[("id", &cm.to_string())],
        )
        .await;
    assert_eq!(
        error_of(&refused),
        "Only the author or a moderator may do that."
    );
    let title = i.db(move |c| posts::by_id(c, post).unwrap().title).await;
    assert_eq!(title, "New title");

    // The owner (a moderator) sees the delete buttons and removes the post.
    let page = admin.get(&format!("/post/{post}")).await;
    assert!(page.body.contains("Delete post"));
    assert!(!page.body.contains(&format!("/post/{post}/edit")));
    let r = admin
        .submit(
            &format!("/post/{post}"),
            "/_app/delete_post",
            &[("id", &post.to_string())],
        )
        .await;
    assert_eq!(r.location.as_deref(), Some("/c/growers?deleted=1"));
    assert!(admin
        .get("/c/growers?deleted=1")
        .await
        .body
        .contains("The post was deleted."));
    assert_eq!(
        bob.get(&format!("/post/{post}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(titles(&bob.get("/c/growers").await.body).is_empty());

    // Authors delete their own posts too.
    let (_, own) = write_post(&carl, "growers", "Mine", "", "").await;
    let own = own.unwrap();
    let r = carl
        .submit(
            &format!("/post/{own}"),
            "/_app/delete_post",
            &[("id", &own.to_string())],
        )
        .await;
    assert_eq!(r.location.as_deref(), Some("/c/growers?deleted=1"));
    assert_eq!(
        carl.get(&format!("/post/{own}")).await.status,
        StatusCode::NOT_FOUND
    );
    i.stop().await;
}

async fn approval_applications_and_leaving(db: Db) {
    let i = TestInstance::start(db).await;
    let admin = account(&i, "ada", true).await;
    create_community(&admin, "council", "approval", "worker, supporter").await;
    let dan = account(&i, "dan", false).await;
    let page = dan.get("/c/council").await;
    assert!(page.body.contains("Why do you want to join?"));
    assert!(page.body.contains("Apply to join"));
    let r = join(
        &dan,
        "council",
        "supporter",
        "I can help with the accounts.",
    )
    .await;
    assert!(
        r.body
            .contains("Your application (as supporter) is waiting for a moderator."),
        "{}",
        r.body
    );
    let (refused, _) = write_post(&dan, "council", "Early", "", "").await;
    assert_eq!(
        error_of(&refused),
        "Only members of this community may do that."
    );
    assert_eq!(
        dan.get("/c/council/applications").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        dan.get("/c/council/members").await.status,
        StatusCode::FORBIDDEN
    );

    let page = admin.get("/c/council").await;
    assert!(page.body.contains("Applications (1)"));
    let queue = admin.get("/c/council/applications").await;
    assert!(queue.body.contains("I can help with the accounts."));
    assert!(queue.body.contains("as supporter"));
    let membership = i
        .db(|c| {
            use commonhall::store::schema::memberships;
            use diesel::prelude::*;
            memberships::table
                .filter(memberships::status.eq("pending"))
                .select(memberships::id)
                .first::<i64>(c)
                .unwrap()
        })
        .await
        .to_string();
    let r = admin
        .submit(
            "/c/council/applications",
            "/_app/decide_membership",
            &[
                ("membership_id", &membership),
                ("decision", "refuse"),
                ("reason", "We are full this season."),
            ],
        )
        .await;
    assert_eq!(r.location.as_deref(), Some("/c/council/applications"));
    let page = dan.get("/c/council").await;
    assert!(
        page.body
            .contains("Your application was refused: We are full this season."),
        "{}",
        page.body
    );
    let again = admin
        .submit_and_follow(
            "/c/council/applications",
            "/_app/decide_membership",
            &[("membership_id", &membership), ("decision", "approve")],
        )
        .await;
    assert!(
        error_of(&again).contains("already been decided"),
        "{}",
        error_of(&again)
    );

    // Applying again, and being approved.
    join(&dan, "council", "supporter", "Please reconsider.").await;
    assert!(admin
        .get("/c/council/applications")
        .await
        .body
        .contains("Please reconsider."));
    let r = admin
        .submit_and_follow(
            "/c/council/applications",
            "/_app/decide_membership",
            &[
                ("membership_id", &membership),
                ("decision", "approve"),
                ("reason", ""),
            ],
        )
        .await;
    assert!(r.body.contains("No applications are waiting."));
    let page = dan.get("/c/council").await;
    assert!(page.body.contains("You are a member, as supporter."));
    let members = dan.get("/c/council/members").await;
    assert_eq!(members.status, StatusCode::OK);
    assert!(
        members
            .body
            .contains(r#"<td>supporter</td><td>member</td>"#),
        "{}",
        members.body
    );
    assert!(members.body.contains(r#"<td>worker</td><td>owner</td>"#));
    let (_, post) = write_post(&dan, "council", "Budget", "", "").await;
    assert!(post.is_some());

    // Leaving.
    let r = dan
        .submit_and_follow("/c/council", "/_app/leave_community", &[("key", "council")])
        .await;
    assert!(r.body.contains("You left this community."), "{}", r.body);
    assert!(r.body.contains("Apply to join"));
    let again = dan
        .submit_and_follow("/c/council", "/_app/leave_community", &[("key", "council")])
        .await;
    assert!(error_of(&again).contains("not a member"));
    assert_eq!(
        dan.get("/c/council/members").await.status,
        StatusCode::FORBIDDEN
    );

    // Invite-only communities take no applications.
    let created = create_community(&admin, "board", "invite", "").await;
    assert_eq!(
        created.status,
        StatusCode::OK,
        "{}",
        shown_html(&created.body)
    );
    let page = dan.get("/c/board").await;
    assert!(
        page.body.contains("Joining is by invitation"),
        "{}",
        shown_html(&page.body)
    );
    let refused = join(&dan, "board", "", "").await;
    assert!(
        error_of(&refused).contains("invites"),
        "{}",
        error_of(&refused)
    );
    i.stop().await;
}

async fn follow_and_unfollow(db: Db) {
    let i = TestInstance::start(db).await;
    let admin = account(&i, "ada", true).await;
    create_community(&admin, "growers", "open", "").await;
    write_post(&admin, "growers", "Harvest", "", "").await;
    let erin = account(&i, "erin", false).await;
    let home = erin.get("/").await;
    assert!(home.body.contains("Nothing here yet."));
    let r = erin
        .submit_and_follow(
            "/c/growers",
            "/_app/follow_community",
            &[("key", "growers")],
        )
        .await;
    assert!(r.body.contains("You follow this community."), "{}", r.body);
    assert!(r.body.contains("2 followers"));
    assert!(r.body.contains(">Unfollow<"));
    assert_eq!(titles(&erin.get("/").await.body), vec!["Harvest"]);
    let r = erin
        .submit_and_follow(
            "/c/growers",
            "/_app/unfollow_community",
            &[("key", "growers")],
        )
        .await;
    assert!(r.body.contains(">Follow<"));
    assert!(r.body.contains("1 follower"));
    assert!(titles(&erin.get("/").await.body).is_empty());
    i.stop().await;
}

/// A community from another instance, known here, with one post.
async fn remote_community(i: &TestInstance) {
    i.db(|c| {
        let now = commonhall::store::now();
        let actor = actors::insert(
            c,
            &NewActor {
                ap_id: "https://far.example/c/weavers",
                kind: "group",
                name: "weavers",
                domain: "far.example",
                local: false,
                display_name: Some("Weavers"),
                summary: None,
                inbox_url: "https://far.example/c/weavers/inbox",
                shared_inbox_url: None,
                public_key_pem: "-----BEGIN PUBLIC KEY-----",
                private_key_pem: None,
                created_at: now,
                updated_at: now,
                last_refreshed_at: now,
                followers_url: None,
                outbox_url: None,
            },
        )
        .unwrap();
        let author = actors::insert(
            c,
            &NewActor {
                ap_id: "https://far.example/u/wendy",
                kind: "person",
                name: "wendy",
                domain: "far.example",
                local: false,
                display_name: Some("Wendy"),
                summary: None,
                inbox_url: "https://far.example/u/wendy/inbox",
                shared_inbox_url: None,
                public_key_pem: "-----BEGIN PUBLIC KEY-----",
                private_key_pem: None,
                created_at: now,
                updated_at: now,
                last_refreshed_at: now,
                followers_url: None,
                outbox_url: None,
            },
        )
        .unwrap();
        let community = communities::upsert_remote(
            c,
            actor.id,
            "weavers",
            "Weavers",
            "Looms.",
            "<p>Looms.</p>",
            "open",
            r#"["member"]"#,
        )
        .unwrap();
        posts::insert(
            c,
            &posts::NewPost {
                ap_id: "https://far.example/post/1",
                community_id: community.id,
                author_id: author.id,
                local: false,
                title: "Remote loom post",
                body_markdown: "",
                body_html: "",
                link_url: None,
                published_at: now,
                last_activity_at: now,
            },
        )
        .unwrap();
    })
    .await;
}

async fn feeds_sort_and_paginate(db: Db) {
    let i = TestInstance::start(db).await;
    let admin = account(&i, "ada", true).await;
    create_community(&admin, "growers", "open", "").await;
    create_community(&admin, "makers", "open", "").await;
    let bob = account(&i, "bob", false).await;
    join(&bob, "growers", "", "").await;
    let growers = community_id(&i, "growers").await;
    let makers = community_id(&i, "makers").await;
    let ada = actor_of(&i, "ada").await;
    let publisher = i.state.publisher.clone();
    let inst = i.state.instance.clone();
    // 25 posts in growers (p0 oldest), 1 in makers, written through the domain.
    let ids: Vec<i64> = i
        .db(move |c| {
            let mut ids = Vec::new();
            for n in 0..25 {
                let form = PostForm {
                    title: format!("p{n}"),
                    body: String::new(),
                    link: None,
                };
                ids.push(
                    post_rules::create(c, &*publisher, &inst, growers, ada, &form)
                        .unwrap()
                        .id,
                );
            }
            let form = PostForm {
                title: "maker post".into(),
                body: String::new(),
                link: None,
            };
            post_rules::create(c, &*publisher, &inst, makers, ada, &form).unwrap();
            ids
        })
        .await;

    remote_community(&i).await;

    // New: newest first, 20 to a page, then the rest; nothing twice.
    let page1 = bob.get("/c/growers").await;
    let t1 = titles(&page1.body);
    assert_eq!(t1.len(), 20);
    assert_eq!(t1[0], "p24");
    assert_eq!(t1[19], "p5");
    let next = next_link(&page1.body).expect("a next page");
    assert!(next.starts_with("/c/growers?sort=new&after="), "{next}");
    let page2 = bob.get(&next).await;
    assert_eq!(titles(&page2.body), vec!["p4", "p3", "p2", "p1", "p0"]);
    assert!(next_link(&page2.body).is_none());
    assert!(page2.body.contains("First page"));

    // Top: by likes; Active: by latest comment.
    let (p3, p7) = (ids[3], ids[7]);
    i.db(move |c| {
        posts::set_counts(c, p3, 9, 0).unwrap();
        posts::set_counts(c, p7, 4, 1).unwrap();
    })
    .await;
    let top = titles(&bob.get("/c/growers?sort=top").await.body);
    assert_eq!(top[0], "p3");
    assert_eq!(top[1], "p7");
    assert_eq!(top[2], "p24");
    let next = next_link(&bob.get("/c/growers?sort=top").await.body).unwrap();
    assert!(next.contains("sort=top"));
    let top2 = titles(&bob.get(&next).await.body);
    assert_eq!(top2.len(), 5);
    assert!(!top2.contains(&"p3".to_string()) && !top2.contains(&"p7".to_string()));
    comment(&bob, ids[1], None, "Bumping this").await;
    let active = titles(&bob.get("/c/growers?sort=active").await.body);
    assert_eq!(active[0], "p1");
    assert_eq!(active[1], "p24");
    let tabs = bob.get("/c/growers?sort=active").await.body;
    assert!(
        tabs.contains(
            r#"href="/c/growers?sort=active" aria-current="page" class="current">Active<"#
        ),
        "{tabs}"
    );

    // Local: this co-op's communities; All: also those known from elsewhere.
    let local = titles(&i.client().get("/local").await.body);
    assert_eq!(local[0], "maker post");
    assert!(!local.contains(&"Remote loom post".to_string()));
    let all = i.client().get("/all").await;
    assert!(titles(&all.body).contains(&"Remote loom post".to_string()));
    assert!(all.body.contains(r#"href="/c/weavers@far.example""#));
    let remote = i.client().get("/c/weavers@far.example").await;
    assert_eq!(remote.status, StatusCode::OK);
    assert!(remote.body.contains("@weavers@far.example"));
    assert!(remote.body.contains("on another instance"));
    assert_eq!(titles(&remote.body), vec!["Remote loom post"]);

    // Mine: bob belongs to growers only. Visitors see the local feed at home.
    let mine = titles(&bob.get("/").await.body);
    assert_eq!(mine.len(), 20);
    assert!(!mine.contains(&"maker post".to_string()));
    let visitor = i.client().get("/").await;
    assert!(visitor.body.contains("Join this co-op"));
    assert_eq!(titles(&visitor.body)[0], "maker post");

    // Bad page links and sorts say so.
    let bad = bob.get("/local?after=garbage").await;
    assert_eq!(
        bad.status,
        StatusCode::BAD_REQUEST,
        "{}",
        shown_html(&bad.body)
    );
    assert_eq!(error_of(&bad), "That page link is not valid.");
    let bad = bob.get("/c/growers?sort=hot").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(
        error_of(&bad).contains("Unknown sort"),
        "{}",
        error_of(&bad)
    );
    let bad = bob.get("/?sort=new&after=t99999999999999999999_1").await;
    assert_eq!(error_of(&bad), "That page link is not valid.");
    let bad = bob.get("/all?after=t-250000000000000000_1").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(error_of(&bad), "That page link is not valid.");
    i.stop().await;
}

async fn bad_inputs_write_nothing(db: Db) {
    let i = TestInstance::start(db).await;
    let admin = account(&i, "ada", true).await;
    create_community(&admin, "growers", "open", "").await;
    let (_, post) = write_post(&admin, "growers", "Fine", "", "").await;
    let post = post.unwrap();
    let before = post_count(&i).await;
    let huge = "x".repeat(50_001);
    let cases: Vec<(&str, &str, &str, &str)> = vec![
        ("", "body", "", "Title: 1 to 200 characters."),
        ("   ", "body", "", "Title: 1 to 200 characters."),
        ("Huge", &huge, "", "Text: at most 50000 characters."),
        (
            "Link",
            "",
            "ftp://example.org/file",
            "Link must be an http(s) address.",
        ),
        ("Link", "", "not a link", "Link must be an http(s) address."),
        (
            "Link",
            "",
            "javascript:alert(1)",
            "Link must be an http(s) address.",
        ),
    ];
    for (title, body, link, expected) in cases {
        let (r, id) = write_post(&admin, "growers", title, body, link).await;
        assert!(id.is_none());
        assert_eq!(error_of(&r), expected);
    }
    let long_title = "t".repeat(201);
    let (r, _) = write_post(&admin, "growers", &long_title, "", "").await;
    assert_eq!(error_of(&r), "Title: 1 to 200 characters.");
    assert_eq!(post_count(&i).await, before);

    let (r, id) = comment(&admin, post, None, "   ").await;
    assert!(id.is_none());
    assert!(
        error_of(&r).contains("Comment: 1 to 20000"),
        "{}",
        error_of(&r)
    );
    let (r, id) = comment(&admin, post, Some(999_999), "orphan").await;
    assert!(id.is_none());
    assert_eq!(error_of(&r), "Not found.");
    let r = admin
        .submit_and_follow(
            &format!("/post/{post}"),
            "/_app/create_comment",
            &[("post_id", "abc"), ("body", "x")],
        )
        .await;
    assert!(error_of(&r).starts_with("Bad request"), "{}", error_of(&r));
    let comments = i
        .db(|c| {
            use commonhall::store::schema::comments;
            use diesel::prelude::*;
            comments::table.count().get_result::<i64>(c).unwrap()
        })
        .await;
    assert_eq!(comments, 0);

    // A forged form is refused.
    let r = admin
        .post_form(
            "/c/growers",
            "/_app/create_post",
            "forged",
            &[("key", "growers"), ("title", "Forged"), ("body", "")],
        )
        .await;
    let shown = admin.get(r.location.as_deref().unwrap_or("/")).await;
    assert!(error_of(&shown).contains("expired or came from another site"));
    assert_eq!(post_count(&i).await, before);
    i.stop().await;
}

async fn unknown_things_are_not_found(db: Db) {
    let i = TestInstance::start(db).await;
    let b = account(&i, "ada", true).await;
    for path in [
        "/c/nowhere",
        "/c/nowhere@far.example",
        "/c/nowhere/members",
        "/c/nowhere/settings",
        "/c/nowhere/applications",
        "/post/424242",
        "/post/abc",
        "/post/424242/edit",
    ] {
        let r = b.get(path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert!(r.body.contains("Not found"), "{path}");
    }
    // Forms posted about nothing come back with an error, and change nothing.
    let r = b
        .submit(
            "/communities",
            "/_app/join_community",
            &[("key", "nowhere")],
        )
        .await;
    assert_eq!(url_error(&r), r#""NotFound""#);
    let r = b
        .submit_and_follow("/post/424242", "/_app/delete_post", &[("id", "424242")])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let anon = i.client();
    assert_eq!(anon.get("/c/nowhere").await.status, StatusCode::NOT_FOUND);
    // NUL cannot be stored (PostgreSQL refuses it): it names nothing, and is refused in forms.
    assert_eq!(
        anon.get("/c/now%00here").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(anon.get("/u/a%00b").await.status, StatusCode::NOT_FOUND);
    create_community(&b, "growers", "open", "").await;
    let (r, id) = write_post(&b, "growers", "a\u{0}b", "", "").await;
    assert!(id.is_none());
    assert_eq!(error_of(&r), "Text may not contain NUL characters.");
    i.stop().await;
}

on_both_backends!(
    admin_creates_communities_members_cannot,
    members_join_post_and_markdown_is_safe,
    comments_nest_and_votes_count,
    authors_edit_and_delete_moderators_remove,
    approval_applications_and_leaving,
    follow_and_unfollow,
    feeds_sort_and_paginate,
    bad_inputs_write_nothing,
    unknown_things_are_not_found,
);

//! Federation in the web UI with JavaScript off, across real instances on
//! loopback: finding a community on another instance, following, joining,
//! posting and leaving it; the admin's federation page (block, unblock,
//! allowlist-only) — on SQLite and PostgreSQL.

use commonhall::store::{self, instance_settings};
use commonhall_tests::federation_ui::{
    community, delivery_settled, error_of, find, instance_row, known_communities,
    network_and_a_dead_host, post, shows, signed_in, user,
};
use commonhall_tests::network::{eventually, Network};
use commonhall_tests::page::Reply;
use commonhall_tests::{on_both_backends, Db, TestInstance};
use reqwest::StatusCode;

async fn find_follow_join_post_and_leave_across_instances(db: Db) {
    let (net, dead) = network_and_a_dead_host(2, db).await;
    let (a, b) = (&net.instances[0], &net.instances[1]);
    let bella = user(b, "bella", true).await;
    community(b, bella, "music", "approval").await;
    user(a, "ann", false).await;
    let ann = signed_in(a, "ann").await;
    let bella_ui = signed_in(b, "bella").await;

    // Visitors are asked to sign in before searching.
    let visitor = a.client().get("/network").await;
    assert!(visitor.body.contains("Sign in to find communities"));
    let r = visitor_find(a, &format!("music@{}", b.host())).await;
    assert!(r.location.is_none() || !r.location.as_deref().unwrap_or("").starts_with("/c/"));
    assert_eq!(known_communities(a).await, 0);

    // Bad input says why and learns nothing.
    for (query, says) in [
        (format!("nobody@{}", b.host()), "No community by that name"),
        (format!("music@{dead}"), "could not be reached"),
        ("just words".to_string(), "name@host"),
        (format!("bella@{}", b.host()), "not a community"),
    ] {
        let r = ann
            .submit_and_follow("/network", "/_app/find_community", &[("query", &query)])
            .await;
        assert!(error_of(&r).contains(says), "{query}: {:?}", error_of(&r));
        assert_eq!(r.status, StatusCode::OK, "{query}");
    }
    assert_eq!(known_communities(a).await, 0);

    // The handle finds it; its page offers following and applying to join.
    let key = format!("music@{}", b.host());
    let r = find(&ann, &key).await;
    let page = format!("/c/{key}");
    assert_eq!(r.location.as_deref(), Some(page.as_str()), "{r:?}");
    let shown = ann.get(&page).await.body;
    assert!(shown.contains("The music co-op") && shown.contains("on another instance"));
    assert!(shown.contains(">Follow</button>") && shown.contains(">Apply to join</button>"));
    assert!(shown.contains(r#"<option value="supporter">"#));
    // Its address finds the same community.
    let url = format!("http://{}/c/music", b.host());
    assert_eq!(
        find(&ann, &url).await.location.as_deref(),
        Some(page.as_str())
    );

    // Follow, then apply as a worker: one identity, a member elsewhere.
    let r = ann
        .submit_and_follow(&page, "/_app/follow_community", &[("key", &key)])
        .await;
    assert!(r.body.contains("Unfollow"), "{}", error_of(&r));
    shows(&ann, &page, "You follow this community.").await;
    let r = ann
        .submit_and_follow(
            &page,
            "/_app/join_community",
            &[
                ("key", &key),
                ("class", "worker"),
                ("application", "I play bass"),
            ],
        )
        .await;
    assert!(
        r.body
            .contains("Your application (as worker) is waiting for a moderator."),
        "{}",
        error_of(&r)
    );

    // B's owner approves in B's applications queue; A shows the membership.
    shows(&bella_ui, "/c/music/applications", "I play bass").await;
    let membership = b
        .db(|c| {
            use commonhall::store::schema::memberships;
            use diesel::prelude::*;
            memberships::table
                .filter(memberships::status.eq("pending"))
                .select(memberships::id)
                .first::<i64>(c)
                .expect("pending application")
        })
        .await
        .to_string();
    let r = bella_ui
        .submit(
            "/c/music/applications",
            "/_app/decide_membership",
            &[("membership_id", &membership), ("decision", "approve")],
        )
        .await;
    assert_eq!(r.location.as_deref(), Some("/c/music/applications"));
    shows(&ann, &page, "You are a member, as worker.").await;

    // B's posts show on A's page of the community; Ann posts there from A.
    post(b, bella, "music", "Rehearsal moved").await;
    shows(&ann, &page, "Rehearsal moved").await;
    let r = ann
        .submit(
            &page,
            "/_app/create_post",
            &[
                ("key", &key),
                ("title", "Bass for sale"),
                ("body", "Four strings."),
                ("link", ""),
            ],
        )
        .await;
    assert!(
        r.location
            .as_deref()
            .is_some_and(|l| l.starts_with("/post/")),
        "{r:?}"
    );
    shows(&bella_ui, "/c/music", "Bass for sale").await;

    // Leaving and unfollowing.
    let r = ann
        .submit_and_follow(&page, "/_app/leave_community", &[("key", &key)])
        .await;
    assert!(
        r.body.contains("You left this community."),
        "{}",
        error_of(&r)
    );
    let r = ann
        .submit_and_follow(&page, "/_app/unfollow_community", &[("key", &key)])
        .await;
    assert!(r.body.contains(">Follow</button>"), "{}", error_of(&r));
    let ann_url = a.state.instance.person_id("ann");
    eventually(30, "B sees Ann leave", || async {
        let ann_url = ann_url.clone();
        let status = b
            .db(move |c| {
                let person = store::actors::by_ap_id(c, &ann_url).ok().flatten()?;
                let (music, _) = store::communities::local_by_name(c, "music")
                    .ok()
                    .flatten()?;
                store::memberships::find(c, music.id, person.id)
                    .ok()
                    .flatten()
            })
            .await;
        status.filter(|m| m.status == "left").map(|_| ())
    })
    .await;
    net.stop().await;
}

/// The search form posted by someone not signed in.
async fn visitor_find(i: &TestInstance, query: &str) -> Reply {
    i.client()
        .submit("/network", "/_app/find_community", &[("query", query)])
        .await
}

async fn admin_blocks_unblocks_and_runs_allowlist_only(db: Db) {
    let net = Network::start(2, db).await;
    let (a, b) = (&net.instances[0], &net.instances[1]);
    let bella = user(b, "bella", true).await;
    community(b, bella, "music", "open").await;
    user(a, "rosa", true).await;
    user(a, "ann", false).await;
    let rosa = signed_in(a, "rosa").await;
    let ann = signed_in(a, "ann").await;
    let key = format!("music@{}", b.host());
    let page = format!("/c/{key}");
    assert_eq!(
        find(&ann, &key).await.location.as_deref(),
        Some(page.as_str())
    );
    ann.submit(&page, "/_app/follow_community", &[("key", &key)])
        .await;
    shows(&ann, &page, "You follow this community.").await;
    post(b, bella, "music", "Before the block").await;
    shows(&ann, &page, "Before the block").await;

    // Only admins see and use the page; nothing changes for anyone else.
    assert_eq!(
        a.client().get("/admin/federation").await.status,
        StatusCode::UNAUTHORIZED
    );
    let denied = ann.get("/admin/federation").await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    let r = ann
        .submit_and_follow(
            "/admin/federation",
            "/_app/manage_instance",
            &[("host", b.host()), ("action", "block")],
        )
        .await;
    assert!(error_of(&r).contains("not allowed"), "{:?}", error_of(&r));
    let r = ann
        .submit_and_follow(
            "/admin/federation",
            "/_app/set_allowlist_only",
            &[("enabled", "true")],
        )
        .await;
    assert!(error_of(&r).contains("not allowed"), "{:?}", error_of(&r));
    assert_eq!(instance_row(a, b.host()).await.expect("row").policy, "none");
    assert!(!a.state.allowlist_only());

    // The admin sees B: no policy, healthy, in contact.
    let admin_page = rosa.get("/admin/federation").await.body;
    let row = format!(
        r#"data-host="{}" data-policy="none" data-delivery="healthy""#,
        b.host()
    );
    assert!(admin_page.contains(&row), "{admin_page}");
    assert!(admin_page.contains(r#"data-allowlist-only="false""#));
    let r = rosa
        .submit_and_follow(
            "/admin/federation",
            "/_app/manage_instance",
            &[("host", "not a host/"), ("action", "block")],
        )
        .await;
    assert!(error_of(&r).contains("host name"), "{:?}", error_of(&r));
    let r = rosa
        .submit_and_follow(
            "/admin/federation",
            "/_app/manage_instance",
            &[("host", a.host()), ("action", "block")],
        )
        .await;
    assert!(error_of(&r).contains("this instance"), "{:?}", error_of(&r));

    // Block: nothing passes, and searching there is refused.
    let r = rosa
        .submit(
            "/admin/federation",
            "/_app/manage_instance",
            &[("host", b.host()), ("action", "block")],
        )
        .await;
    assert_eq!(r.location.as_deref(), Some("/admin/federation?saved=1"));
    let shown = rosa.get("/admin/federation?saved=1").await.body;
    assert!(shown.contains(&format!(r#"data-host="{}" data-policy="block""#, b.host())));
    assert!(shown.contains(">Unblock</button>"));
    post(b, bella, "music", "During the block").await;
    delivery_settled(b, a).await;
    let r = find(&ann, &key).await;
    assert!(r.location.as_deref() != Some(page.as_str()));
    let r = ann
        .submit_and_follow("/network", "/_app/find_community", &[("query", &key)])
        .await;
    assert!(
        error_of(&r).contains("does not federate"),
        "{:?}",
        error_of(&r)
    );
    assert!(!ann.get(&page).await.body.contains("During the block"));
    // Joining a community there is refused with the reason, and nothing is stored.
    let r = ann
        .submit_and_follow(
            &page,
            "/_app/join_community",
            &[("key", &key), ("class", "worker")],
        )
        .await;
    assert!(
        error_of(&r).contains("does not federate"),
        "{:?}",
        error_of(&r)
    );
    let memberships = a
        .db(|c| {
            use commonhall::store::schema::memberships;
            use diesel::prelude::*;
            memberships::table
                .count()
                .get_result::<i64>(c)
                .expect("count")
        })
        .await;
    assert_eq!(memberships, 0);

    // Unblock: posts flow again.
    rosa.submit(
        "/admin/federation",
        "/_app/manage_instance",
        &[("host", b.host()), ("action", "clear")],
    )
    .await;
    assert_eq!(instance_row(a, b.host()).await.expect("row").policy, "none");
    post(b, bella, "music", "After the block").await;
    shows(&ann, &page, "After the block").await;

    // Allowlist-only, stored and applied at once: B is not on the list.
    let r = rosa
        .submit(
            "/admin/federation",
            "/_app/set_allowlist_only",
            &[("enabled", "true")],
        )
        .await;
    assert_eq!(r.location.as_deref(), Some("/admin/federation?saved=1"));
    assert!(a.state.allowlist_only());
    let stored = a
        .db(|c| instance_settings::allowlist_only_or_init(c, false).expect("setting"))
        .await;
    assert!(stored, "the switch is stored");
    assert!(rosa
        .get("/admin/federation")
        .await
        .body
        .contains(r#"data-allowlist-only="true""#));
    post(b, bella, "music", "Not on the list").await;
    delivery_settled(b, a).await;
    let r = ann
        .submit_and_follow("/network", "/_app/find_community", &[("query", &key)])
        .await;
    assert!(
        error_of(&r).contains("does not federate"),
        "{:?}",
        error_of(&r)
    );
    assert!(!ann.get(&page).await.body.contains("Not on the list"));

    // Allowing B lets it through again.
    rosa.submit(
        "/admin/federation",
        "/_app/manage_instance",
        &[("host", b.host()), ("action", "allow")],
    )
    .await;
    assert_eq!(
        find(&ann, &key).await.location.as_deref(),
        Some(page.as_str())
    );
    post(b, bella, "music", "On the list").await;
    shows(&ann, &page, "On the list").await;
    net.stop().await;
}

on_both_backends!(
    find_follow_join_post_and_leave_across_instances,
    admin_blocks_unblocks_and_runs_allowlist_only,
);

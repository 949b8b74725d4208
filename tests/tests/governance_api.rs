//! Governance through the JSON API, on SQLite and PostgreSQL: rules and history, proposals,
//! votes with their refusals (which change nothing), ballots, results, receipts, settings, and
//! every endpoint in the OpenAPI document.

use commonhall_tests::governance::{
    api, ballot_count, close_now, coop, proposal_count, token, user,
};
use commonhall_tests::{on_both_backends, Db, TestInstance};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

fn in_an_hour() -> String {
    (commonhall::store::now() + chrono::Duration::hours(1))
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

async fn get(i: &TestInstance, path: &str, t: Option<&str>) -> (StatusCode, Value) {
    api(i, Method::GET, path, t, None).await
}

async fn post(i: &TestInstance, path: &str, t: Option<&str>, body: Value) -> (StatusCode, Value) {
    api(i, Method::POST, path, t, Some(body)).await
}

async fn proposals_votes_and_results(db: Db) {
    let i = TestInstance::start(db).await;
    coop(&i, "garden", "olga", &[("bob", "worker"), ("cy", "user")]).await;
    user(&i, "dan", false).await;
    let (olga, bob, dan) = (
        token(&i, "olga").await,
        token(&i, "bob").await,
        token(&i, "dan").await,
    );

    let (s, rules) = get(&i, "/communities/garden/rules", None).await;
    assert_eq!(s, StatusCode::OK, "{rules}");
    assert_eq!(rules["version"], 1);
    assert_eq!(rules["rules"][1]["title"], "Share tools");
    let shed = rules["rules"][1]["id"].as_i64().unwrap();

    // Bad input is refused with a clear message and writes nothing.
    let base = json!({"kind": "rule_change", "title": "Shed hours", "method": "consent",
        "closes_at": in_an_hour(), "ballot": "roll_call"});
    let with = |extra: Value| {
        let mut b = base.clone();
        for (k, v) in extra.as_object().unwrap() {
            b[k] = v.clone();
        }
        b
    };
    let (s, e) = post(
        &i,
        "/communities/garden/proposals",
        Some(&bob),
        with(json!({"changes": []})),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("at least one operation"),
        "{e}"
    );
    let (s, e) = post(
        &i,
        "/communities/garden/proposals",
        Some(&bob),
        with(json!({
        "changes": [{"op": "repeal", "rule": shed}],
        "class_policy": "weighted_classes", "weights": {"worker": "0.5", "user": "0.4"}})),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(e["message"].as_str().unwrap().contains("add up to"), "{e}");
    let (s, e) = post(
        &i,
        "/communities/garden/proposals",
        Some(&dan),
        with(json!({
        "changes": [{"op": "repeal", "rule": shed}]})),
    )
    .await;
    assert_eq!(
        (s, e["error"].as_str()),
        (StatusCode::FORBIDDEN, Some("not_member")),
        "{e}"
    );
    let (s, _) = post(&i, "/communities/garden/proposals", None, with(json!({}))).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_eq!(proposal_count(&i).await, 0);

    // A rule change: amend the shed rule.
    let (s, p) = post(
        &i,
        "/communities/garden/proposals",
        Some(&bob),
        with(json!({
        "changes": [{"op": "amend", "rule": shed, "title": "Share tools",
                     "text": "Tools go back to the shed by nine."}]})),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    let id = p["id"].as_i64().unwrap();
    assert_eq!(p["status"], "open");
    assert_eq!(
        p["options"],
        json!(["agree", "abstain", "disagree", "block"])
    );
    assert!(
        p["diff"]["unified"]
            .as_str()
            .unwrap()
            .contains("+Tools go back to the shed by nine."),
        "{p}"
    );
    let (_, list) = get(&i, "/communities/garden/proposals?status=open", None).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    let (s, _) = get(&i, "/communities/garden/proposals?status=sometime", None).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);

    // Votes: refusals change nothing.
    let vote = |t: String, body: Value| {
        let i = &i;
        async move {
            post(
                i,
                &format!("/communities/garden/proposals/{id}/vote"),
                Some(&t),
                body,
            )
            .await
        }
    };
    let (s, e) = vote(bob.clone(), json!({"choice": "block"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("A Block must give a reason"),
        "{e}"
    );
    let (s, e) = vote(dan.clone(), json!({"choice": "agree"})).await;
    assert_eq!(
        (s, e["error"].as_str()),
        (StatusCode::FORBIDDEN, Some("not_member")),
        "{e}"
    );
    let (s, e) = vote(bob.clone(), json!({"choice": "maybe"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(ballot_count(&i).await, 0);

    // A vote, the same again (nothing changes), and a changed one (replaces it).
    let (s, v) = vote(
        bob.clone(),
        json!({"choice": "block", "reason": "Nine is too late."}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let first = v["receipt"].as_str().unwrap().to_string();
    let (_, r) = get(
        &i,
        &format!("/communities/garden/proposals/{id}/results"),
        None,
    )
    .await;
    assert_eq!(r["block_reasons"], json!(["Nine is too late."]), "{r}");
    let (_, v) = vote(
        bob.clone(),
        json!({"choice": "block", "reason": "Nine is too late."}),
    )
    .await;
    assert_eq!(v["recorded"], false, "{v}");
    let (_, v) = vote(bob.clone(), json!({"choice": "agree"})).await;
    assert_eq!(
        (v["recorded"].clone(), v["changed"].clone()),
        (json!(true), json!(true)),
        "{v}"
    );
    let second = v["receipt"].as_str().unwrap().to_string();
    assert_eq!(ballot_count(&i).await, 1);
    let (_, mine) = get(
        &i,
        &format!("/communities/garden/proposals/{id}/ballot"),
        Some(&bob),
    )
    .await;
    assert_eq!(mine["chosen"], json!(["agree"]));
    let (_, v) = vote(olga.clone(), json!({"choice": "agree"})).await;
    assert!(v["receipt"].is_string());

    // Roll call: live results and who voted what.
    let (_, r) = get(
        &i,
        &format!("/communities/garden/proposals/{id}/results"),
        None,
    )
    .await;
    assert_eq!(r["ballots"], 2, "{r}");
    assert_eq!(r["result"]["final"], false);
    assert_eq!(
        r["result"]["outcome"]["options"][0]["total"]["exact"], "2",
        "{r}"
    );
    assert_eq!(r["roll_call"].as_array().unwrap().len(), 2);
    assert_eq!(
        r["block_reasons"],
        json!([]),
        "a replaced ballot's reason is gone"
    );

    // After close: the rule changed, votes are refused, receipts check.
    close_now(&i, id).await;
    let (s, e) = vote(bob.clone(), json!({"choice": "disagree"})).await;
    assert_eq!(
        (s, e["error"].as_str()),
        (StatusCode::CONFLICT, Some("closed")),
        "{e}"
    );
    let (_, rules) = get(&i, "/communities/garden/rules", None).await;
    assert_eq!(rules["version"], 2);
    assert_eq!(
        rules["rules"][1]["text_markdown"],
        "Tools go back to the shed by nine."
    );
    let (_, h) = get(&i, "/communities/garden/rules/history", None).await;
    assert_eq!(h[0]["proposal_id"], id, "{h}");
    assert_eq!(h[0]["outcome"]["passed"], true, "{h}");
    assert!(h[1]["proposal_id"].is_null());
    let check = |receipt: String| {
        let i = &i;
        async move {
            post(
                i,
                &format!("/communities/garden/proposals/{id}/receipt"),
                None,
                json!({"receipt": receipt}),
            )
            .await
        }
    };
    let (_, c) = check(second).await;
    assert_eq!(
        (c["counted"].clone(), c["final"].clone()),
        (json!(true), json!(true)),
        "{c}"
    );
    let (_, c) = check(first).await;
    assert_eq!(c["counted"], false);
    let (s, _) = get(&i, "/communities/garden/proposals/999/results", None).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    i.stop().await;
}

async fn poll_methods_and_settings(db: Db) {
    let i = TestInstance::start(db).await;
    coop(&i, "garden", "olga", &[("bob", "worker"), ("cy", "user")]).await;
    let (olga, bob) = (token(&i, "olga").await, token(&i, "bob").await);
    let (s, p) = post(
        &i,
        "/communities/garden/proposals",
        Some(&olga),
        json!({
        "kind": "poll", "title": "Best crop", "method": "ranked", "closes_at": in_an_hour(),
        "options": ["Beans", "Kale", "Leeks"]}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    let id = p["id"].as_i64().unwrap();
    let path = format!("/communities/garden/proposals/{id}/vote");
    let (s, e) = post(&i, &path, Some(&bob), json!({"ranking": ["Kale", "Kale"]})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let (s, e) = post(&i, &path, Some(&bob), json!({"ranking": ["Turnips"]})).await;
    assert!(
        e["message"].as_str().unwrap().contains("no option"),
        "{s} {e}"
    );
    let (s, v) = post(&i, &path, Some(&bob), json!({"ranking": ["Kale", "Beans"]})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    // Secret: no count while open, and no receipt check yet.
    let (_, r) = get(
        &i,
        &format!("/communities/garden/proposals/{id}/results"),
        None,
    )
    .await;
    assert!(r["result"].is_null() && r["roll_call"].is_null(), "{r}");
    let (s, _) = post(
        &i,
        &format!("/communities/garden/proposals/{id}/receipt"),
        None,
        json!({"receipt": v["receipt"]}),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT);
    close_now(&i, id).await;
    let (_, r) = get(
        &i,
        &format!("/communities/garden/proposals/{id}/results"),
        None,
    )
    .await;
    assert_eq!(r["result"]["outcome"]["winners"], json!(["Kale"]), "{r}");

    // Settings: moderators only; then only moderators may propose.
    let only_mods = json!({"proposers": "only", "roles": ["moderator"]});
    let (s, e) = api(
        &i,
        Method::PUT,
        "/communities/garden/governance",
        Some(&bob),
        Some(only_mods.clone()),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{e}");
    let (s, e) = api(
        &i,
        Method::PUT,
        "/communities/garden/governance",
        Some(&olga),
        Some(json!({"proposers": "only", "classes": ["gardeners"]})),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let (s, saved) = api(
        &i,
        Method::PUT,
        "/communities/garden/governance",
        Some(&olga),
        Some(only_mods),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{saved}");
    let (_, got) = get(&i, "/communities/garden/governance", None).await;
    assert_eq!(got["roles"], json!(["moderator"]));
    let (s, e) = post(
        &i,
        "/communities/garden/proposals",
        Some(&bob),
        json!({
        "kind": "decision", "title": "Paint", "method": "consent", "closes_at": in_an_hour()}),
    )
    .await;
    assert_eq!(
        (s, e["error"].as_str()),
        (StatusCode::FORBIDDEN, Some("may_not_propose")),
        "{e}"
    );

    // Every governance endpoint is in the OpenAPI document.
    let (_, doc) = get(&i, "/openapi.json", None).await;
    for p in [
        "/rules",
        "/rules/history",
        "/governance",
        "/proposals",
        "/proposals/{id}",
        "/proposals/{id}/vote",
        "/proposals/{id}/ballot",
        "/proposals/{id}/results",
        "/proposals/{id}/receipt",
    ] {
        let full = format!("/api/v1/communities/{{name}}{p}");
        assert!(doc["paths"][&full].is_object(), "{full} is documented");
    }
    i.stop().await;
}

/// A moderator extends an open vote through the API, only as far as the settings allowed when
/// the proposal was made; everyone else, and every other request, is refused and changes nothing.
async fn extending_a_vote(db: Db) {
    let i = TestInstance::start(db).await;
    coop(&i, "garden", "olga", &[("bob", "worker")]).await;
    let (olga, bob) = (token(&i, "olga").await, token(&i, "bob").await);
    let decision = |title: &str| json!({"kind": "decision", "title": title, "method": "consent", "closes_at": in_an_hour()});
    let (s, before) = post(
        &i,
        "/communities/garden/proposals",
        Some(&olga),
        decision("Paint"),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{before}");
    let (s, saved) = api(
        &i,
        Method::PUT,
        "/communities/garden/governance",
        Some(&olga),
        Some(json!({"proposers": "any", "allow_extension": true, "max_extension_seconds": 7200})),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{saved}");
    let (_, after) = post(
        &i,
        "/communities/garden/proposals",
        Some(&olga),
        decision("Fence"),
    )
    .await;
    let close = |p: &Value| {
        chrono::NaiveDateTime::parse_from_str(
            p["closes_at"].as_str().unwrap(),
            "%Y-%m-%dT%H:%M:%S%.f",
        )
        .unwrap()
    };
    let original = close(&after);
    let at = |hours: f64| {
        (original + chrono::Duration::seconds((hours * 3600.0) as i64))
            .format("%Y-%m-%d %H:%M:%S")
            .to_string()
    };
    let extend = |p: &Value| format!("/communities/garden/proposals/{}/extend", p["id"]);

    // Made before extensions were allowed (it keeps its close); not a moderator; not signed in;
    // too far; not later; unreadable; a wrong field; an unknown proposal.
    let unknown = "/communities/garden/proposals/999/extend".to_string();
    let refusals = [
        (
            extend(&before),
            Some(&olga),
            json!({"closes_at": at(1.0)}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "did not allow",
        ),
        (
            extend(&after),
            Some(&bob),
            json!({"closes_at": at(1.0)}),
            StatusCode::FORBIDDEN,
            "",
        ),
        (
            extend(&after),
            None,
            json!({"closes_at": at(1.0)}),
            StatusCode::UNAUTHORIZED,
            "",
        ),
        (
            extend(&after),
            Some(&olga),
            json!({"closes_at": at(3.0)}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "at most until",
        ),
        (
            extend(&after),
            Some(&olga),
            json!({"closes_at": at(-0.5)}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "",
        ),
        (
            extend(&after),
            Some(&olga),
            json!({"closes_at": "soon"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "",
        ),
        (
            extend(&after),
            Some(&olga),
            json!({"until": at(1.0)}),
            StatusCode::BAD_REQUEST,
            "",
        ),
        (
            unknown,
            Some(&olga),
            json!({"closes_at": at(1.0)}),
            StatusCode::NOT_FOUND,
            "",
        ),
    ];
    for (path, who, body, status, says) in refusals {
        let (s, e) = post(&i, &path, who.map(String::as_str), body.clone()).await;
        assert_eq!(s, status, "{path} {body}: {e}");
        let message = e["message"].as_str().unwrap_or_default();
        assert!(message.contains(says), "{path} {body}: {e}");
    }
    let (_, unchanged) = get(
        &i,
        &format!("/communities/garden/proposals/{}", after["id"]),
        None,
    )
    .await;
    assert_eq!(close(&unchanged), original, "refusals changed nothing");

    // Within the limit: the new close holds and is what the proposal shows.
    let (s, moved) = post(
        &i,
        &extend(&after),
        Some(&olga),
        json!({"closes_at": at(1.5)}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{moved}");
    assert_eq!(close(&moved), original + chrono::Duration::minutes(90));
    let (_, shown) = get(
        &i,
        &format!("/communities/garden/proposals/{}", after["id"]),
        None,
    )
    .await;
    assert_eq!(close(&shown), close(&moved));
    let (_, doc) = get(&i, "/openapi.json", None).await;
    assert!(doc["paths"]["/api/v1/communities/{name}/proposals/{id}/extend"].is_object());
    i.stop().await;
}

on_both_backends!(
    proposals_votes_and_results,
    poll_methods_and_settings,
    extending_a_vote
);

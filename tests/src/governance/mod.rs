//! Setting the scene for governance tests: a co-op community with members and founding rules,
//! signed-in browsers, and moving a proposal's close to now so the close job runs at once.

use commonhall::domain::communities::membership::{self, JoinRequest};
use commonhall::domain::communities::{self, CommunityForm};
use commonhall::domain::governance::{proposals, rules, Proposal, ProposalResult, Status};
use commonhall::store;
use diesel::prelude::*;

pub mod crowd;
pub mod form;

use crate::network::eventually;
use crate::TestInstance;

pub use crate::setup::{signed_in, PW};

/// A local account; returns its person actor id.
pub async fn user(i: &TestInstance, name: &str, admin: bool) -> i64 {
    i.user(name, admin).await.1
}

/// The scene: community `name` (classes worker and user) owned by `owner`, with `members`
/// joined as (name, class), and founding rules "Be kind" and "Share tools". Returns the
/// community id and the actor ids of the owner and members, in order.
pub async fn coop(
    i: &TestInstance,
    name: &str,
    owner: &str,
    members: &[(&str, &str)],
) -> (i64, Vec<i64>) {
    let owner_id = user(i, owner, true).await;
    let mut ids = vec![owner_id];
    for (m, _) in members {
        ids.push(user(i, m, false).await);
    }
    let (inst, publisher) = (i.state.instance.clone(), i.state.publisher.clone());
    let name = name.to_string();
    let owner_name = owner.to_string();
    let classes: Vec<String> = members.iter().map(|(_, c)| c.to_string()).collect();
    let people = ids.clone();
    let co = i
        .db(move |c| {
            let (u, _) = store::users::by_username(c, &owner_name)
                .expect("query")
                .expect("owner account");
            let form = CommunityForm {
                name,
                title: "Garden co-op".into(),
                description: "We grow food together.".into(),
                join_policy: "open".into(),
                classes: "worker, user".into(),
            };
            let co = communities::create(c, &inst, u.id, people[0], &form).expect("community");
            for (person, class) in people[1..].iter().zip(&classes) {
                let req = JoinRequest {
                    class: Some(class.clone()),
                    ..JoinRequest::default()
                };
                membership::request_join(c, &*publisher, co.id, *person, &req).expect("join");
            }
            rules::found(
                c,
                &*publisher,
                co.id,
                people[0],
                &[
                    ("Be kind".into(), "Treat every member with respect.".into()),
                    (
                        "Share tools".into(),
                        "Tools go back to the shed by dusk.".into(),
                    ),
                ],
            )
            .expect("founding rules");
            co.id
        })
        .await;
    (co, ids)
}

/// The newest proposal's id.
pub async fn last_proposal(i: &TestInstance) -> Option<i64> {
    i.db(|c| {
        use store::schema::proposals::dsl::*;
        proposals
            .select(id)
            .order(id.desc())
            .first::<i64>(c)
            .optional()
            .expect("query")
    })
    .await
}

pub async fn proposal_count(i: &TestInstance) -> i64 {
    i.db(|c| {
        store::schema::proposals::table
            .count()
            .get_result::<i64>(c)
            .expect("count")
    })
    .await
}

pub async fn ballot_count(i: &TestInstance) -> i64 {
    i.db(|c| {
        store::schema::ballots::table
            .count()
            .get_result::<i64>(c)
            .expect("count")
    })
    .await
}

/// Moves the close time to now (as if the window had run out) and waits for the close job.
pub async fn close_now(i: &TestInstance, proposal: i64) -> Proposal {
    i.db(move |c| {
        use store::schema::proposals::dsl::*;
        diesel::update(proposals.filter(id.eq(proposal)))
            .set(closes_at.eq(store::now()))
            .execute(c)
            .expect("move the close")
    })
    .await;
    wait_closed(i, proposal).await
}

/// The count our copy of remote proposal `ap_id` holds, as its community recorded it: the copy
/// names where the community lists the counted receipts (checked here), the original does not.
pub fn as_recorded(copy: ProposalResult, ap_id: &str) -> ProposalResult {
    assert_eq!(
        copy.receipts.as_deref(),
        Some(format!("{ap_id}/receipts").as_str()),
        "the copy names the community's list of counted receipts"
    );
    ProposalResult {
        receipts: None,
        ..copy
    }
}

/// Waits until the close job has closed the proposal.
pub async fn wait_closed(i: &TestInstance, proposal: i64) -> Proposal {
    eventually(60, "the close job closes the proposal", || async move {
        let p = i
            .db(move |c| proposals::get(c, proposal).expect("proposal"))
            .await;
        (p.status == Status::Closed).then_some(p)
    })
    .await
}

/// A bearer token for an existing account.
pub async fn token(i: &TestInstance, name: &str) -> String {
    let (status, body) = api(
        i,
        reqwest::Method::POST,
        "/auth/token",
        None,
        Some(serde_json::json!({"username": name, "password": PW})),
    )
    .await;
    assert_eq!(status, reqwest::StatusCode::OK, "{body}");
    body["token"].as_str().expect("token").to_string()
}

/// One JSON API call under `/api/v1`: status and body (`null` when not JSON).
pub async fn api(
    i: &TestInstance,
    method: reqwest::Method,
    path: &str,
    token: Option<&str>,
    body: Option<serde_json::Value>,
) -> (reqwest::StatusCode, serde_json::Value) {
    let mut req = reqwest::Client::new().request(method, i.url(&format!("/api/v1{path}")));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.expect("request");
    let status = res.status();
    let text = res.text().await.unwrap_or_default();
    (
        status,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
    )
}

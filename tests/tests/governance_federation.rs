//! Governance across instances (on SQLite and PostgreSQL): a community on B opens a rule change;
//! members on A (from A, and in the exact shape a Mastodon server sends) and on B vote; refused
//! votes change nothing (non-member, joined after it opened, unknown option, signed by someone
//! else, after the close); a changed vote replaces the earlier one and a re-delivery changes
//! nothing; an extension, the close (with a Page for Lemmy) and the new rules reach A. Raw
//! votes are queued on A and delivered, signed, by A's real delivery queue. `restart`: kill -9
//! of the community's instance before the close. `receipts`: a remote voter checks their
//! receipt at home against the published count. `remote_views`: open proposal counts of a
//! remote community, and the announced `Page` served at its id.

use std::time::Duration;

use chrono::NaiveDateTime;
use commonhall::domain::accounts::{self, CreatedBy, Registration};
use commonhall::domain::communities::membership::{self, JoinRequest};
use commonhall::domain::communities::{self, CommunityForm};
use commonhall::domain::governance::ballots::{self, Cast};
use commonhall::domain::governance::proposals::{self, BallotKind, ProposalContent, ProposalForm};
use commonhall::domain::governance::rules::{self, RuleOp};
use commonhall::domain::governance::settings::{self, GovernanceSettings};
use commonhall::domain::governance::tally::{
    BallotChoice, ClassPolicy, ConsentChoice, Method, Quorum,
};
use commonhall::domain::governance::{GovernanceError, Proposal, Status};
use commonhall::federation::outgoing::targets;
use commonhall::store::{self, actors, memberships};
use commonhall_tests::governance::as_recorded;
use commonhall_tests::network::{eventually, Network};
use commonhall_tests::{on_both_backends, Db, TestInstance};
use serde_json::{json, Value};

#[path = "governance_federation/receipt_pages.rs"]
mod receipt_pages;
#[path = "governance_federation/receipts.rs"]
mod receipts;
#[path = "governance_federation/remote_views.rs"]
mod remote_views;
#[path = "governance_federation/restart.rs"]
mod restart;

async fn user(i: &TestInstance, name: &str) -> i64 {
    i.user(name, true).await.1
}

/// An open community on `i` with founding rules (version 1); returns (community, owner).
async fn community(i: &TestInstance, name: &str) -> (i64, i64) {
    let inst = i.state.instance.clone();
    let publisher = i.state.publisher.clone();
    let name = name.to_string();
    i.db(move |c| {
        let reg = Registration {
            username: format!("{name}_owner"),
            password: "tomato soup at noon".into(),
            display_name: None,
            application: None,
        };
        let u = accounts::register(c, &inst, &reg, CreatedBy::Admin { make_admin: true })
            .expect("owner");
        let form = CommunityForm {
            name,
            title: "Our co-op".into(),
            description: String::new(),
            join_policy: "open".into(),
            classes: "worker, user".into(),
        };
        let co = communities::create(c, &inst, u.id, u.actor_id, &form).expect("community");
        rules::found(
            c,
            &*publisher,
            co.id,
            u.actor_id,
            &[("Be kind".into(), "No harassment.".into())],
        )
        .expect("founding rules");
        let allow = GovernanceSettings {
            allow_extension: true,
            max_extension_seconds: 3600,
            ..GovernanceSettings::default()
        };
        settings::update(c, co.id, u.actor_id, &allow).expect("settings");
        (co.id, u.actor_id)
    })
    .await
}

async fn join(i: &TestInstance, community: i64, person: i64) {
    let publisher = i.state.publisher.clone();
    i.db(move |c| {
        let req = JoinRequest {
            class: Some("worker".into()),
            ..JoinRequest::default()
        };
        membership::request_join(c, &*publisher, community, person, &req).expect("join")
    })
    .await;
}

/// Community `name` of `b` as `a` knows it, with `people` of `a` its active members; returns
/// its handle (`name@b`) and its id on `a`.
async fn members_from(
    a: &TestInstance,
    b: &TestInstance,
    name: &str,
    people: &[i64],
) -> (String, i64) {
    let key = format!("{name}@{}", b.host());
    let on_a = commonhall::federation::resolve::community(&key, &a.fed())
        .await
        .expect("resolve the remote community");
    for &p in people {
        join(a, on_a, p).await;
        wait_member(a, on_a, p).await;
    }
    (key, on_a)
}

async fn wait_member(i: &TestInstance, community: i64, person: i64) {
    eventually(30, "membership accepted", || async {
        let m = i
            .db(move |c| memberships::find(c, community, person).ok().flatten())
            .await?;
        m.is_active().then_some(())
    })
    .await
}

async fn actor_on(i: &TestInstance, ap_id: String) -> Option<i64> {
    i.db(move |c| actors::by_ap_id(c, &ap_id).ok().flatten().map(|a| a.id))
        .await
}

/// Our copy of a proposal on `i`, once it satisfies `ready`.
async fn copy_on(i: &TestInstance, ap_id: &str, ready: fn(&Proposal) -> bool) -> Proposal {
    let ap_id = ap_id.to_string();
    eventually(40, "the proposal on the other instance", || {
        let ap_id = ap_id.clone();
        async move {
            let p = i
                .db(move |c| proposals::by_ap_id(c, &ap_id).ok().flatten())
                .await?;
            ready(&p).then_some(p)
        }
    })
    .await
}

async fn vote(
    i: &TestInstance,
    proposal: i64,
    voter: i64,
    choice: BallotChoice,
) -> Result<Cast, GovernanceError> {
    let publisher = i.state.publisher.clone();
    i.db(move |c| ballots::vote(c, &*publisher, proposal, voter, &choice))
        .await
}

async fn ballot_of(i: &TestInstance, proposal: i64, voter: i64) -> Option<BallotChoice> {
    i.db(move |c| ballots::my_ballot(c, proposal, voter).expect("ballot"))
        .await
}

async fn ballot_count(i: &TestInstance, proposal: i64) -> i64 {
    i.db(move |c| store::ballots::count(c, proposal).expect("count"))
        .await
}

fn consent(c: ConsentChoice) -> BallotChoice {
    BallotChoice::Consent(c)
}

/// Queues `activity` on `from`, signed by `signer`, for `community` (an actor row on `from`),
/// and waits until the queue has handed it to the community's instance (a refusal included);
/// then gives the receiver a moment to process it in the background.
async fn send_raw(from: &TestInstance, signer: i64, community: i64, activity: Value) {
    let own = from.host().to_string();
    let ap_id = activity["id"].as_str().expect("id").to_string();
    let (instance_id, outgoing_id) = from
        .db(move |c| {
            let (_, group) = store::communities::by_id(c, community).expect("community");
            let target =
                targets::resolve(c, &own, false, [targets::inbox_of(&group)]).expect("target");
            // A queue key of its own, so that the same activity can be sent twice.
            let key = format!("{ap_id}#{}", uuid::Uuid::new_v4());
            let id = diesel::Connection::transaction(c, |c| {
                store::activities::enqueue(c, &key, signer, &activity.to_string(), &target)
            })
            .expect("enqueue");
            (target[0].0, id)
        })
        .await;
    eventually(30, "the raw activity delivered", || async {
        let done = from
            .db(move |c| store::instances::by_id(c, instance_id).expect("instance"))
            .await
            .delivered_up_to;
        (done >= outgoing_id).then_some(())
    })
    .await;
    tokio::time::sleep(Duration::from_millis(700)).await;
}

/// What Mastodon's `ActivityPub::VoteSerializer` sends for a poll answer.
fn mastodon_vote(voter: &str, n: u32, question: &str, group: &str, option: &str) -> Value {
    json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        "id": format!("{voter}#votes/{n}/activity"),
        "type": "Create",
        "actor": voter,
        "to": group,
        "object": {
            "id": format!("{voter}#votes/{n}"),
            "type": "Note",
            "name": option,
            "attributedTo": voter,
            "inReplyTo": question,
            "to": group
        }
    })
}

fn rule_change(closes_at: NaiveDateTime) -> ProposalForm {
    ProposalForm {
        title: "Add rule 2: no resale".into(),
        body: "Tickets at **face value**.".into(),
        content: ProposalContent::RuleChange {
            changes: vec![RuleOp::Add {
                title: "No resale".into(),
                text: "No ticket resale above face value.".into(),
                position: None,
            }],
        },
        method: Method::Consent,
        quorum: Quorum::default(),
        threshold: None,
        class_policy: ClassPolicy::OneMemberOneVote,
        ballot: BallotKind::Secret,
        opens_at: None,
        closes_at,
    }
}

async fn rule_titles(i: &TestInstance, community: i64) -> (i64, Vec<String>) {
    i.db(move |c| {
        let r = rules::current(c, community).expect("rules");
        (r.version, r.rules.into_iter().map(|r| r.title).collect())
    })
    .await
}

async fn governance_across_instances(db: Db) {
    let net = Network::start(2, db).await;
    let (a, b) = (&net.instances[0], &net.instances[1]);
    let (music, bella) = community(b, "music").await;
    let bob = user(b, "bob").await;
    join(b, music, bob).await;
    let (ann, finn, cleo, dave) = (
        user(a, "ann").await,
        user(a, "finn").await,
        user(a, "cleo").await,
        user(a, "dave").await,
    );
    let data = a.fed();
    let music_on_a =
        commonhall::federation::resolve::community(&format!("music@{}", b.host()), &data)
            .await
            .expect("resolve music@b");
    // Founding rules came with the Group document.
    assert_eq!(
        rule_titles(a, music_on_a).await,
        (1, vec!["Be kind".into()])
    );
    for p in [ann, finn] {
        join(a, music_on_a, p).await;
        wait_member(a, music_on_a, p).await;
    }

    // B opens a rule change; A gets it as a Question.
    let closes_at = store::now() + chrono::Duration::seconds(25);
    let pb = b.state.publisher.clone();
    let inst_b = b.state.instance.clone();
    let p = b
        .db(move |c| proposals::create(c, &*pb, &inst_b, music, bella, &rule_change(closes_at)))
        .await
        .expect("proposal");
    let copy = copy_on(a, &p.ap_id, |_| true).await;
    assert!(!copy.local);
    assert_eq!(copy.status, Status::Open);
    assert_eq!(copy.community_id, music_on_a);
    assert_eq!(copy.rule_changes, p.rule_changes);
    assert_eq!(copy.voting, p.voting);
    assert_eq!(copy.closes_at, p.closes_at);
    assert_eq!(
        copy.electorate.as_ref().map(|e| e.total()),
        Some(4),
        "bella, bob, ann, finn"
    );
    let question: Value = reqwest::Client::new()
        .get(b.url(&format!("/c/music/proposals/{}", p.id)))
        .header("accept", "application/activity+json")
        .send()
        .await
        .expect("fetch the Question")
        .json()
        .await
        .expect("JSON");
    assert_eq!(question["type"], "Question");
    assert_eq!(question["coop:proposal"]["kind"], "rule_change");

    // An extension reaches A as Update{Question}.
    let extended_to = p.closes_at + chrono::Duration::seconds(3);
    let pb = b.state.publisher.clone();
    b.db(move |c| proposals::extend(c, &*pb, p.id, bella, extended_to))
        .await
        .expect("extend");
    let copy = copy_on(a, &p.ap_id, |p| p.closes_at > p.original_closes_at).await;
    assert_eq!(copy.closes_at, extended_to);

    // Dave joins after it opened: no vote, here or there.
    join(a, music_on_a, dave).await;
    wait_member(a, music_on_a, dave).await;

    // Ann votes from A, Bob on B; ann changes her mind twice.
    let ann_on_b = actor_on(b, a.state.instance.person_id("ann"))
        .await
        .expect("ann on B");
    assert!(matches!(
        vote(a, copy.id, ann, consent(ConsentChoice::Disagree)).await,
        Ok(Cast::Counted { .. })
    ));
    vote(b, p.id, bob, consent(ConsentChoice::Agree))
        .await
        .expect("bob votes");
    for wanted in [
        ConsentChoice::Disagree,
        ConsentChoice::Block,
        ConsentChoice::Agree,
    ] {
        if wanted != ConsentChoice::Disagree {
            vote(a, copy.id, ann, consent(wanted))
                .await
                .expect("ann changes her vote");
        }
        eventually(30, "ann's ballot on B", || async {
            (ballot_of(b, p.id, ann_on_b).await == Some(consent(wanted))).then_some(())
        })
        .await;
    }
    assert_eq!(ballot_count(b, p.id).await, 2);

    // Finn answers as a Mastodon server would.
    let group = b.state.instance.community_id("music");
    let finn_url = a.state.instance.person_id("finn");
    send_raw(
        a,
        finn,
        music_on_a,
        mastodon_vote(&finn_url, 1, &p.ap_id, &group, "Agree"),
    )
    .await;
    let finn_on_b = actor_on(b, finn_url.clone()).await.expect("finn on B");
    assert_eq!(
        ballot_of(b, p.id, finn_on_b).await,
        Some(consent(ConsentChoice::Agree))
    );
    // The same activity again changes nothing.
    send_raw(
        a,
        finn,
        music_on_a,
        mastodon_vote(&finn_url, 1, &p.ap_id, &group, "Agree"),
    )
    .await;
    assert_eq!(ballot_count(b, p.id).await, 3);

    // Refused, changing nothing: a non-member, a member who joined after it opened (also
    // refused on A), an unknown option, a vote signed by someone else or attributed to another.
    let ann_url = a.state.instance.person_id("ann");
    let cleo_url = a.state.instance.person_id("cleo");
    let dave_url = a.state.instance.person_id("dave");
    assert!(matches!(
        vote(a, copy.id, cleo, consent(ConsentChoice::Block)).await,
        Err(GovernanceError::NotMember)
    ));
    assert!(matches!(
        vote(a, copy.id, dave, consent(ConsentChoice::Block)).await,
        Err(GovernanceError::NotEligible)
    ));
    let refused = [
        (cleo, &cleo_url, 2, "Block"),
        (dave, &dave_url, 3, "Block"),
        (ann, &ann_url, 4, "Maybe"),
        (cleo, &ann_url, 5, "Block"),
    ];
    for (signer, voter, n, option) in refused {
        let activity = mastodon_vote(voter, n, &p.ap_id, &group, option);
        send_raw(a, signer, music_on_a, activity).await;
    }
    let mut forged = mastodon_vote(&finn_url, 6, &p.ap_id, &group, "Block");
    forged["object"]["attributedTo"] = json!(ann_url);
    send_raw(a, finn, music_on_a, forged).await;
    assert_eq!(ballot_count(b, p.id).await, 3);
    for voter in [ann_on_b, finn_on_b] {
        assert_eq!(
            ballot_of(b, p.id, voter).await,
            Some(consent(ConsentChoice::Agree))
        );
    }
    if let Some(dave_on_b) = actor_on(b, dave_url.clone()).await {
        assert_eq!(ballot_of(b, p.id, dave_on_b).await, None);
    }

    // B closes it on time: passed, the rule applies itself, and A hears of both.
    let closed = copy_on(a, &p.ap_id, |p| p.status == Status::Closed).await;
    assert_eq!(closed.passed, Some(true));
    let result = closed.result.expect("the outcome reached A");
    assert_eq!(result.outcome.turnout.ballots, 3);
    assert_eq!(result.outcome.turnout.eligible, 4);
    let on_b = b
        .db(move |c| proposals::get(c, p.id).expect("proposal"))
        .await;
    assert_eq!(Some(as_recorded(result, &p.ap_id)), on_b.result);
    let new_rules = (2, vec!["Be kind".to_string(), "No resale".to_string()]);
    assert_eq!(rule_titles(b, music).await, new_rules);
    eventually(30, "the new rules on A", || async {
        (rule_titles(a, music_on_a).await == new_rules).then_some(())
    })
    .await;

    // A secret ballot: once closed, A no longer knows who cast ann's ballot either.
    assert_eq!(ballot_count(a, copy.id).await, 1);
    assert_eq!(ballot_of(a, copy.id, ann).await, None);
    // What software without Question support shows: the announced Page, now the result.
    // For software without Question support: a Page announced when it opened, and its result.
    for name in [
        "Proposal: Add rule 2: no resale",
        "Result: Add rule 2: no resale",
    ] {
        let pattern = format!("%\"type\":\"Announce\"%\"name\":\"{name}\"%");
        let queued: i64 = b
            .db(move |c| {
                use diesel::prelude::*;
                use store::schema::outgoing_activities as out;
                out::table
                    .filter(out::body.like(pattern))
                    .count()
                    .get_result(c)
                    .expect("count")
            })
            .await;
        assert_eq!(queued, 1, "{name}");
    }

    // After the close: refused on A, and refused on B when sent anyway.
    assert!(matches!(
        vote(a, copy.id, ann, consent(ConsentChoice::Block)).await,
        Err(GovernanceError::Closed)
    ));
    send_raw(
        a,
        finn,
        music_on_a,
        mastodon_vote(&finn_url, 7, &p.ap_id, &group, "Block"),
    )
    .await;
    assert_eq!(ballot_count(b, p.id).await, 3);
    let after = b
        .db(move |c| proposals::get(c, p.id).expect("proposal"))
        .await;
    assert_eq!(after.result, on_b.result);
    net.stop().await;
}

on_both_backends!(governance_across_instances);

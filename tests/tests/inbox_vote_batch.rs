//! Likes, dislikes and their undoing from another instance written as one
//! batch (the inbox reads targets, communities, membership and the forward's
//! audience once per batch, upserts each vote and recounts each target once):
//! the same and different posts and a comment, a vote changed within the
//! batch, a request seen twice, an undo, a vote from someone who neither
//! follows nor belongs to the community, and a like of an unknown post. The
//! counts, the vote rows and the forwards must come out as if the votes had
//! been written one by one — on SQLite and on PostgreSQL. And a vote whose
//! write fails leaves the rest of its batch written.

// The benches' signer (as activitypub_federation signs); this test uses part of it.
#[allow(dead_code)]
#[path = "../benches/common/signing.rs"]
mod signing;

use std::net::SocketAddr;
use std::time::Duration;

use commonhall::domain::communities::follow;
use commonhall::domain::content::{comments, posts, votes};
use commonhall::store::{self, actors, follows, schema};
use commonhall_tests::network::{eventually, Network};
use commonhall_tests::setup::{community, follow_remote, new_post, post_on, user};
use commonhall_tests::{on_both_backends, Db, TestInstance};
use diesel::prelude::*;
use serde_json::{json, Value};

/// A person on the sending instance: their actor id (a URL) and key.
struct Sender {
    url: String,
    key: rsa::RsaPrivateKey,
}

async fn sender(b: &TestInstance, name: &str) -> Sender {
    let (_, actor) = user(b, name, false).await;
    let row = b.db(move |c| actors::by_id(c, actor).expect("actor")).await;
    Sender {
        key: signing::private_key(row.private_key_pem.as_deref().expect("key")),
        url: row.ap_id,
    }
}

/// POSTs `body` to `target`'s shared inbox, signed by `from`; the status.
async fn send(client: &reqwest::Client, target: &TestInstance, from: &Sender, body: &Value) -> u16 {
    let body = body.to_string();
    let host = target.host().to_string();
    let date = signing::http_date();
    let digest = signing::digest_header(body.as_bytes());
    let sig = signing::rsa_sign(
        &from.key,
        &signing::signing_string("/inbox", &host, &date, &digest),
    );
    client
        .post(format!("http://{host}/inbox"))
        .header("content-type", "application/activity+json")
        .header("date", date)
        .header("digest", digest)
        .header("signature", signing::signature_header(&from.url, &sig))
        .body(body)
        .send()
        .await
        .expect("inbox answers")
        .status()
        .as_u16()
}

fn vote(kind: &str, id: &str, from: &Sender, object: &str, community: &str) -> Value {
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": id,
        "type": kind,
        "actor": from.url,
        "object": object,
        "audience": community,
    })
}

fn undo(id: &str, from: &Sender, voted: &Value) -> Value {
    let mut inner = voted.clone();
    if let Some(o) = inner.as_object_mut() {
        o.remove("@context");
    }
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": id,
        "type": "Undo",
        "actor": from.url,
        "object": inner,
    })
}

/// (likes, dislikes) of a post or a comment.
async fn counts(a: &TestInstance, post: Option<i64>, comment: Option<i64>) -> (i64, i64) {
    a.db(move |c| match (post, comment) {
        (Some(p), _) => {
            let p = store::posts::by_id(c, p).expect("post");
            (p.likes, p.dislikes)
        }
        (_, Some(id)) => {
            let m = store::comments::by_id(c, id).expect("comment");
            (m.likes, m.dislikes)
        }
        _ => unreachable!("a post or a comment"),
    })
    .await
}

async fn likes_written_as_one_batch(db: Db) {
    let net = Network::start(2, db).await;
    let (a, b) = (&net.instances[0], &net.instances[1]);
    let owner = user(a, "olga", false).await;
    let garden = community(a, owner, "garden", "open").await;
    let garden_url = a.state.instance.community_id("garden");
    let (inst, publisher) = (a.state.instance.clone(), a.state.publisher.clone());
    let (p1, p2, c1) = a
        .db(move |c| {
            let form = |title: &str| posts::PostForm {
                title: title.into(),
                body: "Seeds to swap".into(),
                link: None,
            };
            let p1 = posts::create(c, &*publisher, &inst, garden, owner.1, &form("Tomatoes"))
                .expect("post");
            let p2 = posts::create(c, &*publisher, &inst, garden, owner.1, &form("Beans"))
                .expect("post");
            let c1 = comments::create(c, &*publisher, &inst, p1.id, None, owner.1, "Mine too")
                .expect("comment");
            (p1, p2, c1)
        })
        .await;
    let (bruno, carla, dave) = (
        sender(b, "bruno").await,
        sender(b, "carla").await,
        sender(b, "dave").await,
    );
    let name = a.host().split(':').next().expect("host name");
    let client = reqwest::Client::builder()
        .resolve(name, SocketAddr::new(a.settings.bind.ip(), 0))
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client");

    // Bruno and Carla follow the community (accepted at once); Dave does not.
    // A follower on a third instance receives every vote applied, forwarded.
    for who in [&bruno, &carla] {
        let follow = json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": format!("{}/follows/1", who.url),
            "type": "Follow",
            "actor": who.url,
            "object": garden_url,
        });
        assert_eq!(send(&client, a, who, &follow).await, 202);
    }
    let now = store::now();
    a.db(move |c| {
        let zoe = actors::insert(
            c,
            &actors::NewActor {
                ap_id: "http://c.example/u/zoe",
                kind: "person",
                name: "zoe",
                domain: "c.example",
                local: false,
                display_name: None,
                summary: None,
                inbox_url: "http://c.example/u/zoe/inbox",
                shared_inbox_url: Some("http://c.example/inbox"),
                public_key_pem: "",
                private_key_pem: None,
                created_at: now,
                updated_at: now,
                last_refreshed_at: now,
                followers_url: None,
                outbox_url: None,
            },
        )
        .expect("zoe");
        follows::upsert(c, garden, zoe.id, "accepted", None).expect("zoe follows");
    })
    .await;
    eventually(30, "three followers", || async {
        let n = a
            .db(move |c| {
                follows::remote_followers(c, garden)
                    .expect("followers")
                    .len()
            })
            .await;
        (n == 3).then_some(())
    })
    .await;

    // Everything arrives while the writer is held, so it is written as one batch.
    let id = |who: &Sender, n: u32| format!("{}/votes/{n}", who.url);
    let g = garden_url.as_str();
    let like_1 = vote("Like", &id(&bruno, 1), &bruno, &p1.ap_id, g);
    let carla_p2 = vote("Like", &id(&carla, 2), &carla, &p2.ap_id, g);
    let dave_like = vote("Like", &id(&dave, 1), &dave, &p1.ap_id, g);
    let sends: Vec<(&Sender, Value)> = vec![
        (&bruno, like_1.clone()),
        (&carla, vote("Like", &id(&carla, 1), &carla, &p1.ap_id, g)),
        // The same request again once the in-memory set forgot it: the database's record
        // of ids, written in the same batch, must refuse it.
        (&bruno, like_1.clone()),
        // Bruno changes his mind on P1.
        (
            &bruno,
            vote("Dislike", &id(&bruno, 2), &bruno, &p1.ap_id, g),
        ),
        (
            &bruno,
            vote("Dislike", &id(&bruno, 3), &bruno, &p2.ap_id, g),
        ),
        (&carla, carla_p2.clone()),
        (&carla, undo(&id(&carla, 3), &carla, &carla_p2)),
        (&carla, vote("Like", &id(&carla, 4), &carla, &c1.ap_id, g)),
        (
            &bruno,
            vote("Dislike", &id(&bruno, 4), &bruno, &c1.ap_id, g),
        ),
        // Late re-deliveries of a like that was replaced (by Bruno's
        // dislike) and of one that was undone (Carla's on P2): the vote rows
        // no longer record them, the database still knows them as seen.
        (&bruno, like_1.clone()),
        (&carla, carla_p2.clone()),
        // Neither a member nor a follower: refused, and not forwarded.
        (&dave, dave_like),
        (
            &bruno,
            vote(
                "Like",
                &id(&bruno, 5),
                &bruno,
                "http://nowhere.example/p/1",
                g,
            ),
        ),
    ];
    let held = a.state.inbox.hold_votes().await;
    for (k, (who, body)) in sends.iter().enumerate() {
        if let Some(id) = body.get("id").and_then(Value::as_str) {
            a.state.inbox.recent.forget(id);
        }
        assert_eq!(send(&client, a, who, body).await, 202, "vote {k}");
        // One at a time, so that the batch keeps this order.
        eventually(30, &format!("vote {k} waiting"), || async {
            (a.state.inbox.votes_waiting() == k + 1).then_some(())
        })
        .await;
    }
    drop(held);
    eventually(30, "the batch written", || async {
        (a.state.inbox.votes_waiting() == 0 && a.state.inbox.in_flight() == 0).then_some(())
    })
    .await;

    assert_eq!(
        counts(a, Some(p1.id), None).await,
        (1, 1),
        "P1: Carla likes, Bruno dislikes"
    );
    assert_eq!(
        counts(a, Some(p2.id), None).await,
        (0, 1),
        "P2: Carla's like undone"
    );
    assert_eq!(counts(a, None, Some(c1.id)).await, (1, 1), "the comment");
    let (rows, bruno_on_p1) = {
        let (p1_id, bruno_url) = (p1.id, bruno.url.clone());
        a.db(move |c| {
            let rows: i64 = schema::votes::table.count().get_result(c).expect("votes");
            let bruno = actors::by_ap_id(c, &bruno_url)
                .expect("query")
                .expect("bruno");
            let of = store::votes::ap_id_of(c, bruno.id, store::votes::Target::Post(p1_id))
                .expect("bruno's vote");
            (rows, of)
        })
        .await
    };
    assert_eq!(rows, 5, "one row per voter and target");
    assert_eq!(bruno_on_p1.as_deref(), Some(id(&bruno, 2).as_str()));

    // Forwarded to the third instance's follower: the eight votes applied, once each.
    let garden_actor = a
        .db(move |c| store::communities::by_id(c, garden).expect("garden").1.id)
        .await;
    let forwarded: Vec<String> = a
        .db(move |c| {
            schema::outgoing_activities::table
                .filter(schema::outgoing_activities::actor_id.eq(garden_actor))
                .select(schema::outgoing_activities::body)
                .load::<String>(c)
                .expect("outgoing")
        })
        .await
        .into_iter()
        .filter(|body| body.contains("\"Announce\""))
        .collect();
    assert_eq!(forwarded.len(), 8, "{forwarded:#?}");
    let dave_id = id(&dave, 1);
    assert!(forwarded.iter().all(|f| !f.contains(&dave_id)));
    let once = id(&bruno, 1);
    assert_eq!(forwarded.iter().filter(|f| f.contains(&once)).count(), 1);
    net.stop().await;
}

/// A vote that fails to write while others of its batch are fine: Bruno and
/// Carla (on B) like a post of B's community, which A follows, so their likes
/// reach A inside the community's announces. While A's writer is held, A
/// forgets Bruno (his actor row is deleted), so writing his vote breaks a
/// foreign key: the batch is written again vote by vote, and Carla's like
/// must still count while Bruno's fails alone.
async fn a_failed_write_fails_alone(db: Db) {
    let net = Network::start(2, db).await;
    let (a, b) = (&net.instances[0], &net.instances[1]);
    let bella = user(b, "bella", true).await;
    let music = community(b, bella, "music", "open").await;
    let ann = user(a, "ann", false).await;
    follow_remote(a, &format!("music@{}", b.host()), ann).await;
    let (bruno, carla) = (user(b, "bruno", false).await, user(b, "carla", false).await);
    let pb = b.state.publisher.clone();
    b.db(move |c| {
        for who in [bruno, carla] {
            follow::follow(c, &*pb, music, who.1).expect("local follow");
        }
    })
    .await;
    let post = new_post(b, music, bella, "Rehearsal", "Thursday").await;
    let on_a = eventually(30, "the post on A", || post_on(a, post.ap_id.clone())).await;

    let held = a.state.inbox.hold_votes().await;
    for who in [bruno, carla] {
        let (pb, inst_b, id) = (b.state.publisher.clone(), b.state.instance.clone(), post.id);
        b.db(move |c| {
            votes::vote(c, &*pb, &inst_b, who.1, store::votes::Target::Post(id), 1).expect("like")
        })
        .await;
    }
    eventually(30, "both likes waiting on A", || async {
        (a.state.inbox.votes_waiting() == 2).then_some(())
    })
    .await;
    let bruno_url = b.state.instance.person_id("bruno");
    let gone = a
        .db(move |c| {
            diesel::delete(schema::actors::table.filter(schema::actors::ap_id.eq(&bruno_url)))
                .execute(c)
                .expect("delete bruno")
        })
        .await;
    assert_eq!(gone, 1, "A knew Bruno");
    drop(held);
    eventually(30, "the batch written", || async {
        (a.state.inbox.votes_waiting() == 0 && a.state.inbox.in_flight() == 0).then_some(())
    })
    .await;
    assert_eq!(counts(a, Some(on_a.id), None).await, (1, 0), "Carla's like");
    let carla_url = b.state.instance.person_id("carla");
    let voters: Vec<String> = a
        .db(move |c| {
            schema::votes::table
                .inner_join(
                    schema::actors::table.on(schema::actors::id.eq(schema::votes::actor_id)),
                )
                .select(schema::actors::ap_id)
                .load(c)
                .expect("votes")
        })
        .await;
    assert_eq!(voters, vec![carla_url]);
    net.stop().await;
}

on_both_backends!(likes_written_as_one_batch, a_failed_write_fails_alone);

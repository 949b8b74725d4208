//! Threads that reach an instance in pieces: a reply to a post or comment it
//! never saw, and an `Announce` carrying only an id — the missing documents
//! are fetched from their origin and the thread is whole.

use commonhall::domain::content::comments;
use commonhall::federation::objects::actor::ApubActor;
use commonhall::federation::raw::RawActivity;
use commonhall::store::{self, communities};
use commonhall_tests::network::{eventually, Network};
use commonhall_tests::setup::{community, follow_remote, new_post, post_on, user};
use commonhall_tests::{Db, TestInstance};

async fn comment_on(i: &TestInstance, ap_id: String) -> Option<store::comments::Comment> {
    i.db(move |c| store::comments::by_ap_id(c, &ap_id).ok().flatten())
        .await
}

/// The body of the posts made before anyone on A followed.
const BEFORE: &str = "From before you followed.";

async fn new_comment(
    i: &TestInstance,
    post: i64,
    parent: Option<i64>,
    author: (i64, i64),
    body: &str,
) -> store::comments::Comment {
    let inst = i.state.instance.clone();
    let publisher = i.state.publisher.clone();
    let body = body.to_string();
    i.db(move |c| {
        comments::create(c, &*publisher, &inst, post, parent, author.1, &body).expect("comment")
    })
    .await
}

async fn replies_to_unseen_posts_and_comments_fetch_their_thread(db: Db) {
    let net = Network::start(2, db).await;
    let (a, b) = (&net.instances[0], &net.instances[1]);
    let bella = user(b, "bella", true).await;
    let music = community(b, bella, "music", "open").await;
    let ann = user(a, "ann", false).await;

    // Before anyone on A follows: a post and a comment on B.
    let old_post = new_post(b, music, bella, "Old news", BEFORE).await;
    let old_comment = new_comment(b, old_post.id, None, bella, "First!").await;
    let music_on_a = follow_remote(a, &format!("music@{}", b.host()), ann).await;
    assert!(post_on(a, old_post.ap_id.clone()).await.is_none());

    // A reply to the old comment reaches A: its comment and post are fetched.
    let reply = new_comment(b, old_post.id, Some(old_comment.id), bella, "Second.").await;
    let reply_on_a = eventually(30, "the reply on A", || comment_on(a, reply.ap_id.clone())).await;
    let post_on_a = post_on(a, old_post.ap_id.clone())
        .await
        .expect("the unseen post was fetched");
    let parent_on_a = comment_on(a, old_comment.ap_id.clone())
        .await
        .expect("the unseen comment was fetched");
    assert_eq!(post_on_a.community_id, music_on_a);
    assert_eq!(post_on_a.title, "Old news");
    assert_eq!(parent_on_a.post_id, post_on_a.id);
    assert_eq!(reply_on_a.post_id, post_on_a.id);
    assert_eq!(reply_on_a.parent_id, Some(parent_on_a.id));
    net.stop().await;
}

async fn an_announced_id_is_fetched(db: Db) {
    let net = Network::start(2, db).await;
    let (a, b) = (&net.instances[0], &net.instances[1]);
    let bella = user(b, "bella", true).await;
    let music = community(b, bella, "music", "open").await;
    let ann = user(a, "ann", false).await;
    let old_post = new_post(b, music, bella, "Boosted later", BEFORE).await;
    follow_remote(a, &format!("music@{}", b.host()), ann).await;

    // The community boosts the old post by id only, as Mastodon and relays do.
    let group = b
        .db(move |c| communities::by_id(c, music).expect("community").1)
        .await;
    let group_url = group.ap_id.clone();
    let signer = ApubActor::try_from(group).expect("group signs");
    let announce: RawActivity = serde_json::from_value(serde_json::json!({
        "type": "Announce",
        "id": format!("{group_url}/announce/boost-1"),
        "actor": group_url,
        "object": old_post.ap_id,
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "cc": [format!("{group_url}/followers")],
    }))
    .expect("announce");
    let inbox = url::Url::parse(&format!("http://{}/inbox", a.host())).expect("inbox url");
    let data = b.fed();
    for task in activitypub_federation::activity_sending::SendActivityTask::prepare(
        &announce,
        &signer,
        vec![inbox],
        &data,
    )
    .await
    .expect("prepare")
    {
        task.sign_and_send(&data)
            .await
            .expect("A accepts the announce");
    }
    let fetched = eventually(30, "the boosted post on A", || {
        post_on(a, old_post.ap_id.clone())
    })
    .await;
    assert_eq!(fetched.title, "Boosted later");
    net.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_replies_to_unseen_posts_and_comments_fetch_their_thread() {
    replies_to_unseen_posts_and_comments_fetch_their_thread(Db::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_replies_to_unseen_posts_and_comments_fetch_their_thread() {
    replies_to_unseen_posts_and_comments_fetch_their_thread(Db::Postgres).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_an_announced_id_is_fetched() {
    an_announced_id_is_fetched(Db::Sqlite).await
}

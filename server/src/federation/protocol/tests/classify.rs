//! The inbox policy on shapes the fixtures do not show: poll votes, private replies, remote polls, answers by id, `Undo`/`Announce` of things we ignore.

use serde_json::{json, Value};

use super::support::{assert_ignored, expect_variant, u};
use crate::federation::protocol::activities::Announced;
use crate::federation::protocol::values::{IdOrObject, PUBLIC};
use crate::federation::protocol::{IgnoreReason, InboxActivity as A};

const BOB: &str = "https://masto.example/users/bob";
const GROUP: &str = "https://music.example/c/music";
const QUESTION: &str = "https://music.example/c/music/proposals/7";

fn create(object: Value) -> Value {
    json!({"type": "Create", "id": "https://masto.example/activities/1", "actor": BOB,
        "to": object.get("to").cloned().unwrap_or(json!([])), "object": object})
}

fn read(value: Value) -> A {
    A::from_value(&value).unwrap_or_else(|e| panic!("{e}\n{value}"))
}

#[test]
fn mastodon_poll_vote_is_a_vote() {
    let vote = json!({"id": "https://masto.example/users/bob#votes/1", "type": "Note",
        "name": "Agree", "attributedTo": BOB, "to": GROUP, "inReplyTo": QUESTION});
    let a = expect_variant!(read(create(vote)), A::CreateVote);
    assert_eq!(a.object.name, "Agree");
    assert_eq!(a.object.in_reply_to, u(QUESTION));
    assert_eq!(a.object.ranking, None);
}

#[test]
fn ranked_vote_carries_its_ranking() {
    let vote = json!({"id": "https://masto.example/v/2", "type": "Note", "name": "Agree",
        "to": [GROUP], "inReplyTo": QUESTION, "coop:ranking": ["Agree", "Block"]});
    let a = expect_variant!(read(create(vote)), A::CreateVote);
    assert_eq!(
        a.object.ranking,
        Some(vec!["Agree".to_owned(), "Block".to_owned()])
    );
}

#[test]
fn titled_public_reply_is_a_comment_not_a_vote() {
    let note = json!({"id": "https://masto.example/n/3", "type": "Note", "name": "Re: rules",
        "content": "<p>I agree</p>", "to": [PUBLIC], "inReplyTo": "https://music.example/post/1"});
    let a = expect_variant!(read(create(note)), A::CreateNote);
    assert_eq!(a.object.content.as_deref(), Some("<p>I agree</p>"));
}

#[test]
fn direct_reply_is_a_private_message() {
    let note = json!({"id": "https://masto.example/n/4", "type": "Note", "content": "<p>psst</p>",
        "to": ["https://music.example/u/alice"], "inReplyTo": "https://music.example/comment/1"});
    assert_ignored(
        &read(create(note)),
        "Create{Note}",
        IgnoreReason::PrivateMessage,
    );
}

#[test]
fn community_audience_makes_content_public_enough() {
    let note = json!({"id": "https://l.example/comment/5", "type": "Note", "content": "<p>x</p>",
        "audience": GROUP, "inReplyTo": "https://music.example/post/1"});
    expect_variant!(read(create(note)), A::CreateNote);
}

#[test]
fn mastodon_poll_is_a_question() {
    let poll = json!({"id": "https://masto.example/s/6", "type": "Question", "content": "<p>Tea?</p>",
        "to": [PUBLIC], "endTime": "2026-12-01T00:00:00Z", "closed": "2026-12-01T00:00:00Z",
        "votersCount": 3, "anyOf": [{"type": "Note", "name": "Yes",
        "replies": {"type": "Collection", "totalItems": 2}}, {"type": "Note", "name": "No"}]});
    let a = expect_variant!(read(create(poll)), A::CreateQuestion);
    assert!(a.object.is_multiple_choice());
    assert_eq!(a.object.options()[0].votes(), 2);
    assert_eq!(a.object.options()[1].votes(), 0);
    assert_eq!(a.object.name, None);
}

#[test]
fn accept_by_bare_id_is_an_accept_follow() {
    let accept = json!({"type": "Accept", "id": "https://music.example/a/1", "actor": GROUP,
        "object": "https://masto.example/follows/1"});
    let a = expect_variant!(read(accept), A::AcceptFollow);
    assert_eq!(
        a.object,
        IdOrObject::Id(u("https://masto.example/follows/1"))
    );
}

#[test]
fn things_we_ignore() {
    let base = |kind: &str, object: Value| json!({"type": kind, "id": "https://x.example/a/1", "actor": BOB, "object": object});
    let undo_by_id = base("Undo", json!("https://x.example/a/0"));
    assert_ignored(&read(undo_by_id), "Undo", IgnoreReason::UnsupportedObject);
    let unboost = base(
        "Undo",
        json!({"type": "Announce", "id": "https://x.example/a/0", "actor": BOB, "object": GROUP}),
    );
    assert_ignored(
        &read(unboost),
        "Undo{Announce}",
        IgnoreReason::UnsupportedObject,
    );
    let event = base(
        "Create",
        json!({"type": "Event", "id": "https://x.example/e/1", "to": [PUBLIC]}),
    );
    assert_ignored(
        &read(event),
        "Create{Event}",
        IgnoreReason::UnsupportedObject,
    );
    let group = base(
        "Create",
        json!({"type": "Group", "id": "https://x.example/c/1"}),
    );
    assert_ignored(
        &read(group),
        "Create{Group}",
        IgnoreReason::UnsupportedObject,
    );
    let app = base(
        "Update",
        json!({"type": "Application", "id": "https://x.example/"}),
    );
    assert_ignored(
        &read(app),
        "Update{Application}",
        IgnoreReason::UnsupportedObject,
    );
    let accept_invite = base(
        "Accept",
        json!({"type": "Invite", "id": "https://x.example/i/1"}),
    );
    assert_ignored(
        &read(accept_invite),
        "Accept{Invite}",
        IgnoreReason::UnsupportedObject,
    );
    let chat = json!({"type": "Create", "id": "https://x.example/a/2", "actor": BOB,
        "object": {"type": "ChatMessage", "id": "https://x.example/m/1", "content": "hi"}});
    let announce = json!({"type": "Announce", "id": "https://music.example/a/3", "actor": GROUP, "object": chat});
    let a = read(announce);
    assert_ignored(
        &a,
        "Announce{Create{ChatMessage}}",
        IgnoreReason::PrivateMessage,
    );
    assert_eq!(a.id(), Some(&u("https://music.example/a/3")));
}

#[test]
fn mastodon_style_announce_of_a_note() {
    let note = json!({"type": "Note", "id": "https://masto.example/s/7", "content": "<p>hi</p>",
        "to": [PUBLIC], "attributedTo": BOB});
    let announce = json!({"type": "Announce", "id": "https://masto.example/s/7/activity",
        "actor": BOB, "to": [PUBLIC], "object": note, "published": "2026-01-01T00:00:00Z"});
    let a = expect_variant!(read(announce), A::Announce);
    assert!(a.published.is_some());
    assert!(matches!(a.object, Announced::Object(_)), "{:?}", a.object);
}

#[test]
fn announce_of_an_actor_is_ignored() {
    let person = json!({"type": "Person", "id": BOB, "preferredUsername": "bob",
        "inbox": "https://masto.example/users/bob/inbox",
        "publicKey": {"id": "https://masto.example/users/bob#main-key", "owner": BOB, "publicKeyPem": "x"}});
    let announce = json!({"type": "Announce", "id": "https://masto.example/a/8", "actor": BOB, "object": person});
    assert_ignored(
        &read(announce),
        "Announce{Person}",
        IgnoreReason::UnsupportedObject,
    );
}

//! Round trips of everything we send: serialized with our context, no `null`s, the right `type`, and read back equal (through `InboxActivity`/`ApObject` too).

use std::fmt::Debug;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use super::samples::{self, alice, community};
use super::support::{assert_no_nulls, expect_variant, u};
use crate::federation::protocol::activities::*;
use crate::federation::protocol::objects::{ApObject as O, Collection, Tombstone};
use crate::federation::protocol::values::OneOrMany;
use crate::federation::protocol::{context, InboxActivity as A, WithContext};

fn check<T>(value: &T, expected_type: &str) -> Value
where
    T: Serialize + DeserializeOwned + PartialEq + Debug,
{
    let json = serde_json::to_value(WithContext::new(value)).expect("serializes");
    assert_no_nulls(&json);
    assert_eq!(json["type"], expected_type, "{json}");
    assert_eq!(json["@context"], context());
    let back: WithContext<T> = serde_json::from_value(json.clone())
        .unwrap_or_else(|e| panic!("{expected_type} reads back: {e}\n{json}"));
    assert_eq!(&back.inner, value);
    json
}

macro_rules! activity {
    ($value:expr, $ty:literal, $variant:path) => {{
        let value = $value;
        let json = check(&value, $ty);
        let parsed = A::from_value(&json).unwrap_or_else(|e| panic!("{}: {e}", $ty));
        assert_eq!(parsed.id(), Some(&value.id));
        assert_eq!(expect_variant!(parsed, $variant), value);
        json
    }};
}

macro_rules! object {
    ($value:expr, $ty:literal, $variant:path) => {{
        let value = $value;
        let json = check(&value, $ty);
        let parsed = O::from_value(&json).unwrap_or_else(|e| panic!("{}: {e}", $ty));
        assert_eq!(*expect_variant!(parsed, $variant), value);
        json
    }};
}

#[test]
fn person() {
    let json = object!(samples::person(), "Person", O::Person);
    assert_eq!(json["source"]["mediaType"], "text/markdown");
    assert_eq!(
        json["endpoints"]["sharedInbox"],
        "https://music.example/inbox"
    );
}

#[test]
fn group_with_coop_extensions() {
    let json = object!(samples::group(), "Group", O::Group);
    assert_eq!(
        json["attributedTo"],
        "https://music.example/c/music/moderators"
    );
    assert_eq!(json["coop:joinPolicy"], "approval");
    assert_eq!(json["coop:stakeholderClasses"][1], "listener");
    assert_eq!(json["coop:rules"][0]["title"], "Be kind");
    assert_eq!(json["coop:rulesVersion"], 3);
    assert_eq!(json["language"][0]["identifier"], "fr");
}

#[test]
fn instance() {
    object!(samples::instance(), "Application", O::Instance);
}

#[test]
fn page() {
    let json = object!(samples::page(), "Page", O::Page);
    // Lemmy wants one author and one language, not arrays.
    assert!(json["attributedTo"].is_string());
    assert!(json["language"].is_object());
    assert_eq!(json["attachment"][0]["type"], "Link");
    assert_eq!(json["to"][1], crate::federation::protocol::values::PUBLIC);
    assert_eq!(json["mediaType"], "text/html");
}

#[test]
fn note() {
    let json = object!(samples::note(), "Note", O::Note);
    assert_eq!(json["inReplyTo"], "https://music.example/post/1");
}

#[test]
fn question_open_and_closed() {
    let json = object!(samples::question(), "Question", O::Question);
    assert_eq!(json["oneOf"][0]["replies"]["totalItems"], 9);
    assert_eq!(
        json["coop:proposal"]["classPolicy"],
        "concurrent_majorities"
    );
    assert_eq!(json["coop:proposal"]["ballot"], "secret");
    assert!(json.get("closed").is_none());
    let json = object!(samples::closed_question(), "Question", O::Question);
    assert_eq!(json["closed"], "2026-12-01T00:00:00Z");
    assert_eq!(json["coop:outcome"]["passed"], true);
}

#[test]
fn tombstone_and_collections() {
    object!(
        Tombstone::new(u("https://music.example/post/9")),
        "Tombstone",
        O::Tombstone
    );
    let mods = Collection::ordered(
        u("https://music.example/c/music/moderators"),
        vec![alice().to_string().into()],
    );
    let json = object!(mods, "OrderedCollection", O::Collection);
    assert_eq!(json["totalItems"], 1);
    let members = Collection::count_only(u("https://music.example/c/music/members"), 20);
    let json = object!(members, "Collection", O::Collection);
    assert!(json.get("items").is_none());
}

#[test]
fn following() {
    let json = activity!(samples::follow(), "Follow", A::Follow);
    assert_eq!(json["to"][0], community().as_str());
    let accept = Accept::new(
        u("https://music.example/a/1"),
        community(),
        samples::follow(),
        alice(),
    );
    let json = activity!(accept, "Accept", A::AcceptFollow);
    assert_eq!(json["object"]["type"], "Follow");
    let reject = Reject::new(
        u("https://music.example/a/2"),
        community(),
        samples::follow(),
        alice(),
    );
    activity!(reject, "Reject", A::RejectFollow);
    let undo = Undo::new(
        u("https://music.example/a/3"),
        alice(),
        samples::follow(),
        OneOrMany::one(community()),
        OneOrMany::default(),
    );
    activity!(undo, "Undo", A::UndoFollow);
}

#[test]
fn membership() {
    activity!(samples::join(), "Join", A::Join);
    let accept = Accept::new(
        u("https://music.example/a/4"),
        community(),
        samples::join(),
        alice(),
    );
    let json = activity!(accept, "Accept", A::AcceptJoin);
    assert_eq!(json["object"]["type"], "Join");
    let mut reject = Reject::new(
        u("https://music.example/a/5"),
        community(),
        samples::join(),
        alice(),
    );
    reject.summary = Some("not a member of the guild".into());
    activity!(reject, "Reject", A::RejectJoin);
    activity!(
        Leave::new(u("https://music.example/a/6"), alice(), community()),
        "Leave",
        A::Leave
    );
}

#[test]
fn create_and_update_content() {
    let json = activity!(samples::create_page(), "Create", A::CreatePage);
    assert_eq!(json["object"]["type"], "Page");
    fn update<T>(object: T) -> CreateOrUpdate<T> {
        CreateOrUpdate::update(
            u("https://music.example/a/7"),
            alice(),
            object,
            OneOrMany::one(community()),
            OneOrMany::default(),
        )
    }
    activity!(update(samples::page()), "Update", A::UpdatePage);
    let create_note = CreateOrUpdate::create(
        u("https://music.example/a/8"),
        alice(),
        samples::note(),
        OneOrMany::one(community()),
        OneOrMany::default(),
    );
    activity!(create_note, "Create", A::CreateNote);
    activity!(update(samples::note()), "Update", A::UpdateNote);
    let create_q = CreateOrUpdate::create(
        u("https://music.example/a/9"),
        community(),
        samples::question(),
        OneOrMany::one(community()),
        OneOrMany::default(),
    );
    activity!(create_q, "Create", A::CreateQuestion);
    activity!(
        update(samples::closed_question()),
        "Update",
        A::UpdateQuestion
    );
    activity!(update(samples::group()), "Update", A::UpdateGroup);
    activity!(update(samples::person()), "Update", A::UpdatePerson);
}

#[test]
fn vote() {
    let create = CreateOrUpdate::create(
        u("https://music.example/a/10"),
        alice(),
        samples::vote(),
        OneOrMany::one(community()),
        OneOrMany::default(),
    );
    let json = activity!(create, "Create", A::CreateVote);
    assert!(json["object"].get("content").is_none());
    assert_eq!(json["object"]["coop:ranking"][0], "Agree");
    assert_eq!(
        json["object"]["coop:receipt"].as_str().map(str::len),
        Some(64)
    );
}

#[test]
fn multiple_choice_and_score_votes() {
    for (n, v) in [samples::vote_multiple(), samples::vote_score()]
        .into_iter()
        .enumerate()
    {
        let create = CreateOrUpdate::create(
            u(&format!("https://music.example/a/v{n}")),
            alice(),
            v,
            OneOrMany::one(community()),
            OneOrMany::default(),
        );
        let json = activity!(create, "Create", A::CreateVote);
        assert!(json["object"].get("content").is_none());
    }
}

#[test]
fn deletion() {
    let json = activity!(samples::delete(), "Delete", A::Delete);
    assert!(json["object"].is_string());
    let undo = Undo::new(
        u("https://music.example/a/11"),
        alice(),
        samples::delete(),
        OneOrMany::one(community()),
        OneOrMany::default(),
    );
    activity!(undo, "Undo", A::UndoDelete);
    let add = CollectionChange::new(
        CollectionChangeType::Add,
        u("https://music.example/a/12"),
        alice(),
        alice(),
        u("https://music.example/c/music/moderators"),
        community(),
    );
    activity!(add, "Add", A::Add);
    activity!(samples::remove_featured(), "Remove", A::Remove);
    let undo = Undo::new(
        u("https://music.example/a/13"),
        alice(),
        samples::remove_featured(),
        OneOrMany::one(community()),
        OneOrMany::default(),
    );
    activity!(undo, "Undo", A::UndoRemove);
}

#[test]
fn voting() {
    activity!(samples::like(), "Like", A::LikeOrDislike);
    let dislike = LikeOrDislike::new(
        LikeType::Dislike,
        u("https://music.example/a/14"),
        alice(),
        u("https://music.example/post/1"),
        community(),
    );
    activity!(dislike, "Dislike", A::LikeOrDislike);
    let undo = Undo::new(
        u("https://music.example/a/15"),
        alice(),
        samples::like(),
        OneOrMany::default(),
        OneOrMany::default(),
    );
    activity!(undo, "Undo", A::UndoLikeOrDislike);
}

#[test]
fn announce_activity_page_and_id() {
    let followers = u("https://music.example/c/music/followers");
    let announce = Announce::new(
        u("https://music.example/a/16"),
        community(),
        samples::create_page(),
        followers.clone(),
    );
    let json = check(&announce, "Announce");
    let parsed = expect_variant!(A::from_value(&json).expect("parses"), A::Announce);
    let inner = expect_variant!(parsed.object, Announced::Activity);
    assert_eq!(
        expect_variant!(*inner, A::CreatePage),
        samples::create_page()
    );

    let announce = Announce::new(
        u("https://music.example/a/17"),
        community(),
        samples::page(),
        followers.clone(),
    );
    let json = check(&announce, "Announce");
    let parsed = expect_variant!(A::from_value(&json).expect("parses"), A::Announce);
    let inner = expect_variant!(parsed.object, Announced::Object);
    assert_eq!(*expect_variant!(*inner, O::Page), samples::page());

    let announce = Announce::new(
        u("https://music.example/a/18"),
        community(),
        u("https://music.example/post/1"),
        followers,
    );
    let json = check(&announce, "Announce");
    let parsed = expect_variant!(A::from_value(&json).expect("parses"), A::Announce);
    assert_eq!(
        parsed.object,
        Announced::Id(u("https://music.example/post/1"))
    );
}

#[test]
fn moderation() {
    let flag = Flag::new(
        u("https://music.example/a/19"),
        alice(),
        u("https://music.example/post/1"),
        community(),
        "spam".into(),
    );
    let json = activity!(flag, "Flag", A::Flag);
    // Lemmy reads one reported object, not an array.
    assert!(json["object"].is_string());
    activity!(samples::block(), "Block", A::Block);
    let undo = Undo::new(
        u("https://music.example/a/20"),
        alice(),
        samples::block(),
        OneOrMany::one(community()),
        OneOrMany::default(),
    );
    activity!(undo, "Undo", A::UndoBlock);
    activity!(samples::lock(), "Lock", A::Lock);
    let undo = Undo::new(
        u("https://music.example/a/21"),
        alice(),
        samples::lock(),
        OneOrMany::one(community()),
        OneOrMany::default(),
    );
    activity!(undo, "Undo", A::UndoLock);
}

#[test]
fn every_sample_is_null_free_and_readable() {
    for (name, json) in samples::all_outgoing() {
        assert_no_nulls(&json);
        let read = A::from_value(&json).unwrap_or_else(|e| panic!("{name}: {e}"));
        if let A::Ignored { kind, .. } = &read {
            // Objects are not activities; everything else must be handled.
            assert!(
                crate::federation::protocol::shape::is_object_type(kind),
                "{name} ignored as {kind}"
            );
            O::from_value(&json).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }
}

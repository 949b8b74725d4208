//! Sample documents of everything we send, built with the public constructors, for the round-trip and JSON-LD tests.

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::support::u;
use crate::federation::protocol::activities::*;
use crate::federation::protocol::objects::*;
use crate::federation::protocol::values::{
    public, Attachment, Endpoints, Image, LanguageTag, OneOrMany, PublicKey, Source, Tag,
};

pub const HOST: &str = "https://music.example";

pub fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("test timestamp")
        .with_timezone(&Utc)
}

fn h(path: &str) -> url::Url {
    u(&format!("{HOST}{path}"))
}

pub fn community() -> url::Url {
    h("/c/music")
}

pub fn alice() -> url::Url {
    h("/u/alice")
}

fn key(owner: url::Url) -> PublicKey {
    PublicKey {
        id: u(&format!("{owner}#main-key")),
        owner,
        public_key_pem: "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n".into(),
    }
}

fn fr() -> LanguageTag {
    LanguageTag {
        identifier: "fr".into(),
        name: "Français".into(),
    }
}

pub fn person() -> Person {
    let mut p = Person::new(alice(), "alice".into(), h("/u/alice/inbox"), key(alice()));
    p.name = Some("Alice".into());
    p.summary = Some("<p>Drummer</p>".into());
    p.source = Some(Source::markdown("Drummer"));
    p.icon = Some(Image::new(h("/media/alice.png")));
    p.outbox = Some(h("/u/alice/outbox"));
    p.endpoints = Some(Endpoints {
        shared_inbox: Some(h("/inbox")),
    });
    p.published = Some(at("2026-01-02T03:04:05Z"));
    p
}

pub fn group() -> Group {
    let mut g = Group::new(
        community(),
        "music".into(),
        h("/c/music/inbox"),
        key(community()),
    );
    g.name = Some("Music co-op".into());
    g.summary = Some("<p>We make music.</p>".into());
    g.source = Some(Source::markdown("We make music."));
    g.outbox = Some(h("/c/music/outbox"));
    g.followers = Some(h("/c/music/followers"));
    g.attributed_to = Some(h("/c/music/moderators"));
    g.featured = Some(h("/c/music/featured"));
    g.posting_restricted_to_mods = Some(false);
    g.manually_approves_followers = Some(true);
    g.endpoints = Some(Endpoints {
        shared_inbox: Some(h("/inbox")),
    });
    g.language = vec![fr()].into();
    g.join_policy = Some(JoinPolicy::Approval);
    g.stakeholder_classes = Some(vec!["worker".into(), "listener".into()]);
    g.rules = Some(vec![Rule {
        id: Some(4),
        number: 1,
        title: "Be kind".into(),
        content: "No harassment.".into(),
    }]);
    g.rules_version = Some(3);
    g
}

pub fn instance() -> Instance {
    let mut i = Instance::new(h("/"), h("/inbox"), key(h("/")));
    i.name = Some("Music co-op".into());
    i.preferred_username = Some("music.example".into());
    i.language = vec![fr()].into();
    i
}

pub fn page() -> Page {
    let mut p = Page::new(h("/post/1"), alice(), community(), "First post".into());
    p.content = Some("<p>Hello</p>".into());
    p.source = Some(Source::markdown("Hello"));
    p.attachment = OneOrMany::one(Attachment::link(u("https://example.org/a")));
    p.image = Some(Image::new(h("/media/thumb.jpg")));
    p.sensitive = Some(false);
    p.comments_enabled = Some(true);
    p.stickied = Some(false);
    p.language = Some(fr());
    p.tag = OneOrMany::one(Tag::mention(community(), "!music@music.example"));
    p.published = Some(at("2026-01-02T03:04:05.123456Z"));
    p
}

pub fn note() -> Note {
    let mut n = Note::new(
        h("/comment/1"),
        alice(),
        h("/post/1"),
        community(),
        "<p>Yes</p>".into(),
    );
    n.source = Some(Source::markdown("Yes"));
    n.distinguished = Some(false);
    n.language = Some(fr());
    n.published = Some(at("2026-01-02T03:04:05Z"));
    n
}

pub fn question() -> Question {
    let mut q = Question::new(
        h("/c/music/proposals/7"),
        community(),
        h("/c/music/followers"),
        "Add rule 4".into(),
    );
    q.content = Some("<p>No resale above face value.</p>".into());
    q.source = Some(Source::markdown("No resale above face value."));
    q.end_time = Some(at("2026-12-01T00:00:00Z"));
    q.voters_count = Some(12);
    q.one_of = Some(vec![
        PollOption::new("Agree", 9),
        PollOption::new("Abstain", 1),
        PollOption::new("Disagree", 2),
        PollOption::new("Block", 0),
    ]);
    q.proposal = Some(Proposal {
        kind: "amend_rules".into(),
        method: Some("consent".into()),
        quorum: Some("0.5".into()),
        threshold: Some("majority".into()),
        class_policy: Some("concurrent_majorities".into()),
        ballot: Some(Ballot::Secret),
        eligible_count: Some(20),
        ..Proposal::default()
    });
    q.published = Some(at("2026-11-01T00:00:00Z"));
    q
}

pub fn closed_question() -> Question {
    let mut q = question();
    q.closed = Some(Closed::At(at("2026-12-01T00:00:00Z")));
    q.outcome = Some(json!({"passed": true, "turnout": "0.6", "quorumMet": true,
        "perClass": {"worker": {"Agree": 5}}}));
    q
}

pub fn vote() -> Vote {
    let mut v = Vote::new(
        h("/votes/1"),
        alice(),
        h("/c/music/proposals/7"),
        community(),
        "Agree".into(),
    );
    v.ranking = Some(vec!["Agree".into(), "Abstain".into(), "Disagree".into()]);
    v.receipt = Some("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08".into());
    v
}

/// One Note of a multiple-choice ballot, carrying the whole ballot.
pub fn vote_multiple() -> Vote {
    let mut v = vote();
    v.ranking = None;
    v.name = "Tuesday".into();
    v.choices = Some(vec!["Monday".into(), "Tuesday".into()]);
    v
}

/// A score ballot.
pub fn vote_score() -> Vote {
    let mut v = vote();
    v.ranking = None;
    v.name = "Monday".into();
    v.scores = Some([("Monday".to_owned(), 5), ("Tuesday".to_owned(), 2)].into());
    v
}

pub fn follow() -> Follow {
    Follow::new(h("/activities/follow/1"), alice(), community())
}

pub fn join() -> Join {
    let mut join = Join::new(h("/activities/join/1"), alice(), community());
    join.class = Some("worker".into());
    join
}

fn to_community() -> OneOrMany<url::Url> {
    vec![community(), public()].into()
}

fn cc_community() -> OneOrMany<url::Url> {
    OneOrMany::one(community())
}

pub fn create_page() -> CreateOrUpdate<Page> {
    let mut a = CreateOrUpdate::create(
        h("/activities/create/1"),
        alice(),
        page(),
        to_community(),
        cc_community(),
    );
    a.audience = Some(community());
    a
}

pub fn like() -> LikeOrDislike {
    LikeOrDislike::new(
        LikeType::Like,
        h("/activities/like/1"),
        alice(),
        h("/post/1"),
        community(),
    )
}

pub fn delete() -> Delete {
    let mut d = Delete::new(
        h("/activities/delete/1"),
        alice(),
        h("/post/1"),
        to_community(),
        cc_community(),
    );
    d.audience = Some(community());
    d
}

pub fn remove_featured() -> CollectionChange {
    CollectionChange::new(
        CollectionChangeType::Remove,
        h("/activities/remove/1"),
        alice(),
        h("/post/1"),
        h("/c/music/featured"),
        community(),
    )
}

pub fn block() -> Block {
    let mut b = Block::new(h("/activities/block/1"), alice(), h("/u/bob"), community());
    b.summary = Some("spam".into());
    b.end_time = Some(at("2027-01-01T00:00:00Z"));
    b
}

pub fn lock() -> Lock {
    Lock::new(h("/activities/lock/1"), alice(), h("/post/1"), community())
}

/// `(name, document)` for every sample, with our `@context`, for the
/// JSON-LD checks.
pub fn all_outgoing() -> Vec<(&'static str, Value)> {
    use crate::federation::protocol::context::WithContext;
    fn doc<T: serde::Serialize>(v: T) -> Value {
        serde_json::to_value(WithContext::new(v)).expect("serializes")
    }
    fn plain<T: serde::Serialize>(v: T) -> Value {
        serde_json::to_value(v).expect("serializes")
    }
    let undo = |id: &str, object: Value| {
        doc(Undo::new(
            h(id),
            alice(),
            object,
            to_community(),
            cc_community(),
        ))
    };
    vec![
        ("person", doc(person())),
        ("group", doc(group())),
        ("instance", doc(instance())),
        ("page", doc(page())),
        ("note", doc(note())),
        ("question", doc(closed_question())),
        ("vote", doc(vote())),
        ("vote_multiple", doc(vote_multiple())),
        ("vote_score", doc(vote_score())),
        ("tombstone", doc(Tombstone::new(h("/post/9")))),
        (
            "moderators",
            doc(Collection::ordered(
                h("/c/music/moderators"),
                vec![json!(alice())],
            )),
        ),
        (
            "members",
            doc(Collection::count_only(h("/c/music/members"), 20)),
        ),
        ("follow", doc(follow())),
        (
            "accept",
            doc(Accept::new(
                h("/activities/accept/1"),
                community(),
                join(),
                alice(),
            )),
        ),
        (
            "reject",
            doc(Reject::new(
                h("/activities/reject/1"),
                community(),
                follow(),
                alice(),
            )),
        ),
        (
            "leave",
            doc(Leave::new(h("/activities/leave/1"), alice(), community())),
        ),
        ("create_page", doc(create_page())),
        (
            "create_vote",
            doc(CreateOrUpdate::create(
                h("/activities/create/2"),
                alice(),
                vote(),
                cc_community(),
                OneOrMany::default(),
            )),
        ),
        (
            "update_group",
            doc(CreateOrUpdate::update(
                h("/activities/update/1"),
                community(),
                group(),
                to_community(),
                OneOrMany::default(),
            )),
        ),
        (
            "update_question",
            doc(CreateOrUpdate::update(
                h("/activities/update/2"),
                community(),
                closed_question(),
                to_community(),
                OneOrMany::default(),
            )),
        ),
        ("delete", doc(delete())),
        ("undo_delete", undo("/activities/undo/1", plain(delete()))),
        ("remove", doc(remove_featured())),
        ("like", doc(like())),
        ("undo_like", undo("/activities/undo/2", plain(like()))),
        (
            "announce",
            doc(Announce::new(
                h("/activities/announce/1"),
                community(),
                create_page(),
                h("/c/music/followers"),
            )),
        ),
        (
            "announce_page",
            doc(Announce::new(
                h("/activities/announce/2"),
                community(),
                page(),
                h("/c/music/followers"),
            )),
        ),
        (
            "flag",
            doc(Flag::new(
                h("/activities/flag/1"),
                alice(),
                h("/post/1"),
                community(),
                "spam".into(),
            )),
        ),
        ("block", doc(block())),
        ("undo_block", undo("/activities/undo/3", plain(block()))),
        ("lock", doc(lock())),
        ("undo_lock", undo("/activities/undo/4", plain(lock()))),
    ]
}

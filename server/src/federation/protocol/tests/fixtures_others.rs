//! One parse test per Friendica, Mastodon, Mobilizon and Pleroma fixture.

use super::support::{assert_ignored, expect_variant, inbox, object, u};
use crate::federation::protocol::activities::LikeType;
use crate::federation::protocol::objects::{ApObject as O, CollectionType, PageType, PersonType};
use crate::federation::protocol::values::{AttachmentType, MediaType};
use crate::federation::protocol::{IgnoreReason, InboxActivity as A};

#[test]
fn friendica_create_note() {
    let a = expect_variant!(
        inbox("friendica/activities/create_note.json"),
        A::CreateNote
    );
    assert_eq!(
        a.object.in_reply_to,
        u("https://lemmy.schuerz.at/post/25360")
    );
    let source = a.object.source.expect("bbcode source");
    assert_eq!(
        source.media_type,
        Some(MediaType::Other("text/bbcode".into()))
    );
    assert!(!source.is_markdown());
}

#[test]
fn friendica_create_page_1() {
    // Really a Mastodon top-level Note addressed to a community: a post.
    let a = expect_variant!(
        inbox("friendica/activities/create_page_1.json"),
        A::CreatePage
    );
    assert_eq!(a.object.kind, PageType::Note);
    assert_eq!(a.object.name, None);
    assert!(a
        .object
        .cc
        .contains(&u("https://lemmy.qa.urbanwildlife.biz/c/lemmy_community")));
}

#[test]
fn friendica_create_page_2() {
    let a = expect_variant!(
        inbox("friendica/activities/create_page_2.json"),
        A::CreatePage
    );
    assert_eq!(a.object.kind, PageType::Article);
    assert_eq!(a.object.name.as_deref(), Some("From Friendica to Lemmy"));
    assert_eq!(a.to.0, vec![u("https://ds9.lemmy.ml/c/testcom")]);
}

#[test]
fn friendica_delete() {
    let a = expect_variant!(inbox("friendica/activities/delete.json"), A::Delete);
    assert_eq!(a.object.kind.as_deref(), Some("Tombstone"));
    assert_eq!(
        a.object.id,
        u("https://pirati.ca/objects/ec054ce7-4762-3c1c-3c25-0cc665717210")
    );
}

#[test]
fn friendica_dislike_page() {
    let a = expect_variant!(
        inbox("friendica/activities/dislike_page.json"),
        A::LikeOrDislike
    );
    assert_eq!(a.kind, LikeType::Dislike);
    assert_eq!(a.audience, None);
}

#[test]
fn friendica_like_page() {
    let a = expect_variant!(
        inbox("friendica/activities/like_page.json"),
        A::LikeOrDislike
    );
    assert_eq!(a.kind, LikeType::Like);
    assert_eq!(
        a.object,
        u("https://pirati.ca/objects/ec054ce7-2062-3bfa-8687-ca8313624820")
    );
}

#[test]
fn friendica_undo_dislike_page() {
    let a = expect_variant!(
        inbox("friendica/activities/undo_dislike_page.json"),
        A::UndoLikeOrDislike
    );
    assert_eq!(a.object.kind, LikeType::Dislike);
}

#[test]
fn friendica_update_note() {
    let a = expect_variant!(
        inbox("friendica/activities/update_note.json"),
        A::UpdateNote
    );
    assert!(a.object.updated.is_some());
    assert_eq!(a.object.tag.len(), 2);
}

#[test]
fn friendica_note_1() {
    let n = expect_variant!(object("friendica/objects/note_1.json"), O::Note);
    assert_eq!(
        n.attributed_to.primary(),
        Some(&u("https://soc.schuerz.at/profile/jakob"))
    );
}

#[test]
fn friendica_note_2() {
    let n = expect_variant!(object("friendica/objects/note_2.json"), O::Note);
    assert_eq!(n.in_reply_to, u("https://lemmy.ml/comment/167904"));
    assert_eq!(n.cc.len(), 5);
}

#[test]
fn friendica_page_1() {
    let p = expect_variant!(object("friendica/objects/page_1.json"), O::Page);
    assert_eq!(p.kind, PageType::Page);
    // Friendica link posts: the link is `url`, not an attachment.
    assert_eq!(
        p.url,
        Some(u("https://www.nasaspaceflight.com/2022/03/us-eva-80/"))
    );
    assert_eq!(p.link(), None);
}

#[test]
fn friendica_page_2() {
    let p = expect_variant!(object("friendica/objects/page_2.json"), O::Page);
    assert_eq!(p.kind, PageType::Article);
}

#[test]
fn friendica_person_1() {
    let p = expect_variant!(object("friendica/objects/person_1.json"), O::Person);
    assert_eq!(p.manually_approves_followers, Some(true));
    assert_eq!(p.attachment.len(), 6);
    assert!(p
        .attachment
        .iter()
        .all(|a| a.kind == AttachmentType::PropertyValue));
}

#[test]
fn friendica_person_2() {
    let p = expect_variant!(object("friendica/objects/person_2.json"), O::Person);
    assert_eq!(p.kind, PersonType::Organization);
    assert_eq!(p.preferred_username, "informapirata");
}

#[test]
fn mastodon_create_note() {
    let a = expect_variant!(inbox("mastodon/activities/create_note.json"), A::CreateNote);
    assert_eq!(
        a.object.in_reply_to,
        u("https://mamot.fr/users/retiolus/statuses/107224244380204526")
    );
    assert_eq!(a.object.summary, None);
    assert!(a.object.source.is_none());
    assert!(a.published.is_some());
}

#[test]
fn mastodon_delete() {
    let a = expect_variant!(inbox("mastodon/activities/delete.json"), A::Delete);
    assert_eq!(a.object.kind.as_deref(), Some("Tombstone"));
    assert_eq!(
        a.object.id,
        u("https://mastodon.madrid/users/felix/statuses/107773559874184870")
    );
}

#[test]
fn mastodon_flag() {
    let a = expect_variant!(inbox("mastodon/activities/flag.json"), A::Flag);
    assert_eq!(a.object.0.len(), 3);
    assert_eq!(a.to.0, vec![u("https://example.com/users/1")]);
    assert_eq!(
        a.reason(),
        Some("Please take a look at this user and their posts")
    );
}

#[test]
fn mastodon_follow() {
    let a = expect_variant!(inbox("mastodon/activities/follow.json"), A::Follow);
    assert_eq!(a.object, u("https://ds9.lemmy.ml/c/testcom"));
    assert!(a.to.is_empty());
}

#[test]
fn mastodon_like_page() {
    let a = expect_variant!(
        inbox("mastodon/activities/like_page.json"),
        A::LikeOrDislike
    );
    assert_eq!(a.object, u("https://ds9.lemmy.ml/post/147"));
}

#[test]
fn mastodon_private_message() {
    // A bare Note (not an activity), addressed to one person only.
    assert_ignored(
        &inbox("mastodon/activities/private_message.json"),
        "Note",
        IgnoreReason::NotAnActivity,
    );
    let o = object("mastodon/activities/private_message.json");
    assert!(
        matches!(
            o,
            O::Unsupported {
                reason: IgnoreReason::PrivateMessage,
                ..
            }
        ),
        "{o:?}"
    );
}

#[test]
fn mastodon_undo_follow() {
    let a = expect_variant!(inbox("mastodon/activities/undo_follow.json"), A::UndoFollow);
    assert_eq!(
        a.object.id,
        u("https://masto.asonix.dog/1ea87517-63c5-4118-8831-460ee641b2cf")
    );
}

#[test]
fn mastodon_undo_like_page() {
    let a = expect_variant!(
        inbox("mastodon/activities/undo_like_page.json"),
        A::UndoLikeOrDislike
    );
    assert_eq!(a.object.kind, LikeType::Like);
}

#[test]
fn mastodon_featured() {
    let c = expect_variant!(object("mastodon/collections/featured.json"), O::Collection);
    assert_eq!(c.kind, CollectionType::OrderedCollection);
    let item = O::from_value(&c.all_items()[0]).expect("featured note");
    let p = expect_variant!(item, O::Page);
    assert_eq!(p.kind, PageType::Note);
    assert_eq!(p.tag.len(), 3);
}

#[test]
fn mastodon_note_1() {
    let n = expect_variant!(object("mastodon/objects/note_1.json"), O::Note);
    assert_eq!(
        n.url,
        Some(u("https://mastodon.madrid/@felix/107224289116410645"))
    );
}

#[test]
fn mastodon_note_2() {
    let n = expect_variant!(object("mastodon/objects/note_2.json"), O::Note);
    assert_eq!(n.attachment.len(), 1);
    assert_eq!(n.attachment.0[0].kind, AttachmentType::Document);
    assert!(n.attachment.0[0].target().is_some());
}

#[test]
fn mastodon_page() {
    let p = expect_variant!(object("mastodon/objects/page.json"), O::Page);
    assert_eq!(p.kind, PageType::Note);
    assert!(p
        .content
        .as_deref()
        .is_some_and(|c| c.contains("Variable never resetting")));
}

#[test]
fn mastodon_person() {
    let p = expect_variant!(object("mastodon/objects/person.json"), O::Person);
    assert_eq!(p.summary.as_deref(), Some(""));
    assert_eq!(p.discoverable, Some(false));
    assert!(p.icon.is_some());
}

#[test]
fn mobilizon_event_is_unsupported() {
    let o = object("mobilizon/objects/event.json");
    assert!(
        matches!(&o, O::Unsupported { kind, reason: IgnoreReason::UnsupportedObject, .. } if kind == "Event"),
        "{o:?}"
    );
    assert_ignored(
        &inbox("mobilizon/objects/event.json"),
        "Event",
        IgnoreReason::NotAnActivity,
    );
}

#[test]
fn mobilizon_group() {
    let g = expect_variant!(object("mobilizon/objects/group.json"), O::Group);
    assert_eq!(g.attributed_to, None);
    assert_eq!(g.icon.as_ref().and_then(|i| i.media_type.as_ref()), None);
    assert!(g.public_key.public_key_pem.contains("BEGIN RSA PUBLIC KEY"));
    assert_eq!(g.shared_inbox_or_inbox(), &u("https://mobilizon.fr/inbox"));
}

#[test]
fn mobilizon_person() {
    let p = expect_variant!(object("mobilizon/objects/person.json"), O::Person);
    assert_eq!(p.preferred_username, "sanof44");
    assert_eq!(p.summary.as_deref(), Some(""));
}

#[test]
fn pleroma_create_note() {
    let a = expect_variant!(inbox("pleroma/activities/create_note.json"), A::CreateNote);
    let source = a.object.source.expect("string source");
    assert_eq!(source.content, "@lanodan@ds9.lemmy.ml test");
    assert_eq!(source.media_type, None);
}

#[test]
fn pleroma_delete() {
    let a = expect_variant!(inbox("pleroma/activities/delete.json"), A::Delete);
    assert_eq!(
        a.object.id,
        u("https://greenish.red/objects/38e2b983-ebf5-4387-9bc2-3b80305469c9")
    );
}

#[test]
fn pleroma_follow() {
    let a = expect_variant!(inbox("pleroma/activities/follow.json"), A::Follow);
    assert_eq!(a.object, u("https://lemmy.ca/u/kinetix"));
}

#[test]
fn pleroma_chat_message() {
    assert_ignored(
        &inbox("pleroma/objects/chat_message.json"),
        "ChatMessage",
        IgnoreReason::NotAnActivity,
    );
    let o = object("pleroma/objects/chat_message.json");
    assert!(
        matches!(
            o,
            O::Unsupported {
                reason: IgnoreReason::PrivateMessage,
                ..
            }
        ),
        "{o:?}"
    );
}

#[test]
fn pleroma_note() {
    let n = expect_variant!(object("pleroma/objects/note.json"), O::Note);
    assert_eq!(n.in_reply_to, u("https://enterprise.lemmy.ml/post/55143"));
    // Pleroma quirk: `"sensitive": null`.
    assert_eq!(n.sensitive, None);
    assert_eq!(
        n.source.map(|s| s.content).as_deref(),
        Some("@popolon@pleroma.popolon.org Have what?")
    );
}

#[test]
fn pleroma_person() {
    let p = expect_variant!(object("pleroma/objects/person.json"), O::Person);
    assert_eq!(
        p.featured,
        Some(u(
            "https://queer.hacktivis.me/users/lanodan/collections/featured"
        ))
    );
    assert_eq!(
        p.shared_inbox_or_inbox(),
        &u("https://queer.hacktivis.me/inbox")
    );
}

//! One parse test per Lemmy object and collection fixture (`lemmy/objects/**`, `lemmy/collections/**`).

use super::support::{assert_ignored, expect_variant, inbox, object, u};
use crate::federation::protocol::objects::{
    ApObject as O, CollectionType, InstanceType, Page, PageType, PersonType,
};
use crate::federation::protocol::values::{AttachmentType, TagType};
use crate::federation::protocol::{IgnoreReason, InboxActivity};

#[test]
fn group_featured_posts() {
    let c = expect_variant!(
        object("lemmy/collections/group_featured_posts.json"),
        O::Collection
    );
    assert_eq!(c.kind, CollectionType::OrderedCollection);
    assert_eq!(c.total_items, Some(2));
    let posts: Vec<Page> = c.items_as().expect("featured items are pages");
    assert_eq!(posts[0].id, u("https://ds9.lemmy.ml/post/2"));
    assert!(posts[0].attachment.is_empty());
}

#[test]
fn group_followers() {
    let c = expect_variant!(
        object("lemmy/collections/group_followers.json"),
        O::Collection
    );
    assert_eq!(c.kind, CollectionType::Collection);
    assert_eq!(c.total_items, Some(3));
    assert!(c.all_items().is_empty());
}

#[test]
fn group_moderators() {
    let c = expect_variant!(
        object("lemmy/collections/group_moderators.json"),
        O::Collection
    );
    assert_eq!(c.total_items, None);
    let mods: Vec<url::Url> = c.items_as().expect("moderators are URLs");
    assert_eq!(mods, vec![u("https://enterprise.lemmy.ml/u/picard")]);
}

#[test]
fn group_outbox() {
    let c = expect_variant!(object("lemmy/collections/group_outbox.json"), O::Collection);
    assert_eq!(c.all_items().len(), 2);
    for item in c.all_items() {
        let a = InboxActivity::from_value(item).expect("outbox items are activities");
        assert!(matches!(a, InboxActivity::Announce(_)), "{a:?}");
    }
}

#[test]
fn person_outbox() {
    let c = expect_variant!(
        object("lemmy/collections/person_outbox.json"),
        O::Collection
    );
    assert_eq!(c.total_items, Some(0));
    assert_eq!(c.id, u("http://ds9.lemmy.ml/u/lemmy_alpha/outbox"));
}

#[test]
fn comment() {
    let n = expect_variant!(object("lemmy/objects/comment.json"), O::Note);
    assert_eq!(n.in_reply_to, u("https://enterprise.lemmy.ml/post/55143"));
    assert_eq!(n.distinguished, Some(false));
    assert_eq!(n.tag.len(), 2);
    assert!(n.tag.iter().all(|t| t.kind == TagType::Mention));
    assert_eq!(
        n.language.as_ref().map(|l| l.name.as_str()),
        Some("Français")
    );
}

#[test]
fn group() {
    let g = expect_variant!(object("lemmy/objects/group.json"), O::Group);
    assert_eq!(g.preferred_username, "tenforward");
    assert_eq!(
        g.moderators_collection(),
        Some(&u("https://enterprise.lemmy.ml/c/tenforward/moderators"))
    );
    // Quirk: double slash in Lemmy's featured URL.
    assert_eq!(
        g.featured,
        Some(u("https://enterprise.lemmy.ml/c/tenforward//featured"))
    );
    assert_eq!(
        g.shared_inbox_or_inbox(),
        &u("https://enterprise.lemmy.ml/inbox")
    );
    assert!(g.icon.is_some() && g.image.is_some());
    assert_eq!(g.stakeholder_classes, None);
}

#[test]
fn instance() {
    let i = expect_variant!(object("lemmy/objects/instance.json"), O::Instance);
    assert_eq!(i.kind, InstanceType::Application);
    assert_eq!(i.id, u("https://enterprise.lemmy.ml/"));
    assert_eq!(i.preferred_username.as_deref(), Some("enterprise.lemmy.ml"));
    assert_eq!(i.language.len(), 2);
}

#[test]
fn page() {
    let p = expect_variant!(object("lemmy/objects/page.json"), O::Page);
    assert_eq!(p.kind, PageType::Page);
    assert_eq!(p.name.as_deref(), Some("Post title"));
    assert_eq!(
        p.attributed_to.primary(),
        Some(&u("https://enterprise.lemmy.ml/u/picard"))
    );
    assert_eq!(p.tag.len(), 2);
    assert_eq!(
        p.tag.first().map(|t| &t.kind),
        Some(&TagType::Other("CommunityPostTag".to_owned()))
    );
}

#[test]
fn page_image_and_link() {
    let p = expect_variant!(object("lemmy/objects/page_image_and_link.json"), O::Page);
    assert_eq!(p.attachment.len(), 2);
    assert_eq!(p.attachment.0[0].kind, AttachmentType::Image);
    assert_eq!(p.link(), Some(&u("https://example.com/some-article")));
}

#[test]
fn person() {
    let p = expect_variant!(object("lemmy/objects/person.json"), O::Person);
    assert_eq!(p.kind, PersonType::Person);
    assert_eq!(p.preferred_username, "picard");
    assert_eq!(p.matrix_user_id.as_deref(), Some("@picard:matrix.org"));
    assert_eq!(
        p.public_key.owner,
        u("https://enterprise.lemmy.ml/u/picard")
    );
}

#[test]
fn private_message() {
    let o = object("lemmy/objects/private_message.json");
    assert!(
        matches!(&o, O::Unsupported { kind, reason: IgnoreReason::PrivateMessage, .. } if kind == "Note"),
        "{o:?}"
    );
    assert_ignored(
        &inbox("lemmy/objects/private_message.json"),
        "Note",
        IgnoreReason::NotAnActivity,
    );
}

#[test]
fn tombstone() {
    let t = expect_variant!(object("lemmy/objects/tombstone.json"), O::Tombstone);
    assert_eq!(t.id, u("https://lemmy.ml/comment/110273"));
}

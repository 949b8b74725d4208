//! One parse test per Lemmy activity fixture (`lemmy/activities/**`).

use super::support::{assert_ignored, expect_variant, inbox, u};
use crate::federation::protocol::activities::{Announced, CollectionChangeType, LikeType};
use crate::federation::protocol::objects::PageType;
use crate::federation::protocol::values::{is_public, MediaType};
use crate::federation::protocol::{IgnoreReason, InboxActivity as A};

const DIR: &str = "lemmy/activities";

fn lemmy(path: &str) -> A {
    inbox(&format!("{DIR}/{path}"))
}

#[test]
fn block_user() {
    let a = expect_variant!(lemmy("block/block_user.json"), A::Block);
    assert_eq!(a.object, u("http://ds9.lemmy.ml/u/lemmy_alpha"));
    assert_eq!(a.target, Some(u("http://enterprise.lemmy.ml/c/main")));
    assert_eq!(a.remove_data, Some(true));
    assert_eq!(a.summary.as_deref(), Some("spam post"));
    assert!(a.end_time.is_some());
}

#[test]
fn undo_block_user() {
    let a = expect_variant!(lemmy("block/undo_block_user.json"), A::UndoBlock);
    assert_eq!(a.actor, u("http://enterprise.lemmy.ml/u/lemmy_beta"));
    assert_eq!(a.object.object, u("http://ds9.lemmy.ml/u/lemmy_alpha"));
}

#[test]
fn add_featured_post() {
    let a = expect_variant!(lemmy("community/add_featured_post.json"), A::Add);
    assert_eq!(a.kind, CollectionChangeType::Add);
    assert_eq!(a.object, u("https://ds9.lemmy.ml/post/2"));
    assert_eq!(a.target, Some(u("https://ds9.lemmy.ml/c/main/featured")));
}

#[test]
fn add_mod() {
    let a = expect_variant!(lemmy("community/add_mod.json"), A::Add);
    assert_eq!(a.object, u("http://ds9.lemmy.ml/u/lemmy_alpha"));
    assert_eq!(
        a.target,
        Some(u("http://enterprise.lemmy.ml/c/main/moderators"))
    );
}

#[test]
fn announce_create_page() {
    let a = expect_variant!(lemmy("community/announce_create_page.json"), A::Announce);
    assert_eq!(a.actor, u("http://enterprise.lemmy.ml/c/main"));
    assert_eq!(
        a.cc.0,
        vec![u("http://enterprise.lemmy.ml/c/main/followers")]
    );
    let inner = expect_variant!(a.object, Announced::Activity);
    let create = expect_variant!(*inner, A::CreatePage);
    assert_eq!(create.actor, u("http://enterprise.lemmy.ml/u/lemmy_beta"));
    assert_eq!(create.object.id, u("http://enterprise.lemmy.ml/post/7"));
    assert_eq!(create.object.name.as_deref(), Some("post 4"));
    assert_eq!(create.object.comments_enabled, Some(true));
    assert_eq!(create.object.stickied, Some(false));
    assert!(create.object.content.is_none());
}

#[test]
fn lock_note() {
    let a = expect_variant!(lemmy("community/lock_note.json"), A::Lock);
    assert_eq!(a.object, u("https://lemmy-alpha/comment/1"));
    assert_eq!(a.summary.as_deref(), Some("A reason for a lock"));
}

#[test]
fn lock_page() {
    let a = expect_variant!(lemmy("community/lock_page.json"), A::Lock);
    assert_eq!(a.object, u("http://lemmy-alpha:8541/post/2"));
    assert_eq!(a.audience, Some(u("http://lemmy-alpha:8541/c/main")));
}

#[test]
fn remove_featured_post() {
    let a = expect_variant!(lemmy("community/remove_featured_post.json"), A::Remove);
    assert_eq!(a.kind, CollectionChangeType::Remove);
    assert_eq!(a.target, Some(u("https://ds9.lemmy.ml/c/main/featured")));
}

#[test]
fn remove_mod() {
    let a = expect_variant!(lemmy("community/remove_mod.json"), A::Remove);
    assert_eq!(a.object, u("http://ds9.lemmy.ml/u/lemmy_alpha"));
    assert_eq!(
        a.target,
        Some(u("http://enterprise.lemmy.ml/c/main/moderators"))
    );
}

#[test]
fn report_page() {
    let a = expect_variant!(lemmy("community/report_page.json"), A::Flag);
    assert_eq!(a.object.0.len(), 1);
    assert!(a.object.contains(&u("http://enterprise.lemmy.ml/post/7")));
    assert_eq!(a.reason(), Some("report this post"));
    assert_eq!(a.to.0, vec![u("http://enterprise.lemmy.ml/c/main")]);
}

#[test]
fn resolve_report_page_is_ignored() {
    let a = lemmy("community/resolve_report_page.json");
    assert_ignored(&a, "Resolve", IgnoreReason::UnsupportedActivity);
    assert_eq!(
        a.id(),
        Some(&u(
            "http://ds9.lemmy.ml/activities/flag/4323412-5e45-4a95-a15f-e0dc86361ba4"
        ))
    );
}

#[test]
fn undo_lock_note() {
    let a = expect_variant!(lemmy("community/undo_lock_note.json"), A::UndoLock);
    assert_eq!(a.object.object, u("https://lemmy-alpha/comment/1"));
    assert_eq!(a.summary.as_deref(), Some("A reason for an unlock."));
}

#[test]
fn undo_lock_page() {
    let a = expect_variant!(lemmy("community/undo_lock_page.json"), A::UndoLock);
    assert_eq!(a.object.object, u("http://lemmy-alpha:8541/post/2"));
}

#[test]
fn update_community() {
    let a = expect_variant!(lemmy("community/update_community.json"), A::UpdateGroup);
    assert_eq!(a.actor, u("http://ds9.lemmy.ml/u/lemmy_alpha"));
    let g = a.object;
    assert_eq!(g.id, u("http://enterprise.lemmy.ml/c/main"));
    assert_eq!(g.name.as_deref(), Some("The Updated Community"));
    assert!(g.source.as_ref().is_some_and(|s| s.is_markdown()));
    assert_eq!(g.language.len(), 2);
    assert_eq!(g.join_policy, None);
    assert_eq!(g.posting_restricted_to_mods, Some(false));
}

#[test]
fn warn_is_ignored() {
    assert_ignored(
        &lemmy("community/warn.json"),
        "Warn",
        IgnoreReason::UnsupportedActivity,
    );
}

#[test]
fn create_comment() {
    let a = expect_variant!(lemmy("create_or_update/create_comment.json"), A::CreateNote);
    assert_eq!(a.object.in_reply_to, u("http://ds9.lemmy.ml/post/1"));
    assert_eq!(a.object.content.as_deref(), Some("hello"));
    assert_eq!(a.object.media_type, Some(MediaType::Html));
    assert_eq!(a.tag.len(), 1);
    assert_eq!(
        a.object.audience,
        Some(u("https://enterprise.lemmy.ml/c/main"))
    );
}

#[test]
fn create_page() {
    let a = expect_variant!(lemmy("create_or_update/create_page.json"), A::CreatePage);
    let p = a.object;
    assert_eq!(p.kind, PageType::Page);
    assert_eq!(p.name.as_deref(), Some("test post"));
    assert_eq!(
        p.link(),
        Some(&u("https://lemmy.ml/pictrs/image/xl8W7FZfk9.jpg"))
    );
    assert_eq!(p.language.map(|l| l.identifier), Some("ko".to_owned()));
    assert!(p.to.iter().any(is_public));
}

#[test]
fn create_private_message_is_ignored() {
    assert_ignored(
        &lemmy("create_or_update/create_private_message.json"),
        "Create{Note}",
        IgnoreReason::PrivateMessage,
    );
}

#[test]
fn create_private_message_0_19_is_ignored() {
    assert_ignored(
        &lemmy("create_or_update/create_private_message_0.19.json"),
        "Create{ChatMessage}",
        IgnoreReason::PrivateMessage,
    );
}

#[test]
fn update_page() {
    let a = expect_variant!(lemmy("create_or_update/update_page.json"), A::UpdatePage);
    assert_eq!(a.object.name.as_deref(), Some("test post 1"));
    assert!(a.object.updated.is_some());
}

#[test]
fn delete_page() {
    let a = expect_variant!(lemmy("deletion/delete_page.json"), A::Delete);
    assert_eq!(a.object.id, u("http://ds9.lemmy.ml/post/1"));
    assert_eq!(a.object.kind, None);
    assert_eq!(a.summary, None);
}

#[test]
fn delete_private_message() {
    // A bare id: indistinguishable from any delete; the handler finds no post.
    let a = expect_variant!(lemmy("deletion/delete_private_message.json"), A::Delete);
    assert_eq!(
        a.object.id,
        u("http://enterprise.lemmy.ml/private_message/1")
    );
}

#[test]
fn delete_user() {
    let a = expect_variant!(lemmy("deletion/delete_user.json"), A::Delete);
    assert_eq!(a.object.id, a.actor);
    assert_eq!(a.remove_data, Some(true));
}

#[test]
fn remove_note() {
    let a = expect_variant!(lemmy("deletion/remove_note.json"), A::Delete);
    assert_eq!(a.object.id, u("http://ds9.lemmy.ml/comment/1"));
    assert_eq!(a.summary.as_deref(), Some("bad comment"));
}

#[test]
fn undo_delete_page() {
    let a = expect_variant!(lemmy("deletion/undo_delete_page.json"), A::UndoDelete);
    assert_eq!(a.object.object.id, u("http://ds9.lemmy.ml/post/1"));
}

#[test]
fn undo_delete_private_message() {
    let a = expect_variant!(
        lemmy("deletion/undo_delete_private_message.json"),
        A::UndoDelete
    );
    assert_eq!(a.to.0, vec![u("http://ds9.lemmy.ml/u/lemmy_alpha")]);
}

#[test]
fn undo_remove_note() {
    let a = expect_variant!(lemmy("deletion/undo_remove_note.json"), A::UndoDelete);
    assert_eq!(a.object.summary.as_deref(), Some("bad comment"));
}

#[test]
fn accept_follow() {
    let a = expect_variant!(lemmy("following/accept.json"), A::AcceptFollow);
    assert_eq!(a.actor, u("http://enterprise.lemmy.ml/c/main"));
    let follow = a.object.object().expect("embedded follow");
    assert_eq!(follow.actor, u("http://ds9.lemmy.ml/u/lemmy_alpha"));
    assert_eq!(
        a.object.id(),
        &u("http://ds9.lemmy.ml/activities/follow/6abcd50b-b8ca-4952-86b0-a6dd8cc12866")
    );
}

#[test]
fn follow() {
    let a = expect_variant!(lemmy("following/follow.json"), A::Follow);
    assert_eq!(a.object, u("http://enterprise.lemmy.ml/c/main"));
    assert_eq!(a.actor, u("http://ds9.lemmy.ml/u/lemmy_alpha"));
}

#[test]
fn undo_follow() {
    let a = expect_variant!(lemmy("following/undo_follow.json"), A::UndoFollow);
    assert_eq!(a.object.object, u("http://enterprise.lemmy.ml/c/main"));
}

#[test]
fn dislike_page() {
    let a = expect_variant!(lemmy("voting/dislike_page.json"), A::LikeOrDislike);
    assert_eq!(a.kind, LikeType::Dislike);
    assert_eq!(a.object, u("http://ds9.lemmy.ml/post/1"));
}

#[test]
fn like_note() {
    let a = expect_variant!(lemmy("voting/like_note.json"), A::LikeOrDislike);
    assert_eq!(a.kind, LikeType::Like);
    assert_eq!(a.object, u("http://ds9.lemmy.ml/comment/1"));
    assert!(a.to.is_empty());
}

#[test]
fn undo_dislike_page() {
    let a = expect_variant!(lemmy("voting/undo_dislike_page.json"), A::UndoLikeOrDislike);
    // Lemmy quirk: the undone activity is typed `Like` even for a dislike.
    assert_eq!(a.object.kind, LikeType::Like);
    assert_eq!(a.object.object, u("http://ds9.lemmy.ml/post/1"));
}

#[test]
fn undo_like_note() {
    let a = expect_variant!(lemmy("voting/undo_like_note.json"), A::UndoLikeOrDislike);
    assert_eq!(a.object.object, u("http://ds9.lemmy.ml/comment/1"));
}

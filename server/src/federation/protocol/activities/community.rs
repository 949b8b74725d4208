//! Moderation of a community's structure: `Lock`/`Undo{Lock}` (close a post or comment thread), `Add`/`Remove` on the moderators and featured collections, and `Update{Group}`.

use serde::{Deserialize, Serialize};
use url::Url;

use crate::federation::protocol::activities::following::Undo;
use crate::federation::protocol::lenient::{opt_url_ref, url_ref};
use crate::federation::protocol::values::{impl_has_id, public, HasId, OneOrMany};

pub use crate::federation::protocol::activities::create_or_update::UpdateGroup;

/// `type` of a lock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LockType {
    /// `Lock`.
    Lock,
}

/// A moderator closes `object` (a post, or a comment thread) to new comments.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Lock {
    /// `Lock`.
    #[serde(rename = "type")]
    pub kind: LockType,
    /// Activity id (Lemmy sometimes sends none on the `Undo`, never here).
    pub id: Url,
    /// The moderator.
    #[serde(deserialize_with = "url_ref")]
    pub actor: Url,
    /// The post or comment.
    #[serde(deserialize_with = "url_ref")]
    pub object: Url,
    /// Addressees.
    #[serde(default, skip_serializing_if = "OneOrMany::is_empty")]
    pub to: OneOrMany<Url>,
    /// Secondary addressees.
    #[serde(default, skip_serializing_if = "OneOrMany::is_empty")]
    pub cc: OneOrMany<Url>,
    /// The community (FEP-1b12).
    #[serde(
        default,
        deserialize_with = "opt_url_ref",
        skip_serializing_if = "Option::is_none"
    )]
    pub audience: Option<Url>,
    /// Reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
}

impl_has_id!(Lock);

impl Lock {
    /// `moderator` locks `object` in `community`.
    pub fn new(id: Url, moderator: Url, object: Url, community: Url) -> Self {
        Self {
            kind: LockType::Lock,
            id,
            actor: moderator,
            object,
            to: vec![community.clone(), public()].into(),
            cc: OneOrMany::default(),
            audience: Some(community),
            summary: None,
        }
    }
}

/// A lock lifted.
pub type UndoLock = Undo<Lock>;

/// `type` of a collection change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CollectionChangeType {
    /// `Add`.
    Add,
    /// `Remove`.
    Remove,
}

/// `actor` adds `object` to, or removes it from, the collection `target`:
/// a person to/from the moderators collection, a post to/from the featured
/// collection. Tell which by comparing `target` with the community's
/// `attributedTo`/`featured` URLs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CollectionChange {
    /// `Add` or `Remove`.
    #[serde(rename = "type")]
    pub kind: CollectionChangeType,
    /// Activity id.
    pub id: Url,
    /// The moderator.
    #[serde(deserialize_with = "url_ref")]
    pub actor: Url,
    /// The person or post.
    #[serde(deserialize_with = "url_ref")]
    pub object: Url,
    /// The collection (we always send it).
    #[serde(
        default,
        deserialize_with = "opt_url_ref",
        skip_serializing_if = "Option::is_none"
    )]
    pub target: Option<Url>,
    /// Addressees.
    #[serde(default, skip_serializing_if = "OneOrMany::is_empty")]
    pub to: OneOrMany<Url>,
    /// Secondary addressees.
    #[serde(default, skip_serializing_if = "OneOrMany::is_empty")]
    pub cc: OneOrMany<Url>,
    /// The community (FEP-1b12).
    #[serde(
        default,
        deserialize_with = "opt_url_ref",
        skip_serializing_if = "Option::is_none"
    )]
    pub audience: Option<Url>,
}

impl_has_id!(CollectionChange);

impl CollectionChange {
    /// `moderator` adds or removes `object` to/from `target` in `community`.
    pub fn new(
        kind: CollectionChangeType,
        id: Url,
        moderator: Url,
        object: Url,
        target: Url,
        community: Url,
    ) -> Self {
        Self {
            kind,
            id,
            actor: moderator,
            object,
            target: Some(target),
            to: OneOrMany::one(public()),
            cc: OneOrMany::one(community.clone()),
            audience: Some(community),
        }
    }
}

//! `Like`/`Dislike` (up- and down-votes on posts and comments) and their `Undo`. Governance votes are `Vote` notes, not these.

use serde::{Deserialize, Serialize};
use url::Url;

use crate::federation::protocol::activities::following::Undo;
use crate::federation::protocol::lenient::{opt_url_ref, url_ref};
use crate::federation::protocol::values::{impl_has_id, HasId, OneOrMany};

/// `type` of a reaction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LikeType {
    /// Up-vote.
    Like,
    /// Down-vote.
    Dislike,
}

/// `actor` up- or down-votes `object`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LikeOrDislike {
    /// `Like` or `Dislike`.
    #[serde(rename = "type")]
    pub kind: LikeType,
    /// Activity id.
    pub id: Url,
    /// The voter.
    #[serde(deserialize_with = "url_ref")]
    pub actor: Url,
    /// The post or comment.
    #[serde(deserialize_with = "url_ref")]
    pub object: Url,
    /// Addressees (Lemmy sends none).
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

impl_has_id!(LikeOrDislike);

impl LikeOrDislike {
    /// `actor` likes or dislikes `object` in `community`.
    pub fn new(kind: LikeType, id: Url, actor: Url, object: Url, community: Url) -> Self {
        Self {
            kind,
            id,
            actor,
            object,
            to: OneOrMany::default(),
            cc: OneOrMany::default(),
            audience: Some(community),
        }
    }
}

/// A vote taken back. Note: Lemmy embeds a `Like` even when undoing a
/// dislike (`lemmy/activities/voting/undo_dislike_page.json`).
pub type UndoLikeOrDislike = Undo<LikeOrDislike>;

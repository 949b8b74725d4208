//! `Block`: a ban of a person from a community (`target` = the community) or from a whole instance (Lemmy's shape), and `Undo{Block}`.

use serde::{Deserialize, Serialize};
use url::Url;

use crate::federation::protocol::activities::following::Undo;
use crate::federation::protocol::lenient::{opt_url_ref, url_ref};
use crate::federation::protocol::values::{impl_has_id, public, HasId, OneOrMany, Timestamp};

/// `type` of a ban.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BlockType {
    /// `Block`.
    Block,
}

/// A moderator or admin bans `object` from `target`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Block {
    /// `Block`.
    #[serde(rename = "type")]
    pub kind: BlockType,
    /// Activity id.
    pub id: Url,
    /// The moderator or admin.
    #[serde(deserialize_with = "url_ref")]
    pub actor: Url,
    /// The banned person.
    #[serde(deserialize_with = "url_ref")]
    pub object: Url,
    /// The community, or the instance actor for a site ban.
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
    /// The community (FEP-1b12). Lemmy's fixtures put a `/u/` URL here:
    /// trust `target`.
    #[serde(
        default,
        deserialize_with = "opt_url_ref",
        skip_serializing_if = "Option::is_none"
    )]
    pub audience: Option<Url>,
    /// Reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Also remove the person's content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remove_data: Option<bool>,
    /// When the ban ends (none: permanent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<Timestamp>,
}

impl_has_id!(Block);

impl Block {
    /// `moderator` bans `person` from `community`.
    pub fn new(id: Url, moderator: Url, person: Url, community: Url) -> Self {
        Self {
            kind: BlockType::Block,
            id,
            actor: moderator,
            object: person,
            target: Some(community.clone()),
            to: OneOrMany::one(public()),
            cc: OneOrMany::one(community.clone()),
            audience: Some(community),
            summary: None,
            remove_data: None,
            end_time: None,
        }
    }
}

/// A ban lifted.
pub type UndoBlock = Undo<Block>;

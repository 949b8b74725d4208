//! `Join` (ask to become a member of a co-op community), `Leave`, and their answers `Accept{Join}`/`Reject{Join}`.

use serde::{Deserialize, Serialize};
use url::Url;

use crate::federation::protocol::activities::following::{Accept, Reject};
use crate::federation::protocol::lenient::url_ref;
use crate::federation::protocol::values::{impl_has_id, HasId, OneOrMany};

/// `type` of a join request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum JoinType {
    /// `Join`.
    Join,
}

/// `type` of a departure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LeaveType {
    /// `Leave`.
    Leave,
}

/// `actor` asks to become a member of the community `object`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Join {
    /// `Join`.
    #[serde(rename = "type")]
    pub kind: JoinType,
    /// Activity id (kept: the answer refers to it).
    pub id: Url,
    /// Who asks.
    #[serde(deserialize_with = "url_ref")]
    pub actor: Url,
    /// The community.
    #[serde(deserialize_with = "url_ref")]
    pub object: Url,
    /// Addressees (the community).
    #[serde(default, skip_serializing_if = "OneOrMany::is_empty")]
    pub to: OneOrMany<Url>,
    /// Secondary addressees.
    #[serde(default, skip_serializing_if = "OneOrMany::is_empty")]
    pub cc: OneOrMany<Url>,
    /// A note to the moderators.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// `coop:stakeholderClass`: the stakeholder class asked for (worker, user, …).
    #[serde(
        rename = "coop:stakeholderClass",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub class: Option<String>,
}

impl_has_id!(Join);

impl Join {
    /// `actor` asks to join `community`.
    pub fn new(id: Url, actor: Url, community: Url) -> Self {
        Self {
            kind: JoinType::Join,
            id,
            actor,
            to: OneOrMany::one(community.clone()),
            object: community,
            cc: OneOrMany::default(),
            summary: None,
            class: None,
        }
    }
}

/// `actor` stops being a member of the community `object`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Leave {
    /// `Leave`.
    #[serde(rename = "type")]
    pub kind: LeaveType,
    /// Activity id.
    pub id: Url,
    /// Who leaves.
    #[serde(deserialize_with = "url_ref")]
    pub actor: Url,
    /// The community.
    #[serde(deserialize_with = "url_ref")]
    pub object: Url,
    /// Addressees (the community).
    #[serde(default, skip_serializing_if = "OneOrMany::is_empty")]
    pub to: OneOrMany<Url>,
    /// Secondary addressees.
    #[serde(default, skip_serializing_if = "OneOrMany::is_empty")]
    pub cc: OneOrMany<Url>,
}

impl_has_id!(Leave);

impl Leave {
    /// `actor` leaves `community`.
    pub fn new(id: Url, actor: Url, community: Url) -> Self {
        Self {
            kind: LeaveType::Leave,
            id,
            actor,
            to: OneOrMany::one(community.clone()),
            object: community,
            cc: OneOrMany::default(),
        }
    }
}

/// The community admits the requester.
pub type AcceptJoin = Accept<Join>;
/// The community refuses the requester.
pub type RejectJoin = Reject<Join>;

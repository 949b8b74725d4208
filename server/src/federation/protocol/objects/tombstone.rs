//! `Tombstone`: what a deleted object's id serves (and what Mastodon and Friendica embed in `Delete`).

use serde::{Deserialize, Serialize};
use url::Url;

use crate::federation::protocol::values::{impl_has_id, HasId, Timestamp};

/// `type` of a tombstone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TombstoneType {
    /// `Tombstone`.
    Tombstone,
}

/// A deleted object.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tombstone {
    /// `Tombstone`.
    #[serde(rename = "type")]
    pub kind: TombstoneType,
    /// The deleted object's id.
    pub id: Url,
    /// What it was (`Page`, `Note`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub former_type: Option<String>,
    /// When it was deleted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted: Option<Timestamp>,
}

impl_has_id!(Tombstone);

impl Tombstone {
    /// A tombstone for `id`.
    pub fn new(id: Url) -> Self {
        Self {
            kind: TombstoneType::Tombstone,
            id,
            former_type: None,
            deleted: None,
        }
    }
}

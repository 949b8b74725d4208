//! `Delete` (by the author, or by a moderator with a `summary`, as Lemmy removes content), and `Undo{Delete}`/`Undo{Remove}` to restore.

use serde::{Deserialize, Serialize};
use url::Url;

use crate::federation::protocol::activities::community::CollectionChange;
use crate::federation::protocol::activities::following::Undo;
use crate::federation::protocol::lenient::{opt_url_ref, url_ref};
use crate::federation::protocol::values::{impl_has_id, HasId, ObjectRef, OneOrMany};

/// `type` of a deletion.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeleteType {
    /// `Delete`.
    Delete,
}

/// `actor` deletes `object`: a post, comment, proposal, or the actor itself
/// (account deletion, object = actor). The object arrives as a URL (Lemmy,
/// Pleroma) or embedded, usually as a `Tombstone` (Mastodon, Friendica); we
/// send the URL.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Delete {
    /// `Delete`.
    #[serde(rename = "type")]
    pub kind: DeleteType,
    /// Activity id.
    pub id: Url,
    /// Who deletes: the author, or a moderator (then `summary` is the reason).
    #[serde(deserialize_with = "url_ref")]
    pub actor: Url,
    /// What is deleted (its embedded `type`, if any, is kept).
    pub object: ObjectRef,
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
    /// A moderator's reason (its presence marks a removal in Lemmy).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Account deletion: also delete the account's content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remove_data: Option<bool>,
}

impl_has_id!(Delete);

impl Delete {
    /// `actor` deletes `object`.
    pub fn new(id: Url, actor: Url, object: Url, to: OneOrMany<Url>, cc: OneOrMany<Url>) -> Self {
        Self {
            kind: DeleteType::Delete,
            id,
            actor,
            object: ObjectRef::new(object),
            to,
            cc,
            audience: None,
            summary: None,
            remove_data: None,
        }
    }
}

/// A deletion or removal taken back.
pub type UndoDelete = Undo<Delete>;
/// A `Remove` taken back.
pub type UndoRemove = Undo<CollectionChange>;

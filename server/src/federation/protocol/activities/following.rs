//! `Follow` (subscribe to a community or person), `Accept`/`Reject` (generic over what they answer: `Follow` here, `Join` in membership), and `Undo` (generic over what it takes back).

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use url::Url;

use crate::federation::protocol::lenient::{opt_url_ref, url_ref};
use crate::federation::protocol::values::{impl_has_id, HasId, IdOrObject, OneOrMany};

/// `type` of a follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FollowType {
    /// `Follow`.
    Follow,
}

/// Subscribe `actor` to `object`'s posts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Follow {
    /// `Follow`.
    #[serde(rename = "type")]
    pub kind: FollowType,
    /// Activity id (kept: `Accept`/`Undo` refer to it).
    pub id: Url,
    /// Who follows.
    #[serde(deserialize_with = "url_ref")]
    pub actor: Url,
    /// Who is followed.
    #[serde(deserialize_with = "url_ref")]
    pub object: Url,
    /// Addressees (Mastodon sends none).
    #[serde(default, skip_serializing_if = "OneOrMany::is_empty")]
    pub to: OneOrMany<Url>,
    /// Secondary addressees.
    #[serde(default, skip_serializing_if = "OneOrMany::is_empty")]
    pub cc: OneOrMany<Url>,
}

impl_has_id!(Follow);

impl Follow {
    /// `actor` follows `object`, addressed to it.
    pub fn new(id: Url, actor: Url, object: Url) -> Self {
        Self {
            kind: FollowType::Follow,
            id,
            actor,
            to: OneOrMany::one(object.clone()),
            object,
            cc: OneOrMany::default(),
        }
    }
}

/// `type` of an acceptance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AcceptType {
    /// `Accept`.
    Accept,
}

/// `type` of a refusal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RejectType {
    /// `Reject`.
    Reject,
}

/// `actor` accepts the request `object` (a `Follow` or a `Join`). The
/// object may arrive as a bare id: look it up among pending requests.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", bound(deserialize = "T: DeserializeOwned"))]
pub struct Accept<T> {
    /// `Accept`.
    #[serde(rename = "type")]
    pub kind: AcceptType,
    /// Activity id.
    pub id: Url,
    /// Who accepts (the followed community or person).
    #[serde(deserialize_with = "url_ref")]
    pub actor: Url,
    /// The accepted request; we always embed it.
    pub object: IdOrObject<T>,
    /// Addressees (the requester).
    #[serde(default, skip_serializing_if = "OneOrMany::is_empty")]
    pub to: OneOrMany<Url>,
    /// Secondary addressees.
    #[serde(default, skip_serializing_if = "OneOrMany::is_empty")]
    pub cc: OneOrMany<Url>,
}

impl<T> HasId for Accept<T> {
    fn id(&self) -> &Url {
        &self.id
    }
}

impl<T> Accept<T> {
    /// `actor` accepts `request`, sent by `requester`.
    pub fn new(id: Url, actor: Url, request: T, requester: Url) -> Self {
        Self {
            kind: AcceptType::Accept,
            id,
            actor,
            object: IdOrObject::Object(Box::new(request)),
            to: OneOrMany::one(requester),
            cc: OneOrMany::default(),
        }
    }
}

/// `actor` refuses the request `object` (a `Follow` or a `Join`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", bound(deserialize = "T: DeserializeOwned"))]
pub struct Reject<T> {
    /// `Reject`.
    #[serde(rename = "type")]
    pub kind: RejectType,
    /// Activity id.
    pub id: Url,
    /// Who refuses.
    #[serde(deserialize_with = "url_ref")]
    pub actor: Url,
    /// The refused request; we always embed it.
    pub object: IdOrObject<T>,
    /// Addressees (the requester).
    #[serde(default, skip_serializing_if = "OneOrMany::is_empty")]
    pub to: OneOrMany<Url>,
    /// Secondary addressees.
    #[serde(default, skip_serializing_if = "OneOrMany::is_empty")]
    pub cc: OneOrMany<Url>,
    /// Why (optional, shown to the requester).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
}

impl<T> HasId for Reject<T> {
    fn id(&self) -> &Url {
        &self.id
    }
}

impl<T> Reject<T> {
    /// `actor` refuses `request`, sent by `requester`.
    pub fn new(id: Url, actor: Url, request: T, requester: Url) -> Self {
        Self {
            kind: RejectType::Reject,
            id,
            actor,
            object: IdOrObject::Object(Box::new(request)),
            to: OneOrMany::one(requester),
            cc: OneOrMany::default(),
            summary: None,
        }
    }
}

/// `type` of an undo.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum UndoType {
    /// `Undo`.
    Undo,
}

/// `actor` takes back `object` (a `Follow`, `Like`, `Delete`, `Remove`,
/// `Block`, `Lock`, …), which is always embedded.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Undo<T> {
    /// `Undo`.
    #[serde(rename = "type")]
    pub kind: UndoType,
    /// Activity id.
    pub id: Url,
    /// Who undoes (should be the original's actor).
    #[serde(deserialize_with = "url_ref")]
    pub actor: Url,
    /// The activity taken back.
    pub object: T,
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
    /// Reason (Lemmy sends one for unlocks and restores).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
}

impl<T> HasId for Undo<T> {
    fn id(&self) -> &Url {
        &self.id
    }
}

impl<T> Undo<T> {
    /// `actor` undoes `object`, addressed like the original.
    pub fn new(id: Url, actor: Url, object: T, to: OneOrMany<Url>, cc: OneOrMany<Url>) -> Self {
        Self {
            kind: UndoType::Undo,
            id,
            actor,
            object,
            to,
            cc,
            audience: None,
            summary: None,
        }
    }
}

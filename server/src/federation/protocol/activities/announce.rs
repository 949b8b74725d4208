//! `Announce`: a community forwarding an activity to its followers (FEP-1b12: `Announce{Create{Page}}`, `Announce{Like}`, …), or a post by URL or embedded (Mastodon-style `Announce{Page}`, boosts).

use serde::{Deserialize, Serialize};
use url::Url;

use crate::federation::protocol::inbox::InboxActivity;
use crate::federation::protocol::lenient::{opt_url_ref, url_ref};
use crate::federation::protocol::objects::ApObject;
use crate::federation::protocol::values::{public, HasId, OneOrMany, Timestamp};

/// `type` of an announce.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AnnounceType {
    /// `Announce`.
    Announce,
}

/// `actor` (a community, or a booster) forwards `object`. We send
/// `Announce<CreateOrUpdate<Page>>` (and other activities) and
/// `Announce<Page>`; the inbox reads `Announce<Announced>`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Announce<T> {
    /// `Announce`.
    #[serde(rename = "type")]
    pub kind: AnnounceType,
    /// Activity id.
    pub id: Url,
    /// The community (or the person boosting).
    #[serde(deserialize_with = "url_ref")]
    pub actor: Url,
    /// What is forwarded.
    pub object: T,
    /// Addressees (the public collection).
    #[serde(default, skip_serializing_if = "OneOrMany::is_empty")]
    pub to: OneOrMany<Url>,
    /// Secondary addressees (the community's followers).
    #[serde(default, skip_serializing_if = "OneOrMany::is_empty")]
    pub cc: OneOrMany<Url>,
    /// The community (FEP-1b12).
    #[serde(
        default,
        deserialize_with = "opt_url_ref",
        skip_serializing_if = "Option::is_none"
    )]
    pub audience: Option<Url>,
    /// When (Mastodon boosts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<Timestamp>,
}

impl<T> HasId for Announce<T> {
    fn id(&self) -> &Url {
        &self.id
    }
}

impl<T> Announce<T> {
    /// `community` forwards `object` to `followers`, publicly.
    pub fn new(id: Url, community: Url, object: T, followers: Url) -> Self {
        Self {
            kind: AnnounceType::Announce,
            id,
            actor: community.clone(),
            object,
            to: OneOrMany::one(public()),
            cc: OneOrMany::one(followers),
            audience: Some(community),
            published: None,
        }
    }

    /// The same announce with its object replaced.
    pub fn with_object<U>(self, object: U) -> Announce<U> {
        Announce {
            kind: self.kind,
            id: self.id,
            actor: self.actor,
            object,
            to: self.to,
            cc: self.cc,
            audience: self.audience,
            published: self.published,
        }
    }
}

/// What an incoming `Announce` carries.
#[derive(Clone, Debug, PartialEq)]
pub enum Announced {
    /// An embedded activity (Lemmy communities): handle it as if it came
    /// from its own actor, after checking it belongs to the announcer.
    Activity(Box<InboxActivity>),
    /// An embedded post, comment or proposal (Mastodon-style): always an
    /// `ApObject::Page`, `ApObject::Note` or `ApObject::Question`; fetch or
    /// trust per policy.
    Object(Box<ApObject>),
    /// Only an id (Mastodon boosts, some relays): fetch it.
    Id(Url),
}

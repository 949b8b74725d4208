//! `Person` actors: our members and remote people (Lemmy, Mastodon, Pleroma, Friendica, Mobilizon), also `Service`/`Application`/`Organization` actors that act as people.

use serde::{Deserialize, Serialize};
use url::Url;

use crate::federation::protocol::lenient::opt_url_lenient;
use crate::federation::protocol::values::{
    impl_has_id, Attachment, Endpoints, HasId, Image, OneOrMany, PublicKey, Source, Timestamp,
};

/// `type` of a person-like actor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PersonType {
    /// A human account (what we send).
    Person,
    /// A bot (Mastodon, Lemmy bot accounts).
    Service,
    /// An application account (accepted as a person when an activity's actor).
    Application,
    /// An organisation account (Friendica).
    Organization,
}

/// A person actor document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Person {
    /// `Person` when we send it.
    #[serde(rename = "type")]
    pub kind: PersonType,
    /// Actor id.
    pub id: Url,
    /// Login name, the `user` of `@user@host`.
    pub preferred_username: String,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Profile text, HTML.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Profile text as written (Markdown from us and Lemmy).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// Avatar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<Image>,
    /// Banner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
    /// Personal inbox.
    pub inbox: Url,
    /// Outbox collection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outbox: Option<Url>,
    /// Followers collection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub followers: Option<Url>,
    /// Following collection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub following: Option<Url>,
    /// Pinned posts collection (Mastodon, Pleroma).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub featured: Option<Url>,
    /// `sharedInbox` lives here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoints: Option<Endpoints>,
    /// Key for HTTP signatures.
    pub public_key: PublicKey,
    /// Whether follows need approval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manually_approves_followers: Option<bool>,
    /// Whether the account wants to be listed in directories.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discoverable: Option<bool>,
    /// Lemmy's Matrix id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matrix_user_id: Option<String>,
    /// Profile page for people.
    #[serde(
        default,
        deserialize_with = "opt_url_lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub url: Option<Url>,
    /// Account creation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<Timestamp>,
    /// Last profile change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<Timestamp>,
    /// Profile fields (`PropertyValue`).
    #[serde(default, skip_serializing_if = "OneOrMany::is_empty")]
    pub attachment: OneOrMany<Attachment>,
}

impl_has_id!(Person);

impl Person {
    /// A `Person` with the required fields; fill the rest as needed.
    pub fn new(id: Url, preferred_username: String, inbox: Url, public_key: PublicKey) -> Self {
        Self {
            kind: PersonType::Person,
            id,
            preferred_username,
            name: None,
            summary: None,
            source: None,
            icon: None,
            image: None,
            inbox,
            outbox: None,
            followers: None,
            following: None,
            featured: None,
            endpoints: None,
            public_key,
            manually_approves_followers: None,
            discoverable: None,
            matrix_user_id: None,
            url: None,
            published: None,
            updated: None,
            attachment: OneOrMany::default(),
        }
    }

    /// Where to deliver: the shared inbox when there is one.
    pub fn shared_inbox_or_inbox(&self) -> &Url {
        self.endpoints
            .as_ref()
            .and_then(|e| e.shared_inbox.as_ref())
            .unwrap_or(&self.inbox)
    }
}

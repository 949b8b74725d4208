//! `Group` actors: communities (Lemmy-compatible, FEP-1b12) with our `coop:` governance extensions; also reads Mobilizon groups.

use serde::{Deserialize, Serialize};
use url::Url;

use crate::federation::protocol::lenient::opt_url_lenient;
use crate::federation::protocol::values::{
    impl_has_id, Endpoints, HasId, Image, LanguageTag, MediaType, OneOrMany, PublicKey, Source,
    Timestamp,
};

/// `type` of a community.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum GroupType {
    /// `Group`.
    Group,
}

/// `coop:joinPolicy`: how one becomes a member.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JoinPolicy {
    /// `Join` is accepted at once.
    Open,
    /// `Join` waits for a decision.
    Approval,
    /// Only invited people may join.
    Invite,
    /// A value a newer peer knows and we do not.
    #[serde(untagged)]
    Other(String),
}

/// One entry of `coop:rules`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    /// Stable id of the rule within its community (amendments name it), kept across
    /// renumbering.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// Rule number as shown (1-based).
    pub number: u32,
    /// Short title.
    pub title: String,
    /// Full text, Markdown.
    pub content: String,
}

/// A community actor document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Group {
    /// `Group`.
    #[serde(rename = "type")]
    pub kind: GroupType,
    /// Actor id.
    pub id: Url,
    /// Handle, the `name` of `!name@host`.
    pub preferred_username: String,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Description, HTML.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Description as written (Markdown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// Media type of `summary` (`text/html`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<MediaType>,
    /// NSFW community.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitive: Option<bool>,
    /// Icon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<Image>,
    /// Banner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
    /// Community inbox.
    pub inbox: Url,
    /// Outbox collection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outbox: Option<Url>,
    /// Followers collection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub followers: Option<Url>,
    /// Lemmy: the moderators collection URL (absent from Mobilizon groups;
    /// arrays keep their first entry).
    #[serde(
        default,
        deserialize_with = "opt_url_lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub attributed_to: Option<Url>,
    /// Older Lemmy: the moderators collection URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moderators: Option<Url>,
    /// Pinned posts collection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub featured: Option<Url>,
    /// Only moderators may post.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub posting_restricted_to_mods: Option<bool>,
    /// Follows (and joins) need approval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manually_approves_followers: Option<bool>,
    /// `sharedInbox` lives here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoints: Option<Endpoints>,
    /// Key for HTTP signatures.
    pub public_key: PublicKey,
    /// Languages of the community.
    #[serde(default, skip_serializing_if = "OneOrMany::is_empty")]
    pub language: OneOrMany<LanguageTag>,
    /// Web page (Mobilizon).
    #[serde(
        default,
        deserialize_with = "opt_url_lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub url: Option<Url>,
    /// Creation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<Timestamp>,
    /// Last change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<Timestamp>,
    /// Ours: how one becomes a member.
    #[serde(
        rename = "coop:joinPolicy",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub join_policy: Option<JoinPolicy>,
    /// Ours: the stakeholder classes members belong to.
    #[serde(
        rename = "coop:stakeholderClasses",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub stakeholder_classes: Option<Vec<String>>,
    /// Ours: the community's rules as they stand.
    #[serde(
        rename = "coop:rules",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub rules: Option<Vec<Rule>>,
    /// Ours: version of `coop:rules`, raised by every passed change.
    #[serde(
        rename = "coop:rulesVersion",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub rules_version: Option<u64>,
}

impl_has_id!(Group);

impl Group {
    /// A `Group` with the required fields; fill the rest as needed.
    pub fn new(id: Url, preferred_username: String, inbox: Url, public_key: PublicKey) -> Self {
        Self {
            kind: GroupType::Group,
            id,
            preferred_username,
            name: None,
            summary: None,
            source: None,
            media_type: None,
            sensitive: None,
            icon: None,
            image: None,
            inbox,
            outbox: None,
            followers: None,
            attributed_to: None,
            moderators: None,
            featured: None,
            posting_restricted_to_mods: None,
            manually_approves_followers: None,
            endpoints: None,
            public_key,
            language: OneOrMany::default(),
            url: None,
            published: None,
            updated: None,
            join_policy: None,
            stakeholder_classes: None,
            rules: None,
            rules_version: None,
        }
    }

    /// The moderators collection, wherever this peer puts it.
    pub fn moderators_collection(&self) -> Option<&Url> {
        self.attributed_to.as_ref().or(self.moderators.as_ref())
    }

    /// Where to deliver: the shared inbox when there is one.
    pub fn shared_inbox_or_inbox(&self) -> &Url {
        self.endpoints
            .as_ref()
            .and_then(|e| e.shared_inbox.as_ref())
            .unwrap_or(&self.inbox)
    }
}

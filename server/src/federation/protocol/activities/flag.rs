//! `Flag`: a report of a post, comment or person to a community's moderators (Lemmy puts the reason in `summary`, Mastodon in `content` with several objects).

use serde::{Deserialize, Serialize};
use url::Url;

use crate::federation::protocol::lenient::{opt_url_ref, url_ref};
use crate::federation::protocol::values::{impl_has_id, HasId, ObjectRefs, OneOrMany};

/// `type` of a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FlagType {
    /// `Flag`.
    Flag,
}

/// `actor` reports `object`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Flag {
    /// `Flag`.
    #[serde(rename = "type")]
    pub kind: FlagType,
    /// Activity id.
    pub id: Url,
    /// The reporter (Mastodon: its instance actor).
    #[serde(deserialize_with = "url_ref")]
    pub actor: Url,
    /// What is reported: one URL from Lemmy and us; Mastodon sends the
    /// reported account followed by its posts.
    pub object: ObjectRefs,
    /// Addressees (the community).
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
    /// Reason (Lemmy, us).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Reason (Mastodon).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
}

impl_has_id!(Flag);

impl Flag {
    /// `actor` reports `object` to `community`'s moderators.
    pub fn new(id: Url, actor: Url, object: Url, community: Url, reason: String) -> Self {
        Self {
            kind: FlagType::Flag,
            id,
            actor,
            object: ObjectRefs::one(object),
            to: OneOrMany::one(community.clone()),
            cc: OneOrMany::default(),
            audience: Some(community),
            summary: Some(reason),
            content: None,
        }
    }

    /// The reason, wherever the peer put it.
    pub fn reason(&self) -> Option<&str> {
        self.summary.as_deref().or(self.content.as_deref())
    }
}

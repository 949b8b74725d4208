//! `Page`: a post in a community (Lemmy's shape); also reads `Article`/`Video` and top-level `Note`s (Mastodon/Friendica posts that mention a community).

use serde::{Deserialize, Serialize};
use url::Url;

use crate::federation::protocol::lenient::{opt_first, opt_url_lenient, opt_url_ref};
use crate::federation::protocol::values::{
    impl_has_id, public, Attachment, AttachmentType, AttributedTo, HasId, Image, LanguageTag,
    MediaType, OneOrMany, Source, Tag, Timestamp,
};

/// `type` of a post.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PageType {
    /// Lemmy and we send `Page`.
    Page,
    /// Friendica, WordPress, Plume.
    Article,
    /// A top-level Mastodon/Friendica note addressed to a community.
    Note,
    /// PeerTube.
    Video,
}

/// A post.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Page {
    /// `Page` when we send it.
    #[serde(rename = "type")]
    pub kind: PageType,
    /// Post id.
    pub id: Url,
    /// Author (one URL from us and Lemmy).
    #[serde(default, skip_serializing_if = "AttributedTo::is_empty")]
    pub attributed_to: AttributedTo,
    /// Primary addressees: the community and the public collection.
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
    /// Title (Mastodon notes have none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Content warning (Mastodon) or excerpt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Body, HTML (may be missing: link posts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// Media type of `content`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<MediaType>,
    /// Body as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// The link of a link post (a `Link`), images.
    #[serde(default, skip_serializing_if = "OneOrMany::is_empty")]
    pub attachment: OneOrMany<Attachment>,
    /// Thumbnail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
    /// Web page of the post, or the linked page (Friendica link posts).
    #[serde(
        default,
        deserialize_with = "opt_url_lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub url: Option<Url>,
    /// NSFW (Pleroma may send `null`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitive: Option<bool>,
    /// Comments allowed (false when locked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comments_enabled: Option<bool>,
    /// Pinned in its community.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stickied: Option<bool>,
    /// Language (one; an array keeps its first).
    #[serde(
        default,
        deserialize_with = "opt_first",
        skip_serializing_if = "Option::is_none"
    )]
    pub language: Option<LanguageTag>,
    /// Mentions, hashtags.
    #[serde(default, skip_serializing_if = "OneOrMany::is_empty")]
    pub tag: OneOrMany<Tag>,
    /// Creation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<Timestamp>,
    /// Last edit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<Timestamp>,
}

impl_has_id!(Page);

impl Page {
    /// A `Page` by `author` in `community`, addressed as Lemmy addresses
    /// posts (`to: [community, Public]`, `audience: community`).
    pub fn new(id: Url, author: Url, community: Url, name: String) -> Self {
        Self {
            kind: PageType::Page,
            id,
            attributed_to: AttributedTo::one(author),
            to: vec![community.clone(), public()].into(),
            cc: OneOrMany::default(),
            audience: Some(community),
            name: Some(name),
            summary: None,
            content: None,
            media_type: Some(MediaType::Html),
            source: None,
            attachment: OneOrMany::default(),
            image: None,
            url: None,
            sensitive: None,
            comments_enabled: None,
            stickied: None,
            language: None,
            tag: OneOrMany::default(),
            published: None,
            updated: None,
        }
    }

    /// The link of a link post: the first `Link` attachment, else the first
    /// attachment with a target.
    pub fn link(&self) -> Option<&Url> {
        self.attachment
            .iter()
            .find(|a| a.kind == AttachmentType::Link)
            .and_then(Attachment::target)
            .or_else(|| self.attachment.iter().find_map(Attachment::target))
    }

    /// Every addressee (`to`, `cc`, `audience`).
    pub fn addressees(&self) -> impl Iterator<Item = &Url> {
        self.to
            .iter()
            .chain(self.cc.iter())
            .chain(self.audience.iter())
    }
}

//! `Note` with `inReplyTo`: a comment on a post or on another comment (Lemmy's shape; reads Mastodon, Pleroma and Friendica replies).

use serde::{Deserialize, Serialize};
use url::Url;

use crate::federation::protocol::lenient::{opt_first, opt_url_lenient, opt_url_ref, url_ref};
use crate::federation::protocol::values::{
    impl_has_id, public, Attachment, AttributedTo, HasId, LanguageTag, MediaType, OneOrMany,
    Source, Tag, Timestamp,
};

/// `type` of a comment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NoteType {
    /// `Note`.
    Note,
}

/// A comment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Note {
    /// `Note`.
    #[serde(rename = "type")]
    pub kind: NoteType,
    /// Comment id.
    pub id: Url,
    /// Author.
    #[serde(default, skip_serializing_if = "AttributedTo::is_empty")]
    pub attributed_to: AttributedTo,
    /// Primary addressees.
    #[serde(default, skip_serializing_if = "OneOrMany::is_empty")]
    pub to: OneOrMany<Url>,
    /// Secondary addressees (community, parent's author).
    #[serde(default, skip_serializing_if = "OneOrMany::is_empty")]
    pub cc: OneOrMany<Url>,
    /// The community (FEP-1b12).
    #[serde(
        default,
        deserialize_with = "opt_url_ref",
        skip_serializing_if = "Option::is_none"
    )]
    pub audience: Option<Url>,
    /// The post or comment answered.
    #[serde(deserialize_with = "url_ref")]
    pub in_reply_to: Url,
    /// Content warning (Mastodon).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Body, HTML.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// Media type of `content`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<MediaType>,
    /// Body as written (Markdown from us and Lemmy; a bare string from
    /// Pleroma; BBCode from Friendica).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// Mentions, hashtags.
    #[serde(default, skip_serializing_if = "OneOrMany::is_empty")]
    pub tag: OneOrMany<Tag>,
    /// Media.
    #[serde(default, skip_serializing_if = "OneOrMany::is_empty")]
    pub attachment: OneOrMany<Attachment>,
    /// A moderator's comment marked as such (Lemmy).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distinguished: Option<bool>,
    /// NSFW (Pleroma may send `null`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitive: Option<bool>,
    /// Language (one; an array keeps its first).
    #[serde(
        default,
        deserialize_with = "opt_first",
        skip_serializing_if = "Option::is_none"
    )]
    pub language: Option<LanguageTag>,
    /// Web page of the comment.
    #[serde(
        default,
        deserialize_with = "opt_url_lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub url: Option<Url>,
    /// Creation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<Timestamp>,
    /// Last edit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<Timestamp>,
}

impl_has_id!(Note);

impl Note {
    /// A comment by `author` answering `in_reply_to` in `community`,
    /// addressed as Lemmy does (`to: Public`, `cc: community`).
    pub fn new(id: Url, author: Url, in_reply_to: Url, community: Url, content: String) -> Self {
        Self {
            kind: NoteType::Note,
            id,
            attributed_to: AttributedTo::one(author),
            to: OneOrMany::one(public()),
            cc: OneOrMany::one(community.clone()),
            audience: Some(community),
            in_reply_to,
            summary: None,
            content: Some(content),
            media_type: Some(MediaType::Html),
            source: None,
            tag: OneOrMany::default(),
            attachment: OneOrMany::default(),
            distinguished: None,
            sensitive: None,
            language: None,
            url: None,
            published: None,
            updated: None,
        }
    }

    /// Every addressee (`to`, `cc`, `audience`).
    pub fn addressees(&self) -> impl Iterator<Item = &Url> {
        self.to
            .iter()
            .chain(self.cc.iter())
            .chain(self.audience.iter())
    }
}

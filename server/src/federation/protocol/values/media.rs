//! Media and decorations of objects: `Image` (icon, banner, thumbnail), `Attachment` (links, images, profile fields), `Tag` (mentions, hashtags, emoji).

use serde::{Deserialize, Serialize};
use url::Url;

use crate::federation::protocol::lenient::{opt_url_lenient, url_lenient};

/// `type` of an [`Image`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImageType {
    /// `Image`.
    #[default]
    Image,
    /// Anything else.
    #[serde(untagged)]
    Other(String),
}

/// An `icon` or `image` (avatar, banner, post thumbnail).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Image {
    /// `Image`; defaults to it when absent.
    #[serde(rename = "type", default)]
    pub kind: ImageType,
    /// Where the image is.
    #[serde(deserialize_with = "url_lenient")]
    pub url: Url,
    /// MIME type, when given (Mobilizon sends `null`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    /// Alt text, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl Image {
    /// An image at `url`.
    pub fn new(url: Url) -> Self {
        Self {
            kind: ImageType::Image,
            url,
            media_type: None,
            name: None,
        }
    }
}

/// `type` of an [`Attachment`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AttachmentType {
    /// A link (Lemmy's link posts): target in `href`.
    Link,
    /// An image: target in `url`.
    Image,
    /// A media file (Mastodon, Mobilizon): target in `url`.
    Document,
    /// A video.
    Video,
    /// An audio file.
    Audio,
    /// A profile field (`name` = label, `value` = HTML).
    PropertyValue,
    /// Anything else (also used when `type` is missing).
    #[serde(untagged)]
    Other(String),
}

impl Default for AttachmentType {
    fn default() -> Self {
        Self::Other(String::new())
    }
}

/// An `attachment` entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Attachment {
    /// What kind of attachment.
    #[serde(rename = "type", default)]
    pub kind: AttachmentType,
    /// Target of a `Link`.
    #[serde(
        default,
        deserialize_with = "opt_url_lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub href: Option<Url>,
    /// Target of an `Image`/`Document`/….
    #[serde(
        default,
        deserialize_with = "opt_url_lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub url: Option<Url>,
    /// MIME type of the target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    /// Alt text, or a profile field's label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A profile field's value (HTML).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

impl Attachment {
    /// A `Link` to `href`, as Lemmy sends a link post's URL.
    pub fn link(href: Url) -> Self {
        Self {
            kind: AttachmentType::Link,
            href: Some(href),
            url: None,
            media_type: None,
            name: None,
            value: None,
        }
    }
    /// An `Image` at `url`.
    pub fn image(url: Url, media_type: Option<String>) -> Self {
        Self {
            kind: AttachmentType::Image,
            href: None,
            url: Some(url),
            media_type,
            name: None,
            value: None,
        }
    }
    /// Where the attachment points (`href` for links, `url` otherwise).
    pub fn target(&self) -> Option<&Url> {
        self.href.as_ref().or(self.url.as_ref())
    }
}

/// `type` of a [`Tag`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TagType {
    /// `@user@host` or `!community@host` mention.
    Mention,
    /// `#hashtag`.
    Hashtag,
    /// Custom emoji.
    Emoji,
    /// Anything else (Lemmy's `CommunityPostTag`, …; also a missing `type`).
    #[serde(untagged)]
    Other(String),
}

impl Default for TagType {
    fn default() -> Self {
        Self::Other(String::new())
    }
}

/// A `tag` entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tag {
    /// What kind of tag.
    #[serde(rename = "type", default)]
    pub kind: TagType,
    /// The mentioned actor, or the hashtag page (unparseable → `None`).
    #[serde(
        default,
        deserialize_with = "opt_url_lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub href: Option<Url>,
    /// `@name@host`, `#tag`, `:emoji:`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Id of the tag object (Lemmy post tags, emoji), when it has one.
    #[serde(
        default,
        deserialize_with = "opt_url_lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<Url>,
}

impl Tag {
    /// A `Mention` of the actor at `href`, shown as `name` (`@user@host`).
    pub fn mention(href: Url, name: impl Into<String>) -> Self {
        Self {
            kind: TagType::Mention,
            href: Some(href),
            name: Some(name.into()),
            id: None,
        }
    }
}

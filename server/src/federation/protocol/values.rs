//! Shared wire values: `OneOrMany`, `HasId`, `Timestamp`, the public address, `Source`/`MediaType`, `PublicKey`, `Endpoints`, `LanguageTag`; references (`ObjectRef`, `AttributedTo`, `IdOrObject`) and media (`Image`, `Attachment`, `Tag`) re-exported from the submodules.

use chrono::{DateTime, Utc};
use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use url::Url;

use crate::federation::protocol::lenient::json_kind;

mod media;
mod references;

pub use media::{Attachment, AttachmentType, Image, ImageType, Tag, TagType};
pub use references::{AttributedTo, IdOrObject, ObjectRef, ObjectRefs};

/// Timestamps on the wire (`published`, `updated`, `endTime`, …): RFC 3339,
/// any offset accepted, normalised to UTC.
pub type Timestamp = DateTime<Utc>;

/// The ActivityStreams public collection.
pub const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

/// [`PUBLIC`] as a URL.
pub fn public() -> Url {
    match Url::parse(PUBLIC) {
        Ok(url) => url,
        Err(_) => unreachable!("PUBLIC is a valid URL"),
    }
}

/// Whether an address is the public collection (also in its compact forms
/// `as:Public` and `Public`, which some older peers send).
pub fn is_public(url: &Url) -> bool {
    matches!(url.as_str(), PUBLIC | "as:Public" | "Public")
}

/// Objects and activities that carry an `id`.
pub trait HasId {
    /// The object's `id`.
    fn id(&self) -> &Url;
}

/// Implements [`HasId`] for structs with a `pub id: Url` field (`HasId`
/// must be in scope where it is used).
macro_rules! impl_has_id {
    ($($ty:ty),* $(,)?) => {$(
        impl HasId for $ty {
            fn id(&self) -> &url::Url {
                &self.id
            }
        }
    )*};
}
pub(crate) use impl_has_id;

/// A field sent either as one value or as an array (`to`, `cc`, `tag`,
/// `attachment`, …). `null` and a missing field (with `#[serde(default)]`)
/// are empty. Always serialized as an array.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OneOrMany<T>(pub Vec<T>);

impl<T> Default for OneOrMany<T> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<T> OneOrMany<T> {
    /// A single value.
    pub fn one(value: T) -> Self {
        Self(vec![value])
    }
    /// Whether there is no value (used by `skip_serializing_if`).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// Number of values.
    pub fn len(&self) -> usize {
        self.0.len()
    }
    /// The values.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.0.iter()
    }
    /// The first value.
    pub fn first(&self) -> Option<&T> {
        self.0.first()
    }
    /// The values as a `Vec`.
    pub fn into_vec(self) -> Vec<T> {
        self.0
    }
}

impl<T: PartialEq> OneOrMany<T> {
    /// Whether `value` is among the values.
    pub fn contains(&self, value: &T) -> bool {
        self.0.contains(value)
    }
}

impl<T> From<Vec<T>> for OneOrMany<T> {
    fn from(values: Vec<T>) -> Self {
        Self(values)
    }
}

impl<'a, T> IntoIterator for &'a OneOrMany<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<T: Serialize> Serialize for OneOrMany<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::Null => Ok(Self::default()),
            Value::Array(items) => items
                .into_iter()
                .enumerate()
                .map(|(i, item)| {
                    T::deserialize(item).map_err(|e| D::Error::custom(format!("item {i}: {e}")))
                })
                .collect::<Result<Vec<T>, _>>()
                .map(Self),
            single => T::deserialize(single)
                .map(Self::one)
                .map_err(D::Error::custom),
        }
    }
}

/// A `mediaType` value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MediaType {
    /// `text/html`: what `content` and `summary` carry.
    #[serde(rename = "text/html")]
    Html,
    /// `text/markdown`: what our `source` carries.
    #[serde(rename = "text/markdown")]
    Markdown,
    /// Anything else (`text/bbcode` from Friendica, image types, …).
    #[serde(untagged)]
    Other(String),
}

/// `source`: the text an object's `content` was rendered from. Lemmy and we
/// send `{content, mediaType: "text/markdown"}`; Friendica sends BBCode;
/// Pleroma sends a bare string (read with `media_type: None`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Source {
    /// The source text.
    pub content: String,
    /// Its media type, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media_type: Option<MediaType>,
}

impl Source {
    /// Markdown source, as we send it.
    pub fn markdown(content: impl Into<String>) -> Self {
        Self {
            content: content.into(),
            media_type: Some(MediaType::Markdown),
        }
    }
    /// Whether the source is Markdown (and so usable as our own source).
    pub fn is_markdown(&self) -> bool {
        self.media_type == Some(MediaType::Markdown)
    }
}

impl<'de> Deserialize<'de> for Source {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct SourceObject {
            #[serde(default)]
            content: Option<String>,
            #[serde(default)]
            media_type: Option<MediaType>,
        }
        match Value::deserialize(d)? {
            Value::String(content) => Ok(Self {
                content,
                media_type: None,
            }),
            object @ Value::Object(_) => {
                let s = SourceObject::deserialize(object).map_err(D::Error::custom)?;
                Ok(Self {
                    content: s.content.unwrap_or_default(),
                    media_type: s.media_type,
                })
            }
            other => Err(D::Error::custom(format!(
                "expected a string or an object for `source`, found {}",
                json_kind(&other)
            ))),
        }
    }
}

/// An actor's `publicKey` (HTTP signatures). Note: Mobilizon sends PKCS#1
/// (`BEGIN RSA PUBLIC KEY`), others SPKI (`BEGIN PUBLIC KEY`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PublicKey {
    /// Key id, usually `<actor>#main-key`.
    pub id: Url,
    /// The actor owning the key.
    pub owner: Url,
    /// PEM-encoded public key.
    pub public_key_pem: String,
}

/// An actor's `endpoints`; only `sharedInbox` matters to us (Mobilizon sends
/// several more, often `null`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Endpoints {
    /// The instance-wide inbox.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared_inbox: Option<Url>,
}

/// Lemmy's `language` value: `{identifier: "fr", name: "Français"}`. Posts
/// and comments carry one, communities and instances an array.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LanguageTag {
    /// BCP 47 code.
    pub identifier: String,
    /// Display name (Lemmy requires it, so we always send it).
    #[serde(default)]
    pub name: String,
}

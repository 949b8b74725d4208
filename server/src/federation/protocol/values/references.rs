//! References: `ObjectRef` (a bare id or an embedded object's id), `ObjectRefs`/`AttributedTo` (one or several, written bare when single), `IdOrObject<T>` (a bare id or the whole object).

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use url::Url;

use crate::federation::protocol::lenient::{self, json_kind};
use crate::federation::protocol::values::{HasId, OneOrMany};

/// A reference to an object, sent as a bare id or as an embedded object with
/// an `id` (whose `type` we keep). Serialized as the bare id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectRef {
    /// The referenced object's id.
    pub id: Url,
    /// The `type` of the embedded object, when it was embedded.
    pub kind: Option<String>,
}

impl ObjectRef {
    /// A bare reference.
    pub fn new(id: Url) -> Self {
        Self { id, kind: None }
    }
}

impl From<Url> for ObjectRef {
    fn from(id: Url) -> Self {
        Self::new(id)
    }
}

impl Serialize for ObjectRef {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.id.serialize(s)
    }
}

impl<'de> Deserialize<'de> for ObjectRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(d)?;
        let id = lenient::url_of_ref(&value).map_err(D::Error::custom)?;
        let kind = match value.get("type") {
            Some(Value::String(k)) => Some(k.clone()),
            Some(Value::Array(ks)) => ks.iter().find_map(|k| k.as_str().map(str::to_owned)),
            _ => None,
        };
        Ok(Self { id, kind })
    }
}

/// One or several references sent as bare ids or embedded objects, serialized
/// as a bare URL when there is one (Lemmy requires that for `attributedTo`
/// and a `Flag`'s `object`) and as an array otherwise.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ObjectRefs(pub Vec<ObjectRef>);

/// `attributedTo`: a URL (Lemmy, Mastodon, Friendica), an embedded actor, or
/// an array of either (PeerTube sends `[{Person}, {Group}]`).
pub type AttributedTo = ObjectRefs;

impl ObjectRefs {
    /// One reference.
    pub fn one(id: Url) -> Self {
        Self(vec![ObjectRef::new(id)])
    }
    /// Whether there is none (used by `skip_serializing_if`).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// The referenced ids.
    pub fn ids(&self) -> impl Iterator<Item = &Url> {
        self.0.iter().map(|r| &r.id)
    }
    /// For authors, the one to credit: the first entry not typed as a
    /// group, else the first entry.
    pub fn primary(&self) -> Option<&Url> {
        self.0
            .iter()
            .find(|r| !matches!(r.kind.as_deref(), Some("Group" | "Organization")))
            .or_else(|| self.0.first())
            .map(|r| &r.id)
    }
    /// Whether `id` is among the references.
    pub fn contains(&self, id: &Url) -> bool {
        self.0.iter().any(|r| &r.id == id)
    }
}

impl Serialize for ObjectRefs {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0.as_slice() {
            [one] => one.serialize(s),
            many => many.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for ObjectRefs {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        OneOrMany::<ObjectRef>::deserialize(d).map(|refs| Self(refs.0))
    }
}

/// A field holding either a bare id or an embedded object (the object of an
/// `Accept`, for instance). Serialized untagged.
#[derive(Clone, Debug, PartialEq)]
pub enum IdOrObject<T> {
    /// Only the id was sent: the receiver looks it up.
    Id(Url),
    /// The whole object was embedded.
    Object(Box<T>),
}

impl<T: HasId> IdOrObject<T> {
    /// The id, whichever way it was sent.
    pub fn id(&self) -> &Url {
        match self {
            Self::Id(id) => id,
            Self::Object(object) => object.id(),
        }
    }
}

impl<T> IdOrObject<T> {
    /// The embedded object, if any.
    pub fn object(&self) -> Option<&T> {
        match self {
            Self::Id(_) => None,
            Self::Object(object) => Some(object),
        }
    }
}

impl<T: Serialize> Serialize for IdOrObject<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Id(id) => id.serialize(s),
            Self::Object(object) => object.serialize(s),
        }
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for IdOrObject<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::String(s) => lenient::parse_url(&s)
                .map(Self::Id)
                .map_err(D::Error::custom),
            object @ Value::Object(_) => T::deserialize(object)
                .map(|o| Self::Object(Box::new(o)))
                .map_err(D::Error::custom),
            other => Err(D::Error::custom(format!(
                "expected a URL or an embedded object, found {}",
                json_kind(&other)
            ))),
        }
    }
}

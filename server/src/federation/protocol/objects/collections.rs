//! Collections: outboxes, followers/members counts, moderators, featured posts (`OrderedCollection`/`Collection` and their pages).

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

use crate::federation::protocol::lenient::opt_url_ref;
use crate::federation::protocol::values::{impl_has_id, HasId};

/// `type` of a collection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CollectionType {
    /// Ordered (outbox, moderators, featured).
    OrderedCollection,
    /// Unordered (followers, members).
    Collection,
    /// A page of an ordered collection.
    OrderedCollectionPage,
    /// A page of a collection.
    CollectionPage,
}

/// A collection or collection page. Items stay raw JSON: they are URLs
/// (moderators), activities (outbox) or objects (featured).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Collection {
    /// Which kind.
    #[serde(rename = "type")]
    pub kind: CollectionType,
    /// Collection id.
    pub id: Url,
    /// Size (Lemmy's moderators collection omits it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_items: Option<u64>,
    /// Items of an ordered collection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ordered_items: Option<Vec<Value>>,
    /// Items of an unordered collection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<Value>>,
    /// First page (an embedded page is read as its id, if it has one).
    #[serde(
        default,
        deserialize_with = "opt_url_ref_or_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub first: Option<Url>,
    /// Next page.
    #[serde(
        default,
        deserialize_with = "opt_url_ref_or_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub next: Option<Url>,
    /// The collection a page belongs to.
    #[serde(
        default,
        deserialize_with = "opt_url_ref",
        skip_serializing_if = "Option::is_none"
    )]
    pub part_of: Option<Url>,
}

impl_has_id!(Collection);

/// `first`/`next` may be an embedded page without an id (Mastodon replies):
/// read that as `None` rather than failing the whole document.
fn opt_url_ref_or_none<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Url>, D::Error> {
    use serde::de::Error as _;
    let value = Value::deserialize(d)?;
    match &value {
        Value::Null => Ok(None),
        Value::Object(map) if !map.contains_key("id") => Ok(None),
        _ => crate::federation::protocol::lenient::url_of_ref(&value)
            .map(Some)
            .map_err(D::Error::custom),
    }
}

impl Collection {
    /// An `OrderedCollection` holding `items`.
    pub fn ordered(id: Url, items: Vec<Value>) -> Self {
        Self {
            kind: CollectionType::OrderedCollection,
            id,
            total_items: Some(items.len() as u64),
            ordered_items: Some(items),
            items: None,
            first: None,
            next: None,
            part_of: None,
        }
    }

    /// A `Collection` that only tells its size (followers, or members for
    /// non-members).
    pub fn count_only(id: Url, total_items: u64) -> Self {
        Self {
            kind: CollectionType::Collection,
            id,
            total_items: Some(total_items),
            ordered_items: None,
            items: None,
            first: None,
            next: None,
            part_of: None,
        }
    }

    /// The items, ordered or not.
    pub fn all_items(&self) -> &[Value] {
        self.ordered_items
            .as_deref()
            .or(self.items.as_deref())
            .unwrap_or(&[])
    }

    /// The items read as `T` (e.g. `Url` for moderators, `Page` for
    /// featured posts).
    pub fn items_as<T: DeserializeOwned>(&self) -> Result<Vec<T>, serde_json::Error> {
        self.all_items().iter().map(T::deserialize).collect()
    }
}

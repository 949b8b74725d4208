//! Peeking at raw JSON before choosing a struct: the `type` string, the id, public addressing, and what kind of thing a `Note` is (comment, top-level post, poll vote, private message).

use serde::de::DeserializeOwned;
use serde_json::Value;
use url::Url;

use crate::federation::protocol::error::ParseError;
use crate::federation::protocol::lenient::json_kind;
use crate::federation::protocol::values::{is_public, PUBLIC};

/// Parses a body into a JSON object.
pub(crate) fn parse_json(json: &str) -> Result<Value, ParseError> {
    let value: Value = serde_json::from_str(json).map_err(ParseError::Json)?;
    ensure_object(&value)?;
    Ok(value)
}

/// Errs unless `value` is a JSON object.
pub(crate) fn ensure_object(value: &Value) -> Result<(), ParseError> {
    if value.is_object() {
        Ok(())
    } else {
        Err(ParseError::NotAnObject(json_kind(value)))
    }
}

/// The `type` of an object: a string, or the first string of an array.
pub(crate) fn type_of(value: &Value) -> Option<&str> {
    match value.get("type")? {
        Value::String(s) => Some(s),
        Value::Array(types) => types.iter().find_map(Value::as_str),
        _ => None,
    }
}

/// The `id` of an object, when it is a valid URL.
pub(crate) fn id_of(value: &Value) -> Option<Url> {
    value
        .get("id")
        .and_then(Value::as_str)
        .and_then(|s| Url::parse(s).ok())
}

/// Reads `value` as `T`, naming `kind` in the error.
pub(crate) fn read<T: DeserializeOwned>(value: &Value, kind: &str) -> Result<T, ParseError> {
    T::deserialize(value).map_err(|e| ParseError::malformed(kind, e))
}

/// Whether `value`'s `to`/`cc` include the public collection, or it names
/// an `audience` (a community, FEP-1b12).
pub(crate) fn addressed_publicly(value: &Value) -> bool {
    if value.get("audience").is_some_and(|a| !a.is_null()) {
        return true;
    }
    ["to", "cc"].iter().any(|field| match value.get(*field) {
        Some(Value::String(s)) => is_public_str(s),
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).any(is_public_str),
        _ => false,
    })
}

fn is_public_str(s: &str) -> bool {
    s == PUBLIC || Url::parse(s).is_ok_and(|u| is_public(&u)) || s == "Public"
}

/// What an incoming `Note` is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NoteShape {
    /// A poll vote: `name`, `inReplyTo`, no content (or `coop:ranking`).
    Vote,
    /// Neither public nor addressed to a community: a direct or
    /// followers-only message.
    Private,
    /// A reply: a comment.
    Comment,
    /// No `inReplyTo`: a post (Mastodon/Friendica posting to a community).
    TopLevel,
}

/// Classifies a `Note`; `activity` is the wrapping `Create`/`Update`, whose
/// addressing counts too.
pub(crate) fn classify_note(note: &Value, activity: Option<&Value>) -> NoteShape {
    let has_reply_to = note.get("inReplyTo").is_some_and(|v| !v.is_null());
    if has_reply_to && is_vote_shaped(note) {
        return NoteShape::Vote;
    }
    if !is_public_content(note, activity) {
        return NoteShape::Private;
    }
    if has_reply_to {
        NoteShape::Comment
    } else {
        NoteShape::TopLevel
    }
}

/// Whether a content object (or its wrapping activity) is public or
/// addressed to a community.
pub(crate) fn is_public_content(object: &Value, activity: Option<&Value>) -> bool {
    addressed_publicly(object) || activity.is_some_and(addressed_publicly)
}

fn is_vote_shaped(note: &Value) -> bool {
    if note.get("coop:ranking").is_some() {
        return true;
    }
    let named = note
        .get("name")
        .and_then(Value::as_str)
        .is_some_and(|n| !n.trim().is_empty());
    let no_content = match note.get("content") {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.trim().is_empty(),
        Some(_) => false,
    };
    named && no_content
}

/// Object types that are not activities (a bare object posted to an inbox).
pub(crate) fn is_object_type(kind: &str) -> bool {
    matches!(
        kind,
        "Note"
            | "Page"
            | "Article"
            | "Video"
            | "Audio"
            | "Image"
            | "Document"
            | "Event"
            | "Question"
            | "ChatMessage"
            | "Tombstone"
            | "Person"
            | "Group"
            | "Service"
            | "Application"
            | "Organization"
            | "Collection"
            | "OrderedCollection"
            | "CollectionPage"
            | "OrderedCollectionPage"
    )
}

//! Lenient field deserializers for values that peers spell in several ways (bare id or embedded object, one or many, broken URLs in decorative fields).
//!
//! Every function here buffers the field into a `serde_json::Value` first, then
//! decides; errors name what was found so that a `ParseError` stays readable.

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use url::Url;

/// A short name of a JSON value's type, for error messages.
pub(crate) fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Parses a URL string, naming the bad value in the error.
pub(crate) fn parse_url(s: &str) -> Result<Url, String> {
    Url::parse(s).map_err(|e| format!("invalid URL `{s}`: {e}"))
}

/// The id of a reference: a bare URL string, or an object carrying `id`
/// (or `href`, as a `Link` does).
pub(crate) fn url_of_ref(value: &Value) -> Result<Url, String> {
    match value {
        Value::String(s) => parse_url(s),
        Value::Object(map) => match map.get("id").or_else(|| map.get("href")) {
            Some(Value::String(s)) => parse_url(s),
            Some(other) => Err(format!(
                "expected a URL in `id`, found {}",
                json_kind(other)
            )),
            None => Err("embedded object has no `id`".to_owned()),
        },
        other => Err(format!(
            "expected a URL or an object with an `id`, found {}",
            json_kind(other)
        )),
    }
}

/// Like [`url_of_ref`], but a URL that does not parse, or an object without
/// any link, gives `None`; arrays give their first usable element. Only
/// values of the wrong JSON type (numbers, booleans) are errors.
pub(crate) fn lenient_url_of(value: &Value) -> Result<Option<Url>, String> {
    match value {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Url::parse(s).ok()),
        Value::Object(map) => {
            for key in ["href", "url", "id"] {
                if let Some(inner) = map.get(key) {
                    if let Some(url) = lenient_url_of(inner)? {
                        return Ok(Some(url));
                    }
                }
            }
            Ok(None)
        }
        Value::Array(items) => {
            for item in items {
                if let Some(url) = lenient_url_of(item)? {
                    return Ok(Some(url));
                }
            }
            Ok(None)
        }
        other => Err(format!("expected a URL, found {}", json_kind(other))),
    }
}

/// Required URL given as a string or as an embedded object with an `id`.
pub(crate) fn url_ref<'de, D: Deserializer<'de>>(d: D) -> Result<Url, D::Error> {
    let value = Value::deserialize(d)?;
    url_of_ref(&value).map_err(D::Error::custom)
}

/// Optional URL given as a string or as an embedded object with an `id`;
/// `null` is `None`. Use with `#[serde(default)]`.
pub(crate) fn opt_url_ref<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Url>, D::Error> {
    let value = Value::deserialize(d)?;
    if value.is_null() {
        return Ok(None);
    }
    url_of_ref(&value).map(Some).map_err(D::Error::custom)
}

/// Optional URL for decorative fields (`url`, tag `href`, attachment links):
/// see [`lenient_url_of`]. Use with `#[serde(default)]`.
pub(crate) fn opt_url_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Url>, D::Error> {
    let value = Value::deserialize(d)?;
    lenient_url_of(&value).map_err(D::Error::custom)
}

/// Required URL for decorative fields: like [`opt_url_lenient`] but absent
/// or unusable is an error.
pub(crate) fn url_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Url, D::Error> {
    let value = Value::deserialize(d)?;
    match lenient_url_of(&value) {
        Ok(Some(url)) => Ok(url),
        Ok(None) => Err(D::Error::custom("no usable URL")),
        Err(e) => Err(D::Error::custom(e)),
    }
}

/// An optional value sent either alone or as an array, of which we keep the
/// first element (Lemmy sends one `language` on posts, some peers an array).
pub(crate) fn opt_first<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    let value = Value::deserialize(d)?;
    let first = match value {
        Value::Null => return Ok(None),
        Value::Array(items) => match items.into_iter().next() {
            Some(item) => item,
            None => return Ok(None),
        },
        other => other,
    };
    T::deserialize(first).map(Some).map_err(D::Error::custom)
}

/// An optional string that some peers send as a number (`"0.5"` or `0.5`).
pub(crate) fn opt_string_or_number<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<String>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s)),
        Value::Number(n) => Ok(Some(n.to_string())),
        other => Err(D::Error::custom(format!(
            "expected a string or a number, found {}",
            json_kind(&other)
        ))),
    }
}

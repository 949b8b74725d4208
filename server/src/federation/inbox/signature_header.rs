//! The draft-cavage `Signature` header of an incoming request: its fields,
//! the signing string it covers and whether it is still fresh, read with the
//! rules of http_signature_normalization (the verifier activitypub_federation
//! configures: signatures live an hour, the `Digest` header must be signed)
//! but straight from the request's headers, without copying them into maps
//! first — that copying cost the inbox more than parsing the activity.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use actix_web::http::header::HeaderMap;

/// How long after its `created` time (or its `Date`) a signature is accepted.
pub const SIGNATURE_LIFETIME: Duration = Duration::from_secs(60 * 60);

/// Headers a signature must cover, besides those it lists.
const REQUIRED: &[&str] = &["digest"];

/// Why a signature header cannot be checked.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SignatureHeaderError {
    #[error("the request has no Signature or Authorization header")]
    Missing,
    #[error("the signature header has no valid `{0}` field")]
    Field(&'static str),
    #[error("the signature lists `{0}`, which the request does not have")]
    MissingHeader(String),
    #[error("the signature does not cover the `{0}` header")]
    NotSigned(&'static str),
    #[error("the signature expired (its `{0}`)")]
    Expired(&'static str),
}

/// The fields of a `Signature` header (or of an `Authorization: Signature …` one).
#[derive(Debug, PartialEq, Eq)]
pub struct SignatureFields<'a> {
    pub key_id: &'a str,
    /// Base64, as sent.
    pub signature: &'a str,
    pub algorithm: Option<&'a str>,
    /// The names it covers, space-separated (`(created)` when not given).
    pub headers: &'a str,
    pub created: Option<u64>,
    pub expires: Option<u64>,
}

impl<'a> SignatureFields<'a> {
    /// Reads `name="value"` pairs split at commas; a field given twice
    /// counts with its last value, unknown fields are ignored.
    pub fn parse(value: &'a str) -> Result<Self, SignatureHeaderError> {
        let (mut key_id, mut signature, mut algorithm, mut headers) = (None, None, None, None);
        let (mut created, mut expires) = (None, None);
        for (key, value) in value
            .trim_start_matches("Signature")
            .trim()
            .split(',')
            .filter_map(|part| part.split_once('='))
        {
            let value = value.trim_matches('"');
            match key {
                "keyId" => key_id = Some(value),
                "signature" => signature = Some(value),
                "algorithm" => algorithm = Some(value),
                "headers" => headers = Some(value),
                "created" => created = Some(value),
                "expires" => expires = Some(value),
                _ => {}
            }
        }
        let time = |field: &'static str, value: Option<&str>| {
            value
                .map(|v| {
                    v.parse::<u64>()
                        .map_err(|_| SignatureHeaderError::Field(field))
                })
                .transpose()
        };
        Ok(SignatureFields {
            signature: signature.ok_or(SignatureHeaderError::Field("signature"))?,
            key_id: key_id.ok_or(SignatureHeaderError::Field("keyId"))?,
            algorithm,
            headers: headers.unwrap_or("(created)"),
            created: time("created", created)?,
            expires: time("expires", expires)?,
        })
    }

    /// The string the sender signed: each listed name once, in its order,
    /// as `name: value` lines. Pseudo-headers come from the request line and
    /// the signature's own fields; a header sent several times gives its
    /// values joined by `, `; a missing `host` is `default_host`. Every
    /// listed header must be there, and [`REQUIRED`] ones listed.
    pub fn signing_string(
        &self,
        method: &str,
        path_and_query: &str,
        headers: &HeaderMap,
        default_host: &str,
    ) -> Result<String, SignatureHeaderError> {
        let mut out = String::with_capacity(256);
        let mut used: Vec<&str> = Vec::with_capacity(8);
        for name in self.headers.split_whitespace() {
            if used.contains(&name) {
                continue;
            }
            used.push(name);
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(name);
            out.push_str(": ");
            let missing = || SignatureHeaderError::MissingHeader(name.to_string());
            match name {
                "(request-target)" => {
                    out.extend(method.chars().map(|c| c.to_ascii_lowercase()));
                    out.push(' ');
                    out.push_str(path_and_query);
                }
                "(created)" => out.push_str(&self.created.ok_or_else(missing)?.to_string()),
                "(expires)" => out.push_str(&self.expires.ok_or_else(missing)?.to_string()),
                // The signature's own header is not something it can cover;
                // the draft lists names in lowercase (and the reference verifier
                // looks them up as written).
                "signature" | "authorization" => return Err(missing()),
                _ if name.bytes().any(|b| b.is_ascii_uppercase()) => return Err(missing()),
                _ => {
                    push_header_values(&mut out, headers, name, default_host).ok_or_else(missing)?
                }
            }
        }
        match REQUIRED.iter().find(|r| !used.contains(r)) {
            Some(r) => Err(SignatureHeaderError::NotSigned(r)),
            None => Ok(out),
        }
    }

    /// Refuses a signature past its `expires`, or [`SIGNATURE_LIFETIME`] past its `created`.
    pub fn check_fresh(&self, now: SystemTime) -> Result<(), SignatureHeaderError> {
        let at = |secs: u64| UNIX_EPOCH + Duration::from_secs(secs);
        if self.expires.is_some_and(|e| at(e) < now) {
            return Err(SignatureHeaderError::Expired("expires"));
        }
        if self
            .created
            .is_some_and(|c| at(c) + SIGNATURE_LIFETIME < now)
        {
            return Err(SignatureHeaderError::Expired("created"));
        }
        Ok(())
    }
}

/// Appends every value of the (lowercase) header `name`; `None` when it has
/// none, or one that is not visible ASCII.
fn push_header_values(
    out: &mut String,
    headers: &HeaderMap,
    name: &str,
    default_host: &str,
) -> Option<()> {
    let mut values = headers.get_all(name).peekable();
    if values.peek().is_none() {
        if name != "host" {
            return None;
        }
        out.push_str(default_host);
        return Some(());
    }
    for (i, value) in values.enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(value.to_str().ok()?);
    }
    Some(())
}

/// The signature header's value: `Authorization` if present, else `Signature`.
pub fn header_value(headers: &HeaderMap) -> Result<&str, SignatureHeaderError> {
    headers
        .get("authorization")
        .or_else(|| headers.get("signature"))
        .and_then(|v| v.to_str().ok())
        .ok_or(SignatureHeaderError::Missing)
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::header::{HeaderName, HeaderValue};

    const SIG: &str = r#"keyId="https://b.example/u/bruno#main-key",algorithm="rsa-sha256",headers="(request-target) host date digest",signature="c2ln""#;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.append(
                HeaderName::from_bytes(k.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        map
    }

    #[test]
    fn fields_are_read_as_the_reference_verifier_reads_them() {
        let f = SignatureFields::parse(SIG).unwrap();
        assert_eq!(f.key_id, "https://b.example/u/bruno#main-key");
        assert_eq!(f.signature, "c2ln");
        assert_eq!(f.algorithm, Some("rsa-sha256"));
        assert_eq!(f.headers, "(request-target) host date digest");
        // The `Authorization` form, a repeated field (the last counts), no `headers`.
        let f = SignatureFields::parse(
            r#"Signature keyId="k#1",headers="date",headers="host digest",signature="s",created="1700000000""#,
        )
        .unwrap();
        assert_eq!((f.key_id, f.headers), ("k#1", "host digest"));
        assert_eq!(f.created, Some(1_700_000_000));
        let f = SignatureFields::parse(r#"keyId="k#1",signature="s""#).unwrap();
        assert_eq!(f.headers, "(created)");
        for (bad, field) in [
            (r#"keyId="k#1""#, "signature"),
            (r#"signature="s""#, "keyId"),
            (r#"keyId="k",signature="s",created="soon""#, "created"),
            (r#"keyId="k",signature="s",expires="-1""#, "expires"),
        ] {
            assert_eq!(
                SignatureFields::parse(bad),
                Err(SignatureHeaderError::Field(field)),
                "{bad}"
            );
        }
    }

    #[test]
    fn the_signing_string_covers_the_listed_headers_in_order() {
        let f = SignatureFields::parse(SIG).unwrap();
        let h = headers(&[
            ("host", "a.example"),
            ("date", "Mon, 07 Dec 2026 18:00:00 GMT"),
            ("digest", "SHA-256=abc"),
            ("user-agent", "not signed"),
        ]);
        assert_eq!(
            f.signing_string("POST", "/inbox?x=1", &h, "fallback")
                .unwrap(),
            "(request-target): post /inbox?x=1\nhost: a.example\n\
             date: Mon, 07 Dec 2026 18:00:00 GMT\ndigest: SHA-256=abc"
        );
        // No Host header: our own host name; a name listed twice counts once.
        let f = SignatureFields::parse(
            r#"keyId="k#1",headers="host digest host (created)",signature="s",created="5""#,
        )
        .unwrap();
        let h = headers(&[("digest", "SHA-256=abc"), ("digest", "SHA-512=def")]);
        assert_eq!(
            f.signing_string("GET", "/", &h, "a.example").unwrap(),
            "host: a.example\ndigest: SHA-256=abc, SHA-512=def\n(created): 5"
        );
    }

    #[test]
    fn listed_headers_must_exist_and_the_digest_must_be_signed() {
        let h = headers(&[("date", "x"), ("digest", "SHA-256=abc")]);
        let sign = |list: &str| {
            SignatureFields::parse(&format!(r#"keyId="k#1",headers="{list}",signature="s""#))
                .unwrap()
                .signing_string("POST", "/inbox", &h, "a.example")
        };
        for (list, error) in [
            (
                "date digest accept",
                SignatureHeaderError::MissingHeader("accept".into()),
            ),
            // Names are lowercase in the list, as the draft says.
            (
                "Date digest",
                SignatureHeaderError::MissingHeader("Date".into()),
            ),
            (
                "digest (created)",
                SignatureHeaderError::MissingHeader("(created)".into()),
            ),
            (
                "digest signature",
                SignatureHeaderError::MissingHeader("signature".into()),
            ),
            (
                "(request-target) date",
                SignatureHeaderError::NotSigned("digest"),
            ),
        ] {
            assert_eq!(sign(list), Err(error), "{list}");
        }
        assert!(sign("date digest").is_ok());
    }

    #[test]
    fn old_signatures_are_refused() {
        let now = UNIX_EPOCH + Duration::from_secs(10_000);
        let fields = |created: u64, expires: u64| SignatureFields {
            key_id: "k#1",
            signature: "s",
            algorithm: None,
            headers: "(created)",
            created: Some(created),
            expires: Some(expires),
        };
        assert!(fields(10_000 - 3_600, 10_000).check_fresh(now).is_ok());
        assert_eq!(
            fields(10_000 - 3_601, 20_000).check_fresh(now),
            Err(SignatureHeaderError::Expired("created"))
        );
        assert_eq!(
            fields(9_000, 9_999).check_fresh(now),
            Err(SignatureHeaderError::Expired("expires"))
        );
    }

    #[test]
    fn authorization_comes_before_signature() {
        let h = headers(&[("signature", "b"), ("authorization", "a")]);
        assert_eq!(header_value(&h), Ok("a"));
        assert_eq!(header_value(&headers(&[("signature", "b")])), Ok("b"));
        assert_eq!(
            header_value(&HeaderMap::new()),
            Err(SignatureHeaderError::Missing)
        );
    }
}

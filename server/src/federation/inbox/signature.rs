//! HTTP signatures on incoming activities: the body's `Digest`, the signed
//! headers and their age (http_signature_normalization, as
//! activitypub_federation configures it), then the RSA check (the rsa crate)
//! with the signer's key, parsed once and kept in a small cache.
//!
//! activitypub_federation's own `signing_actor` compiles a regex and parses
//! the PEM key on every request, which cost more than the RSA check itself;
//! this does the same checks in the same order with the same libraries.

use std::collections::BTreeMap;
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use activitypub_federation::config::Data;
use activitypub_federation::error::Error as ApError;
use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::traits::{Actor as _, Object as _};
use actix_web::HttpRequest;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use http_signature_normalization::verify::Unverified;
use rsa::pkcs8::DecodePublicKey;
use rsa::{Pkcs1v15Sign, RsaPublicKey};
use sha2::{Digest, Sha256};
use url::Url;

use crate::federation::cache::TtlMap;
use crate::federation::error::FedError;
use crate::federation::objects::actor::ApubActor;
use crate::state::AppState;

/// A signer we verified before: its actor row and its parsed public key,
/// shared (not copied) with every request it signs.
#[derive(Debug, Clone)]
pub struct SignerKey {
    pub actor: Arc<ApubActor>,
    key: Arc<RsaPublicKey>,
}

/// Signers' keys by actor id. Bounded; an entry lives [`KEY_TTL`] at most,
/// is dropped when the actor is stored again (a refetch, an `Update`), and
/// is read again from the database when a signature fails with it.
pub type KeyCache = TtlMap<String, SignerKey>;

/// How many signers' keys are kept (each a few hundred bytes).
pub const KEY_CACHE_SIZE: usize = 256;
/// How long a cached key is trusted before the database is read again, so a
/// key stored by another process is picked up.
pub const KEY_TTL: Duration = Duration::from_secs(300);

/// activitypub_federation's verifier configuration: signatures expire after
/// an hour, and the `Digest` header must be signed.
static CONFIG: LazyLock<http_signature_normalization::Config> = LazyLock::new(|| {
    http_signature_normalization::Config::new()
        .set_expiration(Duration::from_secs(60 * 60))
        .require_digest()
});

/// A request whose digest matched and whose signature header was read, not yet verified.
pub struct Prepared {
    unverified: Unverified,
    /// The actor the `keyId` names (`<actor>#<key>`).
    pub actor: Url,
}

/// Checks the body against the `Digest` header (every SHA-256 value given must match).
fn check_digest(req: &HttpRequest, body: &[u8]) -> Result<(), FedError> {
    let invalid = || FedError::Federation(ApError::ActivityBodyDigestInvalid);
    let header = req
        .headers()
        .get("digest")
        .and_then(|h| h.to_str().ok())
        .ok_or_else(invalid)?;
    let ours = BASE64.encode(Sha256::digest(body));
    let mut any = false;
    for part in header.split(';').next().unwrap_or_default().split(',') {
        let Some((alg, value)) = part.trim().split_once('=') else {
            continue;
        };
        if !alg.eq_ignore_ascii_case("sha-256") || value != ours {
            return Err(invalid());
        }
        any = true;
    }
    if any {
        Ok(())
    } else {
        Err(invalid())
    }
}

/// The actor of a `keyId`: everything before its last `#`.
pub fn key_owner(key_id: &str) -> Option<Url> {
    let (actor, fragment) = key_id.rsplit_once('#')?;
    if actor.is_empty() || fragment.is_empty() {
        return None;
    }
    Url::parse(actor).ok()
}

/// The names a signature header lists in `headers="…"`, read as
/// http_signature_normalization reads them (the last such field wins).
fn listed_names(signature: &str) -> Option<&str> {
    signature
        .trim_start_matches("Signature")
        .trim()
        .split(',')
        .filter_map(|part| part.split_once('='))
        .rfind(|(key, _)| *key == "headers")
        .map(|(_, value)| value.trim_matches('"'))
}

/// The request's headers that the verifier reads: the signature itself
/// (`authorization` or `signature`), `date`, `host` and those the signature
/// lists; copying the others (user agent, content type, …) was wasted work.
fn signed_headers(req: &HttpRequest) -> BTreeMap<String, String> {
    let text = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok());
    let listed = text("authorization")
        .or_else(|| text("signature"))
        .and_then(listed_names)
        .unwrap_or_default();
    let wanted = |name: &str| {
        matches!(name, "authorization" | "signature" | "date" | "host")
            || listed.split_whitespace().any(|n| n == name)
    };
    req.headers()
        .iter()
        .filter(|(name, _)| wanted(name.as_str()))
        .filter_map(|(name, value)| Some((name.to_string(), value.to_str().ok()?.to_string())))
        .collect()
}

/// Checks the digest and reads the signature header; `domain` stands in
/// for a missing `Host` header, as activitypub_federation does.
pub fn prepare(req: &HttpRequest, body: &[u8], domain: &str) -> Result<Prepared, FedError> {
    check_digest(req, body)?;
    let mut headers = signed_headers(req);
    headers
        .entry("host".to_string())
        .or_insert_with(|| domain.to_string());
    let path_and_query = req.uri().path_and_query().map(|p| p.as_str()).unwrap_or("");
    let unverified = CONFIG
        .begin_verify(req.method().as_str(), path_and_query, headers)
        .map_err(|e| FedError::Federation(ApError::Other(e.to_string())))?;
    let actor = key_owner(unverified.key_id())
        .ok_or(FedError::Federation(ApError::ActivitySignatureInvalid))?;
    Ok(Prepared { unverified, actor })
}

impl Prepared {
    /// Whether the signature verifies with `key` (RSASSA-PKCS1-v1_5, SHA-256).
    fn verifies_with(&self, key: &RsaPublicKey) -> bool {
        self.unverified.verify(|signature, signing_string| {
            let Ok(signature) = BASE64.decode(signature) else {
                return false;
            };
            key.verify(
                Pkcs1v15Sign::new::<Sha256>(),
                &Sha256::digest(signing_string.as_bytes()),
                &signature,
            )
            .is_ok()
        })
    }
}

/// Whether activitypub_federation would refetch this actor before using it
/// (its refresh interval: a day, or 20 seconds in debug builds).
fn due_for_refresh(actor: &ApubActor) -> bool {
    let interval = if cfg!(debug_assertions) {
        chrono::TimeDelta::seconds(20)
    } else {
        chrono::TimeDelta::days(1)
    };
    actor
        .last_refreshed_at()
        .is_some_and(|at| at < chrono::Utc::now() - interval)
}

/// The verified signer of a prepared request: its key from the cache, or
/// from its actor in the database (fetched from its server when unknown or
/// due for a refresh). Errs when the signature does not verify.
pub async fn verified_signer(
    prepared: &Prepared,
    data: &Data<AppState>,
) -> Result<Arc<ApubActor>, FedError> {
    let invalid = || FedError::Federation(ApError::ActivitySignatureInvalid);
    let cache = &data.inbox.keys;
    let id = prepared.actor.as_str();
    let cached = cache.get(id).filter(|k| !due_for_refresh(&k.actor));
    if let Some(k) = &cached {
        if prepared.verifies_with(&k.key) {
            return Ok(Arc::clone(&k.actor));
        }
        // The actor may have a new key that another process stored.
        cache.remove(id);
    }
    let actor = ObjectId::<ApubActor>::from(prepared.actor.clone())
        .dereference(data)
        .await?;
    if cached
        .as_ref()
        .is_some_and(|k| k.actor.public_key_pem() == actor.public_key_pem())
    {
        // Same key as the one that just failed.
        return Err(invalid());
    }
    let key = RsaPublicKey::from_public_key_pem(actor.public_key_pem()).map_err(|_| invalid())?;
    if !prepared.verifies_with(&key) {
        return Err(invalid());
    }
    let actor = Arc::new(actor);
    cache.insert(
        id.to_string(),
        SignerKey {
            actor: Arc::clone(&actor),
            key: Arc::new(key),
        },
    );
    Ok(actor)
}

#[cfg(test)]
mod tests {
    use super::{key_owner, listed_names};

    #[test]
    fn listed_header_names_are_read_as_the_verifier_reads_them() {
        let sig = r#"keyId="https://b.example/u/bruno#main-key",algorithm="rsa-sha256",headers="(request-target) host date digest",signature="abc=""#;
        assert_eq!(listed_names(sig), Some("(request-target) host date digest"));
        assert_eq!(
            listed_names(&format!("Signature {sig}")),
            Some("(request-target) host date digest")
        );
        // The last field wins; a key id that merely contains the word does not count.
        assert_eq!(
            listed_names(r#"keyId="https://x/headers=a",headers="date",headers="host digest""#),
            Some("host digest")
        );
        assert_eq!(listed_names(r#"keyId="k",signature="s""#), None);
    }

    #[test]
    fn key_ids_name_their_actor() {
        assert_eq!(
            key_owner("https://b.example/u/bruno#main-key").map(String::from),
            Some("https://b.example/u/bruno".to_string())
        );
        assert_eq!(
            key_owner("https://b.example/u/a#b#main-key").map(String::from),
            Some("https://b.example/u/a#b".to_string())
        );
        for bad in [
            "https://b.example/u/bruno",
            "#main-key",
            "https://b.example/u/bruno#",
            "not a url#key",
        ] {
            assert!(key_owner(bad).is_none(), "{bad}");
        }
    }
}

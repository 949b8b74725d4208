//! HTTP signatures on incoming requests: their `Date`, the body's `Digest`,
//! the signature header (see [`super::signature_header`]), then the RSA check
//! (the rsa crate) with the signer's key, parsed once and kept in a small cache.
//!
//! activitypub_federation's own `signing_actor` compiles a regex and parses
//! the PEM key on every request, which cost more than the RSA check itself;
//! this makes the same checks in the same order.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use activitypub_federation::config::Data;
use activitypub_federation::error::Error as ApError;
use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::traits::{Actor as _, Object as _};
use actix_web::HttpRequest;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use rsa::pkcs8::DecodePublicKey;
use rsa::{Pkcs1v15Sign, RsaPublicKey};
use sha2::{Digest, Sha256};
use url::Url;

use super::signature_header::{header_value, SignatureFields, SignatureHeaderError};
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

/// How far a request's `Date` may be from our clock.
pub const DATE_WINDOW: Duration = Duration::from_secs(60 * 60);

/// A request whose date, digest and signature header were checked, not yet its signature.
pub struct Prepared {
    /// Base64, as sent.
    signature: String,
    signing_string: String,
    /// The actor the `keyId` names (`<actor>#<key>`).
    pub actor: Url,
}

/// Refuses requests whose `Date` header is missing or further than
/// [`DATE_WINDOW`] from `now` either way (replays; the reference verifier
/// only refused dates an hour old).
fn check_date(req: &HttpRequest, now: SystemTime) -> Result<(), FedError> {
    let date = req
        .headers()
        .get("date")
        .and_then(|d| d.to_str().ok())
        .ok_or_else(|| FedError::Refused("missing Date header".into()))?;
    // HTTP's own date format first; any RFC 2822 date (numeric zones) next.
    let when = httpdate::parse_http_date(date)
        .ok()
        .or_else(|| {
            chrono::DateTime::parse_from_rfc2822(date)
                .ok()
                .map(SystemTime::from)
        })
        .ok_or_else(|| FedError::Refused("unreadable Date header".into()))?;
    let apart = now
        .duration_since(when)
        .or_else(|_| when.duration_since(now))
        .unwrap_or_default();
    if apart > DATE_WINDOW {
        return Err(FedError::Refused(
            "Date header is outside the accepted window".into(),
        ));
    }
    Ok(())
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

/// Checks the request's date, its body's digest and its signature header
/// (fields, the headers it covers, its age) and builds the signing string;
/// `domain` stands in for a missing `Host` header, as activitypub_federation does.
pub fn prepare(req: &HttpRequest, body: &[u8], domain: &str) -> Result<Prepared, FedError> {
    let now = SystemTime::now();
    check_date(req, now)?;
    check_digest(req, body)?;
    let unreadable = |e: SignatureHeaderError| FedError::Federation(ApError::Other(e.to_string()));
    let fields = SignatureFields::parse(header_value(req.headers()).map_err(unreadable)?)
        .map_err(unreadable)?;
    let path_and_query = req.uri().path_and_query().map(|p| p.as_str()).unwrap_or("");
    let signing_string = fields
        .signing_string(req.method().as_str(), path_and_query, req.headers(), domain)
        .map_err(unreadable)?;
    fields.check_fresh(now).map_err(unreadable)?;
    let actor =
        key_owner(fields.key_id).ok_or(FedError::Federation(ApError::ActivitySignatureInvalid))?;
    Ok(Prepared {
        signature: fields.signature.to_string(),
        signing_string,
        actor,
    })
}

impl Prepared {
    /// Whether the signature verifies with `key` (RSASSA-PKCS1-v1_5, SHA-256).
    fn verifies_with(&self, key: &RsaPublicKey) -> bool {
        let Ok(signature) = BASE64.decode(&self.signature) else {
            return false;
        };
        key.verify(
            Pkcs1v15Sign::new::<Sha256>(),
            &Sha256::digest(self.signing_string.as_bytes()),
            &signature,
        )
        .is_ok()
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
    use super::key_owner;

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

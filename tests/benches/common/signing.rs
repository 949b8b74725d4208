//! HTTP signatures as the benches make and check them: RSA keys from the
//! actors table, `Digest`, `Date`, the draft-cavage signing string and the
//! `Signature` header, exactly as activitypub_federation signs them.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use rsa::pkcs8::DecodePrivateKey;
use rsa::{Pkcs1v15Sign, RsaPrivateKey, RsaPublicKey};
use sha2::{Digest, Sha256};

/// An RSA private key from PKCS#8 PEM, as stored in the actors table.
pub fn private_key(pem: &str) -> RsaPrivateKey {
    RsaPrivateKey::from_pkcs8_pem(pem).expect("PKCS#8 private key")
}

/// `SHA-256=<base64>` of a body, as in the `Digest` header.
pub fn digest_header(body: &[u8]) -> String {
    format!("SHA-256={}", BASE64.encode(Sha256::digest(body)))
}

/// An HTTP `Date` header value for now.
pub fn http_date() -> String {
    chrono::Utc::now()
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string()
}

/// The draft-cavage signing string over `(request-target) host date digest`.
pub fn signing_string(path: &str, host: &str, date: &str, digest: &str) -> String {
    format!("(request-target): post {path}\nhost: {host}\ndate: {date}\ndigest: {digest}")
}

/// RSASSA-PKCS1-v1_5 with SHA-256 over the signing string, raw bytes —
/// the operation activitypub_federation performs per outgoing request.
pub fn rsa_sign_raw(key: &RsaPrivateKey, signing_string: &str) -> Vec<u8> {
    key.sign(
        Pkcs1v15Sign::new::<Sha256>(),
        &Sha256::digest(signing_string.as_bytes()),
    )
    .expect("RSA signature")
}

/// [`rsa_sign_raw`], base64 as in the header.
pub fn rsa_sign(key: &RsaPrivateKey, signing_string: &str) -> String {
    BASE64.encode(rsa_sign_raw(key, signing_string))
}

/// One RSASSA-PKCS1-v1_5/SHA-256 verification (hashing the signing string
/// included, as the inbox does it); panics if it fails.
pub fn rsa_verify(key: &RsaPublicKey, signing_string: &str, signature: &[u8]) {
    key.verify(
        Pkcs1v15Sign::new::<Sha256>(),
        &Sha256::digest(signing_string.as_bytes()),
        signature,
    )
    .expect("signature verifies");
}

/// The `Signature` header for a signing string signed by `actor_url#main-key`.
pub fn signature_header(actor_url: &str, signature_b64: &str) -> String {
    format!(
        "keyId=\"{actor_url}#main-key\",algorithm=\"rsa-sha256\",\
         headers=\"(request-target) host date digest\",signature=\"{signature_b64}\""
    )
}

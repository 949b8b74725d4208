//! RSA-2048 key pairs for actors, as PEM (PKCS#8 private, SPKI public).

use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};
use rsa::{RsaPrivateKey, RsaPublicKey};

#[derive(Debug, Clone)]
pub struct KeyPair {
    pub public_pem: String,
    pub private_pem: String,
}

#[derive(Debug, thiserror::Error)]
#[error("could not generate an RSA key pair: {0}")]
pub struct KeyError(String);

/// Generates a fresh RSA-2048 key pair. CPU-heavy: call it off the async runtime.
pub fn generate() -> Result<KeyPair, KeyError> {
    let mut rng = rand::thread_rng();
    let private = RsaPrivateKey::new(&mut rng, 2048).map_err(|e| KeyError(e.to_string()))?;
    let public = RsaPublicKey::from(&private);
    let private_pem = private
        .to_pkcs8_pem(LineEnding::LF)
        .map_err(|e| KeyError(e.to_string()))?
        .to_string();
    let public_pem = public
        .to_public_key_pem(LineEnding::LF)
        .map_err(|e| KeyError(e.to_string()))?;
    Ok(KeyPair {
        public_pem,
        private_pem,
    })
}

#[cfg(test)]
mod tests {
    use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey};

    use super::*;

    #[test]
    fn generates_matching_2048_bit_pair() {
        use rsa::traits::PublicKeyParts;
        let pair = generate().unwrap();
        let private = RsaPrivateKey::from_pkcs8_pem(&pair.private_pem).unwrap();
        let public = RsaPublicKey::from_public_key_pem(&pair.public_pem).unwrap();
        assert_eq!(RsaPublicKey::from(&private), public);
        assert_eq!(public.size() * 8, 2048);
        assert!(pair.public_pem.starts_with("-----BEGIN PUBLIC KEY-----"));
    }
}

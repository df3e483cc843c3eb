//! Compact JWS (RFC 7515) as consent records use it: the three parts, the
//! protected header with the device's public key (`jwk`), signature
//! verification with that key (Ed25519 through `ed25519-dalek`, ECDSA P-256
//! through `p256`), and the key's RFC 7638 thumbprint, which is the record's
//! `subject`.

use std::collections::BTreeMap;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use p256::ecdsa::signature::Verifier;
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// Unpadded base64url, the encoding of every JWS part and JWK member.
pub fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes unpadded base64url strictly (no padding, no stray bits).
pub fn unb64(text: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(text).ok()
}

/// A compact JWS split into its parts, each decoded.
#[derive(Debug)]
pub struct Compact<'a> {
    /// The protected header as sent (base64url), part of the signing input.
    pub header_b64: &'a str,
    /// The payload as sent (base64url), part of the signing input.
    pub payload_b64: &'a str,
    /// The decoded header bytes.
    pub header: Vec<u8>,
    /// The decoded payload bytes.
    pub payload: Vec<u8>,
    /// The decoded signature bytes.
    pub signature: Vec<u8>,
}

impl<'a> Compact<'a> {
    /// Splits `jws` into three base64url parts; the error says which part is wrong.
    pub fn parse(jws: &'a str) -> Result<Compact<'a>, String> {
        let mut parts = jws.split('.');
        let (Some(h), Some(p), Some(s), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err("a compact JWS has three parts separated by `.`".into());
        };
        let decode = |name: &str, part: &str| {
            if part.is_empty() {
                return Err(format!("the {name} part is empty"));
            }
            unb64(part).ok_or_else(|| format!("the {name} part is not unpadded base64url"))
        };
        Ok(Compact {
            header_b64: h,
            payload_b64: p,
            header: decode("header", h)?,
            payload: decode("payload", p)?,
            signature: decode("signature", s)?,
        })
    }

    /// The JWS signing input, `header "." payload` as sent.
    pub fn signing_input(&self) -> Vec<u8> {
        let mut input = Vec::with_capacity(self.header_b64.len() + 1 + self.payload_b64.len());
        input.extend_from_slice(self.header_b64.as_bytes());
        input.push(b'.');
        input.extend_from_slice(self.payload_b64.as_bytes());
        input
    }
}

/// The members of a record's protected header this ledger reads.
#[derive(Debug, Deserialize)]
pub struct Header {
    /// `EdDSA` or `ES256`.
    pub alg: Option<String>,
    /// The signer's public key.
    pub jwk: Option<Jwk>,
    /// `assent-record+jws` for records.
    pub typ: Option<String>,
    /// Extensions the signer says must be understood (none are).
    pub crit: Option<serde_json::Value>,
    /// Key id (receipts).
    pub kid: Option<String>,
}

/// A JSON Web Key, as far as the two algorithms need it.
#[derive(Debug, Default, Deserialize)]
pub struct Jwk {
    /// `OKP` or `EC`.
    pub kty: Option<String>,
    /// `Ed25519` or `P-256`.
    pub crv: Option<String>,
    /// The public key (Ed25519) or its x coordinate (P-256).
    pub x: Option<String>,
    /// The y coordinate (P-256).
    pub y: Option<String>,
    /// A private key: never acceptable in a header.
    pub d: Option<String>,
}

/// A verified-usable public key from a JWK.
#[derive(Clone, Debug)]
pub enum PublicKey {
    /// Ed25519 (`alg` `EdDSA`).
    Ed25519(ed25519_dalek::VerifyingKey),
    /// ECDSA P-256 (`alg` `ES256`).
    P256(p256::ecdsa::VerifyingKey),
}

impl PublicKey {
    /// The key of `jwk` for `alg`; the error says what does not match.
    pub fn from_jwk(alg: &str, jwk: &Jwk) -> Result<PublicKey, String> {
        if jwk.d.is_some() {
            return Err("jwk holds a private key (`d`)".into());
        }
        let member = |name: &str, value: &Option<String>| -> Result<[u8; 32], String> {
            let text = value
                .as_deref()
                .ok_or_else(|| format!("jwk has no `{name}`"))?;
            unb64(text)
                .and_then(|b| <[u8; 32]>::try_from(b).ok())
                .ok_or_else(|| format!("jwk `{name}` is not 32 bytes of base64url"))
        };
        match (alg, jwk.kty.as_deref(), jwk.crv.as_deref()) {
            ("EdDSA", Some("OKP"), Some("Ed25519")) => {
                let x = member("x", &jwk.x)?;
                let key = ed25519_dalek::VerifyingKey::from_bytes(&x)
                    .map_err(|_| "jwk `x` is not an Ed25519 point".to_owned())?;
                // A small-order key verifies forged signatures (RFC 8032 §5.1.7
                // leaves it to the verifier): refused, as verify_strict would.
                if key.is_weak() {
                    return Err("jwk `x` is a weak (small-order) Ed25519 key".into());
                }
                Ok(PublicKey::Ed25519(key))
            }
            ("ES256", Some("EC"), Some("P-256")) => {
                let (x, y) = (member("x", &jwk.x)?, member("y", &jwk.y)?);
                let point =
                    p256::EncodedPoint::from_affine_coordinates(&x.into(), &y.into(), false);
                p256::ecdsa::VerifyingKey::from_encoded_point(&point)
                    .map(PublicKey::P256)
                    .map_err(|_| "jwk `x`, `y` is not a P-256 point".into())
            }
            ("EdDSA", kty, crv) | ("ES256", kty, crv) => Err(format!(
                "jwk kty {} crv {} does not match alg {alg} (EdDSA: OKP Ed25519; ES256: EC P-256)",
                kty.unwrap_or("(none)"),
                crv.unwrap_or("(none)")
            )),
            (other, _, _) => Err(format!("alg {other} is not EdDSA or ES256")),
        }
    }

    /// Whether `signature` signs `message` under this key. ES256 signatures are
    /// the 64-byte `r || s` form (RFC 7518 §3.4). Ed25519 is RFC 8032
    /// verification (canonical `S` required) under a key already known not
    /// to be weak, which is what `verify_strict` adds but for its check of
    /// `R`, whose decompression costs as much again as the key's.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        match self {
            PublicKey::Ed25519(key) => ed25519_dalek::Signature::from_slice(signature)
                .is_ok_and(|s| ed25519_dalek::Verifier::verify(key, message, &s).is_ok()),
            PublicKey::P256(key) => p256::ecdsa::Signature::from_slice(signature)
                .is_ok_and(|s| key.verify(message, &s).is_ok()),
        }
    }

    /// The public JWK members RFC 7638 hashes, canonical base64url.
    pub fn jwk_members(&self) -> BTreeMap<&'static str, String> {
        let mut members = BTreeMap::new();
        match self {
            PublicKey::Ed25519(key) => {
                members.insert("crv", "Ed25519".to_owned());
                members.insert("kty", "OKP".to_owned());
                members.insert("x", b64(key.as_bytes()));
            }
            PublicKey::P256(key) => {
                let point = key.to_encoded_point(false);
                members.insert("crv", "P-256".to_owned());
                members.insert("kty", "EC".to_owned());
                members.insert("x", b64(point.x().map_or(&[][..], |x| x.as_slice())));
                members.insert("y", b64(point.y().map_or(&[][..], |y| y.as_slice())));
            }
        }
        members
    }

    /// The RFC 7638 JWK thumbprint: base64url SHA-256 of the JCS form of the
    /// required public members.
    pub fn thumbprint(&self) -> String {
        thumbprint(&self.jwk_members())
    }
}

/// The RFC 7638 thumbprint of a JWK given by its required members.
pub fn thumbprint(members: &BTreeMap<&'static str, String>) -> String {
    // The members are strings with ASCII names: JCS of this map cannot fail.
    let canonical = serde_jcs::to_vec(members).unwrap_or_default();
    b64(&Sha256::digest(canonical))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The public key of RFC 8032's test 1, as RFC 8037 appendix A.2 writes it.
    fn rfc_8037_jwk() -> Jwk {
        Jwk {
            kty: Some("OKP".into()),
            crv: Some("Ed25519".into()),
            x: Some("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo".into()),
            ..Jwk::default()
        }
    }

    /// RFC 8037 appendix A.3: the thumbprint of the RFC 8032 test key.
    #[test]
    fn rfc_8037_ed25519_thumbprint() {
        let jwk = rfc_8037_jwk();
        let key = PublicKey::from_jwk("EdDSA", &jwk).unwrap();
        assert_eq!(
            key.thumbprint(),
            "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
        );
    }

    /// RFC 8037 appendix A.4/A.5: the signature of "Example of Ed25519 signing".
    #[test]
    fn rfc_8037_ed25519_signature_verifies_and_a_flipped_bit_does_not() {
        let jws = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";
        let compact = Compact::parse(jws).unwrap();
        let jwk = rfc_8037_jwk();
        let key = PublicKey::from_jwk("EdDSA", &jwk).unwrap();
        assert!(key.verify(&compact.signing_input(), &compact.signature));
        let mut signature = compact.signature.clone();
        signature[5] ^= 1;
        assert!(!key.verify(&compact.signing_input(), &signature));
    }

    #[test]
    fn a_key_must_match_its_algorithm() {
        let jwk = rfc_8037_jwk();
        assert!(PublicKey::from_jwk("ES256", &jwk).is_err());
        assert!(PublicKey::from_jwk("HS256", &jwk).is_err());
        let private = Jwk {
            d: Some("nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A".into()),
            ..jwk
        };
        assert!(PublicKey::from_jwk("EdDSA", &private).is_err());
    }

    /// A small-order key would verify forged signatures: refused.
    #[test]
    fn a_weak_ed25519_key_is_refused() {
        let mut identity = [0u8; 32];
        identity[0] = 1;
        let jwk = Jwk {
            kty: Some("OKP".into()),
            crv: Some("Ed25519".into()),
            x: Some(b64(&identity)),
            ..Jwk::default()
        };
        let error = PublicKey::from_jwk("EdDSA", &jwk).unwrap_err();
        assert!(error.contains("weak"), "{error}");
    }

    #[test]
    fn parts_are_strict_base64url() {
        assert!(Compact::parse("a.b").is_err());
        assert!(Compact::parse("a.b.c.d").is_err());
        assert!(Compact::parse("e30.e30=.AA").is_err());
        assert!(Compact::parse("e30..AA").is_err());
        assert!(Compact::parse("e30.e30.AA").is_ok());
    }
}

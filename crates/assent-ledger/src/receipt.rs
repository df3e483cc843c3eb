//! The ledger's own Ed25519 key and the receipts it signs with it.
//!
//! The key is generated on first start and kept in the data directory as a
//! private JWK (`ledger-key.jwk`, mode 0600); `GET /v1/keys` publishes its
//! public half as a JWKS. A receipt is a compact JWS over the JCS form of an
//! [`assent_core::record::Receipt`], header `{"alg":"EdDSA","kid":…,"typ":"assent-receipt+jws"}`,
//! where `kid` is the key's RFC 7638 thumbprint (also the receipt's `ledger`).

use std::fs::OpenOptions;
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;

use assent_core::record::{Receipt, RECEIPT_SCHEMA, RECEIPT_TYP};
use ed25519_dalek::{Signer, SigningKey};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::jws::{b64, unb64, Compact, PublicKey};

/// The key file's name in the data directory.
pub const KEY_FILE: &str = "ledger-key.jwk";

/// The ledger's signing key.
pub struct LedgerKey {
    key: SigningKey,
    kid: String,
    /// The receipts' protected header, base64url (the same for every receipt).
    header: String,
}

/// Shows the key id only, never the private key.
impl std::fmt::Debug for LedgerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LedgerKey")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

#[derive(Serialize, Deserialize)]
struct PrivateJwk {
    kty: String,
    crv: String,
    x: String,
    d: String,
}

impl LedgerKey {
    /// The key of `data_dir`, created (from the OS's randomness) when absent.
    /// The second value says whether it was created now.
    pub fn load_or_create(data_dir: &Path) -> Result<(LedgerKey, bool), String> {
        let path = data_dir.join(KEY_FILE);
        if let Some(key) = LedgerKey::read(&path)? {
            return Ok((key, false));
        }
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).map_err(|e| format!("no randomness for the ledger key: {e}"))?;
        let key = LedgerKey::from_seed(seed);
        key.save(&path)?;
        Ok((key, true))
    }

    /// The key of `data_dir`, which must exist (`export` reads it).
    pub fn load(data_dir: &Path) -> Result<LedgerKey, String> {
        let path = data_dir.join(KEY_FILE);
        LedgerKey::read(&path)?.ok_or_else(|| format!("{}: no ledger key here", path.display()))
    }

    fn read(path: &Path) -> Result<Option<LedgerKey>, String> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(format!("{}: {e}", path.display())),
        };
        let mode = std::fs::metadata(path)
            .map(|m| m.permissions().mode() & 0o777)
            .unwrap_or(0);
        if mode & 0o077 != 0 {
            return Err(format!(
                "{}: mode {mode:o} lets others read the ledger's private key; chmod 600 it",
                path.display()
            ));
        }
        let jwk: PrivateJwk = serde_json::from_str(&text)
            .map_err(|e| format!("{}: not a private JWK: {e}", path.display()))?;
        let seed = unb64(&jwk.d)
            .and_then(|d| <[u8; 32]>::try_from(d).ok())
            .filter(|_| jwk.kty == "OKP" && jwk.crv == "Ed25519")
            .ok_or_else(|| format!("{}: not an Ed25519 private JWK", path.display()))?;
        let key = LedgerKey::from_seed(seed);
        if b64(key.key.verifying_key().as_bytes()) != jwk.x {
            return Err(format!("{}: `x` does not match `d`", path.display()));
        }
        Ok(Some(key))
    }

    /// The key with this 32-byte Ed25519 seed.
    pub fn from_seed(seed: [u8; 32]) -> LedgerKey {
        let key = SigningKey::from_bytes(&seed);
        let kid = PublicKey::Ed25519(key.verifying_key()).thumbprint();
        let header = json!({ "alg": "EdDSA", "kid": kid, "typ": RECEIPT_TYP });
        // Plain JSON of ASCII strings: JCS cannot fail on it.
        let header = b64(&serde_jcs::to_vec(&header).unwrap_or_default());
        LedgerKey { key, kid, header }
    }

    fn save(&self, path: &Path) -> Result<(), String> {
        let jwk = PrivateJwk {
            kty: "OKP".into(),
            crv: "Ed25519".into(),
            x: b64(self.key.verifying_key().as_bytes()),
            d: b64(self.key.as_bytes()),
        };
        let text = serde_json::to_string(&jwk).map_err(|e| e.to_string())?;
        let write = || -> std::io::Result<()> {
            let mut file = OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(path)?;
            file.write_all(text.as_bytes())?;
            file.sync_all()
        };
        write().map_err(|e| format!("{}: {e}", path.display()))
    }

    /// The key's RFC 7638 thumbprint: the receipts' `kid` and `ledger`.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The public key set (`GET /v1/keys`).
    pub fn jwks(&self) -> Value {
        json!({ "keys": [{
            "kty": "OKP",
            "crv": "Ed25519",
            "x": b64(self.key.verifying_key().as_bytes()),
            "kid": self.kid,
            "alg": "EdDSA",
            "use": "sig",
        }] })
    }

    /// The receipt for a record, signed: a compact JWS.
    pub fn sign(&self, receipt: &Receipt) -> String {
        // Strings and integers: JCS cannot fail on them.
        let payload = b64(&crate::jcs::receipt(receipt).unwrap_or_default());
        let input = format!("{}.{payload}", self.header);
        let signature = self.key.sign(input.as_bytes());
        format!("{input}.{}", b64(&signature.to_bytes()))
    }

    /// Any JSON `payload` signed with this key under the media type `typ`
    /// (JCS form, compact JWS, `kid` the key's thumbprint): the rights API's
    /// special-category consents.
    pub fn sign_json(&self, typ: &str, payload: &Value) -> Result<String, String> {
        let header = json!({ "alg": "EdDSA", "kid": self.kid, "typ": typ });
        let header = b64(&serde_jcs::to_vec(&header).map_err(|e| e.to_string())?);
        let payload = b64(&serde_jcs::to_vec(payload).map_err(|e| e.to_string())?);
        let input = format!("{header}.{payload}");
        let signature = self.key.sign(input.as_bytes());
        Ok(format!("{input}.{}", b64(&signature.to_bytes())))
    }

    /// The receipt of the record `id` of `subject` at `seq`, with this hash,
    /// received at `received_ms`.
    pub fn receipt(
        &self,
        id: &str,
        hash: &str,
        subject: &str,
        seq: u64,
        received_ms: u64,
    ) -> Receipt {
        Receipt {
            schema: RECEIPT_SCHEMA.into(),
            record: id.into(),
            hash: hash.into(),
            subject: subject.into(),
            seq,
            received: received_ms,
            ledger: self.kid.clone(),
        }
    }
}

/// Verifies a JWS signed by a ledger key of `jwks` (`{"keys": [...]}`):
/// EdDSA, a `kid` that names one of the keys and is its thumbprint, and the
/// signature. Returns the key id and the payload bytes; `what` names the
/// document in errors.
pub fn verify_ledger_signed(
    jws: &str,
    jwks: &Value,
    what: &str,
) -> Result<(String, Vec<u8>), String> {
    let compact = Compact::parse(jws)?;
    let header: crate::jws::Header = serde_json::from_slice(&compact.header)
        .map_err(|e| format!("{what} header is not JSON: {e}"))?;
    if header.alg.as_deref() != Some("EdDSA") {
        return Err(format!("{what} alg is not EdDSA"));
    }
    let kid = header.kid.ok_or(format!("{what} header has no kid"))?;
    let keys = jwks
        .get("keys")
        .and_then(Value::as_array)
        .ok_or("ledger-keys has no `keys` array")?;
    let jwk = keys
        .iter()
        .find(|k| k.get("kid").and_then(Value::as_str) == Some(kid.as_str()))
        .ok_or_else(|| format!("no ledger key has kid {kid}"))?;
    let jwk: crate::jws::Jwk =
        serde_json::from_value(jwk.clone()).map_err(|e| format!("ledger key {kid}: {e}"))?;
    let key = PublicKey::from_jwk("EdDSA", &jwk).map_err(|e| format!("ledger key {kid}: {e}"))?;
    if key.thumbprint() != kid {
        return Err(format!("ledger key {kid}: kid is not its thumbprint"));
    }
    if !key.verify(&compact.signing_input(), &compact.signature) {
        return Err(format!(
            "the {what} signature does not verify with the ledger key"
        ));
    }
    Ok((kid, compact.payload.clone()))
}

/// Verifies a receipt JWS against a JWKS (`{"keys": [...]}`) and returns its
/// payload; the error says what failed.
pub fn verify_receipt(receipt: &str, jwks: &Value) -> Result<Receipt, String> {
    let (kid, payload) = verify_ledger_signed(receipt, jwks, "receipt")?;
    let payload: Receipt =
        serde_json::from_slice(&payload).map_err(|e| format!("receipt payload: {e}"))?;
    payload.validate().map_err(|e| format!("receipt: {e}"))?;
    if payload.ledger != kid {
        return Err(format!(
            "receipt ledger {} is not its signing key {kid}",
            payload.ledger
        ));
    }
    Ok(payload)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_created_once_private_and_reloaded() {
        let dir = tempfile::tempdir().unwrap();
        let (first, created) = LedgerKey::load_or_create(dir.path()).unwrap();
        assert!(created);
        let mode = std::fs::metadata(dir.path().join(KEY_FILE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        let (again, created) = LedgerKey::load_or_create(dir.path()).unwrap();
        assert!(!created);
        assert_eq!(first.kid(), again.kid());
        assert_eq!(first.jwks(), again.jwks());
    }

    #[test]
    fn a_key_readable_by_others_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        LedgerKey::load_or_create(dir.path()).unwrap();
        let path = dir.path().join(KEY_FILE);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(LedgerKey::load_or_create(dir.path())
            .unwrap_err()
            .contains("chmod 600"));
    }

    #[test]
    fn receipts_verify_with_the_jwks_and_not_when_changed() {
        let key = LedgerKey::from_seed([7; 32]);
        let subject = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";
        let hash = format!("sha256:{}", "ab".repeat(32));
        let receipt = key.receipt(
            "6f1c0c7e-5b8a-4d55-9e1e-3d1b2f6a9c10",
            &hash,
            subject,
            3,
            1_763_906_400_123,
        );
        let jws = key.sign(&receipt);
        assert_eq!(verify_receipt(&jws, &key.jwks()), Ok(receipt));

        let other = LedgerKey::from_seed([8; 32]);
        assert!(verify_receipt(&jws, &other.jwks()).is_err());
        let mut forged = jws.into_bytes();
        let at = forged.len() - 5;
        forged[at] = if forged[at] == b'A' { b'B' } else { b'A' };
        let forged = String::from_utf8(forged).unwrap();
        assert!(verify_receipt(&forged, &key.jwks()).is_err());
    }
}

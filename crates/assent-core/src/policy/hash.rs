//! The policy content hash: SHA-256 of a canonical JSON form (keys sorted,
//! no whitespace, as in RFC 8785 for the values a policy holds), so the hash
//! does not change with key order, whitespace or TOML-versus-JSON.

use serde_json::Value;
use sha2::{Digest, Sha256};

use super::model::Policy;

/// The canonical JSON text of `policy`.
pub fn canonical_json(policy: &Policy) -> String {
    canonical_value(&serde_json::to_value(policy).unwrap_or(Value::Null))
}

/// `sha256:` followed by the lowercase hex SHA-256 of [`canonical_json`].
pub fn content_hash(policy: &Policy) -> String {
    sha256(canonical_json(policy).as_bytes())
}

/// The canonical JSON text of any value holding only strings, integers,
/// booleans, null, arrays and ASCII-keyed objects (RFC 8785 for those values).
pub fn canonical_value(value: &Value) -> String {
    let mut out = String::new();
    write(value, &mut out);
    out
}

/// `sha256:` followed by the lowercase hex SHA-256 of `bytes`.
pub fn sha256(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

fn write(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            // RFC 8785 sorts by UTF-16 code units; policy keys are ASCII.
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                write(&map[k], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(v, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

//! `data.json`, the portable part of an export (GDPR Art 20: "structured,
//! commonly used and machine-readable"): the account's data by the policy's
//! data categories, the list of its files, its requests and its
//! special-category consents. JSON Schema: `docs/export.schema.json`
//! (`cargo xtask schema`).

use serde::{Deserialize, Serialize};

use super::model::Request;
use super::time::Timestamp;

/// The `schema` of every `data.json` of this format.
pub const SCHEMA: &str = "assent-export/1";

/// The whole `data.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PortableData {
    /// Always `assent-export/1`.
    pub schema: String,
    /// The site's account id.
    pub account: String,
    /// When the export was written, on the server's clock.
    pub generated_at: Timestamp,
    /// Who holds the data.
    pub controller: PortableController,
    /// The policy in force when the export was written.
    pub policy: PortablePolicy,
    /// The data itself, one member per data category id of the policy
    /// (`identification`, `billing`…), each as the site's JSON.
    pub data: serde_json::Map<String, serde_json::Value>,
    /// Every file under `files/` in the archive.
    pub files: Vec<PortableFile>,
    /// Every rights request of the account.
    pub requests: Vec<Request>,
    /// The account's special-category consents: compact JWS signed by the
    /// ledger (`consent-records/special-consents.json` has them with the key).
    pub special_consents: Vec<String>,
    /// How many consent records of the account's devices
    /// `consent-records/records.json` holds.
    pub consent_records: u64,
}

/// The controller, as `data.json` names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PortableController {
    /// Legal name.
    pub name: String,
    /// Contact for privacy requests.
    pub contact: String,
}

/// The policy, as `data.json` names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PortablePolicy {
    /// Its id.
    pub id: String,
    /// Its revision.
    pub revision: u32,
    /// Its content hash.
    pub hash: String,
}

/// One file of the export.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PortableFile {
    /// Its path in the archive (`files/images/sunset.png`).
    pub path: String,
    /// The policy's data category (`content`, `voice`).
    pub category: String,
    /// Its media type.
    pub media_type: String,
    /// Its size in bytes.
    pub size: u64,
    /// When it was created.
    pub created_at: Timestamp,
}

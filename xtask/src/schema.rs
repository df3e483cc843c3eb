//! `cargo xtask schema`: writes the schemas generated from core's models,
//! `docs/records.schema.json` (consent records and receipts),
//! `docs/policy.schema.json` (policy files), `docs/page-config.schema.json`
//! (a page's `#assent-config`), `docs/export.schema.json`
//! (an export's `data.json`) and the `components.schemas` of the rights API
//! contract, `docs/rights-api.yaml`, whose other parts are written by hand;
//! tests keep the committed files current.

use std::fs;

use assent_core::policy::notice::Notice;
use assent_core::record::{Receipt, Record};
use assent_core::rights::model::{
    Account, ExportOrder, GrantSpecialConsent, LiftRestriction, LiftWarning, ManualRequest,
    Problem, Request, RequestList, SpecialConsent,
};
use assent_core::rights::portable::PortableData;
use schemars::generate::SchemaSettings;
use serde_json::{Map, Value};

use crate::root;

/// The rights API contract, relative to the repository.
pub const RIGHTS_API: &str = "docs/rights-api.yaml";

/// Where the contract's schemas are, as a JSON pointer (their `$ref`s start
/// with `#` and this).
pub const SCHEMAS_POINTER: &str = "/components/schemas";

/// Writes every generated schema, and the contract with its schemas replaced.
pub fn schema() -> Result<(), String> {
    let contract = root().join(RIGHTS_API);
    let committed =
        fs::read_to_string(&contract).map_err(|e| format!("{}: {e}", contract.display()))?;
    for (file, text) in [
        ("docs/records.schema.json", records()),
        ("docs/policy.schema.json", crate::policy::schema()),
        ("docs/export.schema.json", export()),
        ("docs/page-config.schema.json", page_config()),
        (RIGHTS_API, rights_api(&committed)?),
    ] {
        let path = root().join(file);
        fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        println!("wrote {}", path.display());
    }
    Ok(())
}

/// The JSON Schema of a consent record, with the receipt's schema in its
/// `$defs` (`Receipt`), pretty-printed.
pub fn records() -> String {
    let mut schema = schemars::schema_for!(Record);
    let receipt = schemars::schema_for!(Receipt);
    if let Some(defs) = schema
        .ensure_object()
        .entry("$defs")
        .or_insert_with(|| serde_json::json!({}))
        .as_object_mut()
    {
        let mut receipt = receipt.to_value();
        if let Some(object) = receipt.as_object_mut() {
            object.remove("$schema");
        }
        defs.insert("Receipt".into(), receipt);
    }
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}

/// The JSON Schema of an export's `data.json`, pretty-printed.
pub fn export() -> String {
    let schema = schemars::schema_for!(PortableData);
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}

/// The JSON Schema of a page's `#assent-config` (core's `PageConfig`), pretty-printed.
pub fn page_config() -> String {
    let schema = schemars::schema_for!(assent_core::policy::page::PageConfig);
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}

/// The contract `committed` (the YAML text of `docs/rights-api.yaml`) with
/// its `components.schemas` replaced by [`rights_schemas`]; every other part
/// is kept as it is, in its order. The text is the YAML library's, so the
/// file is only ever written through here and a second run changes nothing.
pub fn rights_api(committed: &str) -> Result<String, String> {
    let mut document: serde_norway::Value =
        serde_norway::from_str(committed).map_err(|e| format!("{RIGHTS_API}: {e}"))?;
    let schemas = serde_norway::to_value(rights_schemas()?)
        .map_err(|e| format!("{RIGHTS_API}: the schemas: {e}"))?;
    let serde_norway::Value::Mapping(top) = &mut document else {
        return Err(format!("{RIGHTS_API}: not a mapping"));
    };
    let components = top
        .entry("components".into())
        .or_insert_with(|| serde_norway::Value::Mapping(serde_norway::Mapping::new()));
    let serde_norway::Value::Mapping(components) = components else {
        return Err(format!("{RIGHTS_API}: components is not a mapping"));
    };
    components.insert("schemas".into(), schemas);
    serde_norway::to_string(&document).map_err(|e| format!("{RIGHTS_API}: {e}"))
}

/// The schemas of the rights API's bodies (JSON Schema 2020-12, as OpenAPI
/// 3.1 uses), by name, with every type they reference, their `$ref`s
/// pointing at `#/components/schemas/…`. What the server answers is
/// described as it is serialised (a field always written is required), what
/// a caller sends as it is read; a type in both must read the same either
/// way. Keys are sorted at every level, so the text does not depend on how
/// `serde_json` orders its maps.
pub fn rights_schemas() -> Result<Map<String, Value>, String> {
    let generator = |mut settings: SchemaSettings| {
        settings.definitions_path = SCHEMAS_POINTER.into();
        settings.into_generator()
    };
    // Each `subschema_for` adds the type's definition and those of the types it uses.
    let mut answers = generator(SchemaSettings::draft2020_12().for_serialize());
    let _ = answers.subschema_for::<Account>();
    let _ = answers.subschema_for::<Request>();
    let _ = answers.subschema_for::<RequestList>();
    let _ = answers.subschema_for::<LiftWarning>();
    let _ = answers.subschema_for::<SpecialConsent>();
    let _ = answers.subschema_for::<Problem>();
    let _ = answers.subschema_for::<Notice>();
    let mut bodies = generator(SchemaSettings::draft2020_12().for_deserialize());
    let _ = bodies.subschema_for::<LiftRestriction>();
    let _ = bodies.subschema_for::<GrantSpecialConsent>();
    let _ = bodies.subschema_for::<ExportOrder>();
    let _ = bodies.subschema_for::<ManualRequest>();
    let mut schemas = answers.take_definitions(true);
    for (name, schema) in bodies.take_definitions(true) {
        match schemas.get(&name) {
            Some(other) if *other != schema => {
                return Err(format!(
                    "{name} is both sent and answered, and reads differently each way: give it one schema"
                ))
            }
            _ => {
                schemas.insert(name, schema);
            }
        }
    }
    Ok(sorted_object(schemas))
}

/// `value` with the members of every object in key order.
fn sorted(value: Value) -> Value {
    match value {
        Value::Object(object) => Value::Object(sorted_object(object)),
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}

/// `object` with its members, and theirs, in key order.
fn sorted_object(object: Map<String, Value>) -> Map<String, Value> {
    let mut members: Vec<(String, Value)> = object.into_iter().collect();
    members.sort_by(|a, b| a.0.cmp(&b.0));
    members.into_iter().map(|(k, v)| (k, sorted(v))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed schema is the one core's record model generates (`cargo xtask schema`).
    #[test]
    fn committed_records_schema_matches_the_model() {
        let committed =
            fs::read_to_string(root().join("docs/records.schema.json")).unwrap_or_default();
        assert!(
            committed == records(),
            "docs/records.schema.json is stale: run `cargo xtask schema`"
        );
    }

    /// The committed export schema is the one core's `PortableData` generates.
    #[test]
    fn committed_export_schema_matches_the_model() {
        let committed =
            fs::read_to_string(root().join("docs/export.schema.json")).unwrap_or_default();
        assert!(
            committed == export(),
            "docs/export.schema.json is stale: run `cargo xtask schema`"
        );
    }

    /// The committed page configuration schema is the one core's `PageConfig` generates.
    #[test]
    fn committed_page_config_schema_matches_the_model() {
        let committed =
            fs::read_to_string(root().join("docs/page-config.schema.json")).unwrap_or_default();
        assert!(
            committed == page_config(),
            "docs/page-config.schema.json is stale: run `cargo xtask schema`"
        );
    }

    /// The committed contract's schemas are the ones core's rights models
    /// generate, and the file is exactly what the generator writes (so it
    /// round-trips: edit it, then run `cargo xtask schema`).
    #[test]
    fn committed_rights_api_matches_the_models() {
        let committed = fs::read_to_string(root().join(RIGHTS_API)).unwrap_or_default();
        let generated = rights_api(&committed).unwrap();
        assert!(
            committed == generated,
            "{RIGHTS_API} is stale or was not written by the generator: run `cargo xtask schema`"
        );
    }

    /// The hand-written parts of the contract survive generation unchanged,
    /// and only `components.schemas` is replaced.
    #[test]
    fn generation_replaces_the_schemas_only() {
        let text = "openapi: 3.1.0\ninfo:\n  title: t\n  version: '1'\npaths:\n  /x:\n    get:\n      responses:\n        '200':\n          description: ok\ncomponents:\n  responses:\n    R:\n      description: r\n  schemas:\n    Old:\n      type: string\n";
        let after = rights_api(text).unwrap();
        assert_eq!(
            rights_api(&after).unwrap(),
            after,
            "a second run changes nothing"
        );
        let before: Value = serde_norway::from_str(text).unwrap();
        let after: Value = serde_norway::from_str(&after).unwrap();
        for part in ["openapi", "info", "paths"] {
            assert_eq!(before[part], after[part], "{part}");
        }
        assert_eq!(
            before["components"]["responses"],
            after["components"]["responses"]
        );
        assert!(after["components"]["schemas"].get("Old").is_none());
        assert!(after["components"]["schemas"]["Request"].is_object());
    }

    /// Every body of the contract is there, every reference inside the
    /// contract resolves, and the rules serde alone cannot say are in the
    /// schemas (timestamps, closed objects, the DRP statuses).
    #[test]
    fn rights_schemas_are_complete_and_closed() {
        let schemas = rights_schemas().unwrap();
        for name in [
            "Account",
            "Request",
            "RequestList",
            "LiftWarning",
            "LiftRestriction",
            "GrantSpecialConsent",
            "ExportOrder",
            "ManualRequest",
            "SpecialConsent",
            "Problem",
            "Notice",
            "Status",
            "Reason",
            "RequestType",
            "ErrorCode",
        ] {
            assert!(schemas.contains_key(name), "{name} is missing");
        }
        let request = &schemas["Request"];
        assert_eq!(request["additionalProperties"], false);
        assert_eq!(request["properties"]["received_at"]["format"], "date-time");
        let required = request["required"].as_array().unwrap();
        for field in ["request_id", "type", "status", "received_at", "expected_by"] {
            assert!(required.iter().any(|r| r == field), "{field} is required");
        }
        let committed = fs::read_to_string(root().join(RIGHTS_API)).unwrap_or_default();
        let document: Value = serde_norway::from_str(&committed).unwrap();
        let mut refs = Vec::new();
        collect_refs(&document, &mut refs);
        assert!(!refs.is_empty());
        for reference in refs {
            let pointer = reference
                .strip_prefix('#')
                .unwrap_or_else(|| panic!("{reference}: the contract refers only inside itself"));
            assert!(
                document.pointer(pointer).is_some(),
                "{reference} does not resolve"
            );
        }
    }

    fn collect_refs(value: &Value, refs: &mut Vec<String>) {
        match value {
            Value::Object(object) => {
                for (key, member) in object {
                    match (key.as_str(), member) {
                        ("$ref", Value::String(reference)) => refs.push(reference.clone()),
                        _ => collect_refs(member, refs),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|item| collect_refs(item, refs)),
            _ => {}
        }
    }

    /// The schema carries the rules serde alone cannot: patterns and conditions.
    #[test]
    fn records_schema_states_the_format_rules() {
        let schema: serde_json::Value = serde_json::from_str(&records()).unwrap();
        let properties = &schema["properties"];
        assert_eq!(
            properties["previous"]["pattern"],
            assent_core::record::HASH_PATTERN
        );
        assert_eq!(
            properties["subject"]["pattern"],
            assent_core::record::SUBJECT_PATTERN
        );
        let required = schema["required"].as_array().unwrap();
        for field in ["previous", "valid-until", "seq", "purposes"] {
            assert!(required.iter().any(|r| r == field), "{field} is required");
        }
        assert!(!required.iter().any(|r| r == "account"));
        assert_eq!(schema["additionalProperties"], false);
        assert!(schema["allOf"].as_array().is_some_and(|c| c.len() == 2));
        assert!(schema["$defs"]["Receipt"]["properties"]["ledger"].is_object());
    }
}

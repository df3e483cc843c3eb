//! The rights API's contract, `docs/rights-api.yaml`, as the HTTP tests'
//! oracle: a body a test sends or receives is checked against the schema the
//! contract gives for its operation and status, by a JSON Schema 2020-12
//! validator (the dialect of OpenAPI 3.1). References such as
//! `#/components/schemas/Request` resolve against the whole contract, and
//! nothing is fetched. A mismatch panics with the operation, the status, each
//! error at its JSON pointer, and the body. The validator's own tests are in
//! `tests/contract.rs`.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use jsonschema::{Draft, Validator};
use serde_json::Value;

/// The contract, relative to this crate.
const FILE: &str = "../../docs/rights-api.yaml";

/// The methods an OpenAPI path item can hold.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The most errors a failure lists.
const MAX_ERRORS: usize = 20;

/// The parsed contract, with the validators compiled so far.
pub struct Contract {
    /// `docs/rights-api.yaml` as JSON.
    document: Value,
    /// Compiled validators, by the JSON pointer of their schema.
    validators: Mutex<HashMap<String, Arc<Validator>>>,
}

/// An operation of the contract that a concrete call matched.
struct Operation<'a> {
    /// `GET /rights/v1/requests/{id}`, for messages.
    name: String,
    /// Its JSON pointer in the contract.
    pointer: String,
    /// The Operation Object.
    value: &'a Value,
}

impl Contract {
    /// docs/rights-api.yaml, parsed once per test process.
    pub fn load() -> &'static Contract {
        static CONTRACT: OnceLock<Contract> = OnceLock::new();
        CONTRACT.get_or_init(|| {
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(FILE);
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("contract: {}: {e}", path.display()));
            let document: Value = serde_norway::from_str(&text)
                .unwrap_or_else(|e| panic!("contract: {}: {e}", path.display()));
            Contract {
                document,
                validators: Mutex::new(HashMap::new()),
            }
        })
    }

    /// Panics with a readable message (operation, status, the validator's errors with JSON pointers, the body) when `body` does not match the schema the contract gives for the response `status` of `method` (GET, POST, DELETE…) on the concrete `path` (e.g. "/rights/v1/requests/3f2a…"; query strings are ignored; matched against the path templates), or when the contract has no such operation or status.
    pub fn check_response(&self, method: &str, path: &str, status: u16, body: &Value) {
        let operation = self
            .operation(method, path)
            .unwrap_or_else(|e| panic!("{e}"));
        let key = status.to_string();
        let Some(pointer) = self.child(&operation.pointer, &["responses", &key]) else {
            panic!(
                "contract: {} documents no response {status} (it documents {})",
                operation.name,
                self.statuses(&operation).join(", ")
            );
        };
        let context = format!("{} answered {status}", operation.name);
        match self.json_schema(&pointer) {
            Some(schema) => self.check(&schema, body, &context),
            None if body.is_null() => {}
            None => panic!(
                "contract: {context}: the contract gives this answer no JSON body, yet there is one:\n{}",
                pretty(body)
            ),
        }
    }

    /// The same for a request body the test sends.
    pub fn check_request(&self, method: &str, path: &str, body: &Value) {
        let operation = self
            .operation(method, path)
            .unwrap_or_else(|e| panic!("{e}"));
        let context = format!("{} sent", operation.name);
        let schema = self
            .child(&operation.pointer, &["requestBody"])
            .and_then(|pointer| self.json_schema(&pointer));
        match schema {
            Some(schema) => self.check(&schema, body, &context),
            None => panic!(
                "contract: {context} a body, but the contract documents no JSON request body for it:\n{}",
                pretty(body)
            ),
        }
    }

    /// Whether the contract documents this operation and status (for responses without a JSON body, such as the ZIP).
    pub fn documents(&self, method: &str, path: &str, status: u16) -> bool {
        self.operation(method, path).is_ok_and(|operation| {
            self.child(&operation.pointer, &["responses", &status.to_string()])
                .is_some()
        })
    }

    /// Every operation of the contract: (`GET`, `/rights/v1/requests/{id}`).
    pub(crate) fn operations(&self) -> Vec<(String, String)> {
        let mut operations = Vec::new();
        for (template, item) in self.paths() {
            for method in METHODS {
                if item.get(method).is_some() {
                    operations.push((method.to_ascii_uppercase(), template.clone()));
                }
            }
        }
        operations
    }

    /// The contract itself, as JSON.
    pub(crate) fn document(&self) -> &Value {
        &self.document
    }

    fn paths(&self) -> &serde_json::Map<String, Value> {
        self.document["paths"]
            .as_object()
            .expect("contract: `paths` is an object")
    }

    /// The operation `method` on the concrete `path`: the template with the
    /// most literal segments among those that match.
    fn operation(&self, method: &str, path: &str) -> Result<Operation<'_>, String> {
        let path = path.split(['?', '#']).next().unwrap_or_default();
        let segments: Vec<&str> = path.split('/').collect();
        let mut best: Option<(usize, &String)> = None;
        for template in self.paths().keys() {
            let parts: Vec<&str> = template.split('/').collect();
            if parts.len() != segments.len() {
                continue;
            }
            let mut literal = 0;
            let matches = parts.iter().zip(&segments).all(|(part, segment)| {
                if part.starts_with('{') && part.ends_with('}') {
                    !segment.is_empty()
                } else {
                    literal += 1;
                    part == segment
                }
            });
            if matches && best.is_none_or(|(most, _)| literal > most) {
                best = Some((literal, template));
            }
        }
        let Some((_, template)) = best else {
            return Err(format!(
                "contract: no path of docs/rights-api.yaml matches {path}"
            ));
        };
        let method = method.to_ascii_uppercase();
        let name = format!("{method} {template}");
        let item = &self.paths()[template];
        let Some(value) = item.get(method.to_ascii_lowercase()) else {
            let documented: Vec<String> = METHODS
                .iter()
                .filter(|m| item.get(**m).is_some())
                .map(|m| m.to_ascii_uppercase())
                .collect();
            return Err(format!(
                "contract: {path} is {template}, which documents no {method} (only {})",
                documented.join(", ")
            ));
        };
        Ok(Operation {
            name,
            pointer: format!(
                "/paths/{}/{}",
                escape(template),
                method.to_ascii_lowercase()
            ),
            value,
        })
    }

    /// The statuses an operation documents.
    fn statuses(&self, operation: &Operation<'_>) -> Vec<String> {
        operation.value["responses"]
            .as_object()
            .map(|responses| responses.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// The pointer of `pointer`'s member at `path` once every `$ref` on the
    /// way is followed, if there is one.
    fn child(&self, pointer: &str, path: &[&str]) -> Option<String> {
        let mut at = self.follow(pointer)?;
        for key in path {
            at = self.follow(&format!("{at}/{}", escape(key)))?;
        }
        Some(at)
    }

    /// `pointer`, or where its `$ref`s lead, if it exists.
    fn follow(&self, pointer: &str) -> Option<String> {
        let mut at = pointer.to_owned();
        for _ in 0..16 {
            let value = self.document.pointer(&at)?;
            match value.get("$ref").and_then(Value::as_str) {
                Some(reference) => {
                    at = reference
                        .strip_prefix('#')
                        .unwrap_or_else(|| {
                            panic!("contract: {reference}: refs stay inside the contract")
                        })
                        .to_owned();
                }
                None => return Some(at),
            }
        }
        panic!("contract: {pointer}: $ref loop")
    }

    /// The pointer of the JSON schema of a Response or Request Body Object.
    fn json_schema(&self, pointer: &str) -> Option<String> {
        let content = self.child(pointer, &["content"])?;
        let media = format!("{content}/{}", escape("application/json"));
        self.document.pointer(&media)?;
        let schema = format!("{media}/schema");
        self.document.pointer(&schema).map(|_| schema)
    }

    /// Panics unless `body` is valid against the schema at `pointer`.
    fn check(&self, pointer: &str, body: &Value, context: &str) {
        let validator = self.validator(pointer);
        let errors: Vec<String> = validator
            .iter_errors(body)
            .map(|error| {
                let at = error.instance_path().to_string();
                format!(
                    "  - at {}: {error} (schema {})",
                    if at.is_empty() { "/" } else { &at },
                    error.schema_path()
                )
            })
            .collect();
        if errors.is_empty() {
            return;
        }
        let mut message = format!(
            "contract: {context} a body that does not match docs/rights-api.yaml#{pointer}:\n"
        );
        for error in errors.iter().take(MAX_ERRORS) {
            let _ = writeln!(message, "{error}");
        }
        if errors.len() > MAX_ERRORS {
            let _ = writeln!(message, "  … and {} more", errors.len() - MAX_ERRORS);
        }
        let _ = write!(message, "body:\n{}", pretty(body));
        panic!("{message}");
    }

    /// The validator of the schema at `pointer`: the whole contract as the
    /// root, so that its refs resolve, with a `$ref` to that schema.
    fn validator(&self, pointer: &str) -> Arc<Validator> {
        let mut cache = self
            .validators
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(validator) = cache.get(pointer) {
            return Arc::clone(validator);
        }
        let mut root = self.document.clone();
        root["$ref"] = Value::String(format!("#{}", fragment(pointer)));
        let validator = jsonschema::options()
            .with_draft(Draft::Draft202012)
            .should_validate_formats(true)
            .should_ignore_unknown_formats(true)
            .build(&root)
            .unwrap_or_else(|e| panic!("contract: the schema at #{pointer} does not compile: {e}"));
        let validator = Arc::new(validator);
        cache.insert(pointer.to_owned(), Arc::clone(&validator));
        validator
    }
}

/// `key` as one JSON pointer token.
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// A JSON pointer as a URI fragment: what a fragment cannot hold (`{`, `}`,
/// spaces…) percent-encoded.
fn fragment(pointer: &str) -> String {
    let mut out = String::new();
    for byte in pointer.bytes() {
        let plain = byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/?".contains(&byte);
        if plain {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

fn pretty(body: &Value) -> String {
    serde_json::to_string_pretty(body).unwrap_or_else(|_| body.to_string())
}

//! HTTP to a same-origin (or CORS) JSON API, over gloo-net's `fetch`.
//!
//! Bodies cross as JavaScript values: the browser's own `JSON.parse` and
//! `JSON.stringify`, with serde-wasm-bindgen between them and core's models,
//! so no JSON library is compiled into the wasm. Every failure is a value: a
//! network error (the server is down, the page went offline) is
//! [`Failure::Network`]; any HTTP status is an [`Answer`] for the caller to
//! read.

pub use gloo_net::http::Method;
use gloo_net::http::RequestBuilder;
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::JsValue;
use web_sys::RequestCredentials;

use crate::error::describe;

/// One call.
pub struct Call<'a> {
    /// `GET`, `POST` or `DELETE`.
    pub method: Method,
    /// The full URL.
    pub url: &'a str,
    /// Extra request headers.
    pub headers: Vec<(&'static str, String)>,
    /// A JSON body, already a JavaScript value.
    pub body: Option<JsValue>,
}

/// What the server answered.
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The body parsed as JSON (`undefined` when empty or not JSON).
    pub json: JsValue,
}

impl Answer {
    /// Whether the status is 2xx.
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The body as `T`.
    pub fn read<T: DeserializeOwned>(&self) -> Result<T, Failure> {
        serde_wasm_bindgen::from_value(self.json.clone())
            .map_err(|e| Failure::Unreadable(format!("HTTP {}: {e}", self.status)))
    }
}

/// Why a call gave no usable answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// No answer at all: offline, the server down, CORS refused.
    Network(String),
    /// An answer that is not what the contract says.
    Unreadable(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Network(e) => write!(f, "no answer from the server ({e})"),
            Failure::Unreadable(e) => {
                write!(f, "an answer that does not follow the contract ({e})")
            }
        }
    }
}

/// `value` as a JavaScript value for [`Call::body`].
pub fn body<T: Serialize>(value: &T) -> Result<JsValue, Failure> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| Failure::Unreadable(e.to_string()))
}

/// Sends `call` with the page's cookies (same origin) and reads the answer.
pub async fn send(call: Call<'_>) -> Result<Answer, Failure> {
    let mut request = RequestBuilder::new(call.url)
        .method(call.method)
        .credentials(RequestCredentials::SameOrigin)
        .header("Accept", "application/json");
    for (name, value) in &call.headers {
        request = request.header(name, value);
    }
    let request = match call.body {
        Some(json) => {
            let text =
                js_sys::JSON::stringify(&json).map_err(|e| Failure::Unreadable(describe(&e)))?;
            request
                .header("Content-Type", "application/json")
                .body(JsValue::from(text))
        }
        None => request.build(),
    }
    .map_err(|e| Failure::Network(e.to_string()))?;
    let response = request
        .send()
        .await
        .map_err(|e| Failure::Network(e.to_string()))?;
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    let json = if text.is_empty() {
        JsValue::UNDEFINED
    } else {
        js_sys::JSON::parse(&text).unwrap_or(JsValue::UNDEFINED)
    };
    Ok(Answer { status, json })
}

/// A random UUID from the browser (`crypto.randomUUID()`), for idempotency keys.
pub fn random_uuid() -> Option<String> {
    let window = web_sys::window()?;
    let crypto = window.crypto().ok()?;
    Some(crypto.random_uuid())
}

//! A plain HTTP/1.1 client connection to a ledger (hyper), reconnecting when
//! the server closed it: what one browser tab's delivery loop is.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE, HOST};
use hyper::{Method, Request};
use hyper_util::rt::TokioIo;
use serde_json::Value;

/// An answer.
#[derive(Clone, Debug)]
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// Response headers.
    pub headers: HeaderMap,
    /// Response body.
    pub body: Bytes,
}

impl Answer {
    /// The body as JSON (`Null` when it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    /// The `error` code of a refusal, or "".
    pub fn error(&self) -> String {
        self.json()["error"].as_str().unwrap_or("").to_owned()
    }
}

/// How long a connection may have been idle and still be reused: half the
/// ledger's default header timeout (`listen::DEFAULT_HEADER_TIMEOUT`, 10 s),
/// after which the ledger closes an idle connection. A request sent on a
/// connection just as the ledger closes it would fail; one idle for longer
/// than this goes on a new connection instead, as a browser's would.
const REUSE_WITHIN: Duration = Duration::from_secs(5);

/// One keep-alive connection to a ledger.
pub struct Client {
    address: SocketAddr,
    host: HeaderValue,
    sender: Option<SendRequest<Full<Bytes>>>,
    /// When the connection last finished a request.
    last_used: Instant,
}

impl Client {
    /// A client of the ledger at `address` (connects on first use).
    pub fn new(address: SocketAddr) -> Client {
        Client {
            address,
            host: HeaderValue::from_str(&address.to_string())
                .unwrap_or_else(|_| HeaderValue::from_static("localhost")),
            sender: None,
            last_used: Instant::now(),
        }
    }

    async fn connect(&mut self) -> Result<&mut SendRequest<Full<Bytes>>, String> {
        let usable = match &mut self.sender {
            Some(sender) => {
                self.last_used.elapsed() < REUSE_WITHIN
                    && !sender.is_closed()
                    && sender.ready().await.is_ok()
            }
            None => false,
        };
        if !usable {
            let stream = tokio::net::TcpStream::connect(self.address)
                .await
                .map_err(|e| format!("connect {}: {e}", self.address))?;
            let _ = stream.set_nodelay(true);
            let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
                .await
                .map_err(|e| format!("handshake {}: {e}", self.address))?;
            tokio::spawn(connection);
            self.sender = Some(sender);
        }
        self.sender
            .as_mut()
            .ok_or_else(|| "no connection".to_owned())
    }

    /// Sends one request; a transport failure is an `Err`.
    pub async fn send(
        &mut self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: impl Into<Bytes>,
    ) -> Result<Answer, String> {
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header(HOST, self.host.clone())
            .body(Full::new(body.into()))
            .map_err(|e| format!("request: {e}"))?;
        for (name, value) in headers {
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|e| e.to_string())?;
            let value = HeaderValue::from_str(value).map_err(|e| e.to_string())?;
            request.headers_mut().insert(name, value);
        }
        self.request(request).await
    }

    /// Sends a request made by the caller; a transport failure is an `Err`.
    async fn request(&mut self, request: Request<Full<Bytes>>) -> Result<Answer, String> {
        let sender = self.connect().await?;
        let response = sender
            .send_request(request)
            .await
            .map_err(|e| format!("request: {e}"))?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(|e| format!("response body: {e}"))?
            .to_bytes();
        self.last_used = Instant::now();
        Ok(Answer {
            status,
            headers,
            body,
        })
    }

    /// Posts a record as the browser does: `{"jws": …}` with its id as the
    /// `Idempotency-Key`.
    pub async fn post_record(&mut self, jws: &str, id: &str) -> Result<Answer, String> {
        let body = serde_json::json!({ "jws": jws }).to_string().into_bytes();
        self.post_body(Bytes::from(body), id).await
    }

    /// Posts a ready `{"jws": …}` body with the record id as `Idempotency-Key`.
    pub async fn post_body(&mut self, body: Bytes, id: &str) -> Result<Answer, String> {
        // Built directly (static header names): this is the load's hot path.
        let request = Request::builder()
            .method(Method::POST)
            .uri("/v1/consent-records")
            .header(HOST, self.host.clone())
            .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
            .header(
                HeaderName::from_static("idempotency-key"),
                HeaderValue::from_str(id).map_err(|e| e.to_string())?,
            )
            .body(Full::new(body))
            .map_err(|e| format!("request: {e}"))?;
        self.request(request).await
    }

    /// `GET path`, with optional extra headers.
    pub async fn get(&mut self, path: &str, headers: &[(&str, &str)]) -> Result<Answer, String> {
        self.send(Method::GET, path, headers, Vec::new()).await
    }
}

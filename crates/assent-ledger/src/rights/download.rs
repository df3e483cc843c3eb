//! Serving a finished export so a browser can resume it: single byte ranges
//! (RFC 9110 §14), `If-Range` on a strong ETag, an attachment download, and
//! a body streamed from the file in 64 KiB chunks, so memory stays constant
//! whatever the archive's size.

use std::path::Path;

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::Response;
use tokio::io::{AsyncReadExt, AsyncSeekExt};
use tokio_util::io::ReaderStream;

/// The size of the chunks the body is read and sent in.
const CHUNK: usize = 64 * 1024;

/// What a request's `Range` asks of a representation of known length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ranged {
    /// No usable range (none, invalid, another unit, several): the whole file.
    Full,
    /// Bytes `start..=end`, both inside the file.
    Part { start: u64, end: u64 },
    /// A valid range that starts past the end (or an empty suffix): 416.
    Unsatisfiable,
}

/// Serves `path` as an attachment named `filename` for `method` (GET or HEAD) and the request `headers`,
/// with `Accept-Ranges: bytes`, single-range `Range: bytes=a-b | a- | -n` (206 + Content-Range), 416 with `Content-Range: bytes */len` for unsatisfiable ranges, full 200 otherwise (multi-range requests get the full 200), `If-Range` with a strong ETag (compare the ETag you give: derive it from the archive's sha256, passed in), `Content-Type: application/zip`, `Content-Disposition: attachment; filename="…"` (ASCII-safe, plus filename* RFC 5987 if non-ASCII), `Cache-Control: private, no-store`, `X-Content-Type-Options: nosniff`. The body is streamed from the file (tokio::fs + a stream, e.g. tokio_util::io::ReaderStream limited to the range; memory constant).
///
/// `etag` is the archive's digest as [`Written::sha256`](super::archive::Written)
/// gives it (`sha256:<hex>`), or any tag made of ETag characters; it is sent
/// quoted, as a strong ETag (`"sha256:<hex>"`), and an `If-Range` must equal
/// it exactly. A value that cannot be an ETag sends none, and then every
/// `If-Range` fails (the full file, which is always safe). `If-Range` with a
/// date also gets the full file, since no `Last-Modified` is sent. HEAD gets
/// the full file's headers (ranges are for GET only). Other methods get 405,
/// a missing file (or a folder) 404, and an unreadable one 500.
pub async fn serve(
    path: &Path,
    filename: &str,
    etag: &str,
    method: &Method,
    headers: &HeaderMap,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut response = bare(StatusCode::METHOD_NOT_ALLOWED);
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let mut file = match tokio::fs::File::open(path).await {
        Ok(file) => file,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return bare(StatusCode::NOT_FOUND)
        }
        Err(error) => return failed(path, &error),
    };
    let len = match file.metadata().await {
        Ok(metadata) if metadata.is_file() => metadata.len(),
        // A folder opens on Unix, then fails on the first read.
        Ok(_) => return bare(StatusCode::NOT_FOUND),
        Err(error) => return failed(path, &error),
    };
    let etag = entity_tag(etag);
    let ranged = if method == Method::GET && if_range_holds(headers, etag.as_ref()) {
        let mut ranges = headers.get_all(header::RANGE).iter();
        match (ranges.next(), ranges.next()) {
            (Some(range), None) => parse_range(range.as_bytes(), len),
            _ => Ranged::Full,
        }
    } else {
        Ranged::Full
    };

    let (status, start, count) = match ranged {
        Ranged::Full => (StatusCode::OK, 0, len),
        Ranged::Part { start, end } => (StatusCode::PARTIAL_CONTENT, start, end - start + 1),
        Ranged::Unsatisfiable => {
            let mut response = bare(StatusCode::RANGE_NOT_SATISFIABLE);
            let headers = response.headers_mut();
            insert(headers, header::CONTENT_RANGE, &format!("bytes */{len}"));
            headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
            if let Some(etag) = etag {
                headers.insert(header::ETAG, etag);
            }
            return response;
        }
    };
    let body = if method == Method::HEAD {
        Body::empty()
    } else {
        if start > 0 {
            if let Err(error) = file.seek(std::io::SeekFrom::Start(start)).await {
                return failed(path, &error);
            }
        }
        Body::from_stream(ReaderStream::with_capacity(file.take(count), CHUNK))
    };
    let mut response = Response::new(body);
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(count));
    if let Ranged::Part { start, end } = ranged {
        insert(
            headers,
            header::CONTENT_RANGE,
            &format!("bytes {start}-{end}/{len}"),
        );
    }
    headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    if let Some(etag) = etag {
        headers.insert(header::ETAG, etag);
    }
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/zip"),
    );
    insert(
        headers,
        header::CONTENT_DISPOSITION,
        &content_disposition(filename),
    );
    private(headers);
    response
}

/// An empty answer with the headers every answer of this module carries.
fn bare(status: StatusCode) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(header::CONTENT_LENGTH, HeaderValue::from(0u64));
    private(response.headers_mut());
    response
}

/// A 500 for a file that exists but cannot be read; the cause goes to the log.
fn failed(path: &Path, error: &std::io::Error) -> Response {
    tracing::error!(path = %path.display(), %error, "cannot serve the export");
    bare(StatusCode::INTERNAL_SERVER_ERROR)
}

/// An export is personal data: never cached, never sniffed.
fn private(headers: &mut HeaderMap) {
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
}

/// Inserts a header built here from visible ASCII (always valid).
fn insert(headers: &mut HeaderMap, name: header::HeaderName, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        headers.insert(name, value);
    }
}

/// The strong ETag `"<tag>"` for `tag` (already quoted or not), or `None` if
/// it has a character an entity-tag cannot hold.
fn entity_tag(tag: &str) -> Option<HeaderValue> {
    let inner = tag
        .strip_prefix('"')
        .and_then(|tag| tag.strip_suffix('"'))
        .unwrap_or(tag);
    let etagc = |byte: &u8| *byte == 0x21 || (0x23..=0x7E).contains(byte);
    if !inner.as_bytes().iter().all(etagc) {
        return None;
    }
    HeaderValue::from_str(&format!("\"{inner}\"")).ok()
}

/// Whether a `Range` may be honoured: no `If-Range`, or one `If-Range` that
/// is exactly our strong ETag. A weak tag or a date never matches.
fn if_range_holds(headers: &HeaderMap, etag: Option<&HeaderValue>) -> bool {
    let mut values = headers.get_all(header::IF_RANGE).iter();
    match (values.next(), values.next()) {
        (None, _) => true,
        (Some(value), None) => {
            etag.is_some_and(|etag| value.as_bytes().trim_ascii() == etag.as_bytes())
        }
        (Some(_), Some(_)) => false,
    }
}

/// Reads one `Range` value against a file of `len` bytes. Only the `bytes`
/// unit and a single range are honoured; whitespace around the range (as
/// the list syntax allows) is skipped; numbers too large for a `u64` count as
/// `u64::MAX`; `a-b` with `b < a`, signs or other characters make the header
/// invalid, and an invalid header is ignored (RFC 9110 §14.2).
fn parse_range(value: &[u8], len: u64) -> Ranged {
    let Ok(value) = std::str::from_utf8(value) else {
        return Ranged::Full;
    };
    let Some((unit, set)) = value.trim().split_once('=') else {
        return Ranged::Full;
    };
    if !unit.trim().eq_ignore_ascii_case("bytes") {
        return Ranged::Full;
    }
    let mut specs = set
        .split(',')
        .map(str::trim)
        .filter(|spec| !spec.is_empty());
    let (Some(spec), None) = (specs.next(), specs.next()) else {
        return Ranged::Full;
    };
    let Some((first, last)) = spec.split_once('-') else {
        return Ranged::Full;
    };
    match (number(first), number(last)) {
        // `-n`: the last n bytes, the whole file if it is shorter.
        (None, Some(suffix)) if first.is_empty() => {
            if suffix == 0 || len == 0 {
                Ranged::Unsatisfiable
            } else {
                Ranged::Part {
                    start: len.saturating_sub(suffix),
                    end: len - 1,
                }
            }
        }
        // `a-`: from a to the end.
        (Some(start), None) if last.is_empty() => {
            if start >= len {
                Ranged::Unsatisfiable
            } else {
                Ranged::Part {
                    start,
                    end: len - 1,
                }
            }
        }
        // `a-b`, cut at the end of the file.
        (Some(start), Some(end)) if start <= end => {
            if start >= len {
                Ranged::Unsatisfiable
            } else {
                Ranged::Part {
                    start,
                    end: end.min(len - 1),
                }
            }
        }
        _ => Ranged::Full,
    }
}

/// A run of ASCII digits as a number (`u64::MAX` if larger); `None` otherwise.
fn number(digits: &str) -> Option<u64> {
    if digits.is_empty() || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    Some(digits.bytes().fold(0u64, |number, digit| {
        number
            .saturating_mul(10)
            .saturating_add(u64::from(digit - b'0'))
    }))
}

/// `attachment; filename="…"` with an ASCII-safe name, plus RFC 5987's
/// `filename*=UTF-8''…` with the exact name when the safe one differs.
fn content_disposition(filename: &str) -> String {
    let safe: String = filename
        .chars()
        .map(|c| match c {
            ' ' | '!' | '#'..='$' | '&'..='.' | '0'..='[' | ']'..='~' => c,
            _ => '_',
        })
        .collect();
    let safe = if safe.trim_matches(['_', ' ', '.']).is_empty() {
        "export.zip".to_owned()
    } else {
        safe
    };
    let mut value = format!("attachment; filename=\"{safe}\"");
    if safe != filename && !filename.is_empty() {
        value.push_str("; filename*=UTF-8''");
        for byte in filename.bytes() {
            let attr_char = byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte);
            if attr_char {
                value.push(char::from(byte));
            } else {
                value.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rights::archive::{self, Entry, Source};
    use axum::routing::any;
    use axum::Router;
    use http_body_util::{BodyExt, Empty};
    use hyper::body::Bytes;
    use hyper_util::rt::TokioIo;
    use std::net::SocketAddr;
    use std::path::PathBuf;
    use std::sync::atomic::AtomicBool;

    #[test]
    fn ranges_parse_as_rfc_9110_says() {
        use Ranged::{Full, Part, Unsatisfiable};
        let part = |start, end| Part { start, end };
        let cases: &[(&str, Ranged)] = &[
            ("bytes=0-9", part(0, 9)),
            ("bytes=10-19", part(10, 19)),
            ("bytes=90-", part(90, 99)),
            ("bytes=-10", part(90, 99)),
            ("bytes=-100", part(0, 99)),
            ("bytes=-1000", part(0, 99)),
            ("bytes=50-5000", part(50, 99)),
            ("bytes=99-99", part(99, 99)),
            ("bytes=0-99999999999999999999999", part(0, 99)),
            ("bytes=-99999999999999999999999", part(0, 99)),
            ("Bytes=0-0", part(0, 0)),
            (" bytes= 5-6 ", part(5, 6)),
            ("bytes=5-6,", part(5, 6)),
            ("bytes=100-", Unsatisfiable),
            ("bytes=100-200", Unsatisfiable),
            ("bytes=99999999999999999999999-", Unsatisfiable),
            ("bytes=-0", Unsatisfiable),
            ("bytes=9-0", Full),
            ("bytes=0-9,20-29", Full),
            ("bytes=0-9, -5", Full),
            ("bytes=-", Full),
            ("bytes=", Full),
            ("bytes=a-b", Full),
            ("bytes=+1-2", Full),
            ("bytes=1 -2", Full),
            ("bytes=1--2", Full),
            ("bytes 0-9", Full),
            ("items=0-9", Full),
            ("", Full),
        ];
        for (value, wanted) in cases {
            assert_eq!(parse_range(value.as_bytes(), 100), *wanted, "{value:?}");
        }
        assert_eq!(parse_range(b"bytes=0-", 0), Unsatisfiable);
        assert_eq!(parse_range(b"bytes=-5", 0), Unsatisfiable);
        assert_eq!(parse_range(b"bytes=0-\xff", 10), Full);
    }

    #[test]
    fn content_disposition_is_ascii_with_the_exact_name_beside() {
        assert_eq!(
            content_disposition("assent-export-2025-01-02.zip"),
            "attachment; filename=\"assent-export-2025-01-02.zip\""
        );
        assert_eq!(
            content_disposition("données Ü.zip"),
            "attachment; filename=\"donn_es _.zip\"; filename*=UTF-8''donn%C3%A9es%20%C3%9C.zip"
        );
        assert_eq!(
            content_disposition("a\"b\\c%d\r\n.zip"),
            "attachment; filename=\"a_b_c_d__.zip\"; filename*=UTF-8''a%22b%5Cc%25d%0D%0A.zip"
        );
        assert_eq!(
            content_disposition("ü.zip"),
            "attachment; filename=\"_.zip\"; filename*=UTF-8''%C3%BC.zip"
        );
        assert_eq!(
            content_disposition(""),
            "attachment; filename=\"export.zip\""
        );
    }

    #[test]
    fn etags_are_strong_and_quoted() {
        let tag = |value| entity_tag(value).map(|v| v.to_str().unwrap().to_owned());
        assert_eq!(tag("sha256:ab12").as_deref(), Some("\"sha256:ab12\""));
        assert_eq!(tag("\"v1\"").as_deref(), Some("\"v1\""));
        assert_eq!(tag("a b"), None);
        assert_eq!(tag("a\"b"), None);
        assert_eq!(tag("W/\"v1\""), None);
    }

    struct Served {
        addr: SocketAddr,
        bytes: Vec<u8>,
        etag: String,
        _dir: tempfile::TempDir,
    }

    /// A real export archive served by a real axum server on 127.0.0.1.
    async fn server() -> Served {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("export.zip");
        let payload: Vec<u8> = (0..300_000u32).map(|i| (i * 7 + i / 251) as u8).collect();
        let entries = vec![Entry {
            name: "media/data.bin".into(),
            source: Source::Bytes(payload),
            compress: false,
        }];
        let written = archive::write(&out, entries, &AtomicBool::new(false), &mut |_| {}).unwrap();
        let bytes = std::fs::read(&out).unwrap();
        let etag = written.sha256.clone();
        let missing = dir.path().join("missing.zip");
        let folder = dir.path().to_path_buf();
        let app = Router::new()
            .route(
                "/export",
                any(move |method: Method, headers: HeaderMap| {
                    let (out, etag) = (out.clone(), written.sha256.clone());
                    async move { serve(&out, "export Ü.zip", &etag, &method, &headers).await }
                }),
            )
            .route(
                "/missing",
                any(move |method: Method, headers: HeaderMap| {
                    let missing: PathBuf = missing.clone();
                    async move { serve(&missing, "x.zip", "x", &method, &headers).await }
                }),
            )
            .route(
                "/folder",
                any(move |method: Method, headers: HeaderMap| {
                    let folder: PathBuf = folder.clone();
                    async move { serve(&folder, "x.zip", "x", &method, &headers).await }
                }),
            );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await });
        Served {
            addr,
            bytes,
            etag,
            _dir: dir,
        }
    }

    /// One request over a fresh HTTP/1.1 connection with hyper's client.
    async fn request(
        addr: SocketAddr,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
    ) -> (StatusCode, HeaderMap, Vec<u8>) {
        let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .unwrap();
        tokio::spawn(connection);
        let mut builder = hyper::Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, "127.0.0.1");
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        let response = sender
            .send_request(builder.body(Empty::<Bytes>::new()).unwrap())
            .await
            .unwrap();
        let (parts, body) = response.into_parts();
        let body = body.collect().await.unwrap().to_bytes().to_vec();
        (parts.status, parts.headers, body)
    }

    fn header_of<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
        headers
            .get(name)
            .map_or("", |value| value.to_str().unwrap())
    }

    #[tokio::test]
    async fn full_get_and_head_carry_the_download_headers() {
        let served = server().await;
        let len = served.bytes.len();
        let (status, headers, body) = request(served.addr, Method::GET, "/export", &[]).await;
        assert_eq!(status, StatusCode::OK);
        assert!(body == served.bytes);
        let quoted_etag = format!("\"{}\"", served.etag);
        for (name, value) in [
            ("content-length", len.to_string().as_str()),
            ("accept-ranges", "bytes"),
            ("etag", &quoted_etag),
            ("content-type", "application/zip"),
            (
                "content-disposition",
                "attachment; filename=\"export _.zip\"; filename*=UTF-8''export%20%C3%9C.zip",
            ),
            ("cache-control", "private, no-store"),
            ("x-content-type-options", "nosniff"),
        ] {
            assert_eq!(header_of(&headers, name), value, "{name}");
        }
        assert_eq!(header_of(&headers, "content-range"), "");

        let (status, headers, body) = request(
            served.addr,
            Method::HEAD,
            "/export",
            &[("range", "bytes=0-9")],
        )
        .await;
        assert_eq!(status, StatusCode::OK, "HEAD ignores Range");
        assert!(body.is_empty());
        assert_eq!(header_of(&headers, "content-length"), len.to_string());
        assert_eq!(header_of(&headers, "etag"), quoted_etag);

        let (status, headers, _) = request(served.addr, Method::POST, "/export", &[]).await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(header_of(&headers, "allow"), "GET, HEAD");
        for path in ["/missing", "/folder"] {
            let (status, headers, _) = request(served.addr, Method::GET, path, &[]).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
            assert_eq!(header_of(&headers, "cache-control"), "private, no-store");
        }
    }

    #[tokio::test]
    async fn ranges_answer_206_with_the_asked_bytes() {
        let served = server().await;
        let bytes = &served.bytes;
        let len = bytes.len();
        let cases = [
            ("bytes=0-9".to_owned(), 0, 9),
            ("bytes=1000-1999".to_owned(), 1000, 1999),
            ("bytes=-500".to_owned(), len - 500, len - 1),
            (format!("bytes={}-", len - 1234), len - 1234, len - 1),
            ("bytes=-99999999".to_owned(), 0, len - 1),
            (format!("bytes=100-{}", len + 5000), 100, len - 1),
        ];
        for (range, start, end) in cases {
            let (status, headers, body) =
                request(served.addr, Method::GET, "/export", &[("range", &range)]).await;
            assert_eq!(status, StatusCode::PARTIAL_CONTENT, "{range}");
            assert_eq!(
                header_of(&headers, "content-range"),
                format!("bytes {start}-{end}/{len}"),
                "{range}"
            );
            assert_eq!(
                header_of(&headers, "content-length"),
                (end - start + 1).to_string()
            );
            assert!(body == bytes[start..=end], "{range}");
            assert_eq!(header_of(&headers, "content-type"), "application/zip");
        }

        for range in [format!("bytes={len}-"), "bytes=-0".to_owned()] {
            let (status, headers, body) =
                request(served.addr, Method::GET, "/export", &[("range", &range)]).await;
            assert_eq!(status, StatusCode::RANGE_NOT_SATISFIABLE, "{range}");
            assert_eq!(
                header_of(&headers, "content-range"),
                format!("bytes */{len}")
            );
            assert!(body.is_empty());
        }

        for range in ["bytes=0-9,20-29", "bytes=9-0", "lines=0-9"] {
            let (status, _, body) =
                request(served.addr, Method::GET, "/export", &[("range", range)]).await;
            assert_eq!(status, StatusCode::OK, "{range}");
            assert!(body == *bytes, "{range}");
        }
    }

    #[tokio::test]
    async fn if_range_and_resume() {
        let served = server().await;
        let bytes = &served.bytes;
        let current = format!("\"{}\"", served.etag);

        let stale = [("range", "bytes=0-9"), ("if-range", "\"sha256:0000\"")];
        let (status, _, body) = request(served.addr, Method::GET, "/export", &stale).await;
        assert_eq!(
            status,
            StatusCode::OK,
            "a stale If-Range gets the whole file"
        );
        assert!(body == *bytes);
        let weak = format!("W/{current}");
        let (status, _, _) = request(
            served.addr,
            Method::GET,
            "/export",
            &[("range", "bytes=0-9"), ("if-range", &weak)],
        )
        .await;
        assert_eq!(status, StatusCode::OK, "a weak If-Range never matches");
        let (status, _, _) = request(
            served.addr,
            Method::GET,
            "/export",
            &[
                ("range", "bytes=0-9"),
                ("if-range", "Wed, 21 Oct 2015 07:28:00 GMT"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::OK, "a date If-Range never matches");

        // A download cut at `split`, then resumed from there.
        let split = bytes.len() / 3;
        let first = format!("bytes=0-{}", split - 1);
        let (status, _, mut whole) =
            request(served.addr, Method::GET, "/export", &[("range", &first)]).await;
        assert_eq!(status, StatusCode::PARTIAL_CONTENT);
        let rest = format!("bytes={split}-");
        let (status, _, tail) = request(
            served.addr,
            Method::GET,
            "/export",
            &[("range", &rest), ("if-range", &current)],
        )
        .await;
        assert_eq!(status, StatusCode::PARTIAL_CONTENT);
        whole.extend_from_slice(&tail);
        assert!(whole == *bytes);
    }
}

//! Requests against a generated router through `tower::ServiceExt::oneshot`,
//! and what came back, decoded for assertions.

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

/// `Authorization` for user `user`, password `pass`.
pub const BASIC: &str = "Basic dXNlcjpwYXNz";

/// A response, its body read as JSON (or as a JSON string when it is not
/// JSON, or `null` when empty).
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Answer {
    /// The `Content-Type` header, or `""`.
    pub fn content_type(&self) -> &str {
        self.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    /// The `message`s of an `ErrorReport` body.
    pub fn messages(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .map(|e| {
                e.iter()
                    .filter_map(|e| e["message"].as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Panics unless this is a `400` `ErrorReport` whose messages start
    /// with exactly `prefixes`, in order.
    #[track_caller]
    pub fn assert_problems(&self, prefixes: &[&str]) {
        self.assert_rejected(StatusCode::BAD_REQUEST, prefixes);
    }

    /// [`Answer::assert_problems`] with another status (404 where the
    /// operation declares no 400).
    #[track_caller]
    pub fn assert_rejected(&self, status: StatusCode, prefixes: &[&str]) {
        assert_eq!(self.status, status, "{:?}", self.body);
        assert_eq!(
            self.body["status"],
            Value::from(status.as_u16()),
            "{:?}",
            self.body
        );
        let messages = self.messages();
        assert_eq!(messages.len(), prefixes.len(), "{messages:#?}");
        for (m, p) in messages.iter().zip(prefixes) {
            assert!(m.starts_with(p), "{m:?} should start with {p:?}");
        }
    }
}

/// Sends `request` to `app` and reads the whole answer.
pub async fn send(app: axum::Router, request: Request<Body>) -> Answer {
    let response = app
        .oneshot(request)
        .await
        .expect("axum routers are infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("an in-memory body")
        .to_bytes();
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()))
    };
    Answer {
        status,
        headers,
        body,
    }
}

/// A request with exactly `headers` and `body`.
pub fn request(method: &str, uri: &str, headers: &[(&str, &str)], body: &str) -> Request<Body> {
    let mut request = Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request
        .body(Body::from(body.to_string()))
        .expect("tests build valid requests")
}

/// A GET with Basic credentials and `headers`.
pub fn get(uri: &str, headers: &[(&str, &str)]) -> Request<Body> {
    request(
        "GET",
        uri,
        &[&[("authorization", BASIC)], headers].concat(),
        "",
    )
}

/// A POST with Basic credentials, `content_type` and `body`.
pub fn post(uri: &str, content_type: &str, body: &str) -> Request<Body> {
    request(
        "POST",
        uri,
        &[("authorization", BASIC), ("content-type", content_type)],
        body,
    )
}

/// What one response variant must look like on the wire.
#[derive(Debug, Clone)]
pub struct Wire {
    pub status: u16,
    /// `""` when the response has no body.
    pub content_type: &'static str,
    pub headers: Vec<(&'static str, String)>,
    pub body: Value,
}

/// A response with `status`, no headers and no body.
pub fn wire(status: u16) -> Wire {
    Wire {
        status,
        content_type: "",
        headers: Vec::new(),
        body: Value::Null,
    }
}

impl Wire {
    pub fn json(mut self, content_type: &'static str, body: Value) -> Self {
        self.content_type = content_type;
        self.body = body;
        self
    }

    pub fn header(mut self, name: &'static str, value: &str) -> Self {
        self.headers.push((name, value.to_string()));
        self
    }
}

/// Queues each response on `script`, sends `make()` for it and checks that
/// the answer is exactly its [`Wire`] form.
pub async fn check_variants<R: std::any::Any + Send + std::fmt::Debug>(
    app: &axum::Router,
    script: &crate::script::Script,
    make: impl Fn() -> Request<Body>,
    cases: Vec<(R, Wire)>,
) {
    assert!(!cases.is_empty());
    for (response, expected) in cases {
        let label = format!("{response:?}");
        script.answer(response);
        let a = send(app.clone(), make()).await;
        assert_eq!(a.status.as_u16(), expected.status, "{label}: {:?}", a.body);
        assert_eq!(a.content_type(), expected.content_type, "{label}");
        assert_eq!(a.body, expected.body, "{label}");
        for (name, value) in &expected.headers {
            assert_eq!(
                a.headers.get(*name).and_then(|v| v.to_str().ok()),
                Some(value.as_str()),
                "{label}: header {name}"
            );
        }
        let extra: Vec<_> = a
            .headers
            .keys()
            .map(|k| k.as_str())
            .filter(|k| {
                !["content-type", "content-length"].contains(k)
                    && !expected.headers.iter().any(|(n, _)| n == k)
            })
            .collect();
        assert!(extra.is_empty(), "{label}: unexpected headers {extra:?}");
    }
}

/// Serves `app` on a free loopback port until the runtime ends; the
/// address it listens on.
pub async fn listen(app: axum::Router) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .expect("a free loopback port");
    let address = listener.local_addr().expect("a bound address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    address
}

/// [`listen`], as the `http://127.0.0.1:PORT` base URL.
pub async fn serve(app: axum::Router) -> String {
    format!("http://{}", listen(app).await)
}

/// A loopback server that answers every request with exactly `response`
/// (raw HTTP/1.1 bytes) and closes the connection: for what a well-behaved
/// server never sends. Its `http://127.0.0.1:PORT`.
pub async fn canned(response: &'static [u8]) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .expect("a free loopback port");
    let address = listener.local_addr().expect("a bound address");
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut seen = Vec::new();
            let mut buffer = [0u8; 4096];
            // The head is enough; the body (if any) is not needed to answer.
            while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buffer).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => seen.extend_from_slice(&buffer[..n]),
                }
            }
            let _ = stream.write_all(response).await;
            let _ = stream.shutdown().await;
        }
    });
    format!("http://{address}")
}

//! What every generated router does the same way: tracing, credentials,
//! content negotiation, parameter decoding and the `ErrorReport` answers.
//! The generated handlers call into this module.

mod auth;
mod body;
mod context;
mod params;

use std::borrow::Cow;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::str::FromStr;
use std::time::Instant;

use axum::body::Bytes;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::FutureExt as _;
use serde::Serialize;
use tracing::Instrument as _;

pub use auth::{authenticate, authenticate_optional, AuthError};
pub use body::{binary_body, blob, blob_body, body_is_empty, bytes, bytes_body, form, form_body, multipart_body, sent_as, serde_body, text, text_body};
pub use context::{Operation, RequestContext};
pub use params::{cookie_values, deep_object, exploded_object, object_pairs, value_param};

use crate::models::Violation;

/// Settings of a router.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServerOptions {
    /// Largest accepted request body in bytes; larger ones get 413.
    pub body_limit: usize,
}

impl Default for ServerOptions {
    fn default() -> Self {
        ServerOptions {
            body_limit: 1024 * 1024,
        }
    }
}

impl ServerOptions {
    pub fn with_body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }
}

/// What the router shares between requests: the implementation and the
/// options it was built with.
#[derive(Debug)]
pub struct Served<A> {
    pub api: A,
    pub options: ServerOptions,
}

/// Answers `answer` inside a span named `request` with the operation's
/// id, method and route, and logs the status and latency when it is done.
/// A panic anywhere in the handler (the authenticator, the implementation)
/// is logged with its message and answered 500; the server goes on.
/// Caught here rather than by a layer, which would box every response body.
/// A refusal of the router's own goes through `refuse` (the trait's
/// `refusal`), which may write it as the spec declares it.
pub async fn traced(
    operation: &'static Operation,
    answer: impl Future<Output = Response>,
    refuse: impl FnOnce(&ErrorReport) -> Option<Response>,
) -> Response {
    let span = tracing::info_span!("request", operation_id = operation.id, method = operation.method, route = operation.route);
    let started = Instant::now();
    let caught = AssertUnwindSafe(answer).catch_unwind().instrument(span.clone()).await;
    span.in_scope(|| {
        let response = caught.unwrap_or_else(panic_response);
        let response = rewritten(response, refuse);
        tracing::info!(status = response.status().as_u16(), latency = ?started.elapsed(), "answered");
        response
    })
}

/// The report a refusal of the router's own carries, beside its body.
#[derive(Clone)]
struct Refused(ErrorReport);

/// `response`, or where it is a refusal of the router's own and `refuse`
/// writes it otherwise, that answer with the router's headers it does not
/// set itself (a `WWW-Authenticate` challenge).
fn rewritten(response: Response, refuse: impl FnOnce(&ErrorReport) -> Option<Response>) -> Response {
    let Some(Refused(report)) = response.extensions().get::<Refused>() else {
        return response;
    };
    let Some(mut answer) = refuse(report) else {
        return response;
    };
    for (name, value) in response.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH && !answer.headers().contains_key(name) {
            answer.headers_mut().insert(name.clone(), value.clone());
        }
    }
    answer
}

/// The error body the router sends itself (400, 401, 406, 413, 415, 500), in the
/// shape of the IOM `ErrorReport` schema.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ErrorReport {
    pub status: u16,
    pub errors: Vec<ErrorEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ErrorEntry {
    pub code: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<serde_json::Value>,
}

/// Every problem found in one request, reported together.
#[derive(Debug, Default)]
pub struct Problems(pub Vec<ErrorEntry>);

impl Problems {
    pub fn push(&mut self, message: String, value: Option<serde_json::Value>) {
        self.0.push(ErrorEntry {
            code: "VALIDATION_EXCEPTION".into(),
            message,
            value,
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Adds constraint violations of the request's parts.
    pub fn violations(&mut self, violations: Vec<Violation>) {
        for v in violations {
            self.push(format!("{}: {}", v.path, v.message), None);
        }
    }
}

/// `400 Bad Request` listing every problem. An operation that declares a
/// 404 but no 400 gets 404 when every problem is in the path: a path that
/// does not decode names no resource, and the spec allows no 400 there.
pub fn bad_request(problems: Problems, declares_400: bool, declares_404: bool) -> Response {
    let in_path = problems.0.iter().all(|e| e.message.starts_with("/path/"));
    let status = if !declares_400 && declares_404 && in_path {
        StatusCode::NOT_FOUND
    } else {
        StatusCode::BAD_REQUEST
    };
    report(status, problems.0, &[])
}

fn report(status: StatusCode, errors: Vec<ErrorEntry>, headers: &[(HeaderName, String)]) -> Response {
    let body = ErrorReport {
        status: status.as_u16(),
        errors,
    };
    let mut response = match serde_json::to_vec(&body) {
        Ok(bytes) => (status, [(header::CONTENT_TYPE, "application/json")], bytes).into_response(),
        Err(_) => status.into_response(),
    };
    if status.is_client_error() {
        response.extensions_mut().insert(Refused(body));
    }
    for (name, value) in headers {
        if let Ok(value) = HeaderValue::from_str(value) {
            response.headers_mut().insert(name.clone(), value);
        }
    }
    response
}

fn single(status: StatusCode, code: &str, message: String) -> Response {
    report(
        status,
        vec![ErrorEntry {
            code: code.into(),
            message,
            value: None,
        }],
        &[],
    )
}

/// `406` unless `Accept` (if present) admits one of the media types the
/// operation answers with; `None` when it does.
pub fn check_accept(headers: &HeaderMap, produced: &[&str]) -> Option<Response> {
    match acceptable(headers, produced) {
        true => None,
        false => Some(single(
            StatusCode::NOT_ACCEPTABLE,
            "NOT_ACCEPTABLE",
            format!("`Accept` admits none of {}", produced.join(", ")),
        )),
    }
}

/// Of the media types an answer can have, the first that `Accept` admits
/// (the first of all without one, or where none is admitted).
pub fn preferred(headers: &HeaderMap, produced: &[&'static str]) -> &'static str {
    let first = produced.first().copied().unwrap_or_default();
    produced.iter().copied().find(|m| acceptable(headers, &[m])).unwrap_or(first)
}

/// Whether `Accept` (if present) admits one of `produced`.
pub(crate) fn acceptable(headers: &HeaderMap, produced: &[&str]) -> bool {
    // The common case without parsing: one header naming one produced type.
    let mut accept = headers.get_all(header::ACCEPT).iter();
    if let (Some(only), None) = (accept.next(), accept.next()) {
        let only = only.to_str().unwrap_or_default().trim();
        if produced.iter().any(|m| m.eq_ignore_ascii_case(only)) {
            return true;
        }
    }
    let mut ranges = headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .peekable();
    if ranges.peek().is_none() || produced.is_empty() {
        return true;
    }
    let admits = |range: &str, media: &str| {
        let mut parts = range.split(';');
        let essence = parts.next().unwrap_or_default().trim();
        let refused = parts.any(|p| {
            let p = p.trim();
            p.strip_prefix("q=").and_then(|q| q.trim().parse::<f32>().ok()) == Some(0.0)
        });
        // Compared without case and without allocating: this runs per request.
        let (mt, ms) = media.split_once('/').unwrap_or((media, ""));
        let ok = match essence.split_once('/') {
            Some(("*", "*")) => true,
            Some((t, "*")) => t.eq_ignore_ascii_case(mt),
            Some((t, s)) => t.eq_ignore_ascii_case(mt) && s.eq_ignore_ascii_case(ms),
            None => false,
        };
        ok && !refused
    };
    ranges.any(|r| produced.iter().any(|m| admits(r, m)))
}

/// `415` unless the body is absent (and optional) or its `Content-Type`
/// is one of the declared media types (parameters such as `charset` ignored);
/// `None` when it is.
pub fn check_content_type(headers: &HeaderMap, empty: bool, accepted: &[&str], required: bool) -> Option<Response> {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
    if empty && content_type.is_none() && !required {
        return None;
    }
    let essence = content_type
        .and_then(|c| c.split(';').next())
        .map(str::trim)
        .unwrap_or_default();
    if accepted.iter().any(|a| crate::models::support::admits(a, essence)) {
        None
    } else {
        Some(single(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_MEDIA_TYPE",
            format!(
                "the body must be {}, not `{}`",
                accepted.join(" or "),
                content_type.unwrap_or("(no Content-Type)")
            ),
        ))
    }
}

/// The query string as decoded `(name, value)` pairs, in order.
pub struct Query<'q>(Vec<(Cow<'q, str>, Cow<'q, str>)>);

impl<'q> Query<'q> {
    // Borrowed where nothing needs decoding: this runs per request.
    pub fn parse(raw: Option<&'q str>) -> Self {
        Query(form_urlencoded::parse(raw.unwrap_or_default().as_bytes()).collect())
    }

    /// The values sent for `name`, in order.
    pub fn values<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s str> {
        self.0.iter().filter(move |(k, _)| k == name).map(|(_, v)| v.as_ref())
    }

    /// The items of an array sent in brackets: `name[0]=a&name[1]=b` in
    /// the order of their indexes, `name[]=a` and `name=a` where they were
    /// sent.
    pub fn indexed<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s str> {
        let mut items: Vec<(usize, &str)> = Vec::new();
        for (position, (key, value)) in self.0.iter().enumerate() {
            let key: &str = key;
            let index = match key.strip_prefix(name) {
                Some("" | "[]") => Some(position),
                Some(rest) => rest.strip_prefix('[').and_then(|r| r.strip_suffix(']')).and_then(|i| i.parse().ok()),
                None => None,
            };
            if let Some(index) = index {
                items.push((index, value));
            }
        }
        items.sort_by_key(|(index, _)| *index);
        items.into_iter().map(|(_, value)| value)
    }
}

/// Values of a header parameter.
pub fn header_values<'h>(headers: &'h HeaderMap, name: &str) -> impl Iterator<Item = &'h str> {
    headers.get_all(name).into_iter().filter_map(|v| v.to_str().ok())
}

/// Values of a path parameter (always exactly one when the route matched).
pub fn path_values<'p>(params: &'p axum::extract::RawPathParams, name: &'p str) -> impl Iterator<Item = &'p str> {
    params.iter().filter(move |(k, _)| *k == name).map(|(_, v)| v)
}

fn parse_one<T: FromStr>(value: &str, location: &str, name: &str, problems: &mut Problems) -> Option<T>
where
    T::Err: std::fmt::Display,
{
    match value.parse::<T>() {
        Ok(v) => Some(v),
        Err(e) => {
            // The spec's `Error.value` is an object.
            let offending = serde_json::json!({ "in": location, "name": name, "value": value });
            problems.push(format!("/{location}/{name}: cannot read {value:?}: {e}"), Some(offending));
            None
        }
    }
}

// The values of a parameter come as an iterator, not a collection: this
// runs for every parameter of every request.

/// A required single-valued parameter; its absence or a bad value is a problem.
pub fn required<'v, T: FromStr>(mut values: impl Iterator<Item = &'v str>, location: &str, name: &str, problems: &mut Problems) -> Option<T>
where
    T::Err: std::fmt::Display,
{
    match (values.next(), values.next()) {
        (None, _) => {
            problems.push(format!("/{location}/{name}: the required parameter is missing"), None);
            None
        }
        (Some(one), None) => parse_one(one, location, name, problems),
        (Some(_), Some(_)) => {
            let times = 2 + values.count();
            problems.push(format!("/{location}/{name}: given {times} times, expected once"), None);
            None
        }
    }
}

/// An optional single-valued parameter.
pub fn optional<'v, T: FromStr>(values: impl Iterator<Item = &'v str>, location: &str, name: &str, problems: &mut Problems) -> Option<T>
where
    T::Err: std::fmt::Display,
{
    let mut values = values.peekable();
    values.peek()?;
    required(values, location, name, problems)
}

/// An array parameter: repeated keys, or (with a `delimiter`) values
/// joined into one.
pub fn array<'v, T: FromStr>(values: impl Iterator<Item = &'v str>, delimiter: Option<&str>, location: &str, name: &str, problems: &mut Problems) -> Vec<T>
where
    T::Err: std::fmt::Display,
{
    let mut items = Vec::new();
    let mut push = |item: &str| items.extend(parse_one(item, location, name, problems));
    for value in values {
        match delimiter {
            None => push(value),
            // Proxies join repeated header lines with ", ".
            Some(d) if location == "header" => value.split(d).for_each(|item| push(item.trim())),
            Some(d) => value.split(d).for_each(&mut push),
        }
    }
    items
}

/// The path parameters the route matched.
pub async fn path_params(parts: &mut axum::http::request::Parts) -> Result<axum::extract::RawPathParams, Response> {
    use axum::extract::FromRequestParts as _;
    axum::extract::RawPathParams::from_request_parts(parts, &()).await.map_err(IntoResponse::into_response)
}

/// The whole body, or the answer when it cannot be read: `413` past
/// `limit` (see [`ServerOptions`]), `400` for a broken transfer.
pub async fn read_body(body: axum::body::Body, limit: usize) -> Result<Bytes, Response> {
    axum::body::to_bytes(body, limit).await.map_err(|e| {
        let too_large = std::error::Error::source(&e).is_some_and(|s| s.is::<http_body_util::LengthLimitError>());
        if too_large {
            single(StatusCode::PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE", format!("the request body is larger than {limit} bytes"))
        } else {
            single(StatusCode::BAD_REQUEST, "BAD_REQUEST", format!("the request body could not be read: {e}"))
        }
    })
}

/// The JSON body, or a problem naming the path of the first decoding error.
pub fn json_body<T: serde::de::DeserializeOwned>(body: &Bytes, required: bool, problems: &mut Problems) -> Option<T> {
    if body.is_empty() {
        if required {
            problems.push("/body: the request body is missing".into(), None);
        }
        return None;
    }
    match crate::models::from_json_slice_strict::<T>(body) {
        Ok(v) => Some(v),
        Err(e) => {
            problems.push(format!("/body{}: {}", e.pointer(), e.message), None);
            None
        }
    }
}

/// A response with a JSON body of the given media type.
pub fn json<T: Serialize>(status: u16, media: &'static str, body: &T, headers: Vec<(&'static str, String)>) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => with_headers(status, Some((media.into(), bytes)), headers),
        Err(e) => internal(format!("the response body cannot be encoded: {e}")),
    }
}

/// A response without a body.
pub fn empty(status: u16, headers: Vec<(&'static str, String)>) -> Response {
    with_headers(status, None, headers)
}

fn with_headers(status: u16, body: Option<(Cow<'static, str>, Vec<u8>)>, headers: Vec<(&'static str, String)>) -> Response {
    let Ok(status) = StatusCode::from_u16(status) else {
        return internal(format!("{status} is not a status code"));
    };
    let response = match body {
        Some((media, bytes)) => match HeaderValue::try_from(media.as_ref()) {
            Ok(media) => (status, [(header::CONTENT_TYPE, media)], bytes).into_response(),
            Err(_) => return internal(format!("`{media}` is not a Content-Type")),
        },
        None => status.into_response(),
    };
    append_headers(response, headers)
}

/// `response` with `headers` added; a header that cannot be sent is the
/// implementation's fault: 500.
pub(crate) fn append_headers(mut response: Response, headers: Vec<(&'static str, String)>) -> Response {
    for (name, value) in headers {
        match (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(&value)) {
            (Ok(n), Ok(v)) => {
                response.headers_mut().append(n, v);
            }
            _ => return internal(format!("header `{name}: {value}` cannot be sent")),
        }
    }
    response
}

fn internal(message: String) -> Response {
    single(StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL_ERROR", message)
}

/// The answer to a range variant (`4XX`) whose status is outside its
/// class: `500`, since the spec declares no such response.
pub fn outside_class(status: u16, class: u16) -> Response {
    internal(format!("the implementation answered {status} as a {class}XX response"))
}

/// Adds the headers the implementation put into `context` to `response`,
/// replacing the router's values of the same names.
pub fn finish(mut response: Response, context: RequestContext) -> Response {
    let mut current = None;
    for (name, value) in context.into_response_headers() {
        // The iterator names a header once, before all of its values.
        if let Some(name) = name {
            response.headers_mut().remove(&name);
            current = Some(name);
        }
        if let Some(name) = &current {
            response.headers_mut().append(name.clone(), value);
        }
    }
    response
}

/// The answer to a panic: logged with its message, `500`, and the server
/// goes on serving other requests.
fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(a panic without a message)");
    tracing::error!(panic = message, "the implementation panicked");
    internal("the implementation failed".into())
}

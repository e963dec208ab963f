//! What every generated client does the same way: URLs, credentials,
//! sending through the middleware stack, and turning a response into a
//! typed value or an [`Error`]. The generated methods call into this module.

mod body;
mod params;

use std::borrow::Cow;
use std::fmt;
use std::sync::RwLock;
use std::time::Duration;

use base64::Engine as _;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

pub use body::{blob_body, bytes_body, form_body, json_body, multipart_body, text_body, Outgoing};
pub use params::{cookie, deep_pairs, exploded_pairs, joined, object_text, value_text};

use crate::models::security::{Carrier, Secret, Security};
use crate::models::{Credentials, Violation, Violations};

/// How much of an unexpected body an [`Error`] keeps.
const EXCERPT_BYTES: usize = 512;

/// A failure outside the spec: the spec's own error statuses (404, 401, …)
/// are variants of the operation's response enum, not errors.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The base URL, or a server variable, does not make a URL.
    InvalidUrl { url: String, message: String },
    /// The request breaks a constraint of the spec; nothing was sent.
    InvalidRequest(Violations),
    /// The request body could not be encoded as JSON.
    Encode(serde_json::Error),
    /// Nothing usable came back: connection refused, timeout, TLS, a
    /// broken response head, or a middleware gave up (retries exhausted).
    Transport(reqwest_middleware::Error),
    /// The response body broke off.
    ReadBody { status: u16, content_type: Option<String>, source: reqwest::Error },
    /// A status the operation does not declare (and no `default`).
    UnexpectedStatus { status: u16, content_type: Option<String>, excerpt: String },
    /// A declared status whose body has another media type than declared.
    UnexpectedContentType { status: u16, content_type: Option<String>, expected: &'static str, excerpt: String },
    /// The body does not decode into the declared type.
    Decode { status: u16, content_type: Option<String>, pointer: String, message: String, excerpt: String },
    /// A declared response header is missing (when required) or unreadable.
    Header { status: u16, name: &'static str, message: String },
    /// A page of a stream was answered with another declared status than
    /// the success one (`response` is the typed answer, formatted).
    Unsuccessful { status: u16, response: String },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ct = |c: &Option<String>| c.clone().unwrap_or_else(|| "no Content-Type".into());
        match self {
            Error::InvalidUrl { url, message } => write!(f, "invalid URL `{url}`: {message}"),
            Error::InvalidRequest(v) => write!(f, "the request was not sent: {v}"),
            Error::Encode(e) => write!(f, "the request body cannot be encoded: {e}"),
            Error::Transport(e) => write!(f, "the request failed: {e}"),
            Error::ReadBody { status, content_type, source } => {
                write!(f, "status {status} ({}): the body could not be read: {source}", ct(content_type))
            }
            Error::UnexpectedStatus { status, content_type, excerpt } => {
                write!(f, "status {status} ({}) is not declared by the spec; body: {excerpt:?}", ct(content_type))
            }
            Error::UnexpectedContentType { status, content_type, expected, excerpt } => write!(
                f,
                "status {status}: expected a body of {expected}, got {}; body: {excerpt:?}",
                ct(content_type)
            ),
            Error::Decode { status, content_type, pointer, message, excerpt } => write!(
                f,
                "status {status} ({}): the body does not decode at `{pointer}`: {message}; body: {excerpt:?}",
                ct(content_type)
            ),
            Error::Header { status, name, message } => write!(f, "status {status}: header `{name}`: {message}"),
            Error::Unsuccessful { status, response } => write!(f, "status {status} instead of a page: {response}"),
        }
    }
}

impl Error {
    /// Whether a timeout (the client's or the call's) ended the call.
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Transport(e) => e.is_timeout(),
            Error::ReadBody { source, .. } => source.is_timeout(),
            _ => false,
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::InvalidRequest(v) => Some(v),
            Error::Encode(e) => Some(e),
            Error::Transport(e) => Some(e),
            Error::ReadBody { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// The URL of a server template with its variables filled in; a value
/// outside a variable's `enum` is refused.
pub fn server_url(template: &str, variables: &[(&str, &str, &[&str])]) -> Result<String, Error> {
    let mut url = template.to_string();
    for (name, value, allowed) in variables {
        if !allowed.is_empty() && !allowed.contains(value) {
            return Err(Error::InvalidUrl {
                url: template.to_string(),
                message: format!("`{name}` must be one of {}, not `{value}`", allowed.join(", ")),
            });
        }
        url = url.replace(&format!("{{{name}}}"), value);
    }
    Ok(url)
}

/// One path segment for parameter `name`, percent-encoded so that `/`,
/// `#`, `?` and `%` in a value stay inside it. An empty value would leave
/// an empty segment that names no resource: the request is not sent.
pub fn segment(name: &str, value: &str) -> Result<String, Error> {
    if value.is_empty() {
        return Err(Error::InvalidRequest(Violations(vec![Violation {
            path: format!("/path/{name}"),
            keyword: "required",
            message: "a path parameter cannot be empty".into(),
        }])));
    }
    Ok(encode_segment(value))
}

/// `path` with `pairs` as its query, their reserved characters
/// (`:/?[]@!$'()*,;`) unencoded, as `allowReserved` asks; `&`, `=`, `+` and
/// `#` stay encoded, since they would change what the query says.
pub fn with_reserved(mut path: String, pairs: Vec<(&'static str, String)>) -> String {
    const RESERVED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~')
        .remove(b':')
        .remove(b'/')
        .remove(b'?')
        .remove(b'[')
        .remove(b']')
        .remove(b'@')
        .remove(b'!')
        .remove(b'$')
        .remove(b'\'')
        .remove(b'(')
        .remove(b')')
        .remove(b'*')
        .remove(b',')
        .remove(b';');
    for (i, (key, value)) in pairs.iter().enumerate() {
        path.push(if i == 0 { '?' } else { '&' });
        path.extend(form_urlencoded::byte_serialize(key.as_bytes()));
        path.push('=');
        path.extend(percent_encoding::utf8_percent_encode(value, RESERVED));
    }
    path
}

fn encode_segment(value: &str) -> String {
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(value, SEGMENT).to_string()
}

/// The items of a paged operation, one page after the other: `fetch`
/// answers a request with its items and the request for the next page.
/// Ends after an empty page, a page without a next request, or an error.
pub fn pages<C, R, T, F, Fut>(client: C, first: R, fetch: F) -> impl futures_util::Stream<Item = Result<T, Error>> + Send + Unpin + 'static
where
    C: Clone + Send + 'static,
    R: Send + 'static,
    T: Send + 'static,
    F: Fn(C, R) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = Result<(Vec<T>, Option<R>), Error>> + Send + 'static,
{
    use futures_util::{StreamExt as _, TryStreamExt as _};
    futures_util::stream::try_unfold(Some(first), move |request| {
        let page = request.map(|r| fetch(client.clone(), r));
        async move {
            let Some(page) = page else { return Ok(None) };
            let (items, next) = page.await?;
            // An empty page ends the stream even where a next one is named.
            Ok((!items.is_empty()).then_some((items, next)))
        }
    })
    .map_ok(|items| futures_util::stream::iter(items.into_iter().map(Ok)))
    .try_flatten()
    .boxed()
}

/// `value` advanced by `by`, for the next page; beyond the parameter's
/// type is an error, since the same page again would never end.
pub fn advance<N>(value: N, by: usize, name: &'static str) -> Result<N, Error>
where
    N: Into<i64> + TryFrom<i64>,
{
    i64::try_from(by)
        .ok()
        .and_then(|by| value.into().checked_add(by))
        .and_then(|next| N::try_from(next).ok())
        .ok_or_else(|| {
            Error::InvalidRequest(Violations(vec![Violation {
                path: format!("/query/{name}"),
                keyword: "maximum",
                message: "the next page is beyond the parameter's type".into(),
            }]))
        })
}

/// Query pairs with static names or (objects in brackets) names of their
/// own.
pub fn pairs<K: Into<Cow<'static, str>>>(list: Vec<(K, String)>) -> Vec<(Cow<'static, str>, String)> {
    list.into_iter().map(|(k, v)| (k.into(), v)).collect()
}

/// The state every clone of a client shares.
pub struct Core {
    base: String,
    http: reqwest_middleware::ClientWithMiddleware,
    credentials: RwLock<Option<Credentials>>,
}

/// Settings for the calls of one client handle (see `Client::with_options`):
/// a timeout, and headers sent besides those the spec declares (an
/// idempotency key, a correlation id). A header set here replaces the
/// method's value of the same name.
#[derive(Debug, Clone, Default)]
pub struct CallOptions {
    timeout: Option<Duration>,
    headers: HeaderMap,
}

impl CallOptions {
    pub fn new() -> Self {
        CallOptions::default()
    }

    /// Ends each call after `timeout`, connecting and reading included
    /// ([`Error::is_timeout`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sends `name: value` with each call.
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.insert(name, value);
        self
    }

    pub fn timeout_value(&self) -> Option<Duration> {
        self.timeout
    }

    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }
}

/// A typed response with the status and every header that came with it,
/// those the spec does not declare (rate limits, request ids) included.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseValue<T> {
    value: T,
    status: u16,
    headers: HeaderMap,
}

impl<T> ResponseValue<T> {
    pub fn into_inner(self) -> T {
        self.value
    }

    pub fn value(&self) -> &T {
        &self.value
    }

    pub fn status(&self) -> u16 {
        self.status
    }

    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The value and the headers.
    pub fn into_parts(self) -> (T, HeaderMap) {
        (self.value, self.headers)
    }
}

impl<T> std::ops::Deref for ResponseValue<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

/// One request, as the generated method built it.
pub struct Call {
    pub method: reqwest::Method,
    /// Already percent-encoded.
    pub path: String,
    /// Query pairs (see [`pairs`]).
    pub query: Vec<(Cow<'static, str>, String)>,
    pub headers: Vec<(&'static str, String)>,
    pub body: Option<Outgoing>,
    /// Every media type the operation answers with, for `Accept`.
    pub accept: &'static str,
    /// Which of the client's credentials to send.
    pub security: Security,
}

impl Core {
    pub fn new(base_url: &str, http: reqwest_middleware::ClientWithMiddleware) -> Result<Self, Error> {
        let parsed = reqwest::Url::parse(base_url).map_err(|e| Error::InvalidUrl {
            url: base_url.to_string(),
            message: e.to_string(),
        })?;
        if parsed.cannot_be_a_base() || parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(Error::InvalidUrl {
                url: base_url.to_string(),
                message: "a base URL needs a host and no query or fragment".into(),
            });
        }
        Ok(Core {
            base: base_url.trim_end_matches('/').to_string(),
            http,
            credentials: RwLock::new(None),
        })
    }

    pub fn base_url(&self) -> &str {
        &self.base
    }

    pub fn set_credentials(&self, credentials: Option<Credentials>) {
        // A writer that panicked left a whole value behind; keep going.
        *self.credentials.write().unwrap_or_else(|e| e.into_inner()) = credentials;
    }

    /// The secrets of the first alternative of `security` the client
    /// holds every scheme of, with where each travels; none without one.
    fn secrets(&self, security: Security) -> Vec<(Carrier, Secret)> {
        if security.alternatives.is_empty() {
            return Vec::new();
        }
        let held = self.credentials.read().unwrap_or_else(|e| e.into_inner());
        let Some(credentials) = held.as_ref() else {
            return Vec::new();
        };
        let complete = |all: &&&[(&str, &[&str])]| all.iter().all(|(name, _)| credentials.holds(name));
        let Some(all) = security.alternatives.iter().find(complete) else {
            return Vec::new();
        };
        all.iter()
            .filter_map(|(name, _)| {
                let scheme = Credentials::SCHEMES.iter().find(|s| s.name == *name)?;
                Some((scheme.carrier, credentials.get(name)?))
            })
            .collect()
    }

    /// Sends `call` with `options` through the middleware and reads the
    /// whole response.
    pub async fn send(&self, call: Call, options: &CallOptions) -> Result<Received, Error> {
        let response = self.execute(call, options).await?;
        Received::read(response).await
    }

    /// As `send`, but an answer of one of the `streamed` media types (raw
    /// bytes, events) is left unread: the caller's stream reads it. A
    /// per-call timeout bounds the whole stream.
    pub async fn send_streaming(&self, call: Call, options: &CallOptions, streamed: &[&str]) -> Result<Received, Error> {
        let mut response = self.execute(call, options).await?;
        let mut received = Received::unread(&mut response);
        if received.is(streamed) {
            received.stream = Some(response);
            return Ok(received);
        }
        received.with_body(response).await
    }

    async fn execute(&self, call: Call, options: &CallOptions) -> Result<reqwest::Response, Error> {
        let request = self.request(call, options)?;
        self.http.execute(request).await.map_err(Error::Transport)
    }

    /// The request for `call`: its URL and headers, the credentials its
    /// operation takes, and the per-call options.
    fn request(&self, call: Call, options: &CallOptions) -> Result<reqwest::Request, Error> {
        let text = format!("{}{}", self.base, call.path);
        let mut url = reqwest::Url::parse(&text).map_err(|e| Error::InvalidUrl { url: text.clone(), message: e.to_string() })?;
        let secrets = self.secrets(call.security);
        let keys = secrets.iter().filter_map(|(carrier, secret)| match (carrier, secret) {
            (Carrier::Query(name), Secret::Token(key)) => Some((*name, key.as_str())),
            _ => None,
        });
        let mut pairs = call.query.iter().map(|(k, v)| (k.as_ref(), v.as_str())).chain(keys).peekable();
        if pairs.peek().is_some() {
            url.query_pairs_mut().extend_pairs(pairs);
        }
        let mut request = match call.body {
            // reqwest writes the boundary and, where it can, the length.
            Some(Outgoing::Multipart(form)) => self.http.request(call.method, url).multipart(form).build().map_err(|e| Error::Transport(e.into()))?,
            // Built in place: a builder is moved at every step, and this
            // runs for every call.
            body => {
                let mut request = reqwest::Request::new(call.method, url);
                let sent = match body {
                    Some(Outgoing::Bytes(media, bytes)) => Some((media, reqwest::Body::from(bytes))),
                    Some(Outgoing::Stream(media, stream)) => Some((media, stream)),
                    _ => None,
                };
                if let Some((media, body)) = sent {
                    request.headers_mut().insert(reqwest::header::CONTENT_TYPE, header_value("content-type", &media, false)?);
                    *request.body_mut() = Some(body);
                }
                request
            }
        };
        let headers = request.headers_mut();
        if !call.accept.is_empty() {
            headers.insert(reqwest::header::ACCEPT, header_value("accept", call.accept, false)?);
        }
        // Cookie parameters and API keys in cookies share one header.
        let mut cookies: Vec<String> = Vec::new();
        for (name, value) in call.headers {
            if name == "cookie" {
                cookies.push(value);
            } else {
                headers.append(header_name(name)?, header_value(name, &value, false)?);
            }
        }
        for (carrier, secret) in secrets {
            match (carrier, secret) {
                (Carrier::Basic, Secret::Basic(basic)) => {
                    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", basic.user, basic.password));
                    headers.append(reqwest::header::AUTHORIZATION, header_value("authorization", &format!("Basic {encoded}"), true)?);
                }
                (Carrier::Bearer, Secret::Token(token)) => {
                    headers.append(reqwest::header::AUTHORIZATION, header_value("authorization", &format!("Bearer {token}"), true)?);
                }
                (Carrier::Header(name), Secret::Token(key)) => {
                    headers.append(header_name(name)?, header_value(name, &key, true)?);
                }
                (Carrier::Cookie(name), Secret::Token(key)) => cookies.push(format!("{name}={key}")),
                _ => {}
            }
        }
        if !cookies.is_empty() {
            headers.insert(reqwest::header::COOKIE, header_value("cookie", &cookies.join("; "), true)?);
        }
        if let Some(timeout) = options.timeout {
            *request.timeout_mut() = Some(timeout);
        }
        for name in options.headers.keys() {
            request.headers_mut().remove(name);
        }
        for (name, value) in &options.headers {
            request.headers_mut().append(name.clone(), value.clone());
        }
        Ok(request)
    }
}

fn header_name(name: &str) -> Result<HeaderName, Error> {
    HeaderName::from_bytes(name.as_bytes()).map_err(|e| invalid_header(name, e.to_string()))
}

/// A header's value; `secret` keeps it out of `Debug` output.
fn header_value(name: &str, value: &str, secret: bool) -> Result<HeaderValue, Error> {
    let mut value = HeaderValue::from_str(value).map_err(|e| invalid_header(name, e.to_string()))?;
    value.set_sensitive(secret);
    Ok(value)
}

fn invalid_header(name: &str, message: String) -> Error {
    Error::InvalidRequest(Violations(vec![Violation { path: format!("/header/{name}"), keyword: "format", message: format!("cannot be sent: {message}") }]))
}

/// A whole response, before it becomes a typed value.
pub struct Received {
    pub status: u16,
    pub content_type: Option<String>,
    pub headers: reqwest::header::HeaderMap,
    pub body: Vec<u8>,
    /// A stream of events, left unread (`body` is empty then).
    pub stream: Option<reqwest::Response>,
}

impl Received {
    /// The status and headers of `response`, and its whole body.
    async fn read(mut response: reqwest::Response) -> Result<Self, Error> {
        Received::unread(&mut response).with_body(response).await
    }

    /// These, with the whole body of `response` (whose headers `unread`
    /// took).
    async fn with_body(mut self, response: reqwest::Response) -> Result<Self, Error> {
        match response.bytes().await {
            // Without a copy when the buffer is not shared.
            Ok(b) => self.body = Vec::from(b),
            Err(source) => return Err(Error::ReadBody { status: self.status, content_type: self.content_type, source }),
        }
        Ok(self)
    }

    /// The status and headers of `response`, its body not read yet.
    fn unread(response: &mut reqwest::Response) -> Self {
        let headers = std::mem::take(response.headers_mut());
        let content_type = headers.get(reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(String::from);
        Received { status: response.status().as_u16(), content_type, headers, body: Vec::new(), stream: None }
    }

    fn excerpt(&self) -> String {
        let end = self.body.len().min(EXCERPT_BYTES);
        let mut text = String::from_utf8_lossy(&self.body[..end]).into_owned();
        if self.body.len() > end {
            text.push('…');
        }
        text
    }

    /// A declared header, `None` when absent.
    pub fn header<T: std::str::FromStr>(&self, name: &'static str) -> Result<Option<T>, Error>
    where
        T::Err: fmt::Display,
    {
        let Some(value) = self.headers.get(name) else {
            return Ok(None);
        };
        let problem = |message: String| Error::Header { status: self.status, name, message };
        let text = value.to_str().map_err(|e| problem(e.to_string()))?;
        text.parse().map(Some).map_err(|e: T::Err| problem(format!("cannot read {text:?}: {e}")))
    }

    /// A header the spec marks required.
    pub fn required_header<T: std::str::FromStr>(&self, name: &'static str) -> Result<T, Error>
    where
        T::Err: fmt::Display,
    {
        self.header(name)?.ok_or_else(|| Error::Header {
            status: self.status,
            name,
            message: "the required header is missing".into(),
        })
    }

    /// `value`, with the status and headers it came with.
    pub fn into_value<T>(self, value: T) -> ResponseValue<T> {
        ResponseValue { value, status: self.status, headers: self.headers }
    }

    /// The error for a status the operation does not declare.
    pub fn unexpected(&self) -> Error {
        Error::UnexpectedStatus {
            status: self.status,
            content_type: self.content_type.clone(),
            excerpt: self.excerpt(),
        }
    }
}

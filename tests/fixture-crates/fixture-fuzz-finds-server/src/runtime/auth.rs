//! Authentication, once per request: the credentials an operation accepts
//! are taken from the request as its `security` says, the implementation's
//! `authenticate` turns them into a principal, and a refusal is answered
//! `401` with a challenge per accepted scheme, or `403`.

use std::future::Future;

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use base64::Engine as _;

use super::{report, single, ErrorEntry, Query, RequestContext};
use crate::models::security::{BasicCredentials, Carrier, Secret, Security};
use crate::models::Credentials;

/// Why an implementation's `authenticate` refused a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthError {
    /// The credentials are not valid: `401` with a challenge for every
    /// scheme the operation accepts.
    Unauthorized,
    /// The credentials are valid but may not call this operation: `403`.
    Forbidden,
}

impl std::fmt::Display for AuthError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AuthError::Unauthorized => f.write_str("credentials are missing or invalid"),
            AuthError::Forbidden => f.write_str("the credentials may not call this operation"),
        }
    }
}

impl std::error::Error for AuthError {}

/// The principal for an operation that requires credentials: `check` (the
/// implementation's `authenticate`) makes it from what the request carried
/// of the accepted schemes, once they make up one alternative.
pub async fn authenticate<P, Checked>(context: &RequestContext, realm: &str, check: impl FnOnce(Credentials) -> Checked) -> Result<P, Response>
where
    Checked: Future<Output = Result<P, AuthError>>,
{
    match authenticate_optional(context, realm, check).await? {
        Some(principal) => Ok(principal),
        None => Err(refuse(context.operation().security, realm, AuthError::Unauthorized)),
    }
}

/// As [`authenticate`], but a request that carries none of the accepted
/// credentials has no principal, where the operation allows that.
pub async fn authenticate_optional<P, Checked>(context: &RequestContext, realm: &str, check: impl FnOnce(Credentials) -> Checked) -> Result<Option<P>, Response>
where
    Checked: Future<Output = Result<P, AuthError>>,
{
    let security = context.operation().security;
    let mut credentials = Credentials::default();
    let mut presented = false;
    // Each looked up once, and only when a scheme needs it: this runs for
    // every request.
    let mut query = None;
    let mut authorization = None;
    for scheme in Credentials::SCHEMES.iter().filter(|s| security.names(s.name)) {
        let found = match scheme.carrier {
            Carrier::Basic => basic(authorization.get_or_insert_with(|| authorization_of(context.headers()))),
            Carrier::Bearer => after_scheme(authorization.get_or_insert_with(|| authorization_of(context.headers())), "Bearer").and_then(token),
            Carrier::Header(name) => context.headers().get(name).and_then(|v| v.to_str().ok()).and_then(|v| token(v.trim())),
            Carrier::Query(name) => {
                let query = query.get_or_insert_with(|| Query::parse(context.uri().query()));
                query.values(name).next().and_then(token)
            }
            Carrier::Cookie(name) => super::cookie_values(context.headers(), name).next().and_then(|v| token(v.trim_matches('"'))),
        };
        if let Some(secret) = found {
            presented |= credentials.set(scheme.name, secret);
        }
    }
    let complete = security.alternatives.iter().any(|all| all.iter().all(|(name, _)| credentials.holds(name)));
    let refusal = if complete {
        match check(credentials).await {
            Ok(principal) => return Ok(Some(principal)),
            Err(refusal) => refusal,
        }
    } else if security.optional && !presented {
        return Ok(None);
    } else {
        AuthError::Unauthorized
    };
    Err(refuse(security, realm, refusal))
}

fn refuse(security: Security, realm: &str, refusal: AuthError) -> Response {
    tracing::debug!(%refusal, "refused");
    match refusal {
        AuthError::Unauthorized => {
            let entry = ErrorEntry { code: "UNAUTHORIZED".into(), message: refusal.to_string(), value: None };
            // Empty only where every scheme is one the spec never declared.
            let challenge = challenge(security, realm);
            let headers = match challenge.is_empty() {
                true => vec![],
                false => vec![(header::WWW_AUTHENTICATE, challenge)],
            };
            report(StatusCode::UNAUTHORIZED, vec![entry], &headers)
        }
        AuthError::Forbidden => single(StatusCode::FORBIDDEN, "FORBIDDEN", refusal.to_string()),
    }
}

/// One challenge per accepted scheme, bearer tokens with the scopes the
/// operation asks for. API keys have no registered challenge; theirs says
/// where the key goes.
fn challenge(security: Security, realm: &str) -> String {
    let mut challenges: Vec<String> = Vec::new();
    for scheme in Credentials::SCHEMES.iter().filter(|s| security.names(s.name)) {
        let text = match scheme.carrier {
            Carrier::Basic => format!("Basic realm=\"{realm}\""),
            Carrier::Bearer => {
                let scopes = security.scopes(scheme.name);
                match scopes.is_empty() {
                    true => format!("Bearer realm=\"{realm}\""),
                    false => format!("Bearer realm=\"{realm}\", scope=\"{}\"", scopes.join(" ")),
                }
            }
            Carrier::Header(name) => format!("ApiKey realm=\"{realm}\", in=\"header\", name=\"{name}\""),
            Carrier::Query(name) => format!("ApiKey realm=\"{realm}\", in=\"query\", name=\"{name}\""),
            Carrier::Cookie(name) => format!("ApiKey realm=\"{realm}\", in=\"cookie\", name=\"{name}\""),
        };
        if !challenges.contains(&text) {
            challenges.push(text);
        }
    }
    challenges.join(", ")
}

fn authorization_of(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::AUTHORIZATION)?.to_str().ok()
}

/// What follows `scheme` (matched without regard to case) and a space in
/// an `Authorization` value.
fn after_scheme<'v>(authorization: &Option<&'v str>, scheme: &str) -> Option<&'v str> {
    let value = (*authorization)?;
    let (head, rest) = (value.get(..scheme.len())?, &value[scheme.len()..]);
    let rest = rest.strip_prefix(' ')?;
    head.eq_ignore_ascii_case(scheme).then(|| rest.trim())
}

fn token(value: &str) -> Option<Secret> {
    (!value.is_empty()).then(|| Secret::Token(value.to_string()))
}

fn basic(authorization: &Option<&str>) -> Option<Secret> {
    let decoded = base64::engine::general_purpose::STANDARD.decode(after_scheme(authorization, "Basic")?).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (user, password) = text.split_once(':')?;
    Some(Secret::Basic(BasicCredentials { user: user.to_string(), password: password.to_string() }))
}

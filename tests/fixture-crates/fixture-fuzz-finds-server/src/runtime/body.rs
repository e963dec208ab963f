//! Bodies other than JSON: forms, text and raw bytes, read from requests
//! and written into responses.

use axum::body::Bytes;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse as _, Response};
use futures_util::StreamExt as _;
use serde::Serialize;

use super::{append_headers, internal, with_headers, Problems};
use crate::models::binary::{Binary, BinaryError};
use crate::models::support::{form_pairs, split_form_pairs, Blob, FormStyle, MultipartForm, Part};

/// How deep brackets may nest in a form body (`a[b][0][c]`).
const FORM_DEPTH: usize = 8;

/// The body's Content-Type, without parameters.
pub(crate) fn essence(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    Some(value.split(';').next().unwrap_or_default().trim())
}

/// Whether the request's body is of one of the `declared` media types
/// (for a body of several, to choose the variant).
pub fn sent_as(headers: &HeaderMap, declared: &[&str]) -> bool {
    essence(headers).is_some_and(|actual| declared.iter().any(|d| crate::models::support::admits(d, actual)))
}

/// The problem of an absent body, when it is required.
fn missing(body: &Bytes, required: bool, problems: &mut Problems) -> bool {
    if body.is_empty() {
        if required {
            problems.push("/body: the request body is missing".into(), None);
        }
        return true;
    }
    false
}

/// A form body: bracketed keys nest (`metadata[key]=v`, `items[0][price]=1`),
/// repeated keys make arrays, delimited properties (`styles`) are split.
pub fn form_body<T: serde::de::DeserializeOwned>(body: &Bytes, required: bool, styles: &[(&str, FormStyle)], problems: &mut Problems) -> Option<T> {
    if missing(body, required, problems) {
        return None;
    }
    let config = serde_qs::Config::new().max_depth(FORM_DEPTH).use_form_encoding(true);
    let decoded = if styles.is_empty() {
        config.deserialize_bytes::<T>(body)
    } else {
        let pairs = form_urlencoded::parse(body).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        let joined = form_urlencoded::Serializer::new(String::new()).extend_pairs(split_form_pairs(pairs, styles)).finish();
        config.deserialize_str::<T>(&joined)
    };
    match decoded {
        Ok(value) => Some(value),
        Err(e) => {
            problems.push(format!("/body: the form does not decode: {e}"), None);
            None
        }
    }
}

/// JSON or a form, as the request's Content-Type says (checked before).
pub fn serde_body<T: serde::de::DeserializeOwned>(headers: &HeaderMap, body: &Bytes, required: bool, styles: &[(&str, FormStyle)], problems: &mut Problems) -> Option<T> {
    match essence(headers) {
        Some(e) if e.eq_ignore_ascii_case("application/x-www-form-urlencoded") => form_body(body, required, styles, problems),
        _ => super::json_body(body, required, problems),
    }
}

/// A text body, which must be UTF-8.
pub fn text_body(body: Bytes, required: bool, problems: &mut Problems) -> Option<String> {
    if missing(&body, required, problems) {
        return None;
    }
    match String::from_utf8(Vec::from(body)) {
        Ok(text) => Some(text),
        Err(_) => {
            problems.push("/body: the text is not UTF-8".into(), None);
            None
        }
    }
}

/// A raw body, read already (one of several media types).
pub fn bytes_body(body: Bytes, required: bool, problems: &mut Problems) -> Option<Binary> {
    if missing(&body, required, problems) {
        return None;
    }
    Some(Binary::from(Vec::from(body)))
}

/// Whether the request has no body (before it is read).
pub fn body_is_empty(body: &axum::body::Body) -> bool {
    axum::body::HttpBody::is_end_stream(body)
}

/// A raw body handed to the implementation unread, as a stream: no limit
/// applies, since the implementation reads what it wants of it.
pub fn binary_body(body: axum::body::Body, required: bool, problems: &mut Problems) -> Option<Binary> {
    if body_is_empty(&body) {
        if required {
            problems.push("/body: the request body is missing".into(), None);
        }
        return None;
    }
    let chunks = body.into_data_stream().map(|chunk| chunk.map_err(|e| BinaryError::new(e.to_string())));
    Some(Binary::from_stream(chunks))
}

/// A raw body of a media range, with its actual Content-Type.
pub fn blob_body(headers: &HeaderMap, body: Bytes, required: bool, problems: &mut Problems) -> Option<Blob> {
    if missing(&body, required, problems) {
        return None;
    }
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("application/octet-stream");
    Some(Blob::new(content_type, Vec::from(body)))
}

/// A response with a form body.
pub fn form<T: Serialize>(status: u16, media: &'static str, body: &T, styles: &[(&str, FormStyle)], headers: Vec<(&'static str, String)>) -> Response {
    match serde_json::to_value(body) {
        Ok(value) => {
            let text = form_urlencoded::Serializer::new(String::new()).extend_pairs(form_pairs(&value, styles)).finish();
            with_headers(status, Some((media.into(), text.into_bytes())), headers)
        }
        Err(e) => internal(format!("the response body cannot be encoded: {e}")),
    }
}

/// A response with a text body.
pub fn text(status: u16, media: &'static str, body: String, headers: Vec<(&'static str, String)>) -> Response {
    with_headers(status, Some((media.into(), body.into_bytes())), headers)
}

/// A response with a raw body.
pub fn bytes(status: u16, media: &'static str, body: Binary, headers: Vec<(&'static str, String)>) -> Response {
    let stream = match body.try_into_vec() {
        Ok(bytes) => return with_headers(status, Some((media.into(), bytes)), headers),
        Err(stream) => stream,
    };
    let Ok(status) = axum::http::StatusCode::from_u16(status) else {
        return internal(format!("{status} is not a status code"));
    };
    // A chunk that fails ends the body early: the status has been sent.
    let body = axum::body::Body::from_stream(stream.into_stream());
    let response = (status, [(header::CONTENT_TYPE, media)], body).into_response();
    append_headers(response, headers)
}

/// A response with a raw body of the content type it carries.
pub fn blob(status: u16, body: Blob, headers: Vec<(&'static str, String)>) -> Response {
    with_headers(status, Some((body.content_type.into(), body.data)), headers)
}

/// A `multipart/form-data` body, read with axum's multipart support.
pub async fn multipart_body<T: MultipartForm>(headers: &HeaderMap, body: Bytes, required: bool, problems: &mut Problems) -> Option<T> {
    use axum::extract::FromRequest as _;
    if missing(&body, required, problems) {
        return None;
    }
    let mut request = axum::extract::Request::new(axum::body::Body::from(body));
    if let Some(content_type) = headers.get(header::CONTENT_TYPE) {
        request.headers_mut().insert(header::CONTENT_TYPE, content_type.clone());
    }
    let mut multipart = match axum::extract::Multipart::from_request(request, &()).await {
        Ok(m) => m,
        Err(e) => {
            problems.push(format!("/body: {}", e.body_text()), None);
            return None;
        }
    };
    let mut parts = Vec::new();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => {
                problems.push(format!("/body: {}", e.body_text()), None);
                return None;
            }
        };
        let name = field.name().unwrap_or_default().to_string();
        let filename = field.file_name().map(String::from);
        let content_type = field.content_type().map(String::from);
        let headers = field
            .headers()
            .iter()
            .filter(|(n, _)| *n != header::CONTENT_TYPE && *n != header::CONTENT_DISPOSITION)
            .filter_map(|(n, v)| Some((n.as_str().to_string(), v.to_str().ok()?.to_string())))
            .collect();
        match field.bytes().await {
            Ok(data) => parts.push(Part { name, filename, content_type, data: Vec::from(data), headers }),
            Err(e) => {
                problems.push(format!("/body/{name}: {}", e.body_text()), None);
                return None;
            }
        }
    }
    match T::from_parts(parts) {
        Ok(value) => Some(value),
        Err(errors) => {
            for e in errors {
                problems.push(e, None);
            }
            None
        }
    }
}

//! Request bodies as the spec's media types write them, and response
//! bodies read back: JSON, forms, text and raw bytes.

use std::borrow::Cow;

use futures_util::StreamExt as _;

use super::{Error, Received};
use crate::models::binary::{Binary, BinaryError};
use crate::models::support::{admits, form_pairs, Blob, FormStyle, MultipartForm};
use crate::models::{DecodeError, Violation, Violations};

/// A body to send.
pub enum Outgoing {
    /// Its Content-Type and bytes.
    Bytes(Cow<'static, str>, Vec<u8>),
    /// A multipart form, whose Content-Type reqwest sets with the boundary.
    Multipart(reqwest::multipart::Form),
    /// Its Content-Type and a stream of its chunks.
    Stream(Cow<'static, str>, reqwest::Body),
}

/// How deep brackets may nest in a form body (`a[b][0][c]`).
const FORM_DEPTH: usize = 8;

pub fn json_body<T: serde::Serialize>(media: &'static str, body: &T) -> Result<Outgoing, Error> {
    let bytes = serde_json::to_vec(body).map_err(Error::Encode)?;
    Ok(Outgoing::Bytes(media.into(), bytes))
}

/// A form: nested values in brackets (`metadata[key]=v`), top-level arrays
/// as repeated keys unless `styles` says otherwise.
pub fn form_body<T: serde::Serialize>(media: &'static str, body: &T, styles: &[(&str, FormStyle)]) -> Result<Outgoing, Error> {
    let value = serde_json::to_value(body).map_err(Error::Encode)?;
    let text = form_urlencoded::Serializer::new(String::new()).extend_pairs(form_pairs(&value, styles)).finish();
    Ok(Outgoing::Bytes(media.into(), text.into_bytes()))
}

pub fn text_body(media: &'static str, body: &str) -> Outgoing {
    Outgoing::Bytes(media.into(), body.as_bytes().to_vec())
}

/// Raw bytes, or a stream sent as it comes (a clone shares it).
pub fn bytes_body(media: &'static str, body: &Binary) -> Result<Outgoing, Error> {
    Ok(match body.as_bytes() {
        Some(bytes) => Outgoing::Bytes(media.into(), bytes.to_vec()),
        None => Outgoing::Stream(media.into(), reqwest::Body::wrap_stream(body.clone().into_stream())),
    })
}

/// Raw bytes of a media range, sent as the content type they carry,
/// which must be in `range`.
pub fn blob_body(range: &'static str, body: &Blob) -> Result<Outgoing, Error> {
    let essence = body.content_type.split(';').next().unwrap_or_default().trim();
    if !admits(range, essence) {
        let violation = Violation {
            path: "/body".into(),
            keyword: "contentType",
            message: format!("the content type `{}` is not one of `{range}`", body.content_type),
        };
        return Err(Error::InvalidRequest(Violations(vec![violation])));
    }
    Ok(Outgoing::Bytes(body.content_type.clone().into(), body.data.clone()))
}

/// A multipart form of the body's parts, written with reqwest's support.
pub fn multipart_body<T: MultipartForm>(body: &T) -> Result<Outgoing, Error> {
    let invalid = |message: String| {
        let violation = Violation { path: "/body".into(), keyword: "contentMediaType", message };
        Error::InvalidRequest(Violations(vec![violation]))
    };
    let mut form = reqwest::multipart::Form::new();
    for part in body.to_parts().map_err(invalid)? {
        let name = part.name;
        let mut built = reqwest::multipart::Part::bytes(part.data);
        if let Some(filename) = part.filename {
            built = built.file_name(filename);
        }
        if let Some(content_type) = part.content_type {
            built = built.mime_str(&content_type).map_err(|e| invalid(format!("part `{name}`: `{content_type}`: {e}")))?;
        }
        if !part.headers.is_empty() {
            let mut headers = reqwest::header::HeaderMap::new();
            for (header, value) in part.headers {
                let header_name = reqwest::header::HeaderName::from_bytes(header.as_bytes());
                let header_value = reqwest::header::HeaderValue::from_str(&value);
                let (Ok(header_name), Ok(header_value)) = (header_name, header_value) else {
                    return Err(invalid(format!("part `{name}`: header `{header}: {value}` cannot be sent")));
                };
                headers.append(header_name, header_value);
            }
            built = built.headers(headers);
        }
        form = form.part(name, built);
    }
    Ok(Outgoing::Multipart(form))
}

impl Received {
    fn essence(&self) -> Option<&str> {
        self.content_type.as_deref().and_then(|c| c.split(';').next()).map(str::trim)
    }

    /// The body, if its Content-Type is one of `declared`; `expected`
    /// names them for the error.
    fn expect(&self, declared: &[&str], expected: &'static str) -> Result<(), Error> {
        match self.is(declared) {
            true => Ok(()),
            false => Err(self.wrong_type(expected)),
        }
    }

    /// Whether the body is of one of the `declared` media types (for a
    /// body of several, to choose the variant).
    pub fn is(&self, declared: &[&str]) -> bool {
        self.essence().is_some_and(|actual| declared.iter().any(|d| admits(d, actual)))
    }

    /// The error of a body of none of the `expected` media types.
    pub fn wrong_type(&self, expected: &'static str) -> Error {
        Error::UnexpectedContentType { status: self.status, content_type: self.content_type.clone(), expected, excerpt: self.excerpt() }
    }

    fn decode_error(&self, pointer: String, message: String) -> Error {
        Error::Decode { status: self.status, content_type: self.content_type.clone(), pointer, message, excerpt: self.excerpt() }
    }

    /// A JSON body of the media type `media`.
    pub fn json<T: serde::de::DeserializeOwned>(&self, media: &'static str) -> Result<T, Error> {
        self.expect(&[media], media)?;
        crate::models::from_json_slice(&self.body).map_err(|e: DecodeError| self.decode_error(e.pointer(), e.message))
    }

    /// A form body of the media type `media`.
    pub fn form<T: serde::de::DeserializeOwned>(&self, media: &'static str) -> Result<T, Error> {
        self.expect(&[media], media)?;
        let config = serde_qs::Config::new().max_depth(FORM_DEPTH).use_form_encoding(true);
        config.deserialize_bytes(&self.body).map_err(|e| self.decode_error(String::new(), e.to_string()))
    }

    /// A JSON or form body, by its Content-Type: one of `json` or `form`.
    pub fn serde<T: serde::de::DeserializeOwned>(&self, json: &[&str], form: &[&str], expected: &'static str) -> Result<T, Error> {
        let all: Vec<&str> = json.iter().chain(form).copied().collect();
        self.expect(&all, expected)?;
        let actual = self.essence().unwrap_or_default();
        if form.iter().any(|f| admits(f, actual)) {
            let config = serde_qs::Config::new().max_depth(FORM_DEPTH).use_form_encoding(true);
            return config.deserialize_bytes(&self.body).map_err(|e| self.decode_error(String::new(), e.to_string()));
        }
        crate::models::from_json_slice(&self.body).map_err(|e: DecodeError| self.decode_error(e.pointer(), e.message))
    }

    /// A text body of one of the `declared` media types.
    pub fn text(&self, declared: &[&str], expected: &'static str) -> Result<String, Error> {
        self.expect(declared, expected)?;
        String::from_utf8(self.body.clone()).map_err(|_| self.decode_error(String::new(), "the text is not UTF-8".into()))
    }

    /// A raw body of one of the `declared` media types: a stream where
    /// the answer was left unread ([`Core::send_streaming`](super::Core::send_streaming)).
    pub fn bytes(&mut self, declared: &[&str], expected: &'static str) -> Result<Binary, Error> {
        self.expect(declared, expected)?;
        Ok(match self.stream.take() {
            Some(response) => {
                let chunks = response.bytes_stream().map(|chunk| chunk.map_err(|e| BinaryError::new(e.to_string())));
                Binary::from_stream(chunks)
            }
            None => Binary::from(std::mem::take(&mut self.body)),
        })
    }

    /// A raw body of the media range `range`, with its content type.
    pub fn blob(&self, range: &'static str) -> Result<Blob, Error> {
        self.expect(&[range], range)?;
        let content_type = self.content_type.clone().unwrap_or_default();
        Ok(Blob::new(content_type, self.body.clone()))
    }
}

//! The operation IR: what the server trait, the router and the client all
//! read, so that they agree on every request and response type.

use super::{DefaultValue, Docs, Shape};

/// Every operation of a spec plus what applies to all of them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Api {
    pub operations: Vec<Operation>,
    /// The path of the first `servers` entry (`/rest/rma`), `""` without one.
    pub base_path: String,
    /// Rust name of the trait (`RmaApi`).
    pub trait_name: String,
    /// The first `servers` entry, when its URL is absolute
    /// (`{protocol}://{domain}:{port}/rest/rma`): the client's default.
    pub server: Option<Server>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Server {
    /// The URL template exactly as in the spec.
    pub url: String,
    pub variables: Vec<ServerVariable>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServerVariable {
    /// The name in the template (`domain`).
    pub name: String,
    /// The Rust field name.
    pub rust: String,
    pub default: String,
    /// The allowed values (`enum`); empty when any value goes.
    pub values: Vec<String>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    pub operation_id: String,
    /// Method name in the trait and the client (`get_return_requests`).
    pub fn_name: String,
    /// The client's method that also returns the status and headers
    /// (`get_return_requests_with_response`).
    pub fn_with_response: String,
    /// Rust name of the request struct (`GetReturnRequestsRequest`).
    pub request_type: String,
    /// Rust name of the response enum (`GetReturnRequestsResponse`).
    pub response_type: String,
    pub method: Method,
    /// The path template exactly as in the spec (`/shops/{shopName}`).
    pub path: String,
    /// JSON pointer of the operation object.
    pub origin: String,
    pub docs: Docs,
    pub deprecated: bool,
    pub params: Vec<Param>,
    pub body: Option<Body>,
    pub responses: Vec<Response>,
    /// Which credentials the operation accepts; empty means none needed.
    pub auth: Vec<AuthScheme>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Patch,
    Head,
    Options,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Patch => "PATCH",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
        }
    }

    pub fn lower(self) -> &'static str {
        match self {
            Method::Get => "get",
            Method::Put => "put",
            Method::Post => "post",
            Method::Delete => "delete",
            Method::Patch => "patch",
            Method::Head => "head",
            Method::Options => "options",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Path,
    Query,
    Header,
}

impl Location {
    pub fn as_str(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Name on the wire (`orderCreationDate[gte]`).
    pub wire: String,
    /// Field of the request struct.
    pub rust: String,
    pub location: Location,
    /// A scalar, a named string enum, or an array of those.
    pub shape: Shape,
    pub required: bool,
    pub default: Option<DefaultValue>,
    /// Arrays only: repeated keys (`a=1&a=2`, the default) or one
    /// comma-separated value (`explode: false`).
    pub explode: bool,
    pub docs: Docs,
    pub deprecated: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// The declared media types (all JSON), in spec order.
    pub media_types: Vec<String>,
    pub shape: Shape,
    pub required: bool,
    pub docs: Docs,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// `None` for `default`.
    pub status: Option<u16>,
    /// Variant of the response enum (`Ok`, `Created`, `Status299`, `Default`).
    pub variant: String,
    pub docs: Docs,
    /// Media type and shape of a JSON body, if the response has one.
    pub body: Option<(String, Shape)>,
    pub headers: Vec<ResponseHeader>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResponseHeader {
    pub wire: String,
    pub rust: String,
    pub shape: Shape,
    pub required: bool,
    pub docs: Docs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthScheme {
    Basic,
    Bearer,
}

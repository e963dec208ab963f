//! What a method can see of the HTTP request beyond its typed parts, and
//! what it can add to the answer beyond its response variant.

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use axum::http::request::Parts;
use axum::http::{Extensions, HeaderMap, Method, Uri};

use crate::models::security::Security;

/// An operation as the router knows it: for the request's span and for
/// [`RequestContext::operation`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// The spec's `operationId`.
    pub id: &'static str,
    /// The HTTP method, upper case.
    pub method: &'static str,
    /// The route as the spec writes it, relative to the base path
    /// (`/orders/{orderId}`).
    pub route: &'static str,
    /// The credentials it accepts, with the OAuth 2 scopes it asks for.
    pub security: Security,
}

/// The request around the typed one: every header, the extensions that
/// tower middleware inserted (a tenant, a principal of the team's own auth
/// layer), the peer address and the operation. A method also adds headers
/// to its answer here, without the spec declaring them.
#[derive(Debug)]
pub struct RequestContext {
    operation: &'static Operation,
    parts: Parts,
    response_headers: HeaderMap,
}

impl RequestContext {
    /// The context of a request for `operation`; the router makes one per
    /// request, and a test of an implementation can make its own from
    /// `axum::http::Request::builder()…body(())?.into_parts().0`.
    pub fn new(operation: &'static Operation, parts: Parts) -> Self {
        RequestContext {
            operation,
            parts,
            response_headers: HeaderMap::new(),
        }
    }

    /// The operation the request was routed to.
    pub fn operation(&self) -> &'static Operation {
        self.operation
    }

    /// The spec's `operationId` of the operation.
    pub fn operation_id(&self) -> &'static str {
        self.operation.id
    }

    pub fn method(&self) -> &Method {
        &self.parts.method
    }

    /// The URI as the router saw it: below [`service`](crate::service)'s
    /// base path, without it.
    pub fn uri(&self) -> &Uri {
        &self.parts.uri
    }

    /// Whether the client takes `media` by its `Accept` header (any type
    /// without one): for a response of several media types, the variant
    /// to answer with.
    pub fn accepts(&self, media: &str) -> bool {
        super::acceptable(self.headers(), &[media])
    }

    /// Every header of the request, declared by the spec or not.
    pub fn headers(&self) -> &HeaderMap {
        &self.parts.headers
    }

    /// What middleware put into the request (`request.extensions_mut().insert(…)`).
    pub fn extensions(&self) -> &Extensions {
        &self.parts.extensions
    }

    /// The value of type `T` that middleware inserted, if any.
    pub fn extension<T: Clone + Send + Sync + 'static>(&self) -> Option<&T> {
        self.parts.extensions.get::<T>()
    }

    /// The address of the peer, when the router is served with
    /// `into_make_service_with_connect_info::<SocketAddr>()`.
    pub fn peer_addr(&self) -> Option<SocketAddr> {
        self.parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0)
    }

    /// Headers the answer carries besides those of its response variant
    /// (`Cache-Control`, `Retry-After`, …). A name set here replaces the
    /// router's value of it; several values of one name are all sent.
    pub fn response_headers_mut(&mut self) -> &mut HeaderMap {
        &mut self.response_headers
    }

    /// The headers added with [`response_headers_mut`](Self::response_headers_mut).
    pub fn response_headers(&self) -> &HeaderMap {
        &self.response_headers
    }

    /// The request's head, for what the accessors above leave out.
    pub fn parts(&self) -> &Parts {
        &self.parts
    }

    pub(crate) fn into_response_headers(self) -> HeaderMap {
        self.response_headers
    }
}

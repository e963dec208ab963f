//! The server crate: one trait with an async method per operation, and an
//! axum router that authenticates, negotiates, decodes and validates before
//! it calls the trait, so implementations hold only business logic.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::operations::{operation_attrs, response_form, Form};
use super::rust_types::ty_tokens;
use crate::ir::{Api, AuthScheme, Location, Operation, Param, Response, Ty};

/// What the server emitter needs besides the IR.
pub struct ServerNames<'a> {
    pub trait_name: &'a str,
    /// Crate name of the models crate, as a Rust path segment.
    pub models_crate: &'a str,
    /// For the `WWW-Authenticate` realm and docs.
    pub title: &'a str,
    /// Parameters may be chrono types, which the models crate re-exports.
    pub chrono: bool,
}

/// `src/lib.rs` of the server crate.
pub fn server_lib(api: &Api, names: &ServerNames, crate_docs: TokenStream) -> TokenStream {
    let trait_name = format_ident!("{}", names.trait_name);
    let models = format_ident!("{}", names.models_crate);
    let methods = api.operations.iter().map(trait_method);
    let handlers = api
        .operations
        .iter()
        .map(|op| handler(op, &trait_name, names.title));
    let routes = routes(api);
    // Only operations with a body use the options (for their limit).
    let unused_options =
        (!api.operations.iter().any(|o| o.body.is_some())).then(|| quote!(let _ = options;));
    let base_path = &api.base_path;
    let trait_doc = format!(" The operations of the {}.", names.title);
    let chrono = names.chrono.then(|| {
        quote!(
            #[allow(unused_imports)]
            use models::chrono;
        )
    });
    quote! {
        #crate_docs
        // Laid out by prettyplease; `cargo fmt` must leave it alone.
        #![cfg_attr(rustfmt, rustfmt::skip)]
        // The spec marks some items deprecated; the router must still serve them.
        #![allow(deprecated)]
        #![allow(rustdoc::bare_urls, rustdoc::broken_intra_doc_links, rustdoc::invalid_html_tags)]
        #![allow(clippy::doc_lazy_continuation, clippy::doc_overindented_list_items)]

        /// The models crate these types come from.
        pub use #models as models;
        pub use runtime::{ErrorEntry, ErrorReport, ServerOptions};

        #[rustfmt::skip]
        pub mod runtime;

        use std::sync::Arc;

        use axum::extract::State;
        use axum::response::Response;
        use models::*;
        #chrono

        /// Where the spec's first server serves this API (`servers[0]`).
        pub const BASE_PATH: &str = #base_path;

        #[doc = #trait_doc]
        ///
        /// The router calls a method only for a request that is authenticated
        /// (when the operation requires it), acceptable and valid; everything
        /// else is answered before. Whether the credentials allow the call is
        /// the implementation's decision.
        pub trait #trait_name: Send + Sync + 'static {
            #(#methods)*
        }

        /// A router for `api` with the default options, paths relative to [`BASE_PATH`].
        pub fn router<A: #trait_name>(api: A) -> axum::Router {
            router_with(api, ServerOptions::default())
        }

        /// [`router`] nested under [`BASE_PATH`], as the spec's servers serve it.
        pub fn service<A: #trait_name>(api: A) -> axum::Router {
            if BASE_PATH.is_empty() {
                router(api)
            } else {
                axum::Router::new().nest(BASE_PATH, router(api))
            }
        }

        /// A router for `api`, paths relative to [`BASE_PATH`].
        pub fn router_with<A: #trait_name>(api: A, options: ServerOptions) -> axum::Router {
            #unused_options
            axum::Router::new()
                #(#routes)*
                .with_state(Arc::new(api))
        }

        #(#handlers)*
    }
}

fn trait_method(op: &Operation) -> TokenStream {
    let name = format_ident!("{}", op.fn_name);
    let request = format_ident!("{}", op.request_type);
    let response = format_ident!("{}", op.response_type);
    let attrs = operation_attrs(op, |a| format!("Called only with {a} credentials."));
    let credentials = (!op.auth.is_empty()).then(|| quote!(, credentials: Credentials));
    quote! {
        #attrs
        fn #name(&self, request: #request #credentials) -> impl std::future::Future<Output = #response> + Send;
    }
}

fn routes(api: &Api) -> Vec<TokenStream> {
    let mut paths: Vec<&str> = Vec::new();
    for op in &api.operations {
        if !paths.contains(&op.path.as_str()) {
            paths.push(&op.path);
        }
    }
    paths
        .into_iter()
        .map(|path| {
            let mut ops = api.operations.iter().filter(|o| o.path == path);
            let first = ops.next().map(route_part);
            let rest = ops.map(|o| {
                let filter = method_filter(o);
                let h = routed_handler(o);
                quote!(.on(axum::routing::MethodFilter::#filter, #h))
            });
            quote!(.route(#path, #first #(#rest)*))
        })
        .collect()
}

fn route_part(op: &Operation) -> TokenStream {
    let filter = method_filter(op);
    let h = routed_handler(op);
    quote!(axum::routing::on(axum::routing::MethodFilter::#filter, #h))
}

/// The handler as routed: the body limit is a layer of only the
/// operations that read a body, since a layer costs every request it sees.
fn routed_handler(op: &Operation) -> TokenStream {
    let h = handler_name(op);
    if op.body.is_some() {
        quote! {
            axum::handler::Handler::layer(
                #h::<A>,
                axum::extract::DefaultBodyLimit::max(options.body_limit),
            )
        }
    } else {
        quote!(#h::<A>)
    }
}

fn method_filter(op: &Operation) -> proc_macro2::Ident {
    format_ident!("{}", op.method.as_str())
}

fn handler_name(op: &Operation) -> proc_macro2::Ident {
    format_ident!("handle_{}", op.fn_name.trim_end_matches('_'))
}

fn handler(op: &Operation, trait_name: &proc_macro2::Ident, realm: &str) -> TokenStream {
    let name = handler_name(op);
    let method = format_ident!("{}", op.fn_name);
    let guards = guards(op, realm);
    let decode = decode(op);
    let build = build_request(op);
    let credentials_arg = (!op.auth.is_empty()).then(|| quote!(, credentials));
    let arms = op.responses.iter().map(|r| response_arm(op, r));
    // Only the parts the operation reads are extracted: each extractor
    // costs per request (the header map, for one, is cloned).
    let has = |location| op.params.iter().any(|p| p.location == location);
    let path = has(Location::Path).then(|| quote!(path: axum::extract::RawPathParams,));
    let query = has(Location::Query)
        .then(|| quote!(axum::extract::RawQuery(query): axum::extract::RawQuery,));
    let headers = reads_headers(op).then(|| quote!(headers: axum::http::HeaderMap,));
    let body = op.body.is_some().then(
        || quote!(body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,),
    );
    quote! {
        async fn #name<A: #trait_name>(
            State(api): State<Arc<A>>,
            #path
            #query
            #headers
            #body
        ) -> Response {
            #guards
            #decode
            #build
            // A panic in the implementation answers 500 and the server goes
            // on; caught here rather than by a layer, which would box every
            // response body.
            let answer = futures_util::FutureExt::catch_unwind(
                std::panic::AssertUnwindSafe(api.#method(request #credentials_arg)),
            );
            let answer = match answer.await {
                Ok(answer) => answer,
                Err(panic) => return runtime::panic_response(panic),
            };
            match answer {
                #(#arms)*
            }
        }
    }
}

/// Whether the handler looks at a request header: for credentials,
/// `Accept`, `Content-Type` or a header parameter.
fn reads_headers(op: &Operation) -> bool {
    !op.auth.is_empty()
        || op.body.is_some()
        || !produced(op).is_empty()
        || op.params.iter().any(|p| p.location == Location::Header)
}

/// The media types of the operation's success bodies, which `Accept`
/// must admit.
fn produced(op: &Operation) -> Vec<&str> {
    op.responses
        .iter()
        .filter(|r| r.status.is_some_and(|s| (200..300).contains(&s)))
        .filter_map(|r| r.body.as_ref().map(|(m, _)| m.as_str()))
        .collect()
}

/// What is answered before decoding: 401, 413, 406 and 415, in that order.
fn guards(op: &Operation, realm: &str) -> TokenStream {
    let auth = (!op.auth.is_empty()).then(|| {
        let schemes = op.auth.iter().map(|a| match a {
            AuthScheme::Basic => quote!(runtime::Scheme::Basic),
            AuthScheme::Bearer => quote!(runtime::Scheme::Bearer),
        });
        quote! {
            let credentials = match runtime::authenticate(&headers, &[#(#schemes),*], #realm) {
                Ok(c) => c,
                Err(response) => return *response,
            };
        }
    });
    // Credentials are checked first, so an anonymous oversized body gets 401.
    let read_body = op.body.is_some().then(|| {
        quote! {
            let body = match body {
                Ok(body) => body,
                Err(rejection) => return runtime::unreadable_body(rejection),
            };
        }
    });
    let produced = produced(op);
    let accept = (!produced.is_empty()).then(|| {
        quote! {
            if let Some(response) = runtime::check_accept(&headers, &[#(#produced),*]) {
                return response;
            }
        }
    });
    let content_type = op.body.as_ref().map(|b| {
        let media = &b.media_types;
        let required = b.required;
        quote! {
            if let Some(response) = runtime::check_content_type(&headers, &body, &[#(#media),*], #required) {
                return response;
            }
        }
    });
    quote!(#auth #read_body #accept #content_type)
}

/// Decodes every part into a local (`Option` for single values, `Vec`
/// for optional arrays, `body_value` for the body), checks the constraints
/// of the parts that decoded, and answers 400 with all problems found.
fn decode(op: &Operation) -> TokenStream {
    let request = format_ident!("{}", op.request_type);
    let (declares_400, declares_404) = declares(op);
    let params = op.params.iter().map(param_decode);
    let body = op.body.as_ref().map(|b| {
        let ty = ty_tokens(&b.shape.ty);
        let ty = if b.shape.nullable {
            quote!(Option<#ty>)
        } else {
            ty
        };
        let required = b.required;
        quote!(let body_value: Option<#ty> = runtime::json_body(&body, #required, &mut problems);)
    });
    let mut parts: Vec<TokenStream> = op
        .params
        .iter()
        .map(|p| {
            let ident = local(p);
            if !p.required && matches!(p.shape.ty, Ty::Array(_)) {
                quote!(Some(&#ident))
            } else {
                quote!(#ident.as_ref())
            }
        })
        .collect();
    if op.body.is_some() {
        parts.push(quote!(body_value.as_ref()));
    }
    let query = op
        .params
        .iter()
        .any(|p| p.location == Location::Query)
        .then(|| quote!(let query = runtime::Query::parse(query.as_deref());));
    quote! {
        let mut problems = runtime::Problems::default();
        #query
        #(#params)*
        #body
        let mut violations = Vec::new();
        #request::__validate_parts(&models::Pointer::ROOT, #(#parts,)* &mut violations);
        problems.violations(violations);
        if !problems.is_empty() {
            return runtime::bad_request(problems, #declares_400, #declares_404);
        }
    }
}

/// Whether the operation declares 400 and 404, which decides how the
/// router rejects a request that does not decode.
fn declares(op: &Operation) -> (bool, bool) {
    let has = |code| op.responses.iter().any(|r| r.status == Some(code));
    (has(400), has(404))
}

/// Builds `request` from the decoded locals: required parts through
/// `new`, optional ones set (keeping the default when absent).
fn build_request(op: &Operation) -> TokenStream {
    let request = format_ident!("{}", op.request_type);
    let (declares_400, declares_404) = declares(op);
    let mut required: Vec<proc_macro2::Ident> =
        op.params.iter().filter(|p| p.required).map(local).collect();
    let mut optional_body = None;
    match &op.body {
        Some(b) if b.required => required.push(format_ident!("body_value")),
        Some(_) => optional_body = Some(quote!(request.body = body_value;)),
        None => {}
    }
    let optional_sets = op.params.iter().filter(|p| !p.required).map(|p| {
        let field = format_ident!("{}", p.rust);
        let ident = local(p);
        match (&p.default, matches!(p.shape.ty, Ty::Array(_))) {
            (Some(_), false) => quote!(if let Some(v) = #ident { request.#field = v; }),
            // An absent array reads as empty; only a sent one replaces the default.
            (Some(_), true) => quote!(if !#ident.is_empty() { request.#field = #ident; }),
            (None, _) => quote!(request.#field = #ident;),
        }
    });
    // A missing required part is already a problem, so the `else` is
    // never taken with an empty list.
    let bind = (!required.is_empty()).then(|| {
        quote! {
            let (#(Some(#required),)*) = (#(#required,)*) else {
                return runtime::bad_request(problems, #declares_400, #declares_404);
            };
        }
    });
    quote! {
        #bind
        #[allow(unused_mut)]
        let mut request = #request::new(#(#required),*);
        #(#optional_sets)*
        #optional_body
    }
}

/// Names the handlers bind themselves; a parameter of the same name (a
/// query parameter called `query`) gets a local with a suffix.
const HANDLER_LOCALS: &[&str] = &[
    "api",
    "path",
    "query",
    "headers",
    "body",
    "body_value",
    "problems",
    "violations",
    "request",
    "answer",
    "response",
    "rejection",
    "panic",
    "values",
    "v",
];

/// The handler's local for a decoded parameter.
fn local(p: &Param) -> proc_macro2::Ident {
    if HANDLER_LOCALS.contains(&p.rust.as_str()) {
        format_ident!("{}_param", p.rust)
    } else {
        format_ident!("{}", p.rust)
    }
}

fn param_decode(p: &Param) -> TokenStream {
    let ident = local(p);
    let wire = &p.wire;
    let location = p.location.as_str();
    let values = match p.location {
        Location::Path => quote!(runtime::path_values(&path, #wire)),
        Location::Query => quote!(query.values(#wire)),
        Location::Header => quote!(runtime::header_values(&headers, #wire)),
    };
    match &p.shape.ty {
        Ty::Array(item) => {
            let item = ty_tokens(&item.ty);
            let explode = p.explode;
            if p.required {
                quote! {
                    let #ident: Option<Vec<#item>> = {
                        let mut values = #values.peekable();
                        if values.peek().is_none() {
                            problems.push(format!("/{}/{}: the required parameter is missing", #location, #wire), None);
                            None
                        } else {
                            Some(runtime::array(values, #explode, #location, #wire, &mut problems))
                        }
                    };
                }
            } else {
                quote!(let #ident: Vec<#item> = runtime::array(#values, #explode, #location, #wire, &mut problems);)
            }
        }
        ty => {
            let ty = ty_tokens(ty);
            if p.required {
                quote!(let #ident: Option<#ty> = runtime::required(#values, #location, #wire, &mut problems);)
            } else {
                quote!(let #ident: Option<#ty> = runtime::optional(#values, #location, #wire, &mut problems);)
            }
        }
    }
}

fn response_arm(op: &Operation, r: &Response) -> TokenStream {
    let ty = format_ident!("{}", op.response_type);
    let v = format_ident!("{}", r.variant);
    let status = match r.status {
        Some(code) => quote!(#code),
        None => quote!(status),
    };
    let mut required = Vec::new();
    let mut optional = Vec::new();
    for h in &r.headers {
        let ident = format_ident!("{}", h.rust);
        let wire = h.wire.to_ascii_lowercase();
        if h.required {
            required.push(quote!((#wire, #ident.to_string())));
        } else {
            optional.push(
                quote!(if let Some(value) = #ident { headers.push((#wire, value.to_string())); }),
            );
        }
    }
    let build = |body: Option<TokenStream>| {
        let headers_init = if optional.is_empty() {
            quote!(let headers = vec![#(#required),*];)
        } else {
            quote!(let mut headers = vec![#(#required),*]; #(#optional)*)
        };
        match (body, &r.body) {
            (Some(b), Some((media, _))) => {
                quote!({ #headers_init runtime::json(#status, #media, &#b, headers) })
            }
            _ => quote!({ #headers_init runtime::empty(#status, headers) }),
        }
    };
    match response_form(r) {
        Form::Unit => {
            let b = build(None);
            quote!(#ty::#v => #b,)
        }
        Form::Tuple => {
            let b = build(Some(quote!(body)));
            quote!(#ty::#v(body) => #b,)
        }
        Form::Struct => {
            let mut fields: Vec<TokenStream> = r
                .headers
                .iter()
                .map(|h| {
                    let i = format_ident!("{}", h.rust);
                    quote!(#i)
                })
                .collect();
            if r.body.is_some() {
                fields.push(quote!(body));
            }
            if r.status.is_none() {
                fields.push(quote!(status));
            }
            let b = build(r.body.as_ref().map(|_| quote!(body)));
            quote!(#ty::#v { #(#fields),* } => #b,)
        }
    }
}

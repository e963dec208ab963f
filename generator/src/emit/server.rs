//! The server crate: one trait with an async method per operation, and an
//! axum router that authenticates, negotiates, decodes and validates before
//! it calls the trait, so implementations hold only business logic.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::bodies;
use super::operations::{operation_attrs, response_form, Form};
use super::rust_types::ty_tokens;
use crate::ir::{Api, Location, Operation, Param, ParamStyle, Response, Status, Ty};
use crate::naming;

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

/// `src/lib.rs` of the server crate: the API's trait and router, where the
/// spec has paths, and the `webhooks` module, where it has webhooks.
pub fn server_lib(api: &Api, names: &ServerNames, crate_docs: TokenStream) -> TokenStream {
    let models = format_ident!("{}", names.models_crate);
    let trait_name = format_ident!("{}", names.trait_name);
    let items = (!api.operations.is_empty()).then(|| {
        let imports = imports(names);
        let base_path = &api.base_path;
        let trait_doc = format!(" The operations of the {}.", names.title);
        let service = quote! {
            /// [`router`] nested under [`BASE_PATH`], as the spec's servers serve it.
            pub fn service<A: #trait_name>(api: A) -> axum::Router {
                if BASE_PATH.is_empty() {
                    router(api)
                } else {
                    axum::Router::new().nest(BASE_PATH, router(api))
                }
            }
        };
        let api_items = api_items(api, names, &trait_doc, "relative to [`BASE_PATH`]", service);
        quote! {
            #imports

            /// Where the spec's first server serves this API (`servers[0]`).
            pub const BASE_PATH: &str = #base_path;

            #api_items
        }
    });
    let webhooks = (!api.webhooks.is_empty()).then(|| {
        quote! {
            /// The webhooks: the requests the API sends to its subscribers,
            /// as a trait and a router for the subscriber's side.
            #[rustfmt::skip]
            pub mod webhooks;
        }
    });
    quote! {
        #crate_docs
        // Laid out by prettyplease; `cargo fmt` must leave it alone.
        #![cfg_attr(rustfmt, rustfmt::skip)]
        // The spec marks some items deprecated; the router must still serve them.
        #![allow(deprecated)]
        #![allow(rustdoc::bare_urls, rustdoc::broken_intra_doc_links, rustdoc::invalid_html_tags)]
        // Field and parameter names come from the spec, `foo` and `baz` among them.
        #![allow(clippy::doc_lazy_continuation, clippy::doc_overindented_list_items, clippy::disallowed_names)]

        /// The models crate these types come from.
        pub use #models as models;
        pub use runtime::{AuthError, ErrorEntry, ErrorReport, Operation, RequestContext, ServerOptions};

        #[rustfmt::skip]
        pub mod runtime;

        #webhooks

        #items
    }
}

/// `src/webhooks.rs`: the trait a subscriber implements and its router,
/// `webhooks` being the spec's webhooks as an API of their own.
pub fn webhooks_module(webhooks: &Api, names: &ServerNames) -> TokenStream {
    let imports = imports(names);
    let trait_doc = format!(
        " The webhooks of the {}: what the API sends to a subscriber. Serve [`router`] at the URL registered with the API; each webhook is received at `/<name>` below it.",
        names.title
    );
    let api_items = api_items(
        webhooks,
        names,
        &trait_doc,
        "at `/<webhook name>`",
        quote!(),
    );
    quote! {
        // Names of the crate root that only some webhooks need.
        #[allow(unused_imports)]
        use super::{models, runtime, AuthError, ErrorReport, Operation, RequestContext, ServerOptions};
        #imports

        #api_items
    }
}

fn imports(names: &ServerNames) -> TokenStream {
    let chrono = names.chrono.then(|| {
        quote!(
            #[allow(unused_imports)]
            use models::chrono;
        )
    });
    quote! {
        use std::sync::Arc;

        use axum::extract::{Request, State};
        use axum::response::Response;
        use models::*;
        use runtime::Served;
        #chrono
    }
}

/// The trait, `router`, `router_with`, the operation constants and the
/// handlers of `api`'s operations.
/// `after_router` follows [`router`] (the main API's `service`).
fn api_items(
    api: &Api,
    names: &ServerNames,
    trait_doc: &str,
    paths: &str,
    after_router: TokenStream,
) -> TokenStream {
    let router_doc = format!(" A router for `api` with the default options, paths {paths}.");
    let router_with_doc = [
        format!(" A router for `api`, paths {paths}. Each"),
        " request is answered inside a `tracing` span named `request` with".to_string(),
        " the operation's id, method and route.".to_string(),
    ];
    let trait_name = format_ident!("{}", names.trait_name);
    let secured = api.operations.iter().any(|o| o.security.is_secured());
    let authenticate = secured.then(authenticate_items);
    let methods = api.operations.iter().map(trait_method);
    let handlers = api
        .operations
        .iter()
        .map(|op| handler(op, &trait_name, names.title));
    let operations = api.operations.iter().map(operation_const);
    // Secured operations name their request's `SECURITY`, others `Security::NONE`.
    let anonymous = api.operations.iter().any(|o| !o.security.is_secured());
    let operation_imports = [
        secured.then(|| {
            quote!(
                use super::models::*;
            )
        }),
        anonymous.then(|| {
            quote!(
                use super::models::security::Security;
            )
        }),
    ];
    let operation_imports = operation_imports.into_iter().flatten();
    let routes = routes(api);
    quote! {
        #[doc = #trait_doc]
        ///
        /// The router calls a method only for a request that is authenticated
        /// (when the operation requires it), acceptable and valid; everything
        /// else is answered before. Each method also gets the
        /// [`RequestContext`]: the request's headers and extensions, the
        /// peer, and headers to add to the answer.
        pub trait #trait_name: Send + Sync + 'static {
            #authenticate
            #(#methods)*

            /// Writes a refusal of the router's own (400 and the 404 of a
            /// path that does not decode, 401, 403, 406, 413, 415), which
            /// carries `report`, for `operation`: `None`, the default,
            /// answers the report as JSON; return the answer the spec
            /// declares for that status where its error body is another
            /// (the router keeps its headers, such as a challenge).
            fn refusal(&self, report: &ErrorReport, operation: &'static Operation) -> Option<Response> {
                let _ = (report, operation);
                None
            }
        }

        #[doc = #router_doc]
        pub fn router<A: #trait_name>(api: A) -> axum::Router {
            router_with(api, ServerOptions::default())
        }

        #after_router

        #(#[doc = #router_with_doc])*
        pub fn router_with<A: #trait_name>(api: A, options: ServerOptions) -> axum::Router {
            axum::Router::new()
                #(#routes)*
                .with_state(Arc::new(Served { api, options }))
        }

        /// The operations, for the request spans and [`RequestContext::operation`].
        mod operation {
            #(#operation_imports)*
            use super::Operation;

            #(#operations)*
        }

        #(#handlers)*
    }
}

/// The associated type and the method that decide, once per request, who
/// is calling.
fn authenticate_items() -> TokenStream {
    quote! {
        /// Who is calling, as the implementation knows it: a user, a
        /// tenant, the claims of a token. Secured operations receive it.
        type Principal: Send + 'static;

        /// Turns the credentials of a request into its principal, or
        /// refuses them: [`AuthError::Unauthorized`] is answered `401` with
        /// a challenge, [`AuthError::Forbidden`] `403`. The router calls it
        /// before it decodes anything, for every secured operation, with
        /// what the request carried of the schemes the operation accepts,
        /// once they make up one of its alternatives; otherwise it answers
        /// `401` itself (or, where credentials are optional and none came,
        /// calls the method without a principal). `context` names the
        /// operation, whose `security` lists the alternatives and the
        /// OAuth 2 scopes they need ([`RequestContext::operation`]).
        fn authenticate(&self, credentials: Credentials, context: &RequestContext) -> impl std::future::Future<Output = Result<Self::Principal, AuthError>> + Send;
    }
}

fn trait_method(op: &Operation) -> TokenStream {
    let name = format_ident!("{}", op.fn_name);
    let request = format_ident!("{}", op.request_type);
    let response = format_ident!("{}", op.response_type);
    let attrs = operation_attrs(op, |a| {
        format!(
            "Accepts {a}: called only with credentials that [`authenticate`](Self::authenticate) accepted."
        )
    });
    let principal = match (op.security.is_secured(), op.security.optional) {
        (false, _) => None,
        (true, false) => Some(quote!(principal: Self::Principal,)),
        (true, true) => Some(quote!(principal: Option<Self::Principal>,)),
    };
    quote! {
        #attrs
        fn #name(&self, request: #request, #principal context: &mut RequestContext) -> impl std::future::Future<Output = #response> + Send;
    }
}

fn operation_const_name(op: &Operation) -> proc_macro2::Ident {
    format_ident!("{}", naming::const_name(&op.fn_name))
}

fn operation_const(op: &Operation) -> TokenStream {
    let name = operation_const_name(op);
    let id = &op.operation_id;
    let method = op.method.as_str();
    let route = &op.path;
    let security = if op.security.is_secured() {
        let request = format_ident!("{}", op.request_type);
        quote!(#request::SECURITY)
    } else {
        quote!(Security::NONE)
    };
    quote! {
        pub const #name: Operation = Operation { id: #id, method: #method, route: #route, security: #security };
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
            let first = ops.next().map(|o| {
                let (filter, h) = (method_filter(o), routed_handler(o));
                quote!(axum::routing::on(axum::routing::MethodFilter::#filter, #h))
            });
            let rest = ops.map(|o| {
                let (filter, h) = (method_filter(o), routed_handler(o));
                quote!(.on(axum::routing::MethodFilter::#filter, #h))
            });
            quote!(.route(#path, #first #(#rest)*))
        })
        .collect()
}

/// The handler as routed: inside the operation's span.
fn routed_handler(op: &Operation) -> TokenStream {
    let h = handler_name(op);
    let operation = operation_const_name(op);
    quote! {
        |State(served): State<Arc<Served<A>>>, incoming: Request| {
            let api = Arc::clone(&served);
            let refuse = move |report: &ErrorReport| api.api.refusal(report, &operation::#operation);
            runtime::traced(&operation::#operation, Box::pin(#h(served, incoming)), refuse)
        }
    }
}

fn method_filter(op: &Operation) -> proc_macro2::Ident {
    format_ident!("{}", op.method.as_str())
}

fn handler_name(op: &Operation) -> proc_macro2::Ident {
    format_ident!("{}", naming::joined(&["handle", &op.fn_name]))
}

fn handler(op: &Operation, trait_name: &proc_macro2::Ident, realm: &str) -> TokenStream {
    let name = handler_name(op);
    let method = format_ident!("{}", op.fn_name);
    let operation = operation_const_name(op);
    let guards = guards(op, realm);
    let decode = decode(op);
    let build = build_request(op);
    let principal_arg = op.security.is_secured().then(|| quote!(principal,));
    let arms = op.responses.iter().map(|r| response_arm(op, r));
    let has_path = op.params.iter().any(|p| p.location == Location::Path);
    let (parts, path) = if has_path {
        let path = quote! {
            let path = match runtime::path_params(&mut parts).await {
                Ok(path) => path,
                Err(response) => return response,
            };
        };
        (quote!(mut parts), Some(path))
    } else {
        (quote!(parts), None)
    };
    let body = if op.body.is_some() {
        quote!(body)
    } else {
        quote!(_)
    };
    quote! {
        async fn #name<A: #trait_name>(served: Arc<Served<A>>, incoming: Request) -> Response {
            let (#parts, #body) = incoming.into_parts();
            #path
            let mut context = RequestContext::new(&operation::#operation, parts);
            #guards
            #decode
            #build
            let answer = served.api.#method(request, #principal_arg &mut context).await;
            let response = match answer {
                #(#arms)*
            };
            runtime::finish(response, context)
        }
    }
}

/// The media types of the operation's success bodies, which `Accept`
/// must admit.
fn produced(op: &Operation) -> Vec<&str> {
    op.responses
        .iter()
        .filter(|r| r.status.is_success())
        .flat_map(|r| r.body.iter().flat_map(|p| p.media_types()))
        .collect()
}

/// What is answered before decoding: 401 or 403, 413, 406 and 415, in
/// that order.
fn guards(op: &Operation, realm: &str) -> TokenStream {
    let auth = op.security.is_secured().then(|| {
        let authenticate = if op.security.optional {
            quote!(authenticate_optional)
        } else {
            quote!(authenticate)
        };
        quote! {
            let check = |credentials| served.api.authenticate(credentials, &context);
            let principal = match runtime::#authenticate(&context, #realm, check).await {
                Ok(principal) => principal,
                Err(response) => return response,
            };
        }
    });
    // Credentials are checked first: an anonymous body is not even read.
    // A raw body goes to the implementation unread.
    let streamed = op
        .body
        .as_ref()
        .is_some_and(|b| bodies::streams_request(&b.payload));
    let read_body = op.body.as_ref().filter(|_| !streamed).map(|_| {
        quote! {
            let body = match runtime::read_body(body, served.options.body_limit).await {
                Ok(body) => body,
                Err(response) => return response,
            };
        }
    });
    let produced = produced(op);
    let accept = (!produced.is_empty()).then(|| {
        quote! {
            if let Some(response) = runtime::check_accept(context.headers(), &[#(#produced),*]) {
                return response;
            }
        }
    });
    let content_type = op.body.as_ref().map(|b| {
        let media: Vec<&str> = b.payload.media_types().collect();
        let required = b.required;
        let empty = match streamed {
            true => quote!(runtime::body_is_empty(&body)),
            false => quote!(body.is_empty()),
        };
        quote! {
            if let Some(response) = runtime::check_content_type(context.headers(), #empty, &[#(#media),*], #required) {
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
        let shape = &b.payload.shape;
        let ty = ty_tokens(&shape.ty);
        let ty = if shape.nullable {
            quote!(Option<#ty>)
        } else {
            ty
        };
        let decode = bodies::server_decode(&b.payload, b.required);
        quote!(let body_value: Option<#ty> = #decode;)
    });
    let mut parts: Vec<TokenStream> = op
        .params
        .iter()
        .map(|p| {
            let ident = local(p);
            if !p.required && p.repeats() {
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
        .then(|| quote!(let query = runtime::Query::parse(context.uri().query());));
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
    let has = |code| op.responses.iter().any(|r| r.status.covers(code));
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
        match (&p.default, p.repeats()) {
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
    let optional_sets: Vec<TokenStream> = optional_sets.collect();
    let binding = if optional_sets.is_empty() && optional_body.is_none() {
        quote!(request)
    } else {
        quote!(mut request)
    };
    quote! {
        #bind
        let #binding = #request::new(#(#required),*);
        #(#optional_sets)*
        #optional_body
    }
}

/// Names the handlers bind themselves; a parameter of the same name (a
/// query parameter called `query`) gets a local with a suffix.
const HANDLER_LOCALS: &[&str] = &[
    "served",
    "incoming",
    "parts",
    "context",
    "accepted",
    "check",
    "principal",
    "operation",
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
    let values = match (p.location, &p.prefix) {
        (Location::Path, None) => quote!(runtime::path_values(&path, #wire)),
        // Lenient: a label or matrix value without its prefix reads too.
        (Location::Path, Some(prefix)) => {
            quote!(runtime::path_values(&path, #wire).map(|v| v.strip_prefix(#prefix).unwrap_or(v)))
        }
        (Location::Query, _) if p.style == ParamStyle::Indexed => quote!(query.indexed(#wire)),
        (Location::Query, _) => quote!(query.values(#wire)),
        (Location::Header, _) => quote!(runtime::header_values(context.headers(), #wire)),
        (Location::Cookie, _) => quote!(runtime::cookie_values(context.headers(), #wire)),
    };
    let required = p.required;
    let ty = ty_tokens(&p.shape.ty);
    match (&p.style, &p.shape.ty) {
        (ParamStyle::Plain | ParamStyle::Joined(_) | ParamStyle::Indexed, Ty::Array(item)) => {
            let item = ty_tokens(&item.ty);
            let delimiter = match &p.style {
                ParamStyle::Joined(d) => quote!(Some(#d)),
                _ => quote!(None),
            };
            if p.required {
                quote! {
                    let #ident: Option<Vec<#item>> = {
                        let mut values = #values.peekable();
                        if values.peek().is_none() {
                            problems.push(format!("/{}/{}: the required parameter is missing", #location, #wire), None);
                            None
                        } else {
                            Some(runtime::array(values, #delimiter, #location, #wire, &mut problems))
                        }
                    };
                }
            } else {
                quote!(let #ident: Vec<#item> = runtime::array(#values, #delimiter, #location, #wire, &mut problems);)
            }
        }
        (ParamStyle::Plain | ParamStyle::Joined(_), _) => {
            if p.required {
                quote!(let #ident: Option<#ty> = runtime::required(#values, #location, #wire, &mut problems);)
            } else {
                quote!(let #ident: Option<#ty> = runtime::optional(#values, #location, #wire, &mut problems);)
            }
        }
        (ParamStyle::Deep | ParamStyle::Indexed, _) => {
            quote!(let #ident: Option<#ty> = runtime::deep_object(&query, #wire, #required, &mut problems);)
        }
        (ParamStyle::Exploded(keys), _) => quote! {
            let #ident: Option<#ty> = runtime::exploded_object(&query, &[#(#keys),*], #required, #wire, &mut problems);
        },
        (ParamStyle::Pairs { between, pair }, _) => quote! {
            let #ident: Option<#ty> = runtime::object_pairs(#values, (#between, #pair), #required, #location, #wire, &mut problems);
        },
        (ParamStyle::Value { json }, _) => quote! {
            let #ident: Option<#ty> = runtime::value_param(#values, #json, #required, #location, #wire, &mut problems);
        },
    }
}

fn response_arm(op: &Operation, r: &Response) -> TokenStream {
    let ty = format_ident!("{}", op.response_type);
    let v = format_ident!("{}", r.variant);
    let status = match r.status {
        Status::Code(code) => quote!(#code),
        Status::Range(_) | Status::Default => quote!(status),
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
            (Some(b), Some(payload)) => {
                let encode = bodies::server_encode(payload, &status, b);
                quote!({ #headers_init #encode })
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
            if r.status.carries_status() {
                fields.push(quote!(status));
            }
            let b = build(r.body.as_ref().map(|_| quote!(body)));
            match r.status {
                // A status outside the class would answer what the spec
                // does not declare.
                Status::Range(class) => quote! {
                    #ty::#v { #(#fields),* } if status / 100 == #class => #b,
                    #ty::#v { status, .. } => runtime::outside_class(status, #class),
                },
                _ => quote!(#ty::#v { #(#fields),* } => #b,),
            }
        }
    }
}

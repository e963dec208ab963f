//! The client crate: a `Client` over reqwest with one async method per
//! operation, taking the operation's request struct and returning its
//! response enum (the types the server crate uses too).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::bodies;
use super::client_stream;
use super::docs::doc_attrs;
use super::operations::{operation_attrs, response_form, Form};
use crate::ir::{
    Api, BodyKind, Location, Operation, Param, ParamStyle, Response, Server, Status, Ty,
};

/// What the client emitter needs besides the IR.
pub struct ClientNames<'a> {
    /// Crate name of the models crate, as a Rust path segment.
    pub models_crate: &'a str,
    pub title: &'a str,
}

/// `src/lib.rs` of the client crate.
pub fn client_lib(api: &Api, names: &ClientNames, crate_docs: TokenStream) -> TokenStream {
    let models = format_ident!("{}", names.models_crate);
    let methods = api.operations.iter().map(method);
    let paged: Vec<_> = api
        .operations
        .iter()
        .filter_map(|op| op.pagination.as_ref().map(|p| (op, p)))
        .collect();
    let streams = paged
        .iter()
        .map(|(op, p)| client_stream::stream_method(op, p));
    let pages = paged.iter().map(|(op, p)| client_stream::page_fn(op, p));
    let base_path = &api.base_path;
    let anonymous = api.operations.iter().any(|o| !o.security.is_secured());
    let security_import = anonymous.then(|| {
        quote!(
            use models::security::Security;
        )
    });
    let server = api.server.as_ref().map(server_tokens);
    let client_doc = format!(" A client of the {}.", names.title);
    quote! {
        #crate_docs
        // Laid out by prettyplease; `cargo fmt` must leave it alone.
        #![cfg_attr(rustfmt, rustfmt::skip)]
        // The spec marks some items deprecated; the client must still call them.
        #![allow(deprecated)]
        #![allow(rustdoc::bare_urls, rustdoc::broken_intra_doc_links, rustdoc::invalid_html_tags)]
        // Field and parameter names come from the spec, `foo` and `baz` among them.
        #![allow(clippy::doc_lazy_continuation, clippy::doc_overindented_list_items, clippy::disallowed_names)]

        /// The models crate these types come from.
        pub use #models as models;
        pub use runtime::{CallOptions, Error, ResponseValue};
        /// The HTTP client underneath, for [`Client::with_http_client`].
        pub use reqwest;
        /// The middleware stack calls go through, for [`Client::with_middleware`].
        pub use reqwest_middleware;

        #[rustfmt::skip]
        pub mod runtime;

        use std::sync::Arc;

        use models::*;
        #security_import

        /// The path under which the spec's first server serves this API.
        pub const BASE_PATH: &str = #base_path;

        #server

        #[doc = #client_doc]
        ///
        /// Each method validates the request (nothing is sent when it breaks
        /// a constraint), sends it encoded as the spec declares, and returns
        /// the operation's response enum: every status the spec declares is
        /// a variant, so a 404 is a value. Only what the spec does not
        /// foresee is an [`Error`].
        ///
        /// Clones share the connection pool, the middleware and the
        /// credentials; [`with_options`](Client::with_options) makes a
        /// handle whose calls carry a timeout or extra headers.
        #[derive(Clone)]
        pub struct Client {
            core: Arc<runtime::Core>,
            options: CallOptions,
        }

        impl std::fmt::Debug for Client {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct("Client")
                    .field("base_url", &self.core.base_url())
                    .field("options", &self.options)
                    .finish_non_exhaustive()
            }
        }

        impl Client {
            /// A client for the API at `base_url` (for example
            /// `https://iom.example.com/rest/rma`), with a default
            /// `reqwest::Client` (rustls) and no middleware.
            pub fn new(base_url: &str) -> Result<Self, Error> {
                let http = reqwest::Client::builder().build().map_err(|e| Error::Transport(e.into()))?;
                Self::with_http_client(base_url, http)
            }

            /// A client that sends through `http`: timeouts, proxies and
            /// TLS settings stay the caller's choice.
            pub fn with_http_client(base_url: &str, http: reqwest::Client) -> Result<Self, Error> {
                Self::with_middleware(base_url, reqwest_middleware::ClientBuilder::new(http).build())
            }

            /// A client whose calls go through a middleware stack: retries
            /// (`reqwest-retry`), tracing (`reqwest-tracing`), your own.
            pub fn with_middleware(base_url: &str, http: reqwest_middleware::ClientWithMiddleware) -> Result<Self, Error> {
                Ok(Client {
                    core: Arc::new(runtime::Core::new(base_url, http)?),
                    options: CallOptions::default(),
                })
            }

            /// A handle on this client (same connections, middleware and
            /// credentials) whose calls carry `options`: for one call,
            /// `client.with_options(options).create_x(&request)`.
            pub fn with_options(&self, options: CallOptions) -> Self {
                Client { core: Arc::clone(&self.core), options }
            }

            /// The base URL requests go to (without a trailing `/`).
            pub fn base_url(&self) -> &str {
                self.core.base_url()
            }

            /// Sets (or with `None` clears) the credentials sent from now on,
            /// by this client and all its clones: a refreshed token needs no
            /// new client.
            pub fn set_credentials(&self, credentials: Option<Credentials>) {
                self.core.set_credentials(credentials);
            }

            /// This client with `credentials` set.
            pub fn with_credentials(self, credentials: Credentials) -> Self {
                self.set_credentials(Some(credentials));
                self
            }

            #(#methods)*
            #(#streams)*
        }

        #(#pages)*
    }
}

fn server_tokens(server: &Server) -> TokenStream {
    let template = &server.url;
    let fields = server.variables.iter().map(|v| {
        let ident = format_ident!("{}", v.rust);
        let mut text: Vec<String> = v.description.iter().cloned().collect();
        text.push(format!("`{{{}}}`, by default `{}`.", v.name, v.default));
        if !v.values.is_empty() {
            text.push(format!("One of `{}`.", v.values.join("`, `")));
        }
        let docs = doc_attrs(&text);
        quote!(#docs pub #ident: String,)
    });
    let defaults = server.variables.iter().map(|v| {
        let ident = format_ident!("{}", v.rust);
        let d = &v.default;
        quote!(#ident: #d.to_string(),)
    });
    let checks = server.variables.iter().map(|v| {
        let ident = format_ident!("{}", v.rust);
        let name = &v.name;
        let values = &v.values;
        quote!((#name, self.#ident.as_str(), &[#(#values),*]))
    });
    let doc = format!(" The variables of the spec's server URL `{template}`.");
    // Without variables the impl would be one clippy asks to derive.
    let (derive_default, default_impl) = if server.variables.is_empty() {
        (quote!(Default,), None)
    } else {
        let manual = quote! {
            impl Default for ServerVariables {
                fn default() -> Self {
                    ServerVariables { #(#defaults)* }
                }
            }
        };
        (quote!(), Some(manual))
    };
    quote! {
        /// The spec's server URL, variables in braces.
        pub const SERVER_URL: &str = #template;

        #[doc = #doc]
        ///
        /// `Default` holds the spec's defaults.
        #[derive(Debug, Clone, #derive_default PartialEq, Eq)]
        #[non_exhaustive]
        pub struct ServerVariables {
            #(#fields)*
        }

        #default_impl

        impl ServerVariables {
            /// The URL with these values; a value outside a variable's
            /// `enum` is an error.
            pub fn url(&self) -> Result<String, Error> {
                runtime::server_url(SERVER_URL, &[#(#checks),*])
            }
        }

        impl Client {
            /// A client for the spec's server with `variables` filled in.
            pub fn from_server(variables: &ServerVariables) -> Result<Self, Error> {
                Self::new(&variables.url()?)
            }
        }
    }
}

fn method(op: &Operation) -> TokenStream {
    let name = format_ident!("{}", op.fn_name);
    let request = format_ident!("{}", op.request_type);
    let response = format_ident!("{}", op.response_type);
    let attrs = operation_attrs(op, |a| format!("Sends the client's credentials ({a})."));
    let method = format_ident!("{}", op.method.as_str());
    let path = match path_tokens(op) {
        // Reserved characters of `allowReserved` parameters cannot pass
        // through the URL's query serializer, which encodes them.
        path if op.params.iter().any(|p| p.allow_reserved) => {
            quote!(runtime::with_reserved(#path, reserved))
        }
        path => path,
    };
    let query = param_list(
        op,
        |p| p.location == Location::Query && !p.allow_reserved,
        "query",
    );
    let headers = param_list(
        op,
        |p| matches!(p.location, Location::Header | Location::Cookie),
        "headers",
    );
    let reserved = param_list(op, |p| p.allow_reserved, "reserved");
    let query_field = match query {
        Some(_) => quote!(query: runtime::pairs(query)),
        None => quote!(query: Vec::new()),
    };
    let headers_field = match headers {
        Some(_) => quote!(headers),
        None => quote!(headers: Vec::new()),
    };
    let body = match &op.body {
        Some(b) if b.required => match bodies::client_encode(&b.payload, quote!(&request.body)) {
            (encode, true) => quote!(Some(#encode?)),
            (encode, false) => quote!(Some(#encode)),
        },
        // A one-argument encoder is passed as is (clippy: no redundant closure).
        Some(b)
            if b.payload.choice.is_none()
                && matches!(b.payload.first().kind, BodyKind::Multipart(_)) =>
        {
            quote!(request
                .body
                .as_ref()
                .map(runtime::multipart_body)
                .transpose()?)
        }
        Some(b) => match bodies::client_encode(&b.payload, quote!(body)) {
            (encode, true) => quote!(request.body.as_ref().map(|body| #encode).transpose()?),
            (encode, false) => quote!(request.body.as_ref().map(|body| #encode)),
        },
        None => quote!(None),
    };
    let mut accept: Vec<&str> = Vec::new();
    for r in &op.responses {
        for media in r.body.iter().flat_map(|p| p.media_types()) {
            if !accept.contains(&media) {
                accept.push(media);
            }
        }
    }
    let accept = accept.join(", ");
    let security = if op.security.is_secured() {
        quote!(#request::SECURITY)
    } else {
        quote!(Security::NONE)
    };
    // Exact statuses before the ranges that contain them.
    let codes = op.responses.iter().filter(|r| r.status.code().is_some());
    let ranges = op
        .responses
        .iter()
        .filter(|r| matches!(r.status, Status::Range(_)));
    let arms: Vec<TokenStream> = codes.chain(ranges).map(|r| response_arm(op, r)).collect();
    let default = op.responses.iter().find(|r| r.status == Status::Default);
    let value = match (arms.is_empty(), default) {
        // Only `default`: every status reads as it.
        (true, Some(default)) => response_value(op, default),
        (_, default) => {
            let fallback = match default {
                Some(default) => response_arm(op, default),
                None => quote!(_ => return Err(received.unexpected()),),
            };
            quote! {
                match received.status {
                    #(#arms)*
                    #fallback
                }
            }
        }
    };
    let with_response = format_ident!("{}", op.fn_with_response);
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let with_response_doc = format!(
        " [`{}`](Self::{}), with the status and every header of the response beside the value.",
        op.fn_name, op.fn_name
    );
    let streamed = bodies::streamed_answers(op);
    let receive = match streamed.is_empty() {
        false => {
            quote!(let mut received = self.core.send_streaming(call, &self.options, &[#(#streamed),*]).await?;)
        }
        true => quote!(let received = self.core.send(call, &self.options).await?;),
    };
    quote! {
        #attrs
        pub async fn #name(&self, request: &#request) -> Result<#response, Error> {
            self.#with_response(request).await.map(ResponseValue::into_inner)
        }

        #[doc = #with_response_doc]
        #deprecated
        pub async fn #with_response(&self, request: &#request) -> Result<ResponseValue<#response>, Error> {
            Validate::validate(request).map_err(Error::InvalidRequest)?;
            #query
            #reserved
            #headers
            let call = runtime::Call {
                method: reqwest::Method::#method,
                path: #path,
                #query_field,
                #headers_field,
                body: #body,
                accept: #accept,
                security: #security,
            };
            #receive
            let value = #value;
            Ok(received.into_value(value))
        }
    }
}

/// `let <name>` with the wire pairs of the operation's parameters that
/// `keep` selects (cookies go with the headers, as `cookie: name=value`);
/// `None` without such parameters.
fn param_list(op: &Operation, keep: impl Fn(&Param) -> bool, name: &str) -> Option<TokenStream> {
    let list = format_ident!("{name}");
    // Objects in brackets make keys of their own.
    let dynamic = op.params.iter().any(|p| {
        keep(p)
            && matches!(
                p.style,
                ParamStyle::Deep | ParamStyle::Exploded(_) | ParamStyle::Indexed
            )
    });
    let pushes: Vec<Push> = op
        .params
        .iter()
        .filter(|p| keep(p))
        .map(|p| param_push(p, &list, dynamic))
        .collect();
    let key = if dynamic {
        quote!(String)
    } else {
        quote!(&'static str)
    };
    if pushes.is_empty() {
        return None;
    }
    // Entries that are always there start the vector (clippy: no pushes
    // right after creation).
    let leading = pushes
        .iter()
        .take_while(|p| matches!(p, Push::Entry(_)))
        .count();
    let init = if leading == 0 {
        quote!(Vec::new())
    } else {
        let entries = pushes[..leading].iter().filter_map(|p| match p {
            Push::Entry(entry) => Some(entry),
            Push::Code(_) => None,
        });
        quote!(vec![#(#entries),*])
    };
    let rest: Vec<TokenStream> = pushes[leading..]
        .iter()
        .map(|p| p.statement(&list))
        .collect();
    let binding = if rest.is_empty() {
        quote!(#list)
    } else {
        quote!(mut #list)
    };
    Some(quote! {
        let #binding: Vec<(#key, String)> = #init;
        #(#rest)*
    })
}

/// The request's text for one value of a parameter.
fn text_of(ty: &Ty, value: TokenStream) -> TokenStream {
    match ty {
        // `Display` of a date-time is not RFC 3339.
        Ty::DateTime => quote!(#value.to_rfc3339()),
        _ => quote!(#value.to_string()),
    }
}

/// `format!` of the path template with each `{name}` a percent-encoded
/// segment.
fn path_tokens(op: &Operation) -> TokenStream {
    let mut template = String::new();
    let mut args = Vec::new();
    let mut rest = op.path.as_str();
    while let Some(open) = rest.find('{') {
        let Some(len) = rest[open..].find('}') else {
            break;
        };
        let name = &rest[open + 1..open + len];
        template.push_str(&rest[..open].replace('{', "{{").replace('}', "}}"));
        let param = op
            .params
            .iter()
            .find(|p| p.location == Location::Path && p.wire == name);
        if let Some(p) = param {
            let ident = format_ident!("{}", p.rust);
            let text = match (&p.style, &p.shape.ty) {
                (ParamStyle::Joined(d), Ty::Array(item)) => {
                    let item = text_of(&item.ty, quote!(v));
                    quote!(request.#ident.iter().map(|v| #item).collect::<Vec<_>>().join(#d))
                }
                (ParamStyle::Value { json }, _) => {
                    quote!(runtime::value_text(&request.#ident, #json)?)
                }
                (ParamStyle::Pairs { between, pair }, _) => {
                    quote!(runtime::object_text(&request.#ident, (#between, #pair))?)
                }
                (_, ty) => text_of(ty, quote!(request.#ident)),
            };
            let wire = &p.wire;
            // The label or matrix prefix is not encoded: it is syntax.
            if let Some(prefix) = &p.prefix {
                template.push_str(&prefix.replace('{', "{{").replace('}', "}}"));
            }
            args.push(quote!(runtime::segment(#wire, &#text)?));
        }
        template.push_str("{}");
        rest = &rest[open + len + 1..];
    }
    template.push_str(&rest.replace('{', "{{").replace('}', "}}"));
    if args.is_empty() {
        quote!(#template.to_string())
    } else {
        quote!(format!(#template, #(#args),*))
    }
}

/// How a parameter gets into its list.
enum Push {
    /// One entry, always.
    Entry(TokenStream),
    /// Statements that push what there is.
    Code(TokenStream),
}

impl Push {
    /// As a statement that adds to `list`.
    fn statement(&self, list: &proc_macro2::Ident) -> TokenStream {
        match self {
            Push::Entry(t) => quote!(#list.push(#t);),
            Push::Code(t) => t.clone(),
        }
    }
}

/// Appends a query, header or cookie parameter to `list` as its style
/// says; absent optional values not at all.
fn param_push(p: &Param, list: &proc_macro2::Ident, dynamic: bool) -> Push {
    let ident = format_ident!("{}", p.rust);
    let wire = &p.wire;
    // The list's key, and the value as sent under it.
    let entry = |text: TokenStream| match (p.location, dynamic) {
        (Location::Cookie, _) => quote!(("cookie", runtime::cookie(#wire, #text))),
        (_, true) => quote!((#wire.to_string(), #text)),
        (_, false) => quote!((#wire, #text)),
    };
    let one = |value: TokenStream| match (&p.style, &p.shape.ty) {
        (ParamStyle::Plain, Ty::Array(item)) => {
            let text = text_of(&item.ty, quote!(v));
            let entry = entry(text);
            Push::Code(quote!(for v in &#value { #list.push(#entry); }))
        }
        (ParamStyle::Joined(d), Ty::Array(item)) => {
            // `Display` of a date-time is not RFC 3339.
            let joined = match item.ty {
                Ty::DateTime => {
                    let text = text_of(&item.ty, quote!(v));
                    quote!(#value.iter().map(|v| #text).collect::<Vec<_>>().join(#d))
                }
                _ => quote!(runtime::joined(&#value, #d)),
            };
            let entry = entry(joined);
            Push::Code(quote! {
                if !#value.is_empty() {
                    #list.push(#entry);
                }
            })
        }
        (ParamStyle::Plain | ParamStyle::Joined(_), ty) => Push::Entry(entry(text_of(ty, value))),
        (ParamStyle::Indexed, Ty::Array(item)) => {
            let text = text_of(&item.ty, quote!(v));
            // `expand[{i}]`, the name's own braces doubled.
            let key = format!("{}[{{i}}]", wire.replace('{', "{{").replace('}', "}}"));
            Push::Code(quote! {
                for (i, v) in #value.iter().enumerate() {
                    #list.push((format!(#key), #text));
                }
            })
        }
        (ParamStyle::Deep | ParamStyle::Indexed, _) => {
            Push::Code(quote!(#list.extend(runtime::deep_pairs(#wire, #value)?);))
        }
        (ParamStyle::Exploded(_), _) => {
            Push::Code(quote!(#list.extend(runtime::exploded_pairs(#value)?);))
        }
        (ParamStyle::Pairs { between, pair }, _) => Push::Entry(entry(
            quote!(runtime::object_text(#value, (#between, #pair))?),
        )),
        (ParamStyle::Value { json }, _) => {
            Push::Entry(entry(quote!(runtime::value_text(#value, #json)?)))
        }
    };
    if p.repeats() || p.required || p.default.is_some() {
        let value = match &p.style {
            ParamStyle::Plain | ParamStyle::Joined(_) | ParamStyle::Indexed => {
                quote!(request.#ident)
            }
            _ => quote!(&request.#ident),
        };
        one(value)
    } else {
        let body = match one(quote!(v)) {
            Push::Entry(entry) => quote!(#list.push(#entry);),
            Push::Code(code) => code,
        };
        Push::Code(quote!(if let Some(v) = &request.#ident { #body }))
    }
}

fn response_arm(op: &Operation, r: &Response) -> TokenStream {
    let pattern = match r.status {
        Status::Code(code) => quote!(#code),
        Status::Range(class) => {
            // The exact statuses have arms of their own before this one; a
            // range that starts or ends on one would overlap it.
            let exact = |status: &u16| {
                op.responses
                    .iter()
                    .any(|r| r.status == Status::Code(*status))
            };
            let mut first = class * 100;
            let mut last = class * 100 + 99;
            while first < last && exact(&first) {
                first += 1;
            }
            while last > first && exact(&last) {
                last -= 1;
            }
            quote!(#first..=#last)
        }
        Status::Default => quote!(_),
    };
    let value = response_value(op, r);
    quote!(#pattern => #value,)
}

/// The response enum's value for an answer of `r`'s status.
fn response_value(op: &Operation, r: &Response) -> TokenStream {
    let ty = format_ident!("{}", op.response_type);
    let v = format_ident!("{}", r.variant);
    let body = r.body.as_ref().map(bodies::client_decode);
    match response_form(r) {
        Form::Unit => quote!(#ty::#v),
        Form::Tuple => quote!(#ty::#v(#body)),
        Form::Struct => {
            let mut fields: Vec<TokenStream> = r
                .headers
                .iter()
                .map(|h| {
                    let ident = format_ident!("{}", h.rust);
                    let wire = h.wire.to_ascii_lowercase();
                    if h.required {
                        quote!(#ident: received.required_header(#wire)?)
                    } else {
                        quote!(#ident: received.header(#wire)?)
                    }
                })
                .collect();
            if let Some(body) = &body {
                fields.push(quote!(body: #body));
            }
            if r.status.carries_status() {
                fields.push(quote!(status: received.status));
            }
            quote!(#ty::#v { #(#fields),* })
        }
    }
}

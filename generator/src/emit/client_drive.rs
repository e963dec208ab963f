//! `src/main.rs` of the client drive (`<prefix>-client-drive`), part of the
//! conformance harness: it calls operations of the generated client with
//! requests built from examples of their parameters and bodies, against a
//! server given on the command line (in `cargo xtask conform`, a Prism mock
//! of the spec that validates every request), and prints one JSON line per
//! operation: what the client decoded, or how it failed. Prism judges what
//! the client put on the wire; the lines say whether the client read what
//! came back.
//!
//! Not part of what users get: only the conformance run asks for it.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::example_values::ExampleValues;
use super::operations::param_is_optional;
use crate::ir::{Api, Carrier, ModelSpace, Operation, Shape};

/// Operations called per spec at most; larger specs are sampled evenly
/// (deterministically) across their operations.
pub const MAX_CALLS: usize = 100;

/// The operations the drive calls: all of them, or `MAX_CALLS` spread
/// evenly over them.
pub fn sampled(api: &Api) -> Vec<&Operation> {
    let n = api.operations.len();
    if n <= MAX_CALLS {
        return api.operations.iter().collect();
    }
    (0..MAX_CALLS)
        .map(|k| &api.operations[k * n / MAX_CALLS])
        .collect()
}

/// The main file of the drive of `client_crate`.
pub fn client_drive_main(client_crate: &str, api: &Api, space: &ModelSpace) -> TokenStream {
    let krate = format_ident!("{}", client_crate.replace('-', "_"));
    let mut values = ExampleValues::new(space);
    values.request = true;
    let mut functions = Vec::new();
    let mut calls = Vec::new();
    let mut skips = false;
    for op in sampled(api) {
        let id = &op.operation_id;
        let line = format!("{} {}", op.method.as_str(), op.path);
        match call_function(op, &mut values) {
            Ok(body) => {
                let name = format_ident!("call_{}", op.fn_name.trim_start_matches("r#"));
                let doc = format!(" Calls `{id}` (`{line}`).");
                functions.push(quote! {
                    #[doc = #doc]
                    async fn #name(client: &#krate::Client) -> Result<u16, #krate::Error> {
                        #body
                    }
                });
                calls.push(quote!(report(&mut out, #id, #line, #name(&client).await)?;));
            }
            Err(why) => {
                skips = true;
                calls.push(quote!(skipped(&mut out, #id, #line, #why)?;));
            }
        }
    }
    let credentials = api.schemes.iter().map(|s| {
        let method = format_ident!("with_{}", s.rust.trim_start_matches("r#"));
        match s.carrier {
            Carrier::Basic => quote!(.#method("drive", "drive")),
            _ => quote!(.#method("drive")),
        }
    });
    let report_fn = (!functions.is_empty()).then(|| {
        quote! {
            fn report(out: &mut impl Write, operation: &str, call: &str, result: Result<u16, #krate::Error>) -> std::io::Result<()> {
                use #krate::Error;
                let line = match result {
                    Ok(status) => serde_json::json!({"operation": operation, "call": call, "outcome": "ok", "status": status}),
                    Err(e) => {
                        let (outcome, status, content_type) = match &e {
                            Error::InvalidRequest(_) => ("refused", None, None),
                            Error::Encode(_) => ("encode", None, None),
                            Error::InvalidUrl { .. } | Error::Transport(_) => ("transport", None, None),
                            Error::ReadBody { status, .. } => ("transport", Some(*status), None),
                            Error::UnexpectedStatus { status, .. } => ("status", Some(*status), None),
                            Error::UnexpectedContentType { status, .. } => ("content-type", Some(*status), None),
                            Error::Decode { status, content_type, .. } => ("decode", Some(*status), content_type.clone()),
                            Error::Header { status, .. } => ("header", Some(*status), None),
                            _ => ("other", None, None),
                        };
                        // The whole body, for judging whether it fits the spec.
                        let body = content_type.is_some().then(|| last_body());
                        serde_json::json!({"operation": operation, "call": call, "outcome": outcome, "status": status,
                            "content_type": content_type, "body": body, "detail": e.to_string()})
                    }
                };
                writeln!(out, "{line}")
            }
        }
    });
    let skipped_fn = skips.then(|| {
        quote! {
            fn skipped(out: &mut impl Write, operation: &str, call: &str, why: &str) -> std::io::Result<()> {
                let line = serde_json::json!({"operation": operation, "call": call, "outcome": "skipped", "detail": why});
                writeln!(out, "{line}")
            }
        }
    });
    let example_fn = values.uses_example.then(|| {
        quote! {
            /// Decodes one of the drive's examples. The generator checked
            /// each against its schema, so a failure is a generator bug.
            fn example<T: serde::de::DeserializeOwned>(json: &str) -> T {
                match #krate::models::from_json_slice(json.as_bytes()) {
                    Ok(value) => value,
                    Err(e) => panic!("an example of the drive does not decode: {e}"),
                }
            }
        }
    });
    quote! {
        //! Calls operations of the generated client against the server at
        //! the URL given as the first argument and prints one JSON line per
        //! operation: `{"operation", "call", "outcome", "status", "detail"}`,
        //! where `outcome` is `ok` (a declared response, decoded) or the
        //! kind of the client's error, or `skipped` (no request could be
        //! built; `detail` says why). Generated for `cargo xtask conform`.
        // Deprecated operations are called like the others.
        #![allow(deprecated)]

        use std::io::Write;

        // Unused where no operation's request could be built.
        #[allow(unused_imports)]
        use #krate::models::*;

        #[tokio::main(flavor = "current_thread")]
        async fn main() -> std::io::Result<()> {
            let base = std::env::args().nth(1).unwrap_or_else(|| "http://127.0.0.1:4010".to_string());
            let credentials = #krate::models::Credentials::default() #(#credentials)*;
            let http = match #krate::reqwest::Client::builder().build() {
                Ok(http) => #krate::reqwest_middleware::ClientBuilder::new(http).with(keep_body).build(),
                Err(e) => return Err(std::io::Error::other(e.to_string())),
            };
            let client = match #krate::Client::with_middleware(&base, http) {
                Ok(client) => client.with_credentials(credentials),
                Err(e) => return Err(std::io::Error::other(e.to_string())),
            };
            let mut out = std::io::stdout().lock();
            #(#calls)*
            out.flush()
        }

        #(#functions)*

        #report_fn

        #skipped_fn

        #example_fn

        /// The body of the last response, as `keep_body` kept it.
        static LAST_BODY: std::sync::Mutex<String> = std::sync::Mutex::new(String::new());

        fn last_body() -> String {
            LAST_BODY.lock().map(|body| body.clone()).unwrap_or_default()
        }

        /// A middleware that reads each response whole, keeps a copy of its
        /// body and hands the client the same response.
        fn keep_body<'a>(
            request: #krate::reqwest::Request,
            extensions: &'a mut http::Extensions,
            next: #krate::reqwest_middleware::Next<'a>,
        ) -> std::pin::Pin<Box<dyn std::future::Future<Output = #krate::reqwest_middleware::Result<#krate::reqwest::Response>> + Send + 'a>> {
            Box::pin(async move {
                let response = next.run(request, extensions).await?;
                let mut head = http::Response::builder().status(response.status()).version(response.version());
                if let Some(headers) = head.headers_mut() {
                    headers.extend(response.headers().clone());
                }
                let bytes = response.bytes().await?;
                if let Ok(mut last) = LAST_BODY.lock() {
                    *last = String::from_utf8_lossy(&bytes).into_owned();
                }
                let rebuilt = head.body(bytes).map_err(#krate::reqwest_middleware::Error::middleware)?;
                Ok(#krate::reqwest::Response::from(rebuilt))
            })
        }
    }
}

/// The body of one `call_` function: the request from examples (every
/// parameter and the body, where an example can be built; optional ones
/// without are left out), then the call. An error when a required part
/// has no example.
fn call_function(op: &Operation, values: &mut ExampleValues) -> Result<TokenStream, String> {
    let request = format_ident!("{}", op.request_type);
    let method = format_ident!("{}", op.fn_with_response);
    let mut args = Vec::new();
    let mut sets = Vec::new();
    for p in &op.params {
        // Parameters never travel as `null`: the field holds the value.
        let shape = Shape {
            nullable: false,
            ..p.shape.clone()
        };
        let value = values.json_value(&shape);
        let field = format_ident!("{}", p.rust);
        match (p.required, value) {
            (true, Ok(value)) => args.push(value),
            (true, Err(why)) => return Err(format!("parameter `{}`: {why}", p.wire)),
            // A careful caller leaves a deprecated parameter out.
            (false, _) if p.deprecated => {}
            (false, Ok(value)) if param_is_optional(p) => {
                sets.push(quote!(request.#field = Some(#value);))
            }
            (false, Ok(value)) => sets.push(quote!(request.#field = #value;)),
            (false, Err(_)) => {}
        }
    }
    if let Some(body) = &op.body {
        match (body.required, values.payload_value(&body.payload)) {
            (true, Ok(value)) => args.push(value),
            (true, Err(why)) => return Err(format!("body: {why}")),
            (false, Ok(value)) => sets.push(quote!(request.body = Some(#value);)),
            (false, Err(_)) => {}
        }
    }
    let binding = if sets.is_empty() {
        quote!(let request)
    } else {
        quote!(let mut request)
    };
    Ok(quote! {
        #binding = #request::new(#(#args),*);
        #(#sets)*
        client.#method(&request).await.map(|response| response.status())
    })
}

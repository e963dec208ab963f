//! The conformance harness of a spec (`cargo xtask conform`): a binary
//! that decodes JSON documents into the generated models as a server
//! would, so that independent tools can judge the answers. One build serves
//! every instance: it reads `POINTER<TAB>JSON` lines, where the pointer
//! names the schema a type was generated from, and answers one line each.
//!
//! Beside it, where the spec has operations, a binary serving the server
//! crate's mock, which schemathesis drives.
//!
//! Not part of what users get: only the conformance run asks for it.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::json;

use crate::examples::carries_files;
use crate::ir::{Api, Carrier, ModelSpace, TypeDef, TypeKind};

/// The types the harness decodes: every struct, enum and union that travels
/// as JSON. Aliases have no `Validate` of their own (their checks live in
/// the types that use them), so they are reached through those; so are the
/// variants of a union written inline, which hold the union's own
/// properties too and so are not the schema their pointer names, and the
/// types an `allOf` merged (see `TypeDef::exact`).
pub fn harnessed(space: &ModelSpace) -> impl Iterator<Item = &TypeDef> {
    // A schema used in several places may give several types (an inline
    // enum of a shared parameter): the first stands for it.
    let mut seen = std::collections::HashSet::new();
    space.types.iter().filter(move |def| {
        let variant = def
            .origin
            .rsplit('/')
            .nth(1)
            .is_some_and(|parent| parent == "oneOf" || parent == "anyOf");
        let json = match &def.kind {
            TypeKind::Alias(_) => false,
            TypeKind::Struct(s) => !carries_files(s),
            TypeKind::Enum(_) | TypeKind::Union(_) => true,
        };
        def.exact && !variant && json && seen.insert(def.origin.as_str())
    })
}

/// `src/main.rs` of the harness.
pub fn harness_main(models_crate: &str, space: &ModelSpace) -> TokenStream {
    let krate = format_ident!("{}", models_crate.replace('-', "_"));
    let arms = harnessed(space).map(|def| {
        let pointer = &def.origin;
        let ty = format_ident!("{}", def.name);
        quote!(#pointer => answer::<#krate::#ty>(json),)
    });
    quote! {
        //! Reads `POINTER<TAB>JSON` lines and answers each with one line:
        //! `ok<TAB>JSON` (decoded strictly, valid, encoded back), `decode<TAB>why`,
        //! `invalid<TAB>why`, `encode<TAB>why` or `unknown`.
        // Deprecated schemas are checked like the others.
        #![allow(deprecated)]

        use std::io::{BufRead, Write};

        fn main() -> std::io::Result<()> {
            let stdin = std::io::stdin();
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            for line in stdin.lock().lines() {
                let line = line?;
                let (pointer, json) = line.split_once('\t').unwrap_or((line.as_str(), ""));
                let answer = match pointer {
                    #(#arms)*
                    _ => "unknown".to_string(),
                };
                writeln!(out, "{}", answer.replace(['\n', '\r'], " "))?;
            }
            out.flush()
        }

        fn answer<T>(json: &str) -> String
        where
            T: serde::de::DeserializeOwned + serde::Serialize + #krate::Validate,
        {
            let value: T = match #krate::from_json_slice_strict(json.as_bytes()) {
                Ok(value) => value,
                Err(e) => return format!("decode\t{e}"),
            };
            if let Err(violations) = value.validate() {
                return format!("invalid\t{violations}");
            }
            match serde_json::to_string(&value) {
                Ok(text) => format!("ok\t{text}"),
                Err(e) => format!("encode\t{e}"),
            }
        }
    }
}

/// `conform.json` of the harness: what each pointer is, for the tools
/// that draw instances from the spec.
pub fn harness_index(space: &ModelSpace) -> String {
    let types: Vec<serde_json::Value> = harnessed(space)
        .map(|def| {
            json!({
                "pointer": def.origin,
                "source": def.source,
                "type": def.name,
            })
        })
        .collect();
    let mut text =
        serde_json::to_string_pretty(&json!({ "types": types })).unwrap_or_else(|_| "{}".into());
    text.push('\n');
    text
}

/// `src/main.rs` of the mock server harness (`<prefix>-mock-serve`): serves
/// the server crate's [`crate::emit::mock`] on `127.0.0.1:PORT` (the first
/// argument; 0 picks a free port) and prints `serving on ADDRESS`.
pub fn mock_serve_main(server_crate: &str) -> TokenStream {
    let krate = format_ident!("{}", server_crate.replace('-', "_"));
    quote! {
        //! Serves the generated mock for schemathesis (`cargo xtask conform`).

        #[tokio::main(flavor = "current_thread")]
        async fn main() -> std::io::Result<()> {
            let port = std::env::args().nth(1).unwrap_or_else(|| "0".to_string());
            let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await?;
            println!("serving on {}", listener.local_addr()?);
            axum::serve(listener, #krate::router(#krate::mock::Mock)).await
        }
    }
}

/// `serve.json` of the mock server harness: credentials of every security
/// scheme of the spec, by scheme name, in the shape of schemathesis's
/// OpenAPI-aware authentication (`api_key`, `bearer`, or `username` and
/// `password`), which sends each where its scheme says (header, query or
/// cookie) on the operations that accept it. The mock accepts any.
pub fn mock_serve_index(api: &Api) -> String {
    let mut auth = serde_json::Map::new();
    for s in &api.schemes {
        let credentials = match &s.carrier {
            Carrier::Basic => json!({"username": "mock", "password": "mock"}),
            Carrier::Bearer => json!({"bearer": "mock"}),
            Carrier::ApiKey { .. } => json!({"api_key": "mock"}),
        };
        auth.insert(s.name.clone(), credentials);
    }
    let mut text =
        serde_json::to_string_pretty(&json!({ "auth": auth })).unwrap_or_else(|_| "{}".into());
    text.push('\n');
    text
}

//! The enum of a body whose media types carry values of different Rust
//! types (JSON of a schema, or its text): a variant per group of media
//! types. The client sends the variant it is given and reads the one the
//! Content-Type names; the router does the reverse.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::doc_attrs;
use super::rust_types::shape_type;
use super::validate::{shape_checks, At, Patterns, Subject};
use crate::ir::{Api, ChoiceVariant, Payload, Ty};

/// One enum per body with a choice, in operation order.
pub fn choice_enums(api: &Api, patterns: &mut Patterns) -> TokenStream {
    let mut seen: Vec<&str> = Vec::new();
    let mut enums = Vec::new();
    for op in &api.operations {
        let responses = op.responses.iter().filter_map(|r| r.body.as_ref());
        for payload in op.body.iter().map(|b| &b.payload).chain(responses) {
            let (Some(variants), Ty::Named(name)) = (&payload.choice, &payload.shape.ty) else {
                continue;
            };
            if !seen.contains(&name.as_str()) {
                seen.push(name);
                enums.push(enum_tokens(name, variants, patterns));
            }
        }
    }
    quote!(#(#enums)*)
}

fn media_list(payload: &Payload) -> String {
    let names: Vec<String> = payload.media_types().map(|m| format!("`{m}`")).collect();
    names.join(", ")
}

fn enum_tokens(name: &str, variants: &[ChoiceVariant], patterns: &mut Patterns) -> TokenStream {
    let ident = format_ident!("{}", name);
    let docs = doc_attrs(&[format!(
        "A body of one of several media types, a variant per Rust value: {}.",
        variants
            .iter()
            .map(|v| media_list(&v.payload))
            .collect::<Vec<_>>()
            .join("; ")
    )]);
    let items = variants.iter().map(|v| {
        let variant = format_ident!("{}", v.name);
        let ty = shape_type(&v.payload.shape);
        let doc = format!(" As {}.", media_list(&v.payload));
        quote!(#[doc = #doc] #variant(#ty),)
    });
    let arms: Vec<TokenStream> = variants
        .iter()
        .map(|v| {
            let variant = format_ident!("{}", v.name);
            match shape_checks(
                &v.payload.shape,
                &Subject::binding("value"),
                &At::Path,
                patterns,
            ) {
                Some(check) => quote!(Self::#variant(value) => { #check }),
                None => quote!(Self::#variant(_) => {}),
            }
        })
        .collect();
    let checked = arms.iter().any(|a| !a.to_string().ends_with("{ }"));
    let validate = if checked {
        quote! {
            fn validate_at(&self, path: &crate::support::Pointer<'_>, violations: &mut Vec<crate::support::Violation>) {
                match self {
                    #(#arms)*
                }
            }
        }
    } else {
        quote!()
    };
    quote! {
        #docs
        // A body is built once and moved; boxing the larger values would
        // only make callers noisier.
        #[allow(clippy::large_enum_variant)]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #ident {
            #(#items)*
        }

        impl crate::support::Validate for #ident {
            #validate
        }
    }
}

//! IR shapes → Rust type tokens.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ir::{DefaultValue, RegexEngine, Shape, Ty};

/// The Rust type of a value of this shape (nullable shapes are `Option`).
pub fn shape_type(shape: &Shape) -> TokenStream {
    let inner = ty_tokens(&shape.ty);
    if shape.nullable {
        quote!(Option<#inner>)
    } else {
        inner
    }
}

pub fn ty_tokens(ty: &Ty) -> TokenStream {
    match ty {
        Ty::Named(n) => {
            let ident = format_ident!("{}", n);
            quote!(#ident)
        }
        Ty::String => quote!(String),
        Ty::Bool => quote!(bool),
        Ty::I32 => quote!(i32),
        Ty::I64 => quote!(i64),
        Ty::F32 => quote!(f32),
        Ty::F64 => quote!(f64),
        Ty::Date => quote!(chrono::NaiveDate),
        Ty::DateTime => quote!(chrono::DateTime<chrono::FixedOffset>),
        Ty::Bytes => quote!(crate::bytes::Base64),
        Ty::Octets => quote!(crate::binary::Binary),
        Ty::Blob => quote!(crate::support::Blob),
        Ty::File => quote!(crate::support::FilePart),
        Ty::Events(data) => {
            let data = shape_type(data);
            quote!(crate::events::EventStream<#data>)
        }
        Ty::Json => quote!(serde_json::Value),
        Ty::Array(item) => {
            let item = shape_type(item);
            quote!(Vec<#item>)
        }
        Ty::Map(value) => {
            let value = shape_type(value);
            quote!(std::collections::BTreeMap<String, #value>)
        }
    }
}

/// Whether a shape (at any depth) uses chrono.
pub fn uses_chrono(ty: &Ty) -> bool {
    match ty {
        Ty::Date | Ty::DateTime => true,
        Ty::Array(s) | Ty::Map(s) | Ty::Events(s) => uses_chrono(&s.ty),
        _ => false,
    }
}

/// Whether a shape (at any depth) holds base64 bytes.
pub fn uses_bytes(ty: &Ty) -> bool {
    match ty {
        Ty::Bytes => true,
        Ty::Array(s) | Ty::Map(s) | Ty::Events(s) => uses_bytes(&s.ty),
        _ => false,
    }
}

/// Whether a shape (at any depth) has a `pattern` checked with `engine`.
pub fn uses_pattern(shape: &Shape, engine: RegexEngine) -> bool {
    shape.checks.pattern.as_ref().map(|p| p.engine) == Some(engine)
        || match &shape.ty {
            Ty::Array(s) | Ty::Map(s) | Ty::Events(s) => uses_pattern(s, engine),
            _ => false,
        }
}

/// The expression of a spec default, of the shape's Rust type.
pub fn default_value(d: &DefaultValue, shape: &Shape) -> TokenStream {
    match d {
        DefaultValue::Bool(b) => quote!(#b),
        DefaultValue::Int(i) => match shape.ty {
            Ty::I32 => {
                let v = i32::try_from(*i).unwrap_or_default();
                quote!(#v)
            }
            _ => quote!(#i),
        },
        DefaultValue::Float(x) => match shape.ty {
            Ty::F32 => {
                let v = *x as f32;
                quote!(#v)
            }
            _ => quote!(#x),
        },
        DefaultValue::String(s) => quote!(#s.to_string()),
        DefaultValue::EnumVariant(v) => {
            let ty = ty_tokens(&shape.ty);
            let v = format_ident!("{}", v);
            quote!(#ty::#v)
        }
        DefaultValue::Json { value, .. } => match (&shape.ty, value) {
            (Ty::Array(_), serde_json::Value::Array(a)) if a.is_empty() => quote!(Vec::new()),
            (Ty::Map(_), serde_json::Value::Object(m)) if m.is_empty() => {
                quote!(std::collections::BTreeMap::new())
            }
            _ => {
                let text = value.to_string();
                quote! {
                    serde_json::from_str(#text).expect("the generator checked that the spec's default fits")
                }
            }
        },
    }
}

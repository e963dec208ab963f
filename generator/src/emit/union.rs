//! `oneOf` unions: an enum with one variant per alternative, and hand-written
//! serde impls, because serde's untagged enums report only "data did not
//! match any variant" and its internally tagged enums drop the tag field the
//! IOM variant schemas declare themselves.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::rust_types::{shape_type, ty_tokens};
use super::validate::{shape_checks, At, Patterns, Subject};
use crate::ir::{Matcher, UnionDef, UnionStrategy};

pub fn union_tokens(
    name: &Ident,
    u: &UnionDef,
    docs: TokenStream,
    deprecated: Option<TokenStream>,
    patterns: &mut Patterns,
    aliases: &super::models::Aliases,
) -> TokenStream {
    let idents: Vec<Ident> = u
        .variants
        .iter()
        .map(|v| format_ident!("{}", v.rust))
        .collect();
    let types: Vec<TokenStream> = u
        .variants
        .iter()
        .map(|v| {
            if v.boxed {
                let t = ty_tokens(&v.shape.ty);
                if v.shape.nullable {
                    quote!(Option<Box<#t>>)
                } else {
                    quote!(Box<#t>)
                }
            } else {
                shape_type(&v.shape)
            }
        })
        .collect();
    let union_name = name.to_string();
    let variant_names: Vec<&str> = u.variants.iter().map(|v| v.rust.as_str()).collect();
    let decode_arm = |i: usize| {
        let ident = &idents[i];
        let vname = variant_names[i];
        quote!(crate::support::decode_variant(value, #union_name, #vname).map(Self::#ident))
    };
    // A variant that may be null reads `null`, which no tag or matcher
    // would lead to.
    let null_arm = u.variants.iter().position(|v| v.shape.nullable).map(|i| {
        let arm = decode_arm(i);
        quote! {
            if value.is_null() {
                let value: &serde_json::Value = &value;
                return #arm.map_err(serde::de::Error::custom);
            }
        }
    });
    let (serialize, deserialize) = match &u.strategy {
        UnionStrategy::Discriminator { property, mapping } => {
            let tags: Vec<&str> = mapping.iter().map(|(tag, _)| tag.as_str()).collect();
            let arms = mapping.iter().map(|(tag, i)| {
                let arm = decode_arm(*i);
                quote!(#tag => #arm,)
            });
            let ser_arms = u.variants.iter().enumerate().map(|(i, v)| {
                let ident = &idents[i];
                // The first mapping entry of a variant is the tag it writes.
                let tag = mapping.iter().find(|(_, j)| *j == i).map(|(t, _)| t.as_str()).unwrap_or_default();
                if v.writes_tag {
                    quote!(Self::#ident(value) => serde::Serialize::serialize(value, serializer),)
                } else {
                    quote!(Self::#ident(value) => crate::support::serialize_tagged(value, #property, #tag, serializer),)
                }
            });
            (
                quote!(match self { #(#ser_arms)* }),
                quote! {
                    let value = &value;
                    #null_arm
                    let tag = crate::support::tag_of(value, #union_name, #property).map_err(serde::de::Error::custom)?;
                    let decoded = match tag {
                        #(#arms)*
                        other => Err(crate::support::unknown_tag(#union_name, #property, other, &[#(#tags),*])),
                    };
                    decoded.map_err(serde::de::Error::custom)
                },
            )
        }
        UnionStrategy::Untagged {
            matchers,
            order,
            exclusive,
        } => {
            let matcher_tokens = matchers.iter().map(|m| match m {
                Matcher::Kind(k) => quote!(crate::support::Matcher::Kind(#k)),
                Matcher::Keys(keys) => quote!(crate::support::Matcher::Keys(&[#(#keys),*])),
                Matcher::Tag { property, values } => {
                    quote!(crate::support::Matcher::Tag(#property, &[#(#values),*]))
                }
                Matcher::Fallback(properties) => {
                    quote!(crate::support::Matcher::Fallback(&[#(#properties),*]))
                }
                Matcher::Open => quote!(crate::support::Matcher::Open),
                Matcher::Any => quote!(crate::support::Matcher::Any),
                Matcher::Union(properties) => {
                    quote!(crate::support::Matcher::Union(&[#(#properties),*]))
                }
            });
            let count = idents.len();
            let arms = (0..count).map(|i| {
                let arm = decode_arm(i);
                if i + 1 == count {
                    quote!(_ => #arm,)
                } else {
                    let i = proc_macro2::Literal::usize_unsuffixed(i);
                    quote!(#i => #arm,)
                }
            });
            let order = order
                .iter()
                .map(|&i| proc_macro2::Literal::usize_unsuffixed(i));
            // One variant needs no dispatch on the index.
            let decode = if count == 1 {
                let arm = decode_arm(0);
                quote!(|_, value| #arm)
            } else {
                quote!(|index, value| match index { #(#arms)* })
            };
            (
                quote!(match self { #(Self::#idents(value) => serde::Serialize::serialize(value, serializer),)* }),
                quote! {
                    #null_arm
                    const MATCHERS: &[crate::support::Matcher] = &[#(#matcher_tokens),*];
                    const NAMES: &[&str] = &[#(#variant_names),*];
                    const ORDER: &[usize] = &[#(#order),*];
                    let candidates = crate::support::candidates(&value, #union_name, NAMES, MATCHERS, ORDER, #exclusive)
                        .map_err(serde::de::Error::custom)?;
                    crate::support::decode_union(&value, &candidates, #decode)
                    .map_err(serde::de::Error::custom)
                },
            )
        }
    };
    let mut checked = false;
    let validate_arms: Vec<TokenStream> = u
        .variants
        .iter()
        .zip(&idents)
        .map(|(v, ident)| {
            match shape_checks(&v.shape, &Subject::binding("variant"), &At::Path, patterns) {
                Some(body) => {
                    checked = true;
                    quote!(Self::#ident(variant) => { #body })
                }
                None => quote!(Self::#ident(_) => {}),
            }
        })
        .collect();
    // A union that contains itself (a filter of filters) may pass
    // `violations` on and nothing else.
    let own = name.to_string();
    let recursion = u
        .variants
        .iter()
        .any(|v| aliases.mentions(&v.shape, &own))
        .then(|| quote!(#[allow(clippy::only_used_in_recursion)]));
    let validate_body = checked.then(|| {
        quote! {
            #recursion
            fn validate_at(&self, path: &crate::support::Pointer<'_>, violations: &mut Vec<crate::support::Violation>) {
                match self {
                    #(#validate_arms)*
                }
            }
        }
    });
    // `From` only where each variant type is distinct, or the impls would
    // overlap; an alias is the type it names.
    let distinct = {
        let mut seen = std::collections::HashSet::new();
        u.variants
            .iter()
            .all(|v| seen.insert((v.boxed, shape_type(aliases.resolve(&v.shape)).to_string())))
    };
    let from_impls = distinct.then(|| {
        let impls = u.variants.iter().zip(&idents).map(|(v, ident)| {
            let ty = shape_type(&v.shape);
            let wrap = if v.boxed && v.shape.nullable {
                quote!(value.map(Box::new))
            } else if v.boxed {
                quote!(Box::new(value))
            } else {
                quote!(value)
            };
            quote! {
                impl From<#ty> for #name {
                    fn from(value: #ty) -> Self {
                        Self::#ident(#wrap)
                    }
                }
            }
        });
        quote!(#(#impls)*)
    });
    quote! {
        #docs
        #deprecated
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant, clippy::enum_variant_names)]
        pub enum #name {
            #(#idents(#types),)*
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                #serialize
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                #deserialize
            }
        }

        #from_impls

        impl crate::support::Validate for #name {
            #validate_body
        }
    }
}

//! `validate()` bodies: code that checks one value against the constraints
//! of its shape, recursing into items, map values and named types.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::ir::{Bound, ModelSpace, Pattern, RegexEngine, Shape, Ty, TypeKind};

/// What checks are generated against: the regexes a module needs (compiled
/// once each) and the type aliases of the space, whose checks are made
/// where the alias is used (`pub type Sku = String` has no `Validate`).
#[derive(Default)]
pub struct Patterns {
    pub list: Vec<Pattern>,
    aliases: std::collections::HashMap<String, Shape>,
}

impl Patterns {
    pub fn for_space(space: &ModelSpace) -> Self {
        let aliases = space
            .types
            .iter()
            .filter_map(|t| match &t.kind {
                TypeKind::Alias(shape) => Some((t.name.clone(), shape.clone())),
                _ => None,
            })
            .collect();
        Patterns {
            list: Vec::new(),
            aliases,
        }
    }

    fn ident(&mut self, pattern: &Pattern) -> Ident {
        let i = match self.list.iter().position(|p| p == pattern) {
            Some(i) => i,
            None => {
                self.list.push(pattern.clone());
                self.list.len() - 1
            }
        };
        format_ident!("PATTERN_{}", i)
    }

    /// `static PATTERN_n` items for the module.
    pub fn statics(&self) -> TokenStream {
        let items = self.list.iter().enumerate().map(|(i, p)| {
            let ident = format_ident!("PATTERN_{}", i);
            let source = &p.source;
            let regex = match p.engine {
                RegexEngine::Linear => quote!(regex::Regex),
                RegexEngine::Backtracking => quote!(fancy_regex::Regex),
            };
            quote! {
                static #ident: std::sync::LazyLock<#regex> = std::sync::LazyLock::new(|| {
                    #regex::new(#source).expect("the generator compiled this pattern")
                });
            }
        });
        quote!(#(#items)*)
    }
}

fn bound(b: &Option<Bound>) -> TokenStream {
    match b {
        Some(Bound { value, exclusive }) => quote!(Some((#value, #exclusive))),
        None => quote!(None),
    }
}

fn opt_u64(v: Option<u64>) -> TokenStream {
    match v {
        Some(n) => quote!(Some(#n)),
        None => quote!(None),
    }
}

/// Statements checking `v` (a `&T` binding of the shape's type) at `path`
/// (a `&str` binding), or `None` when nothing can be violated.
pub fn shape_checks(
    shape: &Shape,
    v: &Ident,
    path: &Ident,
    patterns: &mut Patterns,
) -> Option<TokenStream> {
    if shape.nullable {
        let inner = format_ident!("value");
        let body = non_null_checks(shape, &inner, path, patterns)?;
        Some(quote!(if let Some(#inner) = #v { #body }))
    } else {
        non_null_checks(shape, v, path, patterns)
    }
}

fn non_null_checks(
    shape: &Shape,
    v: &Ident,
    path: &Ident,
    patterns: &mut Patterns,
) -> Option<TokenStream> {
    let c = &shape.checks;
    let mut out = Vec::new();
    match &shape.ty {
        Ty::String => {
            if c.min_length.is_some() || c.max_length.is_some() {
                let (min, max) = (opt_u64(c.min_length), opt_u64(c.max_length));
                out.push(quote!(crate::support::check_length(#v, #path, #min, #max, violations);));
            }
            if let Some(p) = &c.pattern {
                let re = patterns.ident(p);
                let source = &p.source;
                out.push(match p.engine {
                    RegexEngine::Linear => quote! {
                        if !#re.is_match(#v) {
                            crate::support::pattern_violation(#v, #path, #source, violations);
                        }
                    },
                    RegexEngine::Backtracking => quote! {
                        crate::support::check_backtracking_match(#v, #path, #source, #re.is_match(#v), violations);
                    },
                });
            }
        }
        // Length limits of base64 text are warned about when the IR is built.
        Ty::Bytes => {}
        Ty::I32 | Ty::I64 | Ty::F32 | Ty::F64 => {
            if c.minimum.is_some() || c.maximum.is_some() || c.multiple_of.is_some() {
                let (min, max) = (bound(&c.minimum), bound(&c.maximum));
                let multiple = match c.multiple_of {
                    Some(m) => quote!(Some(#m)),
                    None => quote!(None),
                };
                let as_f64 = match shape.ty {
                    Ty::I64 => quote!(*#v as f64),
                    Ty::F64 => quote!(*#v),
                    _ => quote!(f64::from(*#v)),
                };
                out.push(quote!(crate::support::check_number(#as_f64, #path, #min, #max, #multiple, violations);));
            }
        }
        Ty::Array(item) => {
            if c.min_items.is_some() || c.max_items.is_some() {
                let (min, max) = (opt_u64(c.min_items), opt_u64(c.max_items));
                out.push(
                    quote!(crate::support::check_items(#v.len(), #path, #min, #max, violations);),
                );
            }
            if c.unique_items {
                out.push(quote!(crate::support::check_unique(#v, #path, violations);));
            }
            let item_v = format_ident!("item");
            let item_path = format_ident!("item_path");
            if let Some(body) = shape_checks(item, &item_v, &item_path, patterns) {
                out.push(quote! {
                    for (i, #item_v) in #v.iter().enumerate() {
                        let #item_path = &#path.index(i);
                        #body
                    }
                });
            }
        }
        Ty::Map(value) => {
            let item_v = format_ident!("item");
            let item_path = format_ident!("item_path");
            if let Some(body) = shape_checks(value, &item_v, &item_path, patterns) {
                out.push(quote! {
                    for (key, #item_v) in #v {
                        let #item_path = &#path.member(key);
                        #body
                    }
                });
            }
        }
        Ty::Named(name) => match patterns.aliases.get(name).cloned() {
            // The IR refuses alias cycles, so this recursion ends.
            Some(alias) => out.extend(shape_checks(&alias, v, path, patterns)),
            None => out.push(quote!(crate::support::Validate::validate_at(#v, #path, violations);)),
        },
        Ty::Bool | Ty::Date | Ty::DateTime | Ty::Json => {}
    }
    if !c.one_of_values.is_empty() {
        let literals: Vec<TokenStream> = c
            .one_of_values
            .iter()
            .map(|v| {
                let text = v.to_string();
                let lit: TokenStream = text.parse().unwrap_or_else(|_| quote!(null));
                quote!(serde_json::json!(#lit))
            })
            .collect();
        out.push(quote! {
            crate::support::check_allowed(&serde_json::json!(#v), &[#(#literals),*], #path, violations);
        });
    }
    if out.is_empty() {
        None
    } else {
        Some(quote!(#(#out)*))
    }
}

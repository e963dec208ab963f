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
            let source = &p.rust;
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

/// The value a check reads.
#[derive(Debug, Clone)]
pub enum Subject {
    /// A binding of type `&T` (`item`, `variant`, `param`).
    Binding(Ident),
    /// The field `self.<ident>`, of type `T`.
    Field(Ident),
}

impl Subject {
    pub fn binding(name: &str) -> Self {
        Subject::Binding(format_ident!("{}", name))
    }

    /// A `&T` expression.
    fn reference(&self) -> TokenStream {
        match self {
            Subject::Binding(b) => quote!(#b),
            Subject::Field(f) => quote!(&self.#f),
        }
    }

    /// An expression to call `&self` methods on.
    fn receiver(&self) -> TokenStream {
        match self {
            Subject::Binding(b) => quote!(#b),
            Subject::Field(f) => quote!(self.#f),
        }
    }

    /// The value of a `Copy` type.
    fn copied(&self) -> TokenStream {
        match self {
            Subject::Binding(b) => quote!(*#b),
            Subject::Field(f) => quote!(self.#f),
        }
    }
}

/// Where a value is, as the `Pointer` its violations name. Paths below
/// `path` are built where they are passed, since a `Pointer` borrows its
/// parent and a temporary parent lives until the end of the statement.
#[derive(Debug, Clone)]
pub enum At {
    /// `path`, the `&Pointer` argument of `validate_at`.
    Path,
    /// A `Pointer` expression built from `path`.
    Below(TokenStream),
}

impl At {
    /// The member `name` (a string expression) of the value here.
    pub fn member(&self, name: TokenStream) -> At {
        let base = self.base();
        At::Below(quote!(#base.member(#name)))
    }

    fn index(&self, i: &Ident) -> At {
        let base = self.base();
        At::Below(quote!(#base.index(#i)))
    }

    fn base(&self) -> TokenStream {
        match self {
            At::Path => quote!(path),
            At::Below(e) => e.clone(),
        }
    }

    /// The `&Pointer` argument of a check.
    fn arg(&self) -> TokenStream {
        match self {
            At::Path => quote!(path),
            At::Below(e) => quote!(&#e),
        }
    }
}

/// Statements checking `v` against the constraints of `shape`, or `None`
/// when nothing can be violated.
pub fn shape_checks(
    shape: &Shape,
    v: &Subject,
    at: &At,
    patterns: &mut Patterns,
) -> Option<TokenStream> {
    checks_at_depth(shape, v, at, patterns, 0)
}

/// `depth` counts the loops around, to give each its own index variable.
fn checks_at_depth(
    shape: &Shape,
    v: &Subject,
    at: &At,
    patterns: &mut Patterns,
    depth: usize,
) -> Option<TokenStream> {
    if shape.nullable {
        let inner = format_ident!("value");
        let r = v.reference();
        let body = non_null_checks(shape, &Subject::Binding(inner.clone()), at, patterns, depth)?;
        Some(quote!(if let Some(#inner) = #r { #body }))
    } else {
        non_null_checks(shape, v, at, patterns, depth)
    }
}

fn non_null_checks(
    shape: &Shape,
    v: &Subject,
    at: &At,
    patterns: &mut Patterns,
    depth: usize,
) -> Option<TokenStream> {
    let c = &shape.checks;
    let mut out = Vec::new();
    let (r, path) = (v.reference(), at.arg());
    match &shape.ty {
        Ty::String => {
            if let Some(format) = c.format {
                let variant = format_ident!("{}", format.variant());
                out.push(quote!(crate::support::check_format(#r, #path, crate::support::Format::#variant, violations);));
            }
            if c.min_length.is_some() || c.max_length.is_some() {
                let (min, max) = (opt_u64(c.min_length), opt_u64(c.max_length));
                out.push(quote!(crate::support::check_length(#r, #path, #min, #max, violations);));
            }
            if let Some(p) = &c.pattern {
                let re = patterns.ident(p);
                let source = &p.source;
                out.push(match p.engine {
                    RegexEngine::Linear => quote! {
                        if !#re.is_match(#r) {
                            crate::support::pattern_violation(#r, #path, #source, violations);
                        }
                    },
                    RegexEngine::Backtracking => quote! {
                        crate::support::check_backtracking_match(#r, #path, #source, #re.is_match(#r), violations);
                    },
                });
            }
        }
        // Length limits of base64 text are warned about when the IR is built.
        Ty::Bytes => {}
        // Raw bodies are not checked against a schema.
        Ty::Octets | Ty::Blob | Ty::File | Ty::Events(_) => {}
        Ty::I32 | Ty::I64 | Ty::F32 | Ty::F64 => {
            if matches!(shape.ty, Ty::F32) {
                let value = v.copied();
                out.push(quote!(crate::support::check_f32(#value, #path, violations);));
            }
            if c.minimum.is_some() || c.maximum.is_some() || c.multiple_of.is_some() {
                let (min, max) = (bound(&c.minimum), bound(&c.maximum));
                let multiple = match c.multiple_of {
                    Some(m) => quote!(Some(#m)),
                    None => quote!(None),
                };
                let value = v.copied();
                let as_f64 = match shape.ty {
                    Ty::I64 => quote!(#value as f64),
                    Ty::F64 => value,
                    _ => quote!(f64::from(#value)),
                };
                out.push(quote!(crate::support::check_number(#as_f64, #path, #min, #max, #multiple, violations);));
            }
        }
        Ty::Array(item) => {
            let receiver = v.receiver();
            if c.min_items.is_some() || c.max_items.is_some() {
                let (min, max) = (opt_u64(c.min_items), opt_u64(c.max_items));
                out.push(
                    quote!(crate::support::check_items(#receiver.len(), #path, #min, #max, violations);),
                );
            }
            if c.unique_items {
                out.push(quote!(crate::support::check_unique(#r, #path, violations);));
            }
            let item_v = format_ident!("item");
            let i = match depth {
                0 => format_ident!("i"),
                1 => format_ident!("j"),
                2 => format_ident!("k"),
                n => format_ident!("i{}", n),
            };
            let item_at = at.index(&i);
            let item_subject = Subject::Binding(item_v.clone());
            if let Some(body) = checks_at_depth(item, &item_subject, &item_at, patterns, depth + 1)
            {
                out.push(quote! {
                    for (#i, #item_v) in #receiver.iter().enumerate() {
                        #body
                    }
                });
            }
        }
        Ty::Map(value) => {
            let item_v = format_ident!("item");
            let key = match depth {
                0 => format_ident!("key"),
                n => format_ident!("key{}", n),
            };
            let item_at = at.member(quote!(#key));
            let item_subject = Subject::Binding(item_v.clone());
            if let Some(body) = checks_at_depth(value, &item_subject, &item_at, patterns, depth + 1)
            {
                out.push(quote! {
                    for (#key, #item_v) in #r {
                        #body
                    }
                });
            }
        }
        Ty::Named(name) => match patterns.aliases.get(name).cloned() {
            // The IR refuses alias cycles, so this recursion ends.
            Some(alias) => out.extend(checks_at_depth(&alias, v, at, patterns, depth)),
            None => out.push(quote!(crate::support::Validate::validate_at(#r, #path, violations);)),
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
            crate::support::check_allowed(&serde_json::json!(#r), &[#(#literals),*], #path, violations);
        });
    }
    if out.is_empty() {
        None
    } else {
        Some(quote!(#(#out)*))
    }
}

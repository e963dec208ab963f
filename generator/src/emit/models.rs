//! The models crate: one Rust type per schema, with serde, constructors,
//! defaults and `validate()`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{doc_attrs, paragraphs};
use super::rust_types::{
    default_value, shape_type, ty_tokens, uses_bytes, uses_chrono, uses_pattern,
};
use super::union::union_tokens;
use super::validate::{shape_checks, At, Patterns, Subject};
use crate::ir::{
    Access, DefaultValue, EnumDef, Field, ModelSpace, RegexEngine, Shape, StructDef, Ty, TypeDef,
    TypeKind,
};

/// What the models crate's manifest needs to know.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ModelFeatures {
    pub chrono: bool,
    pub regex: bool,
    /// A pattern needs look-around or backreferences.
    pub fancy_regex: bool,
    /// `format: byte` occurs: the crate carries the `bytes` module.
    pub base64: bool,
    /// A response is a stream of events: the crate carries the `events`
    /// module.
    pub events: bool,
}

impl ModelFeatures {
    /// Takes in what `shape` needs.
    pub fn note(&mut self, shape: &Shape) {
        self.chrono |= uses_chrono(&shape.ty);
        self.regex |= uses_pattern(shape, RegexEngine::Linear);
        self.fancy_regex |= uses_pattern(shape, RegexEngine::Backtracking);
        self.base64 |= uses_bytes(&shape.ty);
        self.events |= matches!(shape.ty, Ty::Events(_));
    }
}

/// The `models` module: every type of the space.
pub fn models_module(space: &ModelSpace) -> (TokenStream, ModelFeatures) {
    let mut patterns = Patterns::for_space(space);
    let mut features = ModelFeatures::default();
    let aliases = Aliases::of(space);
    let items: Vec<TokenStream> = space
        .types
        .iter()
        .map(|t| {
            for shape in shapes_of(&t.kind) {
                features.note(shape);
            }
            type_tokens(t, &mut patterns, &aliases)
        })
        .collect();
    let statics = patterns.statics();
    (
        quote! {
            #statics
            #(#items)*
        },
        features,
    )
}

fn shapes_of(kind: &TypeKind) -> Vec<&Shape> {
    match kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .map(|f| &f.shape)
            .chain(s.additional.as_ref())
            .collect(),
        TypeKind::Union(u) => u.variants.iter().map(|v| &v.shape).collect(),
        TypeKind::Alias(s) => vec![s],
        TypeKind::Enum(_) => Vec::new(),
    }
}

/// The aliases of the space (`pub type TmplId = String;`), by name.
pub struct Aliases<'a> {
    shapes: std::collections::HashMap<&'a str, &'a Shape>,
    /// Unions with a variant that may be null: `null` is theirs to read.
    nullable_unions: std::collections::HashSet<&'a str>,
}

impl<'a> Aliases<'a> {
    pub fn of(space: &'a ModelSpace) -> Self {
        let shapes = space.types.iter().filter_map(|t| match &t.kind {
            TypeKind::Alias(shape) => Some((t.name.as_str(), shape)),
            _ => None,
        });
        let nullable_unions = space.types.iter().filter_map(|t| match &t.kind {
            TypeKind::Union(u) if u.variants.iter().any(|v| v.shape.nullable) => {
                Some(t.name.as_str())
            }
            _ => None,
        });
        Aliases {
            shapes: shapes.collect(),
            nullable_unions: nullable_unions.collect(),
        }
    }

    /// Whether a value of `shape` (not itself nullable) reads `null` as one
    /// of its own values: an alias that may be null, or a union with a
    /// variant that may be.
    pub fn takes_null(&self, shape: &Shape) -> bool {
        self.non_null(shape).is_some()
            || matches!(&self.resolve(shape).ty, Ty::Named(n) if self.nullable_unions.contains(n.as_str()))
    }

    /// `shape`, or the shape its chain of aliases ends in.
    pub fn resolve(&self, mut shape: &'a Shape) -> &'a Shape {
        // A bound: the IR refuses alias cycles, but this must not hang.
        for _ in 0..8 {
            match &shape.ty {
                Ty::Named(n) if self.shapes.contains_key(n.as_str()) => {
                    shape = self.shapes[n.as_str()]
                }
                _ => break,
            }
        }
        shape
    }

    /// Where `shape` names an alias that may be null, the shape its value
    /// has where it is not (the end of the chain of aliases); `None` for
    /// every other shape.
    pub fn non_null(&self, shape: &Shape) -> Option<Shape> {
        let mut current = shape;
        let mut nullable = false;
        for _ in 0..8 {
            match &current.ty {
                Ty::Named(n) if self.shapes.contains_key(n.as_str()) => {
                    current = self.shapes[n.as_str()];
                    nullable |= current.nullable;
                }
                _ => break,
            }
        }
        nullable.then(|| Shape {
            nullable: false,
            ..current.clone()
        })
    }

    /// Whether a value of `shape` holds a `name` itself, also through
    /// aliases (`Vec<Items>` where `type Items = Vec<Name>`).
    pub fn mentions(&self, shape: &Shape, name: &str) -> bool {
        self.mentions_within(shape, name, 8)
    }

    fn mentions_within(&self, shape: &Shape, name: &str, budget: usize) -> bool {
        match &shape.ty {
            Ty::Named(n) if n == name => true,
            Ty::Named(n) => match self.shapes.get(n.as_str()) {
                Some(alias) if budget > 0 => self.mentions_within(alias, name, budget - 1),
                _ => false,
            },
            Ty::Array(inner) | Ty::Map(inner) | Ty::Events(inner) => {
                self.mentions_within(inner, name, budget)
            }
            _ => false,
        }
    }
}

fn type_tokens(t: &TypeDef, patterns: &mut Patterns, aliases: &Aliases) -> TokenStream {
    let origin = format!(
        "Generated from `{}`.",
        t.source.as_deref().unwrap_or(&t.origin)
    );
    let mut paras = paragraphs(&t.docs, None);
    paras.push(origin);
    let docs = doc_attrs(&paras);
    let deprecated = t.deprecated.then(|| quote!(#[deprecated]));
    let name = format_ident!("{}", t.name);
    match &t.kind {
        TypeKind::Struct(s) => struct_tokens(&name, s, docs, deprecated, patterns, aliases),
        TypeKind::Enum(e) => enum_tokens(&name, e, docs, deprecated),
        TypeKind::Union(u) => union_tokens(&name, u, docs, deprecated, patterns, aliases),
        TypeKind::Alias(shape) => {
            let ty = shape_type(shape);
            quote! {
                #docs
                #deprecated
                pub type #name = #ty;
            }
        }
    }
}

/// How a field is held: its Rust type and serde attributes. `takes_null`:
/// the field's type reads `null` itself ([`Aliases::takes_null`]).
pub(crate) fn field_type(f: &Field, takes_null: bool) -> (TokenStream, TokenStream) {
    let inner = if f.boxed {
        let t = ty_tokens(&f.shape.ty);
        quote!(Box<#t>)
    } else {
        ty_tokens(&f.shape.ty)
    };
    let nullable = f.shape.nullable;
    match (f.required, &f.default, nullable) {
        (true, _, false) => (inner, quote!()),
        (true, _, true) => (
            quote!(Option<#inner>),
            quote!(#[serde(deserialize_with = "crate::support::required_nullable")]),
        ),
        (false, Some(_), false) => (inner, quote!()),
        // Absent is the default, so only `null` needs the `None`.
        (false, Some(_), true) => (quote!(Option<#inner>), quote!()),
        // `null` is a value of the type, not absence.
        (false, None, false) if takes_null => (
            quote!(Option<#inner>),
            quote!(#[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::support::present")]),
        ),
        (false, None, false) => (
            quote!(Option<#inner>),
            quote!(#[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::support::not_null")]),
        ),
        (false, None, true) => (
            quote!(Option<Option<#inner>>),
            quote!(#[serde(default, skip_serializing_if = "Option::is_none", with = "crate::support::double_option")]),
        ),
    }
}

/// `fn new(required…)` for a struct with public fields, and `impl Default`
/// when nothing is required.
pub(super) fn constructor(
    name: &str,
    params: &[TokenStream],
    inits: &[TokenStream],
    doc: &str,
) -> (TokenStream, Option<TokenStream>) {
    let ident = format_ident!("{}", name);
    let docs = doc_attrs(&[doc.to_string()]);
    let many_args = (params.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let new_fn = quote! {
        #docs
        #many_args
        pub fn new(#(#params),*) -> Self {
            Self { #(#inits),* }
        }
    };
    let default_impl = params.is_empty().then(|| {
        quote! {
            impl Default for #ident {
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    });
    (new_fn, default_impl)
}

fn default_fn_name(f: &Field) -> proc_macro2::Ident {
    format_ident!("{}", crate::naming::joined(&["default", &f.rust]))
}

fn default_expr(d: &DefaultValue, f: &Field) -> TokenStream {
    let value = default_value(d, &f.shape);
    let value = if f.boxed {
        quote!(Box::new(#value))
    } else {
        value
    };
    if f.shape.nullable {
        quote!(Some(#value))
    } else {
        value
    }
}

fn struct_tokens(
    name: &proc_macro2::Ident,
    s: &StructDef,
    docs: TokenStream,
    deprecated: Option<TokenStream>,
    patterns: &mut Patterns,
    aliases: &Aliases,
) -> TokenStream {
    let mut fields = Vec::new();
    let mut defaults = Vec::new();
    let mut params = Vec::new();
    let mut inits = Vec::new();
    let mut checks = Vec::new();
    for f in &s.fields {
        let ident = format_ident!("{}", f.rust);
        let wire = &f.wire;
        let (ty, mut serde_attr) = field_type(f, aliases.takes_null(&f.shape));
        if let (false, Some(d)) = (f.required, &f.default) {
            let fn_name = default_fn_name(f);
            let fn_path = format!("{name}::{fn_name}");
            serde_attr = quote!(#[serde(default = #fn_path)]);
            let expr = default_expr(d, f);
            defaults.push(quote!(fn #fn_name() -> #ty { #expr }));
            inits.push(quote!(#ident: Self::#fn_name()));
        } else if f.required {
            if f.shape.nullable {
                params.push(quote!(#ident: #ty));
                inits.push(quote!(#ident));
            } else if matches!(f.shape.ty, Ty::String) {
                params.push(quote!(#ident: impl Into<String>));
                inits.push(quote!(#ident: #ident.into()));
            } else if f.boxed {
                let t = ty_tokens(&f.shape.ty);
                params.push(quote!(#ident: #t));
                inits.push(quote!(#ident: Box::new(#ident)));
            } else {
                params.push(quote!(#ident: #ty));
                inits.push(quote!(#ident));
            }
        } else {
            inits.push(quote!(#ident: None));
        }
        let rename = (f.rust != f.wire).then(|| quote!(#[serde(rename = #wire)]));
        let mut paras = paragraphs(&f.docs, None);
        if f.required {
            paras.push("Required.".into());
        } else {
            match (f.access, f.required_one_way) {
                (Access::ReadOnly, true) => paras.push("Read-only: the server sends it (required in responses); a request leaves it out.".into()),
                (Access::ReadOnly, false) => paras.push("Read-only: the server sends it; a request leaves it out.".into()),
                (Access::WriteOnly, true) => paras.push("Write-only: required in requests; a response leaves it out.".into()),
                (Access::WriteOnly, false) => paras.push("Write-only: a response leaves it out.".into()),
                (Access::ReadWrite, _) => {}
            }
        }
        let fdocs = doc_attrs(&paras);
        let fdep = f.deprecated.then(|| quote!(#[deprecated]));
        fields.push(quote! {
            #fdocs
            #fdep
            #rename
            #serde_attr
            pub #ident: #ty,
        });
        // Validation: unwrap the Option layers the field type added.
        let value_shape = Shape {
            nullable: f.shape.nullable && (f.required || f.default.is_some()),
            ..f.shape.clone()
        };
        let at = At::Path.member(quote!(#wire));
        if f.required || f.default.is_some() {
            checks.extend(shape_checks(
                &value_shape,
                &Subject::Field(ident.clone()),
                &at,
                patterns,
            ));
        } else {
            // An alias that may be null (`type Pet = Option<Item>`) is one
            // more `Option` layer, unwrapped in the same pattern.
            let nullable_alias = (!f.shape.nullable)
                .then(|| aliases.non_null(&value_shape))
                .flatten();
            let checked = nullable_alias.as_ref().unwrap_or(&value_shape);
            let body = shape_checks(checked, &Subject::binding("field"), &at, patterns);
            if let Some(body) = body {
                checks.push(if f.shape.nullable || nullable_alias.is_some() {
                    quote!(if let Some(Some(field)) = &self.#ident { #body })
                } else {
                    quote!(if let Some(field) = &self.#ident { #body })
                });
            }
        }
    }
    if let Some(extra) = &s.additional {
        let ty = shape_type(extra);
        fields.push(quote! {
            /// Properties beyond the declared ones (`additionalProperties`).
            #[serde(flatten)]
            pub additional_properties: std::collections::BTreeMap<String, #ty>,
        });
        inits.push(quote!(additional_properties: std::collections::BTreeMap::new()));
        let map_shape = Shape::new(Ty::Map(Box::new(extra.clone())));
        checks.extend(shape_checks(
            &map_shape,
            &Subject::Field(format_ident!("additional_properties")),
            &At::Path,
            patterns,
        ));
    }
    let (new_fn, default_impl) = constructor(
        &name.to_string(),
        &params,
        &inits,
        "Creates a value from the required fields; the optional ones\nstart absent, or at the spec's default.",
    );
    // A type that contains itself may have no checks but those of its own
    // kind below it, and pass `violations` on and nothing else.
    let own = name.to_string();
    let contains_itself = s.fields.iter().any(|f| aliases.mentions(&f.shape, &own))
        || s.additional
            .as_ref()
            .is_some_and(|a| aliases.mentions(a, &own));
    let recursion = contains_itself.then(|| quote!(#[allow(clippy::only_used_in_recursion)]));
    let object_only = if s.closed {
        format_ident!("ClosedObject")
    } else {
        format_ident!("ObjectOnly")
    };
    let validate_body = (!checks.is_empty()).then(|| {
        quote! {
            #recursion
            fn validate_at(&self, path: &crate::support::Pointer<'_>, violations: &mut Vec<crate::support::Violation>) {
                #(#checks)*
            }
        }
    });
    quote! {
        #docs
        #deprecated
        // `remote = "Self"` makes serde's derived code inherent functions,
        // so the trait impls below can read the struct from an object only.
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(remote = "Self")]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            #new_fn

            #(#defaults)*
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                Self::serialize(self, serializer)
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                Self::deserialize(crate::support::#object_only(deserializer))
            }
        }

        #default_impl

        impl crate::support::Validate for #name {
            #validate_body
        }
    }
}

fn enum_tokens(
    name: &proc_macro2::Ident,
    e: &EnumDef,
    docs: TokenStream,
    deprecated: Option<TokenStream>,
) -> TokenStream {
    let catch_all = format_ident!("{}", e.catch_all);
    let idents: Vec<_> = e
        .variants
        .iter()
        .map(|v| format_ident!("{}", v.rust))
        .collect();
    let wires: Vec<_> = e.variants.iter().map(|v| v.wire.as_str()).collect();
    let variant_docs = e.variants.iter().map(|v| match &v.description {
        Some(meaning) => crate::emit::docs::doc_attrs(&[format!("`{}`: {meaning}", v.wire)]),
        None => {
            let text = format!(" `{}`", v.wire);
            quote!(#[doc = #text])
        }
    });
    let type_name = name.to_string();
    let keeps = format!(" Values this version of the spec does not list are kept in [`{name}::{catch_all}`] rather than failing to decode.");
    let derive_default = e.default.as_ref().map(|_| quote!(Default,));
    let default_marks: Vec<Option<TokenStream>> = e
        .variants
        .iter()
        .map(|v| (e.default.as_deref() == Some(v.rust.as_str())).then(|| quote!(#[default])))
        .collect();
    quote! {
        #docs
        #deprecated
        ///
        #[doc = #keeps]
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, #derive_default)]
        #[non_exhaustive]
        pub enum #name {
            #(#variant_docs #default_marks #idents,)*
            /// A value the spec does not list (from a newer server, for example).
            #catch_all(String),
        }

        impl #name {
            /// Every value the spec lists, in spec order.
            pub const VALUES: &'static [&'static str] = &[#(#wires),*];

            /// The value as it is sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#idents => #wires,)*
                    Self::#catch_all(value) => value,
                }
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#wires => Self::#idents,)*
                    other => Self::#catch_all(other.to_string()),
                }
            }
        }

        impl From<String> for #name {
            fn from(value: String) -> Self {
                match Self::from(value.as_str()) {
                    Self::#catch_all(_) => Self::#catch_all(value),
                    known => known,
                }
            }
        }

        impl std::str::FromStr for #name {
            type Err = std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                String::deserialize(deserializer).map(Self::from)
            }
        }

        impl crate::support::Validate for #name {
            fn validate_at(&self, path: &crate::support::Pointer<'_>, violations: &mut Vec<crate::support::Violation>) {
                if let Self::#catch_all(value) = self {
                    crate::support::unrecognized(value, #type_name, Self::VALUES, path, violations);
                }
            }
        }
    }
}

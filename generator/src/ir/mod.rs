//! Stage 3, **IR**: a plain Rust data model of the types to generate, with no
//! tokens in it. The emitters read only this, never openapiv3 directly, so
//! naming, `$ref` resolution and union analysis happen once.

mod alias_cycles;
mod build;
mod build_forms;
mod build_media;
mod build_ops;
mod build_params;
mod build_scalars;
mod build_security;
mod candidates;
pub mod conform;
mod defaults;
mod intersect;
mod merge;
pub mod operations;
pub mod paging;
pub mod pattern;
mod scalar_all_of;
mod union;
pub mod view;

pub use build::build;
pub use candidates::candidates;
pub use operations::*;
pub use pattern::{Pattern, RegexEngine};

use serde_json::Value;

/// Every type of one spec, in a stable order (component schemas in spec
/// order, each followed by the inline types it introduced).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ModelSpace {
    pub types: Vec<TypeDef>,
}

impl ModelSpace {
    pub fn get(&self, name: &str) -> Option<&TypeDef> {
        self.types.iter().find(|t| t.name == name)
    }
}

/// Doc text taken from the spec.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Docs {
    pub title: Option<String>,
    pub description: Option<String>,
    pub example: Option<Value>,
    /// Notes the generator adds (for example an unknown format mapped to `String`).
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// Rust identifier.
    pub name: String,
    /// Name in the spec (component name, or the path that produced an inline type).
    pub spec_name: String,
    /// JSON pointer of the defining schema.
    pub origin: String,
    /// For a schema of another file of a multi-file spec, where it is
    /// written there (`models/pet.yaml#/properties/owner`), for the docs.
    pub source: Option<String>,
    pub docs: Docs,
    pub deprecated: bool,
    pub kind: TypeKind,
    /// Whether the type is the schema at `origin` as written: not one that
    /// an `allOf` merged from several schemas, which takes the pointer of
    /// the first of them.
    pub exact: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct(StructDef),
    Enum(EnumDef),
    Union(UnionDef),
    /// A named schema that is not an object, enum or union: `pub type X = …;`.
    Alias(Shape),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct StructDef {
    pub fields: Vec<Field>,
    /// `additionalProperties` next to declared properties: a flattened map.
    pub additional: Option<Shape>,
    /// `additionalProperties: false`: a strict decoder refuses members the
    /// schema does not declare.
    pub closed: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub wire: String,
    /// JSON pointer of the property's schema (where an `allOf` member
    /// declared it, for merged properties).
    pub origin: String,
    pub rust: String,
    pub shape: Shape,
    pub required: bool,
    /// A default from the spec that the generated code can apply.
    pub default: Option<DefaultValue>,
    pub docs: Docs,
    pub deprecated: bool,
    /// Held in a `Box` because the type contains itself.
    pub boxed: bool,
    /// The directions it travels in (`readOnly`, `writeOnly`).
    pub access: Access,
    /// `required` lists it, but it is required in one direction only (its
    /// `access`), so `required` is false.
    pub required_one_way: bool,
}

/// Which messages carry a property.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Access {
    #[default]
    ReadWrite,
    /// `readOnly`: responses; a request should not carry it.
    ReadOnly,
    /// `writeOnly`: requests; a response should not carry it.
    WriteOnly,
}

/// A default the generated code applies during deserialization.
#[derive(Debug, Clone, PartialEq)]
pub enum DefaultValue {
    Bool(bool),
    Int(i64),
    Float(f64),
    String(String),
    /// Rust name of the enum's variant.
    EnumVariant(String),
    /// Any other value (an array, an object, any value of a
    /// `serde_json::Value`), read as the models read it. Kept only when it
    /// fits the shape, which is checked once every type is built.
    Json {
        value: Value,
        /// Where the spec writes it.
        pointer: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumDef {
    pub variants: Vec<EnumVariant>,
    /// Rust name of the catch-all variant that keeps unknown values.
    pub catch_all: String,
    pub default: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    pub wire: String,
    pub rust: String,
    /// What the value means, where the spec says (3.1's `oneOf` of
    /// `const`s with a description each, or `x-enum-descriptions`).
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionDef {
    pub variants: Vec<UnionVariant>,
    pub strategy: UnionStrategy,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    pub rust: String,
    pub shape: Shape,
    /// Properties the variant's schema declares (empty for non-objects).
    pub properties: Vec<String>,
    /// Whether the variant struct has a *required* field for the
    /// discriminator property, so serializing it always writes the tag.
    pub writes_tag: bool,
    /// Held in a `Box` because the type contains itself.
    pub boxed: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum UnionStrategy {
    /// `discriminator.propertyName` selects the variant; `mapping` is
    /// `(value, variant index)` in declaration order, implicit entries included.
    Discriminator {
        property: String,
        mapping: Vec<(String, usize)>,
    },
    /// No discriminator: the JSON kind, the properties only one variant
    /// requires, or a property whose values tell the variants apart select
    /// the variant. Variants that none of these separate are tried in
    /// `order` (most specific first): the first that decodes and validates.
    Untagged {
        /// One entry per variant.
        matchers: Vec<Matcher>,
        /// Variant indices, most specific first.
        order: Vec<usize>,
        /// `oneOf`: a value that two variants claim by their properties is
        /// an error. `anyOf`: the first of them that fits is taken.
        exclusive: bool,
    },
}

/// How an untagged union recognises one variant.
#[derive(Debug, Clone, PartialEq)]
pub enum Matcher {
    /// A non-object JSON kind: "string", "number", "integer", "boolean", "array".
    Kind(&'static str),
    /// An object carrying at least one of these properties (required by this
    /// variant, declared by no other).
    Keys(Vec<String>),
    /// An object whose `property` holds one of `values` (an implicit
    /// discriminator: every object variant declares the property with
    /// values of its own).
    Tag {
        property: String,
        values: Vec<String>,
    },
    /// An object variant without such properties (with the properties it
    /// declares): tried when no variant claims the object, those declaring
    /// more of the object's members first.
    Fallback(Vec<String>),
    /// An object variant that keeps every member (a map, or a struct with
    /// `additionalProperties`): tried when no variant claims the object,
    /// ranked with the fallback objects that declare all its members.
    Open,
    /// A variant that is itself a union, or any JSON value: tried when no
    /// variant claims the value. It keeps every member of an object, so it
    /// ranks with the fallback objects that declare all of them.
    Any,
    /// A variant that is itself a union with no any-value variant: tried
    /// when no variant claims the value, ranked among the fallback objects
    /// by the members its object variants declare.
    Union(Vec<String>),
}

/// A value's Rust type plus the constraints `validate()` checks on it.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    pub ty: Ty,
    pub nullable: bool,
    pub checks: Checks,
}

impl Shape {
    pub fn new(ty: Ty) -> Self {
        Shape {
            ty,
            nullable: false,
            checks: Checks::default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    Named(String),
    String,
    Bool,
    I32,
    I64,
    F32,
    F64,
    Date,
    DateTime,
    /// `format: byte`: bytes, base64 text on the wire.
    Bytes,
    /// A raw body of one media type: `Vec<u8>`, never JSON.
    Octets,
    /// A raw body of a media range (`image/*`): `Blob`, bytes and their
    /// content type; never JSON.
    Blob,
    /// A file part of a multipart body: `FilePart`.
    File,
    /// A `text/event-stream` response: `EventStream<T>` of events whose
    /// `data` is a value of this shape.
    Events(Box<Shape>),
    /// Any JSON value (`type: object` without properties, or no type at all).
    Json,
    Array(Box<Shape>),
    Map(Box<Shape>),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Checks {
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub pattern: Option<Pattern>,
    pub minimum: Option<Bound>,
    pub maximum: Option<Bound>,
    pub multiple_of: Option<f64>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub unique_items: bool,
    /// Allowed values of a non-string enum (string enums become Rust enums).
    pub one_of_values: Vec<Value>,
    /// A `format` of a string that `validate()` checks.
    pub format: Option<StringFormat>,
    /// A `format` of a string that `validate()` leaves alone (an
    /// annotation), but that examples honour, since independent
    /// validators check it.
    pub annotation: Option<AnnotationFormat>,
}

/// String formats that stay annotations in the models (a URI is any
/// string to them) but have a syntax that examples follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnnotationFormat {
    Uri,
    UriReference,
    Hostname,
}

impl AnnotationFormat {
    pub fn of(format: &str) -> Option<AnnotationFormat> {
        match format {
            "uri" => Some(AnnotationFormat::Uri),
            "uri-reference" => Some(AnnotationFormat::UriReference),
            "hostname" => Some(AnnotationFormat::Hostname),
            _ => None,
        }
    }

    /// A value of the format, for examples.
    pub fn example(self) -> &'static str {
        match self {
            AnnotationFormat::Uri => "https://example.com/",
            AnnotationFormat::UriReference => "/example",
            AnnotationFormat::Hostname => "example.com",
        }
    }
}

/// String formats whose syntax `validate()` checks (the others are
/// annotations: `uri`, `hostname` and vendor formats stay plain strings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StringFormat {
    Uuid,
    Email,
    Ipv4,
    Ipv6,
}

impl StringFormat {
    pub fn of(format: &str) -> Option<StringFormat> {
        match format {
            "uuid" => Some(StringFormat::Uuid),
            "email" => Some(StringFormat::Email),
            "ipv4" => Some(StringFormat::Ipv4),
            "ipv6" => Some(StringFormat::Ipv6),
            _ => None,
        }
    }

    /// The name of the runtime's `support::Format` variant.
    pub fn variant(self) -> &'static str {
        match self {
            StringFormat::Uuid => "Uuid",
            StringFormat::Email => "Email",
            StringFormat::Ipv4 => "Ipv4",
            StringFormat::Ipv6 => "Ipv6",
        }
    }

    /// Whether `value` is written in this format, as the runtime's
    /// `support::Format::accepts` says.
    pub fn accepts(self, value: &str) -> bool {
        match self {
            StringFormat::Uuid => {
                let groups: Vec<&str> = value.split('-').collect();
                groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
                    && groups
                        .iter()
                        .all(|g| g.bytes().all(|b| b.is_ascii_hexdigit()))
            }
            StringFormat::Email => value
                .split_once('@')
                .is_some_and(|(local, domain)| !local.is_empty() && !domain.is_empty()),
            StringFormat::Ipv4 => value.parse::<std::net::Ipv4Addr>().is_ok(),
            StringFormat::Ipv6 => value.parse::<std::net::Ipv6Addr>().is_ok(),
        }
    }
}

impl Checks {
    pub fn is_empty(&self) -> bool {
        *self == Checks::default()
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bound {
    pub value: f64,
    pub exclusive: bool,
}

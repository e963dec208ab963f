//! Schema objects → [`TypeDef`]s.

use std::collections::HashMap;

use serde_json::Value;

use super::union::Keyword;
use super::view::SchemaView;
use super::*;
use crate::diagnostics::{child, unescape_token, Diagnostic, Diagnostics, Severity, Unsupported};
use crate::load::LoadedSpec;
use crate::naming::{self, Collision, Scope};

pub(super) const COMPONENT_PREFIX: &str = "#/components/schemas/";

/// Builds the types of every component schema (and the inline schemas they
/// contain), then the operations, whose inline parameter and body schemas
/// add types of their own. Returns both and the warnings, or every error found.
pub fn build(spec: &LoadedSpec) -> Result<(ModelSpace, Api, Vec<Diagnostic>), Diagnostics> {
    let mut b = Builder::new(spec);
    let components: Vec<(String, Value)> = spec
        .raw
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    for (name, _) in &components {
        let pointer = child("#/components/schemas", name);
        let rust = b.claim_type(&naming::type_name(name), &pointer);
        b.component_names.insert(name.clone(), rust);
    }
    b.find_subtypes(&components);
    for (name, value) in &components {
        let scalar = SchemaView::parse(value).is_ok_and(|view| {
            view.nullable && view.reference.is_none() && !Builder::needs_named_type(&view)
        });
        if scalar {
            b.nullable_scalars.insert(name.clone());
        }
    }
    for (name, value) in &components {
        b.build_component(name, value);
    }
    let mut api = b.build_api();
    super::alias_cycles::alias_cycles(&mut b);
    super::union::box_recursive_fields(&mut b.types);
    for def in &mut b.types {
        def.source = spec.sources.locate(&def.origin).map(|(i, pointer)| {
            let name = match i {
                0 => String::new(),
                _ => crate::load::bundle::relative_name(&spec.sources.files[i].path, &spec.file),
            };
            match pointer.as_str() {
                "#" => name,
                _ => format!("{name}{pointer}"),
            }
        });
    }
    if b.errors.is_empty() {
        let mut space = ModelSpace { types: b.types };
        super::defaults::keep_fitting(&mut space, &mut api, spec, &mut b.warnings);
        Ok((space, api, b.warnings))
    } else {
        let mut all = b.warnings;
        all.extend(b.errors);
        Err(Diagnostics(all))
    }
}

/// Types merged by `allOf` from elsewhere and nested in one another deeper
/// than this are any JSON value: only an intersection of schemas that
/// refer to each other, which unfolds without end, nests them so deep
/// (and rustc's trait solver gives up on the types long before the
/// generator would run out of stack).
const MAX_UNFOLDED_NESTING: usize = 6;

pub(super) struct Builder<'a> {
    pub(super) spec: &'a LoadedSpec,
    scope: Scope,
    /// Component name → Rust type name.
    pub(super) component_names: HashMap<String, String>,
    /// Component name → components whose `allOf` references it (for a
    /// `discriminator` without `oneOf`).
    subtypes: HashMap<String, Vec<String>>,
    /// Component schemas that are a nullable scalar (`type: string,
    /// nullable: true`): their alias is the plain type, and every reference
    /// to them is an `Option` of it, so that `null` reads everywhere.
    nullable_scalars: std::collections::HashSet<String>,
    pub(super) types: Vec<TypeDef>,
    pub(super) errors: Vec<Diagnostic>,
    pub(super) warnings: Vec<Diagnostic>,
    /// Notes about the shape just built (unknown formats), picked up by the caller.
    pub(super) notes: Vec<String>,
    /// Each pattern's engine, or why none takes it; specs repeat patterns.
    pub(super) patterns: HashMap<String, Result<RegexEngine, String>>,
    /// Inline schemas whose type is being defined (pointer → type name): a
    /// component's `allOf` can bring the same inline schema back inside
    /// its own definition, where it is a reference to that type.
    /// Whether each was merged from elsewhere (its pointer is no place in
    /// the document).
    defining: HashMap<String, (String, bool)>,
}

impl<'a> Builder<'a> {
    fn new(spec: &'a LoadedSpec) -> Self {
        Builder {
            spec,
            scope: Scope::default(),
            component_names: HashMap::new(),
            subtypes: HashMap::new(),
            nullable_scalars: Default::default(),
            types: Vec::new(),
            errors: Vec::new(),
            warnings: Vec::new(),
            notes: Vec::new(),
            patterns: HashMap::new(),
            defining: HashMap::new(),
        }
    }

    pub(super) fn error(&mut self, pointer: &str, message: impl Into<String>) {
        let d = self.spec.error(pointer, message);
        self.errors.push(d);
    }

    /// An error refusing a construct the generator does not map yet.
    pub(super) fn unsupported(
        &mut self,
        pointer: &str,
        class: Unsupported,
        message: impl Into<String>,
    ) {
        let d = self.spec.error(pointer, message).unsupported(class);
        self.errors.push(d);
    }

    /// A warning about a construct generated looser than the spec says
    /// (`--strict` makes it an error).
    pub(super) fn degrade(
        &mut self,
        pointer: &str,
        class: Unsupported,
        message: impl Into<String>,
    ) {
        let d = self.spec.warning(pointer, message).unsupported(class);
        self.warnings.push(d);
    }

    pub(super) fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        let d = self.spec.warning(pointer, message);
        self.warnings.push(d);
    }

    /// "`things` A and B both map to the field name `x`; the second is `x2`".
    pub(super) fn collision_warning(&mut self, pointer: &str, things: &str, c: &Collision) {
        self.warn(
            pointer,
            format!(
                "{things} {} and {} both map to the field name `{}`; the second is `{}`",
                c.first, c.second, c.rust, c.renamed_to
            ),
        );
    }

    pub(super) fn claim_type(&mut self, desired: &str, pointer: &str) -> String {
        let (name, collision) = self.scope.claim(naming::unshadowed(desired), pointer);
        if let Some(c) = collision {
            self.warn(
                pointer,
                format!(
                    "Rust type name `{}` is already used by {}; this schema is named `{}`",
                    c.rust, c.first, c.renamed_to
                ),
            );
        }
        name
    }

    /// The component a `$ref` names, or an error at `pointer`.
    pub(super) fn component_of(&mut self, reference: &str, pointer: &str) -> Option<String> {
        let name = reference.strip_prefix(COMPONENT_PREFIX).map(unescape_token);
        match name {
            Some(n) if self.component_names.contains_key(&n) && !n.contains('/') => Some(n),
            Some(_) => {
                self.error(
                    pointer,
                    format!("`$ref: {reference}` points to no schema in #/components/schemas"),
                );
                None
            }
            None => {
                self.unsupported(pointer, Unsupported::Schema, format!("not supported: `$ref: {reference}` (a schema reference must point into #/components/schemas)"));
                None
            }
        }
    }

    pub(super) fn component_value(&self, name: &str) -> Option<&'a Value> {
        self.spec
            .raw
            .pointer("/components/schemas")
            .and_then(|s| s.get(name))
    }

    pub(super) fn parse_view(&mut self, value: &Value, pointer: &str) -> Option<SchemaView> {
        match SchemaView::parse(value) {
            Ok(v) => Some(v),
            Err(e) => {
                self.error(pointer, e);
                None
            }
        }
    }

    fn find_subtypes(&mut self, components: &[(String, Value)]) {
        for (name, value) in components {
            let Some(parts) = value.get("allOf").and_then(Value::as_array) else {
                continue;
            };
            for part in parts {
                if let Some(base) = part
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| r.strip_prefix(COMPONENT_PREFIX))
                {
                    self.subtypes
                        .entry(unescape_token(base))
                        .or_default()
                        .push(name.clone());
                }
            }
        }
    }

    fn build_component(&mut self, name: &str, value: &Value) {
        let pointer = child("#/components/schemas", name);
        let rust = self.component_names[name].clone();
        let Some(view) = self.parse_view(value, &pointer) else {
            return;
        };
        let slot = self.types.len();
        // A subtype of a discriminated base that adds nothing is a variant
        // of the base's union: a struct of the base's members, not another
        // name for the union (which would contain itself).
        let reference = Reference::of(value, &pointer)
            .filter(|r| !(r.wrapped && self.extends_discriminated_base(name)));
        let kind = if let Some(reference) = reference {
            let Some(shape) = self.reference_shape(&reference, &view) else {
                return;
            };
            Some(TypeKind::Alias(shape))
        } else if let Some(merged) = super::scalar_all_of::merged(self, value, &pointer) {
            let Some(merged) = self.parse_view(&merged, &pointer) else {
                return;
            };
            if Self::needs_named_type(&merged) {
                self.define(&rust, merged, &pointer, Some(name))
            } else {
                let shape = self.plain_shape(&merged, &pointer, name);
                shape.map(TypeKind::Alias)
            }
        } else {
            self.define(&rust, view.clone(), &pointer, Some(name))
        };
        if let Some(mut kind) = kind {
            if let (TypeKind::Alias(shape), true) =
                (&mut kind, self.nullable_scalars.contains(name))
            {
                // The references carry the `Option` (see `nullable_scalars`).
                shape.nullable = false;
            }
            let docs = self.docs_of(&view);
            let def = TypeDef {
                name: rust,
                spec_name: name.to_string(),
                origin: pointer,
                source: None,
                docs,
                deprecated: view.deprecated,
                kind,
                exact: true,
            };
            self.types.insert(slot, def);
        }
    }

    /// Whether the component extends, through `allOf`, a component with a
    /// `discriminator` (and so is one of its union's variants).
    fn extends_discriminated_base(&self, name: &str) -> bool {
        self.subtypes.iter().any(|(base, children)| {
            children.iter().any(|c| c == name)
                && self
                    .component_value(base)
                    .is_some_and(|b| b.get("discriminator").is_some() && b.get("oneOf").is_none())
        })
    }

    /// The shape of a schema that stands for a component. OpenAPI 3.0
    /// ignores the siblings of `$ref`; those of a single-part `allOf` are the
    /// schema's own, so its `nullable` applies.
    fn reference_shape(&mut self, reference: &Reference<'_>, view: &SchemaView) -> Option<Shape> {
        let target = self.component_of(reference.target, &reference.pointer)?;
        let mut shape = Shape::new(Ty::Named(self.component_names[&target].clone()));
        shape.nullable =
            (reference.wrapped && view.nullable) || self.nullable_scalars.contains(&target);
        Some(shape)
    }

    /// A schema as written, or the one its local `$ref` names.
    pub(super) fn resolved(&self, schema: &Value) -> Value {
        let target = schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|pointer| self.spec.raw.pointer(pointer));
        target.cloned().unwrap_or_else(|| schema.clone())
    }

    /// Whether a property's schema (or, through a reference, the schema it
    /// names) is `readOnly` or `writeOnly`.
    pub(super) fn access_of(&self, schema: &Value) -> Access {
        let target = self.resolved(schema);
        let flag = |key: &str| {
            [schema, &target]
                .iter()
                .any(|s| s.get(key) == Some(&Value::Bool(true)))
        };
        match (flag("readOnly"), flag("writeOnly")) {
            (true, false) => Access::ReadOnly,
            (false, true) => Access::WriteOnly,
            // Both says nothing a type can keep.
            _ => Access::ReadWrite,
        }
    }

    pub(super) fn docs_of(&mut self, view: &SchemaView) -> Docs {
        Docs {
            title: view.title.clone(),
            description: view.description.clone(),
            example: view.example.clone(),
            notes: std::mem::take(&mut self.notes),
        }
    }

    /// Whether a schema needs a named Rust type of its own.
    fn needs_named_type(view: &SchemaView) -> bool {
        !view.one_of.is_empty()
            || !view.all_of.is_empty()
            || !view.any_of.is_empty()
            || view.not.is_some()
            || view.discriminator.is_some()
            || (view.is_object_like() && !view.properties.is_empty())
            // A closed object without properties (`{}` only) is the empty
            // struct, inline as in a component, not a map of anything.
            || (view.is_object_like() && view.additional_properties == Some(Value::Bool(false)))
            || is_string_enum(view)
    }

    /// The kind of a named type. `component` is set for component schemas.
    ///
    /// A schema with a construct that has no Rust mapping is any JSON
    /// value, which admits every document the schema allows; the refusals
    /// become warnings of that degradation (errors under `--strict`).
    fn define(
        &mut self,
        name: &str,
        view: SchemaView,
        pointer: &str,
        component: Option<&str>,
    ) -> Option<TypeKind> {
        let mark = self.mark();
        let kind = self.define_exact(name, view, pointer, component);
        // A type can be built while a part of it was refused on the way
        // (a union variant it could not read): that counts as refused.
        if kind.is_some() && self.errors.len() == mark.0 {
            return kind;
        }
        let any = format!("`{name}` is generated as any JSON value (`serde_json::Value`), which admits every document the schema allows");
        if self.demote_since(mark, |class| class == Unsupported::Schema, &any) {
            Some(TypeKind::Alias(Shape::new(Ty::Json)))
        } else {
            kind
        }
    }

    /// How many errors and types there are now, for [`demote_since`](Self::demote_since).
    pub(super) fn mark(&self) -> (usize, usize) {
        (self.errors.len(), self.types.len())
    }

    /// Where every error since `mark` refuses a construct of a class that
    /// `accept` takes, the part that failed is generated looser or left
    /// out: the refusals become warnings that say so (`consequence`), and
    /// the types made on the way, which nothing refers to now, are
    /// dropped. Whether it did.
    pub(super) fn demote_since(
        &mut self,
        (errors, types): (usize, usize),
        accept: impl Fn(Unsupported) -> bool,
        consequence: &str,
    ) -> bool {
        let refused = &self.errors[errors..];
        let demotable =
            !refused.is_empty() && refused.iter().all(|d| d.unsupported.is_some_and(&accept));
        if !demotable {
            return false;
        }
        self.types.truncate(types);
        let refused: Vec<Diagnostic> = self.errors.drain(errors..).collect();
        for mut d in refused {
            d.severity = Severity::Warning;
            let reason = d
                .message
                .strip_prefix("not supported: ")
                .unwrap_or(&d.message);
            d.message = format!("{reason}; {consequence}");
            self.warnings.push(d);
        }
        true
    }

    fn define_exact(
        &mut self,
        name: &str,
        mut view: SchemaView,
        pointer: &str,
        component: Option<&str>,
    ) -> Option<TypeKind> {
        if view.not.take().is_some() {
            self.degrade(
                &child(pointer, "not"),
                Unsupported::Schema,
                "`not` ignored: it only narrows which documents are valid, so the generated type accepts every valid one",
            );
        }
        if !view.any_of.is_empty() && !view.one_of.is_empty() {
            self.unsupported(
                &child(pointer, "anyOf"),
                Unsupported::Schema,
                "not supported: `anyOf` and `oneOf` on one schema",
            );
            return None;
        }
        let view = if view.all_of.is_empty() {
            view
        } else {
            super::merge::merge_all_of(self, view, pointer)?
        };
        if !view.one_of.is_empty() || !view.any_of.is_empty() {
            let keyword = if view.one_of.is_empty() {
                Keyword::AnyOf
            } else {
                Keyword::OneOf
            };
            return super::union::define_union(self, name, &view, pointer, keyword)
                .map(TypeKind::Union);
        }
        if let (Some(disc), Some(component)) = (&view.discriminator, component) {
            let children = self.subtypes.get(component).cloned().unwrap_or_default();
            if !children.is_empty() {
                return super::union::define_polymorphic(
                    self, name, &view, disc, &children, pointer,
                )
                .map(TypeKind::Union);
            }
            self.warn(&child(pointer, "discriminator"), "`discriminator` without `oneOf` and without schemas that extend this one through `allOf`: ignored");
        }
        if is_string_enum(&view) {
            return self.define_enum(&view, pointer).map(TypeKind::Enum);
        }
        // An object without declared properties is a map or any JSON value
        // (below), not an empty struct that would drop every member; only a
        // closed one (`additionalProperties: false`) is the empty struct.
        let closed = view.additional_properties == Some(Value::Bool(false));
        if view.is_object_like() && (!view.properties.is_empty() || closed) {
            return Some(TypeKind::Struct(self.define_struct(name, &view, pointer)?));
        }
        self.plain_shape(&view, pointer, name).map(TypeKind::Alias)
    }

    /// `minProperties` and `maxProperties` of an object: not checked by
    /// `validate()`, so a degraded place.
    pub(super) fn object_size_unchecked(&mut self, view: &SchemaView, pointer: &str) {
        let limits = [
            ("minProperties", view.min_properties.filter(|m| *m > 0)),
            ("maxProperties", view.max_properties),
        ];
        for (keyword, limit) in limits {
            if limit.is_some() {
                self.degrade(
                    &child(pointer, keyword),
                    Unsupported::Schema,
                    format!("`{keyword}` is not checked by `validate()`: it only narrows which documents are valid, so the generated type accepts every valid one"),
                );
            }
        }
    }

    pub(super) fn define_struct(
        &mut self,
        name: &str,
        view: &SchemaView,
        pointer: &str,
    ) -> Option<StructDef> {
        self.object_size_unchecked(view, pointer);
        let mut scope = Scope::default();
        let mut fields = Vec::new();
        let mut ok = true;
        for (prop, value) in &view.properties {
            let fptr = view_property_pointer(view, pointer, prop);
            let (rust, collision) = scope.claim(naming::field_name(prop), &format!("`{prop}`"));
            if let Some(c) = collision {
                self.collision_warning(&fptr, "properties", &c);
            }
            let hint = format!("{name}{}", naming::type_name(prop));
            let Some(shape) = self.shape_of(value, &fptr, &hint) else {
                ok = false;
                continue;
            };
            let pview = SchemaView::parse(value).unwrap_or_default();
            let access = self.access_of(value);
            // OpenAPI: a `required` property that is `readOnly` is required
            // in responses only, one that is `writeOnly` in requests only.
            // One type serves both, so it may be absent.
            let listed = view.required.iter().any(|r| r == prop);
            let required = listed && access == Access::ReadWrite;
            let default = if required {
                None
            } else {
                self.default_of(&pview, &shape, &fptr)
            };
            let docs = self.docs_of(&pview);
            fields.push(Field {
                wire: prop.clone(),
                origin: fptr.clone(),
                rust,
                shape,
                required,
                default,
                docs,
                deprecated: pview.deprecated,
                boxed: false,
                access,
                required_one_way: listed && !required,
            });
        }
        for (i, r) in view.required.iter().enumerate() {
            if !view.properties.contains_key(r) {
                self.degrade(
                    &child(&child(pointer, "required"), &i.to_string()),
                    Unsupported::Schema,
                    format!(
                        "required property `{r}` is not declared in `properties`; not enforced (the generated type also accepts documents without it)"
                    ),
                );
            }
        }
        // `additionalProperties: true` beside declared properties says the
        // other members matter: they are kept as JSON values, not dropped.
        let open = view.additional_properties == Some(Value::Bool(true));
        let any = serde_json::json!({});
        let additional = match view.additional_schema().or(open.then_some(&any)) {
            Some(ap) if !view.properties.is_empty() => {
                if scope.is_taken("additional_properties") {
                    self.error(pointer, "a property named `additionalProperties` collides with the map of additional properties");
                    return None;
                }
                Some(self.shape_of(
                    ap,
                    &child(pointer, "additionalProperties"),
                    &format!("{name}Value"),
                )?)
            }
            _ => None,
        };
        let closed = view.additional_properties == Some(Value::Bool(false));
        ok.then_some(StructDef {
            fields,
            additional,
            closed,
        })
    }

    pub(super) fn default_of(
        &mut self,
        view: &SchemaView,
        shape: &Shape,
        pointer: &str,
    ) -> Option<DefaultValue> {
        let value = view.default.as_ref()?;
        let dptr = child(pointer, "default");
        let converted = match (&shape.ty, value) {
            (Ty::Bool, Value::Bool(b)) => Some(DefaultValue::Bool(*b)),
            // Other numbers (1.5, or beyond int32) go to the check below,
            // which refuses them with the reason.
            (Ty::I64, Value::Number(n)) if n.is_i64() => n.as_i64().map(DefaultValue::Int),
            (Ty::I32, Value::Number(n)) if n.as_i64().is_some_and(|i| i32::try_from(i).is_ok()) => {
                n.as_i64().map(DefaultValue::Int)
            }
            (Ty::F32 | Ty::F64, Value::Number(n)) => n.as_f64().map(DefaultValue::Float),
            (Ty::String, Value::String(s)) => Some(DefaultValue::String(s.clone())),
            (Ty::Named(n), Value::String(s)) if self.is_enum(n) => self.enum_variant(n, s),
            // Checked against the shape once every type is built (ir::defaults).
            _ => Some(DefaultValue::Json {
                value: value.clone(),
                pointer: dptr.clone(),
            }),
        };
        if converted.is_none() {
            self.warn(
                &dptr,
                format!("default {value} does not fit the schema; it is not applied"),
            );
        }
        converted
    }

    fn is_enum(&self, name: &str) -> bool {
        self.types
            .iter()
            .any(|t| t.name == name && matches!(t.kind, TypeKind::Enum(_)))
    }

    fn enum_variant(&self, name: &str, wire: &str) -> Option<DefaultValue> {
        let e = self.types.iter().find_map(|t| match &t.kind {
            TypeKind::Enum(e) if t.name == name => Some(e),
            _ => None,
        })?;
        e.variants
            .iter()
            .find(|v| v.wire == wire)
            .map(|v| DefaultValue::EnumVariant(v.rust.clone()))
    }

    /// The shape of a property, item or variant schema; defines a named type
    /// (called `hint`) when the schema needs one.
    pub(super) fn shape_of(&mut self, value: &Value, pointer: &str, hint: &str) -> Option<Shape> {
        let view = self.parse_view(value, pointer)?;
        if let Some(reference) = Reference::of(value, pointer) {
            return self.reference_shape(&reference, &view);
        }
        if let Some(merged) = super::scalar_all_of::merged(self, value, pointer) {
            // Without `allOf`: this does not come back here.
            return self.shape_of(&merged, pointer, hint);
        }
        if Self::needs_named_type(&view) {
            if let Some((name, _)) = self.defining.get(pointer) {
                let mut shape = Shape::new(Ty::Named(name.clone()));
                shape.nullable = view.nullable;
                return Some(shape);
            }
            // Where the merged schema's pointer is no place of the
            // document, an `allOf` brought it in from a reference.
            let unfolded = self
                .spec
                .raw
                .pointer(pointer.trim_start_matches('#'))
                .is_none();
            let nesting = self
                .defining
                .values()
                .filter(|(_, unfolded)| *unfolded)
                .count();
            if unfolded && nesting >= MAX_UNFOLDED_NESTING {
                // Intersections of schemas that refer to each other can
                // unfold without end, each time at a longer pointer.
                self.degrade(
                    pointer,
                    Unsupported::Schema,
                    format!("more than {MAX_UNFOLDED_NESTING} types nested in one another where `allOf` merges schemas that refer to each other (their intersection unfolds without end); generated as any JSON value (`serde_json::Value`)"),
                );
                return Some(Shape::new(Ty::Json));
            }
            let name = self.claim_type(&naming::type_name(hint), pointer);
            let slot = self.types.len();
            self.defining
                .insert(pointer.to_string(), (name.clone(), unfolded));
            let kind = self.define(&name, view.clone(), pointer, None);
            self.defining.remove(pointer);
            let kind = kind?;
            let docs = self.docs_of(&view);
            let spec_name = pointer.to_string();
            self.types.insert(
                slot,
                TypeDef {
                    name: name.clone(),
                    spec_name,
                    origin: pointer.to_string(),
                    source: None,
                    docs,
                    deprecated: view.deprecated,
                    kind,
                    exact: self.spec.raw.pointer(pointer.trim_start_matches('#')) == Some(value),
                },
            );
            let mut shape = Shape::new(Ty::Named(name));
            shape.nullable = view.nullable;
            return Some(shape);
        }
        self.plain_shape(&view, pointer, hint)
    }
}

/// `allOf: [{$ref: X}]` with nothing beside it but documentation,
/// `nullable` or `default`: the way OpenAPI 3.0 attaches those to a
/// reference (`$ref` siblings are ignored there). It is X itself.
fn single_ref(value: &Value) -> Option<&str> {
    const BESIDE: &[&str] = &[
        "allOf",
        "description",
        "title",
        "example",
        "default",
        "nullable",
        "readOnly",
        "writeOnly",
        "deprecated",
        "externalDocs",
    ];
    let map = value.as_object()?;
    let [part] = map.get("allOf")?.as_array()?.as_slice() else {
        return None;
    };
    let only_docs = map
        .keys()
        .all(|k| BESIDE.contains(&k.as_str()) || k.starts_with("x-"));
    let reference = part.get("$ref")?.as_str()?;
    (only_docs && part.as_object()?.len() == 1).then_some(reference)
}

/// The component a schema stands for: its `$ref`, or the one of a
/// [`single_ref`] (`wrapped`).
struct Reference<'v> {
    target: &'v str,
    /// Where the `$ref` is written.
    pointer: String,
    wrapped: bool,
}

impl<'v> Reference<'v> {
    fn of(value: &'v Value, pointer: &str) -> Option<Self> {
        if let Some(target) = value.get("$ref").and_then(Value::as_str) {
            return Some(Reference {
                target,
                pointer: child(pointer, "$ref"),
                wrapped: false,
            });
        }
        let target = single_ref(value)?;
        let part = child(&child(pointer, "allOf"), "0");
        Some(Reference {
            target,
            pointer: child(&part, "$ref"),
            wrapped: true,
        })
    }
}

/// Pointer of a property, which after an `allOf` merge may live in a part.
fn view_property_pointer(view: &SchemaView, pointer: &str, prop: &str) -> String {
    view.property_origins
        .get(prop)
        .cloned()
        .unwrap_or_else(|| child(&child(pointer, "properties"), prop))
}

/// A string enum with at least one string: `enum: [null]` alone has no
/// value to make a variant of.
pub(super) fn is_string_enum(view: &SchemaView) -> bool {
    view.enumeration
        .as_ref()
        .is_some_and(|values| values.iter().any(|v| !v.is_null()))
        && matches!(view.typ.as_deref(), Some("string"))
}

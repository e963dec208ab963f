//! `oneOf` and `anyOf`: variants, and how each is recognised on the wire —
//! by a discriminator, by JSON kind, by the properties only it requires, by
//! an implicit discriminator (a property each variant declares with values
//! of its own), and, where nothing separates two variants, by trying them in
//! a fixed order, most specific first (reported as a warning).

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::build::{Builder, COMPONENT_PREFIX};
use super::merge::resolve_part;
use super::view::{DiscriminatorView, SchemaView};
use super::*;
use crate::diagnostics::{child, Unsupported};
use crate::naming::{self, Scope};

/// What the union analysis needs to know of one variant.
struct Candidate {
    rust: String,
    shape: Shape,
    /// Component name, for `$ref` variants.
    component: Option<String>,
    kind: &'static str,
    properties: Vec<String>,
    required: Vec<String>,
    /// String values each declared property is limited to (`enum`), for
    /// finding an implicit discriminator.
    property_values: HashMap<String, Vec<String>>,
    /// A string schema limited by `enum`: more specific than any string.
    enumerated: bool,
    /// An object that keeps members it does not declare (`additionalProperties`).
    open: bool,
    /// For a variant that is itself a union, the members its object
    /// variants declare (see [`nested_members`]).
    nested_members: Option<Vec<String>>,
    pointer: String,
}

/// Which keyword a union comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Keyword {
    OneOf,
    AnyOf,
}

impl Keyword {
    fn as_str(self) -> &'static str {
        match self {
            Keyword::OneOf => "oneOf",
            Keyword::AnyOf => "anyOf",
        }
    }
}

pub(super) fn define_union(
    b: &mut Builder<'_>,
    name: &str,
    view: &SchemaView,
    pointer: &str,
    keyword: Keyword,
) -> Option<UnionDef> {
    let alternatives = match keyword {
        Keyword::OneOf => &view.one_of,
        Keyword::AnyOf => &view.any_of,
    };
    let origin = view.union_origin.as_deref().unwrap_or(pointer);
    let base = Base::of(view);
    let mut candidates = Vec::new();
    let mut scope = Scope::default();
    for (i, value) in alternatives.iter().enumerate() {
        let vptr = child(&child(origin, keyword.as_str()), &i.to_string());
        let c = candidate(b, name, value, &vptr, i, &mut scope, base.as_ref())?;
        candidates.push(c);
    }
    let strategy = match (&view.discriminator, keyword) {
        (Some(disc), Keyword::OneOf) => {
            tagged_or_untagged(b, name, origin, disc, &candidates, keyword)
        }
        _ => untagged(b, name, pointer, &candidates, keyword),
    };
    Some(finish(candidates, &strategy))
}

/// A `discriminator` on a schema that others extend through `allOf`, with no
/// `oneOf`: the extending schemas are the variants.
pub(super) fn define_polymorphic(
    b: &mut Builder<'_>,
    name: &str,
    _view: &SchemaView,
    disc: &DiscriminatorView,
    children: &[String],
    pointer: &str,
) -> Option<UnionDef> {
    let mut candidates = Vec::new();
    let mut scope = Scope::default();
    for (i, component) in children.iter().enumerate() {
        let value = serde_json::json!({ "$ref": child("#/components/schemas", component) });
        let vptr = child("#/components/schemas", component);
        candidates.push(candidate(b, name, &value, &vptr, i, &mut scope, None)?);
    }
    let strategy = tagged_or_untagged(b, name, pointer, disc, &candidates, Keyword::OneOf);
    Some(finish(candidates, &strategy))
}

fn finish(candidates: Vec<Candidate>, strategy: &UnionStrategy) -> UnionDef {
    let tag = match strategy {
        UnionStrategy::Discriminator { property, .. } => Some(property.clone()),
        UnionStrategy::Untagged { .. } => None,
    };
    let variants = candidates
        .into_iter()
        .map(|c| UnionVariant {
            writes_tag: tag.as_ref().is_some_and(|t| c.required.contains(t)),
            rust: c.rust,
            shape: c.shape,
            properties: c.properties,
            boxed: false,
        })
        .collect();
    UnionDef {
        variants,
        strategy: strategy.clone(),
    }
}

/// The union's own object keywords (`properties`, `required`, from the
/// schema or its `allOf` parts), which hold for whichever variant is present.
struct Base {
    schema: Value,
    properties: Vec<String>,
    required: Vec<String>,
}

impl Base {
    fn of(view: &SchemaView) -> Option<Base> {
        if view.properties.is_empty() && view.required.is_empty() {
            return None;
        }
        let mut schema = serde_json::json!({
            "type": "object",
            "properties": view.properties,
        });
        if !view.required.is_empty() {
            schema["required"] = serde_json::json!(view.required);
        }
        if let Some(ap) = &view.additional_properties {
            schema["additionalProperties"] = ap.clone();
        }
        Some(Base {
            schema,
            properties: view.properties.keys().cloned().collect(),
            required: view.required.clone(),
        })
    }

    /// Whether a variant already declares and requires what the base does
    /// (as the IOM specs write it), so it can be used as it is.
    fn covered_by(&self, variant: &SchemaView) -> bool {
        self.properties
            .iter()
            .all(|p| variant.properties.contains_key(p))
            && self.required.iter().all(|r| variant.required.contains(r))
    }
}

fn candidate(
    b: &mut Builder<'_>,
    union: &str,
    value: &Value,
    pointer: &str,
    index: usize,
    scope: &mut Scope,
    base: Option<&Base>,
) -> Option<Candidate> {
    let view = b.parse_view(value, pointer)?;
    let (resolved, _) = resolve_part(b, value, pointer, 0)?;
    // A variant that is itself a union may be any JSON kind.
    let nested = !resolved.one_of.is_empty() || !resolved.any_of.is_empty();
    let kind = if nested { "any" } else { json_kind(&resolved) };
    let nested_members = if nested {
        nested_members(b, &resolved, pointer)
    } else {
        None
    };
    // What every object variant of a nested union requires (its tag, for
    // one): the union writes it when each of them does.
    let required = match &nested_members {
        Some(_) => nested_required(b, &resolved, pointer),
        None => resolved.required.clone(),
    };
    let component = match &view.reference {
        Some(reference) => Some(b.component_of(reference, &child(pointer, "$ref"))?),
        None => None,
    };
    // An object variant that lacks the base's members gets them: the variant
    // type is `allOf: [base, variant]`.
    let widened = base
        .filter(|base| kind == "object" && !base.covered_by(&resolved))
        .map(|base| serde_json::json!({ "allOf": [base.schema, value] }));
    let (shape, type_name, resolved) = match (&widened, &component) {
        (Some(widened), _) => {
            let hint = match &component {
                Some(c) => format!("{union}{}", b.component_names[c]),
                None => widened_name(union, &view, index),
            };
            let shape = b.shape_of(widened, pointer, &hint)?;
            let (resolved, _) = resolve_part(b, widened, pointer, 0)?;
            (shape, hint, resolved)
        }
        (None, Some(component)) => {
            let rust = b.component_names[component].clone();
            (Shape::new(Ty::Named(rust.clone())), rust, resolved)
        }
        (None, None) => {
            let shape = b.shape_of(value, pointer, &format!("{union}Variant{}", index + 1))?;
            let type_name = match &shape.ty {
                Ty::Named(n) => n.clone(),
                other => naming::variant_name(primitive_name(other)),
            };
            (shape, type_name, resolved)
        }
    };
    let (rust, collision) = scope.claim(variant_name(union, &type_name), pointer);
    if let Some(c) = collision {
        b.warn(
            pointer,
            format!(
                "variants {} and {} both map to the name `{}`; the second is `{}`",
                c.first, c.second, c.rust, c.renamed_to
            ),
        );
    }
    let property_values = resolved
        .properties
        .iter()
        .filter_map(|(p, v)| Some((p.clone(), string_values(b, v, 0)?)))
        .collect();
    Some(Candidate {
        rust,
        shape,
        component,
        kind,
        properties: resolved.properties.keys().cloned().collect(),
        required,
        property_values,
        enumerated: kind == "string" && resolved.enumeration.is_some(),
        nested_members,
        open: resolved.keeps_other_members(),
        pointer: pointer.to_string(),
    })
}

/// The members the object variants of a nested union declare; `None` when
/// one of its variants takes any value (or is a union again), which keeps
/// every member.
fn nested_members(b: &mut Builder<'_>, union: &SchemaView, pointer: &str) -> Option<Vec<String>> {
    let mut members = Vec::new();
    collect_members(b, union, pointer, 0, &mut members)?;
    Some(members)
}

fn collect_members(
    b: &mut Builder<'_>,
    union: &SchemaView,
    pointer: &str,
    depth: usize,
    members: &mut Vec<String>,
) -> Option<()> {
    if depth > 8 {
        return None;
    }
    for (i, alternative) in union.one_of.iter().chain(&union.any_of).enumerate() {
        let (view, _) = resolve_part(b, alternative, &child(pointer, &i.to_string()), 1)?;
        if !view.one_of.is_empty() || !view.any_of.is_empty() {
            collect_members(b, &view, pointer, depth + 1, members)?;
            continue;
        }
        if json_kind(&view) == "any" || view.keeps_other_members() {
            return None;
        }
        for p in view.properties.keys() {
            if !members.contains(p) {
                members.push(p.clone());
            }
        }
    }
    Some(())
}

/// The properties every object variant of a nested union requires.
fn nested_required(b: &mut Builder<'_>, union: &SchemaView, pointer: &str) -> Vec<String> {
    let mut common: Option<Vec<String>> = None;
    let mut pending = vec![(union.clone(), 0usize)];
    while let Some((view, depth)) = pending.pop() {
        for (i, alternative) in view.one_of.iter().chain(&view.any_of).enumerate() {
            let Some((part, _)) = resolve_part(b, alternative, &child(pointer, &i.to_string()), 1)
            else {
                return Vec::new();
            };
            if (!part.one_of.is_empty() || !part.any_of.is_empty()) && depth < 8 {
                pending.push((part, depth + 1));
                continue;
            }
            common = Some(match common {
                None => part.required.clone(),
                Some(c) => c
                    .into_iter()
                    .filter(|r| part.required.contains(r))
                    .collect(),
            });
        }
    }
    common.unwrap_or_default()
}

/// A variant that only adds `required` (intercom: "an `id` or a `user_id`")
/// is named after what it requires: `UserWithId`, `UserWithUserIdAndEmail`.
fn widened_name(union: &str, variant: &SchemaView, index: usize) -> String {
    let only_required = variant.properties.is_empty()
        && variant.typ.as_deref().is_none_or(|t| t == "object")
        && variant.reference.is_none()
        && variant.all_of.is_empty()
        && !variant.required.is_empty();
    if only_required {
        let names: Vec<String> = variant
            .required
            .iter()
            .map(|r| naming::type_name(r))
            .collect();
        format!("{union}With{}", names.join("And"))
    } else {
        format!("{union}Variant{}", index + 1)
    }
}

/// The string values a property schema is limited to, following `$ref`s.
fn string_values(b: &Builder<'_>, value: &Value, depth: usize) -> Option<Vec<String>> {
    if depth > 16 {
        return None;
    }
    if let Some(reference) = value.get("$ref").and_then(Value::as_str) {
        let name = crate::diagnostics::unescape_token(reference.strip_prefix(COMPONENT_PREFIX)?);
        return string_values(b, b.component_value(&name)?, depth + 1);
    }
    let values = value.get("enum")?.as_array()?;
    values
        .iter()
        .filter(|v| !v.is_null())
        .map(|v| v.as_str().map(str::to_string))
        .collect()
}

/// `OrderStateAddress` + `OrderStatePostalAddress` → `PostalAddress`: the
/// words the variant shares with the union at the start are dropped.
fn variant_name(union: &str, type_name: &str) -> String {
    let split = |s: &str| -> Vec<String> {
        let mut words: Vec<String> = Vec::new();
        for c in s.chars() {
            if c.is_ascii_uppercase() || words.is_empty() {
                words.push(String::new());
            }
            if let Some(w) = words.last_mut() {
                w.push(c);
            }
        }
        words
    };
    let (u, t) = (split(union), split(type_name));
    let common = u.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let rest: String = t[common..].concat();
    if rest.is_empty() || rest.starts_with(|c: char| c.is_ascii_digit()) {
        type_name.to_string()
    } else {
        rest
    }
}

fn primitive_name(ty: &Ty) -> &'static str {
    match ty {
        Ty::String | Ty::Date | Ty::DateTime => "String",
        Ty::Bytes | Ty::Octets | Ty::Blob | Ty::File => "Bytes",
        Ty::Events(_) => "Events",
        Ty::Bool => "Boolean",
        Ty::I32 | Ty::I64 => "Integer",
        Ty::F32 | Ty::F64 => "Number",
        Ty::Array(_) => "Array",
        Ty::Map(_) => "Map",
        Ty::Json => "Value",
        Ty::Named(_) => "Object",
    }
}

fn json_kind(view: &SchemaView) -> &'static str {
    match view.typ.as_deref() {
        Some("string") => "string",
        Some("integer") => "integer",
        Some("number") => "number",
        Some("boolean") => "boolean",
        Some("array") => "array",
        _ if view.items.is_some() => "array",
        // No type and nothing that only objects have: any JSON value.
        None if view.properties.is_empty()
            && view.required.is_empty()
            && view.additional_properties.is_none()
            && view.all_of.is_empty()
            && view.enumeration.is_none() =>
        {
            "any"
        }
        _ => "object",
    }
}

/// The discriminator's tag values, each naming a variant: the mapping,
/// then the component name of each unmapped `$ref` variant, else the
/// values an inline variant limits the property to (`enum`, `const`).
/// `Err` says why the discriminator cannot tell the variants apart; the
/// caller then drops it.
fn discriminated(
    b: &mut Builder<'_>,
    disc: &DiscriminatorView,
    pointer: &str,
    candidates: &[Candidate],
) -> Result<UnionStrategy, String> {
    let property = &disc.property_name;
    let declares = |c: &Candidate| {
        c.properties.contains(property)
            || c.nested_members
                .as_ref()
                .is_some_and(|m| m.contains(property))
    };
    if !candidates.iter().any(declares) {
        return Err(format!("no variant declares the property `{property}`"));
    }
    for c in candidates {
        // A union of objects (figma's `BlurEffect`, itself a `oneOf`) is
        // an object too: the tag chooses it, and it chooses among its own.
        let objects = c.kind == "any" && c.nested_members.is_some();
        if c.kind != "object" && !objects {
            return Err(format!(
                "the variant at {} is not an object, so it carries no `{property}`",
                c.pointer
            ));
        }
    }
    let mut mapping = Vec::new();
    for (value, target) in &disc.mapping {
        let mptr = child(&child(pointer, "mapping"), value);
        let component = if target.starts_with('#') {
            b.component_of(target, &mptr)
        } else {
            Some(target.clone())
        };
        let Some(component) = component else {
            continue;
        };
        match candidates
            .iter()
            .position(|c| c.component.as_deref() == Some(component.as_str()))
        {
            Some(i) => mapping.push((value.clone(), i)),
            None => b.degrade(
                &mptr,
                Unsupported::Schema,
                format!("discriminator value `{value}` maps to `{target}`, which is not one of the variants; ignored"),
            ),
        }
    }
    for (i, c) in candidates.iter().enumerate() {
        if mapping.iter().any(|(_, j)| *j == i) {
            continue;
        }
        let values = match (&c.component, c.property_values.get(property)) {
            (Some(component), _) => vec![component.clone()],
            (None, Some(values)) if !values.is_empty() => values.clone(),
            (None, _) => {
                return Err(format!(
                    "the variant at {} is no component and limits `{property}` to no values, so no tag names it",
                    c.pointer
                ))
            }
        };
        mapping.extend(values.into_iter().map(|v| (v, i)));
    }
    Ok(UnionStrategy::Discriminator {
        property: property.clone(),
        mapping,
    })
}

/// A discriminated union, or where the discriminator cannot tell the
/// variants apart, an untagged one with a warning.
fn tagged_or_untagged(
    b: &mut Builder<'_>,
    name: &str,
    pointer: &str,
    disc: &DiscriminatorView,
    candidates: &[Candidate],
    keyword: Keyword,
) -> UnionStrategy {
    let at = child(pointer, "discriminator");
    match discriminated(b, disc, &at, candidates) {
        Ok(strategy) => strategy,
        Err(reason) => {
            b.degrade(
                &at,
                Unsupported::Schema,
                format!("{reason}; the discriminator is dropped and the variants are told apart by their content"),
            );
            untagged(b, name, pointer, candidates, keyword)
        }
    }
}

fn untagged(
    b: &mut Builder<'_>,
    name: &str,
    pointer: &str,
    candidates: &[Candidate],
    keyword: Keyword,
) -> UnionStrategy {
    let objects: Vec<usize> = (0..candidates.len())
        .filter(|&i| candidates[i].kind == "object")
        .collect();
    let tag = implicit_discriminator(candidates, &objects);
    let mut matchers = Vec::new();
    for (i, c) in candidates.iter().enumerate() {
        let matcher = match c.kind {
            "any" => match &c.nested_members {
                Some(members) => Matcher::Union(members.clone()),
                None => Matcher::Any,
            },
            "object" => match &tag {
                Some(property) => Matcher::Tag {
                    property: property.clone(),
                    values: c.property_values[property].clone(),
                },
                None => {
                    let others: HashSet<&String> = objects
                        .iter()
                        .filter(|&&j| j != i)
                        .flat_map(|&j| candidates[j].properties.iter())
                        .collect();
                    let keys: Vec<String> = c
                        .required
                        .iter()
                        .filter(|r| !others.contains(r))
                        .cloned()
                        .collect();
                    if keys.is_empty() && c.open {
                        Matcher::Open
                    } else if keys.is_empty() {
                        Matcher::Fallback(c.properties.clone())
                    } else {
                        Matcher::Keys(keys)
                    }
                }
            },
            kind => Matcher::Kind(kind),
        };
        matchers.push(matcher);
    }
    let mut order: Vec<usize> = (0..candidates.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(specificity(&candidates[i])));
    report_overlaps(b, name, pointer, candidates, &matchers, &order, keyword);
    UnionStrategy::Untagged {
        matchers,
        order,
        exclusive: keyword == Keyword::OneOf,
    }
}

/// A property that every object variant requires and limits to string
/// values of its own (`type: {enum: [text]}` in chat APIs).
fn implicit_discriminator(candidates: &[Candidate], objects: &[usize]) -> Option<String> {
    let first = candidates.get(*objects.first()?)?;
    if objects.len() < 2 {
        return None;
    }
    let mut names: Vec<&String> = first.property_values.keys().collect();
    names.sort();
    names
        .into_iter()
        .find(|property| {
            let mut seen = HashSet::new();
            objects.iter().all(|&i| {
                let c = &candidates[i];
                c.required.contains(property)
                    && c.property_values.get(*property).is_some_and(|values| {
                        !values.is_empty() && values.iter().all(|v| seen.insert(v.clone()))
                    })
            })
        })
        .cloned()
}

/// Higher is tried first: more required properties, then more declared
/// ones, then a required property limited to fewer values (of providers
/// that all take `type: onetimepin`, the one that takes only that value
/// comes before the one taking every provider's); enums before free
/// strings; integers before numbers.
fn specificity(c: &Candidate) -> (usize, usize, std::cmp::Reverse<usize>, bool, bool) {
    let narrowest = c
        .required
        .iter()
        .filter_map(|r| c.property_values.get(r))
        .map(Vec::len)
        .min()
        .unwrap_or(usize::MAX);
    (
        c.required.len(),
        c.properties.len(),
        std::cmp::Reverse(narrowest),
        c.enumerated,
        c.kind == "integer",
    )
}

/// One warning per union whose variants the wire format alone cannot
/// separate: which overlap, and the order they are tried in.
fn report_overlaps(
    b: &mut Builder<'_>,
    name: &str,
    pointer: &str,
    candidates: &[Candidate],
    matchers: &[Matcher],
    order: &[usize],
    keyword: Keyword,
) {
    // One value of each kind, through the rule the generated decoder
    // applies: where several variants remain, they are tried in turn.
    let samples = [
        serde_json::json!(""),
        serde_json::json!(0),
        serde_json::json!(0.5),
        serde_json::json!(false),
        serde_json::json!([]),
        serde_json::json!({}),
    ];
    let mut groups = Vec::new();
    for sample in &samples {
        let group = super::candidates(sample, matchers, order, keyword == Keyword::OneOf);
        if group.len() > 1 && !groups.contains(&group) {
            groups.push(group);
        }
    }
    if groups.is_empty() {
        return;
    }
    let described: Vec<String> = groups
        .iter()
        .map(|g| {
            g.iter()
                .map(|&i| candidates[i].rust.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        })
        .collect();
    b.warn(
        pointer,
        format!(
            "`{}` in `{name}`: variants that nothing in the value tells apart are tried in this order, the first that decodes, validates and keeps every member wins: {}",
            keyword.as_str(),
            described.join("; ")
        ),
    );
}

/// Marks the fields and variants that must be boxed because the type
/// contains itself without indirection (`Vec` and maps are indirection,
/// `Option` is not).
pub(super) fn box_recursive_fields(types: &mut [TypeDef]) {
    // A field `owner -> n` holds its type without indirection, so `n`
    // reaches back to `owner` exactly when both are in one strongly
    // connected component: one pass over the graph, not a search per field.
    let children: Vec<(String, Vec<String>)> = types
        .iter()
        .map(|t| (t.name.clone(), direct_children(&t.kind)))
        .collect();
    let mut graph = petgraph::graphmap::DiGraphMap::<&str, ()>::new();
    for (name, kids) in &children {
        graph.add_node(name.as_str());
        for kid in kids {
            graph.add_edge(name.as_str(), kid.as_str(), ());
        }
    }
    let mut component: HashMap<String, usize> = HashMap::new();
    for (i, scc) in petgraph::algo::tarjan_scc(&graph).into_iter().enumerate() {
        // A single type is recursive only through an edge to itself.
        let cyclic = scc.len() > 1 || scc.iter().any(|n| graph.contains_edge(n, n));
        if cyclic {
            for n in scc {
                component.insert(n.to_string(), i);
            }
        }
    }
    let reaches = |from: &str, to: &str| -> bool {
        matches!((component.get(from), component.get(to)), (Some(a), Some(b)) if a == b)
    };
    for t in types.iter_mut() {
        let owner = t.name.clone();
        match &mut t.kind {
            TypeKind::Struct(s) => {
                for f in &mut s.fields {
                    if let Ty::Named(n) = &f.shape.ty {
                        f.boxed = reaches(n, &owner);
                    }
                }
            }
            TypeKind::Union(u) => {
                for v in &mut u.variants {
                    if let Ty::Named(n) = &v.shape.ty {
                        v.boxed = reaches(n, &owner);
                    }
                }
            }
            _ => {}
        }
    }
}

fn direct_children(kind: &TypeKind) -> Vec<String> {
    let named = |s: &Shape| match &s.ty {
        Ty::Named(n) => Some(n.clone()),
        _ => None,
    };
    match kind {
        TypeKind::Struct(s) => s.fields.iter().filter_map(|f| named(&f.shape)).collect(),
        TypeKind::Union(u) => u.variants.iter().filter_map(|v| named(&v.shape)).collect(),
        TypeKind::Alias(s) => named(s).into_iter().collect(),
        TypeKind::Enum(_) => Vec::new(),
    }
}

//! `allOf`: the parts are merged into one object schema. A property that
//! two parts declare gets the intersection of the declarations; only a real
//! contradiction is an error, reported with both places, never resolved by
//! picking one.

use serde_json::Value;

use super::build::Builder;
use super::intersect::{intersect, loosened, Conflict};
use super::view::SchemaView;
use crate::diagnostics::{child, Unsupported};

pub(super) fn merge_all_of(
    b: &mut Builder<'_>,
    outer: SchemaView,
    pointer: &str,
) -> Option<SchemaView> {
    let mut merged = SchemaView {
        all_of: Vec::new(),
        one_of: Vec::new(),
        any_of: Vec::new(),
        ..outer.clone()
    };
    if !outer.one_of.is_empty() || !outer.any_of.is_empty() {
        // The schema's own union is absorbed with its other keywords below.
        merged.discriminator = None;
    }
    merged.properties.clear();
    merged.property_origins.clear();
    merged.required.clear();
    let mut ok = true;
    for (i, part) in outer.all_of.iter().enumerate() {
        let part_ptr = child(&child(pointer, "allOf"), &i.to_string());
        let Some((view, view_ptr)) = resolve_part(b, part, &part_ptr, 0) else {
            ok = false;
            continue;
        };
        ok &= absorb(b, &mut merged, &view, &view_ptr);
    }
    let own_ptr = pointer.to_string();
    ok &= absorb(
        b,
        &mut merged,
        &SchemaView {
            all_of: Vec::new(),
            ..outer
        },
        &own_ptr,
    );
    ok.then_some(merged)
}

/// A part, with `$ref`s followed and its own `allOf` merged.
pub(super) fn resolve_part(
    b: &mut Builder<'_>,
    value: &Value,
    pointer: &str,
    depth: usize,
) -> Option<(SchemaView, String)> {
    if depth > 32 {
        b.error(pointer, "`allOf` references form a cycle");
        return None;
    }
    let view = b.parse_view(value, pointer)?;
    if let Some(reference) = &view.reference {
        let name = b.component_of(reference, &child(pointer, "$ref"))?;
        let target = b.component_value(&name)?;
        let target_ptr = child("#/components/schemas", &name);
        return resolve_part(b, target, &target_ptr, depth + 1);
    }
    if view.all_of.is_empty() {
        return Some((view, pointer.to_string()));
    }
    if let Some(scalar) = super::scalar_all_of::merged(b, value, pointer) {
        return Some((b.parse_view(&scalar, pointer)?, pointer.to_string()));
    }
    let mut inner = SchemaView {
        all_of: Vec::new(),
        one_of: Vec::new(),
        any_of: Vec::new(),
        ..view.clone()
    };
    if !view.one_of.is_empty() || !view.any_of.is_empty() {
        inner.discriminator = None;
    }
    inner.properties.clear();
    inner.property_origins.clear();
    inner.required.clear();
    for (i, part) in view.all_of.iter().enumerate() {
        let part_ptr = child(&child(pointer, "allOf"), &i.to_string());
        let (pv, pv_ptr) = resolve_part(b, part, &part_ptr, depth + 1)?;
        if !absorb(b, &mut inner, &pv, &pv_ptr) {
            return None;
        }
    }
    let own = SchemaView {
        all_of: Vec::new(),
        ..view
    };
    absorb(b, &mut inner, &own, pointer).then_some((inner, pointer.to_string()))
}

/// Adds one part's object facts to `into`; false on a conflict.
fn absorb(b: &mut Builder<'_>, into: &mut SchemaView, part: &SchemaView, part_ptr: &str) -> bool {
    if !part.one_of.is_empty() || !part.any_of.is_empty() {
        // A second union that only says which members must be present
        // (lob: "a city and a state, or a zip") narrows which documents are
        // valid and nothing else; the first one makes the variants.
        let has_union = !into.one_of.is_empty() || !into.any_of.is_empty();
        if has_union && only_requires(part) {
            b.degrade(
                part_ptr,
                Unsupported::Schema,
                "this `oneOf`/`anyOf` only lists members that must be present, beside another union: ignored (it only narrows which documents are valid)",
            );
            let mut rest = part.clone();
            rest.one_of.clear();
            rest.any_of.clear();
            return absorb(b, into, &rest, part_ptr);
        }
        // The union's variants get the merged object's properties (see
        // `union::define_union`); two unions would need their product.
        if has_union {
            let first = into.union_origin.clone().unwrap_or_default();
            b.unsupported(
                part_ptr,
                Unsupported::Schema,
                format!("not supported: a second `oneOf`/`anyOf` in one `allOf` (the first is at {first})"),
            );
            return false;
        }
        into.one_of = part.one_of.clone();
        into.any_of = part.any_of.clone();
        into.discriminator = part.discriminator.clone();
        into.union_origin = Some(
            part.union_origin
                .clone()
                .unwrap_or_else(|| part_ptr.to_string()),
        );
    }
    if part.enumeration.is_some()
        || part.items.is_some()
        || matches!(part.typ.as_deref(), Some(t) if t != "object")
    {
        b.unsupported(
            part_ptr,
            Unsupported::Schema,
            "not supported: `allOf` with a part that is not an object schema",
        );
        return false;
    }
    for (name, value) in &part.properties {
        let origin = part
            .property_origins
            .get(name)
            .cloned()
            .unwrap_or_else(|| child(&child(part_ptr, "properties"), name));
        match into.properties.get(name) {
            Some(existing) => {
                let raw = &b.spec.raw;
                let resolve =
                    |name: &str| raw.pointer("/components/schemas").and_then(|s| s.get(name));
                match intersect(existing, value, &resolve) {
                    Ok(meet) => {
                        into.properties.insert(name.clone(), meet);
                    }
                    Err(conflict) => {
                        let first = into.property_origins.get(name).cloned().unwrap_or_default();
                        let (loose, lost) = loosened(existing, value, &resolve);
                        let message = match conflict {
                            Conflict::Contradiction(reason) => format!("`allOf` conflict: no value of property `{name}` is valid both here and at {first}: {reason}; {lost}"),
                            Conflict::Unsupported(reason) => format!("property `{name}` is declared here and at {first}, and the generator cannot write the intersection: {reason}; {lost}"),
                        };
                        into.properties.insert(name.clone(), loose);
                        b.degrade(&origin, Unsupported::Schema, message);
                    }
                }
            }
            None => {
                into.properties.insert(name.clone(), value.clone());
                into.property_origins.insert(name.clone(), origin);
            }
        }
    }
    for r in &part.required {
        if !into.required.contains(r) {
            into.required.push(r.clone());
        }
    }
    if into.typ.is_none() {
        into.typ = Some("object".into());
    }
    if let Some(ap) = &part.additional_properties {
        match &into.additional_properties {
            // Each part's `additionalProperties` speaks of the members
            // outside its own `properties`, which no single struct can say;
            // any member is then allowed, as a JSON value.
            Some(existing) if existing != ap => {
                if *existing != Value::Bool(true) {
                    b.degrade(
                        &child(part_ptr, "additionalProperties"),
                        Unsupported::Schema,
                        "`additionalProperties` differs between the `allOf` parts; members beside the declared properties are kept as any JSON value",
                    );
                }
                into.additional_properties = Some(Value::Bool(true));
            }
            _ => into.additional_properties = Some(ap.clone()),
        }
    }
    if into.description.is_none() {
        into.description = part.description.clone();
    }
    true
}

/// Whether every alternative of the schema's union only lists required
/// members (with at most a title or description beside).
fn only_requires(view: &SchemaView) -> bool {
    view.one_of.iter().chain(&view.any_of).all(|alternative| {
        alternative.as_object().is_some_and(|map| {
            map.contains_key("required")
                && map.iter().all(|(k, v)| match k.as_str() {
                    "required" | "title" | "description" => true,
                    "type" => v == "object",
                    _ => false,
                })
        })
    })
}

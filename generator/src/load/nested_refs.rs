//! References into a schema rather than to one
//! (`#/components/schemas/WebhookEvent/properties/events/items`, xero's
//! webhooks): the IR gives a name to component schemas only, so the target
//! becomes a component of its own, named after its path
//! (`WebhookEvent_events_items`), and both the place it was written and
//! every reference to it refer to that component. Valid in 3.0 and 3.1.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use crate::diagnostics::{escape_token, unescape_pointer, unescape_token};

const SCHEMAS: &str = "#/components/schemas/";

/// Hoists every schema that a `$ref` points into; `(pointer, component)`
/// of each, for the source map.
pub fn hoist(root: &mut Value) -> Vec<(String, String)> {
    let mut targets = BTreeSet::new();
    let inside = |target: &str| {
        target
            .strip_prefix(SCHEMAS)
            .is_some_and(|rest| rest.contains('/'))
    };
    super::walk::structure(root, &mut |map, _| {
        if let Some(target) = map.get("$ref").and_then(Value::as_str) {
            if inside(target) {
                targets.insert(target.to_string());
            }
        }
        for target in mapping_values(map) {
            if inside(target) {
                targets.insert(target.to_string());
            }
        }
    });
    if targets.is_empty() {
        return Vec::new();
    }
    // Deepest first: a target inside another is hoisted before the outer
    // one is copied, so the copy already refers to it.
    let mut targets: Vec<String> = targets.into_iter().collect();
    targets.sort_by_key(|t| std::cmp::Reverse(t.matches('/').count()));
    let mut moved = Vec::new();
    for target in targets {
        let path = unescape_pointer(&target);
        let Some(schema) = root.pointer(&path).filter(|v| v.is_object()).cloned() else {
            continue; // the IR reports the dangling reference
        };
        // An alternative with a title is named after it.
        let titled = schema
            .get("title")
            .and_then(Value::as_str)
            .filter(|t| !t.trim().is_empty())
            .filter(|_| !target.ends_with("/items"));
        let name = free_name(
            root,
            &titled.map_or_else(|| name_of(&target), str::to_string),
        );
        let local = format!("{SCHEMAS}{}", escape_token(&name));
        if let Some(slot) = root.pointer_mut(&path) {
            *slot = json!({ "$ref": local });
        }
        if let Some(schemas) = root
            .pointer_mut("/components/schemas")
            .and_then(Value::as_object_mut)
        {
            schemas.insert(name.clone(), schema);
        }
        retarget(root, &target, &local);
        moved.push((target, local));
    }
    moved
}

/// `#/components/schemas/A/properties/b/items` → `A_b_items`: the
/// component and the names along the way, without the keywords that only
/// lead to them.
fn name_of(target: &str) -> String {
    let rest = target.strip_prefix(SCHEMAS).unwrap_or(target);
    let parts: Vec<String> = rest
        .split('/')
        .filter(|t| !matches!(*t, "properties" | "allOf" | "oneOf" | "anyOf"))
        .map(unescape_token)
        .collect();
    parts.join("_")
}

/// `wanted`, or `wanted_2`, `wanted_3`… where a component schema has it.
pub(super) fn free_name(root: &Value, wanted: &str) -> String {
    let taken = |n: &str| {
        root.pointer("/components/schemas")
            .and_then(Value::as_object)
            .is_some_and(|s| s.contains_key(n))
    };
    let mut name = wanted.to_string();
    let mut n = 2;
    while taken(&name) {
        name = format!("{wanted}_{n}");
        n += 1;
    }
    name
}

/// The values of a discriminator's `mapping`, when `map` is one.
fn mapping_values(map: &serde_json::Map<String, Value>) -> impl Iterator<Item = &str> {
    map.get("mapping")
        .and_then(Value::as_object)
        .filter(|_| map.contains_key("propertyName"))
        .into_iter()
        .flat_map(|m| m.values().filter_map(Value::as_str))
}

/// Every `$ref` and discriminator mapping to `from` now says `to`.
fn retarget(root: &mut Value, from: &str, to: &str) {
    let mut places = Vec::new();
    super::walk::structure(root, &mut |map, pointer| {
        let mapped = mapping_values(map).any(|t| t == from);
        if map.get("$ref").and_then(Value::as_str) == Some(from) || mapped {
            places.push(pointer.to_string());
        }
    });
    for pointer in places {
        let Some(map) = root
            .pointer_mut(&unescape_pointer(&pointer))
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        if map.get("$ref").and_then(Value::as_str) == Some(from) {
            map.insert("$ref".into(), json!(to));
        }
        if let Some(mapping) = map.get_mut("mapping").and_then(Value::as_object_mut) {
            for value in mapping.values_mut() {
                if value.as_str() == Some(from) {
                    *value = json!(to);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_schema_referred_into_becomes_a_component() {
        let mut doc = json!({"components": {"schemas": {
            "Event": {"properties": {"items": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string"}}}}}},
            "Other": {"$ref": "#/components/schemas/Event/properties/items/items"},
        }}});
        let moved = hoist(&mut doc);
        assert_eq!(moved.len(), 1);
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["Other"],
            json!({"$ref": "#/components/schemas/Event_items_items"})
        );
        assert_eq!(
            schemas["Event"]["properties"]["items"]["items"],
            json!({"$ref": "#/components/schemas/Event_items_items"})
        );
        assert_eq!(
            schemas["Event_items_items"]["properties"]["id"],
            json!({"type": "string"})
        );
    }
}

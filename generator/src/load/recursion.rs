//! `$recursiveRef` (JSON Schema 2019-09) and `$dynamicRef` (2020-12) to the
//! schema that holds them: the recursive structures of 3.1 specs (a tree
//! whose children are trees, a filter whose operands are filters).
//!
//! ```yaml
//! Node:
//!   $recursiveAnchor: true        # or $dynamicAnchor: node
//!   properties:
//!     children: { type: array, items: { $recursiveRef: "#" } }   # or $dynamicRef: "#node"
//! ```
//!
//! Where no schema extends `Node` and rebinds the anchor, the reference is
//! `Node` itself, so it becomes `$ref: "#/components/schemas/Node"`, which
//! the IR boxes like any recursion. The generic pattern, an anchor bound
//! beside the schema's use, is [`super::generics`]; a reference neither
//! binds is read as any JSON value, with a warning (`openapi31`).

use serde_json::{Map, Value};

use crate::diagnostics::child;

/// Rewrites the self-references of every component schema.
pub fn resolve(root: &mut Value) {
    let Some(schemas) = root
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    for (name, schema) in schemas.iter_mut() {
        let Value::Object(map) = schema else {
            continue;
        };
        let recursive = map.get("$recursiveAnchor") == Some(&Value::Bool(true));
        let dynamic = map
            .get("$dynamicAnchor")
            .and_then(Value::as_str)
            .map(|anchor| format!("#{anchor}"));
        if !recursive && dynamic.is_none() {
            continue;
        }
        map.remove("$recursiveAnchor");
        let target = child("#/components/schemas", name);
        for value in map.values_mut() {
            rewrite(value, recursive, dynamic.as_deref(), &target);
        }
    }
}

/// Every `$recursiveRef: "#"` (where the schema is `recursive`) and every
/// `$dynamicRef` to the schema's own anchor below `value`, as a `$ref` to
/// `target`. A nested schema with an anchor of its own starts a scope of
/// its own, which this schema's references do not reach into.
fn rewrite(value: &mut Value, recursive: bool, dynamic: Option<&str>, target: &str) {
    match value {
        Value::Object(map) => {
            if map.contains_key("$recursiveAnchor") || map.contains_key("$dynamicAnchor") {
                return;
            }
            let own = |map: &Map<String, Value>| {
                (recursive && map.get("$recursiveRef").and_then(Value::as_str) == Some("#"))
                    || dynamic
                        .is_some_and(|d| map.get("$dynamicRef").and_then(Value::as_str) == Some(d))
            };
            if own(map) {
                map.remove("$recursiveRef");
                map.remove("$dynamicRef");
                map.insert("$ref".into(), Value::String(target.to_string()));
                return;
            }
            for (key, v) in map.iter_mut() {
                // Data is not schema.
                if !matches!(
                    key.as_str(),
                    "example" | "examples" | "default" | "enum" | "const"
                ) {
                    rewrite(v, recursive, dynamic, target);
                }
            }
        }
        Value::Array(items) => {
            for v in items {
                rewrite(v, recursive, dynamic, target);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_self_reference_is_a_reference_to_the_schema() {
        let mut root = json!({"components": {"schemas": {
            "Node": {
                "$recursiveAnchor": true,
                "type": "object",
                "properties": {
                    "children": {"type": "array", "items": {"$recursiveRef": "#"}},
                    "example": {"example": {"$recursiveRef": "#"}},
                },
            },
            "Filter": {
                "$dynamicAnchor": "filter",
                "anyOf": [{"type": "string"}, {"type": "array", "items": {"$dynamicRef": "#filter"}}],
            },
            "Other": {"items": {"$dynamicRef": "#elsewhere"}},
        }}});
        resolve(&mut root);
        assert_eq!(
            root.pointer("/components/schemas/Node/properties/children/items"),
            Some(&json!({"$ref": "#/components/schemas/Node"}))
        );
        assert_eq!(
            root.pointer("/components/schemas/Node/properties/example/example"),
            Some(&json!({"$recursiveRef": "#"})),
            "data stays as written"
        );
        assert_eq!(
            root.pointer("/components/schemas/Node/$recursiveAnchor"),
            None
        );
        assert_eq!(
            root.pointer("/components/schemas/Filter/anyOf/1/items"),
            Some(&json!({"$ref": "#/components/schemas/Filter"}))
        );
        assert_eq!(
            root.pointer("/components/schemas/Other/items"),
            Some(&json!({"$dynamicRef": "#elsewhere"})),
            "an anchor nothing declares is left for the normaliser to report"
        );
    }
}

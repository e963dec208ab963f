//! A walk over the *structure* of a document: every object that is part of
//! the OpenAPI model, skipping values that are data (examples, defaults,
//! enum and const values, `x-*` extensions). A `$ref` key inside data is a
//! value like any other, not a reference (published specs put `$ref` into
//! example payloads and into `x-codeSamples`).

use serde_json::{Map, Value};

use crate::diagnostics::child;

/// Maps whose keys are names chosen by the author, not keywords: a property
/// called `example` or a response called `default` is structure.
const NAME_MAPS: &[&str] = &[
    "properties",
    "paths",
    "responses",
    "schemas",
    "parameters",
    "headers",
    "content",
    "callbacks",
    "links",
    "securitySchemes",
    "requestBodies",
    "mapping",
    "webhooks",
    "variables",
    "encoding",
    "scopes",
    "patternProperties",
    "definitions",
    "$defs",
];

/// The HTTP methods a path item may hold an operation for.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The `{name}`s of a path template, in order.
pub fn template_variables(path: &str) -> Vec<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
}

/// Keys whose values are data wherever they are keywords.
fn is_data_key(key: &str) -> bool {
    matches!(key, "example" | "default" | "enum" | "const") || key.starts_with("x-")
}

/// Calls `visit` on every structural object, parents before children.
pub fn structure(root: &Value, visit: &mut dyn FnMut(&Map<String, Value>, &str)) {
    walk(root, "#", false, visit);
}

fn walk(
    value: &Value,
    pointer: &str,
    names: bool,
    visit: &mut dyn FnMut(&Map<String, Value>, &str),
) {
    match value {
        Value::Object(map) => {
            if !names {
                visit(map, pointer);
            }
            for (key, v) in map {
                let p = child(pointer, key);
                if names {
                    walk(v, &p, false, visit);
                } else if key == "examples" {
                    examples(v, &p, visit);
                } else if !is_data_key(key) {
                    walk(v, &p, NAME_MAPS.contains(&key.as_str()), visit);
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                walk(v, &child(pointer, &i.to_string()), false, visit);
            }
        }
        _ => {}
    }
}

/// `examples`: a map of Example Objects (whose `value` is data) or, in a
/// schema, an array of data.
fn examples(value: &Value, pointer: &str, visit: &mut dyn FnMut(&Map<String, Value>, &str)) {
    let Value::Object(entries) = value else {
        return;
    };
    for (name, entry) in entries {
        if let Value::Object(example) = entry {
            visit(example, &child(pointer, name));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs(doc: Value) -> Vec<String> {
        let mut out = Vec::new();
        structure(&doc, &mut |map, pointer| {
            if map.contains_key("$ref") {
                out.push(pointer.to_string());
            }
        });
        out
    }

    #[test]
    fn references_in_data_are_not_visited() {
        let doc = serde_json::json!({
            "paths": {"/a": {"get": {"responses": {"default": {"$ref": "#/r"}}, "x-codeSamples": [{"$ref": "a.cs"}]}}},
            "components": {"schemas": {"A": {
                "example": {"$ref": "data"},
                "default": {"$ref": "data"},
                "properties": {"example": {"$ref": "#/s"}, "x-name": {"$ref": "#/t"}},
            }}, "examples": {"E": {"$ref": "#/e"}, "F": {"value": {"$ref": "data"}}}},
        });
        assert_eq!(
            refs(doc),
            vec![
                "#/paths/~1a/get/responses/default",
                "#/components/schemas/A/properties/example",
                "#/components/schemas/A/properties/x-name",
                "#/components/examples/E",
            ]
        );
    }
}

//! A check of every schema's keywords for the JSON kind they must have,
//! before the document model reads them. openapiv3 reads a schema through
//! untagged enums, which retry a whole subtree for each alternative: a
//! defect deep in a nested schema costs time exponential in its depth (the
//! fuzzer found a spec of 50 levels that did not finish). Checked here
//! first, each defect is one error at its exact place, at linear cost.

use serde_json::{Map, Value};

use crate::diagnostics::child;

/// Deeper nesting than any real spec uses, and still quick to read.
pub const MAX_DEPTH: usize = 64;

/// `(pointer, message)` of each defect.
pub fn check(root: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Some(schemas) = root
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    {
        for (name, schema) in schemas {
            let p = child("#/components/schemas", name);
            schema_at(schema, &p, 0, &mut out);
        }
    }
    super::walk::structure(root, &mut |map, pointer| {
        if pointer.starts_with("#/components/schemas") {
            return;
        }
        if let Some(schema) = map.get("schema") {
            schema_at(schema, &child(pointer, "schema"), 0, &mut out);
        }
    });
    out
}

fn schema_at(value: &Value, pointer: &str, depth: usize, out: &mut Vec<(String, String)>) {
    if depth > MAX_DEPTH {
        out.push((
            pointer.to_string(),
            format!("schemas nest more than {MAX_DEPTH} levels deep here"),
        ));
        return;
    }
    let Value::Object(map) = value else {
        out.push((
            pointer.to_string(),
            format!("a schema must be an object, not {}", kind(value)),
        ));
        return;
    };
    for (key, v) in map {
        let p = child(pointer, key);
        let expected = match key.as_str() {
            "$ref" | "type" | "format" | "title" | "description" | "pattern" => {
                v.is_string().then_some(()).ok_or("a string")
            }
            "nullable" | "readOnly" | "writeOnly" | "deprecated" | "uniqueItems"
            | "exclusiveMinimum" | "exclusiveMaximum" => {
                v.is_boolean().then_some(()).ok_or("a boolean")
            }
            "minimum" | "maximum" | "multipleOf" => v.is_number().then_some(()).ok_or("a number"),
            "minLength" | "maxLength" | "minItems" | "maxItems" | "minProperties"
            | "maxProperties" => v.is_u64().then_some(()).ok_or("a non-negative integer"),
            "enum" => v.is_array().then_some(()).ok_or("an array"),
            "required" => match v.as_array() {
                Some(items) if items.iter().all(Value::is_string) => Ok(()),
                _ => Err("an array of property names"),
            },
            "items" | "not" => {
                schema_at(v, &p, depth + 1, out);
                Ok(())
            }
            "additionalProperties" => {
                if !v.is_boolean() {
                    schema_at(v, &p, depth + 1, out);
                }
                Ok(())
            }
            "properties" => match v {
                Value::Object(properties) => {
                    each(properties, &p, depth, out);
                    Ok(())
                }
                _ => Err("an object of schemas"),
            },
            "allOf" | "anyOf" | "oneOf" => match v.as_array() {
                Some(parts) => {
                    for (i, part) in parts.iter().enumerate() {
                        schema_at(part, &child(&p, &i.to_string()), depth + 1, out);
                    }
                    Ok(())
                }
                None => Err("an array of schemas"),
            },
            _ => Ok(()),
        };
        if let Err(expected) = expected {
            out.push((p, format!("`{key}` must be {expected}, not {}", kind(v))));
        }
    }
}

fn each(
    properties: &Map<String, Value>,
    pointer: &str,
    depth: usize,
    out: &mut Vec<(String, String)>,
) {
    for (name, schema) in properties {
        schema_at(schema, &child(pointer, name), depth + 1, out);
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn defects_are_found_at_their_place() {
        let doc = json!({
            "components": {"schemas": {"A": {"type": "object", "properties": {
                "x": {"type": "array", "items": "aaa"},
                "y": {"type": 5, "required": true, "minLength": -1},
            }}}},
            "paths": {"/a": {"get": {"parameters": [{"name": "q", "in": "query", "schema": []}]}}},
        });
        let found: Vec<String> = check(&doc)
            .into_iter()
            .map(|(p, m)| format!("{p}: {m}"))
            .collect();
        assert_eq!(
            found,
            [
                "#/components/schemas/A/properties/x/items: a schema must be an object, not a string",
                "#/components/schemas/A/properties/y/type: `type` must be a string, not a number",
                "#/components/schemas/A/properties/y/required: `required` must be an array of property names, not a boolean",
                "#/components/schemas/A/properties/y/minLength: `minLength` must be a non-negative integer, not a number",
                "#/paths/~1a/get/parameters/0/schema: a schema must be an object, not an array",
            ]
        );
    }

    #[test]
    fn nesting_is_bounded() {
        let mut schema = json!({"type": "string"});
        for _ in 0..=MAX_DEPTH {
            schema = json!({"type": "array", "items": schema});
        }
        let doc = json!({"components": {"schemas": {"Deep": schema}}});
        assert_eq!(check(&doc).len(), 1);
    }
}

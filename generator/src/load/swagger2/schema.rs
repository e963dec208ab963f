//! Swagger 2.0 schemas and parameter types in their OpenAPI 3.0 spelling.
//!
//! A 2.0 Schema Object is nearly a 3.0 one. What differs: nullability is
//! the vendor extension `x-nullable` (`x-isnullable` in go-swagger's
//! specs), `discriminator` is the name of the property alone, and
//! `type: file` stands for raw bytes.

use serde_json::{json, Map, Value};

/// Keywords that hold a schema.
const SCHEMA_KEYS: &[&str] = &["items", "additionalProperties", "not"];
/// Keywords that hold a list of schemas.
const SCHEMA_LISTS: &[&str] = &["allOf", "anyOf", "oneOf"];

/// Rewrites a schema and every schema below it.
pub fn schema(value: &mut Value) {
    let Value::Object(map) = value else {
        return;
    };
    for key in ["x-nullable", "x-isnullable"] {
        if let Some(flag) = map.remove(key) {
            if flag == Value::Bool(true) {
                map.insert("nullable".into(), Value::Bool(true));
            }
        }
    }
    if let Some(Value::String(property)) = map.get("discriminator") {
        let property = property.clone();
        map.insert("discriminator".into(), json!({ "propertyName": property }));
    }
    file_type(map);
    for key in SCHEMA_KEYS {
        if let Some(sub) = map.get_mut(*key) {
            schema(sub);
        }
    }
    for key in SCHEMA_LISTS {
        if let Some(Value::Array(items)) = map.get_mut(*key) {
            items.iter_mut().for_each(schema);
        }
    }
    if let Some(Value::Object(properties)) = map.get_mut("properties") {
        properties.values_mut().for_each(schema);
    }
}

/// `type: file` is a body of raw bytes: `format: binary` in 3.0.
pub fn file_type(map: &mut Map<String, Value>) {
    if map.get("type").and_then(Value::as_str) == Some("file") {
        map.insert("type".into(), json!("string"));
        map.insert("format".into(), json!("binary"));
    }
}

/// The keywords of a non-body parameter, a header or an Items Object that
/// describe its value: they make up its 3.0 `schema`.
const VALUE_KEYS: &[&str] = &[
    "type",
    "format",
    "items",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
    "x-nullable",
    "x-isnullable",
];

/// Moves the value keywords of a parameter or header out of `map` into the
/// schema they make up (`collectionFormat` stays behind, for the caller).
/// Nested `items` become schemas too; what their own `collectionFormat`
/// said is returned, outermost first, for the caller to judge.
pub fn value_schema(map: &mut Map<String, Value>) -> (Value, Vec<String>) {
    let mut schema_map = Map::new();
    for key in VALUE_KEYS {
        if let Some(v) = map.remove(*key) {
            schema_map.insert((*key).to_string(), v);
        }
    }
    let mut nested = Vec::new();
    let mut at = &mut schema_map;
    while let Some(Value::Object(items)) = at.get_mut("items") {
        if let Some(Value::String(format)) = items.remove("collectionFormat") {
            nested.push(format);
        }
        at = items;
    }
    let mut value = Value::Object(schema_map);
    schema(&mut value);
    (value, nested)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nullable_discriminator_and_file_are_spelled_as_in_3_0() {
        let mut value = json!({
            "type": "object",
            "discriminator": "kind",
            "properties": {
                "name": {"type": "string", "x-nullable": true},
                "tags": {"type": "array", "items": {"type": "string", "x-isnullable": false}},
                "data": {"type": "file"},
            },
        });
        schema(&mut value);
        assert_eq!(
            value,
            json!({
                "type": "object",
                "discriminator": {"propertyName": "kind"},
                "properties": {
                    "name": {"type": "string", "nullable": true},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "data": {"type": "string", "format": "binary"},
                },
            })
        );
    }

    #[test]
    fn the_value_keywords_of_a_parameter_make_its_schema() {
        let mut param = json!({
            "name": "ids", "in": "query", "type": "array", "collectionFormat": "csv",
            "items": {"type": "integer", "format": "int64", "collectionFormat": "pipes", "minimum": 1},
        });
        let (schema, nested) = value_schema(param.as_object_mut().unwrap());
        assert_eq!(
            schema,
            json!({"type": "array", "items": {"type": "integer", "format": "int64", "minimum": 1}})
        );
        assert_eq!(nested, vec!["pipes".to_string()]);
        assert_eq!(
            param,
            json!({"name": "ids", "in": "query", "collectionFormat": "csv"})
        );
    }
}

//! The schemas of a 3.1 document, keyword by keyword, in their 3.0
//! spelling (see the parent module for the rules).

use serde_json::{json, Map, Value};

use super::{Findings, DEFAULT_DIALECT};
use crate::diagnostics::child;

/// Keywords that hold one schema.
const ONE_SCHEMA: &[&str] = &[
    "items",
    "not",
    "additionalProperties",
    "contains",
    "if",
    "then",
    "else",
    "unevaluatedItems",
    "unevaluatedProperties",
    "propertyNames",
];

/// Keywords that hold a map of schemas.
const SCHEMA_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "dependentSchemas",
];

/// Keywords that hold a list of schemas.
const SCHEMA_LISTS: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems"];

/// Keywords that only narrow which documents are valid. Ignoring them makes
/// the generated code accept a superset of the valid documents and read every
/// valid one as the spec means.
const NARROWING: &[&str] = &[
    "if",
    "then",
    "else",
    "dependentSchemas",
    "dependentRequired",
    "contains",
    "minContains",
    "maxContains",
    "propertyNames",
];

/// Keywords of no meaning to the generated code.
const INERT: &[&str] = &[
    "$comment",
    "$anchor",
    "$dynamicAnchor",
    "$recursiveAnchor",
    "$id",
    "$schema",
];

pub(super) fn normalise_schema(
    value: &mut Value,
    pointer: &str,
    depth: usize,
    found: &mut Findings,
) {
    if depth > super::super::schema_shape::MAX_DEPTH {
        return; // the shape check reports it
    }
    if let Value::Bool(admits) = value {
        // `true` admits anything, which is 3.0's `{}`. `false` admits
        // nothing: no value of any type, and no Rust type stands for that.
        if !*admits {
            found.degrade(
                pointer.to_string(),
                "the schema `false` admits no value, which no Rust type stands for; read as any JSON value",
            );
        }
        *value = json!({});
        return;
    }
    let Value::Object(map) = value else {
        return;
    };
    for (key, v) in map.iter_mut() {
        let p = child(pointer, key);
        if ONE_SCHEMA.contains(&key.as_str()) {
            let takes_boolean = matches!(
                key.as_str(),
                "additionalProperties" | "unevaluatedProperties" | "unevaluatedItems"
            );
            if !(takes_boolean && v.is_boolean()) {
                normalise_schema(v, &p, depth + 1, found);
            }
        } else if SCHEMA_MAPS.contains(&key.as_str()) {
            if let Value::Object(entries) = v {
                for (name, schema) in entries.iter_mut() {
                    normalise_schema(schema, &child(&p, name), depth + 1, found);
                }
            }
        } else if SCHEMA_LISTS.contains(&key.as_str()) {
            if let Value::Array(parts) = v {
                for (i, part) in parts.iter_mut().enumerate() {
                    normalise_schema(part, &child(&p, &i.to_string()), depth + 1, found);
                }
            }
        }
    }
    keywords(map, pointer, found);
    types(map, pointer, found);
    constant(map);
    examples(map);
    bounds(map, "exclusiveMinimum", "minimum", |new, old| new >= old);
    bounds(map, "exclusiveMaximum", "maximum", |new, old| new <= old);
    content(map);
    null_alternative(map, "anyOf");
    null_alternative(map, "oneOf");
    documented_enum(map, "oneOf");
    documented_enum(map, "anyOf");
    schema_reference(map);
}

/// `oneOf: [{const: a, description: …}, …]` is how 3.1 documents each value
/// of an enum: 3.0's `enum: [a, …]`, with the descriptions kept in
/// `x-enum-descriptions` (one per value, in order) for the variants' docs.
fn documented_enum(map: &mut Map<String, Value>, keyword: &str) {
    let Some(Value::Array(parts)) = map.get(keyword) else {
        return;
    };
    let mut values = Vec::new();
    let mut descriptions = Vec::new();
    let mut typ = map.get("type").cloned();
    for part in parts {
        let Some(part) = part.as_object() else {
            return;
        };
        let only_value = part
            .keys()
            .all(|k| matches!(k.as_str(), "enum" | "type" | "description" | "title"));
        let Some([value]) = part
            .get("enum")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
        else {
            return;
        };
        if !only_value || value.is_null() || value.is_object() || value.is_array() {
            return;
        }
        match (&typ, part.get("type")) {
            (Some(outer), Some(inner)) if outer != inner => return,
            (None, Some(inner)) => typ = Some(inner.clone()),
            _ => {}
        }
        values.push(value.clone());
        let text = |k: &str| part.get(k).and_then(Value::as_str).map(str::to_string);
        descriptions.push(
            text("description")
                .or_else(|| text("title"))
                .unwrap_or_default(),
        );
    }
    map.remove(keyword);
    if let Some(typ) = typ {
        map.insert("type".into(), typ);
    }
    map.insert("enum".into(), Value::Array(values));
    if descriptions.iter().any(|d| !d.is_empty()) {
        map.insert("x-enum-descriptions".into(), json!(descriptions));
    }
}

/// Keywords with no 3.0 counterpart: refused, ignored with a warning, or
/// (for annotations and identifiers nothing refers to) dropped.
fn keywords(map: &mut Map<String, Value>, pointer: &str, found: &mut Findings) {
    let keys: Vec<String> = map.keys().cloned().collect();
    for key in keys {
        let p = child(pointer, &key);
        match key.as_str() {
            "prefixItems" => {
                // `items` beside it is the schema of the items after them.
                map.remove("items");
                map.remove(&key);
                found.degrade(p, "`prefixItems` (a tuple) has no Rust type here; the array's items are read as any JSON value");
            }
            "$dynamicRef" | "$recursiveRef" => {
                map.remove(&key);
                found.degrade(p, format!("`{key}` that no anchor in its schema or beside its use binds; read as any JSON value"));
            }
            "unevaluatedProperties" | "unevaluatedItems" => match map.get(&key) {
                // Allows what nothing else evaluates: says nothing.
                Some(Value::Bool(true)) => {
                    map.remove(&key);
                }
                _ => unevaluated(map, &key, p, found),
            },
            k if NARROWING.contains(&k) => {
                found.degrade(p, format!("`{key}` ignored: it only narrows which documents are valid, so the generated code accepts every valid one"));
                map.remove(&key);
            }
            "$schema" => {
                if map.get(&key).and_then(Value::as_str) != Some(DEFAULT_DIALECT) {
                    found.refuse(
                        p,
                        "not supported: a schema in another JSON Schema dialect than OpenAPI 3.1's",
                    );
                }
                map.remove(&key);
            }
            k if INERT.contains(&k) => {
                map.remove(&key);
            }
            _ => {}
        }
    }
}

/// `unevaluatedProperties` (or `unevaluatedItems`) with a schema. Where no
/// other keyword evaluates members (items), it means what
/// `additionalProperties` (`items`) means, and becomes it. Otherwise the
/// members it describes are kept as any JSON value (`additionalProperties:
/// true`), or the items read as any JSON value, with a warning.
fn unevaluated(map: &mut Map<String, Value>, key: &str, pointer: String, found: &mut Findings) {
    let Some(schema) = map.remove(key) else {
        return;
    };
    let (plain, evaluating): (&str, &[&str]) = match key {
        "unevaluatedProperties" => (
            "additionalProperties",
            &[
                "additionalProperties",
                "patternProperties",
                "allOf",
                "anyOf",
                "oneOf",
            ],
        ),
        _ => (
            "items",
            &[
                "items",
                "prefixItems",
                "contains",
                "allOf",
                "anyOf",
                "oneOf",
            ],
        ),
    };
    if !evaluating.iter().any(|k| map.contains_key(*k)) {
        map.insert(plain.into(), schema);
        return;
    }
    if schema == Value::Bool(false) {
        found.degrade(
            pointer,
            format!("`{key}: false` beside keywords that evaluate members or items of their own: not enforced, so the generated code accepts every valid document"),
        );
        return;
    }
    if key == "unevaluatedProperties" && !map.contains_key("additionalProperties") {
        map.insert("additionalProperties".into(), Value::Bool(true));
    }
    found.degrade(
        pointer,
        format!("`{key}` with a schema beside keywords that evaluate members or items of their own: what it describes is kept as any JSON value"),
    );
}

/// `type: [T, "null"]` is 3.0's `type: T, nullable: true`; `type: [T]` is
/// `type: T`. Several types other than null become an `anyOf` of one schema
/// per type, each with the keywords that apply to it.
fn types(map: &mut Map<String, Value>, pointer: &str, found: &mut Findings) {
    let names: Vec<String> = match map.get("type") {
        Some(Value::String(t)) => vec![t.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|t| t.as_str().map(str::to_string))
            .collect(),
        _ => return,
    };
    let nullable = names.iter().any(|t| t == "null");
    let mut others: Vec<String> = names.into_iter().filter(|t| t != "null").collect();
    others.dedup();
    if nullable {
        map.insert("nullable".into(), Value::Bool(true));
    }
    match others.as_slice() {
        [] => {
            // Only null; as an alternative of `anyOf` it is folded into
            // `nullable` of the parent (`null_alternative`).
            map.remove("type");
            map.insert("enum".into(), json!([null]));
        }
        [one] => {
            map.insert("type".into(), Value::String(one.clone()));
        }
        many => {
            if map.contains_key("anyOf") || map.contains_key("oneOf") {
                map.remove("type");
                found.degrade(
                    child(pointer, "type"),
                    "several types beside `anyOf` or `oneOf`: the types are not checked, the union is",
                );
                return;
            }
            map.remove("type");
            let parts = many.iter().map(|t| split_off(map, t)).collect();
            for key in TYPED.iter().flat_map(|(_, keys)| keys.iter()) {
                map.remove(*key);
            }
            map.insert("anyOf".into(), Value::Array(parts));
        }
    }
}

/// The keywords that apply to values of one JSON type.
const TYPED: &[(&str, &[&str])] = &[
    (
        "string",
        &[
            "minLength",
            "maxLength",
            "pattern",
            "contentEncoding",
            "contentMediaType",
        ],
    ),
    (
        "number",
        &[
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
        ],
    ),
    ("array", &["items", "minItems", "maxItems", "uniqueItems"]),
    (
        "object",
        &[
            "properties",
            "required",
            "additionalProperties",
            "minProperties",
            "maxProperties",
        ],
    ),
];

/// The schema of one alternative of a `type` list.
fn split_off(map: &Map<String, Value>, typ: &str) -> Value {
    let family = if typ == "integer" { "number" } else { typ };
    let mut part = Map::new();
    part.insert("type".into(), json!(typ));
    for (owner, keys) in TYPED {
        if *owner == family {
            for key in *keys {
                if let Some(v) = map.get(*key) {
                    part.insert((*key).into(), v.clone());
                }
            }
        }
    }
    if let Some(format) = map.get("format").and_then(Value::as_str) {
        let numeric = matches!(format, "int32" | "int64" | "float" | "double");
        if numeric == (family == "number") {
            part.insert("format".into(), json!(format));
        }
    }
    if let Some(Value::Array(values)) = map.get("enum") {
        let of_type: Vec<Value> = values
            .iter()
            .filter(|v| json_type_matches(v, typ))
            .cloned()
            .collect();
        part.insert("enum".into(), Value::Array(of_type));
    }
    Value::Object(part)
}

fn json_type_matches(value: &Value, typ: &str) -> bool {
    match typ {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => false,
    }
}

/// `const: v` is `enum: [v]`; the type follows from the value when the
/// schema does not give one.
fn constant(map: &mut Map<String, Value>) {
    let Some(value) = map.remove("const") else {
        return;
    };
    if !map.contains_key("type") {
        let typ = match &value {
            Value::String(_) => Some("string"),
            Value::Bool(_) => Some("boolean"),
            Value::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
            Value::Number(_) => Some("number"),
            _ => None,
        };
        if let Some(typ) = typ {
            map.insert("type".into(), json!(typ));
        }
    }
    if value.is_null() {
        map.insert("nullable".into(), Value::Bool(true));
    }
    map.insert("enum".into(), json!([value]));
}

/// A schema's `examples` is a list; 3.0 has one `example`.
fn examples(map: &mut Map<String, Value>) {
    if !matches!(map.get("examples"), Some(Value::Array(_))) {
        return;
    }
    if let Some(Value::Array(mut list)) = map.remove("examples") {
        if !map.contains_key("example") && !list.is_empty() {
            map.insert("example".into(), list.swap_remove(0));
        }
    }
}

/// A numeric `exclusiveMinimum` (2020-12) is 3.0's `minimum` with
/// `exclusiveMinimum: true`; beside a `minimum`, the stricter bound holds.
fn bounds(
    map: &mut Map<String, Value>,
    exclusive: &str,
    inclusive: &str,
    stricter: fn(f64, f64) -> bool,
) {
    let Some(bound) = map.get(exclusive).and_then(Value::as_f64) else {
        return;
    };
    let value = map.remove(exclusive).unwrap_or(Value::Null);
    let takes_over = match map.get(inclusive).and_then(Value::as_f64) {
        Some(old) => stricter(bound, old),
        None => true,
    };
    if takes_over {
        map.insert(inclusive.into(), value);
        map.insert(exclusive.into(), Value::Bool(true));
    }
}

/// `contentEncoding: base64` is 3.0's `format: byte`; a string with a
/// `contentMediaType` and no encoding is raw content, 3.0's `format: binary`.
fn content(map: &mut Map<String, Value>) {
    let encoding = map.remove("contentEncoding");
    let media = map.remove("contentMediaType");
    if map.contains_key("format") {
        return;
    }
    match encoding.as_ref().and_then(Value::as_str) {
        Some("base64") => {
            map.insert("format".into(), json!("byte"));
        }
        Some(_) => {}
        None if media.is_some() => {
            map.insert("format".into(), json!("binary"));
        }
        None => {}
    }
}

fn is_null_schema(value: &Value) -> bool {
    let Some(map) = value.as_object() else {
        return false;
    };
    let null_type = match map.get("type") {
        Some(Value::String(t)) => t == "null",
        _ => false,
    };
    let null_enum =
        map.get("enum") == Some(&json!([null])) && map.get("nullable") == Some(&json!(true));
    (null_type || null_enum)
        && map.keys().all(|k| {
            matches!(
                k.as_str(),
                "type" | "enum" | "nullable" | "description" | "title"
            )
        })
}

/// `anyOf: [X, {type: "null"}]` is X with `nullable: true`: written as
/// `allOf: [X]` when X is a reference (the 3.0 way to give a reference
/// siblings), or X's keywords merged in when it is written in place.
fn null_alternative(map: &mut Map<String, Value>, keyword: &str) {
    let Some(Value::Array(parts)) = map.get(keyword) else {
        return;
    };
    if !parts.iter().any(is_null_schema) {
        return;
    }
    let Some(Value::Array(parts)) = map.remove(keyword) else {
        return;
    };
    let rest: Vec<Value> = parts.into_iter().filter(|p| !is_null_schema(p)).collect();
    map.insert("nullable".into(), Value::Bool(true));
    match <[Value; 1]>::try_from(rest) {
        Ok([Value::Object(only)]) if only.contains_key("$ref") || has_clash(map, &only) => {
            map.insert("allOf".into(), json!([only]));
        }
        Ok([Value::Object(only)]) => {
            for (k, v) in only {
                map.insert(k, v);
            }
        }
        Ok([other]) => {
            map.insert("allOf".into(), json!([other]));
        }
        Err(rest) if rest.is_empty() => {
            map.insert("enum".into(), json!([null]));
        }
        Err(rest) => {
            map.insert(keyword.into(), Value::Array(rest));
        }
    }
}

/// Whether merging `part` into `map` would overwrite one of map's keywords.
fn has_clash(map: &Map<String, Value>, part: &Map<String, Value>) -> bool {
    part.keys()
        .any(|k| map.contains_key(k) && k != "nullable" && k != "description" && k != "title")
}

/// In 3.1 a schema's `$ref` applies together with its siblings (in 3.0 they
/// are ignored). `allOf: [{$ref}]` with the siblings beside it says the
/// same in 3.0.
fn schema_reference(map: &mut Map<String, Value>) {
    if map.len() < 2 || !map.contains_key("$ref") {
        return;
    }
    if let Some(reference) = map.remove("$ref") {
        let part = json!({ "$ref": reference });
        match map.get_mut("allOf") {
            Some(Value::Array(parts)) => parts.insert(0, part),
            _ => {
                map.insert("allOf".into(), json!([part]));
            }
        }
    }
}

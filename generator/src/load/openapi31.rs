//! OpenAPI 3.1 → the 3.0 document model, in the load stage.
//!
//! openapiv3 reads 3.0 only, and no well-kept Rust crate reads 3.1 into a
//! model the rest of the pipeline could share (openapiv3_1 and oas3 each
//! bring a second model that every later stage would have to learn). 3.1
//! differs from 3.0 mostly in how a schema is *spelled* — JSON Schema 2020-12
//! instead of 3.0's dialect — and nearly every 2020-12 spelling has an exact
//! 3.0 counterpart. So a 3.1 document is rewritten in place into that
//! counterpart, and everything after loading sees one kind of document.
//!
//! Each rewrite keeps the meaning for every valid document. A keyword with no
//! counterpart is either ignored with a warning, when it only narrows which
//! documents are valid (the generated code then accepts a superset, and
//! reads every valid document correctly), or refused by name at its pointer.
//! Rewrites work children first, so that the pointer of a diagnostic is the
//! place in the source, before a parent moved anything.

use serde_json::{json, Map, Value};

use crate::diagnostics::{child, Unsupported};

/// The one dialect 3.1 schemas are read in.
pub const DEFAULT_DIALECT: &str = "https://spec.openapis.org/oas/3.1/dialect/base";

/// Whether `version` (the `openapi` field) is 3.1.
pub fn is_31(version: &str) -> bool {
    version == "3.1" || version.starts_with("3.1.")
}

/// What the rewrite found: `(pointer, message)` pairs.
#[derive(Debug, Default)]
pub struct Findings {
    pub warnings: Vec<(String, String)>,
    /// Constructs generated looser than written (see
    /// [`crate::Diagnostic::is_degraded`]).
    pub degraded: Vec<(String, String)>,
    /// With the class of construct refused; `None` for a plain error.
    pub errors: Vec<(String, String, Option<Unsupported>)>,
}

impl Findings {
    pub(super) fn warn(&mut self, pointer: String, message: impl Into<String>) {
        self.warnings.push((pointer, message.into()));
    }

    /// A schema construct with no mapping, read as a looser schema that
    /// admits every value it does.
    fn degrade(&mut self, pointer: String, message: impl Into<String>) {
        self.degraded.push((pointer, message.into()));
    }

    /// A schema construct that has no mapping.
    fn refuse(&mut self, pointer: String, message: impl Into<String>) {
        self.refuse_as(pointer, message, Some(Unsupported::Schema));
    }

    fn refuse_as(
        &mut self,
        pointer: String,
        message: impl Into<String>,
        class: Option<Unsupported>,
    ) {
        self.errors.push((pointer, message.into(), class));
    }
}

/// Rewrites a 3.1 document into its 3.0 form.
pub fn normalise(root: &mut Value) -> Findings {
    let mut found = Findings::default();
    let Some(doc) = root.as_object_mut() else {
        return found;
    };
    if let Some(dialect) = doc.get("jsonSchemaDialect") {
        if dialect.as_str() != Some(DEFAULT_DIALECT) {
            found.refuse_as(
                "#/jsonSchemaDialect".to_string(),
                format!("not supported: the JSON Schema dialect {dialect} (only the default, {DEFAULT_DIALECT}, is)"),
                Some(Unsupported::OpenApiVersion),
            );
        }
    }
    info(doc);
    mutual_tls(doc, &mut found);
    doc.entry("paths").or_insert_with(|| json!({}));
    path_items(doc, &mut found);
    // Self-references first: a schema that refers to its own anchor is
    // no generic to specialise.
    super::recursion::resolve(root);
    super::generics::specialise(root, &mut found);
    for pointer in schema_roots(root) {
        let path = crate::diagnostics::unescape_pointer(&pointer);
        if let Some(schema) = root.pointer_mut(&path) {
            normalise_schema(schema, &pointer, 0, &mut found);
        }
    }
    found
}

/// `info.summary` has no place in 3.0's Info: it leads the description, so
/// that the crates' documentation still carries it. `license.identifier`
/// (an SPDX expression) becomes the license's URL when there is none.
fn info(doc: &mut Map<String, Value>) {
    let Some(info) = doc.get_mut("info").and_then(Value::as_object_mut) else {
        return;
    };
    if let Some(Value::String(summary)) = info.remove("summary") {
        let description = match info.get("description").and_then(Value::as_str) {
            Some(d) if !d.trim().is_empty() => format!("{summary}\n\n{d}"),
            _ => summary,
        };
        info.insert("description".into(), Value::String(description));
    }
    if let Some(license) = info.get_mut("license").and_then(Value::as_object_mut) {
        if let Some(Value::String(id)) = license.remove("identifier") {
            license
                .entry("url")
                .or_insert_with(|| json!(format!("https://spdx.org/licenses/{id}.html")));
        }
    }
}

/// `mutualTLS` (3.1) is a client certificate, which the TLS layer checks,
/// outside the code generated here; refused by name rather than ignored,
/// since ignoring it would serve the operations without it.
fn mutual_tls(doc: &Map<String, Value>, found: &mut Findings) {
    let schemes = doc
        .get("components")
        .and_then(|c| c.get("securitySchemes"))
        .and_then(Value::as_object);
    for (name, scheme) in schemes.into_iter().flatten() {
        if scheme.get("type").and_then(Value::as_str) == Some("mutualTLS") {
            let pointer = child(&child("#/components/securitySchemes", name), "type");
            found.refuse_as(
                pointer,
                "not supported: the security scheme type `mutualTLS` (client certificates are checked by the TLS layer, outside the generated code)",
                Some(Unsupported::Security),
            );
        }
    }
}

/// `components/pathItems` has no 3.0 counterpart: each reference to one is
/// replaced by the path item itself, as if it had been written in place.
fn path_items(doc: &mut Map<String, Value>, found: &mut Findings) {
    let items = doc
        .get_mut("components")
        .and_then(Value::as_object_mut)
        .and_then(|c| c.remove("pathItems"));
    let items = match items {
        Some(Value::Object(items)) => items,
        _ => Map::new(),
    };
    for section in ["paths", "webhooks"] {
        let Some(entries) = doc.get_mut(section).and_then(Value::as_object_mut) else {
            continue;
        };
        for (name, entry) in entries.iter_mut() {
            let Some(target) = entry.get("$ref").and_then(Value::as_str) else {
                continue;
            };
            let Some(key) = target.strip_prefix("#/components/pathItems/") else {
                continue;
            };
            let key = crate::diagnostics::unescape_token(key);
            let pointer = child(&child(&child("#", section), name), "$ref");
            match items.get(&key) {
                Some(item) if item.get("$ref").is_none() => {
                    // `summary` and `description` beside the reference win.
                    let mut item = item.clone();
                    if let (Some(item), Some(own)) = (item.as_object_mut(), entry.as_object()) {
                        for key in ["summary", "description"] {
                            if let Some(v) = own.get(key) {
                                item.insert(key.into(), v.clone());
                            }
                        }
                    }
                    *entry = item;
                }
                Some(_) => found.refuse(
                    pointer,
                    format!("not supported: the path item `{key}` is itself a reference"),
                ),
                None => found.refuse_as(
                    pointer,
                    format!("no path item `{key}` in the components"),
                    None,
                ),
            }
        }
    }
}

/// Where schemas start: each component schema and every `schema` of a
/// parameter, header or media type.
fn schema_roots(root: &Value) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(schemas) = root
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    {
        out.extend(
            schemas
                .keys()
                .map(|name| child("#/components/schemas", name)),
        );
    }
    super::walk::structure(root, &mut |map, pointer| {
        if pointer.starts_with("#/components/schemas") {
            return;
        }
        if map.contains_key("schema") {
            out.push(child(pointer, "schema"));
        }
    });
    out
}

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

fn normalise_schema(value: &mut Value, pointer: &str, depth: usize, found: &mut Findings) {
    if depth > super::schema_shape::MAX_DEPTH {
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
                Some(Value::Bool(_)) => {
                    found.warn(
                        p,
                        format!("`{key}` ignored: it only narrows which documents are valid"),
                    );
                    map.remove(&key);
                }
                _ => unevaluated(map, &key, p, found),
            },
            k if NARROWING.contains(&k) => {
                found.warn(p, format!("`{key}` ignored: it only narrows which documents are valid, so the generated code accepts every valid one"));
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

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(value: Value) -> (Value, Findings) {
        let mut doc = json!({"openapi": "3.1.0", "components": {"schemas": {"S": value}}});
        let found = normalise(&mut doc);
        (doc["components"]["schemas"]["S"].clone(), found)
    }

    #[test]
    fn type_lists_become_nullable_or_alternatives() {
        let (s, _) = schema(json!({"type": ["string", "null"], "maxLength": 3}));
        assert_eq!(
            s,
            json!({"type": "string", "nullable": true, "maxLength": 3})
        );
        let (s, _) = schema(json!({"type": ["integer", "string"], "minimum": 1, "pattern": "^a"}));
        assert_eq!(
            s,
            json!({"anyOf": [{"type": "integer", "minimum": 1}, {"type": "string", "pattern": "^a"}]})
        );
    }

    #[test]
    fn const_examples_and_numeric_bounds() {
        let (s, _) = schema(json!({"const": 7, "examples": [7, 8]}));
        assert_eq!(s, json!({"type": "integer", "enum": [7], "example": 7}));
        let (s, _) = schema(
            json!({"type": "number", "minimum": 0, "exclusiveMinimum": 1, "exclusiveMaximum": 9}),
        );
        assert_eq!(
            s,
            json!({"type": "number", "minimum": 1, "exclusiveMinimum": true, "maximum": 9, "exclusiveMaximum": true})
        );
        // The inclusive bound is the stricter one: it stays.
        let (s, _) = schema(json!({"type": "number", "minimum": 5, "exclusiveMinimum": 1}));
        assert_eq!(s, json!({"type": "number", "minimum": 5}));
    }

    #[test]
    fn null_alternatives_and_reference_siblings() {
        let (s, _) =
            schema(json!({"anyOf": [{"$ref": "#/components/schemas/T"}, {"type": "null"}]}));
        assert_eq!(
            s,
            json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/T"}]})
        );
        let (s, _) =
            schema(json!({"oneOf": [{"type": "string", "format": "date"}, {"type": "null"}]}));
        assert_eq!(
            s,
            json!({"nullable": true, "type": "string", "format": "date"})
        );
        let (s, _) =
            schema(json!({"$ref": "#/components/schemas/T", "description": "d", "default": "x"}));
        assert_eq!(
            s,
            json!({"description": "d", "default": "x", "allOf": [{"$ref": "#/components/schemas/T"}]})
        );
    }

    #[test]
    fn content_keywords_map_to_formats() {
        let (s, _) = schema(json!({"type": "string", "contentEncoding": "base64"}));
        assert_eq!(s, json!({"type": "string", "format": "byte"}));
        let (s, _) = schema(json!({"type": "string", "contentMediaType": "image/png"}));
        assert_eq!(s, json!({"type": "string", "format": "binary"}));
    }

    #[test]
    fn documented_constants_become_an_enum() {
        let (s, _) = schema(json!({"type": "string", "oneOf": [
            {"const": "a", "description": "The first."},
            {"const": "b"},
        ]}));
        assert_eq!(
            s,
            json!({"type": "string", "enum": ["a", "b"], "x-enum-descriptions": ["The first.", ""]})
        );
    }

    #[test]
    fn narrowing_keywords_warn_and_unmapped_ones_are_degraded() {
        let (s, found) = schema(json!({
            "type": "object",
            "if": {"required": ["a"]}, "then": {"required": ["b"]},
            "dependentRequired": {"a": ["b"]},
            "unevaluatedProperties": false,
            "$comment": "dropped",
        }));
        assert_eq!(s, json!({"type": "object"}));
        assert_eq!(found.warnings.len(), 4, "{:?}", found.warnings);
        assert!(found.errors.is_empty());
        let (s, found) =
            schema(json!({"type": "array", "prefixItems": [{"type": "string"}], "items": false}));
        assert_eq!(s, json!({"type": "array"}));
        assert!(found.errors.is_empty());
        assert!(
            found
                .degraded
                .iter()
                .any(|(p, _)| p == "#/components/schemas/S/prefixItems"),
            "{:?}",
            found.degraded
        );
        let (s, found) = schema(
            json!({"properties": {"a": false, "b": {"$recursiveRef": "#", "description": "d"}}}),
        );
        assert_eq!(
            s,
            json!({"properties": {"a": {}, "b": {"description": "d"}}})
        );
        let degraded: Vec<&str> = found.degraded.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            degraded,
            [
                "#/components/schemas/S/properties/a",
                "#/components/schemas/S/properties/b/$recursiveRef"
            ]
        );
    }

    #[test]
    fn unevaluated_keywords_are_their_plain_counterparts_where_nothing_else_evaluates() {
        let (s, found) =
            schema(json!({"properties": {"a": {}}, "unevaluatedProperties": {"type": "integer"}}));
        assert_eq!(
            s,
            json!({"properties": {"a": {}}, "additionalProperties": {"type": "integer"}})
        );
        assert!(found.degraded.is_empty());
        let (s, _) = schema(json!({"type": "array", "unevaluatedItems": {"type": "string"}}));
        assert_eq!(s, json!({"type": "array", "items": {"type": "string"}}));
        let (s, found) = schema(
            json!({"allOf": [{"properties": {"a": {}}}], "unevaluatedProperties": {"type": "integer"}}),
        );
        assert_eq!(
            s,
            json!({"allOf": [{"properties": {"a": {}}}], "additionalProperties": true})
        );
        assert_eq!(found.degraded.len(), 1);
    }

    #[test]
    fn document_level_rewrites() {
        let mut doc = json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1", "summary": "Short.", "license": {"name": "MIT", "identifier": "MIT"}},
            "webhooks": {"w": {"$ref": "#/components/pathItems/P"}},
            "components": {"pathItems": {"P": {"post": {"responses": {"200": {"description": "ok"}}}}}},
        });
        let found = normalise(&mut doc);
        assert!(found.errors.is_empty(), "{:?}", found.errors);
        assert_eq!(doc["paths"], json!({}));
        assert_eq!(doc["info"]["description"], json!("Short."));
        assert_eq!(
            doc["info"]["license"]["url"],
            json!("https://spdx.org/licenses/MIT.html")
        );
        assert!(doc["webhooks"]["w"]["post"].is_object());
        assert!(doc["components"].get("pathItems").is_none());
    }
}

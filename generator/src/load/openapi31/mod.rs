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

mod schema;

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
    /// A schema construct with no mapping, read as a looser schema that
    /// admits every value it does.
    pub(super) fn degrade(&mut self, pointer: String, message: impl Into<String>) {
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
            schema::normalise_schema(schema, &pointer, 0, &mut found);
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
    fn narrowing_keywords_and_unmapped_ones_are_degraded() {
        let (s, found) = schema(json!({
            "type": "object",
            "if": {"required": ["a"]}, "then": {"required": ["b"]},
            "dependentRequired": {"a": ["b"]},
            "unevaluatedProperties": false,
            "$comment": "dropped",
        }));
        // Nothing else evaluates members: `unevaluatedProperties` is
        // `additionalProperties`.
        assert_eq!(s, json!({"type": "object", "additionalProperties": false}));
        assert!(found.warnings.is_empty(), "{:?}", found.warnings);
        assert_eq!(found.degraded.len(), 3, "{:?}", found.degraded);
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

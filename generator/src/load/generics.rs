//! `$dynamicRef` as 3.1 specs use it: a generic schema (`PaginatedResource`
//! whose items are `$dynamicRef: "#itemType"`) bound, where it is used, by a
//! `$dynamicAnchor` of the same name beside the `$ref` (scalar's galaxy):
//!
//! ```yaml
//! $defs: { itemType: { $dynamicAnchor: itemType, $ref: "#/components/schemas/Planet" } }
//! $ref: "#/components/schemas/PaginatedResource"
//! ```
//!
//! JSON Schema resolves such a reference to the outermost binding in the
//! dynamic scope, which for this pattern is the one beside the `$ref`. So
//! each use site becomes a reference to a specialised copy of the generic
//! schema, with the binding in place of each `$dynamicRef` (as a Rust
//! generic would be monomorphised), named after the site's `$id` when it
//! has one. The generic schema itself keeps its own binding, the schema of
//! its `$defs` entry; where that is `not: {}` (the idiom for "must be bound")
//! it admits any JSON value, with a warning. A `$dynamicRef` to the
//! schema's own anchor is a recursion ([`super::recursion`]); one that
//! matches no anchor is left to the normaliser, which reads it as any JSON
//! value with a warning.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use super::openapi31::Findings;
use crate::diagnostics::{child, escape_token};

const SCHEMAS: &str = "#/components/schemas/";

/// Specialises every bound generic schema of `root`.
pub fn specialise(root: &mut Value, found: &mut Findings) {
    let templates = templates(root);
    if templates.is_empty() {
        return;
    }
    let mut sites = Vec::new();
    find_sites(root, "#", &templates, &mut sites);
    let mut made: BTreeMap<String, String> = BTreeMap::new();
    for site in sites {
        bind_site(root, &site, &templates, &mut made);
    }
    for (name, anchors) in &templates {
        let pointer = child("#/components/schemas", name);
        let path = crate::diagnostics::unescape_pointer(&pointer);
        let Some(template) = root.pointer_mut(&path) else {
            continue;
        };
        let defaults: BTreeMap<String, Value> = anchors
            .iter()
            .filter_map(|a| own_binding(template, a).map(|b| (a.clone(), b)))
            .collect();
        let mut unbound = Vec::new();
        let defaults = defaults
            .into_iter()
            .map(|(anchor, schema)| {
                let admits_nothing = schema == json!({"not": {}}) || schema == json!(false);
                if admits_nothing {
                    unbound.push(anchor.clone());
                    (anchor, json!({}))
                } else {
                    (anchor, schema)
                }
            })
            .collect();
        drop_anchors(template);
        replace_dynamic_refs(template, &defaults);
        for anchor in unbound {
            found.degrade(
                pointer.clone(),
                format!("the generic schema's `{anchor}` is unbound here: read as any JSON value (each use that binds it gets its own type)"),
            );
        }
    }
}

/// Component schemas that contain a `$dynamicRef: "#anchor"`, with the
/// anchors they use.
fn templates(root: &Value) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    let Some(schemas) = root
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return out;
    };
    for (name, schema) in schemas {
        let mut anchors = BTreeSet::new();
        dynamic_refs(schema, 0, &mut anchors);
        if !anchors.is_empty() {
            out.insert(name.clone(), anchors);
        }
    }
    out
}

fn dynamic_refs(value: &Value, depth: usize, out: &mut BTreeSet<String>) {
    if depth > super::schema_shape::MAX_DEPTH {
        return;
    }
    match value {
        Value::Object(map) => {
            if let Some(anchor) = map
                .get("$dynamicRef")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix('#'))
            {
                out.insert(anchor.to_string());
            }
            for (key, v) in map {
                if !matches!(
                    key.as_str(),
                    "example" | "examples" | "default" | "enum" | "const"
                ) {
                    dynamic_refs(v, depth + 1, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| dynamic_refs(v, depth + 1, out)),
        _ => {}
    }
}

/// A schema that refers to a template and binds one of its anchors.
struct Site {
    pointer: String,
    template: String,
    bindings: BTreeMap<String, Value>,
    id: Option<String>,
}

fn find_sites(
    value: &Value,
    pointer: &str,
    templates: &BTreeMap<String, BTreeSet<String>>,
    out: &mut Vec<Site>,
) {
    if pointer.len() > 4096 {
        return;
    }
    match value {
        Value::Object(map) => {
            let template = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix(SCHEMAS))
                .map(crate::diagnostics::unescape_token)
                .filter(|t| templates.contains_key(t));
            if let Some(template) = template {
                let bindings: BTreeMap<String, Value> = templates[&template]
                    .iter()
                    .filter_map(|a| own_binding(value, a).map(|b| (a.clone(), b)))
                    .collect();
                if !bindings.is_empty() {
                    out.push(Site {
                        pointer: pointer.to_string(),
                        template,
                        bindings,
                        id: map.get("$id").and_then(Value::as_str).map(str::to_string),
                    });
                }
            }
            for (key, v) in map {
                if !key.starts_with("x-") && !matches!(key.as_str(), "example" | "default" | "enum")
                {
                    find_sites(v, &child(pointer, key), templates, out);
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                find_sites(v, &child(pointer, &i.to_string()), templates, out);
            }
        }
        _ => {}
    }
}

/// The schema a `$defs` entry of `schema` binds to `anchor`, without the
/// anchor itself.
fn own_binding(schema: &Value, anchor: &str) -> Option<Value> {
    let defs = schema.get("$defs")?.as_object()?;
    defs.values().find_map(|entry| {
        let map = entry.as_object()?;
        if map.get("$dynamicAnchor").and_then(Value::as_str) != Some(anchor) {
            return None;
        }
        let mut map = map.clone();
        map.remove("$dynamicAnchor");
        Some(Value::Object(map))
    })
}

/// Removes the `$defs` entries that are dynamic anchors, and `$id`.
fn drop_anchors(schema: &mut Value) {
    let Some(map) = schema.as_object_mut() else {
        return;
    };
    map.remove("$id");
    map.remove("$dynamicAnchor");
    if let Some(Value::Object(defs)) = map.get_mut("$defs") {
        defs.retain(|_, entry| entry.get("$dynamicAnchor").is_none());
        if defs.is_empty() {
            map.remove("$defs");
        }
    }
}

fn replace_dynamic_refs(value: &mut Value, bindings: &BTreeMap<String, Value>) {
    match value {
        Value::Object(map) => {
            let bound = map
                .get("$dynamicRef")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix('#'))
                .and_then(|a| bindings.get(a))
                .cloned();
            if let Some(binding) = bound {
                map.remove("$dynamicRef");
                if map.is_empty() {
                    *value = binding;
                } else {
                    map.insert("allOf".into(), json!([binding]));
                }
                return;
            }
            for (key, v) in map.iter_mut() {
                if !matches!(
                    key.as_str(),
                    "example" | "examples" | "default" | "enum" | "const"
                ) {
                    replace_dynamic_refs(v, bindings);
                }
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|v| replace_dynamic_refs(v, bindings)),
        _ => {}
    }
}

/// Points the site at a specialised copy of its template, made once per
/// template and bindings.
fn bind_site(
    root: &mut Value,
    site: &Site,
    templates: &BTreeMap<String, BTreeSet<String>>,
    made: &mut BTreeMap<String, String>,
) {
    let key = format!("{}|{}", site.template, json!(site.bindings));
    let name = match made.get(&key) {
        Some(name) => name.clone(),
        None => {
            let Some(mut copy) = root
                .pointer(&format!(
                    "/components/schemas/{}",
                    escape_token(&site.template)
                ))
                .cloned()
            else {
                return;
            };
            drop_anchors(&mut copy);
            let mut bindings = site.bindings.clone();
            // Anchors the site leaves unbound keep the template's own.
            for anchor in &templates[&site.template] {
                if !bindings.contains_key(anchor) {
                    if let Some(own) = root
                        .pointer(&format!(
                            "/components/schemas/{}",
                            escape_token(&site.template)
                        ))
                        .and_then(|t| own_binding(t, anchor))
                    {
                        bindings.insert(anchor.clone(), own);
                    }
                }
            }
            replace_dynamic_refs(&mut copy, &bindings);
            let name = super::nested_refs::free_name(root, &specialised_name(site));
            if let Some(schemas) = root
                .pointer_mut("/components/schemas")
                .and_then(Value::as_object_mut)
            {
                schemas.insert(name.clone(), copy);
            }
            made.insert(key, name.clone());
            name
        }
    };
    let path = crate::diagnostics::unescape_pointer(&site.pointer);
    if let Some(schema) = root.pointer_mut(&path) {
        drop_anchors(schema);
        if let Some(map) = schema.as_object_mut() {
            map.insert(
                "$ref".into(),
                json!(format!("{SCHEMAS}{}", escape_token(&name))),
            );
        }
    }
}

/// The site's `$id`'s last segment (`…/schemas/PaginatedPlanets`), else the
/// template and what it is bound to (`PaginatedResource_Planet`).
fn specialised_name(site: &Site) -> String {
    if let Some(last) = site
        .id
        .as_deref()
        .and_then(|id| id.trim_end_matches('/').rsplit('/').next())
        .map(|s| s.split('.').next().unwrap_or(s))
        .filter(|s| !s.is_empty())
    {
        return last.to_string();
    }
    let bound: Vec<String> = site
        .bindings
        .values()
        .map(|b| {
            b.get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.rsplit('/').next())
                .map(crate::diagnostics::unescape_token)
                .unwrap_or_else(|| "Value".to_string())
        })
        .collect();
    format!("{}_{}", site.template, bound.join("_"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(site: Value) -> Value {
        json!({
            "openapi": "3.1.0",
            "paths": {"/planets": {"get": {"responses": {"200": {"description": "ok",
                "content": {"application/json": {"schema": site}}}}}}},
            "components": {"schemas": {
                "Planet": {"type": "object"},
                "Page": {
                    "$defs": {"item": {"$dynamicAnchor": "item", "not": {}}},
                    "type": "object",
                    "properties": {"data": {"type": "array", "items": {"$dynamicRef": "#item"}}},
                },
            }},
        })
    }

    const SITE: &str = "/paths/~1planets/get/responses/200/content/application~1json/schema";

    #[test]
    fn a_bound_site_gets_a_specialised_copy() {
        let mut root = doc(json!({
            "$id": "https://example.com/schemas/PlanetPage",
            "$defs": {"item": {"$dynamicAnchor": "item", "$ref": "#/components/schemas/Planet"}},
            "$ref": "#/components/schemas/Page",
        }));
        let mut found = Findings::default();
        specialise(&mut root, &mut found);
        assert_eq!(
            root.pointer(SITE),
            Some(&json!({"$ref": "#/components/schemas/PlanetPage"}))
        );
        let schemas = &root["components"]["schemas"];
        assert_eq!(
            schemas["PlanetPage"]["properties"]["data"]["items"],
            json!({"$ref": "#/components/schemas/Planet"})
        );
        // The generic schema itself admits any item, degraded.
        assert_eq!(schemas["Page"]["properties"]["data"]["items"], json!({}));
        assert!(schemas["Page"].get("$defs").is_none());
        assert_eq!(found.degraded.len(), 1);
    }

    #[test]
    fn a_site_without_an_id_is_named_after_its_binding() {
        let mut root = doc(json!({
            "$defs": {"item": {"$dynamicAnchor": "item", "$ref": "#/components/schemas/Planet"}},
            "$ref": "#/components/schemas/Page",
        }));
        specialise(&mut root, &mut Findings::default());
        assert_eq!(
            root.pointer(SITE),
            Some(&json!({"$ref": "#/components/schemas/Page_Planet"}))
        );
    }

    #[test]
    fn an_unmatched_dynamic_reference_is_left_to_the_normaliser() {
        let mut root = json!({"components": {"schemas": {
            "Tree": {"type": "array", "items": {"$dynamicRef": "#node"}},
        }}});
        let before = root.clone();
        specialise(&mut root, &mut Findings::default());
        assert_eq!(root, before);
    }
}

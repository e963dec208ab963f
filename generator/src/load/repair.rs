//! Repairs of defects found in real published specs. Each repair is narrow
//! (it matches the defect exactly, nothing broader) and reported as a warning,
//! so that a spec author can fix the source.

use serde_json::{json, Value};

use crate::diagnostics::child;

/// Applies every known repair; pushes `(pointer, message)` per repair made.
pub fn repair(root: &mut Value, pointer: &str, out: &mut Vec<(String, String)>) {
    repair_empty_schemas(root, out);
    repair_boolean_required(root, out);
    repair_missing_path_parameters(root, out);
    if let Some(paths) = root.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            let item_ptr = child(&child(pointer, "paths"), path);
            for (method, op) in item.iter_mut() {
                let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
                    continue;
                };
                let responses_ptr = child(&child(&item_ptr, method), "responses");
                for (status, response) in responses.iter_mut() {
                    let headers_ptr = child(&child(&responses_ptr, status), "headers");
                    if let Some(headers) =
                        response.get_mut("headers").and_then(Value::as_object_mut)
                    {
                        repair_headers(headers, &headers_ptr, out);
                    }
                }
            }
        }
    }
    let components = root.get_mut("components").and_then(Value::as_object_mut);
    if let Some(components) = components {
        let comp_ptr = child(pointer, "components");
        if let Some(headers) = components.get_mut("headers").and_then(Value::as_object_mut) {
            repair_headers(headers, &child(&comp_ptr, "headers"), out);
        }
        if let Some(responses) = components
            .get_mut("responses")
            .and_then(Value::as_object_mut)
        {
            for (name, response) in responses.iter_mut() {
                let headers_ptr = child(&child(&child(&comp_ptr, "responses"), name), "headers");
                if let Some(headers) = response.get_mut("headers").and_then(Value::as_object_mut) {
                    repair_headers(headers, &headers_ptr, out);
                }
            }
        }
    }
}

/// `schema:` with nothing after it is YAML's null, which no reader of the
/// spec can take for a schema; the author meant "anything" (intercom's
/// error responses), which is the empty schema `{}`.
fn repair_empty_schemas(root: &mut Value, out: &mut Vec<(String, String)>) {
    let mut empty = Vec::new();
    super::walk::structure(root, &mut |map, pointer| {
        if map.get("schema").is_some_and(Value::is_null) {
            empty.push(child(pointer, "schema"));
        }
    });
    for pointer in empty {
        if let Some(slot) = root.pointer_mut(&crate::diagnostics::unescape_pointer(&pointer)) {
            *slot = json!({});
            out.push((
                pointer,
                "`schema` is empty; read as `{}`, any JSON value".to_string(),
            ));
        }
    }
}

/// `required: true` on a property is the draft-3 form (influxdb's
/// `DBRPGet.content`); JSON Schema draft 4, which OpenAPI 3.0 follows, wants
/// the names in the parent's `required` list, so that is where the intent is
/// carried. `required: false` says what leaving the name out says.
fn repair_boolean_required(root: &mut Value, out: &mut Vec<(String, String)>) {
    let mut found = Vec::new();
    super::walk::structure(root, &mut |map, pointer| {
        let Some(properties) = map.get("properties").and_then(Value::as_object) else {
            return;
        };
        for (name, property) in properties {
            if let Some(required) = property.get("required").and_then(Value::as_bool) {
                found.push((pointer.to_string(), name.clone(), required));
            }
        }
    });
    for (pointer, name, required) in found {
        let path = crate::diagnostics::unescape_pointer(&pointer);
        let Some(schema) = root.pointer_mut(&path).and_then(Value::as_object_mut) else {
            continue;
        };
        if let Some(property) = schema
            .get_mut("properties")
            .and_then(|p| p.get_mut(&name))
            .and_then(Value::as_object_mut)
        {
            property.remove("required");
        }
        if required {
            let list = schema.entry("required").or_insert_with(|| json!([]));
            match list.as_array_mut() {
                Some(list) if !list.iter().any(|n| n == name.as_str()) => {
                    list.push(json!(name));
                }
                _ => {}
            }
        }
        let property_ptr = child(&child(&pointer, "properties"), &name);
        let what = if required {
            "the property is listed in the parent schema's `required` instead"
        } else {
            "removed; a property is optional unless the parent's `required` lists it"
        };
        out.push((
            child(&property_ptr, "required"),
            format!("`required: {required}` on a property is not OpenAPI 3.0; {what}"),
        ));
    }
}

/// A `{name}` of a path template that no path parameter declares
/// (intercom's `/export/reporting_data/{job_identifier}`): the URL cannot be
/// built or matched without it, and the author clearly meant a text
/// segment, so a required string path parameter is added to the operation.
fn repair_missing_path_parameters(root: &mut Value, out: &mut Vec<(String, String)>) {
    let components = root
        .pointer("/components/parameters")
        .cloned()
        .unwrap_or(Value::Null);
    // `$ref`s to parameter components, resolved for reading.
    let resolve = |p: &Value| -> Value {
        match p.get("$ref").and_then(Value::as_str) {
            Some(r) => r
                .strip_prefix("#/components/parameters/")
                .and_then(|n| components.get(crate::diagnostics::unescape_token(n)))
                .cloned()
                .unwrap_or(Value::Null),
            None => p.clone(),
        }
    };
    let Some(paths) = root.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let template = super::walk::template_variables(path);
        if template.is_empty() {
            continue;
        }
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        let shared: Vec<Value> = item
            .get("parameters")
            .and_then(Value::as_array)
            .map(|list| list.iter().map(&resolve).collect())
            .unwrap_or_default();
        for method in super::walk::METHODS {
            let Some(op) = item.get_mut(method).and_then(Value::as_object_mut) else {
                continue;
            };
            let own: Vec<Value> = op
                .get("parameters")
                .and_then(Value::as_array)
                .map(|list| list.iter().map(&resolve).collect())
                .unwrap_or_default();
            let declares = |name: &str| {
                shared.iter().chain(&own).any(|p| {
                    p.get("in").and_then(Value::as_str) == Some("path")
                        && p.get("name").and_then(Value::as_str) == Some(name)
                })
            };
            let missing: Vec<&str> = template.iter().copied().filter(|n| !declares(n)).collect();
            if missing.is_empty() {
                continue;
            }
            let list = op.entry("parameters").or_insert_with(|| json!([]));
            let Some(list) = list.as_array_mut() else {
                continue;
            };
            for name in missing {
                list.push(json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}));
                out.push((
                    child(&child("#/paths", path), method),
                    format!("the path template's `{{{name}}}` has no path parameter; a required string parameter `{name}` is added"),
                ));
            }
        }
    }
}

/// A header object must have `schema` or `content`. RMA 2.11 declares
/// `WWW-Authenticate: {style: simple}` with neither; a header value is text,
/// so the repair is `schema: {type: string}`.
fn repair_headers(
    headers: &mut serde_json::Map<String, Value>,
    pointer: &str,
    out: &mut Vec<(String, String)>,
) {
    for (name, header) in headers.iter_mut() {
        let Some(header) = header.as_object_mut() else {
            continue;
        };
        if header.contains_key("$ref")
            || header.contains_key("schema")
            || header.contains_key("content")
        {
            continue;
        }
        header.insert("schema".into(), json!({ "type": "string" }));
        out.push((
            child(pointer, name),
            format!("header `{name}` has neither `schema` nor `content`; repaired as `schema: {{type: string}}`"),
        ));
    }
}

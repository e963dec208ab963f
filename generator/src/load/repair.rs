//! Repairs of defects found in real published specs. Each repair is narrow
//! (it matches the defect exactly, nothing broader) and reported as a warning,
//! so that a spec author can fix the source.

use serde_json::{json, Value};

use crate::diagnostics::child;

/// Applies every known repair; pushes `(pointer, message)` per repair made.
pub fn repair(root: &mut Value, pointer: &str, out: &mut Vec<(String, String)>) {
    repair_empty_schemas(root, out);
    repair_boolean_required(root, out);
    repair_path_parameters(root, out);
    repair_schema_keywords(root, out);
    repair_parameter_styles(root, "#", false, out);
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
                // OpenAPI requires at least one response; without any, every
                // answer is one the spec does not describe: `default`.
                if responses.is_empty() && super::walk::METHODS.contains(&method.as_str()) {
                    responses.insert(
                        "default".into(),
                        json!({"description": "Any answer: the spec declares none."}),
                    );
                    out.push((
                        responses_ptr.clone(),
                        "no response is declared; any answer is read as a `default` response, by its status".into(),
                    ));
                }
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

/// A path template and its path parameters that disagree. A `{name}` that
/// no path parameter declares (intercom's
/// `/export/reporting_data/{job_identifier}`): the URL cannot be built or
/// matched without it, and the author clearly meant a text segment, so a
/// required string path parameter is added to the operation. A path
/// parameter the template does not name has no place in the URL: it is
/// removed.
fn repair_path_parameters(root: &mut Value, out: &mut Vec<(String, String)>) {
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
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        let item_ptr = child("#/paths", path);
        let stray = |list: &mut Value, at: &str, out: &mut Vec<(String, String)>| {
            let Some(list) = list.as_array_mut() else {
                return;
            };
            let mut i = 0;
            list.retain(|p| {
                let p = resolve(p);
                let name = p.get("name").and_then(Value::as_str).unwrap_or("");
                let keep =
                    p.get("in").and_then(Value::as_str) != Some("path") || template.contains(&name);
                if !keep {
                    out.push((
                        child(&child(at, "parameters"), &i.to_string()),
                        format!(
                            "path parameter `{name}` does not occur in the path `{path}`; removed"
                        ),
                    ));
                }
                i += 1;
                keep
            });
        };
        if let Some(list) = item.get_mut("parameters") {
            stray(list, &item_ptr, out);
        }
        for method in super::walk::METHODS {
            if let Some(list) = item.get_mut(method).and_then(|op| op.get_mut("parameters")) {
                stray(list, &child(&item_ptr, method), out);
            }
        }
        if template.is_empty() {
            continue;
        }
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

/// Schema keywords written in a way no reader takes, where the intent is
/// plain: a `type` in another case (`String`, `Integer`), and an empty
/// `enum` (JSON Schema requires at least one value; the author left the
/// list to be filled in, and no value would be valid) beside other
/// keywords, which is dropped.
fn repair_schema_keywords(root: &mut Value, out: &mut Vec<(String, String)>) {
    const TYPES: &[&str] = &["string", "integer", "number", "boolean", "array", "object"];
    let mut found = Vec::new();
    super::walk::structure(root, &mut |map, pointer| {
        if let Some(Value::String(typ)) = map.get("type") {
            let lower = typ.to_ascii_lowercase();
            if &lower != typ && TYPES.contains(&lower.as_str()) {
                found.push((child(pointer, "type"), Some(json!(lower))));
            }
        }
        if map
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(Vec::is_empty)
            && map.len() > 1
        {
            found.push((child(pointer, "enum"), None));
        }
    });
    for (pointer, repaired) in found {
        let (parent, key) = pointer.rsplit_once('/').unwrap_or(("#", ""));
        let path = crate::diagnostics::unescape_pointer(parent);
        let Some(map) = root.pointer_mut(&path).and_then(Value::as_object_mut) else {
            continue;
        };
        let message = match repaired {
            Some(lower) => {
                let message = format!(
                    "`type: {}` is read as `type: {}`",
                    map[key].as_str().unwrap_or_default(),
                    lower.as_str().unwrap_or_default()
                );
                map.insert(key.to_string(), lower);
                message
            }
            None => {
                map.remove(key);
                "`enum: []` admits no value; ignored (the other keywords say what is valid)"
                    .to_string()
            }
        };
        out.push((pointer, message));
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

/// A parameter's `style` that its location does not have (`deepObject` on
/// a cookie, `form` on a header) fails to read; the location's default
/// style is what such a spec's servers take.
fn repair_parameter_styles(
    value: &mut Value,
    pointer: &str,
    in_parameters: bool,
    out: &mut Vec<(String, String)>,
) {
    if in_parameters {
        let location = value.get("in").and_then(Value::as_str).unwrap_or_default();
        let style = value
            .get("style")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let allowed: &[&str] = match location {
            "path" => &["simple", "label", "matrix"],
            "query" => &["form", "spaceDelimited", "pipeDelimited", "deepObject"],
            "header" => &["simple"],
            "cookie" => &["form"],
            _ => &[],
        };
        if !style.is_empty() && !allowed.is_empty() && !allowed.contains(&style) {
            out.push((
                child(pointer, "style"),
                format!(
                    "style `{style}` is not one of a {location} parameter's ({}); removed, so the default `{}` is read",
                    allowed.join(", "),
                    allowed[0]
                ),
            ));
            if let Some(map) = value.as_object_mut() {
                map.remove("style");
            }
            return;
        }
    }
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                let at = child(pointer, key);
                match (key.as_str(), v) {
                    ("parameters", Value::Array(list)) => {
                        for (i, p) in list.iter_mut().enumerate() {
                            repair_parameter_styles(p, &child(&at, &i.to_string()), true, out);
                        }
                    }
                    ("parameters", Value::Object(entries)) if pointer == "#/components" => {
                        for (name, p) in entries.iter_mut() {
                            repair_parameter_styles(p, &child(&at, name), true, out);
                        }
                    }
                    // Schemas hold no parameters; their keys are names.
                    ("schemas" | "properties" | "examples" | "example", _) => {}
                    (_, v) => repair_parameter_styles(v, &at, false, out),
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter_mut().enumerate() {
                repair_parameter_styles(v, &child(pointer, &i.to_string()), false, out);
            }
        }
        _ => {}
    }
}

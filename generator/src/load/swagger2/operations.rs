//! Swagger 2.0 path items and operations in their OpenAPI 3.0 spelling:
//! body and form parameters become the `requestBody`, and responses carry
//! their schema under each media type the operation produces.

use serde_json::{json, Map, Value};

use super::schema::{file_type, schema};
use super::Converter;
use crate::diagnostics::{child, unescape_token};
use crate::load::walk::METHODS;

const FORM: &str = "application/x-www-form-urlencoded";
const MULTIPART: &str = "multipart/form-data";

/// A parameter as an operation lists it: written in place, or a reference
/// to one of the document's `parameters`.
struct Listed {
    param: Map<String, Value>,
    /// Where the parameter is written in the 2.0 document.
    pointer: String,
    /// The name of the document's parameter it refers to.
    reference: Option<String>,
}

impl Listed {
    fn location(&self) -> &str {
        self.param.get("in").and_then(Value::as_str).unwrap_or("")
    }

    fn name(&self) -> &str {
        self.param.get("name").and_then(Value::as_str).unwrap_or("")
    }
}

impl Converter<'_> {
    /// The document's `parameters` and `responses` as components. Bodies
    /// become `requestBodies`, for the document's `consumes`; form fields
    /// have no component of their own (each operation's form body lists
    /// them).
    pub(super) fn shared_components(&mut self) -> Vec<(&'static str, Map<String, Value>)> {
        let mut parameters = Map::new();
        let mut bodies = Map::new();
        for (name, param) in self.parameters {
            let Some(param) = param.as_object() else {
                continue;
            };
            let pointer = child("#/parameters", name);
            match param.get("in").and_then(Value::as_str) {
                Some("body") => {
                    let at = child("#/components/requestBodies", name);
                    let consumes = self.consumes.clone();
                    let body = self.body(param, &consumes, &at, &pointer);
                    bodies.insert(name.clone(), body);
                }
                Some("formData") => {}
                _ => {
                    let at = child("#/components/parameters", name);
                    self.moves.record(at.clone(), pointer.clone());
                    let (param, _) = self.parameter(param, &at, &pointer);
                    parameters.insert(name.clone(), Value::Object(param));
                }
            }
        }
        let mut responses = Map::new();
        for (name, response) in self.responses {
            let at = child("#/components/responses", name);
            let pointer = child("#/responses", name);
            let produces = self.produces.clone();
            responses.insert(
                name.clone(),
                self.response(response, &produces, &at, &pointer),
            );
        }
        [
            ("responses", responses),
            ("parameters", parameters),
            ("requestBodies", bodies),
        ]
        .into_iter()
        .filter(|(_, map)| !map.is_empty())
        .collect()
    }

    /// A path item: its operations, and the parameters all of them share.
    pub(super) fn path_item(&mut self, item: &mut Value, pointer: &str) {
        let Some(item) = item.as_object_mut() else {
            return;
        };
        let shared = self.listed(item.get("parameters"), pointer);
        let (bodies, kept): (Vec<Listed>, Vec<Listed>) = shared
            .into_iter()
            .partition(|p| matches!(p.location(), "body" | "formData"));
        if kept.is_empty() {
            item.remove("parameters");
        } else {
            let at = child(pointer, "parameters");
            let kept = self.plain_parameters(kept, &at);
            item.insert("parameters".into(), Value::Array(kept));
        }
        for method in METHODS {
            if let Some(Value::Object(operation)) = item.get_mut(method) {
                self.operation(operation, &child(pointer, method), &bodies);
            }
        }
    }

    /// The parameters a `parameters` list holds, references resolved so
    /// that their location is known.
    fn listed(&self, list: Option<&Value>, pointer: &str) -> Vec<Listed> {
        let list = list.and_then(Value::as_array).map(Vec::as_slice);
        let mut out = Vec::new();
        for (i, param) in list.unwrap_or_default().iter().enumerate() {
            let pointer = child(&child(pointer, "parameters"), &i.to_string());
            let target = param.get("$ref").and_then(Value::as_str);
            let (param, pointer, reference) = match target {
                Some(target) => {
                    let name = target.strip_prefix("#/parameters/").map(unescape_token);
                    match name.as_deref().and_then(|n| self.parameters.get(n)) {
                        Some(found) => (
                            found,
                            child("#/parameters", name.as_deref().unwrap_or("")),
                            name,
                        ),
                        // Left to the 3.0 reader, which names what is wrong.
                        None => (param, pointer, None),
                    }
                }
                None => (param, pointer, None),
            };
            if let Some(param) = param.as_object() {
                out.push(Listed {
                    param: param.clone(),
                    pointer,
                    reference,
                });
            }
        }
        out
    }

    /// Parameters other than bodies and form fields, in the order written;
    /// a reference stays a reference.
    fn plain_parameters(&mut self, listed: Vec<Listed>, at: &str) -> Vec<Value> {
        let mut out = Vec::new();
        for (i, listed) in listed.into_iter().enumerate() {
            let at = child(at, &i.to_string());
            match &listed.reference {
                Some(name) => out.push(json!({
                    "$ref": child("#/components/parameters", name)
                })),
                None => {
                    self.moves.record(at.clone(), listed.pointer.clone());
                    let (param, _) = self.parameter(&listed.param, &at, &listed.pointer);
                    out.push(Value::Object(param));
                }
            }
        }
        out
    }

    fn operation(&mut self, op: &mut Map<String, Value>, pointer: &str, shared: &[Listed]) {
        let consumes = self.media(op.remove("consumes"), true);
        let produces = self.media(op.remove("produces"), false);
        op.remove("schemes");
        let listed = self.listed(op.get("parameters"), pointer);
        let mut bodies: Vec<Listed> = Vec::new();
        let mut plain = Vec::new();
        for p in listed {
            match p.location() {
                "body" | "formData" => bodies.push(p),
                _ => plain.push(p),
            }
        }
        // An operation's own parameter overrides the path's of that name.
        for p in shared {
            if !bodies
                .iter()
                .any(|b| b.location() == p.location() && b.name() == p.name())
            {
                bodies.push(Listed {
                    param: p.param.clone(),
                    pointer: p.pointer.clone(),
                    reference: p.reference.clone(),
                });
            }
        }
        if plain.is_empty() {
            op.remove("parameters");
        } else {
            let at = child(pointer, "parameters");
            let plain = self.plain_parameters(plain, &at);
            op.insert("parameters".into(), Value::Array(plain));
        }
        let at = child(pointer, "requestBody");
        let (body, form): (Vec<Listed>, Vec<Listed>) =
            bodies.into_iter().partition(|p| p.location() == "body");
        if let Some(body) = body.into_iter().next() {
            let value = match &body.reference {
                Some(name) if consumes == self.consumes => {
                    json!({ "$ref": child("#/components/requestBodies", name) })
                }
                _ => self.body(&body.param, &consumes, &at, &body.pointer),
            };
            op.insert("requestBody".into(), value);
        } else if !form.is_empty() {
            let value = self.form(&form, &consumes, &at);
            op.insert("requestBody".into(), value);
        }
        if let Some(Value::Object(responses)) = op.get_mut("responses") {
            let at = child(pointer, "responses");
            for (status, response) in responses.iter_mut() {
                let at = child(&at, status);
                let reference = response
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|t| t.strip_prefix("#/responses/"))
                    .map(unescape_token);
                *response = match reference {
                    Some(name) if produces == self.produces => {
                        json!({ "$ref": child("#/components/responses", &name) })
                    }
                    Some(name) => match self.responses.get(&name) {
                        Some(shared) => {
                            self.response(shared, &produces, &at, &child("#/responses", &name))
                        }
                        None => response.clone(),
                    },
                    None => {
                        let source = response.clone();
                        self.response(&source, &produces, &at, &at)
                    }
                };
            }
        }
    }

    /// An operation's `consumes` or `produces`, else the document's.
    fn media(&self, list: Option<Value>, consumes: bool) -> Vec<String> {
        super::media_types(list.as_ref()).unwrap_or_else(|| match consumes {
            true => self.consumes.clone(),
            false => self.produces.clone(),
        })
    }

    /// A body parameter as a request body of the media types it is
    /// consumed in.
    pub(super) fn body(
        &mut self,
        param: &Map<String, Value>,
        consumes: &[String],
        at: &str,
        pointer: &str,
    ) -> Value {
        self.moves.record(at.to_string(), pointer.to_string());
        let mut value = param.get("schema").cloned().unwrap_or_else(|| json!({}));
        schema(&mut value);
        let mut content = Map::new();
        for media in consumes {
            let schema_at = child(&child(&child(at, "content"), media), "schema");
            self.moves.record(schema_at, child(pointer, "schema"));
            content.insert(media.clone(), json!({ "schema": value }));
        }
        let mut body = Map::new();
        copy(param, &mut body, &["description"]);
        body.insert("content".into(), Value::Object(content));
        if param.get("required") == Some(&Value::Bool(true)) {
            body.insert("required".into(), Value::Bool(true));
        }
        copy_extensions(param, &mut body);
        Value::Object(body)
    }

    /// Form parameters as one object, sent as a form or in parts.
    fn form(&mut self, fields: &[Listed], consumes: &[String], at: &str) -> Value {
        let mut media: Vec<&str> = consumes
            .iter()
            .map(String::as_str)
            .filter(|m| matches!(*m, FORM | MULTIPART))
            .collect();
        if media.is_empty() {
            let file = fields
                .iter()
                .any(|f| f.param.get("type").and_then(Value::as_str) == Some("file"));
            media.push(if file { MULTIPART } else { FORM });
        }
        let mut properties = Map::new();
        let mut required = Vec::new();
        let mut encoding = Map::new();
        for field in fields {
            let name = field.name().to_string();
            let property_at = child(&child(at, "properties"), &name);
            let (param, written) = self.parameter(&field.param, &property_at, &field.pointer);
            let mut property = param.get("schema").cloned().unwrap_or_else(|| json!({}));
            if let Value::Object(map) = &mut property {
                file_type(map);
                copy(&param, map, &["description"]);
            }
            if let Some((style, explode)) = written.filter(|w| *w != ("form", true)) {
                encoding.insert(name.clone(), json!({"style": style, "explode": explode}));
            }
            if param.get("required") == Some(&Value::Bool(true)) {
                required.push(json!(name));
            }
            properties.insert(name, property);
        }
        let mut object = json!({"type": "object", "properties": properties});
        if !required.is_empty() {
            object["required"] = Value::Array(required.clone());
        }
        let mut content = Map::new();
        for media in media {
            let schema_at = child(&child(&child(at, "content"), media), "schema");
            for field in fields {
                let property = child(&child(&schema_at, "properties"), field.name());
                self.moves.record(property, field.pointer.clone());
            }
            let mut entry = json!({ "schema": object });
            // Form encoding styles only apply to urlencoded bodies; parts
            // of an array are always repeated.
            if media == FORM && !encoding.is_empty() {
                entry["encoding"] = Value::Object(encoding.clone());
            }
            if media == MULTIPART && !encoding.is_empty() {
                self.warn(
                    at.to_string(),
                    "an array form field that is not `collectionFormat: multi` is sent as repeated parts in multipart/form-data",
                );
            }
            content.insert(media.to_string(), entry);
        }
        let mut body = json!({ "content": content });
        if !required.is_empty() {
            body["required"] = Value::Bool(true);
        }
        body
    }

    /// A response with its schema under each media type produced; the
    /// `examples` by media type become the example of that type.
    pub(super) fn response(
        &mut self,
        source: &Value,
        produces: &[String],
        at: &str,
        pointer: &str,
    ) -> Value {
        let Some(source) = source.as_object() else {
            return source.clone();
        };
        if source.contains_key("$ref") {
            return Value::Object(source.clone());
        }
        let mut response = Map::new();
        response.insert(
            "description".into(),
            source
                .get("description")
                .cloned()
                .unwrap_or_else(|| json!("")),
        );
        if let Some(Value::Object(headers)) = source.get("headers") {
            let mut out = Map::new();
            for (name, header) in headers {
                let header_at = child(&child(at, "headers"), name);
                let header_pointer = child(&child(pointer, "headers"), name);
                self.moves.record(header_at.clone(), header_pointer.clone());
                let header = match header.as_object() {
                    Some(h) => self.header(h, &header_at, &header_pointer),
                    None => header.clone(),
                };
                out.insert(name.clone(), header);
            }
            response.insert("headers".into(), Value::Object(out));
        }
        if let Some(value) = source.get("schema") {
            let mut value = value.clone();
            schema(&mut value);
            let examples = source.get("examples").and_then(Value::as_object);
            let mut content = Map::new();
            for media in produces {
                let schema_at = child(&child(&child(at, "content"), media), "schema");
                self.moves.record(schema_at, child(pointer, "schema"));
                let mut entry = json!({ "schema": value });
                if let Some(example) = examples.and_then(|e| e.get(media)) {
                    entry["example"] = example.clone();
                }
                content.insert(media.clone(), entry);
            }
            response.insert("content".into(), Value::Object(content));
        }
        copy_extensions(source, &mut response);
        self.moves.record(at.to_string(), pointer.to_string());
        Value::Object(response)
    }
}

fn copy(from: &Map<String, Value>, to: &mut Map<String, Value>, keys: &[&str]) {
    for key in keys {
        if let Some(v) = from.get(*key) {
            to.insert((*key).to_string(), v.clone());
        }
    }
}

fn copy_extensions(from: &Map<String, Value>, to: &mut Map<String, Value>) {
    for (key, value) in from {
        if key.starts_with("x-") {
            to.insert(key.clone(), value.clone());
        }
    }
}

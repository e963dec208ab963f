//! `paths` → [`Operation`]s. Parameter, body and response schemas go through
//! the same type builder as component schemas, so an inline enum of a query
//! parameter becomes a model type like any other.

use serde_json::{Map, Value};

use super::build::Builder;
use super::build_security::Schemes;
use super::operations::*;
use super::view::SchemaView;
use super::{Docs, Shape, Ty, TypeKind};
use crate::diagnostics::{child, unescape_token, Unsupported};
use crate::naming::{self, Scope};

const METHODS: &[(&str, Method)] = &[
    ("get", Method::Get),
    ("put", Method::Put),
    ("post", Method::Post),
    ("delete", Method::Delete),
    ("patch", Method::Patch),
    ("head", Method::Head),
    ("options", Method::Options),
    ("trace", Method::Trace),
];

/// Path item keys that are not operations and need no handling here.
const PATH_ITEM_KEYS: &[&str] = &["summary", "description", "parameters", "servers"];

/// What every operation of the spec draws on: the method names taken so
/// far and the security schemes.
struct SharedByAll {
    fn_names: Scope,
    schemes: Schemes,
}

impl Builder<'_> {
    pub(super) fn build_api(&mut self) -> Api {
        let spec = self.spec;
        let mut api = Api {
            base_path: base_path(&spec.raw),
            server: server(&spec.raw),
            ..Api::default()
        };
        let mut shared_by_all = SharedByAll {
            fn_names: Scope::with_reserved(super::GENERATED_METHODS),
            schemes: self.security_schemes(),
        };
        let empty = Map::new();
        let paths = spec
            .raw
            .get("paths")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let webhooks = spec.raw.get("webhooks").and_then(Value::as_object);
        let entries =
            paths
                .iter()
                .map(|(path, item)| (path.clone(), child("#/paths", path), item, false))
                .chain(webhooks.into_iter().flatten().map(|(name, item)| {
                    (format!("/{name}"), child("#/webhooks", name), item, true)
                }));
        for (path, item_ptr, item, webhook) in entries {
            if webhook && !valid_webhook_path(&path) {
                self.degrade(
                    &item_ptr,
                    Unsupported::Operation,
                    format!("the webhook name `{}` is no path segment (only letters, digits, `-`, `_` and `.` are); the webhook is left out", &path[1..]),
                );
                continue;
            }
            let Some(item) = item.as_object() else {
                continue;
            };
            for key in item.keys() {
                let known = METHODS.iter().any(|(m, _)| m == key)
                    || PATH_ITEM_KEYS.contains(&key.as_str())
                    || key.starts_with("x-");
                if !known {
                    self.degrade(
                        &child(&item_ptr, key),
                        Unsupported::Operation,
                        format!("`{key}` in a path item is no OpenAPI field; ignored"),
                    );
                }
            }
            let shared = item.get("parameters").and_then(Value::as_array);
            for (key, method) in METHODS {
                let Some(op) = item.get(*key).and_then(Value::as_object) else {
                    continue;
                };
                let ptr = child(&item_ptr, key);
                let found =
                    self.operation_or_none(&path, *method, op, shared, &ptr, &mut shared_by_all);
                match (found, webhook) {
                    (Some(op), false) => api.operations.push(op),
                    (Some(op), true) => api.webhooks.push(op),
                    (None, _) => {}
                }
            }
        }
        api.schemes = shared_by_all.schemes.supported;
        api
    }

    /// [`naming::claim_method`], warning at `ptr` when the name was taken.
    fn claim_method(
        &mut self,
        scope: &mut Scope,
        desired: String,
        operation_id: &str,
        ptr: &str,
    ) -> String {
        let (name, warning) = naming::claim_method(scope, desired, operation_id, ptr);
        if let Some(w) = warning {
            self.warn(ptr, w);
        }
        name
    }

    /// An operation; one with a construct the generator cannot express is
    /// left out, its refusals becoming warnings (errors under `--strict`),
    /// so that the rest of the API is generated.
    fn operation_or_none(
        &mut self,
        path: &str,
        method: Method,
        op: &Map<String, Value>,
        shared: Option<&Vec<Value>>,
        ptr: &str,
        all: &mut SharedByAll,
    ) -> Option<Operation> {
        let mark = self.mark();
        let found = self.operation(path, method, op, shared, ptr, all);
        if found.is_none() {
            let left_out = format!("the operation `{} {path}` is left out", method.as_str());
            self.demote_since(mark, |_| true, &left_out);
        }
        found
    }

    fn operation(
        &mut self,
        path: &str,
        method: Method,
        op: &Map<String, Value>,
        shared: Option<&Vec<Value>>,
        ptr: &str,
        all: &mut SharedByAll,
    ) -> Option<Operation> {
        // Callbacks are requests the API server sends to a subscriber; the
        // operation itself is complete without them.
        let callbacks = op.get("callbacks").and_then(Value::as_object);
        for (name, callback) in callbacks.into_iter().flatten() {
            let cptr = child(&child(ptr, "callbacks"), name);
            let Some((callback, _)) = self.component_ref(callback, &cptr, "callbacks") else {
                continue;
            };
            let requests: usize = callback
                .as_object()
                .into_iter()
                .flat_map(|c| c.values())
                .filter_map(Value::as_object)
                .map(|item| {
                    METHODS
                        .iter()
                        .filter(|(m, _)| item.contains_key(*m))
                        .count()
                })
                .sum();
            self.warn(
                &cptr,
                format!("callback `{name}` is not generated yet: no client or trait for its {requests} request(s) to the subscriber"),
            );
        }
        let operation_id = match op.get("operationId").and_then(Value::as_str) {
            Some(id) => id.to_string(),
            None => {
                let id = format!("{} {path}", method.lower());
                self.warn(ptr, format!("no `operationId`; named after `{id}`"));
                id
            }
        };
        let fn_name = self.claim_method(
            &mut all.fn_names,
            naming::method_name(&operation_id),
            &operation_id,
            ptr,
        );
        let fn_with_response = self.claim_method(
            &mut all.fn_names,
            naming::joined(&[&fn_name, "with_response"]),
            &operation_id,
            ptr,
        );
        let base = naming::type_name(&operation_id);
        let request_type = self.claim_type(&format!("{base}Request"), ptr);
        let response_type = self.claim_type(&format!("{base}Response"), ptr);

        let mut fields = Scope::with_reserved(&["body"]);
        let params = self
            .params(op, shared, ptr, &base, &mut fields)
            .and_then(|params| self.check_template(path, &params, ptr).then_some(params));
        let body = self.request_body(op.get("requestBody"), &child(ptr, "requestBody"), &base);
        let responses = self.responses(op.get("responses"), &child(ptr, "responses"), &base);
        let security = self.security(op, ptr, &all.schemes);
        let docs = self.object_docs(op.get("summary"), op.get("description"));
        Some(Operation {
            operation_id,
            fn_name,
            fn_with_response,
            request_type,
            response_type,
            method,
            path: path.to_string(),
            origin: ptr.to_string(),
            docs,
            deprecated: op.get("deprecated").and_then(Value::as_bool) == Some(true),
            params: params?,
            body: body?,
            responses: responses?,
            security: security?,
            pagination: None,
        })
    }

    fn params(
        &mut self,
        op: &Map<String, Value>,
        shared: Option<&Vec<Value>>,
        ptr: &str,
        base: &str,
        fields: &mut Scope,
    ) -> Option<Vec<Param>> {
        // Operation parameters override path-item parameters of the same name and location.
        let mut declared: Vec<(Value, String)> = Vec::new();
        let own = op.get("parameters").and_then(Value::as_array);
        let sources = [
            (shared, ptr.rsplit_once('/').map(|(p, _)| p).unwrap_or(ptr)),
            (own, ptr),
        ];
        for (list, owner) in sources {
            for (i, p) in list.into_iter().flatten().enumerate() {
                let pptr = child(&child(owner, "parameters"), &i.to_string());
                let (value, vptr) = self.component_ref(p, &pptr, "parameters")?;
                let key = |v: &Value| (v.get("name").cloned(), v.get("in").cloned());
                declared.retain(|(d, _)| key(d) != key(&value));
                declared.push((value, vptr));
            }
        }
        let mut ok = true;
        let mut out = Vec::new();
        for (value, pptr) in declared {
            // OpenAPI: such a parameter definition SHALL be ignored; the
            // client and the router write and read these headers from the
            // operation's media types.
            let name = value
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default();
            if value.get("in").and_then(Value::as_str) == Some("header")
                && ["accept", "content-type"].contains(&name.to_ascii_lowercase().as_str())
            {
                self.warn(
                    &pptr,
                    format!("header parameter `{name}` is ignored, as OpenAPI says: the client and the server set it from the operation's media types"),
                );
                continue;
            }
            let mark = self.mark();
            let param = self
                .param(&value, &pptr, base, fields)
                .or_else(|| self.raw_param(&value, &pptr, mark, fields));
            match param {
                Some(p) => out.push(p),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    /// Every `{name}` of the path template has a path parameter, and every
    /// path parameter a `{name}`: a URL cannot be built or matched otherwise.
    fn check_template(&mut self, path: &str, params: &[Param], ptr: &str) -> bool {
        let template = crate::load::walk::template_variables(path);
        let mut ok = true;
        for name in &template {
            if !params
                .iter()
                .any(|p| p.location == Location::Path && p.wire == *name)
            {
                self.error(
                    ptr,
                    format!("the path template's `{{{name}}}` has no path parameter `{name}`"),
                );
                ok = false;
            }
        }
        for p in params.iter().filter(|p| p.location == Location::Path) {
            if !template.contains(&p.wire.as_str()) {
                self.error(
                    ptr,
                    format!(
                        "path parameter `{}` does not occur in the path `{path}`",
                        p.wire
                    ),
                );
                ok = false;
            }
        }
        ok
    }

    /// `value`, or the component its `$ref` names (with that pointer).
    pub(super) fn component_ref(
        &mut self,
        value: &Value,
        ptr: &str,
        section: &str,
    ) -> Option<(Value, String)> {
        let Some(reference) = value.get("$ref").and_then(Value::as_str) else {
            return Some((value.clone(), ptr.to_string()));
        };
        let prefix = format!("#/components/{section}/");
        let target = reference
            .strip_prefix(&prefix)
            .map(unescape_token)
            .and_then(|name| {
                self.spec
                    .raw
                    .pointer(&format!("/components/{section}"))
                    .and_then(|s| s.get(&name))
            });
        match target {
            Some(t) => {
                let mut t = t.clone();
                if self.spec.is_31() {
                    overlay_reference_docs(&mut t, value);
                }
                Some((t, reference.to_string()))
            }
            None => {
                self.error(
                    &child(ptr, "$ref"),
                    format!("`$ref: {reference}` points to nothing in #/components/{section}"),
                );
                None
            }
        }
    }

    /// Docs of an operation, body, response or header object: its summary
    /// (as the title) and description.
    pub(super) fn object_docs(
        &mut self,
        summary: Option<&Value>,
        description: Option<&Value>,
    ) -> Docs {
        let text = |v: Option<&Value>| v.and_then(Value::as_str).map(String::from);
        let view = SchemaView {
            title: text(summary),
            description: text(description),
            ..SchemaView::default()
        };
        self.docs_of(&view)
    }

    /// The shape of a header object's schema (of a response, or of a
    /// multipart part): a scalar or string enum, else `class` refuses it.
    pub(super) fn header_shape(
        &mut self,
        header: &Value,
        ptr: &str,
        hint: &str,
        class: Unsupported,
    ) -> Option<Shape> {
        let schema = header.get("schema").cloned().unwrap_or(Value::Null);
        let sptr = child(ptr, "schema");
        let mut shape = self.shape_of(&schema, &sptr, hint)?;
        // A header is text: it may be absent, never null.
        shape.nullable = false;
        if !self.is_plain_param(&shape) || matches!(shape.ty, Ty::Array(_)) {
            self.unsupported(
                &sptr,
                class,
                "not supported: a header that is not a scalar or a string enum",
            );
            return None;
        }
        Some(shape)
    }

    pub(super) fn is_plain_param(&self, shape: &Shape) -> bool {
        self.is_plain_within(shape, 8)
    }

    /// `depth` bounds a chain of aliases (`XCorrelator` = `String`).
    fn is_plain_within(&self, shape: &Shape, depth: usize) -> bool {
        match &shape.ty {
            Ty::Array(item) => {
                !matches!(item.ty, Ty::Array(_)) && self.is_plain_within(item, depth)
            }
            Ty::Named(n) => match self.types.iter().find(|t| &t.name == n).map(|t| &t.kind) {
                Some(TypeKind::Enum(_)) => true,
                Some(TypeKind::Alias(inner)) => {
                    depth > 0
                        && !inner.nullable
                        && !matches!(inner.ty, Ty::Array(_))
                        && self.is_plain_within(inner, depth - 1)
                }
                _ => false,
            },
            Ty::Map(_) | Ty::Json | Ty::Bytes => false,
            _ => true,
        }
    }

    fn request_body(
        &mut self,
        value: Option<&Value>,
        ptr: &str,
        base: &str,
    ) -> Option<Option<Body>> {
        let Some(value) = value else {
            return Some(None);
        };
        let (value, ptr) = self.component_ref(value, ptr, "requestBodies")?;
        let cptr = child(&ptr, "content");
        let content = value.get("content").and_then(Value::as_object);
        let Some(content) = content.filter(|c| !c.is_empty()) else {
            self.unsupported(
                &cptr,
                Unsupported::MediaType,
                "not supported: a body without `content`",
            );
            return None;
        };
        let payload = self.payload(content, &cptr, &format!("{base}Body"), true)?;
        Some(Some(Body {
            payload,
            required: value.get("required").and_then(Value::as_bool) == Some(true),
            docs: self.object_docs(None, value.get("description")),
        }))
    }

    fn responses(&mut self, value: Option<&Value>, ptr: &str, base: &str) -> Option<Vec<Response>> {
        let Some(map) = value.and_then(Value::as_object) else {
            self.error(ptr, "an operation needs `responses`");
            return None;
        };
        let mut variants = Scope::default();
        let mut out = Vec::new();
        let mut ok = true;
        for (status, value) in map {
            let rptr = child(ptr, status);
            let range = |s: &str| {
                let class = s.strip_suffix("XX").or_else(|| s.strip_suffix("xx"))?;
                class.parse::<u16>().ok().filter(|c| (1..=5).contains(c))
            };
            let code = match status.as_str() {
                "default" => Status::Default,
                s if s.len() == 3 && s.chars().all(|c| c.is_ascii_digit()) => {
                    match s.parse::<u16>().ok().filter(|c| (100..600).contains(c)) {
                        Some(code) => Status::Code(code),
                        None => {
                            self.error(&rptr, format!("`{status}` is not an HTTP status code"));
                            ok = false;
                            continue;
                        }
                    }
                }
                s => match range(s) {
                    Some(class) => Status::Range(class),
                    None => {
                        self.error(
                            &rptr,
                            format!("`{status}` is not a response key (a status code, `1XX` to `5XX` or `default`)"),
                        );
                        ok = false;
                        continue;
                    }
                },
            };
            let (variant, _) = variants.claim(variant_name(code), &rptr);
            match self.response(value, &rptr, base, code, variant) {
                Some(r) => out.push(r),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn response(
        &mut self,
        value: &Value,
        ptr: &str,
        base: &str,
        status: Status,
        variant: String,
    ) -> Option<Response> {
        let (value, ptr) = self.component_ref(value, ptr, "responses")?;
        let body = match value.get("content").and_then(Value::as_object) {
            Some(content) if !content.is_empty() => {
                let hint = format!("{base}{variant}Body");
                Some(self.payload(content, &child(&ptr, "content"), &hint, false)?)
            }
            _ => None,
        };
        let mut headers = Vec::new();
        let mut fields = Scope::with_reserved(&["body"]);
        if let Some(map) = value.get("headers").and_then(Value::as_object) {
            for (name, h) in map {
                let hptr = child(&child(&ptr, "headers"), name);
                let (h, hptr) = self.component_ref(h, &hptr, "headers")?;
                if name.eq_ignore_ascii_case("content-type") {
                    continue;
                }
                let hint = format!("{base}{}", naming::type_name(name));
                let shape = self.header_shape(&h, &hptr, &hint, Unsupported::Response)?;
                let (rust, collision) =
                    fields.claim(naming::field_name(name), &format!("`{name}`"));
                if let Some(c) = collision {
                    self.collision_warning(&hptr, "headers", &c);
                }
                headers.push(ResponseHeader {
                    wire: name.clone(),
                    rust,
                    shape,
                    required: h.get("required").and_then(Value::as_bool) == Some(true),
                    docs: self.object_docs(None, h.get("description")),
                });
            }
        }
        Some(Response {
            status,
            variant,
            docs: self.object_docs(None, value.get("description")),
            body,
            headers,
        })
    }
}

fn variant_name(status: Status) -> String {
    let code = match status {
        Status::Code(code) => code,
        Status::Default => return "Default".into(),
        Status::Range(class) => {
            let name = match class {
                1 => "Informational",
                2 => "Success",
                3 => "Redirection",
                4 => "ClientError",
                _ => "ServerError",
            };
            return name.into();
        }
    };
    let name = match code {
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        204 => "NoContent",
        301 => "MovedPermanently",
        302 => "Found",
        304 => "NotModified",
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        409 => "Conflict",
        410 => "Gone",
        412 => "PreconditionFailed",
        413 => "PayloadTooLarge",
        415 => "UnsupportedMediaType",
        422 => "UnprocessableEntity",
        429 => "TooManyRequests",
        500 => "InternalServerError",
        501 => "NotImplemented",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        _ => return format!("Status{code}"),
    };
    name.into()
}

/// The first server, if its URL is absolute; variables in URL order.
fn server(raw: &Value) -> Option<Server> {
    let server = raw.pointer("/servers/0")?;
    let url = server.get("url").and_then(Value::as_str)?;
    if !url.contains("://") {
        return None;
    }
    let declared = server.get("variables").and_then(Value::as_object);
    let mut variables: Vec<ServerVariable> = Vec::new();
    for (i, _) in url.match_indices('{') {
        let Some(len) = url[i + 1..].find('}') else {
            continue;
        };
        let name = &url[i + 1..i + 1 + len];
        if variables.iter().any(|v| v.name == name) {
            continue;
        }
        let var = declared.and_then(|d| d.get(name));
        let text = |key: &str| var.and_then(|v| v.get(key)).and_then(Value::as_str);
        // The spec requires a default; without one there is no usable URL.
        let default = text("default")?;
        variables.push(ServerVariable {
            name: name.to_string(),
            rust: naming::field_name(name),
            default: default.to_string(),
            values: var
                .and_then(|v| v.get("enum"))
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(String::from)
                        .collect()
                })
                .unwrap_or_default(),
            description: text("description").map(String::from),
        });
    }
    Some(Server {
        url: url.to_string(),
        variables,
    })
}

/// The path of the first server URL (`{protocol}://{domain}:{port}/rest/rma`
/// → `/rest/rma`), with variables in the path replaced by their defaults.
fn base_path(raw: &Value) -> String {
    let Some(server) = raw.pointer("/servers/0") else {
        return String::new();
    };
    let url = server
        .get("url")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let after_scheme = url.split_once("://").map(|(_, rest)| rest);
    let path = match after_scheme {
        Some(rest) => rest.find('/').map(|i| &rest[i..]).unwrap_or(""),
        None => url,
    };
    let mut path = path.to_string();
    if let Some(vars) = server.get("variables").and_then(Value::as_object) {
        for (name, var) in vars {
            if let Some(d) = var.get("default").and_then(Value::as_str) {
                path = path.replace(&format!("{{{name}}}"), d);
            }
        }
    }
    path.trim_end_matches('/').to_string()
}

/// A webhook is received at `/{name}`: the name must be one path segment
/// that axum matches literally.
fn valid_webhook_path(path: &str) -> bool {
    let name = &path[1..];
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// In 3.1 the `description` beside a reference replaces the target's, and
/// so does its `summary` where the target has one (3.0 ignores both).
fn overlay_reference_docs(target: &mut Value, reference: &Value) {
    let (Some(target), Some(reference)) = (target.as_object_mut(), reference.as_object()) else {
        return;
    };
    if let Some(description) = reference.get("description") {
        target.insert("description".into(), description.clone());
    }
    if let (Some(summary), true) = (reference.get("summary"), target.contains_key("summary")) {
        target.insert("summary".into(), summary.clone());
    }
}

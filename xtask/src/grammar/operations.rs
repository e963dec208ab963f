//! Random paths and operations: path, query, header and cookie parameters
//! in every style, request bodies of every media type the generator knows
//! (and some it does not), responses with and without bodies and headers,
//! and security requirements.

use serde_json::{json, Map, Value};

use super::schemas::Grammar;

const SEGMENTS: &[&str] = &[
    "pets", "users", "v1", "items", "a-b", "with.dot", "_x", "2fa", "Users", "self", "type",
];

const PATH_PARAMETERS: &[&str] = &["id", "petId", "item-id", "type", "self", "ID", "x.y"];

const QUERY_NAMES: &[&str] = &[
    "limit",
    "page[size]",
    "filter[name]",
    "sort",
    "q",
    "type",
    "self",
    "$top",
    "api-version",
    "expand[]",
    "Limit",
];

const HEADER_NAMES: &[&str] = &["X-Request-Id", "x-api-key", "If-Match", "X-Count"];

const OPERATION_IDS: &[&str] = &[
    "listPets",
    "list_pets",
    "ListPets",
    "get",
    "type",
    "self",
    "match",
    "fooBar",
    "foo-bar",
    "foo.bar",
    "2fa",
    "new",
    "default",
    "clone",
    "into",
    "send",
    "builder",
];

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "patch", "head", "options", "trace",
];

impl Grammar {
    pub fn paths(&mut self) -> Map<String, Value> {
        let mut paths = Map::new();
        let mut ids: Vec<&str> = Vec::new();
        let mut shapes = Vec::new();
        for _ in 0..self.rng.usize(1..6) {
            let mut template = String::new();
            let mut variables = Vec::new();
            for _ in 0..self.rng.usize(1..4) {
                if self.chance(35) {
                    let name = self.pick(PATH_PARAMETERS);
                    if variables.contains(&name) {
                        continue;
                    }
                    variables.push(name);
                    template.push_str(&format!("/{{{name}}}"));
                } else {
                    let segment = self.pick(SEGMENTS);
                    template.push('/');
                    template.push_str(segment);
                }
            }
            // `/a/{id}` and `/a/{petId}` are one route.
            let shape = shape_of(&template);
            if shapes.contains(&shape) {
                continue;
            }
            shapes.push(shape);
            let mut item = Map::new();
            let mut declared: Vec<Value> = variables
                .iter()
                .map(|name| self.path_parameter(name))
                .collect();
            // Declared on the path item, or on each operation.
            let on_item = self.rng.bool();
            if on_item && !declared.is_empty() {
                item.insert("parameters".into(), Value::Array(declared.clone()));
                declared.clear();
            }
            for _ in 0..self.rng.usize(1..4) {
                let method = self.pick(METHODS);
                if item.contains_key(method) {
                    continue;
                }
                let operation = self.operation(method, &declared, &mut ids);
                item.insert(method.into(), operation);
            }
            paths.insert(template, Value::Object(item));
        }
        paths
    }

    fn path_parameter(&mut self, name: &str) -> Value {
        let schema = match self.rng.usize(..5) {
            0 => json!({"type": "integer", "format": "int64"}),
            1 => json!({"type": "string", "format": "uuid"}),
            2 => json!({"type": "string", "enum": ["a", "b-c", "1"]}),
            _ => json!({"type": "string"}),
        };
        json!({"name": name, "in": "path", "required": true, "schema": schema})
    }

    fn operation(&mut self, method: &str, path_parameters: &[Value], ids: &mut Vec<&str>) -> Value {
        let mut operation = Map::new();
        if self.chance(80) {
            let id = self.pick(OPERATION_IDS);
            if !ids.contains(&id) {
                ids.push(id);
                operation.insert("operationId".into(), id.into());
            }
        }
        if self.chance(50) {
            operation.insert("summary".into(), self.description().into());
        }
        if self.chance(30) {
            operation.insert("tags".into(), json!([self.pick(&["pets", "Users", "a b"])]));
        }
        let mut parameters: Vec<Value> = path_parameters.to_vec();
        let mut names: Vec<(String, String)> = Vec::new();
        for _ in 0..self.rng.usize(..5) {
            let parameter = self.parameter();
            let exploded_object = parameter["in"] == "query"
                && parameter["schema"]["type"] == "object"
                && parameter.get("style").is_none();
            if exploded_object && names.iter().any(|(_, place)| place == "exploded") {
                // Two would both put `from` and `to` in the query.
                continue;
            }
            if exploded_object {
                names.push((String::new(), "exploded".into()));
            }
            let key = (
                parameter["name"].as_str().unwrap_or_default().to_string(),
                parameter["in"].as_str().unwrap_or_default().to_string(),
            );
            if !names.contains(&key) {
                names.push(key);
                parameters.push(parameter);
            }
        }
        if !parameters.is_empty() {
            operation.insert("parameters".into(), Value::Array(parameters));
        }
        let takes_body = !matches!(method, "get" | "head" | "options" | "trace");
        if (takes_body && self.chance(70)) || self.chance(5) {
            operation.insert("requestBody".into(), self.request_body());
        }
        operation.insert("responses".into(), self.responses(method));
        if self.chance(15) {
            operation.insert("security".into(), json!([]));
        }
        if self.chance(10) {
            operation.insert("deprecated".into(), true.into());
        }
        Value::Object(operation)
    }

    fn parameter(&mut self) -> Value {
        match self.rng.usize(..10) {
            0..=5 => self.query_parameter(),
            6 | 7 => {
                let schema = if self.chance(25) {
                    json!({"type": "array", "items": {"type": "string"}})
                } else {
                    self.scalar()
                };
                json!({"name": self.pick(HEADER_NAMES), "in": "header", "required": self.rng.bool(), "schema": schema})
            }
            8 => {
                json!({"name": self.pick(&["session", "csrf-token"]), "in": "cookie", "schema": self.scalar()})
            }
            _ => {
                // A parameter whose value is a JSON document.
                let schema = self.object(0);
                json!({"name": "filter", "in": "query", "content": {"application/json": {"schema": schema}}})
            }
        }
    }

    fn query_parameter(&mut self) -> Value {
        let name = self.pick(QUERY_NAMES);
        let mut parameter = json!({"name": name, "in": "query"});
        if self.chance(30) {
            parameter["required"] = true.into();
        }
        match self.rng.usize(..8) {
            0..=3 => parameter["schema"] = self.scalar(),
            4 | 5 => {
                parameter["schema"] = json!({"type": "array", "items": self.scalar()});
                let (style, explode) = match self.rng.usize(..5) {
                    0 => ("form", false),
                    1 => ("spaceDelimited", false),
                    2 => ("pipeDelimited", false),
                    _ => ("form", true),
                };
                parameter["style"] = style.into();
                parameter["explode"] = explode.into();
            }
            6 => {
                // deepObject: `name[key]=value`.
                let mut properties = Map::new();
                for key in ["gte", "lte", "eq"] {
                    if self.rng.bool() {
                        properties.insert(key.into(), self.scalar());
                    }
                }
                properties.insert(
                    "ids".into(),
                    json!({"type": "array", "items": {"type": "integer"}}),
                );
                parameter["schema"] = json!({"type": "object", "properties": properties});
                parameter["style"] = "deepObject".into();
                parameter["explode"] = true.into();
            }
            _ => {
                // An exploded form object: each property its own parameter.
                parameter["schema"] = json!({"type": "object", "properties": {
                    "from": {"type": "string", "format": "date"},
                    "to": {"type": "string", "format": "date"},
                }});
            }
        }
        if self.chance(5) {
            parameter["allowEmptyValue"] = true.into();
        }
        parameter
    }

    fn request_body(&mut self) -> Value {
        let mut content = Map::new();
        for _ in 0..self.rng.usize(1..3) {
            let (media, schema) = match self.rng.usize(..10) {
                0..=3 => ("application/json", self.schema(2, true)),
                4 => ("application/x-www-form-urlencoded", self.form()),
                5 => ("multipart/form-data", self.multipart()),
                6 => (
                    "application/octet-stream",
                    json!({"type": "string", "format": "binary"}),
                ),
                7 => ("text/plain", json!({"type": "string"})),
                8 => ("application/merge-patch+json", self.object(1)),
                _ => (
                    self.pick(&["application/xml", "*/*", "application/vnd.api+json"]),
                    self.schema(1, true),
                ),
            };
            content.insert(media.into(), json!({"schema": schema}));
        }
        let mut body = json!({"content": content});
        if self.rng.bool() {
            body["required"] = true.into();
        }
        if self.chance(20) {
            body["description"] = self.description().into();
        }
        body
    }

    /// A form body: scalars and arrays of scalars, or no properties at all.
    fn form(&mut self) -> Value {
        if self.chance(15) {
            return json!({"type": "object", "properties": {}});
        }
        let mut properties = Map::new();
        for name in ["name", "count", "tags", "when"] {
            if self.rng.bool() {
                let schema = match name {
                    "tags" => json!({"type": "array", "items": {"type": "string"}}),
                    "when" => json!({"type": "string", "format": "date-time"}),
                    _ => self.scalar(),
                };
                properties.insert(name.into(), schema);
            }
        }
        json!({"type": "object", "properties": properties})
    }

    /// A multipart body: files, scalars, a date-time, a JSON part, or a
    /// reference to an object component.
    fn multipart(&mut self) -> Value {
        match self.rng.usize(..10) {
            // Parts that no schema lists.
            0 => return json!({"type": "object"}),
            1 => return json!({"type": "object", "additionalProperties": {"type": "string"}}),
            // Parts from an object component, or from several.
            2 if !self.components.is_empty() => {
                let name = self.pick_component();
                return json!({"allOf": [
                    {"$ref": format!("#/components/schemas/{name}")},
                    {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}},
                ]});
            }
            _ => {}
        }
        let mut properties = Map::new();
        properties.insert("file".into(), json!({"type": "string", "format": "binary"}));
        if self.rng.bool() {
            properties.insert(
                "files".into(),
                json!({"type": "array", "items": {"type": "string", "format": "binary"}}),
            );
        }
        if self.rng.bool() {
            properties.insert(
                "when".into(),
                json!({"type": "string", "format": "date-time"}),
            );
        }
        if self.rng.bool() {
            properties.insert("meta".into(), self.object(0));
        }
        if self.rng.bool() {
            properties.insert("count".into(), json!({"type": "integer"}));
        }
        json!({"type": "object", "required": ["file"], "properties": properties})
    }

    fn responses(&mut self, method: &str) -> Value {
        let codes = [
            "200", "200", "201", "202", "204", "206", "301", "304", "400", "401", "404", "409",
            "422", "4XX", "5XX", "default",
        ];
        let mut responses = Map::new();
        for _ in 0..self.rng.usize(1..4) {
            let code = self.pick(&codes);
            if responses.contains_key(code) {
                continue;
            }
            let mut response = json!({"description": self.description()});
            let bodiless = matches!(code, "204" | "304") || method == "head";
            if !bodiless && self.chance(80) {
                let (media, schema) = match self.rng.usize(..8) {
                    0..=4 => ("application/json", self.schema(2, true)),
                    5 => ("text/plain", json!({"type": "string"})),
                    6 => (
                        "application/octet-stream",
                        json!({"type": "string", "format": "binary"}),
                    ),
                    _ => ("application/problem+json", self.object(0)),
                };
                response["content"] = json!({ media: {"schema": schema} });
            }
            if self.chance(20) {
                response["headers"] = json!({
                    "X-Rate-Limit": {"schema": {"type": "integer"}},
                    "Location": {"schema": {"type": "string", "format": "uri"}},
                });
            }
            responses.insert(code.into(), response);
        }
        Value::Object(responses)
    }

    pub fn security_schemes(&mut self) -> Map<String, Value> {
        let mut schemes = Map::new();
        let all = [
            (
                "api_key",
                json!({"type": "apiKey", "name": "X-API-Key", "in": "header"}),
            ),
            (
                "query_key",
                json!({"type": "apiKey", "name": "key", "in": "query"}),
            ),
            (
                "cookie_key",
                json!({"type": "apiKey", "name": "sid", "in": "cookie"}),
            ),
            ("basic", json!({"type": "http", "scheme": "basic"})),
            (
                "bearer",
                json!({"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}),
            ),
            (
                "oauth",
                json!({"type": "oauth2", "flows": {"clientCredentials": {
                    "tokenUrl": "https://example.com/token", "scopes": {"read": "Read"}}}}),
            ),
        ];
        for (name, scheme) in all {
            if self.chance(25) {
                schemes.insert(name.into(), scheme);
            }
        }
        schemes
    }
}

fn shape_of(template: &str) -> String {
    let mut shape = String::new();
    let mut inside = false;
    for c in template.chars() {
        match c {
            '{' => {
                inside = true;
                shape.push('{');
            }
            '}' => {
                inside = false;
                shape.push('}');
            }
            _ if inside => {}
            _ => shape.push(c),
        }
    }
    shape
}

//! Random schemas from a grammar of the constructs public specs use:
//! scalars with formats and checks, enums of awkward values, arrays, maps,
//! objects with awkward property names, references (self-references
//! included), `allOf`, `oneOf`/`anyOf` with and without a discriminator,
//! free-form schemas and nullability in the 3.0 and 3.1 spellings.

use serde_json::{json, Map, Value};

/// Property names that public specs use and Rust does not take as they are:
/// keywords, symbols, digits, names that collide once converted to snake
/// case, and names clippy flags.
const PROPERTY_NAMES: &[&str] = &[
    "id",
    "name",
    "type",
    "self",
    "Self",
    "crate",
    "async",
    "match",
    "+1",
    "-1",
    "@type",
    "$ref",
    "foo",
    "bar",
    "baz",
    "a_b",
    "aB",
    "A-B",
    "1st",
    "_",
    "__x",
    "camelCase",
    "UPPER_CASE",
    "with space",
    "ünïcödé",
    "value",
    "default",
    "error",
    "Result",
    "Option",
    "String",
    "Vec",
    "Box",
    "None",
    "Some",
    "created_at",
    "page[size]",
    "x.y",
];

/// Component names, several of which collide once converted to Rust.
pub const COMPONENT_NAMES: &[&str] = &[
    "Pet",
    "pet",
    "Error",
    "Result",
    "Option",
    "String",
    "Vec",
    "Box",
    "Value",
    "Self",
    "Client",
    "Default",
    "Type",
    "a.b",
    "A-B",
    "1Thing",
    "Thing_1",
    "thing-1",
    "Json",
    "Map",
    "Response",
    "Request",
    "Some",
    "Ok",
    "Future",
    "Order",
    "OrderItem",
    "order_item",
    "Order.Item",
    "fn",
    "type",
    "super",
];

/// String enum values: empty, symbols, digits, case variants of one word.
const ENUM_VALUES: &[&str] = &[
    "", "a b", "+1", "-1", "UPPER", "upper", "Upper", "a-b", "a_b", "1", "self", "type", "null",
    "true", "ünï", "*", "/", ">=",
];

/// Patterns, each with a string it matches.
const PATTERNS: &[(&str, &str)] = &[
    ("^[a-z]+$", "abc"),
    ("^\\d{3}-\\d{2}$", "123-45"),
    ("^[A-Z]{2}$", "DE"),
    ("^(?:[a-z0-9]+(?:-[a-z0-9]+)*)$", "a-b1"),
];

/// Doc texts that must stay comments: markdown, HTML, comment terminators.
const DESCRIPTIONS: &[&str] = &[
    "A plain sentence.",
    "Ends a comment */ and opens one /* here.",
    "Markdown: `code`, **bold**, [a link](https://example.com) and\n\n```\nfenced\n```",
    "<b>HTML</b> & entities &amp; <br/>",
    "    indented like code",
    "Line one\nline two\r\nline three",
    "#[attribute] and \"quotes\" and \\ backslash",
];

pub struct Grammar {
    pub rng: fastrand::Rng,
    /// OpenAPI 3.1: nullability as a type array, `const`, numeric
    /// exclusive bounds.
    pub v31: bool,
    /// Component schemas declared so far (references may point at any of
    /// them, the one being built included).
    pub components: Vec<String>,
    /// The last of `components` is the one being built.
    pub building: bool,
}

impl Grammar {
    pub fn chance(&mut self, percent: usize) -> bool {
        self.rng.usize(..100) < percent
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.rng.usize(..items.len())]
    }

    pub fn description(&mut self) -> &'static str {
        self.pick(DESCRIPTIONS)
    }

    /// Any schema, at most `depth` levels of nesting below this one.
    /// `guarded`: the schema is inside an array, a property or a map, where
    /// a reference to the component being built is a well-founded
    /// recursion; elsewhere references only go to earlier components, so
    /// that no component is an alias of itself.
    pub fn schema(&mut self, depth: usize, guarded: bool) -> Value {
        let choice = if depth == 0 {
            self.rng.usize(..6)
        } else {
            self.rng.usize(..16)
        };
        let mut schema = match choice {
            0..=3 => self.scalar(),
            4 | 5 => self.reference(guarded),
            6 | 7 => json!({"type": "array", "items": self.schema(depth - 1, true)}),
            8 | 9 => self.object(depth - 1),
            10 => json!({"type": "object", "additionalProperties": self.schema(depth - 1, true)}),
            11 => self.all_of(depth - 1, guarded),
            12 | 13 => self.union(depth - 1, guarded),
            14 => json!({}),
            _ => json!({"type": "object"}),
        };
        self.decorate(&mut schema);
        schema
    }

    pub fn pick_component(&mut self) -> String {
        self.components[self.rng.usize(..self.components.len())].clone()
    }

    fn reference(&mut self, guarded: bool) -> Value {
        let reachable = if guarded {
            self.components.len()
        } else {
            self.components
                .len()
                .saturating_sub(usize::from(self.building))
        };
        if reachable == 0 {
            return json!({});
        }
        let name = self.components[self.rng.usize(..reachable)].clone();
        json!({"$ref": format!("#/components/schemas/{name}")})
    }

    /// A description, nullability, `readOnly`, `deprecated`, sometimes.
    fn decorate(&mut self, schema: &mut Value) {
        let Some(map) = schema.as_object_mut() else {
            return;
        };
        if map.contains_key("$ref") {
            // Siblings of `$ref` are ignored in 3.0; a nullable reference
            // is spelled with allOf there.
            if self.chance(10) {
                let target = map.clone();
                *map = if self.v31 {
                    json!({"anyOf": [target, {"type": "null"}]})
                } else {
                    json!({"allOf": [target], "nullable": true})
                }
                .as_object()
                .cloned()
                .unwrap_or_default();
            }
            return;
        }
        if self.chance(20) {
            let text = self.description();
            map.insert("description".into(), text.into());
        }
        if self.chance(10) {
            map.insert("deprecated".into(), true.into());
        }
        if self.chance(12) {
            self.nullable(map);
        }
    }

    fn nullable(&mut self, map: &mut Map<String, Value>) {
        if !self.v31 {
            map.insert("nullable".into(), true.into());
            return;
        }
        match map.get("type").cloned() {
            Some(Value::String(t)) => {
                map.insert("type".into(), json!([t, "null"]));
            }
            Some(_) => {}
            None if map.is_empty() => {}
            None => {
                let inner = Value::Object(std::mem::take(map));
                map.insert("anyOf".into(), json!([inner, {"type": "null"}]));
            }
        }
    }

    /// A string, integer, number or boolean with its format and checks.
    pub fn scalar(&mut self) -> Value {
        match self.rng.usize(..10) {
            0..=3 => self.string(),
            4 | 5 => self.integer(),
            6 | 7 => self.number(),
            8 => json!({"type": "boolean", "default": self.rng.bool()}),
            _ => self.string_enum(),
        }
    }

    pub fn string(&mut self) -> Value {
        let formats = [
            None,
            None,
            Some(("date-time", "2024-01-02T03:04:05Z")),
            Some(("date", "2024-01-02")),
            Some(("uuid", "123e4567-e89b-12d3-a456-426614174000")),
            Some(("email", "a@example.com")),
            Some(("uri", "https://example.com/a")),
            Some(("byte", "aGVsbG8=")),
            Some(("ipv4", "127.0.0.1")),
            Some(("password", "secret")),
            Some(("made-up-format", "x")),
        ];
        let (format, sample) = match formats[self.rng.usize(..formats.len())] {
            Some((f, s)) => (Some(f), s.to_string()),
            None => (None, "text".to_string()),
        };
        let mut schema = json!({"type": "string"});
        let map = schema.as_object_mut().expect("an object literal");
        let mut sample = sample;
        if let Some(format) = format {
            map.insert("format".into(), format.into());
        } else if self.chance(25) {
            let (pattern, matching) = PATTERNS[self.rng.usize(..PATTERNS.len())];
            map.insert("pattern".into(), pattern.into());
            sample = matching.to_string();
        } else if self.chance(30) {
            map.insert("minLength".into(), 1.into());
            map.insert("maxLength".into(), 64.into());
        }
        if self.chance(15) {
            map.insert("default".into(), sample.clone().into());
        }
        if self.chance(15) {
            map.insert("example".into(), sample.into());
        }
        schema
    }

    pub fn string_enum(&mut self) -> Value {
        if self.chance(3) {
            // A string that may only be null.
            return match self.v31 {
                true => json!({"type": ["string", "null"], "enum": [null]}),
                false => json!({"type": "string", "nullable": true, "enum": [null]}),
            };
        }
        let count = self.rng.usize(1..5);
        let mut values: Vec<&str> = Vec::new();
        for _ in 0..count {
            let v = self.pick(ENUM_VALUES);
            if !values.contains(&v) {
                values.push(v);
            }
        }
        if self.v31 && values.len() == 1 && self.chance(50) {
            return json!({"type": "string", "const": values[0]});
        }
        let mut schema = json!({"type": "string", "enum": values});
        if self.chance(20) {
            schema["default"] = values[0].into();
        }
        if self.chance(10) {
            // The pattern of a nullable enum: null among the values.
            if let Some(list) = schema["enum"].as_array_mut() {
                list.push(Value::Null);
            }
            if self.v31 {
                schema["type"] = json!(["string", "null"]);
            } else {
                schema["nullable"] = true.into();
            }
        }
        schema
    }

    fn integer(&mut self) -> Value {
        let mut schema = json!({"type": "integer"});
        match self.rng.usize(..4) {
            0 => schema["format"] = "int32".into(),
            1 => schema["format"] = "int64".into(),
            2 => schema["format"] = "uint8".into(),
            _ => {}
        }
        if self.chance(30) {
            schema["minimum"] = 0.into();
            schema["maximum"] = 100.into();
        }
        if self.chance(10) {
            if self.v31 {
                schema["exclusiveMinimum"] = json!(-1);
            } else {
                schema["minimum"] = json!(-1);
                schema["exclusiveMinimum"] = true.into();
            }
        }
        if self.chance(10) {
            schema["multipleOf"] = 5.into();
            schema["default"] = 10.into();
        } else if self.chance(10) {
            schema["enum"] = json!([1, 2, 3]);
        }
        schema
    }

    fn number(&mut self) -> Value {
        let mut schema = json!({"type": "number"});
        match self.rng.usize(..3) {
            0 => schema["format"] = "float".into(),
            1 => schema["format"] = "double".into(),
            _ => {}
        }
        if self.chance(30) {
            schema["minimum"] = json!(0.5);
            schema["maximum"] = json!(1e6);
        }
        if self.chance(15) {
            schema["default"] = json!(1.5);
        }
        schema
    }

    /// An object with one to six properties, some required, some
    /// read-only, additional properties allowed, forbidden or typed.
    pub fn object(&mut self, depth: usize) -> Value {
        let mut properties = Map::new();
        let mut required = Vec::new();
        for _ in 0..self.rng.usize(1..7) {
            let name = self.pick(PROPERTY_NAMES);
            if properties.contains_key(name) {
                continue;
            }
            let mut property = self.schema(depth, true);
            if self.chance(10) && property.get("$ref").is_none() {
                property["readOnly"] = true.into();
            }
            if self.chance(40) {
                required.push(name);
            }
            properties.insert(name.into(), property);
        }
        let mut schema = json!({"type": "object", "properties": properties});
        if !required.is_empty() {
            schema["required"] = json!(required);
        }
        match self.rng.usize(..8) {
            0 => schema["additionalProperties"] = false.into(),
            1 => schema["additionalProperties"] = true.into(),
            2 => schema["additionalProperties"] = self.scalar(),
            _ => {}
        }
        if self.chance(10) {
            schema["title"] = "A titled object".into();
        }
        schema
    }

    fn all_of(&mut self, depth: usize, guarded: bool) -> Value {
        let mut parts = Vec::new();
        if self.chance(70) {
            let part = self.reference(guarded);
            if part.get("$ref").is_some() {
                parts.push(part);
            }
        }
        for _ in 0..self.rng.usize(1..3) {
            parts.push(self.object(depth));
        }
        json!({"allOf": parts})
    }

    /// `oneOf` or `anyOf` over scalars of different types, objects or
    /// references.
    fn union(&mut self, depth: usize, guarded: bool) -> Value {
        let keyword = if self.rng.bool() { "oneOf" } else { "anyOf" };
        let mut variants = Vec::new();
        if self.chance(40) {
            // Scalars of different types: exactly one matches each value.
            variants.push(json!({"type": "string"}));
            variants.push(json!({"type": "integer"}));
            if self.rng.bool() {
                variants.push(json!({"type": "array", "items": {"type": "string"}}));
            }
        } else {
            for _ in 0..self.rng.usize(2..4) {
                variants.push(self.schema(depth, guarded));
            }
        }
        json!({ keyword: variants })
    }

    /// Components: plain schemas, and now and then a family told apart by
    /// a discriminator (a `oneOf` of references, or a base that subtypes
    /// extend with `allOf`).
    pub fn components(&mut self) -> Map<String, Value> {
        let mut schemas = Map::new();
        for _ in 0..self.rng.usize(1..8) {
            let name = self.pick(COMPONENT_NAMES).to_string();
            if schemas.contains_key(&name) {
                continue;
            }
            self.components.push(name.clone());
            self.building = true;
            let schema = if self.chance(60) {
                self.object(2)
            } else {
                self.schema(2, false)
            };
            self.building = false;
            schemas.insert(name, schema);
        }
        if self.chance(35) {
            self.discriminated(&mut schemas);
        }
        schemas
    }

    fn discriminated(&mut self, schemas: &mut Map<String, Value>) {
        let tag = self.pick(&["kind", "type", "@type", "petType"]);
        let family = format!("Family{}", self.rng.usize(..100));
        let count = self.rng.usize(1..4);
        let names: Vec<String> = (0..count).map(|i| format!("{family}Member{i}")).collect();
        let inherit = self.rng.bool();
        let mut mapping = Map::new();
        for (i, name) in names.iter().enumerate() {
            // Without a mapping entry the tag is the component's name.
            let value = if self.chance(70) {
                ["cat", "dog", "Bird-1", "a b"][i].to_string()
            } else {
                name.clone()
            };
            let mut own = self.object(1);
            let mut tag_schema = json!({"type": "string"});
            if self.chance(50) {
                tag_schema["enum"] = json!([value]);
            }
            own["properties"][tag] = tag_schema;
            let required = own["required"].as_array().cloned().unwrap_or_default();
            let mut required: Vec<Value> = required;
            required.push(tag.into());
            own["required"] = Value::Array(required);
            let member = if inherit {
                json!({"allOf": [{"$ref": format!("#/components/schemas/{family}")}, own]})
            } else {
                own
            };
            if value != *name || self.chance(50) {
                mapping.insert(value, format!("#/components/schemas/{name}").into());
            }
            schemas.insert(name.clone(), member);
            self.components.push(name.clone());
        }
        let discriminator = json!({"propertyName": tag, "mapping": mapping});
        let base = if inherit {
            json!({
                "type": "object",
                "required": [tag],
                "properties": {tag: {"type": "string"}, "shared": {"type": "integer"}},
                "discriminator": discriminator,
            })
        } else {
            let refs: Vec<Value> = names
                .iter()
                .map(|n| json!({"$ref": format!("#/components/schemas/{n}")}))
                .collect();
            json!({"oneOf": refs, "discriminator": discriminator})
        };
        schemas.insert(family.clone(), base);
        self.components.push(family);
    }
}

//! Form and multipart bodies: the fields a form's `encoding` sets apart,
//! and the parts of a multipart body, from its object schema (merged
//! through `allOf`, or the members of all of several objects).

use serde_json::Value;

use super::build::Builder;
use super::operations::{FormField, FormStyle, MultipartPart, PartHeader, PartKind};
use super::view::SchemaView;
use super::{Access, Field, Shape, StructDef, Ty, TypeDef, TypeKind};
use crate::diagnostics::{child, Unsupported};
use crate::naming::{self, Scope};

impl Builder<'_> {
    /// A form body is an object; its `encoding` says how each property
    /// goes, where not the default.
    pub(super) fn form_fields(
        &mut self,
        shape: &Shape,
        entry: &Value,
        ptr: &str,
    ) -> Option<Vec<FormField>> {
        // A free-form object (`properties: {}`, a map) is its pairs.
        let free_form = !shape.nullable && matches!(shape.ty, Ty::Map(_) | Ty::Json);
        if !self.is_struct(shape) && !free_form {
            self.unsupported(
                &child(ptr, "schema"),
                Unsupported::MediaType,
                "not supported: a form body whose schema is not an object",
            );
            return None;
        }
        let mut fields = Vec::new();
        let encoding = entry.get("encoding").and_then(Value::as_object);
        for (wire, e) in encoding.into_iter().flatten() {
            let eptr = child(&child(ptr, "encoding"), wire);
            let text = |key: &str| e.get(key).and_then(Value::as_str);
            let style = text("style").unwrap_or("form");
            let explode = e
                .get("explode")
                .and_then(Value::as_bool)
                .unwrap_or(style == "form");
            if let Some(content_type) = text("contentType") {
                let plain = content_type.starts_with("text/plain");
                if !plain {
                    self.unsupported(
                        &child(&eptr, "contentType"),
                        Unsupported::MediaType,
                        format!("not supported: a form property encoded as `{content_type}`"),
                    );
                    return None;
                }
            }
            let style = match (style, explode) {
                ("form", true) => continue,
                ("form", false) => FormStyle::Comma,
                ("spaceDelimited", _) => FormStyle::Space,
                ("pipeDelimited", _) => FormStyle::Pipe,
                ("deepObject", _) => FormStyle::Deep,
                (other, _) => {
                    self.unsupported(
                        &child(&eptr, "style"),
                        Unsupported::MediaType,
                        format!("not supported: style `{other}` in a form body"),
                    );
                    return None;
                }
            };
            fields.push(FormField {
                wire: wire.clone(),
                style,
            });
        }
        Some(fields)
    }

    /// The parts of a multipart body: the properties of its object schema
    /// (merged through `allOf`), or, for a body that is one of several
    /// objects, the properties of all of them.
    fn form_members(&mut self, object: &Value, sptr: &str) -> Option<FormMembers> {
        let plain = object
            .get("properties")
            .and_then(Value::as_object)
            .filter(|p| !p.is_empty());
        let composed = ["allOf", "oneOf", "anyOf"]
            .iter()
            .any(|k| object.get(*k).is_some());
        if let (Some(properties), false) = (plain, composed) {
            let required = object
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(String::from)
                .collect();
            let properties = properties
                .iter()
                .map(|(wire, p)| {
                    let pptr = child(&child(sptr, "properties"), wire);
                    (wire.clone(), (p.clone(), pptr))
                })
                .collect();
            return Some(FormMembers {
                properties,
                required,
            });
        }
        let refuse = |b: &mut Self| {
            b.unsupported(
                sptr,
                Unsupported::MediaType,
                "not supported: a multipart body whose schema is not an object with properties",
            );
        };
        let (view, vptr) = super::merge::resolve_part(self, object, sptr, 0)?;
        let alternatives: Vec<Value> = view.one_of.iter().chain(&view.any_of).cloned().collect();
        if alternatives.is_empty() {
            if view.properties.is_empty() {
                refuse(self);
                return None;
            }
            return Some(FormMembers::of(&view, &vptr));
        }
        // One of several objects: one struct with the members of all of
        // them, each required only where every one requires it.
        let mut all = FormMembers::of(&view, &vptr);
        let mut required: Option<Vec<String>> = None;
        let keyword = if view.one_of.is_empty() {
            "anyOf"
        } else {
            "oneOf"
        };
        for (i, alternative) in alternatives.iter().enumerate() {
            let aptr = child(&child(&vptr, keyword), &i.to_string());
            let (variant, variant_ptr) = super::merge::resolve_part(self, alternative, &aptr, 0)?;
            if variant.properties.is_empty() {
                refuse(self);
                return None;
            }
            let members = FormMembers::of(&variant, &variant_ptr);
            for (wire, (schema, pptr)) in members.properties {
                match all.properties.get_mut(&wire) {
                    None => {
                        all.properties.insert(wire, (schema, pptr));
                    }
                    Some((known, known_ptr)) => {
                        // Compared as what they refer to.
                        let (known_ptr, known_schema) = (known_ptr.clone(), known.clone());
                        let mut wider = self.flat(&known_schema, &known_ptr);
                        let other = self.flat(&schema, &pptr);
                        let json_parts = !is_scalar(&wider) && !is_scalar(&other);
                        if json_parts {
                            // Sent as JSON either way: it is one or the other.
                            let mut alternatives = match known_schema.as_object() {
                                Some(m) if m.len() == 1 && m.contains_key("anyOf") => {
                                    m["anyOf"].as_array().cloned().unwrap_or_default()
                                }
                                _ => vec![known_schema],
                            };
                            if !alternatives.contains(&schema) {
                                alternatives.push(schema);
                            }
                            *known = serde_json::json!({ "anyOf": alternatives });
                            continue;
                        }
                        let widened = widen(&mut wider, &other);
                        *known = wider;
                        if !widened {
                            self.unsupported(
                                &pptr,
                                Unsupported::MediaType,
                                format!("not supported: the variants of a multipart body declare the part `{wire}` differently"),
                            );
                            return None;
                        }
                    }
                }
            }
            required = Some(match required {
                None => members.required,
                Some(r) => r
                    .into_iter()
                    .filter(|w| members.required.contains(w))
                    .collect(),
            });
        }
        for wire in required.unwrap_or_default() {
            if !all.required.contains(&wire) {
                all.required.push(wire);
            }
        }
        // A request does not carry what the server assigns (`id`, dates).
        let read_only: Vec<String> = all
            .properties
            .iter()
            .filter(|(_, (schema, _))| {
                self.resolved(schema).get("readOnly") == Some(&Value::Bool(true))
            })
            .map(|(wire, _)| wire.clone())
            .collect();
        all.required.retain(|w| !read_only.contains(w));
        self.warn(
            sptr,
            "a multipart body that is one of several objects is one struct with the parts of all of them; which of them a request is, is not checked",
        );
        Some(all)
    }

    /// A part's schema as what it refers to, an `allOf` of scalars merged.
    fn flat(&mut self, schema: &Value, pointer: &str) -> Value {
        let resolved = self.resolved(schema);
        super::scalar_all_of::merged(self, &resolved, pointer).unwrap_or(resolved)
    }

    /// The headers `encoding.<wire>.headers` gives a part, each a field
    /// of the body's struct (`<part>_<header>`), added to `fields`.
    #[allow(clippy::too_many_arguments)]
    fn part_headers(
        &mut self,
        entry: &Value,
        wire: &str,
        rust: &str,
        repeated: bool,
        part_required: bool,
        struct_name: &str,
        ptr: &str,
        scope: &mut Scope,
        fields: &mut Vec<Field>,
    ) -> Option<Vec<PartHeader>> {
        let hptr = child(&child(&child(ptr, "encoding"), wire), "headers");
        let declared = entry
            .pointer(&format!(
                "/encoding/{}/headers",
                wire.replace('~', "~0").replace('/', "~1")
            ))
            .and_then(Value::as_object);
        let mut headers = Vec::new();
        for (name, header) in declared.into_iter().flatten() {
            let ptr = child(&hptr, name);
            // OpenAPI: a Content-Type here is ignored (`contentType` says it).
            if name.eq_ignore_ascii_case("content-type") {
                continue;
            }
            if repeated {
                self.warn(
                    &ptr,
                    "a header of a part that repeats (an array) is not generated",
                );
                continue;
            }
            let header = self.resolved(header);
            let hint = format!(
                "{struct_name}{}{}",
                naming::type_name(rust),
                naming::type_name(name)
            );
            let shape = self.header_shape(&header, &ptr, &hint, Unsupported::MediaType)?;
            let header_required = header.get("required").and_then(Value::as_bool) == Some(true);
            let desired = naming::field_name(&format!("{rust}_{name}"));
            let (field, collision) =
                scope.claim(desired, &format!("header `{name}` of part `{wire}`"));
            if let Some(c) = collision {
                self.collision_warning(&ptr, "parts", &c);
            }
            let required = part_required && header_required;
            let view = SchemaView::parse(&header).unwrap_or_default();
            fields.push(Field {
                wire: format!("{wire}.{name}"),
                origin: ptr.clone(),
                rust: field.clone(),
                shape: shape.clone(),
                required,
                default: None,
                docs: self.docs_of(&view),
                deprecated: false,
                boxed: false,
                access: Access::ReadWrite,
                required_one_way: false,
            });
            headers.push(PartHeader {
                wire: name.to_ascii_lowercase(),
                rust: field,
                shape,
                required,
            });
        }
        Some(headers)
    }

    /// A multipart body: a struct of its own with a field per property
    /// (`FilePart` for `format: binary`), and how each part is written.
    pub(super) fn multipart_form(
        &mut self,
        schema: &Value,
        entry: &Value,
        ptr: &str,
        hint: &str,
    ) -> Option<(Shape, Vec<MultipartPart>)> {
        let sptr = child(ptr, "schema");
        let object = self.resolved(schema);
        let members = self.form_members(&object, &sptr)?;
        let required: Vec<&str> = members.required.iter().map(String::as_str).collect();
        let name = self.claim_type(hint, &sptr);
        let mut scope = Scope::default();
        let mut fields = Vec::new();
        let mut parts = Vec::new();
        for (wire, (property, pptr)) in &members.properties {
            let pptr = pptr.clone();
            let resolved = self.resolved(property);
            let binary = |s: &Value| s.get("format").and_then(Value::as_str) == Some("binary");
            let items = resolved.get("items").map(|i| self.resolved(i));
            let array = resolved.get("type").and_then(Value::as_str) == Some("array");
            let (kind, mut shape, repeated) = if binary(&resolved) {
                (PartKind::File, Shape::new(Ty::File), false)
            } else if array && items.as_ref().is_some_and(binary) {
                let file = Shape::new(Ty::File);
                (PartKind::File, Shape::new(Ty::Array(Box::new(file))), true)
            } else {
                let hint = format!("{name}{}", naming::type_name(wire));
                let shape = self.shape_of(property, &pptr, &hint)?;
                match &shape.ty {
                    Ty::Array(item)
                        if self.is_plain_param(item) && !matches!(item.ty, Ty::Array(_)) =>
                    {
                        (PartKind::Text, shape, true)
                    }
                    _ if self.is_plain_param(&shape) => (PartKind::Text, shape, false),
                    _ => (PartKind::Json, shape, false),
                }
            };
            // A multipart body cannot say `null`: a part that may be null is
            // one that may be absent.
            shape.nullable = false;
            let (rust, collision) = scope.claim(naming::field_name(wire), &format!("`{wire}`"));
            if let Some(c) = collision {
                self.collision_warning(&pptr, "parts", &c);
            }
            let content_type = entry
                .pointer(&format!(
                    "/encoding/{}/contentType",
                    wire.replace('~', "~0").replace('/', "~1")
                ))
                .and_then(Value::as_str)
                .map(String::from);
            let view = SchemaView::parse(&resolved).unwrap_or_default();
            let is_required = required.contains(&wire.as_str());
            fields.push(Field {
                wire: wire.clone(),
                origin: pptr,
                rust: rust.clone(),
                shape,
                required: is_required,
                default: None,
                docs: self.docs_of(&view),
                deprecated: view.deprecated,
                boxed: false,
                access: self.access_of(&resolved),
                required_one_way: false,
            });
            let headers = self.part_headers(
                entry,
                wire,
                &rust,
                repeated,
                is_required,
                &name,
                ptr,
                &mut scope,
                &mut fields,
            )?;
            parts.push(MultipartPart {
                wire: wire.clone(),
                rust,
                kind,
                required: is_required,
                repeated,
                content_type,
                headers,
            });
        }
        let view = SchemaView::parse(&object).unwrap_or_default();
        let docs = self.docs_of(&view);
        let exact = self.spec.raw.pointer(sptr.trim_start_matches('#')) == Some(&object);
        self.types.push(TypeDef {
            exact,
            name: name.clone(),
            spec_name: hint.to_string(),
            origin: sptr,
            source: None,
            docs,
            deprecated: false,
            kind: TypeKind::Struct(StructDef {
                fields,
                additional: None,
                closed: false,
            }),
        });
        Some((Shape::new(Ty::Named(name)), parts))
    }
}

/// The parts of a multipart body: `(schema, pointer)` by name, and the
/// required ones.
struct FormMembers {
    properties: indexmap::IndexMap<String, (Value, String)>,
    required: Vec<String>,
}

impl FormMembers {
    fn of(view: &SchemaView, pointer: &str) -> Self {
        let properties = view
            .properties
            .iter()
            .map(|(wire, schema)| {
                let origin = view
                    .property_origins
                    .get(wire)
                    .cloned()
                    .unwrap_or_else(|| child(&child(pointer, "properties"), wire));
                (wire.clone(), (schema.clone(), origin))
            })
            .collect();
        FormMembers {
            properties,
            required: view.required.clone(),
        }
    }
}

/// Whether a part of this schema is text (not JSON) in a multipart body.
fn is_scalar(schema: &Value) -> bool {
    matches!(
        schema.get("type").and_then(Value::as_str),
        Some("string" | "integer" | "number" | "boolean")
    )
}

/// One part declared by two variants: a schema that admits what either
/// admits, where both are of one scalar type (`category: beverage` and
/// `category: dessert` admit both values; a `maxLength` of 40 in one and
/// 50 in the other is dropped). False where they are of different kinds.
fn widen(known: &mut Value, other: &Value) -> bool {
    if known == other {
        return true;
    }
    let typ = |v: &Value| v.get("type").and_then(Value::as_str).map(str::to_string);
    let scalar = matches!(
        typ(known).as_deref(),
        Some("string" | "integer" | "number" | "boolean")
    );
    let (Some(mine), Some(theirs)) = (known.as_object_mut(), other.as_object()) else {
        return false;
    };
    if !scalar || mine.get("type") != theirs.get("type") || mine.contains_key("$ref") {
        return false;
    }
    let both_enums = mine.get("enum").is_some() && theirs.get("enum").is_some();
    let differing: Vec<String> = mine
        .keys()
        .filter(|k| theirs.get(k.as_str()) != mine.get(k.as_str()))
        .cloned()
        .collect();
    for key in differing {
        match key.as_str() {
            "enum" if both_enums => {
                let extra = theirs
                    .get("enum")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                if let Some(values) = mine.get_mut("enum").and_then(Value::as_array_mut) {
                    for value in extra {
                        if !values.contains(&value) {
                            values.push(value);
                        }
                    }
                }
            }
            "description" | "title" | "example" => {}
            "nullable" => {
                mine.insert(key, Value::Bool(true));
            }
            _ => {
                mine.remove(&key);
            }
        }
    }
    true
}

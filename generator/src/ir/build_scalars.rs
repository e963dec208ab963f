//! The leaves of a schema: string enums, and scalars with the checks
//! their Rust type cannot express (lengths, bounds, patterns).

use serde_json::Value;

use super::build::Builder;
use super::pattern::Matcher;
use super::view::SchemaView;
use super::*;
use crate::diagnostics::{child, Unsupported};
use crate::naming::{self, Scope};

impl Builder<'_> {
    pub(super) fn define_enum(&mut self, view: &SchemaView, pointer: &str) -> Option<EnumDef> {
        let catch_all = "Unrecognized".to_string();
        let mut scope = Scope::with_reserved(&[&catch_all]);
        let mut variants = Vec::new();
        let mut unquoted = Vec::new();
        for (i, value) in view.enumeration.iter().flatten().enumerate() {
            let vptr = child(&child(pointer, "enum"), &i.to_string());
            let wire = match value {
                Value::String(s) => s.clone(),
                Value::Null => continue,
                // `enum: [0, 1]` under `type: string` (Google Maps): YAML
                // read the author's `0` as a number; on the wire it is text.
                Value::Number(_) | Value::Bool(_) => {
                    let text = value.to_string();
                    unquoted.push(text.clone());
                    text
                }
                other => {
                    self.error(
                        &vptr,
                        format!(
                            "enum value {other} is not a string, but the schema is `type: string`"
                        ),
                    );
                    continue;
                }
            };
            if variants.iter().any(|v: &EnumVariant| v.wire == wire) {
                self.warn(&vptr, format!("enum value {wire:?} is listed twice"));
                continue;
            }
            let (rust, collision) = scope.claim(naming::variant_name(&wire), &format!("{wire:?}"));
            if let Some(c) = collision {
                let message = if c.reserved {
                    format!(
                        "enum value {} maps to `{}`, which holds unknown values; it is `{}`",
                        c.second, c.rust, c.renamed_to
                    )
                } else {
                    format!("enum values {} and {} both map to the variant name `{}`; the second is `{}`", c.first, c.second, c.rust, c.renamed_to)
                };
                self.warn(&vptr, message);
            }
            let description = view.enum_description(i, &wire);
            variants.push(EnumVariant {
                wire,
                rust,
                description,
            });
        }
        if !unquoted.is_empty() {
            self.warn(
                &child(pointer, "enum"),
                format!("enum values {} are not strings, but the schema is `type: string`; read as the strings they are written as", unquoted.join(", ")),
            );
        }
        let default = match &view.default {
            None => None,
            Some(Value::String(s)) => match variants.iter().find(|v| &v.wire == s) {
                Some(v) => Some(v.rust.clone()),
                None => {
                    self.warn(
                        &child(pointer, "default"),
                        format!("default {s:?} is not one of the enum values; ignored"),
                    );
                    None
                }
            },
            Some(other) => {
                self.warn(
                    &child(pointer, "default"),
                    format!("default {other} is not a string; ignored"),
                );
                None
            }
        };
        Some(EnumDef {
            variants,
            catch_all,
            default,
        })
    }

    pub(super) fn plain_shape(
        &mut self,
        view: &SchemaView,
        pointer: &str,
        hint: &str,
    ) -> Option<Shape> {
        let mut checks = Checks::default();
        let format = view.format.as_deref();
        let typ = view.typ.as_deref().or(if view.items.is_some() {
            Some("array")
        } else {
            None
        });
        let ty = match typ {
            Some("string") => {
                checks.min_length = view.min_length;
                checks.max_length = view.max_length;
                checks.pattern = view.pattern.as_ref().and_then(|p| self.pattern(p, pointer));
                match format {
                    Some("date") => Ty::Date,
                    Some("date-time") => Ty::DateTime,
                    Some("byte") => {
                        if checks.min_length.is_some()
                            || checks.max_length.is_some()
                            || checks.pattern.is_some()
                        {
                            self.warn(pointer, "length limits and patterns of `format: byte` apply to the base64 text and are not checked by `validate()`");
                            checks = Checks::default();
                        }
                        Ty::Bytes
                    }
                    None
                    | Some(
                        "email" | "uri" | "uri-reference" | "uuid" | "password" | "hostname"
                        | "ipv4" | "ipv6" | "binary",
                    ) => {
                        if matches!(format, Some("binary")) {
                            self.notes
                                .push("Format `binary`: kept as a `String` in JSON bodies.".into());
                        }
                        checks.format = format.and_then(StringFormat::of);
                        checks.annotation = format.and_then(AnnotationFormat::of);
                        Ty::String
                    }
                    Some(other) => {
                        self.notes.push(format!("Format `{other}` is not a standard OpenAPI format; kept as a `String`."));
                        Ty::String
                    }
                }
            }
            Some("integer") => {
                self.numeric_checks(view, &mut checks);
                match format {
                    Some("int32") => Ty::I32,
                    None | Some("int64") => Ty::I64,
                    Some(other) => {
                        self.notes.push(format!(
                            "Format `{other}` of an integer is not known; read as `i64`."
                        ));
                        Ty::I64
                    }
                }
            }
            Some("number") => {
                self.numeric_checks(view, &mut checks);
                match format {
                    Some("float") => Ty::F32,
                    None | Some("double") => Ty::F64,
                    Some(other) => {
                        self.notes.push(format!(
                            "Format `{other}` of a number is not known; read as `f64`."
                        ));
                        Ty::F64
                    }
                }
            }
            Some("boolean") => Ty::Bool,
            Some("array") => {
                checks.min_items = view.min_items;
                checks.max_items = view.max_items;
                checks.unique_items = view.unique_items;
                let item = match &view.items {
                    Some(items) => {
                        self.shape_of(items, &child(pointer, "items"), &format!("{hint}Item"))?
                    }
                    None => Shape::new(Ty::Json),
                };
                Ty::Array(Box::new(item))
            }
            Some("object") | None => match view.additional_schema() {
                Some(ap) => {
                    self.object_size_unchecked(view, pointer);
                    Ty::Map(Box::new(self.shape_of(
                        ap,
                        &child(pointer, "additionalProperties"),
                        &format!("{hint}Value"),
                    )?))
                }
                // Declared an object: any members, but an object.
                None if typ == Some("object") => {
                    self.object_size_unchecked(view, pointer);
                    Ty::Map(Box::new(Shape::new(Ty::Json)))
                }
                None => Ty::Json,
            },
            Some(other) => {
                self.error(&child(pointer, "type"), format!("unknown type `{other}`"));
                return None;
            }
        };
        if let Some(values) = &view.enumeration {
            if !matches!(ty, Ty::String) {
                checks.one_of_values = values.iter().filter(|v| !v.is_null()).cloned().collect();
            } else if values.iter().all(Value::is_null) {
                self.degrade(
                    &child(pointer, "enum"),
                    Unsupported::Schema,
                    "a string whose only value is `null`: generated as a string that may be null, so a string is read too",
                );
            }
        }
        Some(Shape {
            ty,
            nullable: view.nullable,
            checks,
        })
    }

    /// The pattern as the generated code enforces it, or `None` (with a
    /// warning) when no engine takes it.
    fn pattern(&mut self, source: &str, pointer: &str) -> Option<Pattern> {
        let compiled = self
            .patterns
            .entry(source.to_string())
            .or_insert_with(|| Matcher::compile(source).map(|m| m.engine()))
            .clone();
        match compiled {
            Ok(engine) => Some(Pattern {
                source: source.to_string(),
                rust: super::pattern::for_rust(source),
                engine,
            }),
            Err(why) => {
                self.warn(
                    &child(pointer, "pattern"),
                    format!("no regex engine takes the pattern {source:?} ({why}); `validate()` does not enforce it"),
                );
                None
            }
        }
    }

    fn numeric_checks(&mut self, view: &SchemaView, checks: &mut Checks) {
        checks.minimum = view.minimum.map(|value| Bound {
            value,
            exclusive: view.exclusive_minimum,
        });
        checks.maximum = view.maximum.map(|value| Bound {
            value,
            exclusive: view.exclusive_maximum,
        });
        checks.multiple_of = view.multiple_of;
    }
}

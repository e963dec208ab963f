//! Example JSON for every generated type: the spec's `example`s where they
//! fit the schema, synthesized values elsewhere. The generated crates test
//! themselves against these (decode, encode back, validate), and an example
//! that contradicts its own schema is reported as a warning, since it misleads
//! everyone who reads the spec.

mod strings;

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::diagnostics::Diagnostic;
pub use crate::ir::conform::{located, Conformer};
use crate::ir::{
    Field, ModelSpace, Shape, StringFormat, StructDef, Ty, TypeKind, UnionDef, UnionStrategy,
};
use crate::load::LoadedSpec;

/// What `validate()` is expected to say about a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validity {
    Valid,
    Invalid,
}

/// A document that decodes into the type and serializes to `expected`.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    pub input: Value,
    pub expected: Value,
    pub validity: Validity,
}

/// A document that must fail to decode, at `path` (as serde_path_to_error
/// prints it), with `needle` in the message.
#[derive(Debug, Clone, PartialEq)]
pub struct Reject {
    pub input: Value,
    pub path: String,
    pub needle: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeExamples {
    pub type_name: String,
    pub cases: Vec<Case>,
    pub rejects: Vec<Reject>,
}

/// Examples for every struct, enum and union of the space (aliases are
/// covered where they are used). Also returns warnings for spec examples that
/// do not fit their schema and for types no example could be built for.
pub fn build(space: &ModelSpace, spec: &LoadedSpec) -> (Vec<TypeExamples>, Vec<Diagnostic>) {
    let mut synth = Synth {
        space,
        conformer: Conformer::new(space),
        field_examples: HashMap::new(),
        stack: Vec::new(),
    };
    let mut warnings = synth.check_field_examples(spec);
    let mut out = Vec::new();
    for def in &space.types {
        let inputs: Vec<(Value, Validity)> = match &def.kind {
            TypeKind::Alias(_) => continue,
            // The struct of a multipart body never travels as JSON.
            TypeKind::Struct(s) if carries_files(s) => continue,
            TypeKind::Enum(e) => {
                let mut unknown = String::from("NOT_IN_THE_SPEC");
                while e.variants.iter().any(|v| v.wire == unknown) {
                    unknown.push('_');
                }
                e.variants
                    .iter()
                    .map(|v| (Value::String(v.wire.clone()), Validity::Valid))
                    .chain([(Value::String(unknown), Validity::Invalid)])
                    .collect()
            }
            TypeKind::Struct(_) | TypeKind::Union(_) => {
                match synth.top_level(&def.name, &def.kind) {
                    Ok(values) => values.into_iter().map(|v| (v, Validity::Valid)).collect(),
                    Err(why) => {
                        warnings.push(spec.warning(
                            &def.origin,
                            format!(
                                "no example could be built for `{}` ({why}); its generated tests do not cover it",
                                def.name
                            ),
                        ));
                        continue;
                    }
                }
            }
        };
        let shape = Shape::new(Ty::Named(def.name.clone()));
        let mut cases = Vec::new();
        for (input, validity) in inputs {
            let conformed = match &def.kind {
                // Unknown enum values are accepted by decoding, rejected by validate().
                TypeKind::Enum(_) if validity == Validity::Invalid => Ok(input.clone()),
                _ => synth.conformer.conform(&input, &shape),
            };
            match conformed {
                Ok(expected) => cases.push(Case {
                    validity,
                    expected,
                    input,
                }),
                Err(why) => warnings.push(spec.warning(
                    &def.origin,
                    format!(
                        "the synthesized example of `{}` does not fit its schema: {}; it is left out of the generated tests",
                        def.name,
                        located(&why)
                    ),
                )),
            }
        }
        let rejects = match (&def.kind, cases.first()) {
            (TypeKind::Struct(s), Some(first)) => rejects(space, s, &first.input),
            _ => Vec::new(),
        };
        if !cases.is_empty() {
            out.push(TypeExamples {
                type_name: def.name.clone(),
                cases,
                rejects,
            });
        }
    }
    (out, warnings)
}

/// One example of a value of `shape` that fits it (checked by the
/// conformer): what a mock server answers with.
pub fn example_of(space: &ModelSpace, shape: &Shape) -> Result<Value, String> {
    let mut synth = Synth {
        space,
        conformer: Conformer::new(space),
        field_examples: HashMap::new(),
        stack: Vec::new(),
    };
    let value = synth.shape(shape)?;
    synth.conformer.conform(&value, shape)?;
    Ok(value)
}

struct Synth<'a> {
    space: &'a ModelSpace,
    conformer: Conformer<'a>,
    /// Spec examples of properties that fit, by the property's pointer.
    field_examples: HashMap<String, Value>,
    /// Types being built, to stop at recursion.
    stack: Vec<String>,
}

impl Synth<'_> {
    fn check_field_examples(&mut self, spec: &LoadedSpec) -> Vec<Diagnostic> {
        let mut warnings = Vec::new();
        for def in &self.space.types {
            let TypeKind::Struct(s) = &def.kind else {
                continue;
            };
            for f in &s.fields {
                let Some(example) = &f.docs.example else {
                    continue;
                };
                if self.field_examples.contains_key(&f.origin) {
                    continue;
                }
                match self.conformer.conform(example, &f.shape) {
                    Ok(_) => {
                        self.field_examples
                            .insert(f.origin.clone(), example.clone());
                    }
                    Err(why) => warnings.push(spec.warning(
                        &format!("{}/example", f.origin),
                        format!("the example does not fit the property's schema: {}; generated tests use a synthesized value", located(&why)),
                    )),
                }
            }
        }
        warnings
    }

    /// A full example of a struct (every property) plus a minimal one (only
    /// required properties, so defaults show), or one example per union variant.
    fn top_level(&mut self, name: &str, kind: &TypeKind) -> Result<Vec<Value>, String> {
        self.stack.push(name.to_string());
        let result = match kind {
            TypeKind::Struct(s) => self.object(s, true).and_then(|full| {
                let minimal = Some(self.object(s, false)?);
                let nulls = with_nulls(s, &full);
                let mut values = vec![full];
                values.extend([minimal, nulls].into_iter().flatten());
                values.dedup();
                Ok(values)
            }),
            TypeKind::Union(u) => (0..u.variants.len())
                .map(|i| self.variant(u, i, true))
                .collect(),
            _ => Err("not a struct or union".into()),
        };
        self.stack.pop();
        result
    }

    fn named(&mut self, name: &str) -> Result<Value, String> {
        if self.stack.iter().any(|n| n == name) {
            return Err(format!("`{name}` contains itself"));
        }
        let space = self.space;
        let def = space.get(name).ok_or_else(|| format!("no type `{name}`"))?;
        self.stack.push(name.to_string());
        let result = match &def.kind {
            TypeKind::Struct(s) => self.object(s, false),
            TypeKind::Union(u) => self.variant(u, 0, false),
            TypeKind::Enum(e) => Ok(e
                .variants
                .first()
                .map(|v| Value::String(v.wire.clone()))
                .unwrap_or_else(|| Value::String("value".into()))),
            TypeKind::Alias(shape) => self.shape(shape),
        };
        self.stack.pop();
        result
    }

    /// Nested objects carry only their required properties: each type has
    /// full examples of its own, and this keeps the generated tests small.
    fn object(&mut self, s: &StructDef, full: bool) -> Result<Value, String> {
        let mut map = Map::new();
        for f in &s.fields {
            if !full && !f.required {
                continue;
            }
            match self.field(f) {
                Ok(v) => {
                    map.insert(f.wire.clone(), v);
                }
                Err(_) if !f.required => {}
                Err(e) => return Err(e),
            }
        }
        if let (true, Some(additional)) = (full, &s.additional) {
            let mut key = String::from("additionalProperty");
            while map.contains_key(&key) {
                key.push('_');
            }
            if let Ok(v) = self.shape(additional) {
                map.insert(key, v);
            }
        }
        Ok(Value::Object(map))
    }

    fn field(&mut self, f: &Field) -> Result<Value, String> {
        match self.field_examples.get(&f.origin) {
            Some(example) => Ok(example.clone()),
            None => self.shape(&f.shape),
        }
    }

    fn variant(&mut self, u: &UnionDef, index: usize, full: bool) -> Result<Value, String> {
        let variant = &u.variants[index];
        let mut value = match (&variant.shape.ty, full) {
            (Ty::Named(n), true) => match self.space.get(n).map(|t| &t.kind) {
                Some(TypeKind::Struct(s)) => {
                    let s = s.clone();
                    self.object(&s, true)?
                }
                _ => self.shape(&variant.shape)?,
            },
            _ => self.shape(&variant.shape)?,
        };
        if let UnionStrategy::Discriminator { property, mapping } = &u.strategy {
            let tag = mapping
                .iter()
                .find(|(_, i)| *i == index)
                .map(|(tag, _)| tag.clone())
                .ok_or_else(|| format!("variant `{}` has no discriminator value", variant.rust))?;
            if let Some(map) = value.as_object_mut() {
                map.insert(property.clone(), Value::String(tag));
            }
        }
        Ok(value)
    }

    fn shape(&mut self, shape: &Shape) -> Result<Value, String> {
        let c = &shape.checks;
        if let Some(first) = c.one_of_values.first() {
            return Ok(first.clone());
        }
        Ok(match &shape.ty {
            Ty::String => {
                let mut s = String::from(match c.format {
                    Some(StringFormat::Uuid) => "3fa85f64-5717-4562-b3fc-2c963f66afa6",
                    Some(StringFormat::Email) => "user@example.com",
                    Some(StringFormat::Ipv4) => "192.0.2.1",
                    Some(StringFormat::Ipv6) => "2001:db8::1",
                    None => c.annotation.map_or("text", |a| a.example()),
                });
                let min = c.min_length.unwrap_or(0) as usize;
                while s.chars().count() < min {
                    s.push('x');
                }
                if let Some(max) = c.max_length {
                    s = s.chars().take(max as usize).collect();
                }
                if let Some(p) = c
                    .pattern
                    .as_ref()
                    .filter(|p| !self.conformer.matches(p, &s))
                {
                    let conformer = &mut self.conformer;
                    let within = |s: &str| {
                        let n = s.chars().count() as u64;
                        c.min_length.is_none_or(|m| n >= m) && c.max_length.is_none_or(|m| n <= m)
                    };
                    // Without a match the placeholder stays, and the type's
                    // tests leave the example out with a warning.
                    if let Some(m) =
                        strings::matching(&p.rust, |s| within(s) && conformer.matches(p, s))
                    {
                        s = m;
                    }
                }
                Value::String(s)
            }
            Ty::Bool => Value::Bool(true),
            Ty::I32 | Ty::I64 => Value::from(number_within(c, 1.0, 1.0) as i64),
            Ty::F32 | Ty::F64 => serde_json::Number::from_f64(number_within(c, 1.5, 0.5))
                .map(Value::Number)
                .unwrap_or(Value::Null),
            Ty::Date => Value::String("2024-02-29".into()),
            Ty::Bytes => Value::String("SU9NIGV4YW1wbGU=".into()),
            Ty::Octets | Ty::Blob | Ty::File | Ty::Events(_) => {
                return Err(": a raw body has no JSON example".into())
            }
            Ty::DateTime => Value::String("2024-02-29T13:45:30+01:00".into()),
            Ty::Json => serde_json::json!({ "any": ["JSON", 1] }),
            Ty::Array(item) => {
                let n = c.min_items.unwrap_or(0).max(1);
                let n = c.max_items.map_or(n, |max| n.min(max));
                match self.shape(item) {
                    Ok(v) => Value::Array(vec![v; n as usize]),
                    Err(_) if c.min_items.unwrap_or(0) == 0 => Value::Array(Vec::new()),
                    Err(e) => return Err(e),
                }
            }
            Ty::Map(item) => {
                let mut map = Map::new();
                if let Ok(v) = self.shape(item) {
                    map.insert("key".into(), v);
                }
                Value::Object(map)
            }
            Ty::Named(n) => self.named(n)?,
        })
    }
}

/// `full` with every nullable property set to `null`, if there are any.
fn with_nulls(s: &StructDef, full: &Value) -> Option<Value> {
    let mut value = full.clone();
    let map = value.as_object_mut()?;
    let mut any = false;
    for f in s.fields.iter().filter(|f| f.shape.nullable) {
        map.insert(f.wire.clone(), Value::Null);
        any = true;
    }
    any.then_some(value)
}

/// A value near `preferred` inside the bounds; `step` is how far inside an
/// exclusive bound to go.
fn number_within(c: &crate::ir::Checks, preferred: f64, step: f64) -> f64 {
    let mut x = preferred;
    if let Some(b) = c.minimum {
        let lo = if b.exclusive { b.value + step } else { b.value };
        x = x.max(lo);
    }
    if let Some(b) = c.maximum {
        let hi = if b.exclusive { b.value - step } else { b.value };
        x = x.min(hi);
    }
    if let Some(m) = c.multiple_of.filter(|m| *m > 0.0) {
        x = (x / m).ceil() * m;
    }
    x
}

/// Two malformed variants of a struct's example: a required property left
/// out, and a property of the wrong JSON kind.
fn rejects(space: &ModelSpace, s: &StructDef, input: &Value) -> Vec<Reject> {
    let mut out = Vec::new();
    let Some(map) = input.as_object() else {
        return out;
    };
    if let Some(f) = s.fields.iter().find(|f| f.required) {
        let mut m = map.clone();
        m.shift_remove(&f.wire);
        out.push(Reject {
            input: Value::Object(m),
            path: ".".into(),
            needle: format!("missing field `{}`", f.wire),
        });
    }
    // A flattened map of additional properties hides paths from
    // serde_path_to_error, so the path is only asserted without one.
    if s.additional.is_some() {
        return out;
    }
    let wrong = s.fields.iter().find_map(|f| {
        map.contains_key(&f.wire)
            .then(|| wrong_kind(space, &f.shape))
            .flatten()
            .map(|v| (f, v))
    });
    if let Some((f, value)) = wrong {
        let mut m = map.clone();
        m.insert(f.wire.clone(), value);
        out.push(Reject {
            input: Value::Object(m),
            path: f.wire.clone(),
            needle: "invalid type".into(),
        });
    }
    out
}

/// A value of a JSON kind the shape never accepts (`None` when any fits).
fn wrong_kind(space: &ModelSpace, shape: &Shape) -> Option<Value> {
    Some(match &shape.ty {
        Ty::String | Ty::Date | Ty::DateTime | Ty::Bytes => Value::Bool(true),
        Ty::Octets | Ty::Blob | Ty::File | Ty::Events(_) => return None,
        Ty::I32 | Ty::I64 | Ty::F32 | Ty::F64 => Value::String("not a number".into()),
        Ty::Bool => Value::String("yes".into()),
        Ty::Array(_) => Value::String("not an array".into()),
        Ty::Map(_) => Value::Array(Vec::new()),
        Ty::Json => return None,
        Ty::Named(n) => match &space.get(n)?.kind {
            TypeKind::Enum(_) => Value::from(42),
            TypeKind::Struct(_) => Value::String("not an object".into()),
            // Union errors come from the union's own decoder, with its own wording.
            TypeKind::Union(_) | TypeKind::Alias(_) => return None,
        },
    })
}

/// Whether a shape is (an array of) a multipart file part.
/// Whether a struct has a file among its fields: a multipart body's, which
/// never travels as JSON.
pub fn carries_files(s: &StructDef) -> bool {
    s.fields.iter().any(|f| holds_file(&f.shape))
}

fn holds_file(shape: &Shape) -> bool {
    match &shape.ty {
        Ty::File => true,
        Ty::Array(item) => holds_file(item),
        _ => false,
    }
}

//! Whether a JSON value fits a shape, and if so what the generated models
//! serialize it back to (defaults filled in, numbers and dates in the form
//! serde and chrono write them).

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::pattern::Matcher;
use super::{Checks, DefaultValue, ModelSpace, Pattern, Shape, StructDef, Ty, TypeKind};
use super::{UnionDef, UnionStrategy};

pub struct Conformer<'a> {
    pub space: &'a ModelSpace,
    /// Compiled once per pattern text; the IR kept only patterns that compile.
    matchers: HashMap<String, Option<Matcher>>,
}

impl<'a> Conformer<'a> {
    pub fn new(space: &'a ModelSpace) -> Self {
        Conformer {
            space,
            matchers: HashMap::new(),
        }
    }

    /// The serialized form of a fitting value: what the generated models
    /// write back after decoding it. `Err` says, with a JSON pointer relative
    /// to `value`, why it does not fit (including what only `validate()`
    /// rejects, since a union tries its variants with both).
    pub fn conform(&mut self, value: &Value, shape: &Shape) -> Result<Value, String> {
        self.shape(value, shape)
    }

    /// Whether the generated check of `pattern` accepts `value`.
    pub fn matches(&mut self, pattern: &Pattern, value: &str) -> bool {
        self.matchers
            .entry(pattern.source.clone())
            .or_insert_with(|| Matcher::compile(&pattern.source).ok())
            .as_ref()
            .is_none_or(|m| m.accepts(value))
    }

    fn shape(&mut self, value: &Value, shape: &Shape) -> Result<Value, String> {
        if value.is_null() {
            return if shape.nullable || matches!(shape.ty, Ty::Json) {
                Ok(Value::Null)
            } else {
                Err(": null, but the schema is not nullable".into())
            };
        }
        let checks = &shape.checks;
        // Numbers compare by value, as the generated check does.
        let allowed = |a: &Value| match (a.as_f64(), value.as_f64()) {
            (Some(x), Some(y)) => x == y,
            _ => a == value,
        };
        if !checks.one_of_values.is_empty() && !checks.one_of_values.iter().any(allowed) {
            return Err(format!(": {value} is not one of the allowed values"));
        }
        match &shape.ty {
            Ty::Octets | Ty::Blob | Ty::File | Ty::Events(_) => {
                Err(": a raw body is not JSON".into())
            }
            Ty::String => {
                let s = value
                    .as_str()
                    .ok_or_else(|| kind_error(value, "a string"))?;
                length_ok(s, checks)?;
                if let Some(format) = checks.format.filter(|f| !f.accepts(s)) {
                    return Err(format!(": {s:?} is not {}", format.variant()));
                }
                match &checks.pattern {
                    Some(p) if !self.matches(p, s) => {
                        Err(format!(": {s:?} does not match the pattern {:?}", p.source))
                    }
                    _ => Ok(value.clone()),
                }
            }
            Ty::Bool => value
                .as_bool()
                .map(|_| value.clone())
                .ok_or_else(|| kind_error(value, "a boolean")),
            Ty::I32 | Ty::I64 => {
                let n = value
                    .as_i64()
                    .ok_or_else(|| kind_error(value, "an integer"))?;
                if matches!(shape.ty, Ty::I32) && i32::try_from(n).is_err() {
                    return Err(format!(": {n} is out of the int32 range"));
                }
                bounds_ok(n as f64, checks)?;
                Ok(value.clone())
            }
            Ty::F32 | Ty::F64 => {
                let x = value
                    .as_f64()
                    .ok_or_else(|| kind_error(value, "a number"))?;
                let single = matches!(shape.ty, Ty::F32);
                if single && !fits_f32(x) {
                    return Err(format!(": {x} is beyond what a 32-bit float holds"));
                }
                bounds_ok(x, checks)?;
                Ok(float_as_serialized(x, single))
            }
            Ty::Date => {
                let s = value.as_str().ok_or_else(|| kind_error(value, "a date"))?;
                chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                    .map(|d| Value::String(d.to_string()))
                    .map_err(|e| format!(": {s:?} is not a date (YYYY-MM-DD): {e}"))
            }
            Ty::DateTime => {
                let s = value
                    .as_str()
                    .ok_or_else(|| kind_error(value, "a date-time"))?;
                chrono::DateTime::parse_from_rfc3339(s)
                    .map(|t| Value::String(t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)))
                    .map_err(|e| format!(": {s:?} is not an RFC 3339 date-time: {e}"))
            }
            Ty::Bytes => {
                use base64::Engine as _;
                let s = value
                    .as_str()
                    .ok_or_else(|| kind_error(value, "base64 text"))?;
                let engine = base64::engine::general_purpose::STANDARD;
                engine
                    .decode(s)
                    .map(|bytes| Value::String(engine.encode(bytes)))
                    .map_err(|e| format!(": {s:?} is not base64: {e}"))
            }
            Ty::Json => Ok(value.clone()),
            Ty::Array(item) => {
                let items = value
                    .as_array()
                    .ok_or_else(|| kind_error(value, "an array"))?;
                items_ok(items, checks)?;
                items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| self.shape(v, item).map_err(|e| format!("/{i}{e}")))
                    .collect::<Result<Vec<_>, _>>()
                    .map(Value::Array)
            }
            Ty::Map(item) => {
                let map = value
                    .as_object()
                    .ok_or_else(|| kind_error(value, "an object"))?;
                let mut out = Map::new();
                for (k, v) in map {
                    let e = self.shape(v, item).map_err(|e| format!("/{k}{e}"))?;
                    out.insert(k.clone(), e);
                }
                Ok(Value::Object(out))
            }
            Ty::Named(name) => self.named(value, name),
        }
    }

    fn named(&mut self, value: &Value, name: &str) -> Result<Value, String> {
        let space = self.space;
        let Some(def) = space.get(name) else {
            return Err(format!(": no type `{name}`"));
        };
        match &def.kind {
            TypeKind::Enum(e) => {
                let s = value
                    .as_str()
                    .ok_or_else(|| kind_error(value, "a string"))?;
                if e.variants.iter().any(|v| v.wire == s) {
                    Ok(value.clone())
                } else {
                    Err(format!(": {s:?} is not one of the values of `{name}`"))
                }
            }
            TypeKind::Struct(s) => self.object(value, s),
            TypeKind::Union(u) => self.union(value, u),
            TypeKind::Alias(shape) => self.shape(value, shape),
        }
    }

    fn object(&mut self, value: &Value, s: &StructDef) -> Result<Value, String> {
        let map = value
            .as_object()
            .ok_or_else(|| kind_error(value, "an object"))?;
        let mut out = Map::new();
        for f in &s.fields {
            match map.get(&f.wire) {
                Some(v) => {
                    let e = self
                        .shape(v, &f.shape)
                        .map_err(|e| format!("/{}{e}", f.wire))?;
                    out.insert(f.wire.clone(), e);
                }
                None if f.required => {
                    return Err(format!(": the required property `{}` is missing", f.wire))
                }
                None => {
                    if let Some(d) = &f.default {
                        let default = self.default_json(d, &f.shape);
                        out.insert(f.wire.clone(), default);
                    }
                }
            }
        }
        for (k, v) in map {
            if s.fields.iter().any(|f| &f.wire == k) {
                continue;
            }
            let Some(additional) = &s.additional else {
                return Err(format!(
                    ": property `{k}` is not declared, so the model would drop it"
                ));
            };
            let e = self.shape(v, additional).map_err(|e| format!("/{k}{e}"))?;
            out.insert(k.clone(), e);
        }
        Ok(Value::Object(out))
    }

    fn default_json(&mut self, d: &DefaultValue, shape: &Shape) -> Value {
        match d {
            DefaultValue::Bool(b) => Value::Bool(*b),
            DefaultValue::Int(i) => Value::from(*i),
            DefaultValue::Float(x) => float_as_serialized(*x, matches!(shape.ty, Ty::F32)),
            DefaultValue::String(s) => Value::String(s.clone()),
            DefaultValue::EnumVariant(rust) => {
                let wire = match &shape.ty {
                    Ty::Named(n) => match self.space.get(n).map(|t| &t.kind) {
                        Some(TypeKind::Enum(e)) => e
                            .variants
                            .iter()
                            .find(|v| &v.rust == rust)
                            .map(|v| v.wire.clone()),
                        _ => None,
                    },
                    _ => None,
                };
                wire.map(Value::String).unwrap_or(Value::Null)
            }
            // The IR kept only defaults that fit.
            DefaultValue::Json { value, .. } => {
                self.shape(value, shape).unwrap_or_else(|_| value.clone())
            }
        }
    }

    fn union(&mut self, value: &Value, u: &UnionDef) -> Result<Value, String> {
        match &u.strategy {
            UnionStrategy::Discriminator { property, mapping } => {
                let tag = value
                    .get(property)
                    .and_then(Value::as_str)
                    .ok_or_else(|| format!(": the discriminator `{property}` is missing"))?;
                let Some((_, index)) = mapping.iter().find(|(v, _)| v == tag) else {
                    return Err(format!(": `{property}` value {tag:?} is not mapped"));
                };
                let variant = &u.variants[*index];
                if variant.properties.contains(property) {
                    return self.shape(value, &variant.shape);
                }
                // The variant does not declare the tag; the union writes it.
                let mut rest = value.clone();
                if let Some(map) = rest.as_object_mut() {
                    map.shift_remove(property);
                }
                let mut e = self.shape(&rest, &variant.shape)?;
                if let Some(map) = e.as_object_mut() {
                    map.insert(property.clone(), Value::String(tag.to_string()));
                }
                Ok(e)
            }
            UnionStrategy::Untagged {
                matchers,
                order,
                exclusive,
            } => {
                let candidates = super::candidates(value, matchers, order, *exclusive);
                // As the generated decoder: the first variant that keeps
                // every member, else the first that takes the value at all.
                let mut first_fit = None;
                let mut first_error = None;
                for index in candidates {
                    match self.shape(value, &u.variants[index].shape) {
                        Ok(encoded) if keeps_members(value, &encoded) => return Ok(encoded),
                        Ok(encoded) => {
                            first_fit.get_or_insert(encoded);
                        }
                        Err(e) => {
                            first_error.get_or_insert(e);
                        }
                    }
                }
                first_fit.ok_or_else(|| {
                    first_error.unwrap_or_else(|| ": no variant of the union matches".to_string())
                })
            }
        }
    }
}

/// Whether `encoded` still holds every object member of `input`, at any
/// depth (the rule of the generated `support::keeps_members`).
fn keeps_members(input: &Value, encoded: &Value) -> bool {
    match (input, encoded) {
        (Value::Object(a), Value::Object(b)) => a
            .iter()
            .all(|(k, v)| b.get(k).is_some_and(|w| keeps_members(v, w))),
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(v, w)| keeps_members(v, w))
        }
        (Value::Object(_) | Value::Array(_), _) => false,
        _ => true,
    }
}

/// A conform error (`/pointer: message`, or `: message` at the root) as prose.
pub fn located(why: &str) -> String {
    match why.split_once(": ") {
        Some(("", message)) => message.to_string(),
        Some((pointer, message)) => format!("at `{pointer}`, {message}"),
        None => why.to_string(),
    }
}

fn kind_error(value: &Value, wanted: &str) -> String {
    format!(": {value} is not {wanted}")
}

/// A float as serde_json writes it back: `f32` through its shortest decimal
/// form, so that `0.1` stays `0.1` and not `0.10000000149011612`.
fn float_as_serialized(x: f64, single: bool) -> Value {
    let x = if single {
        (x as f32).to_string().parse::<f64>().unwrap_or(x)
    } else {
        x
    };
    serde_json::Number::from_f64(x)
        .map(Value::Number)
        .unwrap_or(Value::Null)
}

/// Whether `f32` holds `x` as the generated check sees it: finite. (A
/// number flushed to zero is 0 by then.)
fn fits_f32(x: f64) -> bool {
    (x as f32).is_finite()
}

fn length_ok(s: &str, c: &Checks) -> Result<(), String> {
    let len = s.chars().count() as u64;
    if let Some(m) = c.min_length.filter(|m| len < *m) {
        return Err(format!(": {s:?} is shorter than minLength {m}"));
    }
    if let Some(m) = c.max_length.filter(|m| len > *m) {
        return Err(format!(": {s:?} is longer than maxLength {m}"));
    }
    Ok(())
}

fn bounds_ok(x: f64, c: &Checks) -> Result<(), String> {
    let below = c
        .minimum
        .is_some_and(|b| x < b.value || (b.exclusive && x == b.value));
    let above = c
        .maximum
        .is_some_and(|b| x > b.value || (b.exclusive && x == b.value));
    let not_multiple = c
        .multiple_of
        .is_some_and(|m| m > 0.0 && ((x / m) - (x / m).round()).abs() > 1e-9);
    if below || above {
        return Err(format!(": {x} is outside {}", range_text(c)));
    }
    if not_multiple {
        return Err(format!(
            ": {x} is not a multiple of {}",
            c.multiple_of.unwrap_or(1.0)
        ));
    }
    Ok(())
}

fn range_text(c: &Checks) -> String {
    let lo = c.minimum.map(|b| {
        let op = if b.exclusive { ">" } else { ">=" };
        format!("{op} {}", b.value)
    });
    let hi = c.maximum.map(|b| {
        let op = if b.exclusive { "<" } else { "<=" };
        format!("{op} {}", b.value)
    });
    let parts: Vec<String> = lo.into_iter().chain(hi).collect();
    format!("the bounds {}", parts.join(" and "))
}

fn items_ok(items: &[Value], c: &Checks) -> Result<(), String> {
    let n = items.len() as u64;
    if let Some(m) = c.min_items.filter(|m| n < *m) {
        return Err(format!(": {n} item(s), fewer than minItems {m}"));
    }
    if let Some(m) = c.max_items.filter(|m| n > *m) {
        return Err(format!(": {n} item(s), more than maxItems {m}"));
    }
    if c.unique_items
        && items
            .iter()
            .enumerate()
            .any(|(i, v)| items[..i].contains(v))
    {
        return Err(": the items are not unique".into());
    }
    Ok(())
}

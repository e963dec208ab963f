//! The intersection of two declarations of one property by two `allOf`
//! parts: a value is valid against the result exactly when it is valid
//! against both. Sub-types refine their base this way (a `type` property
//! whose base lists every kind and whose sub-type allows one).
//!
//! Two object schemas become an `allOf` of both, which the object merge
//! turns into one struct; everything else is intersected keyword by keyword.

use serde_json::{Map, Value};

use super::build::COMPONENT_PREFIX;
use crate::diagnostics::unescape_token;
use crate::diff::wire::without_docs;

/// Why two declarations have no intersection the generator can write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Conflict {
    /// No value is valid against both (`string` vs `integer`, disjoint enums).
    Contradiction(String),
    /// There is an intersection, but no schema keyword the generator maps
    /// expresses it (two different patterns).
    Unsupported(String),
}

/// Keys that only document; the later declaration's win.
const DOC_KEYS: &[&str] = &[
    "description",
    "title",
    "example",
    "examples",
    "deprecated",
    "externalDocs",
    "default",
];

/// Looks up the component a `#/components/schemas/...` reference names.
pub(super) type Resolve<'r> = &'r dyn Fn(&str) -> Option<&'r Value>;

pub(super) fn intersect(
    first: &Value,
    second: &Value,
    resolve: Resolve,
) -> Result<Value, Conflict> {
    if without_docs(first) == without_docs(second) {
        // The same schema, documented differently.
        return Ok(with_docs(first, second));
    }
    let (a, b) = (inline(first, resolve), inline(second, resolve));
    if is_object(first, resolve) || is_object(second, resolve) {
        // The object merge checks the members one by one, recursively.
        return Ok(serde_json::json!({ "allOf": [first, second] }));
    }
    let (Value::Object(a), Value::Object(b)) = (&a, &b) else {
        return Err(Conflict::Unsupported(
            "a declaration that is not a schema object".into(),
        ));
    };
    for keyword in ["oneOf", "anyOf", "allOf", "not"] {
        if a.contains_key(keyword) || b.contains_key(keyword) {
            return Err(Conflict::Unsupported(format!(
                "the intersection of two declarations where one uses `{keyword}`"
            )));
        }
    }
    let mut out = Map::new();
    let keys: Vec<&String> = a
        .keys()
        .chain(b.keys().filter(|k| !a.contains_key(*k)))
        .collect();
    for key in keys {
        let merged = match (a.get(key), b.get(key)) {
            (Some(x), Some(y)) => meet(key, x, y, resolve)?,
            (Some(x), None) | (None, Some(x)) => {
                if key == "nullable" {
                    // null must be valid against both to be valid at all.
                    continue;
                }
                x.clone()
            }
            (None, None) => continue,
        };
        out.insert(key.clone(), merged);
    }
    bounds(&mut out, a, b);
    Ok(Value::Object(out))
}

/// One keyword present in both declarations.
fn meet(key: &str, x: &Value, y: &Value, resolve: Resolve) -> Result<Value, Conflict> {
    if x == y {
        return Ok(x.clone());
    }
    let number = |v: &Value| v.as_f64();
    match key {
        k if DOC_KEYS.contains(&k) || k.starts_with("x-") => Ok(y.clone()),
        "type" => Err(Conflict::Contradiction(format!(
            "`type: {}` here and `type: {}` there",
            text(y),
            text(x)
        ))),
        "enum" => {
            let (Some(xs), Some(ys)) = (x.as_array(), y.as_array()) else {
                return Ok(y.clone());
            };
            let common: Vec<Value> = xs.iter().filter(|v| ys.contains(v)).cloned().collect();
            if common.is_empty() {
                Err(Conflict::Contradiction(
                    "the two `enum` lists have no value in common".into(),
                ))
            } else {
                Ok(Value::Array(common))
            }
        }
        "format" => match (x.as_str(), y.as_str()) {
            (Some("int32"), Some("int64")) | (Some("int64"), Some("int32")) => Ok("int32".into()),
            _ => Err(Conflict::Unsupported(format!(
                "`format: {}` here and `format: {}` there",
                text(y),
                text(x)
            ))),
        },
        "minimum" | "minLength" | "minItems" | "minProperties" => {
            Ok(pick(x, y, |p, q| number(p) >= number(q)))
        }
        "maximum" | "maxLength" | "maxItems" | "maxProperties" => {
            Ok(pick(x, y, |p, q| number(p) <= number(q)))
        }
        // Set by `bounds`, which knows which limit won.
        "exclusiveMinimum" | "exclusiveMaximum" => Ok(x.clone()),
        "nullable" => Ok(Value::Bool(
            x.as_bool() == Some(true) && y.as_bool() == Some(true),
        )),
        "readOnly" | "writeOnly" | "uniqueItems" => Ok(Value::Bool(
            x.as_bool() == Some(true) || y.as_bool() == Some(true),
        )),
        "items" => intersect(x, y, resolve),
        _ => Err(Conflict::Unsupported(format!(
            "`{key}` is declared differently here and there"
        ))),
    }
}

/// `exclusiveMinimum`/`exclusiveMaximum` belong to the limit that won.
fn bounds(out: &mut Map<String, Value>, a: &Map<String, Value>, b: &Map<String, Value>) {
    for (limit, flag) in [
        ("minimum", "exclusiveMinimum"),
        ("maximum", "exclusiveMaximum"),
    ] {
        let Some(chosen) = out.get(limit).cloned() else {
            out.remove(flag);
            continue;
        };
        let exclusive = [a, b]
            .iter()
            .filter(|s| s.get(limit) == Some(&chosen))
            .any(|s| s.get(flag).and_then(Value::as_bool) == Some(true));
        if exclusive {
            out.insert(flag.into(), Value::Bool(true));
        } else {
            out.remove(flag);
        }
    }
}

fn pick(x: &Value, y: &Value, first_wins: impl Fn(&Value, &Value) -> bool) -> Value {
    if first_wins(x, y) {
        x.clone()
    } else {
        y.clone()
    }
}

/// A `$ref` to a component that is not an object, replaced by the
/// component's keywords (with the reference's own documentation on top);
/// objects and everything else as they are.
pub(super) fn inline(value: &Value, resolve: Resolve) -> Value {
    let mut current = value.clone();
    for _ in 0..16 {
        let Some(target) = current
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix(COMPONENT_PREFIX))
            .and_then(|name| resolve(&unescape_token(name)))
        else {
            return current;
        };
        if is_object(target, resolve) {
            return current;
        }
        let mut next = target.clone();
        if let (Value::Object(next), Value::Object(own)) = (&mut next, &current) {
            for (k, v) in own {
                if k != "$ref" {
                    next.insert(k.clone(), v.clone());
                }
            }
        }
        current = next;
    }
    current
}

/// An object schema, directly or through references.
pub(super) fn is_object(value: &Value, resolve: Resolve) -> bool {
    let mut current = value;
    for _ in 0..16 {
        if let Some(target) = current
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix(COMPONENT_PREFIX))
            .and_then(|name| resolve(&unescape_token(name)))
        {
            current = target;
            continue;
        }
        return current.get("type").and_then(Value::as_str) == Some("object")
            || current.get("properties").is_some()
            || (current.get("type").is_none()
                && (current.get("allOf").is_some()
                    || current.get("additionalProperties").is_some()));
    }
    false
}

/// `first`, with the documentation of `second` where it has some.
fn with_docs(first: &Value, second: &Value) -> Value {
    let (Value::Object(a), Value::Object(b)) = (first, second) else {
        return first.clone();
    };
    let mut out = a.clone();
    for key in DOC_KEYS {
        if let Some(v) = b.get(*key) {
            out.insert((*key).to_string(), v.clone());
        }
    }
    Value::Object(out)
}

fn text(value: &Value) -> String {
    value
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| value.to_string())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn none(_: &str) -> Option<&'static Value> {
        None
    }

    #[test]
    fn enums_meet_in_their_common_values() {
        let base = json!({"type": "string", "enum": ["string", "integer", "list"], "description": "any kind"});
        let sub = json!({"type": "string", "enum": ["list"]});
        assert_eq!(
            intersect(&base, &sub, &none),
            Ok(json!({"type": "string", "enum": ["list"], "description": "any kind"}))
        );
        let other = json!({"type": "string", "enum": ["map"]});
        assert!(matches!(
            intersect(&base, &other, &none),
            Err(Conflict::Contradiction(_))
        ));
    }

    #[test]
    fn bounds_take_the_tighter_limit_with_its_exclusiveness() {
        let a = json!({"type": "integer", "minimum": 1, "maximum": 100, "exclusiveMaximum": true});
        let b = json!({"type": "integer", "minimum": 5, "exclusiveMinimum": true, "maximum": 200, "nullable": true});
        assert_eq!(
            intersect(&a, &b, &none),
            Ok(
                json!({"type": "integer", "minimum": 5, "exclusiveMinimum": true, "maximum": 100, "exclusiveMaximum": true})
            )
        );
    }

    #[test]
    fn different_types_contradict_and_objects_merge_later() {
        let s = json!({"type": "string"});
        let i = json!({"type": "integer"});
        assert!(matches!(
            intersect(&s, &i, &none),
            Err(Conflict::Contradiction(_))
        ));
        let o1 = json!({"type": "object", "properties": {"a": {"type": "string"}}});
        let o2 = json!({"type": "object", "properties": {"b": {"type": "string"}}});
        assert_eq!(intersect(&o1, &o2, &none), Ok(json!({"allOf": [o1, o2]})));
    }

    #[test]
    fn a_reference_to_an_enum_is_intersected_by_its_values() {
        let kinds = json!({"type": "string", "enum": ["a", "b"]});
        let resolve = |name: &str| (name == "Kind").then_some(&kinds);
        let base = json!({"$ref": "#/components/schemas/Kind"});
        let sub = json!({"type": "string", "enum": ["b"]});
        assert_eq!(
            intersect(&base, &sub, &resolve),
            Ok(json!({"type": "string", "enum": ["b"]}))
        );
    }
}

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
    // `{}` admits every value: the other declaration is the intersection.
    if unconstrained(second) {
        return Ok(with_docs(first, second));
    }
    if unconstrained(first) {
        return Ok(with_docs(second, first));
    }
    let (a, b) = (inline(first, resolve), inline(second, resolve));
    // Of two unions, each alternative of the first meets the second.
    match (alternatives(&a), alternatives(&b)) {
        (Some((keyword, alts)), _) => return with_union(keyword, alts, &a, second, resolve),
        (None, Some((keyword, alts))) => return with_union(keyword, alts, &b, first, resolve),
        (None, None) => {}
    }
    if let (Some(x), Some(y)) = (kind(first, resolve), kind(second, resolve)) {
        if x != y {
            return Err(Conflict::Contradiction(format!(
                "`type: {y}` here and `type: {x}` there"
            )));
        }
    }
    for (x, y) in [(&a, &b), (&b, &a)] {
        if let (Some(values), Some("object")) = (x.get("enum"), kind(x, resolve).as_deref()) {
            // An object that may only be `null` (an error envelope's
            // `result`): null, where the other declaration admits it too.
            let only_null = values
                .as_array()
                .is_some_and(|v| v.iter().all(Value::is_null));
            let nullable = |v: &Value| v.get("nullable") == Some(&Value::Bool(true));
            return match (only_null, nullable(x) && nullable(y)) {
                (true, true) => Ok(with_docs(x, y)),
                (true, false) => Err(Conflict::Contradiction(
                    "one declaration admits only `null`, the other not `null`".into(),
                )),
                (false, _) => Err(Conflict::Unsupported(
                    "an `enum` of objects beside another declaration".into(),
                )),
            };
        }
    }
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

/// The alternatives of a schema that is only a union (`oneOf` or `anyOf`,
/// with documentation or `nullable` beside), and its keyword.
fn alternatives(value: &Value) -> Option<(&'static str, &Vec<Value>)> {
    let map = value.as_object()?;
    let keyword = ["oneOf", "anyOf"]
        .into_iter()
        .find(|k| map.contains_key(*k))?;
    let alone = map.keys().all(|k| {
        k == keyword || k == "nullable" || DOC_KEYS.contains(&k.as_str()) || k.starts_with("x-")
    });
    let alts = map.get(keyword)?.as_array()?;
    alone.then_some((keyword, alts))
}

/// A union meets a declaration in the alternatives that meet it: a value
/// valid against both is valid against exactly the same alternatives of
/// either union, so the union of the meetings keeps `oneOf`'s and `anyOf`'s
/// meaning. One alternative left is the intersection itself.
fn with_union(
    keyword: &str,
    alts: &[Value],
    union: &Value,
    other: &Value,
    resolve: Resolve,
) -> Result<Value, Conflict> {
    let mut met = Vec::new();
    for alt in alts {
        match intersect(alt, other, resolve) {
            Ok(meet) => met.push(meet),
            Err(Conflict::Contradiction(_)) => {}
            Err(unsupported) => return Err(unsupported),
        }
    }
    let nullable = |v: &Value| v.get("nullable") == Some(&Value::Bool(true));
    let mut out = match met.len() {
        0 => {
            return Err(Conflict::Contradiction(format!(
                "no alternative of the `{keyword}` admits a value of the other declaration"
            )))
        }
        1 => met.remove(0),
        _ => serde_json::json!({ keyword: met }),
    };
    if let Value::Object(map) = &mut out {
        if nullable(union) && nullable(other) {
            map.insert("nullable".into(), Value::Bool(true));
        }
    }
    Ok(with_docs(&out, union))
}

/// The JSON type a declaration names, directly or through references:
/// `type`, or `object` for an object schema.
fn kind(value: &Value, resolve: Resolve) -> Option<String> {
    if is_object(value, resolve) {
        return Some("object".into());
    }
    inline(value, resolve)
        .get("type")
        .and_then(Value::as_str)
        .map(String::from)
}

/// Whether a schema only documents (`{}`, `{description: …}`): every
/// value is valid against it.
fn unconstrained(value: &Value) -> bool {
    value.as_object().is_some_and(|map| {
        map.keys()
            .all(|k| DOC_KEYS.contains(&k.as_str()) || k.starts_with("x-"))
    })
}

/// What is generated where two declarations have no intersection the
/// generator can write, and what the warning says of it. Disjoint `enum`s
/// are a defect of the spec: without them the declarations may meet (the
/// property takes the values of either). Otherwise the declaration is any
/// JSON value, which admits every document either allows.
pub(super) fn loosened(first: &Value, second: &Value, resolve: Resolve) -> (Value, &'static str) {
    let strip = |v: &Value| {
        let mut v = inline(v, resolve);
        if let Value::Object(map) = &mut v {
            map.remove("enum");
        }
        v
    };
    // An object's `enum` says it may only be null: without it, a `null`
    // would no longer read.
    let scalars = [first, second]
        .iter()
        .all(|v| kind(v, resolve).as_deref() != Some("object"));
    let either_enum = [first, second]
        .iter()
        .any(|v| inline(v, resolve).get("enum").is_some());
    if scalars && either_enum {
        if let Ok(meet) = intersect(&strip(first), &strip(second), resolve) {
            return (
                meet,
                "generated without the `enum` lists, so either's values are read",
            );
        }
    }
    let mut any = Map::new();
    for (key, value) in first.as_object().into_iter().flatten() {
        if DOC_KEYS.contains(&key.as_str()) && key != "default" && key != "example" {
            any.insert(key.clone(), value.clone());
        }
    }
    (
        Value::Object(any),
        "generated as any JSON value (`serde_json::Value`), which admits every document either declaration allows",
    )
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

    #[test]
    fn an_unconstrained_declaration_leaves_the_other() {
        let union =
            json!({"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]});
        let any = json!({"description": "who received it"});
        assert_eq!(
            intersect(&union, &any, &none),
            Ok(
                json!({"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}], "description": "who received it"})
            )
        );
        assert_eq!(intersect(&json!({}), &union, &none), Ok(union.clone()));
    }

    #[test]
    fn a_union_meets_a_declaration_in_its_alternatives_that_meet_it() {
        let result = json!({"anyOf": [{"type": "object"}, {"type": "array", "items": {}}, {"type": "string"}]});
        let array = json!({"type": "array", "items": {"type": "integer"}, "nullable": true});
        assert_eq!(
            intersect(&result, &array, &none),
            Ok(json!({"type": "array", "items": {"type": "integer"}}))
        );
        // Of two unions, the alternatives that meet; nullable only where
        // both are.
        let narrow = json!({"anyOf": [{"type": "object", "nullable": true}, {"type": "string", "nullable": true}]});
        assert_eq!(
            intersect(&narrow, &result, &none),
            Ok(
                json!({"anyOf": [{"allOf": [{"type": "object"}, {"type": "object", "nullable": true}]}, {"type": "string"}]})
            )
        );
        let boolean = json!({"type": "boolean"});
        assert!(matches!(
            intersect(&result, &boolean, &none),
            Err(Conflict::Contradiction(_))
        ));
    }

    #[test]
    fn an_object_that_may_only_be_null_meets_a_nullable_object() {
        let null = json!({"type": "object", "nullable": true, "enum": [null]});
        let nullable =
            json!({"type": "object", "nullable": true, "properties": {"id": {"type": "string"}}});
        assert_eq!(
            intersect(&null, &nullable, &none),
            Ok(json!({"type": "object", "nullable": true, "enum": [null]}))
        );
        let object = json!({"type": "object", "properties": {"id": {"type": "string"}}});
        assert!(matches!(
            intersect(&null, &object, &none),
            Err(Conflict::Contradiction(_))
        ));
    }

    #[test]
    fn contradictions_loosen_to_a_type_every_value_of_either_fits() {
        let yes = json!({"type": "boolean", "enum": [true], "description": "ok"});
        let no = json!({"type": "boolean", "enum": [false]});
        assert!(intersect(&yes, &no, &none).is_err());
        let (loose, _) = loosened(&yes, &no, &none);
        assert_eq!(loose, json!({"type": "boolean", "description": "ok"}));
        let (loose, _) = loosened(
            &json!({"type": "string", "description": "d"}),
            &json!({"type": "integer"}),
            &none,
        );
        assert_eq!(loose, json!({"description": "d"}));
    }
}

//! `allOf` whose parts are all scalar schemas (lob: a string with a
//! description, and a `$ref` to a string with a pattern): one scalar
//! schema that admits exactly what every part admits, written as the
//! parts' intersection. The object merge (`merge`) handles the rest.

use serde_json::{Map, Value};

use super::build::{Builder, COMPONENT_PREFIX};
use super::intersect::{intersect, loosened, Conflict};
use crate::diagnostics::{child, unescape_token, Unsupported};

/// `None` when `value` is not an `allOf` of scalars; otherwise the merged
/// schema (loosened, with a warning, where the parts contradict each other
/// or meet in a way no keyword writes).
pub(super) fn merged(b: &mut Builder<'_>, value: &Value, pointer: &str) -> Option<Value> {
    let map = value.as_object()?;
    if !map.get("allOf").is_some_and(Value::is_array) {
        return None;
    }
    let raw = &b.spec.raw;
    let mut pieces = Vec::new();
    flatten(raw, value, 0, &mut pieces)?;
    // Parts that only document say nothing of the kind of value.
    if !pieces
        .iter()
        .any(|p| p.get("type").is_some() || p.get("enum").is_some())
    {
        return None;
    }
    let resolve = |name: &str| raw.pointer("/components/schemas").and_then(|s| s.get(name));
    let mut acc = Value::Object(Map::new());
    for piece in &pieces {
        match intersect(&acc, piece, &resolve) {
            Ok(meet) => acc = meet,
            Err(conflict) => {
                let (loose, lost) = loosened(&acc, piece, &resolve);
                let reason = match conflict {
                    Conflict::Contradiction(r) => format!("`allOf` conflict: no value is valid against every part: {r}; {lost}"),
                    Conflict::Unsupported(r) => format!("the generator cannot write the intersection of the parts of this `allOf`: {r}; {lost}"),
                };
                b.degrade(&child(pointer, "allOf"), Unsupported::Schema, reason);
                acc = loose;
            }
        }
    }
    Some(acc)
}

/// The scalar schemas `value` is the conjunction of; `None` as soon as one
/// part is an object, a union or a negation.
fn flatten(raw: &Value, value: &Value, depth: usize, out: &mut Vec<Value>) -> Option<()> {
    if depth > 16 {
        return None;
    }
    let mut map = value.as_object()?.clone();
    if let Some(target) = map.get("$ref").and_then(Value::as_str) {
        let name = target.strip_prefix(COMPONENT_PREFIX)?;
        let resolved = raw
            .pointer("/components/schemas")?
            .get(unescape_token(name))?;
        map.remove("$ref");
        flatten(raw, resolved, depth + 1, out)?;
    }
    let object_like = [
        "properties",
        "additionalProperties",
        "oneOf",
        "anyOf",
        "not",
        "discriminator",
    ]
    .iter()
    .any(|k| map.contains_key(*k))
        || map.get("type").and_then(Value::as_str) == Some("object");
    if object_like {
        return None;
    }
    if let Some(Value::Array(parts)) = map.remove("allOf") {
        for part in &parts {
            flatten(raw, part, depth + 1, out)?;
        }
    }
    if !map.is_empty() {
        out.push(Value::Object(map));
    }
    Some(())
}

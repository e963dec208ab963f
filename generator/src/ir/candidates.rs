//! Which variants of an untagged union a JSON value may be, in the order
//! they are tried. The generated `support::candidates` applies the same rule
//! at run time (it is emitted text, so it cannot call this); here it serves
//! the generator: the expected encodings of the example tests, and the
//! warning that names the variants nothing in a value tells apart.

use serde_json::Value;

use super::Matcher;

/// The variants that claim `value` by kind, properties or tag, else the
/// fallback objects (only those declaring the most of its members) and
/// nested unions; in `order`. Empty when nothing fits, or when `exclusive`
/// (a `oneOf`) and two variants claim the value by their properties.
pub fn candidates(
    value: &Value,
    matchers: &[Matcher],
    order: &[usize],
    exclusive: bool,
) -> Vec<usize> {
    let kind = kind_of(value);
    let mut claimed = Vec::new();
    let mut keyed = Vec::new();
    let mut fallback = Vec::new();
    for &i in order {
        match (&matchers[i], value) {
            (Matcher::Kind(k), _) if *k == kind || (*k == "number" && kind == "integer") => {
                claimed.push(i)
            }
            (Matcher::Keys(keys), Value::Object(map))
                if keys.iter().any(|k| map.contains_key(k)) =>
            {
                keyed.push(i)
            }
            (Matcher::Tag { property, values }, Value::Object(map))
                if map
                    .get(property)
                    .and_then(Value::as_str)
                    .is_some_and(|v| values.iter().any(|x| x == v)) =>
            {
                keyed.push(i)
            }
            (Matcher::Fallback(_) | Matcher::Open, Value::Object(_))
            | (Matcher::Any | Matcher::Union(_), _) => fallback.push(i),
            _ => {}
        }
    }
    if exclusive && keyed.len() > 1 {
        return Vec::new();
    }
    claimed.extend(keyed);
    if !claimed.is_empty() {
        return claimed;
    }
    if let Value::Object(map) = value {
        // A variant that takes any value keeps every member.
        let declared = |i: usize| match &matchers[i] {
            Matcher::Fallback(properties) | Matcher::Union(properties) => {
                map.keys().filter(|k| properties.contains(k)).count()
            }
            _ => map.len(),
        };
        let best = fallback.iter().map(|&i| declared(i)).max().unwrap_or(0);
        fallback.retain(|&i| declared(i) == best);
    }
    fallback
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_f64() => "number",
        Value::Number(_) => "integer",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

//! Reading the loaded document as a tree: `$ref` resolution and pointers.

use serde_json::Value;

pub use crate::diagnostics::child;

/// How many `$ref` hops are followed before giving up (a cycle of refs
/// that never reaches a value).
const MAX_HOPS: usize = 32;

/// The value a local `$ref` points at, following chains; the value itself
/// when it is not a reference, `None` when the target does not exist.
pub fn resolve<'a>(root: &'a Value, value: &'a Value) -> Option<&'a Value> {
    let mut current = value;
    for _ in 0..MAX_HOPS {
        match ref_of(current) {
            Some(target) => current = root.pointer(target.strip_prefix('#')?)?,
            None => return Some(current),
        }
    }
    None
}

/// The `$ref` of a reference object.
pub fn ref_of(value: &Value) -> Option<&str> {
    value.get("$ref").and_then(Value::as_str)
}

/// The component schema a value refers to directly (`Pet` for
/// `$ref: '#/components/schemas/Pet'`).
pub fn schema_name(value: &Value) -> Option<&str> {
    ref_of(value)?.strip_prefix("#/components/schemas/")
}

/// The members of an object, in document order (none for other values).
pub fn entries(value: Option<&Value>) -> impl Iterator<Item = (&String, &Value)> {
    value.and_then(Value::as_object).into_iter().flatten()
}

/// A string list (`required`, `enum` of strings); non-strings are skipped.
pub fn strings(value: Option<&Value>) -> Vec<&str> {
    value
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// A compact rendering of a value for messages (`"a"`, `12`, `[1,2]`).
pub fn show(value: &Value) -> String {
    value.to_string()
}

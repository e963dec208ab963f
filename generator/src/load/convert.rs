//! serde_yaml's value tree → serde_json's, so that repairs, `$ref` lookups and
//! openapiv3 all see one representation.

use serde_json::{Map, Number, Value};

use crate::diagnostics::child;

/// Converts; non-string mapping keys (the `200:` status codes some generators
/// write) become strings with a warning, values that JSON cannot hold are errors.
pub fn yaml_to_json(
    yaml: serde_yaml::Value,
    pointer: &str,
    warn: &mut dyn FnMut(&str, String),
) -> Result<Value, (String, String)> {
    use serde_yaml::Value as Y;
    Ok(match yaml {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => number(&n).ok_or_else(|| {
            (
                pointer.to_string(),
                format!("the number {n} cannot be represented in JSON"),
            )
        })?,
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| yaml_to_json(v, &child(pointer, &i.to_string()), warn))
                .collect::<Result<_, _>>()?,
        ),
        Y::Mapping(mapping) => {
            let mut map = Map::new();
            let mut numeric = Vec::new();
            for (k, v) in mapping {
                let key = match k {
                    Y::String(s) => s,
                    Y::Number(n) => {
                        let key = n.to_string();
                        numeric.push(key.clone());
                        key
                    }
                    Y::Bool(b) => {
                        let key = b.to_string();
                        warn(
                            &child(pointer, &key),
                            format!("mapping key {key} is a boolean; read as the string \"{key}\""),
                        );
                        key
                    }
                    other => {
                        return Err((
                            pointer.to_string(),
                            format!("a mapping key must be a string, found {}", kind(&other)),
                        ));
                    }
                };
                let p = child(pointer, &key);
                map.insert(key, yaml_to_json(v, &p, warn)?);
            }
            if let Some(first) = numeric.first() {
                // One warning per mapping: a responses object with six numeric
                // status codes is one defect, not six.
                warn(
                    &child(pointer, first),
                    format!(
                        "mapping key(s) {} written as numbers; read as strings (OpenAPI requires string keys, such as quoted status codes)",
                        numeric.join(", ")
                    ),
                );
            }
            Value::Object(map)
        }
        Y::Tagged(tagged) => {
            warn(pointer, format!("YAML tag {} ignored", tagged.tag));
            yaml_to_json(tagged.value, pointer, warn)?
        }
    })
}

fn number(n: &serde_yaml::Number) -> Option<Value> {
    if let Some(i) = n.as_i64() {
        Some(Value::Number(i.into()))
    } else if let Some(u) = n.as_u64() {
        Some(Value::Number(u.into()))
    } else {
        n.as_f64().and_then(Number::from_f64).map(Value::Number)
    }
}

fn kind(v: &serde_yaml::Value) -> &'static str {
    use serde_yaml::Value as Y;
    match v {
        Y::Null => "null",
        Y::Sequence(_) => "a sequence",
        Y::Mapping(_) => "a mapping",
        Y::Tagged(_) => "a tagged value",
        _ => "a scalar",
    }
}

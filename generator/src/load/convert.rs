//! YAML text → serde_json's value tree, so that repairs, `$ref` lookups and
//! openapiv3 all see one representation.
//!
//! The tree is built by a visitor of our own on serde_yaml's deserializer
//! rather than through `serde_yaml::Value`, which refuses two inputs that
//! published specs contain and that the YAML readers most specs are written
//! with (Java's and JavaScript's) accept: a key repeated in one mapping (the
//! later value wins here too; the source index reports both places) and an
//! integer beyond 64 bits (read as a floating-point number, with a warning).

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use crate::diagnostics::child;

/// `(pointer, message)` pairs collected while converting.
type Notes = RefCell<Vec<(String, String)>>;

/// Why a document could not be converted.
#[derive(Debug)]
pub struct Failure {
    pub pointer: String,
    pub message: String,
    /// As serde_yaml reports it, for syntax errors.
    pub position: Option<(usize, usize)>,
}

/// Converts the one document in `text`. Warnings go to `warn`.
pub fn yaml_to_json(text: &str, warn: &mut dyn FnMut(&str, String)) -> Result<Value, Failure> {
    let warnings = Notes::default();
    let failure = Notes::default();
    let seed = Node {
        pointer: "#".to_string(),
        warnings: &warnings,
        failure: &failure,
    };
    let result = seed.deserialize(serde_yaml::Deserializer::from_str(text));
    for (pointer, message) in warnings.into_inner() {
        warn(&pointer, message);
    }
    result.map_err(|e| {
        let position = e.location().map(|l| (l.line(), l.column()));
        match failure.into_inner().pop() {
            Some((pointer, message)) => Failure {
                pointer,
                message,
                position: None,
            },
            None => Failure {
                pointer: "#".to_string(),
                message: format!("invalid YAML: {}", super::strip_location(&e.to_string())),
                position,
            },
        }
    })
}

/// One node of the tree, at `pointer`.
struct Node<'a> {
    pointer: String,
    warnings: &'a Notes,
    /// Set just before returning an error that belongs to a known pointer.
    failure: &'a Notes,
}

impl Node<'_> {
    fn at(&self, pointer: String) -> Self {
        Node {
            pointer,
            warnings: self.warnings,
            failure: self.failure,
        }
    }

    fn fail<E: de::Error>(&self, message: String) -> E {
        self.failure
            .borrow_mut()
            .push((self.pointer.clone(), message.clone()));
        E::custom(message)
    }

    fn wide_integer<E: de::Error>(&self, text: String, value: f64) -> Result<Value, E> {
        self.warnings.borrow_mut().push((
            self.pointer.clone(),
            format!("the integer {text} does not fit in 64 bits; read as the number {value:e}, which may differ in its last digits"),
        ));
        self.float(value)
    }

    fn float<E: de::Error>(&self, value: f64) -> Result<Value, E> {
        Number::from_f64(value)
            .map(Value::Number)
            .ok_or_else(|| self.fail(format!("the number {value} cannot be represented in JSON")))
    }
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        match i64::try_from(v) {
            Ok(small) => Ok(Value::Number(small.into())),
            Err(_) => self.wide_integer(v.to_string(), v as f64),
        }
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        match u64::try_from(v) {
            Ok(small) => Ok(Value::Number(small.into())),
            Err(_) => self.wide_integer(v.to_string(), v as f64),
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        self.float(v)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        loop {
            let item = self.at(child(&self.pointer, &items.len().to_string()));
            match seq.next_element_seed(item)? {
                Some(v) => items.push(v),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        let mut numeric = Vec::new();
        while let Some(key) = access.next_key_seed(self.at(self.pointer.clone()))? {
            let key = match key {
                Value::String(s) => s,
                Value::Number(n) => {
                    numeric.push(n.to_string());
                    n.to_string()
                }
                Value::Bool(b) => {
                    self.warnings.borrow_mut().push((
                        child(&self.pointer, &b.to_string()),
                        format!("mapping key {b} is a boolean; read as the string \"{b}\""),
                    ));
                    b.to_string()
                }
                Value::Null => {
                    return Err(self.fail("a mapping key must be a string, found null".into()))
                }
                _ => {
                    return Err(
                        self.fail("a mapping key must be a string, found a collection".into())
                    )
                }
            };
            let value = access.next_value_seed(self.at(child(&self.pointer, &key)))?;
            // A repeated key: the later value wins, as in the readers specs
            // are written with; the source index reports both places.
            map.insert(key, value);
        }
        if let Some(first) = numeric.first() {
            // One warning per mapping: a responses object with six numeric
            // status codes is one defect, not six.
            self.warnings.borrow_mut().push((
                child(&self.pointer, first),
                format!(
                    "mapping key(s) {} written as numbers; read as strings (OpenAPI requires string keys, such as quoted status codes)",
                    numeric.join(", ")
                ),
            ));
        }
        Ok(Value::Object(map))
    }

    /// serde_yaml hands a tagged node (`!foo value`) over as an enum.
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        use serde::de::VariantAccess;
        let (tag, variant) = data.variant::<String>()?;
        self.warnings
            .borrow_mut()
            .push((self.pointer.clone(), format!("YAML tag !{tag} ignored")));
        let pointer = self.pointer.clone();
        variant.newtype_variant_seed(self.at(pointer))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn convert(text: &str) -> (Result<Value, String>, Vec<String>) {
        let mut warnings = Vec::new();
        let value = yaml_to_json(text, &mut |p, m| warnings.push(format!("{p}: {m}")))
            .map_err(|f| format!("{}: {}", f.pointer, f.message));
        (value, warnings)
    }

    #[test]
    fn a_repeated_key_keeps_the_later_value() {
        let (value, warnings) = convert("a: 1\nb: {c: 2, c: 3}\n");
        assert_eq!(value, Ok(serde_json::json!({"a": 1, "b": {"c": 3}})));
        assert!(warnings.is_empty(), "the source index reports duplicates");
    }

    #[test]
    fn integers_beyond_64_bits_become_numbers_with_a_warning() {
        let (value, warnings) = convert("x: -9223372036854776000\ny: 18446744073709551615\n");
        let value = value.expect("read");
        assert_eq!(value["x"].as_f64(), Some(-9.223372036854776e18));
        assert_eq!(value["y"].as_u64(), Some(u64::MAX));
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].starts_with("#/x: the integer -9223372036854776000 does not fit"));
    }

    #[test]
    fn numeric_and_boolean_keys_become_strings() {
        let (value, warnings) = convert("200: ok\n404: missing\ntrue: yes\n");
        assert_eq!(
            value,
            Ok(serde_json::json!({"200": "ok", "404": "missing", "true": "yes"}))
        );
        assert_eq!(warnings.len(), 2, "{warnings:?}");
    }

    #[test]
    fn collections_as_keys_and_infinities_are_errors_at_their_place() {
        let (value, _) = convert("a:\n  [1, 2]: x\n");
        assert_eq!(
            value,
            Err("#/a: a mapping key must be a string, found a collection".into())
        );
        let (value, _) = convert("a:\n  b: .inf\n");
        assert_eq!(
            value,
            Err("#/a/b: the number inf cannot be represented in JSON".into())
        );
    }

    #[test]
    fn tags_are_ignored_with_a_warning() {
        let (value, warnings) = convert("a: !custom 5\n");
        assert_eq!(value, Ok(serde_json::json!({"a": 5})));
        assert_eq!(warnings, vec!["#/a: YAML tag !custom ignored".to_string()]);
    }
}

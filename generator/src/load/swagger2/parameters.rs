//! Swagger 2.0 parameters other than bodies, and response headers, in their
//! OpenAPI 3.0 spelling: the value keywords become a `schema`, and
//! `collectionFormat` becomes `style` and `explode`.

use serde_json::{json, Map, Value};

use super::schema::value_schema;
use super::Converter;
use crate::diagnostics::child;

/// How an array parameter is written, by `collectionFormat` and location,
/// or `None` where OpenAPI 3.0 has no such style.
fn style(format: &str, location: &str) -> Option<Option<(&'static str, bool)>> {
    let query = matches!(location, "query" | "formData");
    Some(match (format, query) {
        // 3.0's default for paths and headers.
        ("csv", false) => None,
        ("csv", true) => Some(("form", false)),
        ("multi", true) => Some(("form", true)),
        ("ssv", true) => Some(("spaceDelimited", false)),
        ("pipes", true) => Some(("pipeDelimited", false)),
        _ => return None,
    })
}

impl Converter<'_> {
    /// A query, path, header or form parameter (`pointer` is where the 2.0
    /// document has it): the 3.0 parameter, or the schema of a form field.
    /// Returns the parameter and the `(style, explode)` its value is written
    /// with, where that is not the location's default.
    pub(super) fn parameter(
        &mut self,
        source: &Map<String, Value>,
        at: &str,
        pointer: &str,
    ) -> (Map<String, Value>, Option<(&'static str, bool)>) {
        let mut param = source.clone();
        let location = param
            .get("in")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let (mut schema, nested) = value_schema(&mut param);
        let format = param.remove("collectionFormat");
        let is_array = schema.get("type").and_then(Value::as_str) == Some("array");
        let mut written = None;
        if is_array {
            let format = format.as_ref().and_then(Value::as_str).unwrap_or("csv");
            match style(format, &location) {
                Some(style) => written = style,
                None => {
                    self.warn(
                        child(pointer, "collectionFormat"),
                        format!("`collectionFormat: {format}` has no OpenAPI 3 counterpart in `{location}`; the value is read as its raw text"),
                    );
                    schema = json!({"type": "string"});
                }
            }
            if nested.iter().any(|f| f != "csv") {
                self.warn(
                    child(pointer, "items"),
                    "an array inside an array parameter other than comma-separated has no OpenAPI 3 counterpart; the value is read as its raw text",
                );
                schema = json!({"type": "string"});
            }
        }
        self.moves.record(child(at, "schema"), pointer.to_string());
        param.insert("schema".into(), schema);
        if location != "formData" {
            if let Some((style, explode)) = written {
                param.insert("style".into(), json!(style));
                param.insert("explode".into(), json!(explode));
            }
        }
        (param, written)
    }

    /// A response header.
    pub(super) fn header(&mut self, source: &Map<String, Value>, at: &str, pointer: &str) -> Value {
        let mut header = source.clone();
        header.insert("in".into(), json!("header"));
        let (mut header, _) = self.parameter(&header, at, pointer);
        header.remove("in");
        Value::Object(header)
    }
}

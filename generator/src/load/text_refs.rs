//! `description: {$ref: ./intro.md}`: Redocly and swagger-parser put the
//! text of another file (or a string elsewhere in a document) where
//! OpenAPI wants a string: `info.description`, a tag's, an operation's
//! `summary`. It is read into place, with a warning, before the bundler
//! sees the document; the bundler follows references only where OpenAPI
//! allows them.

use std::path::Path;

use serde_json::Value;

use crate::diagnostics::{child, unescape_pointer};

/// Keys whose value is text that such a reference may stand for.
const TEXT_KEYS: &[&str] = &["description", "summary"];

/// What reading the references found: warnings and errors, each at its
/// pointer.
#[derive(Default)]
pub(super) struct Found {
    pub warnings: Vec<(String, String)>,
    pub errors: Vec<(String, String)>,
}

/// Replaces each text reference of `root` (read from a file in `dir`) by
/// the text it names.
pub(super) fn inline(
    root: &mut Value,
    dir: &Path,
    read: &dyn Fn(&Path) -> std::io::Result<String>,
) -> Found {
    let mut refs = Vec::new();
    collect(root, "#".to_string(), &mut refs);
    let mut found = Found::default();
    for (pointer, reference) in refs {
        let ref_at = child(&pointer, "$ref");
        match text_of(root, &reference, dir, read) {
            Ok(text) => {
                if let Some(slot) = root.pointer_mut(&unescape_pointer(&pointer)) {
                    *slot = Value::String(text);
                }
                found.warnings.push((
                    ref_at,
                    format!("a text is a `$ref` (`{reference}`), which OpenAPI does not provide for; the text it names is used, as Redocly does"),
                ));
            }
            Err(message) => found.errors.push((ref_at, message)),
        }
    }
    found
}

/// `(pointer, reference)` of every text that is a reference alone.
fn collect(value: &Value, pointer: String, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                let at = child(&pointer, key);
                let reference = v
                    .as_object()
                    .filter(|m| m.len() == 1)
                    .and_then(|m| m.get("$ref"))
                    .and_then(Value::as_str);
                // Not `properties: {description: {$ref}}`: a schema named so.
                let in_schema_map = pointer.ends_with("/properties");
                match reference {
                    Some(r) if TEXT_KEYS.contains(&key.as_str()) && !in_schema_map => {
                        out.push((at, r.to_string()))
                    }
                    _ => collect(v, at, out),
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                collect(v, child(&pointer, &i.to_string()), out);
            }
        }
        _ => {}
    }
}

fn text_of(
    root: &Value,
    reference: &str,
    dir: &Path,
    read: &dyn Fn(&Path) -> std::io::Result<String>,
) -> Result<String, String> {
    let (location, fragment) = reference.split_once('#').unwrap_or((reference, ""));
    let document;
    let value = if location.is_empty() {
        root
    } else {
        let path = dir.join(location);
        let text = read(&path)
            .map_err(|e| format!("cannot read the referenced file {}: {e}", path.display()))?;
        if fragment.is_empty() {
            return Ok(text);
        }
        document = serde_yaml::from_str::<Value>(&text)
            .map_err(|e| format!("cannot read {} as YAML or JSON: {e}", path.display()))?;
        &document
    };
    match value.pointer(&unescape_pointer(&format!("#{fragment}"))) {
        Some(Value::String(text)) => Ok(text.clone()),
        Some(_) => Err(format!("`{reference}` is not a text")),
        None => Err(format!("`{reference}` names nothing")),
    }
}

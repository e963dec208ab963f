//! Where each component schema is used: in what clients send, in what
//! servers send, or both. A change to a schema counts by that.

use std::collections::BTreeMap;

use serde_json::Value;

use super::json::{entries, resolve, schema_name};
use super::rules::Direction;

pub use crate::load::walk::METHODS;

/// The direction of every component schema reachable from an operation.
pub fn directions(root: &Value) -> BTreeMap<String, Direction> {
    let mut found = BTreeMap::new();
    for (_, item) in entries(root.get("paths")) {
        let Some(item) = resolve(root, item) else {
            continue;
        };
        for p in item
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            parameter(root, p, &mut found);
        }
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            for p in op
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                parameter(root, p, &mut found);
            }
            if let Some(body) = op.get("requestBody").and_then(|b| resolve(root, b)) {
                for (_, media) in entries(body.get("content")) {
                    mark(root, media.get("schema"), Direction::Request, &mut found);
                }
            }
            for (_, response) in entries(op.get("responses")) {
                let Some(response) = resolve(root, response) else {
                    continue;
                };
                for (_, media) in entries(response.get("content")) {
                    mark(root, media.get("schema"), Direction::Response, &mut found);
                }
                for (_, header) in entries(response.get("headers")) {
                    let header = resolve(root, header);
                    mark(
                        root,
                        header.and_then(|h| h.get("schema")),
                        Direction::Response,
                        &mut found,
                    );
                }
            }
        }
    }
    found
}

fn parameter(root: &Value, p: &Value, found: &mut BTreeMap<String, Direction>) {
    let schema = resolve(root, p).and_then(|p| p.get("schema"));
    mark(root, schema, Direction::Request, found);
}

/// Marks the components `schema` reaches as used in `direction`.
fn mark(
    root: &Value,
    schema: Option<&Value>,
    direction: Direction,
    found: &mut BTreeMap<String, Direction>,
) {
    let Some(schema) = schema else { return };
    if let Some(name) = schema_name(schema) {
        let before = found.get(name).copied().unwrap_or(Direction::Unused);
        let after = before.join(direction);
        if after == before {
            // Already walked in this direction: also ends cycles.
            return;
        }
        found.insert(name.to_string(), after);
        mark(root, resolve(root, schema), direction, found);
        return;
    }
    for (_, property) in entries(schema.get("properties")) {
        mark(root, Some(property), direction, found);
    }
    for key in ["items", "additionalProperties", "not"] {
        mark(
            root,
            schema.get(key).filter(|v| v.is_object()),
            direction,
            found,
        );
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        for member in schema
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            mark(root, Some(member), direction, found);
        }
    }
}

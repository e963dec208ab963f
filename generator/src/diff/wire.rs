//! The wire-level comparison: servers, security schemes, operations
//! ([`super::operations`]) and component schemas.

use std::collections::BTreeMap;

use serde_json::Value;

use super::json::{child, entries, show, strings};
use super::operations;
use super::rules::{Direction, Rule};
use super::schema::{Cx, Site};
use super::usage::directions;
use super::Change;

/// Every change from `old` to `new` (both loaded documents).
pub fn compare(old: &Value, new: &Value) -> Vec<Change> {
    let renames = renames(old, new);
    let mut cx = Cx::new(old, new, &renames);
    servers(&mut cx);
    security_schemes(&mut cx);
    operations::compare(&mut cx);
    components(&mut cx);
    cx.out
}

/// Keys that carry documentation only.
const DOC_KEYS: [&str; 6] = [
    "description",
    "summary",
    "example",
    "examples",
    "title",
    "externalDocs",
];

/// `value` without its documentation, for comparisons of meaning.
pub fn without_docs(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| !DOC_KEYS.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), without_docs(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_docs).collect()),
        other => other.clone(),
    }
}

fn schemas(root: &Value) -> BTreeMap<&String, &Value> {
    entries(root.pointer("/components/schemas")).collect()
}

/// Components that only changed their name: old name → new name.
fn renames(old: &Value, new: &Value) -> BTreeMap<String, String> {
    let (o, n) = (schemas(old), schemas(new));
    let mut found = BTreeMap::new();
    let added: Vec<(&String, Value)> = n
        .iter()
        .filter(|(k, _)| !o.contains_key(*k))
        .map(|(k, v)| (*k, without_docs(v)))
        .collect();
    for (name, schema) in o.iter().filter(|(k, _)| !n.contains_key(*k)) {
        let schema = without_docs(schema);
        let taken: Vec<&String> = found.values().collect();
        if let Some((new_name, _)) = added
            .iter()
            .find(|(k, v)| *v == schema && !taken.contains(k))
        {
            found.insert(name.to_string(), new_name.to_string());
        }
    }
    found
}

fn components(cx: &mut Cx) {
    let (old_dirs, new_dirs) = (directions(cx.old_root), directions(cx.new_root));
    let (o, n) = (schemas(cx.old_root), schemas(cx.new_root));
    for (old_name, new_name) in cx.renames.clone() {
        let site = Site {
            subject: format!("schema {old_name}"),
            at: String::new(),
            pointer: child("#/components/schemas", &new_name),
            direction: Direction::Unused,
        };
        cx.report(
            &site,
            Rule::SchemaRenamed,
            format!("renamed to `{new_name}`, unchanged"),
        );
    }
    for (name, new_schema) in &n {
        let Some(old_schema) = o.get(name) else {
            continue;
        };
        let direction =
            |d: &BTreeMap<String, Direction>| d.get(*name).copied().unwrap_or(Direction::Unused);
        let site = Site {
            subject: format!("schema {name}"),
            at: String::new(),
            pointer: child("#/components/schemas", name),
            direction: direction(&old_dirs).join(direction(&new_dirs)),
        };
        cx.schemas(old_schema, new_schema, &site);
    }
}

fn servers(cx: &mut Cx) {
    let first = |root: &Value| root.pointer("/servers/0").cloned();
    let (Some(o), Some(n)) = (first(cx.old_root), first(cx.new_root)) else {
        return;
    };
    let site = Site {
        subject: "servers".into(),
        at: String::new(),
        pointer: "#/servers/0".into(),
        direction: Direction::Request,
    };
    let url = |v: &Value| {
        v.get("url")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    if url(&o) != url(&n) {
        cx.report(
            &site,
            Rule::ServerUrlChanged,
            format!("`{}` → `{}`", url(&o), url(&n)),
        );
    }
    for (name, nv) in entries(n.get("variables")) {
        let ov = o.pointer(&format!("/variables/{name}"));
        let at = Site {
            at: format!("{{{name}}}"),
            pointer: child("#/servers/0/variables", name),
            ..site.clone()
        };
        let Some(ov) = ov else {
            cx.report(&at, Rule::ServerVariableChanged, "variable added".into());
            continue;
        };
        if ov.get("default") != nv.get("default") {
            let text = |v: &Value| v.get("default").map(show).unwrap_or_default();
            cx.report(
                &at,
                Rule::ServerVariableChanged,
                format!("default {} → {}", text(ov), text(nv)),
            );
        }
        let (a, b) = (strings(ov.get("enum")), strings(nv.get("enum")));
        if a != b {
            cx.report(
                &at,
                Rule::ServerVariableChanged,
                format!("enum [{}] → [{}]", a.join(", "), b.join(", ")),
            );
        }
    }
}

fn security_schemes(cx: &mut Cx) {
    let schemes = |root: &Value| -> BTreeMap<String, Value> {
        entries(root.pointer("/components/securitySchemes"))
            .map(|(k, v)| (k.clone(), without_docs(v)))
            .collect()
    };
    let (o, n) = (schemes(cx.old_root), schemes(cx.new_root));
    for (name, nv) in &n {
        if let Some(ov) = o.get(name).filter(|ov| *ov != nv) {
            let site = Site {
                subject: format!("security scheme {name}"),
                at: String::new(),
                pointer: child("#/components/securitySchemes", name),
                direction: Direction::Request,
            };
            cx.report(
                &site,
                Rule::SecuritySchemeChanged,
                format!("{} → {}", show(ov), show(nv)),
            );
        }
    }
}

//! Each project spec carries every fact of its published twin: compared
//! structurally after the loader's repairs, with non-schema `$ref`s inlined,
//! and ignoring descriptions, summaries, key order and quoting.

use iom_codegen::load::load_file;
use iom_codegen_tests::{published_specs, root, SPEC_TWINS};
use serde_json::{Map, Value};

/// Prose that the project specs may word differently.
const PROSE: &[&str] = &["description", "summary"];

/// Components that only factor out repetition; their uses are inlined.
const FACTORED: &[&str] = &[
    "parameters",
    "responses",
    "headers",
    "requestBodies",
    "examples",
];

fn inline_refs(value: &Value, doc: &Value) -> Value {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                let is_factored = FACTORED
                    .iter()
                    .any(|c| r.starts_with(&format!("#/components/{c}/")));
                if is_factored {
                    if let Some(target) = doc.pointer(&r[1..]) {
                        return inline_refs(target, doc);
                    }
                }
            }
            Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), inline_refs(v, doc)))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.iter().map(|v| inline_refs(v, doc)).collect()),
        other => other.clone(),
    }
}

fn strip(value: &Value, in_properties: bool) -> Value {
    match value {
        Value::Object(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                if !in_properties && PROSE.contains(&k.as_str()) {
                    continue;
                }
                // Under `properties` the keys are property names, not keywords.
                out.insert(k.clone(), strip(v, !in_properties && k == "properties"));
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(|v| strip(v, false)).collect()),
        other => other.clone(),
    }
}

fn normalize(doc: &Value) -> Value {
    let mut v = inline_refs(doc, doc);
    if let Some(components) = v.get_mut("components").and_then(Value::as_object_mut) {
        for c in FACTORED {
            components.remove(*c);
        }
    }
    strip(&v, false)
}

fn diff(path: &str, a: &Value, b: &Value, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                let p = format!("{path}/{}", k.replace('~', "~0").replace('/', "~1"));
                match y.get(k) {
                    Some(w) => diff(&p, v, w, out),
                    None => out.push(format!("{p}: only in the project spec: {v}")),
                }
            }
            for (k, w) in y {
                if !x.contains_key(k) {
                    let p = format!("{path}/{}", k.replace('~', "~0").replace('/', "~1"));
                    out.push(format!("{p}: missing from the project spec: {w}"));
                }
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                diff(&format!("{path}/{i}"), v, w, out);
            }
        }
        _ if a == b => {}
        _ => out.push(format!("{path}: project has {a}, published has {b}")),
    }
}

#[test]
fn project_specs_carry_every_fact_of_the_published_files() {
    let Some(published) = published_specs() else {
        return;
    };
    let mut report = Vec::new();
    for (ours, theirs) in SPEC_TWINS {
        let (a, b) = match (
            load_file(&root().join("specs").join(ours)),
            load_file(&published.join(theirs)),
        ) {
            (Ok(a), Ok(b)) => (a, b),
            (Err(d), _) | (_, Err(d)) => {
                report.push(format!("{ours} vs {theirs}: cannot load:\n{d}"));
                continue;
            }
        };
        let mut differences = Vec::new();
        diff(
            "#",
            &normalize(&a.raw),
            &normalize(&b.raw),
            &mut differences,
        );
        if !differences.is_empty() {
            report.push(format!(
                "{ours} vs {theirs}:\n  {}",
                differences.join("\n  ")
            ));
        }
    }
    assert!(
        report.is_empty(),
        "project specs differ from the published ones:\n{}",
        report.join("\n")
    );
}

#[test]
fn the_comparison_notices_a_changed_fact() {
    let doc: Value = serde_json::json!({"paths": {"/a": {"get": {"description": "x", "parameters": [{"$ref": "#/components/parameters/p"}]}}},
        "components": {"parameters": {"p": {"name": "p", "in": "query", "required": true}}}});
    let mut changed = doc.clone();
    changed["components"]["parameters"]["p"]["required"] = Value::Bool(false);
    changed["paths"]["/a"]["get"]["description"] = Value::String("reworded".into());
    let mut out = Vec::new();
    diff("#", &normalize(&doc), &normalize(&changed), &mut out);
    assert_eq!(
        out,
        vec![
            "#/paths/~1a/get/parameters/0/required: project has true, published has false"
                .to_string()
        ]
    );
}

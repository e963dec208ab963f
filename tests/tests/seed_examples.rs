//! The reference documents in `../shared/seeds` show an example for many
//! properties. Each must be an `example` of the project spec, because the
//! generated models crates test themselves against those (see
//! `tests/examples.rs` in each crate), so the seeds' examples are decoded and
//! re-encoded by every `cargo test`.

use std::collections::BTreeSet;
use std::path::Path;

use iom_codegen::load::load_file;
use iom_codegen_tests::root;
use serde_json::Value;

/// Seed title → project spec.
const SEED_SPECS: &[(&str, &str)] = &[
    ("Order State 1.0", "order-state-1.0.yaml"),
    ("Communication 2.9.4.0", "communication-2.9.4.0.yaml"),
    ("GDPR 2.9.4.0", "gdpr-2.9.4.0.yaml"),
    ("RMA 2.11", "rma-2.11.yaml"),
];

/// The `Example:` values of a seed document. The renderer shows date-times
/// in UTC, so they are compared as instants.
fn seed_examples(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.split_once("| Example: ").map(|(_, e)| e))
        .map(|e| e.split(" | ").next().unwrap_or(e).trim().to_string())
        .collect()
}

/// Every scalar under an `example` key, as text (array examples item by
/// item), and every `enum` value: the seeds sometimes show another value of
/// the enum than the published file (RMA 2.11 `type`: PICKUP vs RETURN), and
/// the generated tests decode every enum value.
fn spec_examples(value: &Value, under_example: bool, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                spec_examples(v, under_example || k == "example" || k == "enum", out);
            }
        }
        Value::Array(items) => items
            .iter()
            .for_each(|v| spec_examples(v, under_example, out)),
        Value::String(s) if under_example => {
            out.insert(canonical(s));
        }
        Value::Number(_) | Value::Bool(_) if under_example => {
            out.insert(canonical(&value.to_string()));
        }
        _ => {}
    }
}

/// The seeds' renderer shows date-times in UTC, numbers without a trailing
/// `.0`, and drops underscores (markdown emphasis), so values are compared
/// in that form.
fn canonical(text: &str) -> String {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(text) {
        return t.with_timezone(&chrono::Utc).to_rfc3339();
    }
    if let Ok(x) = text.parse::<f64>() {
        if text
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
        {
            return format!("{x}");
        }
    }
    text.replace('_', "")
}

fn missing_examples(seed: &str, spec: &Path) -> Result<Vec<String>, String> {
    let loaded = load_file(spec).map_err(|d| d.to_string())?;
    let mut known = BTreeSet::new();
    spec_examples(&loaded.raw, false, &mut known);
    Ok(seed_examples(seed)
        .into_iter()
        .filter(|e| !known.contains(&canonical(e)))
        .collect())
}

#[test]
fn every_example_of_the_seed_documents_is_in_the_project_spec() {
    let dir = root().join("../shared/seeds");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("notice: {} is not present; skipping", dir.display());
        return;
    };
    let mut checked = 0;
    let mut report = Vec::new();
    for entry in entries.flatten() {
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        let Some((_, spec)) = SEED_SPECS
            .iter()
            .find(|(title, _)| text.contains(&format!("Reference - IOM REST API - {title}\n")))
        else {
            continue;
        };
        checked += seed_examples(&text).len();
        match missing_examples(&text, &root().join("specs").join(spec)) {
            Ok(missing) if missing.is_empty() => {}
            Ok(missing) => report.push(format!(
                "{}: not examples of specs/{spec}: {missing:?}",
                entry.path().display()
            )),
            Err(e) => report.push(e),
        }
    }
    assert!(report.is_empty(), "{}", report.join("\n"));
    assert!(
        checked > 100,
        "the seeds show examples; found only {checked}"
    );
}

#[test]
fn a_seed_example_missing_from_the_spec_is_noticed() {
    let seed = "The city. | Example: Atlantis\nThe year. | Example: 2019-09-14T14:22:32.123Z\n";
    let spec = root().join("tests/fixtures/constraints.yaml");
    let missing = missing_examples(seed, &spec).expect("the fixture loads");
    assert!(missing.contains(&"Atlantis".to_string()), "{missing:?}");
}

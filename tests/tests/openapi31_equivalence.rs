//! A 3.0 spec and its faithful 3.1 rewrite generate the same crates, and
//! spec-diff finds no change between them: the four IOM specs and every
//! fixture spec, rewritten here programmatically.
//!
//! The rewrite uses the 3.1 spelling of each 3.0 construct the specs use:
//! `type` lists with `"null"` for `nullable`, `anyOf` with `{type: null}`
//! where there is no `type`, `examples` lists, numeric exclusive bounds,
//! `contentEncoding`/`contentMediaType` for `byte` and `binary`, and
//! `$ref` with siblings for a single-reference `allOf`.

use std::path::{Path, PathBuf};

use iom_codegen::diff::diff;
use iom_codegen::load::{load_str, Format};
use iom_codegen::{generate_crates, CrateSpec};
use iom_codegen_tests::root;
use serde_json::{json, Map, Value};

/// Documentation and defaults: what may stand beside a 3.1 `$ref`.
const BESIDE_REF: &[&str] = &[
    "description",
    "title",
    "default",
    "deprecated",
    "readOnly",
    "writeOnly",
];

fn rewrite_schema(value: &mut Value) {
    let Value::Object(map) = value else {
        return;
    };
    for (key, child) in map.iter_mut() {
        match key.as_str() {
            "items" | "not" => rewrite_schema(child),
            "additionalProperties" if child.is_object() => rewrite_schema(child),
            "properties" => {
                if let Value::Object(properties) = child {
                    properties.values_mut().for_each(rewrite_schema);
                }
            }
            "allOf" | "anyOf" | "oneOf" => {
                if let Value::Array(parts) = child {
                    parts.iter_mut().for_each(rewrite_schema);
                }
            }
            _ => {}
        }
    }
    if let Some(example) = map.remove("example") {
        map.insert("examples".into(), json!([example]));
    }
    for (exclusive, inclusive) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        match map.remove(exclusive) {
            Some(Value::Bool(true)) => {
                if let Some(bound) = map.remove(inclusive) {
                    map.insert(exclusive.into(), bound);
                }
            }
            Some(Value::Bool(false)) | None => {}
            Some(other) => {
                map.insert(exclusive.into(), other);
            }
        }
    }
    match map.get("format").and_then(Value::as_str) {
        Some("byte") => {
            map.remove("format");
            map.insert("contentEncoding".into(), json!("base64"));
        }
        Some("binary") => {
            map.remove("format");
            map.insert("contentMediaType".into(), json!("application/octet-stream"));
        }
        _ => {}
    }
    single_ref(map);
    let nullable = map.remove("nullable") == Some(Value::Bool(true));
    match (
        nullable,
        map.get("type").and_then(Value::as_str).map(String::from),
    ) {
        (true, Some(typ)) => {
            map.insert("type".into(), json!([typ, "null"]));
            if let Some(Value::Array(values)) = map.get_mut("enum") {
                if !values.contains(&Value::Null) {
                    values.push(Value::Null);
                }
            }
        }
        (true, None) => {
            let docs: Map<String, Value> = ["description", "title", "examples", "default"]
                .iter()
                .filter_map(|k| map.remove(*k).map(|v| (k.to_string(), v)))
                .collect();
            let mut rest = Value::Object(std::mem::take(map));
            // `allOf: [{$ref}]` alone is the reference itself.
            if let Some([part]) = rest
                .get("allOf")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
            {
                if rest.as_object().is_some_and(|r| r.len() == 1) && part.get("$ref").is_some() {
                    rest = part.clone();
                }
            }
            *map = docs;
            map.insert("anyOf".into(), json!([rest, {"type": "null"}]));
        }
        (false, Some(typ)) => {
            map.insert("type".into(), json!([typ]));
        }
        (false, None) => {}
    }
}

/// `allOf: [{$ref}]` with documentation beside it is 3.1's `$ref` with
/// siblings.
fn single_ref(map: &mut Map<String, Value>) {
    let only_docs = map
        .keys()
        .all(|k| k == "allOf" || BESIDE_REF.contains(&k.as_str()));
    let reference = match map
        .get("allOf")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
    {
        Some([part]) if only_docs && part.as_object().is_some_and(|p| p.len() == 1) => {
            part.get("$ref").cloned()
        }
        _ => None,
    };
    if let Some(reference) = reference {
        map.remove("allOf");
        map.insert("$ref".into(), reference);
    }
}

/// Every schema of the document, rewritten.
fn rewrite(doc: &mut Value) {
    doc["openapi"] = json!("3.1.0");
    if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
        schemas.values_mut().for_each(rewrite_schema);
    }
    rewrite_schema_keys(doc, false);
}

/// The `schema` of every parameter, header and media type.
fn rewrite_schema_keys(value: &mut Value, in_data: bool) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                let data = in_data
                    || matches!(key.as_str(), "example" | "examples" | "default" | "enum")
                    || key.starts_with("x-");
                if key == "schemas" {
                    continue; // done above
                }
                if key == "schema" && !data {
                    rewrite_schema(child);
                } else {
                    rewrite_schema_keys(child, data);
                }
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|v| rewrite_schema_keys(v, in_data)),
        _ => {}
    }
}

fn crate_spec(path: &Path, display: &str) -> CrateSpec {
    CrateSpec {
        spec_path: path.to_path_buf(),
        display_path: display.to_string(),
        prefix: "equivalence".into(),
        crate_version: None,
        pagination: Default::default(),
        config_entry: None,
        url_map: Default::default(),
        strict: false,
        mock: false,
    }
}

/// Every other file of a spec split over files, copied to `to` with its
/// schemas rewritten too.
fn copy_rewritten(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("readable") {
        let path = entry.expect("readable").path();
        let target = to.join(path.file_name().expect("a name"));
        if path.is_dir() {
            std::fs::create_dir_all(&target).expect("writable");
            copy_rewritten(&path, &target);
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("readable");
        let data = path
            .extension()
            .is_some_and(|e| e == "yaml" || e == "yml" || e == "json");
        if !data {
            // A text that a description refers to (`intro.md`).
            std::fs::write(&target, text).expect("writable");
            continue;
        }
        let mut doc: Value = serde_yaml::from_str(&text).expect("YAML");
        if doc.get("openapi").is_some() {
            rewrite(&mut doc);
        } else if doc.get("type").is_some() || doc.get("properties").is_some() {
            rewrite_schema(&mut doc);
        } else {
            rewrite_schema_keys(&mut doc, false);
        }
        std::fs::write(&target, serde_yaml::to_string(&doc).expect("writable")).expect("writable");
    }
}

/// `path`, or with `tree` the root of a spec split over the files of that
/// directory.
fn check(path: &Path, tree: Option<&Path>) {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .expect("a file name");
    let text = std::fs::read_to_string(path).expect("readable");
    let format = Format::of(path);
    let mut doc: Value = match format {
        Format::Json => serde_json::from_str(&text).expect("JSON"),
        Format::Yaml => serde_yaml::from_str(&text).expect("YAML"),
    };
    rewrite(&mut doc);
    let rewritten = match format {
        Format::Json => serde_json::to_string_pretty(&doc).expect("writable"),
        Format::Yaml => serde_yaml::to_string(&doc).expect("writable"),
    };
    assert!(rewritten.contains("3.1.0"));
    let dir = tempfile::tempdir().expect("temp dir");
    let path31 = match tree {
        Some(tree) => {
            copy_rewritten(tree, dir.path());
            dir.path()
                .join(path.strip_prefix(tree).expect("in the tree"))
        }
        None => dir.path().join(name),
    };
    std::fs::write(&path31, &rewritten).expect("writable");

    let original = generate_crates(&crate_spec(path, name)).expect("the 3.0 spec generates");
    let from31 = generate_crates(&crate_spec(&path31, name))
        .unwrap_or_else(|e| panic!("{name}: the 3.1 rewrite does not generate:\n{e}"));
    assert_eq!(original.files.len(), from31.files.len(), "{name}");
    for (a, b) in original.files.iter().zip(&from31.files) {
        assert_eq!(a.path, b.path, "{name}");
        if a.contents != b.contents {
            let line = a
                .contents
                .lines()
                .zip(b.contents.lines())
                .position(|(x, y)| x != y)
                .unwrap_or(0);
            let show = |c: &str| {
                c.lines()
                    .skip(line.saturating_sub(3))
                    .take(8)
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            panic!(
                "{name}: {} differs from line {}:\n--- 3.0\n{}\n--- 3.1\n{}",
                a.path.display(),
                line + 1,
                show(&a.contents),
                show(&b.contents)
            );
        }
    }
    let old = load_str(path, &text, format).expect("loads");
    let new = load_str(&path31, &rewritten, format).expect("loads");
    let report = diff(&old, &new, "3.0", "3.1");
    assert!(
        report.changes.is_empty(),
        "{name}: spec-diff reports {:?}",
        report.changes
    );
}

fn specs_in(dir: &Path, skip: &[&str]) -> Vec<PathBuf> {
    let mut specs: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("yaml" | "json")
            )
        })
        .filter(|p| !skip.iter().any(|s| p.ends_with(s)))
        .collect();
    specs.sort();
    specs
}

/// One test per IOM spec, so that a failure names the spec.
macro_rules! iom {
    ($($test:ident => $file:literal),* $(,)?) => {$(
        #[test]
        fn $test() {
            check(&root().join("specs").join($file), None);
        }
    )*};
}

iom! {
    order_state_1_0_rewritten_to_3_1_generates_the_same_crates => "order-state-1.0.yaml",
    communication_2_9_4_0_rewritten_to_3_1_generates_the_same_crates => "communication-2.9.4.0.yaml",
    gdpr_2_9_4_0_rewritten_to_3_1_generates_the_same_crates => "gdpr-2.9.4.0.yaml",
    rma_2_11_rewritten_to_3_1_generates_the_same_crates => "rma-2.11.yaml",
}

#[test]
fn the_iom_specs_are_the_four() {
    let specs = specs_in(&root().join("specs"), &["codegen.yaml"]);
    assert_eq!(
        specs.len(),
        4,
        "a new spec needs its equivalence test: {specs:?}"
    );
}

#[test]
fn the_fixture_specs_rewritten_to_3_1_generate_the_same_crates() {
    // openapi31.yaml is 3.1 already.
    let specs = specs_in(
        &root().join("tests/fixtures"),
        &["codegen.yaml", "openapi31.yaml"],
    );
    assert_eq!(specs.len(), 18, "{specs:?}");
    specs.iter().for_each(|p| check(p, None));
}

#[test]
fn the_multi_file_fixture_rewritten_to_3_1_generates_the_same_crates() {
    let tree = root().join("tests/fixtures/multi");
    check(&tree.join("root.yaml"), Some(&tree));
}

#[test]
fn the_rewrite_uses_the_3_1_spellings() {
    let mut schema = json!({
        "type": "integer", "nullable": true, "minimum": 0, "exclusiveMinimum": true,
        "example": 3,
    });
    rewrite_schema(&mut schema);
    assert_eq!(
        schema,
        json!({"type": ["integer", "null"], "exclusiveMinimum": 0, "examples": [3]})
    );
    let mut schema = json!({"allOf": [{"$ref": "#/components/schemas/A"}], "nullable": true, "description": "d"});
    rewrite_schema(&mut schema);
    assert_eq!(
        schema,
        json!({"description": "d", "anyOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}]})
    );
}

//! Specs split over files (tests/fixtures/multi): a change in any file the
//! spec reads makes the committed output stale, URL references read local
//! copies through `url_map`, moving a schema to another file is no change
//! to spec-diff, and texts and operations that are references to other
//! files (as Redocly and swagger-parser allow) are read into place.

use std::fs;
use std::path::{Path, PathBuf};

use iom_codegen::diagnostics::Unsupported;
use iom_codegen::diff::diff;
use iom_codegen::load::load_file;
use iom_codegen::write;
use iom_codegen::{generate_crates, CrateSpec};
use iom_codegen_tests::root;

fn spec(path: &Path) -> CrateSpec {
    CrateSpec {
        spec_path: path.to_path_buf(),
        display_path: "root.yaml".into(),
        prefix: "fixture-multi".into(),
        crate_version: None,
        pagination: Default::default(),
        config_entry: None,
        url_map: Default::default(),
        strict: false,
        mock: false,
    }
}

/// A copy of the fixture tree, to change.
fn copy_tree(from: &Path, to: &Path) {
    for entry in fs::read_dir(from).expect("readable") {
        let entry = entry.expect("readable");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            fs::create_dir_all(&target).expect("writable");
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("writable");
        }
    }
}

fn files_of(spec: &CrateSpec) -> write::FileSet {
    let generated = generate_crates(spec).expect("the multi-file fixture generates");
    generated
        .files
        .into_iter()
        .map(|f| (f.path, f.contents))
        .collect()
}

#[test]
fn a_change_in_a_referenced_file_makes_the_output_stale() {
    let dir = tempfile::tempdir().expect("temp dir");
    let tree = dir.path().join("spec");
    let out = dir.path().join("out");
    fs::create_dir_all(&tree).expect("writable");
    copy_tree(&root().join("tests/fixtures/multi"), &tree);
    let spec = spec(&tree.join("root.yaml"));
    let before = files_of(&spec);
    write::write(&out, &before, true).expect("written");
    assert!(write::check(&out, &before, true)
        .expect("checked")
        .is_empty());

    // Two levels below the root: root → paths/pets.yaml → models/pet.yaml.
    let pet = tree.join("models/pet.yaml");
    let text = fs::read_to_string(&pet).expect("readable");
    fs::write(
        &pet,
        text.replace("  name:\n", "  nickname:\n    type: string\n  name:\n"),
    )
    .expect("writable");
    let after = files_of(&spec);
    let stale = write::check(&out, &after, true).expect("checked");
    assert!(
        stale.contains(&write::Stale::Differs(PathBuf::from(
            "fixture-multi-models/src/models.rs"
        ))),
        "a new property in models/pet.yaml must make models.rs stale: {stale:?}"
    );
}

#[test]
fn url_references_read_the_mapped_directory() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::create_dir_all(dir.path().join("vendor")).expect("writable");
    fs::write(
        dir.path().join("vendor/money.yaml"),
        "type: object\nrequired: [amount]\nproperties:\n  amount: { type: integer }\n",
    )
    .expect("writable");
    let root_spec = dir.path().join("api.yaml");
    fs::write(
        &root_spec,
        "openapi: 3.0.3\ninfo: { title: t, version: '1' }\npaths: {}\ncomponents:\n  schemas:\n    Price:\n      type: object\n      properties:\n        net: { $ref: 'https://schemas.example.com/v1/money.yaml' }\n",
    )
    .expect("writable");
    let mut spec = spec(&root_spec);
    let refused = generate_crates(&spec).expect_err("no mapping: refused");
    assert!(refused.to_string().contains("url_map"), "{refused}");
    // A construct refused by name, which the corpus counts by class.
    assert_eq!(refused.0[0].unsupported, Some(Unsupported::ExternalRef));
    spec.url_map.insert(
        "https://schemas.example.com/v1/".into(),
        dir.path().join("vendor"),
    );
    let files = files_of(&spec);
    let models: &String = files
        .iter()
        .find(|(p, _)| p.ends_with("src/models.rs"))
        .map(|(_, c)| c)
        .expect("models.rs");
    assert!(models.contains("pub struct Money"), "{models}");
    assert!(models.contains("pub net: Option<Money>"), "{models}");
}

#[test]
fn a_schema_moved_to_another_file_is_no_change() {
    let dir = tempfile::tempdir().expect("temp dir");
    let one = dir.path().join("one.yaml");
    let split = dir.path().join("split.yaml");
    let owner = "type: object\nrequired: [name]\nproperties:\n  name: { type: string }\n";
    fs::write(
        &one,
        format!(
            "openapi: 3.0.3\ninfo: {{ title: t, version: '1' }}\npaths:\n  /owner:\n    get:\n      operationId: getOwner\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{ $ref: '#/components/schemas/Owner' }}\ncomponents:\n  schemas:\n    Owner:\n{}",
            indent(owner, 6)
        ),
    )
    .expect("writable");
    fs::create_dir_all(dir.path().join("models")).expect("writable");
    fs::write(dir.path().join("models/Owner.yaml"), owner).expect("writable");
    fs::write(
        &split,
        "openapi: 3.0.3\ninfo: { title: t, version: '1' }\npaths:\n  /owner:\n    get:\n      operationId: getOwner\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: { $ref: 'models/Owner.yaml' }\n",
    )
    .expect("writable");
    let old = load_file(&one).expect("loads");
    let new = load_file(&split).expect("loads");
    let report = diff(&old, &new, "one.yaml", "split.yaml");
    assert!(report.changes.is_empty(), "{:?}", report.changes);
    // The crates are the same but for the docs that say where the schema
    // is written.
    let without_origin = |p: &PathBuf| -> Vec<(PathBuf, Vec<String>)> {
        files_of(&spec(p))
            .into_iter()
            .map(|(path, text)| {
                let lines = text
                    .lines()
                    .filter(|l| !l.contains("Generated from `"))
                    .map(String::from)
                    .collect();
                (path, lines)
            })
            .collect()
    };
    let (a, b) = (without_origin(&one), without_origin(&split));
    assert_eq!(a.len(), b.len());
    for ((path, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{} differs", path.display());
    }
    let models = files_of(&spec(&split));
    let models = &models[&PathBuf::from("fixture-multi-models/src/models.rs")];
    assert!(
        models.contains("/// Generated from `models/Owner.yaml`."),
        "{models}"
    );
}

fn indent(text: &str, by: usize) -> String {
    text.lines()
        .map(|l| format!("{}{l}\n", " ".repeat(by)))
        .collect()
}

/// spec-diff reads a git revision's files through a reader of its own:
/// the files a split spec refers to come from the same reader.
#[test]
fn the_files_of_a_split_spec_come_from_the_given_reader() {
    use iom_codegen::load::{load_str_with, Format, LoadOptions};
    use std::collections::HashMap;
    use std::sync::Arc;

    let files: HashMap<PathBuf, String> = HashMap::from([(
        PathBuf::from("rev/models/thing.yaml"),
        "type: object\nproperties:\n  name: { type: string }\n".to_string(),
    )]);
    let options = LoadOptions {
        url_map: Default::default(),
        read: Some(Arc::new(move |path: &Path| {
            files.get(path).cloned().ok_or_else(|| {
                std::io::Error::new(std::io::ErrorKind::NotFound, "not at this revision")
            })
        })),
    };
    let root_text = "openapi: 3.0.3\ninfo: { title: t, version: '1' }\npaths: {}\ncomponents:\n  schemas:\n    Box:\n      type: object\n      properties:\n        thing: { $ref: 'models/thing.yaml' }\n        other: { $ref: 'models/other.yaml' }\n";
    let refused = load_str_with(Path::new("rev/api.yaml"), root_text, Format::Yaml, &options)
        .expect_err("models/other.yaml is not at this revision");
    let message = refused.to_string();
    assert!(
        message.contains("rev/models/other.yaml: not at this revision"),
        "{message}"
    );
    // A broken reference is an error, not a construct the generator lacks.
    assert_eq!(refused.0[0].unsupported, None);
    assert!(!message.contains("thing.yaml"), "{message}");

    let root_text = root_text.replace("        other: { $ref: 'models/other.yaml' }\n", "");
    let loaded = load_str_with(
        Path::new("rev/api.yaml"),
        &root_text,
        Format::Yaml,
        &options,
    )
    .expect("loads from the reader");
    assert_eq!(
        loaded
            .raw
            .pointer("/components/schemas/thing/properties/name"),
        Some(&serde_json::json!({"type": "string"}))
    );
    assert_eq!(loaded.files().len(), 2);
}

#[test]
fn texts_and_operations_that_refer_to_other_files_are_read_into_place() {
    let dir = tempfile::tempdir().expect("temp dir");
    let tree = dir.path().join("spec");
    fs::create_dir_all(&tree).expect("writable");
    copy_tree(&root().join("tests/fixtures/multi"), &tree);
    let spec = spec(&tree.join("root.yaml"));
    let generated = generate_crates(&spec).expect("the multi-file fixture generates");
    let text_warnings: Vec<String> = generated
        .warnings
        .iter()
        .filter(|w| w.message.contains("a text is a `$ref`"))
        .map(|w| w.pointer.clone())
        .collect();
    assert_eq!(
        text_warnings,
        ["#/info/description/$ref", "#/tags/0/description/$ref"]
    );
    let file = |name: &str| {
        generated
            .files
            .iter()
            .find(|f| f.path == Path::new(name))
            .map(|f| f.contents.clone())
            .unwrap_or_else(|| panic!("{name} is generated"))
    };
    let models = file("fixture-multi-models/src/lib.rs");
    assert!(
        models.contains("This text is a file of its own"),
        "{models}"
    );
    // `get: {$ref: paths/get-pet.yaml}`: the operation, as if written here.
    let client = file("fixture-multi-client/src/lib.rs");
    assert!(client.contains("pub async fn get_pet("), "{client}");
    assert!(client.contains("One pet; an operation that is a reference"));

    // A change in a text file changes the output.
    fs::write(tree.join("intro.md"), "Another introduction.\n").expect("writable");
    let again = generate_crates(&spec).expect("still generates");
    let models = again
        .files
        .iter()
        .find(|f| f.path == Path::new("fixture-multi-models/src/lib.rs"))
        .map(|f| f.contents.clone())
        .unwrap_or_default();
    assert!(models.contains("Another introduction."), "{models}");

    // A text file that is not there is an error at the reference.
    fs::remove_file(tree.join("intro.md")).expect("removable");
    let Err(errors) = generate_crates(&spec) else {
        panic!("a missing text file is an error");
    };
    assert!(
        errors
            .0
            .iter()
            .any(|d| d.pointer == "#/info/description/$ref" && d.message.contains("intro.md")),
        "{errors}"
    );
}

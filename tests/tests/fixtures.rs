//! Snapshots of the generator's output for the fixture specs (whose crates
//! are also compiled as workspace members, see tests/fixtures/codegen.yaml),
//! and of the diagnostics for specs it must reject or repair.

use std::path::{Path, PathBuf};

use iom_codegen::project::generate_project;
use iom_codegen::{generate_crates, CrateSpec};
use iom_codegen_tests::root;

#[test]
fn generated_fixture_code() {
    let root = root();
    let output = generate_project(&root.join("tests/fixtures/codegen.yaml"), &root)
        .expect("fixtures generate");
    let prefix = format!("{}/", root.display());
    let warnings: Vec<String> = output
        .warnings
        .iter()
        .map(|w| w.to_string().replace(&prefix, ""))
        .collect();
    insta::assert_snapshot!("fixture_warnings", warnings.join("\n"));
    let mut seen = Vec::new();
    for (path, contents) in &output.files {
        let krate = path
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .unwrap_or_default();
        let name = if path.ends_with("src/models.rs") {
            krate
        } else if path.ends_with("src/operations.rs") {
            format!("{krate}-operations")
        } else if (krate.ends_with("-server") || krate.ends_with("-client"))
            && path.ends_with("src/lib.rs")
        {
            krate
        } else {
            continue;
        };
        insta::assert_snapshot!(name.clone(), contents);
        seen.push(name);
    }
    assert_eq!(
        seen.len(),
        57,
        "one models.rs per fixture spec, and operations.rs plus the server's and the client's lib.rs of the twelve with paths: {seen:?}"
    );
}

/// Runs one bad fixture; the text of every diagnostic, with the fixture
/// path relative to tests/, so snapshots do not depend on the checkout.
fn diagnostics_of(file: &str) -> (bool, String) {
    let spec = CrateSpec {
        spec_path: PathBuf::from("fixtures/bad").join(file),
        display_path: file.to_string(),
        prefix: "fixture".into(),
        crate_version: None,
        pagination: Default::default(),
        config_entry: None,
        url_map: Default::default(),
        strict: false,
        mock: false,
    };
    assert!(
        Path::new("fixtures/bad").join(file).exists(),
        "tests run from the tests/ directory"
    );
    match generate_crates(&spec) {
        Ok(generated) => (
            true,
            generated
                .warnings
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        Err(d) => (false, d.to_string()),
    }
}

macro_rules! rejected {
    ($($test:ident => $file:literal),* $(,)?) => {$(
        #[test]
        fn $test() {
            let (ok, text) = diagnostics_of($file);
            assert!(!ok, "{} must be rejected, generated with: {text}", $file);
            assert!(text.contains(concat!("fixtures/bad/", $file)), "the message names the file: {text}");
            insta::assert_snapshot!(stringify!($test), text);
        }
    )*};
}

rejected! {
    missing_referenced_file_is_reported => "external-ref.yaml",
    url_reference_is_a_named_error => "url-ref.yaml",
    other_swagger_versions_are_rejected => "swagger-version.yaml",
    openapi_3_1_without_mapping_is_refused_by_name => "openapi31.yaml",
    invalid_yaml_has_a_position => "invalid-yaml.yaml",
    invalid_parameter_points_at_the_parameter => "invalid-parameter.yaml",
    unknown_type_is_rejected => "unknown-type.yaml",
    dangling_ref_is_rejected => "dangling-ref.yaml",
    alias_cycle_is_rejected => "alias-cycle.yaml",
}

/// A spec split over files: each diagnostic names the file and line where
/// the problem is written, not the root file.
#[test]
fn errors_in_other_files_name_those_files() {
    for (root, place) in [
        (
            "multi/root.yaml",
            "fixtures/bad/multi/models/thing.yaml:6:5: #/properties/kind/type",
        ),
        (
            "multi/dangling.yaml",
            "fixtures/bad/multi/others.yaml:9:13: #/get/responses/200",
        ),
    ] {
        let (ok, text) = diagnostics_of(root);
        assert!(!ok, "{root} must be rejected: {text}");
        assert!(text.contains(place), "{root}: {text}");
        insta::assert_snapshot!(
            format!("multi_file_{}", root.replace(['/', '.'], "_")),
            text
        );
    }
}

/// Specs with a defect that is read as the author meant, each reported.
macro_rules! repaired {
    ($($test:ident => $file:literal),* $(,)?) => {$(
        #[test]
        fn $test() {
            let (ok, text) = diagnostics_of($file);
            assert!(ok, "{} must generate, failed with: {text}", $file);
            assert!(text.lines().all(|l| l.starts_with("warning: ") || l.starts_with("  note: ")), "{text}");
            insta::assert_snapshot!(stringify!($test), text);
        }
    )*};
}

repaired! {
    duplicate_yaml_keys_keep_the_later_value => "duplicate-key.yaml",
    duplicate_json_keys_keep_the_later_value => "duplicate-key.json",
    free_text_version_gives_a_semver_crate_version => "free-text-version.yaml",
    loader_repairs_are_reported => "loader-repairs.yaml",
    pattern_no_engine_takes_is_not_enforced => "bad-pattern.yaml",
    not_is_ignored_with_a_warning => "not.yaml",
    all_of_conflict_is_any_value_with_a_warning => "all-of-conflict.yaml",
    path_template_and_parameters_are_made_to_agree => "path-template.yaml",
}

#[test]
fn duplicate_keys_keep_the_later_value() {
    let loaded = iom_codegen::load::load_file(Path::new("fixtures/bad/duplicate-key.yaml"))
        .expect("a repeated key is a warning");
    assert_eq!(
        loaded.raw.pointer("/components/schemas/A/type"),
        Some(&serde_json::json!("integer"))
    );
}

#[test]
fn boolean_required_moves_to_the_parent_list() {
    let loaded = iom_codegen::load::load_file(Path::new("fixtures/bad/loader-repairs.yaml"))
        .expect("repaired");
    let schema = &loaded.raw["components"]["schemas"]["Draft3"];
    assert_eq!(schema["required"], serde_json::json!(["id", "content"]));
    assert!(schema["properties"]["content"].get("required").is_none());
    assert!(schema["properties"]["note"].get("required").is_none());
}

#[test]
fn chosen_crate_version_overrides_info_version() {
    let spec = |version: &str| CrateSpec {
        spec_path: PathBuf::from("fixtures/bad/free-text-version.yaml"),
        display_path: "free-text-version.yaml".into(),
        prefix: "fixture".into(),
        crate_version: Some(version.into()),
        pagination: Default::default(),
        config_entry: None,
        url_map: Default::default(),
        strict: false,
        mock: false,
    };
    let generated = generate_crates(&spec("4.5.6-rc.1")).expect("generates");
    let manifest = generated
        .files
        .iter()
        .find(|f| f.path.ends_with("Cargo.toml"))
        .expect("a manifest");
    assert!(
        manifest.contents.contains("version = \"4.5.6-rc.1\""),
        "{}",
        manifest.contents
    );
    assert!(
        generated.warnings.is_empty(),
        "a chosen version is not reported: {:?}",
        generated.warnings
    );
    let refused = generate_crates(&spec("one")).expect_err("not semver");
    insta::assert_snapshot!("chosen_crate_version_must_be_semver", refused.to_string());
}

#[test]
fn header_without_schema_is_repaired_with_a_warning() {
    let (ok, text) = diagnostics_of("repaired-header.yaml");
    assert!(ok, "the defect is repaired, not fatal: {text}");
    insta::assert_snapshot!("repaired_header", text);
}

#[test]
fn examples_that_contradict_their_schema_are_reported() {
    let (ok, text) = diagnostics_of("misfit-examples.yaml");
    assert!(ok, "a misleading example is a warning, not fatal: {text}");
    assert_eq!(
        text.lines().count(),
        5,
        "one warning per misfit, none for `fine`: {text}"
    );
    insta::assert_snapshot!("misfit_examples", text);
}

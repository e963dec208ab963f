//! A Swagger 2.0 spec and its OpenAPI 3.0 twin, written by hand from the
//! upgrade rules (`tests/fixtures/swagger2/`), generate the same crates,
//! and spec-diff finds no change between them. Diagnostics about a 2.0
//! spec name the place in the 2.0 file.

use std::path::{Path, PathBuf};

use iom_codegen::diff::diff;
use iom_codegen::load::{load_file, load_str, Format};
use iom_codegen::{generate_crates, CrateSpec};
use iom_codegen_tests::root;

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures/swagger2").join(name)
}

fn crate_spec(path: &Path) -> CrateSpec {
    CrateSpec {
        spec_path: path.to_path_buf(),
        // Both are named alike, so that the generated headers agree.
        display_path: "pets.yaml".into(),
        prefix: "equivalence".into(),
        crate_version: None,
        pagination: Default::default(),
        config_entry: None,
        url_map: Default::default(),
        strict: false,
        mock: false,
    }
}

#[test]
fn the_2_0_spec_and_its_3_0_twin_generate_the_same_crates() {
    let from2 =
        generate_crates(&crate_spec(&fixture("pets.yaml"))).expect("the 2.0 spec generates");
    let from3 = generate_crates(&crate_spec(&fixture("pets.openapi3.yaml")))
        .expect("the 3.0 twin generates");
    let paths =
        |g: &iom_codegen::Generated| g.files.iter().map(|f| f.path.clone()).collect::<Vec<_>>();
    assert_eq!(paths(&from2), paths(&from3));
    assert!(from2.files.len() > 10, "models, server and client crates");
    for (a, b) in from2.files.iter().zip(&from3.files) {
        if a.contents != b.contents {
            let line = a
                .contents
                .lines()
                .zip(b.contents.lines())
                .position(|(x, y)| x != y)
                .unwrap_or(0);
            panic!(
                "{} differs from line {}:\n--- 2.0\n{}\n--- 3.0\n{}",
                a.path.display(),
                line + 1,
                a.contents.lines().nth(line).unwrap_or(""),
                b.contents.lines().nth(line).unwrap_or(""),
            );
        }
    }
    assert_eq!(
        from2.warnings,
        Vec::new(),
        "the 2.0 spec converts without a warning"
    );
}

#[test]
fn spec_diff_finds_no_change_between_the_2_0_spec_and_its_twin() {
    let old = load_file(&fixture("pets.yaml")).expect("loads");
    let new = load_file(&fixture("pets.openapi3.yaml")).expect("loads");
    let report = diff(&old, &new, "2.0", "3.0");
    assert!(report.changes.is_empty(), "{:?}", report.changes);
}

#[test]
fn places_in_the_converted_document_are_named_in_the_2_0_file() {
    let spec = load_file(&fixture("pets.yaml")).expect("loads");
    let text = std::fs::read_to_string(fixture("pets.yaml")).expect("readable");
    let line_of = |needle: &str| {
        text.lines()
            .position(|l| l.contains(needle))
            .map(|i| i + 1)
            .expect("in the fixture")
    };
    let cases = [
        (
            "#/components/schemas/Pet/properties/nickname",
            "#/definitions/Pet/properties/nickname",
            "      nickname:",
        ),
        (
            "#/paths/~1pets/get/parameters/1/schema",
            "#/paths/~1pets/get/parameters/1",
            "        - name: tags",
        ),
        (
            "#/components/requestBodies/newPet/content/application~1json/schema",
            "#/parameters/newPet/schema",
            "    schema:\n      $ref: \"#/definitions/Pet\"",
        ),
        (
            "#/paths/~1pets~1{petId}/put/requestBody/content/application~1x-www-form-urlencoded/schema/properties/status",
            "#/paths/~1pets~1{petId}/put/parameters/2",
            "        - name: status",
        ),
        (
            "#/paths/~1pets/get/responses/200/headers/X-Total/schema",
            "#/paths/~1pets/get/responses/200/headers/X-Total",
            "            X-Total:",
        ),
        (
            "#/components/securitySchemes/basic",
            "#/securityDefinitions/basic",
            "  basic:",
        ),
    ];
    for (converted, written, source) in cases {
        let (file, pointer, position) = spec.place(converted);
        assert_eq!(file, fixture("pets.yaml"));
        assert_eq!(pointer, written, "{converted}");
        let first_line = source.lines().next().expect("a line");
        let expected = if source.contains('\n') {
            // The body parameter's schema: the `schema:` after `name: pet`.
            let start = line_of("    name: pet");
            start
                + text
                    .lines()
                    .skip(start)
                    .position(|l| l == first_line)
                    .expect("below")
                + 1
        } else {
            line_of(first_line)
        };
        assert_eq!(
            position.map(|(line, _)| line),
            Some(expected),
            "{converted}"
        );
    }
}

#[test]
fn a_warning_about_a_2_0_spec_names_the_2_0_line() {
    let text = r#"swagger: "2.0"
info: {title: t, version: "1"}
paths:
  /things:
    post:
      operationId: addThing
      parameters:
        - name: thing
          in: body
          schema:
            type: object
            properties:
              count:
                type: integer
                example: many
      responses:
        "204": {description: done}
"#;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("things.yaml");
    std::fs::write(&path, text).expect("writable");
    let generated = generate_crates(&crate_spec(&path)).expect("generates");
    let warning = generated
        .warnings
        .iter()
        .find(|w| w.message.contains("example"))
        .unwrap_or_else(|| panic!("a warning about the example: {:?}", generated.warnings));
    assert_eq!(
        warning.pointer,
        "#/paths/~1things/post/parameters/0/schema/properties/count/example"
    );
    assert_eq!(warning.position.map(|(line, _)| line), Some(15));
    assert!(load_str(&path, text, Format::Yaml).is_ok());
}

#[test]
fn an_array_format_without_a_3_0_counterpart_is_read_as_text_with_a_warning() {
    let text = r#"swagger: "2.0"
info: {title: t, version: "1"}
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - name: ids
          in: query
          type: array
          collectionFormat: tsv
          items: {type: string}
      responses:
        "204": {description: done}
"#;
    let spec = load_str(Path::new("things.yaml"), text, Format::Yaml).expect("loads");
    let warning = &spec.warnings[0];
    assert_eq!(
        warning.pointer,
        "#/paths/~1things/get/parameters/0/collectionFormat"
    );
    assert_eq!(warning.position.map(|(line, _)| line), Some(11));
    assert_eq!(
        spec.raw.pointer("/paths/~1things/get/parameters/0/schema"),
        Some(&serde_json::json!({"type": "string"}))
    );
}

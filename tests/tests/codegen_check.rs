//! `generated/` and `tests/fixture-crates/` are exactly what the specs
//! produce: the check behind `cargo xtask codegen --check`, run in-process.

use iom_codegen::project::generate_project;
use iom_codegen::write::check;
use iom_codegen_tests::root;

#[test]
fn committed_generated_code_is_up_to_date() {
    let root = root();
    for config in ["specs/codegen.yaml", "tests/fixtures/codegen.yaml"] {
        let output = generate_project(&root.join(config), &root)
            .unwrap_or_else(|d| panic!("{config}:\n{d}"));
        let stale = check(&output.out_dir, &output.files, true).expect("readable output directory");
        let list: Vec<String> = stale.iter().map(ToString::to_string).collect();
        assert!(
            stale.is_empty(),
            "{} is stale; run `cargo xtask codegen`:\n{}",
            output.out_dir.display(),
            list.join("\n")
        );
    }
}

#[test]
fn generation_is_deterministic() {
    let root = root();
    let config = root.join("specs/codegen.yaml");
    let first = generate_project(&config, &root).expect("generates");
    let second = generate_project(&config, &root).expect("generates");
    assert_eq!(first.files, second.files);
}

//! Every published IOM spec in ../shared/iom-specs loads and generates.
//! (`.ci/run` also compiles and lints the output with `cargo xtask corpus`.)

use iom_codegen::project::spec_files_in;
use iom_codegen::{generate_crates, CrateSpec};
use iom_codegen_tests::published_specs;

#[test]
fn every_published_spec_generates() {
    let Some(dir) = published_specs() else { return };
    let files = spec_files_in(&dir).expect("readable");
    assert!(
        files.len() >= 10,
        "expected the ten published specs, found {}",
        files.len()
    );
    let mut failures = Vec::new();
    for path in &files {
        let spec = CrateSpec {
            spec_path: path.clone(),
            display_path: path.display().to_string(),
            prefix: "corpus".into(),
            crate_version: None,
            pagination: Default::default(),
            config_entry: None,
            url_map: Default::default(),
            strict: false,
            mock: false,
        };
        match generate_crates(&spec) {
            Ok(generated) => assert!(!generated.files.is_empty()),
            Err(d) => failures.push(d.to_string()),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn rma_2_11_header_defect_is_repaired_and_reported() {
    let Some(dir) = published_specs() else { return };
    let path = dir.join("intershop-order-management-rma-2.11.yaml");
    let spec = CrateSpec {
        spec_path: path,
        display_path: "rma-2.11".into(),
        prefix: "corpus".into(),
        crate_version: None,
        pagination: Default::default(),
        config_entry: None,
        url_map: Default::default(),
        strict: false,
        mock: false,
    };
    let generated = generate_crates(&spec).expect("repaired, not rejected");
    let repairs: Vec<_> = generated
        .warnings
        .iter()
        .filter(|w| w.message.contains("WWW-Authenticate"))
        .collect();
    assert_eq!(
        repairs.len(),
        12,
        "one repair per 401 response (twelve operations)"
    );
    assert!(repairs
        .iter()
        .all(|w| w.position.is_some() && w.pointer.ends_with("/headers/WWW-Authenticate")));
}

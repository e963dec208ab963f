//! The conformance harness crate (`<prefix>-conform`), beside the models
//! crate it decodes into; see [`crate::emit::conform_harness`].

use super::{Assembly, GeneratedFile, StageTimings};
use crate::diagnostics::Diagnostics;
use crate::emit::{conform_harness, Dependency};
use crate::ir::ModelSpace;

pub fn conform_files(
    assembly: &Assembly,
    space: &ModelSpace,
    timings: &mut StageTimings,
) -> Result<Vec<GeneratedFile>, Diagnostics> {
    let main = conform_harness::harness_main(&assembly.crate_name("models"), space);
    let main = assembly.format(main, "main.rs", timings)?;
    let deps = vec![
        assembly.models_dependency(),
        Dependency::new("serde", r#""1""#),
        Dependency::new("serde_json", r#""1""#),
    ];
    let sources = vec![
        ("src/main.rs", main),
        ("conform.json", conform_harness::harness_index(space)),
    ];
    let description = format!(
        "Conformance harness of the {} models (generated)",
        assembly.loaded.openapi.info.title
    );
    Ok(assembly.crate_files("conform", description, deps, sources))
}

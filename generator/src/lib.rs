//! `iom-codegen`: an OpenAPI 3.0 → Rust code generator.
//!
//! The pipeline runs in stages, each a module with one job:
//! [`load`] (YAML/JSON → repaired document → openapiv3) → [`ir`] (normalize and
//! build a plain data model of the types) → [`emit`] (tokens per crate) →
//! [`mod@format`] (prettyplease) → [`mod@write`] (atomic, or a staleness check).

pub mod config;
pub mod diagnostics;
pub mod diff;
pub mod emit;
pub mod examples;
pub mod format;
pub mod ir;
pub mod load;
pub mod naming;
pub mod version;
pub mod write;

mod assemble;
mod generate;
pub mod project;

pub use diagnostics::{Diagnostic, Diagnostics, Severity};
pub use generate::{
    display_path, generate_crates, generate_models, generate_with_harness, CrateSpec, Generated,
    GeneratedFile, StageTimings,
};

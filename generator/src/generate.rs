//! The pipeline for one spec: load → IR → the crates (emit and format,
//! in [`crate::assemble`]), all in memory. This module only runs the
//! stages in order.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::assemble::{self, Assembly};
pub use crate::assemble::{GeneratedFile, StageTimings};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::ir;
use crate::load::{self, LoadedSpec};

/// One spec to generate crates from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CrateSpec {
    pub spec_path: PathBuf,
    /// How the spec is named in generated comments (a stable, relative path).
    pub display_path: String,
    /// Crate name prefix (`iom-rma` → `iom-rma-models`).
    pub prefix: String,
    /// The crates' version; `None` derives it from `info.version`.
    pub crate_version: Option<String>,
    /// Paging rules by `operationId`, over the detected ones.
    pub pagination: BTreeMap<String, crate::config::PagingRule>,
    /// Where the spec's entry in the codegen config is (file, JSON
    /// pointer), for messages about its rules.
    pub config_entry: Option<(PathBuf, String)>,
    /// URL prefixes of `$ref`s read from local directories.
    pub url_map: crate::load::bundle::UrlMap,
    /// Fail, rather than warn, where a construct is generated looser than
    /// the spec says ([`Diagnostic::is_degraded`]).
    pub strict: bool,
    /// Add the mock implementation of the server trait (`mock.rs`, see
    /// [`crate::emit::mock`]).
    pub mock: bool,
}

#[derive(Debug, Clone)]
pub struct Generated {
    pub files: Vec<GeneratedFile>,
    pub warnings: Vec<Diagnostic>,
    pub timings: StageTimings,
}

/// Generates every crate of one spec in memory.
pub fn generate_crates(spec: &CrateSpec) -> Result<Generated, Diagnostics> {
    generate(spec, Crates::All)
}

/// Generates every crate of one spec and its conformance harness
/// (`<prefix>-conform`, see [`crate::emit::conform_harness`]).
pub fn generate_with_harness(spec: &CrateSpec) -> Result<Generated, Diagnostics> {
    generate(spec, Crates::WithHarness)
}

/// Generates the models crate alone, from the spec's schemas, without
/// reading its paths: the types of a spec whose operations use constructs
/// the generator does not support yet.
pub fn generate_models(spec: &CrateSpec) -> Result<Generated, Diagnostics> {
    generate(spec, Crates::ModelsOnly)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Crates {
    All,
    WithHarness,
    ModelsOnly,
}

fn generate(spec: &CrateSpec, crates: Crates) -> Result<Generated, Diagnostics> {
    let mut timings = StageTimings::default();
    let t = Instant::now();
    let options = load::LoadOptions {
        url_map: spec.url_map.clone(),
        read: None,
    };
    let mut loaded = load::load_file_with(&spec.spec_path, &options)?;
    if crates == Crates::ModelsOnly {
        if let Some(document) = loaded.raw.as_object_mut() {
            document.insert("paths".into(), serde_json::json!({}));
        }
        loaded.openapi.paths = Default::default();
    }
    timings.load = t.elapsed();
    let mut warnings = loaded.warnings.clone();

    let t = Instant::now();
    let (version, version_note) = crate_version(&loaded, spec)?;
    warnings.extend(version_note);
    let (space, api, ir_warnings) = ir::build(&loaded).map_err(|mut d| {
        let mut all = warnings.clone();
        all.append(&mut d.0);
        Diagnostics(all)
    })?;
    warnings.extend(ir_warnings);
    let mut api = api;
    let paging = ir::paging::detect(
        &space,
        &mut api,
        &spec.pagination,
        spec.config_entry.as_ref(),
        &loaded,
        &mut warnings,
    );
    if let Err(mut errors) = paging {
        warnings.append(&mut errors);
        return Err(Diagnostics(warnings));
    }
    timings.ir = t.elapsed();

    let assembly = Assembly {
        loaded: &loaded,
        prefix: &spec.prefix,
        display_path: &spec.display_path,
        spec_path: &spec.spec_path,
        version: &version,
    };
    let (mut files, features) = assemble::models::models_files(
        &assembly,
        &space,
        &api.with_webhooks(),
        &mut warnings,
        &mut timings,
    )?;
    if crates == Crates::WithHarness {
        files.extend(assemble::conform::conform_files(
            &assembly,
            &space,
            &api,
            &mut timings,
        )?);
    }
    if !api.operations.is_empty() || !api.webhooks.is_empty() {
        let mock = (spec.mock || crates == Crates::WithHarness).then_some(&space);
        files.extend(assemble::server::server_files(
            &assembly,
            &api,
            features.chrono,
            mock,
            &mut warnings,
            &mut timings,
        )?);
    }
    if !api.operations.is_empty() {
        files.extend(assemble::client::client_files(
            &assembly,
            &api,
            &mut timings,
        )?);
    }
    // A schema used in many places is reported once per place it is
    // written, not once per use.
    let mut seen = std::collections::HashSet::new();
    warnings.retain(|w| seen.insert(w.to_string()));
    if spec.strict && warnings.iter().any(Diagnostic::is_degraded) {
        return Err(Diagnostics(
            warnings.into_iter().map(Diagnostic::strict).collect(),
        ));
    }
    Ok(Generated {
        files,
        warnings,
        timings,
    })
}

/// The crate version: the spec entry's own, or the one `info.version`
/// gives (with a warning when that is not read exactly).
fn crate_version(
    loaded: &LoadedSpec,
    spec: &CrateSpec,
) -> Result<(String, Option<Diagnostic>), Diagnostics> {
    if let Some(chosen) = &spec.crate_version {
        return if crate::version::is_valid(chosen) {
            Ok((chosen.clone(), None))
        } else {
            Err(Diagnostic::error(
                &spec.spec_path,
                "#/info/version",
                format!(
                    "the crate version `{chosen}` chosen for this spec is not a semver version"
                ),
            )
            .into())
        };
    }
    let (version, note) = crate::version::crate_version(&loaded.openapi.info.version);
    Ok((version, note.map(|n| loaded.warning("#/info/version", n))))
}

/// Where a spec path is shown relative to `base` when it lies below it.
pub fn display_path(path: &Path, base: &Path) -> String {
    path.strip_prefix(base)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

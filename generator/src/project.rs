//! A whole project run: every spec of a codegen config, generated in memory.
//! `cargo xtask codegen` writes or checks the result; the test suite runs
//! the same check.

use std::path::{Component, Path, PathBuf};

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::write::FileSet;
use crate::{display_path, generate_crates, CrateSpec};

/// The output of one config.
pub struct ProjectOutput {
    /// Output directory (owned entirely by generation).
    pub out_dir: PathBuf,
    pub files: FileSet,
    pub warnings: Vec<Diagnostic>,
}

/// Generates every spec of the config at `config_path`; `root` is the base
/// for the paths shown in generated comments. Fails, with every error of
/// every spec, if any spec fails.
pub fn generate_project(config_path: &Path, root: &Path) -> Result<ProjectOutput, Diagnostics> {
    let (out_dir, specs) = config_specs(config_path, root)?;
    let (files, warnings) = generate_all(&specs)?;
    Ok(ProjectOutput {
        out_dir,
        files,
        warnings,
    })
}

/// The output directory of the config at `config_path` and its specs, as
/// [`generate_project`] generates them.
pub fn config_specs(
    config_path: &Path,
    root: &Path,
) -> Result<(PathBuf, Vec<CrateSpec>), Diagnostics> {
    let config = Config::load(config_path)?;
    let base = config_path.parent().unwrap_or(Path::new("."));
    let specs: Vec<CrateSpec> = config
        .specs
        .iter()
        .enumerate()
        .map(|(i, entry)| {
            let spec_path = normalize(&base.join(&entry.file));
            CrateSpec {
                display_path: display_path(&spec_path, root),
                spec_path,
                prefix: entry.crate_prefix.clone(),
                crate_version: entry.crate_version.clone(),
                pagination: entry.pagination.clone(),
                config_entry: Some((config_path.to_path_buf(), format!("#/specs/{i}"))),
                url_map: entry
                    .url_map
                    .iter()
                    .map(|(prefix, dir)| (prefix.clone(), normalize(&base.join(dir))))
                    .collect(),
                strict: entry.strict,
                mock: entry.mock,
            }
        })
        .collect();
    Ok((normalize(&base.join(&config.output)), specs))
}

/// Generates every spec into one file set. Fails if any spec fails, with
/// the warnings of all specs followed by every error, so that callers
/// write all or nothing and still show everything that was found.
pub fn generate_all(specs: &[CrateSpec]) -> Result<(FileSet, Vec<Diagnostic>), Diagnostics> {
    let mut files = FileSet::new();
    let mut warnings = Vec::new();
    let mut errors = Vec::new();
    for spec in specs {
        match generate_crates(spec) {
            Ok(generated) => {
                warnings.extend(generated.warnings);
                files.extend(generated.files.into_iter().map(|f| (f.path, f.contents)));
            }
            Err(d) => errors.extend(d.0),
        }
    }
    if errors.is_empty() {
        Ok((files, warnings))
    } else {
        warnings.extend(errors);
        Err(Diagnostics(warnings))
    }
}

/// The spec files (`.yaml`, `.yml`, `.json`) directly in `dir`, sorted.
pub fn spec_files_in(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut specs = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path
            .extension()
            .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
        {
            specs.push(path);
        }
    }
    specs.sort();
    Ok(specs)
}

/// Removes `.` and `a/..` lexically, for stable paths in messages.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if out.file_name().is_some() => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

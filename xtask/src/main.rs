//! `cargo xtask`: project automation. See `cargo xtask --help`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use iom_codegen::config::Config;
use iom_codegen::write::{self, FileSet};
use iom_codegen::{display_path, generate_crates, CrateSpec, Diagnostics};

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Project automation for the IOM code generator"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerates `generated/` from the specs listed in `specs/codegen.yaml`.
    Codegen {
        /// Changes nothing; fails and names the stale files when `generated/`
        /// differs from what the specs produce.
        #[arg(long)]
        check: bool,
    },
    /// Generates the crates for any OpenAPI 3.0 file (YAML or JSON).
    Generate {
        /// The spec file.
        spec: PathBuf,
        /// Directory that receives the crate directories.
        #[arg(long)]
        out: PathBuf,
        /// Crate name prefix; defaults to the spec file name.
        #[arg(long)]
        name: Option<String>,
        /// Changes nothing; fails when the output differs.
        #[arg(long)]
        check: bool,
    },
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Codegen { check } => codegen(check),
        Command::Generate {
            spec,
            out,
            name,
            check,
        } => generate(&spec, &out, name, check),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn codegen(check: bool) -> Result<(), String> {
    let root = workspace_root();
    let config_path = root.join("specs/codegen.yaml");
    let config = Config::load(&config_path).map_err(|d| d.to_string())?;
    let specs_dir = root.join("specs");
    let specs: Vec<CrateSpec> = config
        .specs
        .iter()
        .map(|s| {
            let spec_path = specs_dir.join(&s.file);
            CrateSpec {
                display_path: display_path(&spec_path, &root),
                spec_path,
                prefix: s.crate_prefix.clone(),
            }
        })
        .collect();
    run(&specs, &specs_dir.join(&config.output), check, true)
}

fn generate(spec: &Path, out: &Path, name: Option<String>, check: bool) -> Result<(), String> {
    let prefix = match name {
        Some(n) => n,
        None => default_prefix(spec)?,
    };
    if !iom_codegen::config::valid_prefix(&prefix) {
        return Err(format!(
            "error: `{prefix}` is not a valid crate name prefix; pass --name"
        ));
    }
    let display = spec
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let specs = vec![CrateSpec {
        spec_path: spec.to_path_buf(),
        display_path: display,
        prefix,
    }];
    run(&specs, out, check, false)
}

fn default_prefix(spec: &Path) -> Result<String, String> {
    let stem = spec
        .file_stem()
        .map(|s| s.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let prefix: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let prefix = prefix
        .trim_matches('-')
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if iom_codegen::config::valid_prefix(&prefix) {
        Ok(prefix)
    } else {
        Err(format!(
            "error: cannot derive a crate name from {}; pass --name",
            spec.display()
        ))
    }
}

/// Generates everything in memory, then writes or checks. Nothing is
/// written unless every spec generated.
fn run(specs: &[CrateSpec], out: &Path, check: bool, exclusive: bool) -> Result<(), String> {
    let started = Instant::now();
    let mut files = FileSet::new();
    let mut failures = Vec::new();
    for spec in specs {
        match generate_crates(spec) {
            Ok(generated) => {
                for w in &generated.warnings {
                    eprintln!("{w}");
                }
                for f in generated.files {
                    files.insert(f.path, f.contents);
                }
            }
            Err(diagnostics) => failures.push(diagnostics),
        }
    }
    if !failures.is_empty() {
        let text: Vec<String> = failures.iter().map(Diagnostics::to_string).collect();
        return Err(format!(
            "{}\nerror: generation failed; nothing was written",
            text.join("\n")
        ));
    }
    if check {
        let stale = write::check(out, &files, exclusive)
            .map_err(|e| format!("error: cannot read {}: {e}", out.display()))?;
        if !stale.is_empty() {
            let list: Vec<String> = stale.iter().map(|s| format!("  {s}")).collect();
            return Err(format!(
                "error: {} is stale ({} file(s)):\n{}\nrun `cargo xtask codegen` and commit the result",
                out.display(),
                stale.len(),
                list.join("\n")
            ));
        }
        eprintln!(
            "{} is up to date ({} files, {:.2?})",
            out.display(),
            files.len(),
            started.elapsed()
        );
    } else {
        write::write(out, &files, exclusive)
            .map_err(|e| format!("error: cannot write {}: {e}", out.display()))?;
        eprintln!(
            "wrote {} files to {} in {:.2?}",
            files.len(),
            out.display(),
            started.elapsed()
        );
    }
    Ok(())
}

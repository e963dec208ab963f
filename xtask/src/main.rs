//! `cargo xtask`: project automation. See `cargo xtask --help`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

mod conform;
mod corpus;
mod fuzz;
mod grammar;
mod spec_diff;

use clap::{Parser, Subcommand};
use iom_codegen::project::{generate_all, generate_project};
use iom_codegen::write::{self, FileSet};
use iom_codegen::CrateSpec;

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
        /// The crates' version; by default derived from `info.version`.
        #[arg(long, value_name = "SEMVER")]
        crate_version: Option<String>,
        /// Changes nothing; fails when the output differs.
        #[arg(long)]
        check: bool,
        /// Refuse the spec where a construct would be generated looser than
        /// it says (each such place is an error instead of a warning).
        #[arg(long)]
        strict: bool,
        /// List only the places generated looser than the spec says, by
        /// class, instead of every warning.
        #[arg(long)]
        report: bool,
        /// Add `mock.rs` to the server crate: `Mock`, which answers every
        /// operation with an example of a declared response.
        #[arg(long)]
        mock: bool,
    },
    /// Generates crates for every spec of `tests/corpus`, of the published
    /// IOM specs (default `../shared/iom-specs`) and of the public specs
    /// listed in a `MANIFEST.tsv` (default `../shared/corpus`) into
    /// `target/corpus` and runs `cargo clippy --all-targets -- -D warnings`
    /// and `cargo test` on them. Specs with unsupported constructs must fail
    /// with exactly the errors `tests/corpus/unsupported.txt` counts.
    Corpus {
        /// Directory of published IOM specs.
        dir: Option<PathBuf>,
        /// Directory of public specs with a `MANIFEST.tsv`.
        #[arg(long)]
        public: Option<PathBuf>,
        /// Only compile (`cargo check`) the crates of these specs (by crate
        /// name prefix), instead of linting and testing them; CI uses it for
        /// the largest specs.
        #[arg(long, value_name = "PREFIX")]
        check_only: Vec<String>,
    },
    /// Schema round trips judged by independent tools: instances drawn by
    /// hypothesis-jsonschema from every schema of every spec (the project's
    /// and the corpus's), judged by openapi-schema-validator, decoded,
    /// validated and encoded back by the generated models. Failures not
    /// in `tests/conform/allowed.txt` fail the run. Details:
    /// tests/CONFORMANCE.md.
    Conform {
        /// Specs by name (as `cargo xtask corpus` prints them) or crate
        /// prefix; every spec when none is given (and not `--project`).
        specs: Vec<String>,
        /// The project's own specs (`specs/`, `tests/fixtures`), beside
        /// those named.
        #[arg(long)]
        project: bool,
        /// Instances drawn per schema.
        #[arg(long, default_value_t = 20)]
        count: usize,
        /// Schemathesis examples per operation of each spec's mock server;
        /// 0 checks no servers.
        #[arg(long, default_value_t = 10)]
        cases: usize,
        /// Calls no client against Prism (which needs Node.js).
        #[arg(long)]
        no_clients: bool,
        /// Seed of the drawing; the same seed draws the same instances.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Mutation fuzzing over the fixture and corpus specs: the generator
    /// must not panic on any mutant, and a sample of the accepted mutants
    /// must give crates that compile.
    Fuzz {
        /// Number of mutants.
        #[arg(long, default_value_t = 500)]
        runs: usize,
        /// Seed of the mutations; the same seed gives the same mutants.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// How many accepted mutants to compile (`cargo check`); with
        /// `--grammar`, how many generated specs to lint (`cargo clippy`).
        #[arg(long, default_value_t = 8)]
        compile: usize,
        /// Write specs from a grammar of OpenAPI constructs instead of
        /// mutating seed specs: each must generate, and the crates of the
        /// first `--compile` must pass clippy.
        #[arg(long)]
        grammar: bool,
        /// With `--grammar`, the index of the first spec (to write one
        /// spec of a run again: `--seed S --from N --runs 1`).
        #[arg(long, default_value_t = 0, requires = "grammar")]
        from: usize,
    },
    /// What changed between two versions of a spec: every semantic change,
    /// whether it breaks clients or server implementations, and what it
    /// does to the generated crates (the semver bump each needs). Rules:
    /// generator/SPEC-DIFF.md.
    SpecDiff {
        /// The old spec file.
        old: Option<PathBuf>,
        /// The new spec file.
        new: Option<PathBuf>,
        /// Compare each spec of specs/codegen.yaml at this git revision with
        /// the working tree instead.
        #[arg(long, value_name = "REV", conflicts_with_all = ["old", "new"])]
        since: Option<String>,
        /// text, markdown (for a pull request) or json.
        #[arg(long, default_value = "text")]
        format: iom_codegen::diff::Format,
        /// Exit non-zero on breaking changes (including a crate that needs a
        /// major bump), or also on possibly breaking ones (`warning`).
        #[arg(long, value_enum)]
        fail_on: Option<spec_diff::FailOn>,
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
            crate_version,
            check,
            strict,
            report,
            mock,
        } => generate(
            &spec,
            &out,
            GenerateOptions {
                name,
                crate_version,
                check,
                strict,
                report,
                mock,
            },
        ),
        Command::Corpus {
            dir,
            public,
            check_only,
        } => corpus::corpus(corpus::Args {
            iom: dir,
            public,
            check_only,
        }),
        Command::Conform {
            specs,
            project,
            count,
            cases,
            no_clients,
            seed,
        } => conform::conform(conform::Args {
            specs,
            project,
            count,
            cases,
            clients: !no_clients,
            seed,
        }),
        Command::Fuzz {
            runs,
            seed,
            compile,
            grammar: true,
            from,
        } => grammar::fuzz(grammar::Args {
            runs,
            seed,
            from,
            compile,
        }),
        Command::Fuzz {
            runs,
            seed,
            compile,
            grammar: false,
            ..
        } => fuzz::fuzz(fuzz::Args {
            runs,
            seed,
            compile,
        }),
        Command::SpecDiff {
            old,
            new,
            since,
            format,
            fail_on,
        } => spec_diff::spec_diff(
            spec_diff::Args {
                old,
                new,
                since,
                format,
                fail_on,
            },
            &workspace_root(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// Codegen configs, relative to the workspace root: the IOM specs, and the
/// small fixture specs whose crates the test suite compiles.
const CONFIGS: &[&str] = &["specs/codegen.yaml", "tests/fixtures/codegen.yaml"];

fn codegen(check: bool) -> Result<(), String> {
    let root = workspace_root();
    let started = Instant::now();
    let mut outputs = Vec::new();
    let mut failures = Vec::new();
    for config in CONFIGS {
        match generate_project(&root.join(config), &root) {
            Ok(output) => {
                for w in &output.warnings {
                    eprintln!("{w}");
                }
                if let Some(summary) = degraded_summary(&output.warnings) {
                    eprintln!("{config}: {summary}");
                }
                outputs.push(output);
            }
            Err(d) => failures.push(d.to_string()),
        }
    }
    if !failures.is_empty() {
        return Err(format!(
            "{}\nerror: generation failed; nothing was written",
            failures.join("\n")
        ));
    }
    for output in &outputs {
        finish(&output.files, &output.out_dir, check, true, &root)?;
    }
    eprintln!("codegen finished in {:.2?}", started.elapsed());
    Ok(())
}

/// The flags of `cargo xtask generate`.
struct GenerateOptions {
    name: Option<String>,
    crate_version: Option<String>,
    check: bool,
    strict: bool,
    report: bool,
    mock: bool,
}

fn generate(spec: &Path, out: &Path, options: GenerateOptions) -> Result<(), String> {
    let GenerateOptions {
        name,
        crate_version,
        check,
        strict,
        report,
        mock,
    } = options;
    let prefix = match name {
        Some(n) => n,
        None => default_prefix(spec)?,
    };
    if !iom_codegen::config::valid_prefix(&prefix) {
        return Err(format!(
            "error: `{prefix}` is not a valid crate name prefix; pass --name"
        ));
    }
    if let Some(v) = crate_version.as_deref() {
        if !iom_codegen::version::is_valid(v) {
            return Err(format!(
                "error: --crate-version `{v}` is not a semver version"
            ));
        }
    }
    let spec = CrateSpec {
        crate_version,
        strict,
        mock,
        ..crate_spec(spec, prefix)
    };
    run(&[spec], out, check, report)
}

/// The spec at `spec`, shown by its file name, generating `prefix-*` crates.
fn crate_spec(spec: &Path, prefix: String) -> CrateSpec {
    CrateSpec {
        spec_path: spec.to_path_buf(),
        display_path: spec
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        prefix,
        ..Default::default()
    }
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
/// written unless every spec generated. With `report`, only the degraded
/// places are listed.
fn run(specs: &[CrateSpec], out: &Path, check: bool, report: bool) -> Result<(), String> {
    let (files, warnings) = generate_all(specs)
        .map_err(|d| format!("{d}\nerror: generation failed; nothing was written"))?;
    for w in warnings.iter().filter(|w| !report || w.is_degraded()) {
        eprintln!("{w}");
    }
    if let Some(summary) = degraded_summary(&warnings) {
        eprintln!("{summary}");
    }
    finish(&files, out, check, false, Path::new(""))
}

/// How many places were generated looser than the spec says, by class.
fn degraded_summary(warnings: &[iom_codegen::Diagnostic]) -> Option<String> {
    let mut classes = std::collections::BTreeMap::new();
    for class in warnings.iter().filter_map(|w| w.unsupported) {
        *classes.entry(class.name()).or_insert(0usize) += 1;
    }
    let total: usize = classes.values().sum();
    let by_class: Vec<String> = classes.iter().map(|(c, n)| format!("{c} {n}")).collect();
    (total > 0).then(|| {
        format!(
            "degraded {total} place(s) ({}): generated looser than the spec says, accepting every document it allows; `--report` lists them alone, `--strict` refuses them",
            by_class.join(", ")
        )
    })
}

fn finish(
    files: &FileSet,
    out: &Path,
    check: bool,
    exclusive: bool,
    root: &Path,
) -> Result<(), String> {
    let shown = out.strip_prefix(root).unwrap_or(out).display().to_string();
    if check {
        let stale = write::check(out, files, exclusive)
            .map_err(|e| format!("error: cannot read {shown}: {e}"))?;
        if !stale.is_empty() {
            let list: Vec<String> = stale.iter().map(|s| format!("  {s}")).collect();
            return Err(format!(
                "error: {shown} is stale ({} file(s)):\n{}\nrun `cargo xtask codegen` and commit the result",
                stale.len(),
                list.join("\n")
            ));
        }
        eprintln!("{shown} is up to date ({} files)", files.len());
    } else {
        write::write(out, files, exclusive)
            .map_err(|e| format!("error: cannot write {shown}: {e}"))?;
        eprintln!("wrote {} files to {shown}", files.len());
    }
    Ok(())
}

/// A scratch workspace of generated crates: `files` written to `dir` with a
/// manifest listing `members`, for `cargo` to check or test.
fn scratch_workspace(
    files: &FileSet,
    dir: &Path,
    members: &[String],
    root: &Path,
) -> Result<(), String> {
    finish(files, dir, false, false, root)?;
    let quoted: Vec<String> = members.iter().map(|m| format!("\"{m}\"")).collect();
    let manifest = format!(
        "[workspace]\nresolver = \"2\"\nmembers = [{}]\n\n[profile.dev]\ndebug = false\n",
        quoted.join(", ")
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| format!("error: {e}"))
}

/// The target directory of every scratch workspace.
fn scratch_target(root: &Path) -> PathBuf {
    root.join("target/corpus-target")
}

/// Generated source above which a crate is built alone, one job at a time.
const HEAVY_CRATE_BYTES: usize = 16 << 20;

/// The size of the files generated into the crate directory `dir`.
fn crate_bytes(files: &FileSet, dir: &str) -> usize {
    files
        .iter()
        .filter(|(path, _)| path.starts_with(dir))
        .map(|(_, contents)| contents.len())
        .sum()
}

/// Packages grouped into cargo runs, each with the extra arguments it
/// needs. A crate of tens of megabytes (Cloudflare's models) needs about
/// half the memory of a large machine per rustc, and `--all-targets`
/// builds its library and its unit tests at once: such crates (by
/// `weight`, in bytes of source) get runs of their own with one job; the
/// rest share one run on every core.
fn cargo_groups(
    packages: &[String],
    weight: impl Fn(&str) -> usize,
) -> Vec<(Vec<String>, &'static [&'static str])> {
    let (heavy, light): (Vec<String>, Vec<String>) = packages
        .iter()
        .cloned()
        .partition(|p| weight(p) > HEAVY_CRATE_BYTES);
    let mut groups: Vec<(Vec<String>, &'static [&'static str])> = Vec::new();
    if !light.is_empty() {
        groups.push((light, &[]));
    }
    groups.extend(heavy.into_iter().map(|p| (vec![p], &["-j", "1"][..])));
    groups
}

/// Runs `cargo args` in a scratch workspace; whether it succeeded. The
/// corpus and the fuzzer share one target directory, so dependencies are
/// built once; each crate is compiled once, so incremental state would only
/// fill the disk.
fn scratch_cargo(dir: &Path, args: &[String], root: &Path) -> Result<bool, String> {
    std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", scratch_target(root))
        .env("CARGO_INCREMENTAL", "0")
        .status()
        .map(|s| s.success())
        .map_err(|e| format!("error: cannot run cargo: {e}"))
}

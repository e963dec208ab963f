//! `cargo xtask fuzz --grammar`: specs written from a grammar of the
//! constructs public specs use (see `schemas.rs` and `operations.rs`),
//! in OpenAPI 3.0 and 3.1, as YAML and JSON. Unlike the mutation fuzzer's
//! mutants, each of these is a spec the generator must take: generation
//! must succeed (degrading where it has to, never refusing), and the
//! crates of a sample must pass `cargo clippy --all-targets -D warnings`,
//! which is how new classes of uncompilable or unidiomatic output are
//! found here rather than by a user.
//!
//! Spec `N` of seed `S` is written from its own random stream, so that
//! `--seed S --from N --runs 1` writes it again alone.

mod operations;
mod schemas;

use std::panic;
use std::path::Path;
use std::time::{Duration, Instant};

use iom_codegen::write::FileSet;
use iom_codegen::CrateSpec;
use serde_json::{json, Map, Value};

use crate::fuzz::{add_crates, generate_guarded, Outcome};
use crate::{scratch_cargo, scratch_workspace, workspace_root};
use schemas::Grammar;

/// Crates of this many specs are linted by one `cargo clippy`: one run per
/// spec would pay cargo's start for each, one run for all would keep the
/// whole sample's build on disk before reporting.
const BATCH: usize = 50;

const TIMEOUT: Duration = Duration::from_secs(30);

pub struct Args {
    pub runs: usize,
    pub seed: u64,
    /// Index of the first spec.
    pub from: usize,
    /// How many generated specs to lint (the first ones accepted).
    pub compile: usize,
}

#[derive(Default)]
struct Tally {
    generated: usize,
    degraded_specs: usize,
    degraded_places: usize,
    warnings: usize,
    failures: Vec<String>,
    compiled: usize,
}

pub fn fuzz(args: Args) -> Result<(), String> {
    let root = workspace_root();
    let work = root.join("target/fuzz/grammar");
    let specs = work.join("specs");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&specs).map_err(|e| format!("error: {e}"))?;
    let started = Instant::now();
    let mut tally = Tally::default();
    let mut batch = FileSet::new();
    let mut members = Vec::new();
    let mut batch_specs = Vec::new();
    let hook = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    for n in args.from..args.from + args.runs {
        let (value, json_text) = spec(args.seed, n);
        let extension = if json_text { "json" } else { "yaml" };
        let text = if json_text {
            serde_json::to_string_pretty(&value).unwrap_or_default()
        } else {
            serde_yaml::to_string(&value).unwrap_or_default()
        };
        let path = specs.join(format!("spec-{n}.{extension}"));
        std::fs::write(&path, &text).map_err(|e| format!("error: {e}"))?;
        let prefix = format!("g{n}");
        let crate_spec = CrateSpec {
            spec_path: path.clone(),
            display_path: path.display().to_string(),
            prefix: prefix.clone(),
            ..Default::default()
        };
        match generate_bounded(crate_spec) {
            Ok(generated) => {
                tally.generated += 1;
                tally.warnings += generated.warnings.len();
                let degraded = generated
                    .warnings
                    .iter()
                    .filter(|w| w.is_degraded())
                    .count();
                tally.degraded_places += degraded;
                tally.degraded_specs += usize::from(degraded > 0);
                if tally.compiled + batch_specs.len() < args.compile {
                    add_crates(generated.files, &mut batch, &mut members);
                    batch_specs.push(path.clone());
                }
            }
            Err(failure) => tally
                .failures
                .push(format!("{}: {failure}", path.display())),
        }
        if batch_specs.len() == BATCH {
            lint(
                &root,
                &work,
                &mut batch,
                &mut members,
                &mut batch_specs,
                &mut tally,
            )?;
        }
    }
    panic::set_hook(hook);
    if !batch_specs.is_empty() {
        lint(
            &root,
            &work,
            &mut batch,
            &mut members,
            &mut batch_specs,
            &mut tally,
        )?;
    }
    eprintln!(
        "fuzz: grammar: {} specs (seed {}, from {}): {} generated ({} with {} degraded places, {} warnings in all), {} compiled and linted, {} failures, in {:.0} s",
        args.runs,
        args.seed,
        args.from,
        tally.generated,
        tally.degraded_specs,
        tally.degraded_places,
        tally.warnings,
        tally.compiled,
        tally.failures.len(),
        started.elapsed().as_secs_f64()
    );
    if tally.failures.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "error: the generator failed on specs it must take (kept in {}):\n{}",
            specs.display(),
            tally.failures.join("\n")
        ))
    }
}

/// Generation on its own thread (`fuzz::generate_guarded`): a refusal, a
/// panic or a blow-up is a failure of this spec, not the end of the run.
fn generate_bounded(spec: CrateSpec) -> Result<iom_codegen::Generated, String> {
    match generate_guarded(spec, TIMEOUT)? {
        Outcome::Generated(generated) => Ok(generated),
        Outcome::Hung => Err(format!("did not finish within {} s", TIMEOUT.as_secs())),
        Outcome::Panicked(message) => Err(format!("panic: {message}")),
        Outcome::Refused(diagnostics) => {
            let errors: Vec<String> = diagnostics
                .0
                .iter()
                .filter(|d| d.severity == iom_codegen::Severity::Error)
                .map(ToString::to_string)
                .collect();
            Err(format!("refused:\n{}", errors.join("\n")))
        }
    }
}

/// `cargo clippy --all-targets -D warnings` over one batch of crates; a
/// failing batch names its specs (crate `gN-…` comes from `spec-N`).
fn lint(
    root: &Path,
    work: &Path,
    batch: &mut FileSet,
    members: &mut Vec<String>,
    specs: &mut Vec<std::path::PathBuf>,
    tally: &mut Tally,
) -> Result<(), String> {
    let out = work.join("crates");
    let _ = std::fs::remove_dir_all(&out);
    scratch_workspace(batch, &out, members, root)?;
    let args = [
        "clippy",
        "--quiet",
        "--all-targets",
        "--keep-going",
        "--",
        "-D",
        "warnings",
    ]
    .map(String::from);
    if scratch_cargo(&out, &args, root)? {
        tally.compiled += specs.len();
    } else {
        let names: Vec<String> = specs.iter().map(|p| p.display().to_string()).collect();
        tally.failures.push(format!(
            "the crates of one of these specs fail clippy (see above; crate gN-… is spec-N): {}",
            names.join(", ")
        ));
    }
    *batch = FileSet::new();
    members.clear();
    specs.clear();
    Ok(())
}

/// Spec `n` of `seed`: its value, and whether it is written as JSON.
fn spec(seed: u64, n: usize) -> (Value, bool) {
    let mut grammar = Grammar {
        rng: fastrand::Rng::with_seed(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ n as u64),
        v31: false,
        components: Vec::new(),
        building: false,
    };
    grammar.v31 = grammar.chance(35);
    let json_text = grammar.chance(30);
    let schemas = grammar.components();
    let paths = grammar.paths();
    let schemes = grammar.security_schemes();
    let mut components = Map::new();
    components.insert("schemas".into(), Value::Object(schemas));
    let mut document = json!({
        "openapi": if grammar.v31 { "3.1.0" } else { "3.0.3" },
        "info": {
            "title": format!("Grammar spec {n}"),
            "version": "1.0.0",
            "description": grammar.description(),
        },
        "servers": [{"url": "https://api.example.com/v1"}],
        "paths": paths,
    });
    if !schemes.is_empty() {
        let names: Vec<String> = schemes.keys().cloned().collect();
        components.insert("securitySchemes".into(), Value::Object(schemes));
        let mut requirement = Map::new();
        requirement.insert(names[0].clone(), json!([]));
        document["security"] = json!([requirement]);
    }
    document["components"] = Value::Object(components);
    (document, json_text)
}

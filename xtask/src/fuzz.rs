//! `cargo xtask fuzz`: a mutation fuzzer over the fixture and corpus specs.
//! Each mutant is a seed spec with one or more structural changes (a key
//! deleted, two values swapped, a hostile value inserted, deep nesting, a
//! reference cycle, a YAML alias bomb). The generator must never panic, and
//! a spec it accepts must give crates that compile: a sample of accepted
//! mutants is compiled with `cargo check` at the end.
//!
//! Runs are reproducible: the same `--seed` and `--runs` give the same
//! mutants. A failing mutant is kept under `target/fuzz/failures`.

use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use iom_codegen::diagnostics::{escape_token, unescape_token};
use iom_codegen::project::spec_files_in;
use iom_codegen::write::FileSet;
use iom_codegen::{generate_crates, CrateSpec, Diagnostics, Generated, GeneratedFile};
use serde_json::{json, Value};

use crate::{scratch_cargo, scratch_workspace, workspace_root};

/// Seed specs larger than this are left out: a mutant of a megabyte spec
/// costs seconds, and the small ones reach the same code.
const MAX_SEED_BYTES: u64 = 200_000;

/// Generation of the largest seed takes well under a second.
const MUTANT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

pub struct Args {
    pub runs: usize,
    pub seed: u64,
    /// How many accepted mutants to compile.
    pub compile: usize,
}

#[derive(Default)]
struct Tally {
    accepted: usize,
    refused: usize,
    panics: Vec<String>,
}

pub fn fuzz(args: Args) -> Result<(), String> {
    let root = workspace_root();
    let seeds = seeds(&root)?;
    if seeds.is_empty() {
        return Err("error: no seed specs found".into());
    }
    let work = root.join("target/fuzz");
    let failures = work.join("failures");
    std::fs::create_dir_all(&failures).map_err(|e| format!("error: {e}"))?;
    let mut rng = fastrand::Rng::with_seed(args.seed);
    let mut tally = Tally::default();
    let mut sample = FileSet::new();
    let mut members = Vec::new();
    // Panics are counted, not printed by the default hook for each mutant.
    let hook = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    for run in 0..args.runs {
        let (seed_path, seed_value) = &seeds[rng.usize(..seeds.len())];
        let (text, what) = mutant(&mut rng, seed_value, extension(seed_path) == "json");
        let path = work.join(format!("mutant.{}", extension(seed_path)));
        std::fs::write(&path, &text).map_err(|e| format!("error: {e}"))?;
        let prefix = format!("fuzz-{run}");
        let spec = CrateSpec {
            spec_path: path.clone(),
            display_path: format!("mutant {run} of {}", seed_path.display()),
            prefix: prefix.clone(),
            crate_version: None,
            pagination: Default::default(),
            config_entry: None,
            url_map: Default::default(),
            strict: false,
            mock: false,
        };
        // A mutant that takes this long has found a blow-up (as deeply
        // nested invalid schemas once did); the run stops and keeps it.
        let outcome = generate_guarded(spec, MUTANT_TIMEOUT)?;
        if let Outcome::Hung = outcome {
            panic::set_hook(hook);
            let kept = keep(&failures, run, seed_path, &text, "hang")?;
            return Err(format!(
                "error: mutant {run} ({what}) of {} did not finish within {} s; kept as {}",
                seed_path.display(),
                MUTANT_TIMEOUT.as_secs(),
                kept.display()
            ));
        }
        match outcome {
            Outcome::Generated(generated) => {
                tally.accepted += 1;
                if members.len() < args.compile * 3 && rng.usize(..4) == 0 {
                    add_crates(generated.files, &mut sample, &mut members);
                    keep(&failures, run, seed_path, &text, "sample")?;
                }
            }
            Outcome::Refused(_) => tally.refused += 1,
            Outcome::Hung => {}
            Outcome::Panicked(message) => {
                let kept = keep(&failures, run, seed_path, &text, "panic")?;
                tally.panics.push(format!(
                    "mutant {run} ({what}) of {}: {message}; kept as {}",
                    seed_path.display(),
                    kept.display()
                ));
            }
        }
    }
    panic::set_hook(hook);
    eprintln!(
        "fuzz: {} mutants of {} seed specs (seed {}): {} accepted, {} refused with errors, {} panics",
        args.runs,
        seeds.len(),
        args.seed,
        tally.accepted,
        tally.refused,
        tally.panics.len()
    );
    if !tally.panics.is_empty() {
        return Err(tally.panics.join("\n"));
    }
    compile_sample(&root, &work, &sample, &members)
}

/// What became of generating one spec.
pub enum Outcome {
    Generated(Generated),
    Refused(Diagnostics),
    Panicked(String),
    /// It did not finish in time (the thread is left to end on its own).
    Hung,
}

/// Generates `spec` on a thread of its own with a main thread's stack
/// (where `cargo xtask` generates), so that a panic is this spec's and not
/// the run's, and one that takes longer than `timeout` is reported rather
/// than waited for.
pub fn generate_guarded(spec: CrateSpec, timeout: std::time::Duration) -> Result<Outcome, String> {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || {
            let outcome = panic::catch_unwind(AssertUnwindSafe(|| generate_crates(&spec)));
            let _ = sender.send(outcome);
        })
        .map_err(|e| format!("error: cannot start a thread: {e}"))?;
    Ok(match receiver.recv_timeout(timeout) {
        Err(_) => Outcome::Hung,
        Ok(Ok(Ok(generated))) => Outcome::Generated(generated),
        Ok(Ok(Err(diagnostics))) => Outcome::Refused(diagnostics),
        Ok(Err(payload)) => Outcome::Panicked(
            payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default(),
        ),
    })
}

/// Adds generated files to `set`, and the crate directories they are in to
/// `members`.
pub fn add_crates(files: Vec<GeneratedFile>, set: &mut FileSet, members: &mut Vec<String>) {
    for f in files {
        let dir = f
            .path
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned());
        if let Some(dir) = dir {
            if !members.contains(&dir) {
                members.push(dir);
            }
        }
        set.insert(f.path, f.contents);
    }
}

/// The sampled crates must compile; `sample-<run>` files under
/// `target/fuzz/failures` say which mutant each crate came from.
fn compile_sample(
    root: &Path,
    work: &Path,
    sample: &FileSet,
    members: &[String],
) -> Result<(), String> {
    if members.is_empty() {
        eprintln!("fuzz: no accepted mutant was sampled for compiling");
        return Ok(());
    }
    let out = work.join("crates");
    scratch_workspace(sample, &out, members, root)?;
    let check = ["check", "--quiet", "--all-targets", "--keep-going"].map(String::from);
    let crates = members.len();
    if scratch_cargo(&out, &check, root)? {
        eprintln!("fuzz: the {crates} crates of the sampled accepted mutants compile");
        Ok(())
    } else {
        Err("error: crates generated from accepted mutants do not compile (in target/fuzz/crates; crate `fuzz-N-…` comes from target/fuzz/failures/sample-N.*)".to_string())
    }
}

fn keep(dir: &Path, run: usize, seed: &Path, text: &str, kind: &str) -> Result<PathBuf, String> {
    let path = dir.join(format!("{kind}-{run}.{}", extension(seed)));
    std::fs::write(&path, text).map_err(|e| format!("error: {e}"))?;
    Ok(path)
}

fn extension(path: &Path) -> &str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("json") => "json",
        _ => "yaml",
    }
}

/// The fixtures, the project's corpus, the published IOM specs and the
/// small single-file specs of `../shared/corpus`, parsed once.
fn seeds(root: &Path) -> Result<Vec<(PathBuf, Value)>, String> {
    let mut files = Vec::new();
    for dir in [
        root.join("tests/fixtures"),
        root.join("tests/fixtures/bad"),
        root.join("tests/corpus"),
        root.join("../shared/iom-specs"),
        root.join("../shared/corpus"),
    ] {
        if dir.is_dir() {
            files
                .extend(spec_files_in(&dir).map_err(|e| format!("error: {}: {e}", dir.display()))?);
        }
    }
    let mut seeds = Vec::new();
    for path in files {
        let small = std::fs::metadata(&path).is_ok_and(|m| m.len() <= MAX_SEED_BYTES);
        if !small || path.file_name().is_some_and(|n| n == "codegen.yaml") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        // Seeds that do not parse (the invalid-YAML fixture) have no
        // structure to mutate.
        if let Ok(value) = serde_yaml::from_str::<Value>(&text) {
            if value.is_object() {
                seeds.push((path, value));
            }
        }
    }
    Ok(seeds)
}

/// One mutant: the seed with one to three mutations, as text.
fn mutant(rng: &mut fastrand::Rng, seed: &Value, json: bool) -> (String, String) {
    if !json && rng.usize(..20) == 0 {
        return (alias_bomb(rng), "alias bomb".into());
    }
    let mut value = seed.clone();
    let mut done = Vec::new();
    for _ in 0..rng.usize(1..=3) {
        let mut nodes = Vec::new();
        collect(&value, String::new(), &mut nodes);
        if nodes.is_empty() {
            break;
        }
        let target = nodes[rng.usize(..nodes.len())].clone();
        let what = match rng.usize(..6) {
            0 => delete_key(&mut value, &target),
            1 => {
                let other = nodes[rng.usize(..nodes.len())].clone();
                swap(&mut value, &target, &other)
            }
            2 => replace(&mut value, &target, hostile(rng)),
            3 => replace(&mut value, &target, deep(rng.usize(10..300))),
            4 => {
                // A reference to the node itself, or to one of its parents.
                let cut = rng.usize(..=target.matches('/').count());
                let parent: String = target
                    .split('/')
                    .take(cut + 1)
                    .collect::<Vec<_>>()
                    .join("/");
                replace(&mut value, &target, json!({ "$ref": format!("#{parent}") }))
            }
            _ => {
                let other = nodes[rng.usize(..nodes.len())].clone();
                let copy = value.pointer(&other).cloned().unwrap_or(Value::Null);
                replace(&mut value, &target, copy)
            }
        };
        done.push(what);
    }
    let text = if json {
        serde_json::to_string_pretty(&value).unwrap_or_default()
    } else {
        serde_yaml::to_string(&value).unwrap_or_default()
    };
    (text, done.join(", "))
}

/// Every pointer in the document (RFC 6901, without `#`).
fn collect(value: &Value, pointer: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let p = format!("{pointer}/{}", escape_token(k));
                out.push(p.clone());
                collect(v, p, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let p = format!("{pointer}/{i}");
                out.push(p.clone());
                collect(v, p, out);
            }
        }
        _ => {}
    }
}

fn delete_key(value: &mut Value, pointer: &str) -> String {
    let (parent, last) = pointer.rsplit_once('/').unwrap_or(("", pointer));
    let key = unescape_token(last);
    match value.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.remove(&key);
        }
        Some(Value::Array(items)) => {
            if let Ok(i) = key.parse::<usize>() {
                if i < items.len() {
                    items.remove(i);
                }
            }
        }
        _ => {}
    }
    format!("deleted {pointer}")
}

fn swap(value: &mut Value, a: &str, b: &str) -> String {
    let (Some(x), Some(y)) = (value.pointer(a).cloned(), value.pointer(b).cloned()) else {
        return "nothing".into();
    };
    replace(value, a, y);
    replace(value, b, x);
    format!("swapped {a} and {b}")
}

fn replace(value: &mut Value, pointer: &str, new: Value) -> String {
    if let Some(slot) = value.pointer_mut(pointer) {
        *slot = new;
    }
    format!("replaced {pointer}")
}

fn hostile(rng: &mut fastrand::Rng) -> Value {
    let values = [
        json!(null),
        json!(true),
        json!(-1),
        json!(1e308),
        json!(-9_223_372_036_854_775_808i64),
        json!(18_446_744_073_709_551_615u64),
        json!(""),
        json!("\u{0}\u{202e}\u{1F600}"),
        json!("a".repeat(10_000)),
        json!([]),
        json!({}),
        json!({"type": "object", "properties": {"": {}, "self": {"$ref": "#"}}}),
        json!({"$ref": "#/components/schemas/DoesNotExist"}),
        json!({"$ref": "http://example.com/x.yaml"}),
        json!({"type": ["string", "null"]}),
        json!({"oneOf": [], "anyOf": [], "allOf": []}),
        json!({"enum": []}),
        json!({"type": "string", "pattern": "(a+)+$\\"}),
        json!({"type": "integer", "minimum": 10, "maximum": 1}),
        json!({"type": "string", "format": "date-time", "default": "not a date"}),
        json!({"in": "cookie", "name": "x", "schema": {}}),
        json!({"200": {"description": "x"}, "4XX": {}}),
    ];
    values[rng.usize(..values.len())].clone()
}

/// A schema nested `depth` levels through `items` and `properties`.
fn deep(depth: usize) -> Value {
    let mut value = json!({"type": "string"});
    for i in 0..depth {
        value = if i % 2 == 0 {
            json!({"type": "array", "items": value})
        } else {
            json!({"type": "object", "properties": {"x": value}})
        };
    }
    value
}

/// The "billion laughs" shape: each level aliases the previous one ten
/// times. The loader must refuse or bound it, not expand it.
fn alias_bomb(rng: &mut fastrand::Rng) -> String {
    let levels = rng.usize(4..9);
    let mut text = String::from("openapi: 3.0.3\ninfo: {title: bomb, version: '1'}\npaths: {}\nx-bomb:\n  l0: &l0 [\"lol\"]\n");
    for level in 1..levels {
        let aliases = vec![format!("*l{}", level - 1); 10].join(", ");
        text.push_str(&format!("  l{level}: &l{level} [{aliases}]\n"));
    }
    text.push_str(&format!(
        "components:\n  schemas:\n    Bomb:\n      type: object\n      example: *l{}\n",
        levels - 1
    ));
    text
}

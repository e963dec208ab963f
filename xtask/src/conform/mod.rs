//! `cargo xtask conform`: the generated models judged by tools that are not
//! the generator. Every spec of the project (`specs/`, `tests/fixtures`)
//! and of the corpus (see [`crate::corpus::sources`]) is generated with its
//! conformance harness into `target/conform`; the harnesses are built in
//! one cargo run; then `tests/conform/roundtrip.py` draws instances from
//! each schema (hypothesis-jsonschema), has openapi-schema-validator judge
//! them, and feeds them to the harness. Python tools come pinned from
//! `tests/conform/requirements.txt` into `target/conform-venv`.
//!
//! Then, where the spec has operations, its server crate's mock is served
//! (`<prefix>-mock-serve`) and schemathesis drives it ([`servers`]), from a
//! venv of its own (`tests/conform/schemathesis.txt`).
//!
//! And the spec's client calls a Prism mock of the spec, which validates
//! every request ([`clients`]).
//!
//! Failures are compared with `tests/conform/allowed.txt` (spec defects,
//! each with its reason): one not listed fails the run, and so does a
//! listed one that no longer occurs.

mod allowed;
mod clients;
mod report;
mod servers;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use iom_codegen::write::FileSet;
use iom_codegen::{generate_with_harness, CrateSpec};

use crate::corpus::sources;
use crate::{
    cargo_groups, crate_bytes, scratch_cargo, scratch_target, scratch_workspace, workspace_root,
};
use report::SpecReport;

/// A mock server that is killed when the run ends, however it ends.
struct Stopped(std::process::Child);

impl Drop for Stopped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Options of `cargo xtask conform`.
pub struct Args {
    /// Specs by name (`rma-2.11.yaml`, `lob/lob-api-public.yml`) or crate
    /// prefix; all when empty and not `project`.
    pub specs: Vec<String>,
    /// The project's own specs, beside those named.
    pub project: bool,
    /// Instances drawn per schema.
    pub count: usize,
    /// Schemathesis examples per operation of each mock; 0 checks no
    /// servers.
    pub cases: usize,
    /// Call each spec's client against Prism.
    pub clients: bool,
    pub seed: u64,
}

/// What one worker did: index of the spec, and its report.
type Finished = Vec<(usize, Result<SpecReport, String>)>;

/// One spec to check.
struct Target {
    name: String,
    spec: CrateSpec,
    /// One of the project's own specs (`specs/`, `tests/fixtures`).
    own: bool,
}

pub fn conform(args: Args) -> Result<(), String> {
    let root = workspace_root();
    let targets = select(&root, &args.specs, args.project)?;
    let python = venv(&root, "conform-venv", "requirements.txt")?.join("bin/python");
    let st = match args.cases {
        0 => None,
        _ => Some(venv(&root, "conform-st-venv", "schemathesis.txt")?.join("bin/st")),
    };
    let prism = match args.clients {
        true => Some(clients::install(&root)?),
        false => None,
    };
    let out = root.join("target/conform");

    let mut files = FileSet::new();
    let mut ready = Vec::new();
    let mut refused = Vec::new();
    for target in targets {
        match generate_with_harness(&target.spec) {
            Ok(generated) => {
                let degraded: BTreeSet<String> = generated
                    .warnings
                    .iter()
                    .filter(|w| w.is_degraded())
                    .map(|w| w.pointer.clone())
                    .collect();
                files.extend(generated.files.into_iter().map(|f| (f.path, f.contents)));
                let list: String = degraded.iter().map(|p| format!("{p}\n")).collect();
                let dir = format!("{}-conform", target.spec.prefix);
                files.insert(PathBuf::from(&dir).join("degraded.txt"), list);
                ready.push(target);
            }
            Err(_) => refused.push(target.name),
        }
    }
    let mut members = Vec::new();
    for t in &ready {
        let prefix = &t.spec.prefix;
        members.push(format!("{prefix}-conform"));
        let serve = format!("{prefix}-mock-serve");
        if st.is_some() && files.contains_key(&PathBuf::from(&serve).join("Cargo.toml")) {
            members.push(serve);
        }
        let drive = format!("{prefix}-client-drive");
        if prism.is_some() && files.contains_key(&PathBuf::from(&drive).join("Cargo.toml")) {
            members.push(drive);
        }
    }
    scratch_workspace(&files, &out, &members, &root)?;
    // The models a harness decodes into, and the server or client it uses.
    let weight = |member: &str| {
        let (prefix, uses) = if let Some(prefix) = member.strip_suffix("-mock-serve") {
            (prefix, Some("-server"))
        } else if let Some(prefix) = member.strip_suffix("-client-drive") {
            (prefix, Some("-client"))
        } else {
            (member.trim_end_matches("-conform"), None)
        };
        crate_bytes(&files, &format!("{prefix}-models"))
            + uses.map_or(0, |uses| crate_bytes(&files, &format!("{prefix}{uses}")))
    };
    for (packages, jobs) in cargo_groups(&members, weight) {
        let mut command: Vec<String> = vec!["build".into(), "--quiet".into()];
        command.extend(jobs.iter().map(|s| s.to_string()));
        for p in &packages {
            command.extend(["-p".to_string(), p.clone()]);
        }
        if !scratch_cargo(&out, &command, &root)? {
            return Err("error: the conformance harnesses do not compile".into());
        }
    }

    let binaries = scratch_target(&root).join("debug");
    // One Python process per spec, as many at once as there are cores.
    let next = std::sync::atomic::AtomicUsize::new(0);
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let results: Result<Vec<Finished>, String> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(target) = ready.get(i) else {
                            return done;
                        };
                        let prefix = &target.spec.prefix;
                        let dir = out.join(format!("{prefix}-conform"));
                        let binary = binaries.join(format!("{prefix}-conform"));
                        eprintln!("conform: {}", target.name);
                        let mut report = round_trips(&root, &python, target, &dir, &binary, &args);
                        let serve = format!("{prefix}-mock-serve");
                        if let (Ok(report), Some(st)) = (&mut report, &st) {
                            if members.contains(&serve) {
                                let degraded: Vec<String> =
                                    std::fs::read_to_string(dir.join("degraded.txt"))
                                        .unwrap_or_default()
                                        .lines()
                                        .map(str::to_string)
                                        .collect();
                                let drive = servers::Drive {
                                    root: &root,
                                    st,
                                    spec: &target.spec.spec_path,
                                    degraded: &degraded,
                                    dir: &out.join(&serve),
                                    binary: &binaries.join(&serve),
                                    cases: args.cases,
                                    seed: args.seed,
                                };
                                match servers::drive(&drive) {
                                    Ok(mut server) => {
                                        report.failures.append(&mut server.failures);
                                        report.server = Some(server);
                                    }
                                    Err(e) => {
                                        done.push((i, Err(e)));
                                        continue;
                                    }
                                }
                            }
                        }
                        let drive = format!("{prefix}-client-drive");
                        if let (Ok(report), Some(prism)) = (&mut report, &prism) {
                            if members.contains(&drive) {
                                let call = clients::Call {
                                    root: &root,
                                    python: &python,
                                    prism,
                                    spec: &target.spec.spec_path,
                                    dir: &out.join(&drive),
                                    binary: &binaries.join(&drive),
                                };
                                match clients::call(&call) {
                                    Ok(mut client) => {
                                        report.failures.append(&mut client.failures);
                                        report.client = Some(client);
                                    }
                                    Err(e) => {
                                        done.push((i, Err(e)));
                                        continue;
                                    }
                                }
                            }
                        }
                        done.push((i, report));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .map_err(|_| "error: a conform worker panicked".to_string())
            })
            .collect()
    });
    let mut ordered: Vec<(usize, Result<SpecReport, String>)> =
        results?.into_iter().flatten().collect();
    ordered.sort_by_key(|(i, _)| *i);
    let mut reports = Vec::new();
    for (i, report) in ordered {
        reports.push((ready[i].name.clone(), report?));
    }
    report::table(&reports, &refused);
    let allowed = allowed::read(&root.join("tests/conform/allowed.txt"))?;
    let checked: Vec<&str> = reports.iter().map(|(n, _)| n.as_str()).collect();
    allowed::compare(&allowed, &reports, &checked)
}

/// The specs named on the command line, and the project's own with
/// `project`; all when neither says anything.
fn select(root: &Path, names: &[String], project: bool) -> Result<Vec<Target>, String> {
    let mut all = Vec::new();
    for config in ["specs/codegen.yaml", "tests/fixtures/codegen.yaml"] {
        let (_, specs) = iom_codegen::project::config_specs(&root.join(config), root)
            .map_err(|d| d.to_string())?;
        all.extend(specs.into_iter().map(|spec| Target {
            name: spec.prefix.clone(),
            spec,
            own: true,
        }));
    }
    for source in sources::corpus(root, None, None)? {
        let mut spec = source.crate_spec();
        // The published IOM files share prefixes with `specs/`.
        while all.iter().any(|t: &Target| t.spec.prefix == spec.prefix) {
            spec.prefix.push_str("-x");
        }
        all.push(Target {
            name: source.name,
            spec,
            own: false,
        });
    }
    if names.is_empty() && !project {
        return Ok(all);
    }
    let unknown: Vec<&String> = names
        .iter()
        .filter(|n| !all.iter().any(|t| t.matches(n)))
        .collect();
    if !unknown.is_empty() {
        return Err(format!(
            "error: no spec is named {}; names are file names (as `cargo xtask corpus` prints them) or crate prefixes",
            unknown
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Ok(all
        .into_iter()
        .filter(|t| (project && t.own) || names.iter().any(|n| t.matches(n)))
        .collect())
}

impl Target {
    fn matches(&self, name: &str) -> bool {
        self.name == name || self.spec.prefix == name
    }
}

/// The venv `target/NAME`, with the tools pinned in
/// `tests/conform/REQUIREMENTS` installed the first time (and again when
/// the file changes).
fn venv(root: &Path, name: &str, requirements: &str) -> Result<PathBuf, String> {
    let venv = root.join("target").join(name);
    let python = venv.join("bin/python");
    let requirements = root.join("tests/conform").join(requirements);
    let stamp = venv.join("requirements.txt");
    let wanted = std::fs::read_to_string(&requirements)
        .map_err(|e| format!("error: cannot read {}: {e}", requirements.display()))?;
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str()) {
        return Ok(venv);
    }
    let run = |program: &Path, args: &[&str]| -> Result<(), String> {
        let status = Command::new(program)
            .args(args)
            .status()
            .map_err(|e| format!("error: cannot run {}: {e}", program.display()))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!(
                "error: `{} {}` failed",
                program.display(),
                args.join(" ")
            ))
        }
    };
    eprintln!(
        "conform: installing the pinned Python tools into {}",
        venv.display()
    );
    let venv_text = venv.to_string_lossy().into_owned();
    run(Path::new("python3"), &["-m", "venv", &venv_text])?;
    let requirements_text = requirements.to_string_lossy().into_owned();
    run(
        &python,
        &["-m", "pip", "install", "--quiet", "-r", &requirements_text],
    )?;
    std::fs::write(&stamp, wanted).map_err(|e| format!("error: {e}"))?;
    Ok(venv)
}

/// Runs `roundtrip.py` for one spec.
fn round_trips(
    root: &Path,
    python: &Path,
    target: &Target,
    dir: &Path,
    binary: &Path,
    args: &Args,
) -> Result<SpecReport, String> {
    let output = Command::new(python)
        .arg(root.join("tests/conform/roundtrip.py"))
        .arg(&target.spec.spec_path)
        .arg(dir.join("conform.json"))
        .arg(binary)
        .args(["--count", &args.count.to_string()])
        .args(["--seed", &args.seed.to_string()])
        .arg("--degraded")
        .arg(dir.join("degraded.txt"))
        .output()
        .map_err(|e| format!("error: cannot run roundtrip.py: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "error: roundtrip.py failed on {}:\n{}",
            target.name,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    // Kept for reading the failures in full.
    let _ = std::fs::write(dir.join("report.json"), &output.stdout);
    serde_json::from_slice(&output.stdout).map_err(|e| {
        format!(
            "error: roundtrip.py answered {} with something that is not its report: {e}",
            target.name
        )
    })
}

//! `cargo xtask corpus`: every spec of the corpus — the project's own
//! (`tests/corpus`), the published IOM files (`../shared/iom-specs`) and the
//! public specs of `../shared/corpus`, each directory when present — is
//! generated into `target/corpus`, and the crates are linted and tested.
//!
//! A spec the generator refuses must fail only with named "not supported"
//! errors, exactly as many of each class as `tests/corpus/unsupported.txt`
//! lists for it, so both a new refusal and a construct that became
//! supported fail the run until the file says so.

mod expected;
pub mod sources;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use iom_codegen::diagnostics::Diagnostic;
use iom_codegen::write::FileSet;
use iom_codegen::{generate_crates, generate_models};

use crate::{cargo_groups, crate_bytes, scratch_cargo, scratch_workspace, workspace_root};
use expected::Counts;
use sources::Source;

/// Options of `cargo xtask corpus`.
pub struct Args {
    /// The published IOM specs; default `../shared/iom-specs`.
    pub iom: Option<PathBuf>,
    /// The public specs with a `MANIFEST.tsv`; default `../shared/corpus`.
    pub public: Option<PathBuf>,
    /// Crates that are only compiled (`cargo check`), not linted and
    /// tested, to keep CI within its time.
    pub check_only: Vec<String>,
}

/// What happened to one spec.
enum Outcome {
    Generated {
        warnings: usize,
    },
    Refused {
        counts: BTreeMap<String, usize>,
        /// Refused only for its operations, the models crate alone was
        /// generated (with this many warnings), so that every schema of the
        /// corpus is compiled, linted and tested.
        models: Option<usize>,
    },
}

pub fn corpus(args: Args) -> Result<(), String> {
    let root = workspace_root();
    let own = root.join("tests/corpus");
    let specs = sources::corpus(&root, args.iom, args.public)?;
    let expected = expected::read(&own.join("unsupported.txt"), false)?;
    let expected_degraded = expected::read(&own.join("degraded.txt"), true)?;

    let mut seen = Counts::new();
    let mut degraded = Counts::new();
    let mut problems = Vec::new();
    let mut outcomes = Vec::new();
    let mut files = FileSet::new();
    let mut members = Vec::new();
    let mut checked_only = Vec::new();
    for spec in &specs {
        let outcome = generate(spec, &mut files, &mut problems, &mut seen, &mut degraded);
        if matches!(
            outcome,
            Outcome::Generated { .. }
                | Outcome::Refused {
                    models: Some(_),
                    ..
                }
        ) {
            for kind in ["models", "server", "client"] {
                let dir = format!("{}-{kind}", spec.prefix);
                if files.keys().any(|f| f.starts_with(&dir)) {
                    if args.check_only.contains(&spec.prefix) {
                        checked_only.push(dir);
                    } else {
                        members.push(dir);
                    }
                }
            }
        }
        outcomes.push((spec.name.clone(), outcome));
    }
    let present: Vec<&str> = specs.iter().map(|s| s.name.as_str()).collect();
    compare(
        &expected,
        &seen,
        &present,
        "unsupported.txt",
        "refusals",
        &mut problems,
    );
    compare(
        &expected_degraded,
        &degraded,
        &present,
        "degraded.txt",
        "degraded places",
        &mut problems,
    );
    print_summary(&outcomes);
    if !problems.is_empty() {
        return Err(problems.join("\n"));
    }

    let out = root.join("target/corpus");
    let all: Vec<String> = members.iter().chain(&checked_only).cloned().collect();
    scratch_workspace(&files, &out, &all, &root)?;
    // `cargo <command> -p A -p B … <tail>`.
    let cargo = |command: &[&str], packages: &[String], tail: &[&str]| -> Vec<String> {
        let packages = packages.iter().flat_map(|n| ["-p", n.as_str()]);
        command
            .iter()
            .copied()
            .chain(packages)
            .chain(tail.iter().copied())
            .map(String::from)
            .collect()
    };
    let groups = cargo_groups(&members, |dir| crate_bytes(&files, dir));
    // The generated crates' own tests decode every example of their spec.
    let mut steps: Vec<(Vec<String>, &str)> = Vec::new();
    for (packages, jobs) in &groups {
        let clippy: Vec<&str> = ["clippy", "--quiet", "--all-targets"]
            .into_iter()
            .chain(jobs.iter().copied())
            .collect();
        steps.push((
            cargo(&clippy, packages, &["--", "-D", "warnings"]),
            "pass clippy",
        ));
    }
    // Only the crates with tests of their own (the models' examples):
    // building the others again for tests that do not exist costs minutes.
    let tested: Vec<String> = members
        .iter()
        .filter(|m| {
            files
                .keys()
                .any(|f| f.starts_with(Path::new(m.as_str()).join("tests")))
        })
        .cloned()
        .collect();
    let test_groups = cargo_groups(&tested, |dir| crate_bytes(&files, dir));
    for (packages, jobs) in &test_groups {
        let test: Vec<&str> = ["test", "--quiet"]
            .into_iter()
            .chain(jobs.iter().copied())
            .collect();
        steps.push((cargo(&test, packages, &[]), "pass their tests"));
    }
    if !checked_only.is_empty() {
        steps.push((cargo(&["check", "--quiet"], &checked_only, &[]), "compile"));
    }
    for (args, what) in steps {
        let started = std::time::Instant::now();
        if !scratch_cargo(&out, &args, &root)? {
            return Err(format!(
                "error: the crates generated from the corpus do not {what}"
            ));
        }
        eprintln!(
            "corpus: `cargo {}` ({} packages) in {:.0?}",
            args.first().map(String::as_str).unwrap_or_default(),
            args.iter().filter(|a| *a == "-p").count(),
            started.elapsed()
        );
    }
    let generated = outcomes
        .iter()
        .filter(|(_, o)| matches!(o, Outcome::Generated { .. }))
        .count();
    let models_only = outcomes
        .iter()
        .filter(|(_, o)| {
            matches!(
                o,
                Outcome::Refused {
                    models: Some(_),
                    ..
                }
            )
        })
        .count();
    eprintln!(
        "corpus: {} specs; {generated} generated, {models_only} more with their models alone ({} crates linted, the {} with tests tested, {} only compiled); {} refused with {} named unsupported-construct errors, all listed; {} places degraded, all listed",
        specs.len(),
        members.len(),
        tested.len(),
        checked_only.len(),
        specs.len() - generated,
        seen.values().sum::<usize>(),
        degraded.values().sum::<usize>(),
    );
    Ok(())
}

fn generate(
    spec: &Source,
    files: &mut FileSet,
    problems: &mut Vec<String>,
    seen: &mut Counts,
    degraded: &mut Counts,
) -> Outcome {
    let mut count_degraded = |warnings: &[Diagnostic]| {
        for class in warnings.iter().filter_map(|w| w.unsupported) {
            *degraded.entry((spec.name.clone(), class)).or_default() += 1;
        }
    };
    let crate_spec = spec.crate_spec();
    match generate_crates(&crate_spec) {
        Ok(generated) => {
            count_degraded(&generated.warnings);
            files.extend(generated.files.into_iter().map(|f| (f.path, f.contents)));
            Outcome::Generated {
                warnings: generated.warnings.len(),
            }
        }
        Err(diagnostics) => {
            let mut counts = BTreeMap::new();
            let mut unnamed: Vec<&Diagnostic> = Vec::new();
            for d in diagnostics.errors() {
                match d.unsupported {
                    Some(class) => {
                        *seen.entry((spec.name.clone(), class)).or_default() += 1;
                        *counts.entry(class.name().to_string()).or_default() += 1;
                    }
                    None => unnamed.push(d),
                }
            }
            for d in &unnamed {
                problems.push(format!(
                    "error: {}: not a named unsupported construct: {d}",
                    spec.name
                ));
            }
            if !unnamed.is_empty() {
                counts.insert("other".into(), unnamed.len());
            }
            let operations_only = unnamed.is_empty()
                && diagnostics
                    .errors()
                    .all(|d| d.unsupported.is_some_and(|c| c.is_operation_layer()));
            let models = if operations_only {
                match generate_models(&crate_spec) {
                    Ok(generated) => {
                        count_degraded(&generated.warnings);
                        let warnings = generated.warnings.len();
                        files.extend(generated.files.into_iter().map(|f| (f.path, f.contents)));
                        Some(warnings)
                    }
                    Err(d) => {
                        problems.push(format!(
                            "error: {}: the models alone do not generate:\n{d}",
                            spec.name
                        ));
                        None
                    }
                }
            } else {
                None
            };
            Outcome::Refused { counts, models }
        }
    }
}

/// Every count must be what `list` (a file of tests/corpus) says, for the
/// specs present.
fn compare(
    expected: &Counts,
    seen: &Counts,
    present: &[&str],
    list: &str,
    what: &str,
    problems: &mut Vec<String>,
) {
    let keys: std::collections::BTreeSet<_> = expected.keys().chain(seen.keys()).collect();
    for key @ (file, class) in keys {
        if !present.contains(&file.as_str()) {
            continue;
        }
        let listed = expected.get(key).copied().unwrap_or(0);
        let found = seen.get(key).copied().unwrap_or(0);
        if listed != found {
            let fix = if found == 0 {
                "delete the line".to_string()
            } else {
                format!("the line should read `{file} {class} {found}`")
            };
            problems.push(format!(
                "error: {file}: {found} `{class}` {what}, tests/corpus/{list} lists {listed}: {fix}"
            ));
        }
    }
}

fn print_summary(outcomes: &[(String, Outcome)]) {
    let width = outcomes.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
    for (name, outcome) in outcomes {
        let what = match outcome {
            Outcome::Generated { warnings } => format!("generated ({warnings} warnings)"),
            Outcome::Refused { counts, models } => {
                let classes: Vec<String> = counts.iter().map(|(c, n)| format!("{c} {n}")).collect();
                let models = models
                    .map(|w| format!("; models alone generated ({w} warnings)"))
                    .unwrap_or_default();
                format!("refused: {}{models}", classes.join(", "))
            }
        };
        eprintln!("corpus: {name:<width$}  {what}");
    }
}

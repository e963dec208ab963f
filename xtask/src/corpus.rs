//! `cargo xtask corpus`: every spec of the corpus — the published IOM files
//! (`../shared/iom-specs`, when present) and the project's own
//! (`tests/corpus`) — is generated into `target/corpus`, and the crates are
//! linted and tested. A spec the generator cannot take must fail with
//! exactly the named "not supported" errors that `tests/corpus/unsupported.txt`
//! lists for it; a listed error that no longer occurs fails the run too.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use iom_codegen::diagnostics::Severity;
use iom_codegen::generate_crates;
use iom_codegen::project::spec_files_in;
use iom_codegen::write::FileSet;

use crate::{crate_spec, default_prefix, finish, workspace_root};

/// `(file name, JSON pointer)` of an expected error.
type Expected = BTreeSet<(String, String)>;

fn expected_errors(path: &Path) -> Result<Expected, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("error: cannot read {}: {e}", path.display()))?;
    let mut expected = Expected::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((file, pointer)) = line.split_once(' ') else {
            return Err(format!(
                "error: {}:{}: expected `FILE POINTER`",
                path.display(),
                n + 1
            ));
        };
        expected.insert((file.to_string(), pointer.trim().to_string()));
    }
    Ok(expected)
}

pub fn corpus(published: Option<PathBuf>) -> Result<(), String> {
    let root = workspace_root();
    let own = root.join("tests/corpus");
    let mut specs =
        spec_files_in(&own).map_err(|e| format!("error: cannot read {}: {e}", own.display()))?;
    let published = published.unwrap_or_else(|| root.join("../shared/iom-specs"));
    if published.is_dir() {
        specs.extend(
            spec_files_in(&published)
                .map_err(|e| format!("error: cannot read {}: {e}", published.display()))?,
        );
    } else {
        eprintln!(
            "notice: {} is not present; the corpus has only tests/corpus",
            published.display()
        );
    }
    let expected = expected_errors(&own.join("unsupported.txt"))?;
    let out = root.join("target/corpus");
    let mut members = Vec::new();
    let mut seen = Expected::new();
    let mut problems = Vec::new();
    let mut refused = 0;
    let mut files = FileSet::new();
    for spec in &specs {
        let prefix = default_prefix(spec)?;
        let crate_spec = crate_spec(spec, prefix.clone());
        let name = crate_spec.display_path.clone();
        match generate_crates(&crate_spec) {
            Ok(generated) => {
                for w in &generated.warnings {
                    eprintln!("{w}");
                }
                for kind in ["models", "server", "client"] {
                    let dir = format!("{prefix}-{kind}");
                    if generated.files.iter().any(|f| f.path.starts_with(&dir)) {
                        members.push(format!("\"{dir}\""));
                    }
                }
                files.extend(generated.files.into_iter().map(|f| (f.path, f.contents)));
            }
            Err(diagnostics) => {
                refused += 1;
                for d in diagnostics
                    .0
                    .iter()
                    .filter(|d| d.severity == Severity::Error)
                {
                    let key = (name.clone(), d.pointer.clone());
                    if !d.message.starts_with("not supported") {
                        problems.push(format!(
                            "error: {name}: not a named unsupported feature: {d}"
                        ));
                    } else if !expected.contains(&key) {
                        problems.push(format!(
                            "error: {name}: not listed in tests/corpus/unsupported.txt: {d}"
                        ));
                    }
                    seen.insert(key);
                }
            }
        }
    }
    for (file, pointer) in expected.difference(&seen) {
        if specs
            .iter()
            .any(|s| s.file_name().is_some_and(|n| n == file.as_str()))
        {
            problems.push(format!(
                "error: tests/corpus/unsupported.txt lists `{file} {pointer}`, which no longer fails: delete the line"
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems.join("\n"));
    }
    finish(&files, &out, false, false, &root)?;
    let manifest = format!(
        "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
        members.join(", ")
    );
    std::fs::write(out.join("Cargo.toml"), manifest).map_err(|e| format!("error: {e}"))?;
    // The generated crates' own tests decode every example of their spec.
    for (args, what) in [
        (
            &["clippy", "--quiet", "--all-targets", "--", "-D", "warnings"][..],
            "pass clippy",
        ),
        (&["test", "--quiet"][..], "pass their tests"),
    ] {
        let status =
            std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
                .args(args)
                .current_dir(&out)
                .env("CARGO_TARGET_DIR", root.join("target/corpus-target"))
                .status()
                .map_err(|e| format!("error: cannot run cargo: {e}"))?;
        if !status.success() {
            return Err(format!(
                "error: the crates generated from the corpus do not {what}"
            ));
        }
    }
    eprintln!(
        "corpus: {} specs; {} generated, linted and tested ({} crates); {refused} refused with {} named unsupported-feature errors, all listed",
        specs.len(),
        specs.len() - refused,
        members.len(),
        seen.len()
    );
    Ok(())
}

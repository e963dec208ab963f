//! Compile cost: a clean build (dependencies already built) and an
//! incremental rebuild (after touching `src/lib.rs`) of each generated
//! crate, in the dev profile, one run each: builds are slow and steady.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

use crate::stats::duration;
use crate::table::Report;

fn cargo(root: &Path, args: &[&str]) -> Result<Duration, String> {
    cargo_with(root, args, true)
}

fn cargo_with(root: &Path, args: &[&str], incremental: bool) -> Result<Duration, String> {
    let t = Instant::now();
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(args)
        .env("CARGO_INCREMENTAL", if incremental { "1" } else { "0" })
        .current_dir(root)
        .status()
        .map_err(|e| e.to_string())?;
    if status.success() {
        Ok(t.elapsed())
    } else {
        Err(format!("`cargo {}` failed", args.join(" ")))
    }
}

pub fn run(report: &mut Report, root: &Path) -> Result<(), String> {
    let mut crates: Vec<String> = std::fs::read_dir(root.join("generated"))
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("Cargo.toml").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    crates.sort();
    let mut all = vec!["build", "-q", "-j2"];
    for c in &crates {
        all.extend(["-p", c.as_str()]);
    }
    eprintln!("bench:  building the generated crates and their dependencies (not timed)");
    cargo(root, &all)?;
    let mut rows = Vec::new();
    for c in &crates {
        // Built alone, a crate may unify its dependencies' features
        // differently, and the incremental setting is part of every
        // fingerprint: warm up in the same mode as the timed build, so
        // that only the crate itself is compiled.
        let build = ["build", "-q", "-j2", "-p", c.as_str()];
        cargo_with(root, &build, false)?;
        cargo(root, &["clean", "-q", "-p", c])?;
        // Without incremental compilation: `clean -p` keeps its cache.
        let clean = cargo_with(root, &build, false)?;
        cargo(root, &build)?;
        let lib = root.join("generated").join(c).join("src/lib.rs");
        std::fs::File::options()
            .append(true)
            .open(&lib)
            .and_then(|f| f.set_modified(SystemTime::now()))
            .map_err(|e| format!("cannot touch {}: {e}", lib.display()))?;
        let incremental = cargo(root, &build)?;
        let lines = [
            "src/lib.rs",
            "src/models.rs",
            "src/operations.rs",
            "src/runtime.rs",
            "src/support.rs",
        ]
        .iter()
        .filter_map(|f| std::fs::read_to_string(root.join("generated").join(c).join(f)).ok())
        .map(|t| t.lines().count())
        .sum::<usize>();
        rows.push(vec![
            c.clone(),
            lines.to_string(),
            duration(clean),
            duration(incremental),
        ]);
        eprintln!(
            "bench:   {c}: {} / {}",
            duration(clean),
            duration(incremental)
        );
    }
    report.heading(
        "Compile cost",
        "`cargo build -p CRATE` in the dev profile, 2 jobs, dependencies already built, one run: clean \
         (`cargo clean -p CRATE` first, incremental compilation off) and incremental (after touching `src/lib.rs`). A server or client build \
         includes nothing of its models crate but the check that it is fresh.",
    );
    report.table(
        &["crate", "lines", "clean build", "incremental rebuild"],
        &rows,
    );
    Ok(())
}

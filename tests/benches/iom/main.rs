//! `cargo bench -p iom-codegen-tests`: what users pay for the generator —
//! regeneration time, the speed of the generated code against hand-written
//! baselines, and the compile cost of the generated crates. Prints one
//! report and writes it to `tests/BENCHMARKS.md`.
//!
//! `BENCH_RUNS` (default 5) sets the repetitions; `BENCH_ONLY=models` (or
//! `generation`, `server`, `client`, `compile`) runs one section.

mod baseline;
mod client;
mod compile;
mod generation;
mod models;
mod server;
mod stats;
mod table;

use std::path::PathBuf;
use std::process::ExitCode;

/// One part of the report.
type Section<'a> = Box<dyn Fn(&mut table::Report) -> Result<(), String> + 'a>;

fn main() -> ExitCode {
    // The processes the benchmark starts of itself.
    if std::env::var_os("BENCH_CANNED").is_some() {
        return exit(client::canned_server());
    }
    if let Ok(what) = std::env::var("BENCH_CLIENT_CALLS") {
        let (name, count) = what.split_once(':').unwrap_or((&what, "1000"));
        return exit(client::calls(name, count.parse().unwrap_or(1000)));
    }
    if let Ok(what) = std::env::var("BENCH_IN_PROCESS") {
        let (name, count) = what.split_once(':').unwrap_or((&what, "1000"));
        return exit(server::in_process(name, count.parse().unwrap_or(1000)));
    }
    // `cargo bench` passes `--bench`; nothing else is accepted.
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default();
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let mut report = table::Report::default();
    report.line("# Benchmarks");
    report.line("");
    report.line(&format!(
        "Measured by `cargo bench -p iom-codegen-tests` on {}; medians of {runs} runs, spread ± half the range.",
        machine()
    ));
    let sections: Vec<(&str, Section)> = vec![
        ("generation", Box::new(|r| generation::run(r, &root, runs))),
        ("models", Box::new(|r| models::run(r, runs))),
        ("server", Box::new(|r| server::run(r, runs))),
        ("client", Box::new(|r| client::run(r, runs))),
        ("compile", Box::new(|r| compile::run(r, &root))),
    ];
    let only = std::env::var("BENCH_ONLY").ok();
    for (name, section) in sections {
        if only.as_deref().is_some_and(|o| o != name) {
            continue;
        }
        eprintln!("bench: {name}…");
        if let Err(e) = section(&mut report) {
            eprintln!("bench: {name} failed: {e}");
            return ExitCode::FAILURE;
        }
    }
    println!("{}", report.text());
    if only.is_some() {
        // A partial report must not replace the committed one.
        return ExitCode::SUCCESS;
    }
    let out = root.join("tests/BENCHMARKS.md");
    if let Err(e) = std::fs::write(&out, report.text()) {
        eprintln!("bench: cannot write {}: {e}", out.display());
        return ExitCode::FAILURE;
    }
    eprintln!("bench: wrote {}", out.display());
    ExitCode::SUCCESS
}

/// CPU model and count, from /proc/cpuinfo where there is one.
fn machine() -> String {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, m)| m.trim().to_string())
        })
        .unwrap_or_else(|| "an unknown CPU".into());
    format!(
        "{model}, {cpus} cores, {} {}",
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}

fn exit(result: Result<(), String>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench: {e}");
            ExitCode::FAILURE
        }
    }
}

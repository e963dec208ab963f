//! Generation: `cargo xtask codegen` end to end, each stage per spec, and
//! the growth with spec size on synthetic specs.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use iom_codegen::write::FileSet;
use iom_codegen::{generate_crates, CrateSpec, StageTimings};

use crate::stats::{duration, Sample};
use crate::table::Report;

const SPECS: &[(&str, &str)] = &[
    ("order-state-1.0.yaml", "iom-order-state"),
    ("communication-2.9.4.0.yaml", "iom-communication"),
    ("gdpr-2.9.4.0.yaml", "iom-gdpr"),
    ("rma-2.11.yaml", "iom-rma"),
];

/// Median per stage over `runs` generations of `spec`, the write stage
/// into a scratch directory.
fn stages(spec: &CrateSpec, runs: usize) -> Result<[Duration; 5], String> {
    let mut all: Vec<(StageTimings, Duration)> = Vec::new();
    let scratch = tempfile::tempdir().map_err(|e| e.to_string())?;
    for _ in 0..runs.max(1) {
        let generated = generate_crates(spec).map_err(|d| d.to_string())?;
        let files: FileSet = generated
            .files
            .iter()
            .map(|f| (f.path.clone(), f.contents.clone()))
            .collect();
        let t = Instant::now();
        iom_codegen::write::write(scratch.path(), &files, true).map_err(|e| e.to_string())?;
        all.push((generated.timings, t.elapsed()));
    }
    let median = |f: &dyn Fn(&(StageTimings, Duration)) -> Duration| {
        let mut v: Vec<Duration> = all.iter().map(f).collect();
        v.sort();
        v[v.len() / 2]
    };
    Ok([
        median(&|t| t.0.load),
        median(&|t| t.0.ir),
        median(&|t| t.0.emit),
        median(&|t| t.0.format),
        median(&|t| t.1),
    ])
}

fn stage_row(name: String, s: [Duration; 5]) -> Vec<String> {
    let total: Duration = s.iter().sum();
    let mut row = vec![name];
    row.extend(s.iter().map(|d| duration(*d)));
    row.push(duration(total));
    row
}

/// A spec with `schemas` object schemas (each with a scalar, an enum, an
/// array, a reference to the next one and a constraint) and `operations`
/// operations (a GET with path and query parameters, a POST with a body).
pub fn synthetic_spec(schemas: usize, operations: usize) -> String {
    let mut s = String::from(
        "openapi: 3.0.3\ninfo: { title: Synthetic, version: 1.0.0 }\n\
         security: [{ basic: [] }]\npaths:\n",
    );
    for i in 0..operations / 2 {
        let schema = i % schemas;
        s.push_str(&format!(
            "  /r{i}/{{id}}:\n    get:\n      operationId: get{i}\n      parameters:\n\
             \x20       - {{ name: id, in: path, required: true, schema: {{ type: integer, format: int64 }} }}\n\
             \x20       - {{ name: limit, in: query, schema: {{ type: integer, format: int32, default: 50 }} }}\n\
             \x20       - {{ name: tag, in: query, schema: {{ type: array, items: {{ type: string }} }} }}\n\
             \x20     responses:\n        \"200\":\n          description: ok\n          content:\n\
             \x20           application/json:\n              schema: {{ $ref: \"#/components/schemas/S{schema}\" }}\n\
             \x20       \"404\": {{ description: missing }}\n\
             \x20   post:\n      operationId: post{i}\n      requestBody:\n        required: true\n        content:\n\
             \x20         application/json:\n            schema: {{ $ref: \"#/components/schemas/S{schema}\" }}\n\
             \x20     responses:\n        \"201\":\n          description: created\n          headers:\n\
             \x20           Location: {{ schema: {{ type: string }} }}\n        \"400\": {{ description: invalid }}\n",
        ));
    }
    s.push_str(
        "components:\n  securitySchemes:\n    basic: { type: http, scheme: basic }\n  schemas:\n",
    );
    for i in 0..schemas {
        let next = if i + 1 < schemas {
            format!(
                "\n        next: {{ $ref: \"#/components/schemas/S{}\" }}",
                i + 1
            )
        } else {
            String::new()
        };
        s.push_str(&format!(
            "    S{i}:\n      type: object\n      description: Schema {i}.\n      required: [name]\n      properties:\n\
             \x20       name: {{ type: string, maxLength: 64 }}\n\
             \x20       count: {{ type: integer, format: int32, minimum: 0 }}\n\
             \x20       kind: {{ type: string, enum: [A{i}, B{i}, C{i}] }}\n\
             \x20       tags: {{ type: array, items: {{ type: string }} }}\n\
             \x20       at: {{ type: string, format: date-time, nullable: true }}{next}\n",
        ));
    }
    s
}

fn xtask_binary(root: &Path) -> Result<PathBuf, String> {
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--release", "--quiet", "-p", "xtask"])
        .current_dir(root)
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err("cannot build xtask".into());
    }
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| root.join("target"));
    Ok(target.join("release/xtask"))
}

pub fn run(report: &mut Report, root: &Path, runs: usize) -> Result<(), String> {
    let xtask = xtask_binary(root)?;
    let mut failed = None;
    let end_to_end = Sample::of(runs, || {
        let ok = Command::new(&xtask)
            .arg("codegen")
            .current_dir(root)
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false);
        if !ok {
            failed = Some("`xtask codegen` failed");
        }
    });
    if let Some(e) = failed {
        return Err(e.into());
    }
    report.heading(
        "Generation",
        &format!(
            "`cargo xtask codegen` (the built release binary, so building xtask is not counted; \
             4 specs and 8 fixtures, {runs} runs): **{}**.\n\n\
             Per stage, median of {runs} generations; `write` replaces a scratch directory.",
            end_to_end.show()
        ),
    );
    let header = ["spec", "load", "IR", "emit", "format", "write", "total"];
    let mut rows = Vec::new();
    for (file, prefix) in SPECS {
        let spec = CrateSpec {
            spec_path: root.join("specs").join(file),
            display_path: format!("specs/{file}"),
            prefix: prefix.to_string(),
            crate_version: None,
            pagination: Default::default(),
            config_entry: None,
            url_map: Default::default(),
            strict: false,
            mock: false,
        };
        rows.push(stage_row(file.to_string(), stages(&spec, runs)?));
    }
    let scratch = tempfile::tempdir().map_err(|e| e.to_string())?;
    for (schemas, operations) in [(100, 50), (300, 150), (1000, 500)] {
        let path = scratch.path().join(format!("synthetic-{schemas}.yaml"));
        std::fs::write(&path, synthetic_spec(schemas, operations)).map_err(|e| e.to_string())?;
        let spec = CrateSpec {
            spec_path: path,
            display_path: format!("synthetic-{schemas}.yaml"),
            prefix: "synthetic".into(),
            crate_version: None,
            pagination: Default::default(),
            config_entry: None,
            url_map: Default::default(),
            strict: false,
            mock: false,
        };
        let name = format!("synthetic: {schemas} schemas, {operations} operations");
        rows.push(stage_row(name, stages(&spec, runs.min(3))?));
    }
    report.table(&header, &rows);
    Ok(())
}

//! `tests/conform/allowed.txt`: failures that are defects of the spec, not
//! of the generated code, each with the reason.
//!
//! One per line: `SPEC<TAB>POINTER<TAB>CLASS`, then `#` and the reason.

use std::collections::BTreeSet;
use std::path::Path;

use super::report::SpecReport;

type Key = (String, String, String);

pub fn read(path: &Path) -> Result<BTreeSet<Key>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("error: cannot read {}: {e}", path.display()))?;
    let mut out = BTreeSet::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (entry, reason) = line.split_once('#').unwrap_or((line, ""));
        let columns: Vec<&str> = entry.trim_end().split('\t').collect();
        match columns.as_slice() {
            [spec, pointer, class] if !reason.trim().is_empty() => {
                out.insert((spec.to_string(), pointer.to_string(), class.to_string()));
            }
            _ => {
                return Err(format!(
                    "error: {}:{}: expected `SPEC<TAB>POINTER<TAB>CLASS # reason`",
                    path.display(),
                    n + 1
                ))
            }
        }
    }
    Ok(out)
}

/// Fails on a failure not allowed, and on an allowed one of a checked spec
/// that no longer occurs.
pub fn compare(
    allowed: &BTreeSet<Key>,
    reports: &[(String, SpecReport)],
    checked: &[&str],
) -> Result<(), String> {
    let mut seen = BTreeSet::new();
    let mut problems = Vec::new();
    for (spec, report) in reports {
        for f in &report.failures {
            let key = (spec.clone(), f.pointer.clone(), f.class.clone());
            if !allowed.contains(&key) && !seen.contains(&key) {
                problems.push(format!(
                    "{spec} {}: {}\n    instance: {}\n    harness: {}",
                    f.pointer, f.class, f.instance, f.answer
                ));
            }
            seen.insert(key);
        }
    }
    for key in allowed {
        if checked.contains(&key.0.as_str()) && !seen.contains(key) {
            problems.push(format!(
                "tests/conform/allowed.txt lists `{}\t{}\t{}`, which no longer occurs: remove it",
                key.0, key.1, key.2
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "error: {} conformance failures not in tests/conform/allowed.txt:\n{}",
            problems.len(),
            problems.join("\n")
        ))
    }
}

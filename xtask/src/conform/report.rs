//! What `roundtrip.py` reports for one spec, and the table of all specs.

use std::collections::BTreeMap;

use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct SpecReport {
    /// Schemas with at least one instance.
    pub schemas: usize,
    /// Schemas left out, by reason.
    pub skipped: BTreeMap<String, usize>,
    /// Valid instances fed to the harness (the spec's examples among them).
    pub valid: usize,
    pub invalid: usize,
    pub spec_examples: usize,
    /// Invalid instances not fed, because the schema is degraded (looser on
    /// purpose).
    pub discarded: usize,
    /// Invalid instances the models accepted on purpose (valid but for one
    /// rule they do not check), by that rule.
    pub lenient: BTreeMap<String, usize>,
    pub failures: Vec<Failure>,
}

#[derive(Debug, Deserialize)]
pub struct Failure {
    pub class: String,
    pub pointer: String,
    pub instance: serde_json::Value,
    pub answer: String,
}

/// One line per spec and a total, on stdout.
pub fn table(reports: &[(String, SpecReport)], refused: &[String]) {
    let width = reports
        .iter()
        .map(|(n, _)| n.len())
        .max()
        .unwrap_or(4)
        .max(4);
    println!(
        "{:width$}  {:>7}  {:>7}  {:>7}  {:>8}  {:>8}  {:>7}  {:>8}",
        "spec", "schemas", "skipped", "valid", "examples", "invalid", "looser", "failures"
    );
    let mut total = [0usize; 7];
    let mut lenient = BTreeMap::<&str, usize>::new();
    let mut reasons = BTreeMap::<&str, usize>::new();
    for (name, r) in reports {
        let skipped: usize = r.skipped.values().sum();
        let row = [
            r.schemas,
            skipped,
            r.valid,
            r.spec_examples,
            r.invalid,
            r.discarded,
            r.failures.len(),
        ];
        println!(
            "{name:width$}  {:>7}  {:>7}  {:>7}  {:>8}  {:>8}  {:>7}  {:>8}",
            row[0], row[1], row[2], row[3], row[4], row[5], row[6]
        );
        for (why, n) in &r.lenient {
            *lenient.entry(why).or_default() += n;
        }
        for (why, n) in &r.skipped {
            *reasons.entry(why).or_default() += n;
        }
        for (t, v) in total.iter_mut().zip(row) {
            *t += v;
        }
    }
    for name in refused {
        println!("{name:width$}  refused by the generator (see `cargo xtask corpus`)");
    }
    for (why, n) in reasons {
        println!("skipped: {n} schemas: {why}");
    }
    for (why, n) in &lenient {
        println!("accepted on purpose: {n} invalid instances that {why}");
    }
    println!(
        "conform: {} specs, {} schemas ({} skipped), {} valid instances ({} of them the specs' examples) and {} invalid ones ({} more not fed, their schema being degraded; {} accepted on purpose), {} failures",
        reports.len(),
        total[0],
        total[1],
        total[2],
        total[3],
        total[4],
        total[5],
        lenient.values().sum::<usize>(),
        total[6]
    );
}

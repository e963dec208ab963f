//! What `roundtrip.py` reports for one spec, and the table of all specs.

use std::collections::BTreeMap;

use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct SpecReport {
    /// Schemas with at least one instance.
    pub schemas: usize,
    /// Schemas left out, by reason.
    pub skipped: BTreeMap<String, usize>,
    /// Schemas whose drawing was cut short (`DRAW_SECONDS` of
    /// roundtrip.py); they keep what was drawn by then.
    #[serde(default)]
    pub slow: usize,
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
    /// Round-trip failures, then the server's (class `server: CHECK`).
    pub failures: Vec<Failure>,
    /// What schemathesis did against the mock, where the spec has
    /// operations and servers are checked.
    #[serde(skip)]
    pub server: Option<ServerReport>,
    /// What the client drive did against Prism, where the spec has
    /// operations and clients are checked.
    #[serde(skip)]
    pub client: Option<ClientReport>,
}

/// The client drive against one spec's Prism mock.
#[derive(Debug, Default)]
pub struct ClientReport {
    /// Operations of the drive (all, or a sample of 100).
    pub operations: usize,
    /// Calls made (operations not skipped).
    pub called: usize,
    /// Calls whose answer the client decoded.
    pub decoded: usize,
    /// Operations without a request the drive could build, by reason.
    pub skipped: BTreeMap<String, usize>,
    /// Request violations Prism reported.
    pub violations: usize,
    /// Answers the client could not decode that break the spec's schema
    /// (the mock's fault, judged by `answers.py`): `CALL: error`.
    pub outside_schema: Vec<String>,
    /// Calls Prism could not answer (its own 500): `CALL: error`.
    pub unanswered: Vec<String>,
    pub failures: Vec<Failure>,
}

/// Schemathesis against one spec's mock.
#[derive(Debug, Default)]
pub struct ServerReport {
    pub operations: usize,
    /// Test cases sent.
    pub cases: usize,
    /// Negative cases the server accepted that are valid on the wire (a
    /// scalar for an array in a form body or a parameter).
    pub same_on_the_wire: usize,
    /// Negative cases the server accepted in a body it reads looser than
    /// the spec says (degraded).
    pub looser: usize,
    /// Negative cases that only break a `format` the models treat as an
    /// annotation (`uri`).
    pub annotations: usize,
    /// Negative cases that only send a `readOnly` member in a request.
    pub read_only: usize,
    /// Negative cases that only leave out a `writeOnly` member `required`
    /// lists.
    pub write_only_left_out: usize,
    /// Event-stream answers schemathesis judged by another reading of the
    /// schema (see `servers::read_report`).
    pub events_not_judged: usize,
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
        "{:width$}  {:>7}  {:>7}  {:>7}  {:>8}  {:>8}  {:>7}  {:>10}  {:>6}  {:>5}  {:>8}",
        "spec",
        "schemas",
        "skipped",
        "valid",
        "examples",
        "invalid",
        "looser",
        "operations",
        "cases",
        "calls",
        "failures"
    );
    let mut total = [0usize; 10];
    let mut lenient = BTreeMap::<&str, usize>::new();
    let mut reasons = BTreeMap::<&str, usize>::new();
    for (name, r) in reports {
        let skipped: usize = r.skipped.values().sum();
        let (operations, cases) = r
            .server
            .as_ref()
            .map_or((0, 0), |s| (s.operations, s.cases));
        let calls = r.client.as_ref().map_or(0, |c| c.called);
        let row = [
            r.schemas,
            skipped,
            r.valid,
            r.spec_examples,
            r.invalid,
            r.discarded,
            operations,
            cases,
            calls,
            r.failures.len(),
        ];
        println!(
            "{name:width$}  {:>7}  {:>7}  {:>7}  {:>8}  {:>8}  {:>7}  {:>10}  {:>6}  {:>5}  {:>8}",
            row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8], row[9]
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
    let slow: usize = reports.iter().map(|(_, r)| r.slow).sum();
    if slow > 0 {
        println!("cut short: drawing {slow} schemas took over 20 s each; they keep the instances drawn by then");
    }
    for (why, n) in &lenient {
        println!("accepted on purpose: {n} invalid instances that {why}");
    }
    let mut classes = BTreeMap::<&str, usize>::new();
    for (_, r) in reports {
        for f in &r.failures {
            *classes.entry(f.class.as_str()).or_default() += 1;
        }
    }
    let servers: Vec<&ServerReport> = reports
        .iter()
        .filter_map(|(_, r)| r.server.as_ref())
        .collect();
    let same: usize = servers.iter().map(|s| s.same_on_the_wire).sum();
    if same > 0 {
        println!("accepted on purpose: {same} negative schemathesis cases that are valid on the wire (a scalar written where the form or parameter wants a string, or an array of items its text fits)");
    }
    let looser: usize = servers.iter().map(|s| s.looser).sum();
    if looser > 0 {
        println!("accepted on purpose: {looser} negative schemathesis cases in a request body the server reads looser than the spec says (degraded)");
    }
    let annotations: usize = servers.iter().map(|s| s.annotations).sum();
    if annotations > 0 {
        println!("accepted on purpose: {annotations} negative schemathesis cases that only break a `format` the models treat as an annotation (`uri`, `hostname`)");
    }
    let read_only: usize = servers.iter().map(|s| s.read_only).sum();
    if read_only > 0 {
        println!("accepted on purpose: {read_only} negative schemathesis cases that send a `readOnly` member in a request (one type serves requests and responses; the server ignores it)");
    }
    let left_out: usize = servers.iter().map(|s| s.write_only_left_out).sum();
    if left_out > 0 {
        println!("accepted on purpose: {left_out} negative schemathesis cases that leave out a `writeOnly` member `required` lists (one type serves requests and responses, so it is optional)");
    }
    let events: usize = servers.iter().map(|s| s.events_not_judged).sum();
    if events > 0 {
        println!("not judged: {events} event-stream answers (schemathesis reads a 3.0 event-stream schema as that of the event object, the generator as that of its data)");
    }
    let clients: Vec<&ClientReport> = reports
        .iter()
        .filter_map(|(_, r)| r.client.as_ref())
        .collect();
    let mut not_called = BTreeMap::<&str, usize>::new();
    for c in &clients {
        for (why, n) in &c.skipped {
            *not_called.entry(why).or_default() += n;
        }
    }
    for (why, n) in not_called {
        println!("not called: {n} operations: {why}");
    }
    let outside: usize = clients.iter().map(|c| c.outside_schema.len()).sum();
    if outside > 0 {
        println!("not judged: {outside} answers of Prism that break the spec's own schema (built from a wrong `example`, or a recursive schema cut short), which the client refused");
    }
    let unanswered: usize = clients.iter().map(|c| c.unanswered.len()).sum();
    if unanswered > 0 {
        println!("not judged: {unanswered} calls Prism could not answer (its own 500: an object as text, a media type it cannot write)");
    }
    for (class, n) in &classes {
        println!("failed: {n} × {class}");
    }
    println!(
        "conform: {} specs, {} schemas ({} skipped), {} valid instances ({} of them the specs' examples) and {} invalid ones ({} more not fed, their schema being degraded; {} accepted on purpose); {} mock servers, {} operations, {} schemathesis cases; {} clients against Prism, {} operations called, {} answers decoded, {} request violations; {} failures",
        reports.len(),
        total[0],
        total[1],
        total[2],
        total[3],
        total[4],
        total[5],
        lenient.values().sum::<usize>(),
        reports.iter().filter(|(_, r)| r.server.is_some()).count(),
        total[6],
        total[7],
        clients.len(),
        total[8],
        clients.iter().map(|c| c.decoded).sum::<usize>(),
        clients.iter().map(|c| c.violations).sum::<usize>(),
        total[9]
    );
}

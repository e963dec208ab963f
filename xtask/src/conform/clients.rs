//! The generated client against Prism: Prism (pinned, from npm) serves the
//! spec as a mock that validates every request; the spec's client drive
//! (`<prefix>-client-drive`, see `iom_codegen::emit::client_drive`) calls
//! up to 100 of its operations with requests built from examples. Prism
//! judges what the client sends (each `Violation: request` it logs is a
//! failure); the drive says whether the client decoded what came back.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::report::{ClientReport, Failure};
use super::Stopped;

/// How long Prism may take to read a spec and listen (the largest corpus
/// specs take tens of seconds).
const PRISM_START: Duration = Duration::from_secs(300);

pub struct Call<'a> {
    pub root: &'a Path,
    /// `python` of the conform venv, which judges answers.
    pub python: &'a Path,
    /// The `prism` command.
    pub prism: &'a Path,
    pub spec: &'a Path,
    /// The `<prefix>-client-drive` directory, where Prism's log is kept.
    pub dir: &'a Path,
    pub binary: &'a Path,
}

/// Installs Prism at the version `tests/conform/prism-version.txt` pins
/// into `target/ci-node` (shared with `.ci/prism`), unless it is there.
pub fn install(root: &Path) -> Result<PathBuf, String> {
    let pin = root.join("tests/conform/prism-version.txt");
    let version = std::fs::read_to_string(&pin)
        .map_err(|e| format!("error: cannot read {}: {e}", pin.display()))?;
    let version = version.trim();
    let dir = root.join("target/ci-node");
    let prism = dir.join("node_modules/.bin/prism");
    let stamp = dir.join("prism-version.txt");
    if prism.exists() && std::fs::read_to_string(&stamp).ok().as_deref() == Some(version) {
        return Ok(prism);
    }
    eprintln!("conform: installing Prism {version} into {}", dir.display());
    let status = Command::new("npm")
        .args(["install", "--silent", "--no-audit", "--no-fund", "--prefix"])
        .arg(&dir)
        .arg(format!("@stoplight/prism-cli@{version}"))
        .status()
        .map_err(|e| format!("error: cannot run npm (Node.js is needed for Prism): {e}"))?;
    if !status.success() || !prism.exists() {
        return Err(format!(
            "error: `npm install @stoplight/prism-cli@{version}` failed"
        ));
    }
    std::fs::write(&stamp, version).map_err(|e| format!("error: {e}"))?;
    Ok(prism)
}

pub fn call(c: &Call) -> Result<ClientReport, String> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| format!("error: no free port: {e}"))?
        .port();
    let log_path = c.dir.join("prism.log");
    let log = std::fs::File::create(&log_path).map_err(|e| format!("error: {e}"))?;
    let child = Command::new(c.prism)
        .args(["mock", "-h", "127.0.0.1", "-p", &port.to_string()])
        .arg(c.spec)
        .stdout(log.try_clone().map_err(|e| format!("error: {e}"))?)
        .stderr(log)
        .spawn()
        .map_err(|e| format!("error: cannot start {}: {e}", c.prism.display()))?;
    let mut mocking = Stopped(child);
    let started = Instant::now();
    loop {
        let text = std::fs::read_to_string(&log_path).unwrap_or_default();
        if text.contains("is listening on") {
            break;
        }
        let exited = mocking.0.try_wait().ok().flatten().is_some();
        if exited || started.elapsed() > PRISM_START {
            // Prism cannot mock every spec the generator reads: a failure
            // of its own, listed like the others.
            let mut report = ClientReport::default();
            report.failures.push(Failure {
                class: "client: prism did not start".into(),
                pointer: String::new(),
                instance: serde_json::Value::Null,
                answer: last_lines(&text, 5),
            });
            return Ok(report);
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let output = Command::new(c.binary)
        .arg(format!("http://127.0.0.1:{port}"))
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("error: cannot run {}: {e}", c.binary.display()))?;
    // Prism writes its log as it goes; a moment lets the last line land.
    std::thread::sleep(Duration::from_millis(300));
    drop(mocking);
    let mut log = String::new();
    let _ = std::fs::File::open(&log_path).and_then(|mut f| f.read_to_string(&mut log));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let _ = std::fs::write(c.dir.join("drive.ndjson"), stdout.as_bytes());
    if !output.status.success() {
        return Err(format!(
            "error: {} failed: {}",
            c.binary.display(),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let (mut report, undecoded) = read(&stdout, &log);
    judge_answers(c, &mut report, undecoded)?;
    // Kept for reading what was not judged.
    let mut not_judged: String = report
        .outside_schema
        .iter()
        .map(|l| format!("outside the schema: {l}\n"))
        .collect();
    not_judged.extend(
        report
            .unanswered
            .iter()
            .map(|l| format!("not answered: {l}\n")),
    );
    let _ = std::fs::write(c.dir.join("not-judged.txt"), not_judged);
    Ok(report)
}

/// Takes out of the failures the answers the client could not decode that
/// break the spec's schema (the mock's fault, counted apart), as
/// `tests/conform/answers.py` judges them. `undecoded`: the index of each
/// such failure and the drive's line.
fn judge_answers(
    c: &Call,
    report: &mut ClientReport,
    undecoded: Vec<(usize, serde_json::Value)>,
) -> Result<(), String> {
    if undecoded.is_empty() {
        return Ok(());
    }
    let input: String = undecoded
        .iter()
        .map(|(_, line)| format!("{line}\n"))
        .collect();
    let mut child = Command::new(c.python)
        .arg(c.root.join("tests/conform/answers.py"))
        .arg(c.spec)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("error: cannot run answers.py: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        use std::io::Write;
        stdin
            .write_all(input.as_bytes())
            .map_err(|e| format!("error: answers.py: {e}"))?;
    }
    let output = child
        .wait_with_output()
        .map_err(|e| format!("error: answers.py: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "error: answers.py failed on {}:\n{}",
            c.spec.display(),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let verdicts: Vec<serde_json::Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let mut outside = Vec::new();
    for ((index, _), verdict) in undecoded.iter().zip(&verdicts) {
        if verdict["verdict"] == "invalid" {
            outside.push(*index);
        }
    }
    // Highest index first, so that the others stay where they are.
    for index in outside.into_iter().rev() {
        let failure = report.failures.remove(index);
        report
            .outside_schema
            .push(format!("{}: {}", failure.pointer, failure.answer));
    }
    Ok(())
}

/// Prism's own errors that say it could not build an answer, not that the
/// request was wrong: they judge nothing of the client.
const PRISM_CANNOT_ANSWER: &[&str] = &[
    "prism/errors#NO_COMPLEX_OBJECT_TEXT",
    "Cannot find serializer",
];

/// The report of one drive: its lines, and the request violations of
/// Prism's log, each assigned to the call whose request it follows; and
/// the answers the client could not decode (the index of each failure and
/// the drive's line, with the body), for judging.
fn read(drive: &str, log: &str) -> (ClientReport, Vec<(usize, serde_json::Value)>) {
    let mut report = ClientReport::default();
    let mut undecoded = Vec::new();
    // The calls that reached Prism, in order: every call but those skipped
    // or refused before sending.
    let mut sent = Vec::new();
    for line in drive.lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let call = v["call"].as_str().unwrap_or("?").to_string();
        let outcome = v["outcome"].as_str().unwrap_or("?");
        report.operations += 1;
        match outcome {
            "skipped" => {
                let why = v["detail"].as_str().unwrap_or("?");
                *report.skipped.entry(skip_reason(why)).or_default() += 1;
                continue;
            }
            "ok" => report.decoded += 1,
            // A request Prism found invalid: its log says why, below.
            _ if detail(&v).contains("prism/errors#UNPROCESSABLE_ENTITY") => {}
            // As an undeclared status, or a declared one in another media type.
            _ if PRISM_CANNOT_ANSWER.iter().any(|e| detail(&v).contains(e)) => {
                report.unanswered.push(format!("{call}: {}", detail(&v)));
            }
            _ => {
                if outcome == "decode" && v["body"].is_string() {
                    undecoded.push((report.failures.len(), v.clone()));
                }
                report.failures.push(Failure {
                    class: format!("client: {outcome}"),
                    pointer: call.clone(),
                    instance: serde_json::Value::Null,
                    answer: detail(&v).to_string(),
                });
            }
        }
        report.called += 1;
        if !matches!(outcome, "refused" | "encode") {
            sent.push(call);
        }
    }
    let mut received = 0usize;
    let mut current = String::from("?");
    for line in log.lines() {
        if line.contains("Request received") {
            // `[HTTP SERVER] get /pets/1 ℹ  info      Request received`
            let actual = line
                .split("[HTTP SERVER]")
                .nth(1)
                .and_then(|rest| rest.split(" ℹ").next())
                .unwrap_or("?")
                .trim()
                .to_string();
            current = match sent.get(received) {
                Some(call) if same_method(call, &actual) => call.clone(),
                _ => actual,
            };
            received += 1;
        } else if let Some((_, violation)) = line.split_once("[VALIDATOR] ✖  error") {
            // `Violation: request.body …` where the spec declares an answer
            // to an invalid request, the message alone (and a 422) where not.
            let violation = violation.trim();
            let violation = violation.strip_prefix("Violation: ").unwrap_or(violation);
            if violation.starts_with("response") {
                continue;
            }
            report.violations += 1;
            report.failures.push(Failure {
                class: "client: request violation".into(),
                pointer: current.clone(),
                instance: serde_json::Value::Null,
                answer: violation.to_string(),
            });
        }
    }
    (report, undecoded)
}

fn detail(line: &serde_json::Value) -> &str {
    line["detail"].as_str().unwrap_or_default()
}

/// Whether the drive's `GET /pets/{id}` and Prism's `get /pets/1` are of
/// one method (the order of the requests does the rest).
fn same_method(call: &str, logged: &str) -> bool {
    let method = |s: &str| s.split(' ').next().unwrap_or_default().to_ascii_lowercase();
    method(call) == method(logged)
}

/// The reason of a skipped call without what names its part, so that
/// reasons count together.
fn skip_reason(why: &str) -> String {
    why.split_once(": ").map_or(why, |(_, r)| r).to_string()
}

fn last_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join(" | ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn violations_go_to_the_call_whose_request_they_follow() {
        let drive = [
            r#"{"operation":"a","call":"GET /pets/{id}","outcome":"ok","status":200}"#,
            r#"{"operation":"b","call":"POST /pets","outcome":"refused","detail":"x"}"#,
            r#"{"operation":"c","call":"PUT /pets/{id}","outcome":"decode","status":200,"detail":"bad"}"#,
            r#"{"operation":"d","call":"POST /upload","outcome":"skipped","detail":"body: no example is built for `multipart/form-data` bodies"}"#,
            r#"{"operation":"e","call":"GET /cert","outcome":"content-type","status":500,"detail":"status 500: expected a body of application/octet-stream, got application/problem+json; body: Cannot find serializer for application/octet-stream"}"#,
        ]
        .join("\n");
        let log = "\
[1] › [HTTP SERVER] get /pets/1 ℹ  info      Request received
[1] ›     [VALIDATOR] ✖  error     Violation: request.query Request query parameter limit must be integer
[1] › [HTTP SERVER] put /pets/1 ℹ  info      Request received
[1] ›     [VALIDATOR] ✖  error     Request body must have required property 'name'
";
        let (r, undecoded) = read(&drive, log);
        assert!(undecoded.is_empty(), "no body was kept");
        assert_eq!(
            (r.operations, r.called, r.decoded, r.violations),
            (5, 4, 1, 2)
        );
        assert_eq!(r.unanswered.len(), 1, "Prism's own 500 judges nothing");
        assert_eq!(r.skipped.values().sum::<usize>(), 1);
        let got: Vec<(&str, &str)> = r
            .failures
            .iter()
            .map(|f| (f.class.as_str(), f.pointer.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("client: refused", "POST /pets"),
                ("client: decode", "PUT /pets/{id}"),
                ("client: request violation", "GET /pets/{id}"),
                ("client: request violation", "PUT /pets/{id}"),
            ]
        );
        assert!(r.failures[2]
            .answer
            .starts_with("request.query Request query"));
        assert!(r.failures[3].answer.starts_with("Request body must"));
    }
}

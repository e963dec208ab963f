//! The servers judged by schemathesis: each spec's mock (the server crate's
//! `Mock`, served by its `<prefix>-mock-serve` harness) is driven with
//! positive and negative data. A 5xx, a response that breaks the declared
//! schema, or a malformed request that is not answered with a 4xx is a
//! failure.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;

use super::report::{Failure, ServerReport};
use super::Stopped;

/// The checks: no 5xx, answers as the spec declares them, malformed
/// requests refused.
const CHECKS: &str = "not_a_server_error,response_schema_conformance,negative_data_rejection";

/// How one spec's mock is driven.
pub struct Drive<'a> {
    pub root: &'a Path,
    /// `st` of the schemathesis venv.
    pub st: &'a Path,
    pub spec: &'a Path,
    /// The `<prefix>-mock-serve` directory (its `serve.json`).
    pub dir: &'a Path,
    pub binary: &'a Path,
    /// Pointers of the places generated looser than the spec says.
    pub degraded: &'a [String],
    /// Examples per operation.
    pub cases: usize,
    pub seed: u64,
}

pub fn drive(d: &Drive) -> Result<ServerReport, String> {
    let mut child = Command::new(d.binary)
        .arg("0")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("error: cannot start {}: {e}", d.binary.display()))?;
    let stdout = child.stdout.take();
    let serving = Stopped(child);
    let mut line = String::new();
    if let Some(stdout) = stdout {
        let _ = BufReader::new(stdout).read_line(&mut line);
    }
    let Some(address) = line.trim().strip_prefix("serving on ") else {
        return Err(format!(
            "error: {} did not start (it said {line:?})",
            d.binary.display()
        ));
    };
    let report_dir = d.dir.join("schemathesis");
    let _ = std::fs::remove_dir_all(&report_dir);
    let mut command = Command::new(d.st);
    command
        .arg("--config-file")
        .arg(config(d)?)
        .arg("run")
        .arg(d.spec)
        .args(["--url", &format!("http://{address}")])
        .args(["-c", CHECKS])
        .args(["--phases", "examples,coverage,fuzzing"])
        .args(["-n", &d.cases.to_string()])
        .args(["--seed", &d.seed.to_string()])
        .args(["--workers", "1", "--continue-on-failure"])
        .args(["--generation-database=none", "--no-color"])
        .args(["--report", "ndjson", "--report-dir"])
        .arg(&report_dir);
    let output = command
        .output()
        .map_err(|e| format!("error: cannot run {}: {e}", d.st.display()))?;
    drop(serving);
    let _ = std::fs::write(d.dir.join("schemathesis.log"), &output.stdout);
    let report = std::fs::read_dir(&report_dir)
        .ok()
        .and_then(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .find(|p| p.extension().is_some_and(|x| x == "ndjson"))
        })
        .ok_or_else(|| {
            format!(
                "error: schemathesis wrote no report for {}:\n{}{}",
                d.spec.display(),
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            )
        })?;
    let text = std::fs::read_to_string(&report).map_err(|e| format!("error: {e}"))?;
    let document = iom_codegen::load::load_file(d.spec)
        .map(|loaded| loaded.raw)
        .unwrap_or_default();
    Ok(read_report(&text, &document, d.degraded))
}

/// `schemathesis.toml` of one mock: `tests/conform/schemathesis.toml` and
/// the credentials of `serve.json` as `[auth.openapi.SCHEME]` tables, so
/// that schemathesis sends each scheme's secret where the scheme says.
fn config(d: &Drive) -> Result<std::path::PathBuf, String> {
    let base = d.root.join("tests/conform/schemathesis.toml");
    let mut text = std::fs::read_to_string(&base)
        .map_err(|e| format!("error: cannot read {}: {e}", base.display()))?;
    let path = d.dir.join("serve.json");
    let serve = std::fs::read_to_string(&path)
        .map_err(|e| format!("error: cannot read {}: {e}", path.display()))?;
    let serve: Value =
        serde_json::from_str(&serve).map_err(|e| format!("error: {}: {e}", path.display()))?;
    for (scheme, credentials) in serve["auth"].as_object().into_iter().flatten() {
        // A JSON string is a TOML basic string.
        text.push_str(&format!(
            "\n[auth.openapi.{}]\n",
            Value::from(scheme.as_str())
        ));
        for (key, value) in credentials.as_object().into_iter().flatten() {
            text.push_str(&format!("{key} = {value}\n"));
        }
    }
    let out = d.dir.join("schemathesis.toml");
    std::fs::write(&out, text).map_err(|e| format!("error: {e}"))?;
    Ok(out)
}

/// Operations, test cases and failed checks of schemathesis's NDJSON
/// report (one `ScenarioFinished` event per operation and phase).
/// `document` (the spec as loaded) tells the negative cases that are not
/// negative on the wire; `degraded` the bodies the server reads looser on
/// purpose.
fn read_report(text: &str, document: &Value, degraded: &[String]) -> ServerReport {
    let mut report = ServerReport::default();
    let mut operations = std::collections::BTreeSet::new();
    for line in text.lines() {
        let Ok(event) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let Some(recorder) = event.pointer("/ScenarioFinished/recorder") else {
            continue;
        };
        let label = recorder["label"].as_str().unwrap_or("?").to_string();
        operations.insert(label.clone());
        report.cases += recorder["cases"].as_object().map_or(0, |c| c.len());
        let Some(checks) = recorder["checks"].as_object() else {
            continue;
        };
        for (case, results) in checks {
            for check in results.as_array().into_iter().flatten() {
                if check["status"] != "failure" {
                    continue;
                }
                let name = check["name"].as_str().unwrap_or("?");
                let case = &recorder["cases"][case.as_str()]["value"];
                if name == "negative_data_rejection" {
                    // Where the case breaks its schema, found once for the
                    // rules below.
                    let broken = broken(document, case);
                    let counter = match &broken {
                        _ if write_only_left_out(document, case) => {
                            Some(&mut report.write_only_left_out)
                        }
                        Some(b) if same_on_the_wire(document, case, b) => {
                            Some(&mut report.same_on_the_wire)
                        }
                        _ if looser_body(degraded, case) => Some(&mut report.looser),
                        Some(b) if annotation_format(b) => Some(&mut report.annotations),
                        Some(b) if read_only_sent(b) => Some(&mut report.read_only),
                        _ => None,
                    };
                    if let Some(counter) = counter {
                        *counter += 1;
                        continue;
                    }
                }
                // Schemathesis reads a 3.0 `text/event-stream` schema as
                // the schema of each event object (`data`, `event`, `id`),
                // as OpenAPI 3.2's `itemSchema` says; the generator, as
                // the specs that use it mean, as that of each event's data.
                if check["failure_info"]["failure"]["title"] == "SSE event violates schema" {
                    report.events_not_judged += 1;
                    continue;
                }
                report.failures.push(Failure {
                    class: format!("server: {name}"),
                    pointer: label.clone(),
                    instance: case.clone(),
                    answer: check["failure_info"].to_string(),
                });
            }
        }
    }
    report.operations = operations.len();
    report
}

/// Where a negative case breaks its schema: the subschema holding the
/// keyword, the keyword (`type`, `format`, `not`) and the value sent there
/// (`Null` where it cannot be found).
struct Broken<'c> {
    schema: Value,
    keyword: String,
    value: &'c Value,
    /// In a form body or a parameter, where every value travels as text.
    text: bool,
}

fn broken<'c>(document: &Value, case: &'c Value) -> Option<Broken<'c>> {
    let data = &case["meta"]["phase"]["data"];
    let method = case["method"].as_str()?;
    let path = case["path"].as_str()?;
    let location = data["location"].as_str()?;
    // Fuzzed cases name the keyword in their mutations, not the location.
    let (location, keyword) = match location.rsplit_once('/') {
        Some((at, k @ ("type" | "format" | "not"))) => (at, k.to_string()),
        _ => (
            location,
            data["mutations"][0]["keywords"][0]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        ),
    };
    let operation = resolve(
        document,
        &document["paths"][path][method.to_ascii_lowercase()],
    );
    static NULL: Value = Value::Null;
    let (schema, location, value, text) = match data["parameter_location"].as_str()? {
        "body" => {
            let media = case["media_type"].as_str()?;
            let content = &resolve(document, &operation["requestBody"])["content"];
            let schema = resolve(document, &content[media]["schema"]);
            // `/properties/shipping/properties/line`: body.shipping.line
            let mut value = &case["body"];
            for name in location.split("/properties/").filter(|s| !s.is_empty()) {
                value = &value[name.replace("~1", "/").replace("~0", "~")];
            }
            (
                schema,
                location,
                value,
                media == "application/x-www-form-urlencoded",
            )
        }
        place @ ("query" | "header" | "cookie" | "path") => {
            let name = &data["parameter"];
            let declared = [
                &operation["parameters"],
                &document["paths"][path]["parameters"],
            ];
            let parameter = declared
                .into_iter()
                .flat_map(|list| list.as_array().into_iter().flatten())
                .map(|p| resolve(document, p))
                .find(|p| p["in"] == place && &p["name"] == name)?;
            // Fuzzed parameters are located in an object of all of them.
            let key = name.as_str().unwrap_or_default();
            let own = format!("/properties/{key}");
            let container = match place {
                "query" => "query",
                "header" => "headers",
                "cookie" => "cookies",
                _ => "path_parameters",
            };
            let raw = &case["meta"]["raw_containers"][place][key];
            let value = if raw.is_null() {
                &case[container][key]
            } else {
                raw
            };
            let schema = resolve(document, &parameter["schema"]);
            (
                schema,
                location.strip_prefix(own.as_str()).unwrap_or(location),
                value,
                true,
            )
        }
        _ => return None,
    };
    let mut at = schema;
    let mut steps = location.split('/').filter(|s| !s.is_empty()).peekable();
    while let Some(step) = steps.next() {
        // Schemathesis wraps a discriminated variant in `allOf: [variant,
        // {tag}]` before it draws; the spec has the variant alone.
        if step == "allOf" && at.get("allOf").is_none() && steps.peek() == Some(&"0") {
            steps.next();
            continue;
        }
        let step = step.replace("~1", "/").replace("~0", "~");
        let next = match &at {
            Value::Object(map) => map.get(&step).cloned(),
            Value::Array(items) => step
                .parse::<usize>()
                .ok()
                .and_then(|i| items.get(i).cloned()),
            _ => None,
        }?;
        at = resolve(document, &next);
    }
    Some(Broken {
        schema: at,
        keyword,
        value: if value.is_null() { &NULL } else { value },
        text,
    })
}

/// Whether a negative case of schemathesis is valid on the wire: a scalar
/// where the schema wants a string, or an array of items its text fits, in
/// a form body or a parameter, is written as text that a valid value also
/// gives (`tags=AAA` is a one-item array of strings, `codes=0` one of
/// integers; `labels=true` a string).
fn same_on_the_wire(document: &Value, case: &Value, b: &Broken) -> bool {
    if b.keyword != "type" || !b.text {
        return false;
    }
    let text = match b.value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".to_string(),
        Value::Array(_) | Value::Object(_) => return false,
    };
    // A path parameter as sent: `.1` (label), `;name=1` (matrix).
    let name = case["meta"]["phase"]["data"]["parameter"]
        .as_str()
        .unwrap_or_default();
    let matrix = format!(";{name}=");
    let text = text
        .strip_prefix(matrix.as_str())
        .or_else(|| text.strip_prefix('.'))
        .unwrap_or(&text);
    match b.schema["type"].as_str() {
        Some("string") => true,
        Some("array") => text_fits(text, &resolve(document, &b.schema["items"])),
        _ => false,
    }
}

/// The formats `validate()` checks; the others are annotations, as JSON
/// Schema has them by default.
const CHECKED_FORMATS: &[&str] = &[
    "date",
    "date-time",
    "uuid",
    "email",
    "ipv4",
    "ipv6",
    "byte",
    "int32",
    "int64",
    "float",
];

/// Whether a negative case breaks only a `format` the models treat as an
/// annotation (`uri`, `hostname`).
fn annotation_format(b: &Broken) -> bool {
    b.keyword == "format"
        && b.schema["format"]
            .as_str()
            .is_some_and(|f| !CHECKED_FORMATS.contains(&f))
}

/// Whether a negative case only sends a `readOnly` member in a request
/// (schemathesis forbids it there with `not`): the models share one type
/// between requests and responses, so a server reads and ignores it.
fn read_only_sent(b: &Broken) -> bool {
    b.keyword == "not" && b.schema["readOnly"] == true
}

/// Whether a negative case only leaves out a `writeOnly` property that
/// `required` lists: one type serves requests and responses, so the models
/// read such a property as optional (README, the models' table).
fn write_only_left_out(document: &Value, case: &Value) -> bool {
    let data = &case["meta"]["phase"]["data"];
    if data["scenario"] != "object_missing_required_property" {
        return false;
    }
    let name = data["description"]
        .as_str()
        .and_then(|d| d.strip_prefix("Missing required property: "));
    let object = data["location"]
        .as_str()
        .and_then(|l| l.strip_suffix("/required"));
    let (Some(name), Some(object)) = (name, object) else {
        return false;
    };
    // The property's own schema, where `broken` finds it.
    let mut property = case.clone();
    let escaped = name.replace('~', "~0").replace('/', "~1");
    property["meta"]["phase"]["data"]["location"] =
        Value::String(format!("{object}/properties/{escaped}"));
    broken(document, &property).is_some_and(|b| b.schema["writeOnly"] == true)
}

/// Whether `text` reads as a value of `schema`'s type, as a form or a
/// parameter carries it.
fn text_fits(text: &str, schema: &Value) -> bool {
    match schema["type"].as_str() {
        None | Some("string") => true,
        Some("integer") => text.parse::<i64>().is_ok(),
        Some("number") => text.parse::<f64>().is_ok_and(f64::is_finite),
        Some("boolean") => text == "true" || text == "false",
        _ => false,
    }
}

/// Whether the case is negative only in its request body, which the
/// generated server reads looser than the spec says (a degraded place,
/// such as a multipart body no schema describes, kept as raw bytes).
fn looser_body(degraded: &[String], case: &Value) -> bool {
    let data = &case["meta"]["phase"]["data"];
    let (Some(method), Some(path)) = (case["method"].as_str(), case["path"].as_str()) else {
        return false;
    };
    if data["parameter_location"] != "body" {
        return false;
    }
    let escaped = path.replace('~', "~0").replace('/', "~1");
    let body = format!(
        "#/paths/{escaped}/{}/requestBody",
        method.to_ascii_lowercase()
    );
    degraded.iter().any(|p| p.starts_with(&body))
}

/// `value`, or what its local `$ref` names (followed a few times).
fn resolve(document: &Value, value: &Value) -> Value {
    let mut at = value.clone();
    for _ in 0..8 {
        let Some(target) = at["$ref"].as_str().and_then(|r| r.strip_prefix('#')) else {
            break;
        };
        match document.pointer(target) {
            Some(next) => at = next.clone(),
            None => break,
        }
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on_the_wire(document: &Value, case: &Value) -> bool {
        broken(document, case).is_some_and(|b| same_on_the_wire(document, case, &b))
    }

    #[test]
    fn failed_checks_become_failures_of_their_operation() {
        let text = r#"{"Initialize":{}}
{"ScenarioFinished":{"recorder":{"label":"GET /a","cases":{"c1":{},"c2":{}},"checks":{"c1":[{"name":"not_a_server_error","status":"success"}],"c2":[{"name":"not_a_server_error","status":"failure","failure_info":{"code":500}}]}}}}
{"ScenarioFinished":{"recorder":{"label":"GET /a","cases":{"c3":{}},"checks":{}}}}
{"ScenarioFinished":{"recorder":{"label":"POST /b","cases":{},"checks":{}}}}"#;
        let report = read_report(text, &Value::Null, &[]);
        assert_eq!(report.operations, 2);
        assert_eq!(report.cases, 3);
        assert_eq!(report.failures.len(), 1);
        assert_eq!(report.failures[0].class, "server: not_a_server_error");
        assert_eq!(report.failures[0].pointer, "GET /a");
    }

    #[test]
    fn a_scalar_for_a_form_array_is_no_negative_case_but_one_for_an_integer_is() {
        let document = serde_json::json!({
            "paths": {"/charges": {"post": {"requestBody": {"content": {
                "application/x-www-form-urlencoded": {"schema": {"$ref": "#/components/schemas/Charge"}}
            }}}}},
            "components": {"schemas": {"Charge": {"properties": {
                "tags": {"type": "array", "items": {"type": "string"}},
                "codes": {"type": "array", "items": {"type": "integer"}},
                "amount": {"type": "integer"}
            }}}}
        });
        let case = |location: &str, media: &str| {
            serde_json::json!({
                "method": "POST", "path": "/charges", "media_type": media,
                "body": {"tags": "AAA", "codes": "AAA", "amount": "AAA"},
                "meta": {"phase": {"data": {"scenario": "incorrect_type", "location": location,
                    "parameter_location": "body"}}}
            })
        };
        let form = "application/x-www-form-urlencoded";
        assert!(on_the_wire(&document, &case("/properties/tags/type", form)));
        assert!(!on_the_wire(
            &document,
            &case("/properties/amount/type", form)
        ));
        assert!(!on_the_wire(
            &document,
            &case("/properties/codes/type", form)
        ));
        let mut zero = case("/properties/codes/type", form);
        zero["body"]["codes"] = serde_json::json!(0);
        assert!(
            on_the_wire(&document, &zero),
            "`codes=0` is a one-item array"
        );
        assert!(!on_the_wire(
            &document,
            &case("/properties/tags/type", "application/json")
        ));
    }

    #[test]
    fn only_a_left_out_write_only_member_is_accepted_on_purpose() {
        let document = serde_json::json!({
            "paths": {"/signup": {"post": {"requestBody": {"content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/User"}}
            }}}}},
            "components": {"schemas": {"User": {"required": ["email", "password"], "properties": {
                "email": {"type": "string"},
                "password": {"type": "string", "writeOnly": true}
            }}}}
        });
        let missing = |name: &str| {
            serde_json::json!({
                "method": "POST", "path": "/signup", "media_type": "application/json",
                "body": {},
                "meta": {"phase": {"data": {"scenario": "object_missing_required_property",
                    "description": format!("Missing required property: {name}"),
                    "location": "/required", "parameter_location": "body"}}}
            })
        };
        assert!(write_only_left_out(&document, &missing("password")));
        assert!(!write_only_left_out(&document, &missing("email")));
    }
}

//! `tests/corpus/unsupported.txt`: how many errors of each class of
//! unsupported construct every refused spec gives; `degraded.txt`: how many
//! places of each class every generated spec degrades (generates looser
//! than the spec says, with a warning).

use std::collections::BTreeMap;
use std::path::Path;

use iom_codegen::diagnostics::Unsupported;

/// `(spec name, class)` → number of errors.
pub type Counts = BTreeMap<(String, Unsupported), usize>;

/// Reads the `FILE CLASS COUNT` lines; `schema` is a class only where
/// `schema_allowed` (a schema construct degrades, it is never refused).
pub fn read(path: &Path, schema_allowed: bool) -> Result<Counts, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("error: cannot read {}: {e}", path.display()))?;
    let mut counts = Counts::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let at = || format!("{}:{}", path.display(), n + 1);
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [file, class, count] = fields[..] else {
            return Err(format!("error: {}: expected `FILE CLASS COUNT`", at()));
        };
        let class = Unsupported::from_name(class).ok_or_else(|| {
            let names: Vec<_> = Unsupported::ALL.iter().map(|u| u.name()).collect();
            format!(
                "error: {}: unknown class `{class}` (one of {})",
                at(),
                names.join(", ")
            )
        })?;
        if class == Unsupported::Schema && !schema_allowed {
            return Err(format!(
                "error: {}: schema refusals may not be listed: every schema construct generates, degraded where it must be (degraded.txt)",
                at()
            ));
        }
        let count = count
            .parse()
            .map_err(|_| format!("error: {}: `{count}` is not a count", at()))?;
        if counts.insert((file.to_string(), class), count).is_some() {
            return Err(format!("error: {}: `{file} {class}` listed twice", at()));
        }
    }
    Ok(counts)
}

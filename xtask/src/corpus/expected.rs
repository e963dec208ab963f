//! `tests/corpus/unsupported.txt`: how many errors of each class of
//! unsupported construct every refused spec gives.

use std::collections::BTreeMap;
use std::path::Path;

use iom_codegen::diagnostics::Unsupported;

/// `(spec name, class)` → number of errors.
pub type Counts = BTreeMap<(String, Unsupported), usize>;

/// Reads the `FILE CLASS COUNT` lines.
pub fn read(path: &Path) -> Result<Counts, String> {
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
        if class == Unsupported::Schema {
            return Err(format!(
                "error: {}: schema refusals may not be listed: every schema construct of the corpus must generate",
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

//! The report as text (terminals), Markdown (pull requests) or JSON
//! (tools).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::rules::Level;
use super::rust::{Bump, CrateImpact, RustImpact};
use super::{Change, SpecDiff};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Json,
}

impl std::str::FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "text" => Ok(Format::Text),
            "markdown" | "md" => Ok(Format::Markdown),
            "json" => Ok(Format::Json),
            other => Err(format!(
                "unknown format `{other}` (expected text, markdown or json)"
            )),
        }
    }
}

pub fn render(diff: &SpecDiff, format: Format) -> String {
    match format {
        Format::Text => text(diff),
        Format::Markdown => markdown(diff),
        // A report of plain data always serializes.
        Format::Json => serde_json::to_string_pretty(diff).unwrap_or_default() + "\n",
    }
}

/// Several reports (one per spec): JSON as one array, the others one
/// after another.
pub fn render_many(diffs: &[SpecDiff], format: Format) -> String {
    match format {
        Format::Json => serde_json::to_string_pretty(diffs).unwrap_or_default() + "\n",
        _ => diffs
            .iter()
            .map(|d| render(d, format))
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

/// Changes grouped by subject, subjects in order.
fn grouped(changes: &[Change]) -> BTreeMap<&str, Vec<&Change>> {
    let mut groups: BTreeMap<&str, Vec<&Change>> = BTreeMap::new();
    for c in changes {
        groups.entry(c.subject.as_str()).or_default().push(c);
    }
    groups
}

fn count(changes: &[Change], side: impl Fn(&Change) -> Level, level: Level) -> usize {
    changes.iter().filter(|c| side(c) == level).count()
}

const LEVELS: [Level; 3] = [Level::Breaking, Level::PossiblyBreaking, Level::Compatible];

fn crates_changed(rust: &Option<RustImpact>) -> Vec<&CrateImpact> {
    rust.iter()
        .flat_map(|r| &r.crates)
        .filter(|c| !c.changes.is_empty())
        .collect()
}

fn crate_name(diff: &SpecDiff, c: &CrateImpact) -> String {
    format!("{}-{}", diff.crate_prefix.as_deref().unwrap_or(""), c.kind)
}

fn versions(c: &CrateImpact) -> String {
    let verdict = if c.understated() && c.version_bump == Bump::None {
        " — **unchanged: understates the change**".to_string()
    } else if c.understated() {
        format!(
            " — **{} only: understates the change**",
            c.version_bump.label()
        )
    } else {
        format!(" ({})", c.version_bump.label())
    };
    format!("{} → {}{verdict}", c.old_version, c.new_version)
}

fn where_(c: &Change) -> String {
    if c.at.is_empty() {
        c.detail.clone()
    } else {
        format!("{}: {}", c.at, c.detail)
    }
}

fn markdown(diff: &SpecDiff) -> String {
    let mut out = format!(
        "## API changes: `{}` → `{}`\n\n",
        diff.old_name, diff.new_name
    );
    let crates = crates_changed(&diff.rust);
    if diff.changes.is_empty() && crates.is_empty() {
        let note = rust_error(diff)
            .map(|e| format!("\n\n{e}"))
            .unwrap_or_default();
        return out + "No changes to the API or to the generated crates." + &note + "\n";
    }
    out.push_str("| for | breaking | possibly breaking | compatible |\n|---|---|---|---|\n");
    for (who, side) in [
        ("clients", side_client as fn(&Change) -> Level),
        ("server implementors", side_server),
    ] {
        let n: Vec<String> = LEVELS
            .iter()
            .map(|l| count(&diff.changes, side, *l).to_string())
            .collect();
        let _ = writeln!(out, "| {who} | {} |", n.join(" | "));
    }
    out.push('\n');
    if !crates.is_empty() {
        out.push_str("| generated crate | items changed | bump needed | versions from the spec |\n|---|---|---|---|\n");
        for c in &crates {
            let _ = writeln!(
                out,
                "| `{}` | {} | **{}** | {} |",
                crate_name(diff, c),
                c.changes.len(),
                c.bump.label(),
                versions(c)
            );
        }
        out.push('\n');
    }
    if let Some(e) = rust_error(diff) {
        let _ = writeln!(out, "{e}\n");
    }
    if !diff.changes.is_empty() {
        out.push_str("### Changes on the wire\n\n");
        for (subject, changes) in grouped(&diff.changes) {
            let _ = writeln!(out, "#### `{subject}`\n");
            out.push_str("| change | clients | servers | rule |\n|---|---|---|---|\n");
            for c in changes {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | `{}` |",
                    cell(&where_(c)),
                    mark(c.client),
                    mark(c.server),
                    c.rule.id()
                );
            }
            out.push('\n');
        }
    }
    if !crates.is_empty() {
        out.push_str("### Generated crates\n\n");
        for c in crates {
            let _ = writeln!(out, "#### `{}`: {}\n", crate_name(diff, c), c.bump.label());
            for item in &c.changes {
                let _ = writeln!(
                    out,
                    "- `{}`: {} ({})",
                    item.item,
                    item.detail,
                    item.bump.label()
                );
            }
            out.push('\n');
        }
    }
    out
}

fn side_client(c: &Change) -> Level {
    c.client
}

fn side_server(c: &Change) -> Level {
    c.server
}

fn mark(level: Level) -> &'static str {
    match level {
        Level::Breaking => "**breaking**",
        Level::PossiblyBreaking => "possibly breaking",
        Level::Compatible => "compatible",
    }
}

/// Text safe inside a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn rust_error(diff: &SpecDiff) -> Option<String> {
    diff.rust_error
        .as_ref()
        .map(|e| format!("The effect on the generated crates is unknown: {e}"))
}

fn text(diff: &SpecDiff) -> String {
    let mut out = format!("{} → {}\n", diff.old_name, diff.new_name);
    let crates = crates_changed(&diff.rust);
    if diff.changes.is_empty() && crates.is_empty() {
        out.push_str("no changes\n");
    }
    for (subject, changes) in grouped(&diff.changes) {
        let _ = writeln!(out, "{subject}");
        for c in changes {
            let _ = writeln!(
                out,
                "  {} (clients: {}, servers: {}) [{}]",
                where_(c),
                c.client.label(),
                c.server.label(),
                c.rule.id()
            );
        }
    }
    for c in crates {
        let _ = writeln!(
            out,
            "crate {}: {} needed; versions {}",
            crate_name(diff, c),
            c.bump.label(),
            versions(c).replace("**", "")
        );
        for item in &c.changes {
            let _ = writeln!(
                out,
                "  {}: {} ({})",
                item.item,
                item.detail,
                item.bump.label()
            );
        }
    }
    if let Some(e) = rust_error(diff) {
        let _ = writeln!(out, "{e}");
    }
    out
}

//! The codegen config (`specs/codegen.yaml`): which specs to generate and
//! under which crate name prefix. Adding a spec is a config change.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostics::{Diagnostic, Diagnostics};

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Output directory, relative to the config file's directory.
    pub output: PathBuf,
    pub specs: Vec<SpecEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpecEntry {
    /// Spec file, relative to the config file's directory.
    pub file: PathBuf,
    /// Crate name prefix: crates are `<prefix>-models`, `-server`, `-client`.
    pub crate_prefix: String,
    /// The crates' version, when `info.version` is not one (`v1`, a date).
    #[serde(default)]
    pub crate_version: Option<String>,
    /// How operations page, by `operationId`, where the detection
    /// (`ir::paging`) guesses wrong or not at all.
    #[serde(default)]
    pub pagination: BTreeMap<String, PagingRule>,
    /// `$ref`s to URLs, read from local copies: each URL prefix maps to a
    /// directory relative to the config file's directory
    /// (`https://example.com/schemas/: vendor/schemas`). There is no
    /// network during generation.
    #[serde(default)]
    pub url_map: BTreeMap<String, PathBuf>,
    /// Refuse the spec where a construct would be generated looser than it
    /// says (a degraded place is then an error, not a warning).
    #[serde(default)]
    pub strict: bool,
    /// Add `mock.rs` to the server crate: `Mock`, an implementation of the
    /// trait that answers every operation with an example of a declared
    /// response (`router(Mock)` is a typed mock of the API).
    #[serde(default)]
    pub mock: bool,
}

/// How one operation pages, as `specs/codegen.yaml` states it:
/// `getOrders: { style: offset, param: skip, items: results }`, or
/// `{ style: none }` for no stream.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PagingRule {
    pub style: PagingStyle,
    /// The query parameter that moves (its name on the wire): the offset,
    /// the page number or the cursor. By default the detected one.
    #[serde(default)]
    pub param: Option<String>,
    /// The property of the success body that holds the items, when the
    /// body is an object. By default its only array property.
    #[serde(default)]
    pub items: Option<String>,
    /// `cursor` only: the property of the success body with the next
    /// page's cursor.
    #[serde(default)]
    pub next: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PagingStyle {
    /// The offset advances by the number of items received.
    Offset,
    /// The page number advances by one.
    Page,
    /// The next page's cursor comes from the body.
    Cursor,
    /// No stream.
    None,
}

impl Config {
    pub fn load(path: &Path) -> Result<Config, Diagnostics> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Diagnostic::error(path, "#", format!("cannot read the codegen config: {e}"))
        })?;
        Config::parse(path, &text)
    }

    /// A config from text; `path` names it in messages.
    pub fn parse(path: &Path, text: &str) -> Result<Config, Diagnostics> {
        let config: Config = serde_yaml::from_str(text).map_err(|e| {
            Diagnostic::error(path, "#", format!("invalid codegen config: {e}"))
                .at(e.location().map(|l| (l.line(), l.column())))
        })?;
        let mut errors = Vec::new();
        for (i, s) in config.specs.iter().enumerate() {
            if !valid_prefix(&s.crate_prefix) {
                errors.push(Diagnostic::error(
                    path,
                    format!("#/specs/{i}/crate_prefix"),
                    format!("`{}` is not a valid crate name prefix (lowercase letters, digits and `-`, starting with a letter)", s.crate_prefix),
                ));
            }
            if let Some(v) = s
                .crate_version
                .as_deref()
                .filter(|v| !crate::version::is_valid(v))
            {
                errors.push(Diagnostic::error(
                    path,
                    format!("#/specs/{i}/crate_version"),
                    format!("`{v}` is not a semver version"),
                ));
            }
            if config.specs[..i]
                .iter()
                .any(|o| o.crate_prefix == s.crate_prefix)
            {
                errors.push(Diagnostic::error(
                    path,
                    format!("#/specs/{i}/crate_prefix"),
                    format!("crate prefix `{}` is used twice", s.crate_prefix),
                ));
            }
        }
        if errors.is_empty() {
            Ok(config)
        } else {
            Err(Diagnostics(errors))
        }
    }
}

pub fn valid_prefix(prefix: &str) -> bool {
    prefix.starts_with(|c: char| c.is_ascii_lowercase())
        && prefix
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !prefix.ends_with('-')
}

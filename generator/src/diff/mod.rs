//! Semantic diff of two versions of a spec, for review: what changed on the
//! wire, whom it breaks, and what it does to the generated crates.
//!
//! Both documents are compared after loading (so after the repairs of
//! [`crate::load`]), as trees: formatting, quoting, key order and `$ref`
//! indirection leave no trace. Descriptions, summaries, examples and tags
//! are not compared; they change docs, not contracts.
//!
//! Three layers:
//! - the wire: operations, parameters, bodies, responses, headers,
//!   security and servers, with schemas compared down to each keyword;
//! - [`rules`]: each change classified for clients and for server
//!   implementors (documented in `generator/SPEC-DIFF.md`);
//! - [`rust`]: the public items of the generated crates that change, and
//!   the semver bump each crate needs.

mod json;
mod operations;
mod render;
pub mod rules;
pub mod rust;
mod schema;
mod usage;
pub(crate) mod wire;

use serde::Serialize;

use crate::load::LoadedSpec;
pub use render::{render, render_many, Format};
pub use rules::{Level, Rule};

/// One semantic change between the old and the new spec.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// What changed, for grouping: `GET /shops/{shopName}` or
    /// `schema ContactPerson`.
    pub subject: String,
    /// Where inside the subject (`contactPersons[].lastName`), or empty.
    pub at: String,
    /// JSON pointer into the new spec (for a removal, of the place it was
    /// removed from; for a removed operation, into the old spec).
    pub pointer: String,
    pub rule: Rule,
    /// The change in words, with the old and new values.
    pub detail: String,
    /// For an existing client talking to a server of the new spec.
    pub client: Level,
    /// For an existing server implementation facing the new spec's clients.
    pub server: Level,
}

/// The whole comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpecDiff {
    /// How the two specs are named in the report.
    pub old_name: String,
    pub new_name: String,
    pub old_version: String,
    pub new_version: String,
    /// The crate name prefix (`iom-rma`), when known; crates are then named
    /// in full in the report.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crate_prefix: Option<String>,
    pub changes: Vec<Change>,
    /// The effect on the generated crates; absent when either spec cannot
    /// be generated (`rust_error` says why; the wire diff is complete).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rust: Option<rust::RustImpact>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rust_error: Option<String>,
}

impl SpecDiff {
    /// The worst level of any change, for either side, and of the crates
    /// (a crate needing a major bump counts as breaking).
    pub fn worst(&self) -> Level {
        let wire = self
            .changes
            .iter()
            .map(|c| c.client.max(c.server))
            .max()
            .unwrap_or(Level::Compatible);
        let crates = match &self.rust {
            Some(r) if r.crates.iter().any(|c| c.bump == rust::Bump::Major) => Level::Breaking,
            _ => Level::Compatible,
        };
        wire.max(crates)
    }
}

/// Compares two loaded specs; `old_name` and `new_name` label them.
pub fn diff(old: &LoadedSpec, new: &LoadedSpec, old_name: &str, new_name: &str) -> SpecDiff {
    let mut changes = wire::compare(&old.raw, &new.raw);
    changes.sort_by(|a, b| {
        (&a.subject, &a.at, &a.pointer, a.rule).cmp(&(&b.subject, &b.at, &b.pointer, b.rule))
    });
    changes.dedup();
    let (rust, rust_error) = match rust::impact(old, new) {
        Ok(r) => (Some(r), None),
        Err(e) => (None, Some(e)),
    };
    SpecDiff {
        old_name: old_name.to_string(),
        new_name: new_name.to_string(),
        old_version: old.openapi.info.version.clone(),
        new_version: new.openapi.info.version.clone(),
        crate_prefix: None,
        changes,
        rust,
        rust_error,
    }
}

//! Shared helpers of the integration tests.

pub mod http;
pub mod memory;
pub mod script;
pub mod scripted;

/// `value` as `T`, for test data written as JSON; panics (failing the test)
/// when the data does not fit the model.
pub fn decode<T: serde::de::DeserializeOwned>(value: &serde_json::Value) -> T {
    match serde_json::from_value(value.clone()) {
        Ok(t) => t,
        Err(e) => panic!(
            "the test's JSON does not fit {}: {e}",
            std::any::type_name::<T>()
        ),
    }
}

use std::path::{Path, PathBuf};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// `../shared/iom-specs` beside the checkout, when it is there. Tests that
/// need it print a notice and skip when it is not.
pub fn published_specs() -> Option<PathBuf> {
    let dir = root().join("../shared/iom-specs");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "notice: {} is not present; skipping the checks against the published specs",
            dir.display()
        );
        None
    }
}

/// The project's specs and their published twins.
pub const SPEC_TWINS: &[(&str, &str)] = &[
    (
        "order-state-1.0.yaml",
        "intershop-order-management-orderstate-1.0.yaml",
    ),
    (
        "communication-2.9.4.0.yaml",
        "intershop-order-management-communication-2.9.4.0.yaml",
    ),
    (
        "gdpr-2.9.4.0.yaml",
        "intershop-order-management-gdpr-2.9.4.0.yaml",
    ),
    ("rma-2.11.yaml", "intershop-order-management-rma-2.11.yaml"),
];

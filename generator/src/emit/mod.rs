//! Stage 4, **emit**: IR → token streams, one module per generated crate kind.
//! Nothing here looks at the spec; everything comes from the IR.

mod bodies;
mod choice;
pub mod client;
pub mod client_drive;
mod client_stream;
pub mod conform_harness;
mod credentials;
pub(crate) mod docs;
pub mod example_tests;
mod example_values;
mod manifest;
pub mod mock;
pub mod models;
mod multipart;
pub mod operations;
pub(crate) mod rust_types;
pub mod server;
mod union;
mod validate;

pub use manifest::{cargo_toml, CrateManifest, Dependency};

/// Source of the runtime module every models crate carries.
pub const MODELS_SUPPORT: &str = include_str!("runtime/support.rs");

/// Source of the `runtime` module of every server crate.
pub const SERVER_RUNTIME: &str = include_str!("runtime/server.rs");

/// Source of the server runtime's `auth` module (`src/runtime/auth.rs`).
pub const SERVER_AUTH: &str = include_str!("runtime/auth.rs");

/// Source of the server runtime's `body` module (`src/runtime/body.rs`).
pub const SERVER_BODY: &str = include_str!("runtime/body.rs");

/// Source of the server runtime's `params` module (`src/runtime/params.rs`).
pub const SERVER_PARAMS: &str = include_str!("runtime/params.rs");

/// Source of the server runtime's `context` module (`src/runtime/context.rs`).
pub const SERVER_CONTEXT: &str = include_str!("runtime/context.rs");

/// Source of the `security` module of models crates with operations.
pub const MODELS_SECURITY: &str = include_str!("runtime/security.rs");

/// Source of the `bytes` module, carried by models crates with `format: byte`.
pub const MODELS_BYTES: &str = include_str!("runtime/bytes.rs");

/// Source of the client runtime's `body` module (`src/runtime/body.rs`).
pub const CLIENT_BODY: &str = include_str!("runtime/client_body.rs");

/// Source of the client runtime's `params` module (`src/runtime/params.rs`).
pub const CLIENT_PARAMS: &str = include_str!("runtime/client_params.rs");

/// Source of the `events` module of models crates whose API answers
/// streams of events.
pub const MODELS_EVENTS: &str = include_str!("runtime/events.rs");

/// Source of the `binary` module of every models crate (raw bodies, which
/// the server's and the client's runtimes name).
pub const MODELS_BINARY: &str = include_str!("runtime/binary.rs");

/// Source of the server runtime's `events` module, for such APIs.
pub const SERVER_EVENTS: &str = include_str!("runtime/server_events.rs");

/// Source of the client runtime's `events` module, for such APIs.
pub const CLIENT_EVENTS: &str = include_str!("runtime/client_events.rs");

/// Source of the `runtime` module of every client crate.
pub const CLIENT_RUNTIME: &str = include_str!("runtime/client.rs");

//! The conformance harness crates: `<prefix>-conform`, beside the models
//! crate it decodes into, and `<prefix>-mock-serve`, which serves the
//! server crate's mock, and `<prefix>-client-drive`, which calls the client;
//! see [`crate::emit::conform_harness`] and [`crate::emit::client_drive`].

use super::{Assembly, GeneratedFile, StageTimings};
use crate::diagnostics::Diagnostics;
use crate::emit::{client_drive, conform_harness, Dependency};
use crate::ir::{Api, ModelSpace};

pub fn conform_files(
    assembly: &Assembly,
    space: &ModelSpace,
    api: &Api,
    timings: &mut StageTimings,
) -> Result<Vec<GeneratedFile>, Diagnostics> {
    let main = conform_harness::harness_main(&assembly.crate_name("models"), space);
    let main = assembly.format(main, "main.rs", timings)?;
    let deps = vec![
        assembly.models_dependency(),
        Dependency::new("serde", r#""1""#),
        Dependency::new("serde_json", r#""1""#),
    ];
    let sources = vec![
        ("src/main.rs", main),
        ("conform.json", conform_harness::harness_index(space)),
    ];
    let description = format!(
        "Conformance harness of the {} models (generated)",
        assembly.loaded.openapi.info.title
    );
    let mut files = assembly.crate_files("conform", description, deps, sources);
    if !api.operations.is_empty() {
        files.extend(mock_serve_files(assembly, api, timings)?);
        files.extend(client_drive_files(assembly, api, space, timings)?);
    }
    Ok(files)
}

fn mock_serve_files(
    assembly: &Assembly,
    api: &Api,
    timings: &mut StageTimings,
) -> Result<Vec<GeneratedFile>, Diagnostics> {
    let server = assembly.crate_name("server");
    let main = conform_harness::mock_serve_main(&server);
    let main = assembly.format(main, "main.rs", timings)?;
    let deps = vec![
        Dependency::new(&server, &format!(r#"{{ path = "../{server}" }}"#)),
        Dependency::new(
            "axum",
            r#"{ version = "0.8", default-features = false, features = ["tokio", "http1"] }"#,
        ),
        Dependency::new(
            "tokio",
            r#"{ version = "1", features = ["macros", "rt", "net"] }"#,
        ),
    ];
    let sources = vec![
        ("src/main.rs", main),
        ("serve.json", conform_harness::mock_serve_index(api)),
    ];
    let description = format!(
        "Serves the generated mock of the {} (generated)",
        assembly.loaded.openapi.info.title
    );
    Ok(assembly.crate_files("mock-serve", description, deps, sources))
}

fn client_drive_files(
    assembly: &Assembly,
    api: &Api,
    space: &ModelSpace,
    timings: &mut StageTimings,
) -> Result<Vec<GeneratedFile>, Diagnostics> {
    let client = assembly.crate_name("client");
    let main = client_drive::client_drive_main(&client, api, space);
    let main = assembly.format(main, "main.rs", timings)?;
    let deps = vec![
        Dependency::new(&client, &format!(r#"{{ path = "../{client}" }}"#)),
        Dependency::new("http", r#""1""#),
        Dependency::new("serde", r#""1""#),
        Dependency::new("serde_json", r#""1""#),
        Dependency::new(
            "tokio",
            r#"{ version = "1", features = ["macros", "rt", "net"] }"#,
        ),
    ];
    let description = format!(
        "Calls the generated client of the {} against a server (generated)",
        assembly.loaded.openapi.info.title
    );
    Ok(assembly.crate_files(
        "client-drive",
        description,
        deps,
        vec![("src/main.rs", main)],
    ))
}

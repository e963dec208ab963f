//! Serves the four generated IOM APIs and the fixture shop
//! (tests/fixtures/shop.yaml: forms, multipart, binary, API keys, OAuth 2)
//! with the in-memory implementations of `iom_codegen_tests::memory` on
//! 127.0.0.1:
//!
//! ```text
//! cargo run -p iom-codegen-tests --example serve -- 8080
//! ```
//!
//! Basic `admin`/`admin` or Bearer `secret` are allowed; the shop takes the
//! API key `secret` or the token `secret`. See the README.
//! Every request is logged through `tracing` (set `RUST_LOG`, for example
//! `RUST_LOG=debug`, for more); Ctrl-C lets requests in flight finish.

use std::net::SocketAddr;
use std::process::ExitCode;

use iom_codegen_tests::memory;

const USAGE: &str =
    "usage: serve PORT  (for example: cargo run -p iom-codegen-tests --example serve -- 8080)";

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let mut args = std::env::args().skip(1);
    let port = match (args.next().map(|p| p.parse::<u16>()), args.next()) {
        (Some(Ok(port)), None) => port,
        (Some(Err(e)), _) => {
            eprintln!("serve: the port must be a number from 0 to 65535: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("serve: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(serve(port)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("serve: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(port: u16) -> Result<(), Box<dyn std::error::Error>> {
    let app = memory::app()?;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    let address = listener.local_addr()?;
    for base in [
        iom_order_state_server::BASE_PATH,
        iom_communication_server::BASE_PATH,
        iom_gdpr_server::BASE_PATH,
        iom_rma_server::BASE_PATH,
        fixture_shop_server::BASE_PATH,
    ] {
        tracing::info!("serving on http://{address}{base}");
    }
    // With connect info, implementations see the peer address.
    let app = app.into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            // Without a signal handler there is nothing to wait for but the kill.
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
            tracing::info!("Ctrl-C: finishing the requests in flight");
        })
        .await?;
    tracing::info!("stopped");
    Ok(())
}

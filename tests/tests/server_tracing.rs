//! The router's `tracing` output, in a test binary of its own: a
//! subscriber set for one thread misses events whose callsites another
//! test's thread registered first (tracing caches their interest).
#![allow(deprecated)] // putItem is deprecated

use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use fixture_operations_server::models::*;
use fixture_operations_server::{router, AuthError, FixtureOperationsApi, RequestContext};
use iom_codegen_tests::http::{request, send};
use tracing_subscriber::fmt::MakeWriter;

/// Lists nothing, and panics when asked for tag `boom`.
struct Fragile;

impl FixtureOperationsApi for Fragile {
    type Principal = ();

    async fn authenticate(&self, _: Credentials, _: &RequestContext) -> Result<(), AuthError> {
        Err(AuthError::Unauthorized)
    }

    async fn get_item(&self, _: GetItemRequest, _: (), _: &mut RequestContext) -> GetItemResponse {
        unreachable!("never authenticated")
    }

    async fn put_item(&self, _: PutItemRequest, _: (), _: &mut RequestContext) -> PutItemResponse {
        unreachable!("never authenticated")
    }

    async fn list_items(&self, r: ListItemsRequest, _: &mut RequestContext) -> ListItemsResponse {
        if r.tag.iter().any(|t| t == "boom") {
            panic!("the item store is gone");
        }
        ListItemsResponse::Ok(Vec::new())
    }

    async fn create_item(
        &self,
        _: CreateItemRequest,
        _: (),
        _: &mut RequestContext,
    ) -> CreateItemResponse {
        unreachable!("never authenticated")
    }
}

/// Everything a subscriber wrote, for assertions.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("not poisoned")).into_owned()
    }
}

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .expect("not poisoned")
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

// One thread: the subscriber set for this test sees the router's events.
#[tokio::test(flavor = "current_thread")]
async fn requests_are_traced_and_a_caught_panic_is_logged() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_ansi(false)
        .with_max_level(tracing::Level::INFO)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let app = router(Fragile);

    let a = send(app.clone(), request("GET", "/items?tag=boom", &[], "")).await;
    assert_eq!(a.status, StatusCode::INTERNAL_SERVER_ERROR);
    let a = send(app, request("GET", "/items", &[], "")).await;
    assert_eq!(a.status, StatusCode::OK);

    let log = captured.text();
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 3, "{log}");
    let span = r#"request{operation_id="listItems" method="GET" route="/items"}"#;
    assert!(lines.iter().all(|l| l.contains(span)), "{log}");
    assert!(lines[0].contains("ERROR"), "{log}");
    assert!(
        lines[0].contains(r#"the implementation panicked panic="the item store is gone""#),
        "{log}"
    );
    assert!(lines[1].contains("answered status=500 latency="), "{log}");
    assert!(lines[2].contains("answered status=200 latency="), "{log}");
}

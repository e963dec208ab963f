//! What a production service needs from the generated router, on the
//! fixture of tests/fixtures/operations.yaml: one authenticator for every
//! secured operation, the request context (undeclared headers, middleware
//! extensions, the peer) and headers added to an answer. Tracing is
//! tested in server_tracing.rs.
#![allow(deprecated)] // putItem is deprecated

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::http::{HeaderValue, StatusCode};
use fixture_operations_server::models::*;
use fixture_operations_server::{
    router, AuthError, FixtureOperationsApi, RequestContext, ServerOptions,
};
use iom_codegen_tests::http::{request, send, BASIC};

/// What a tenant middleware of the team's own puts into every request.
#[derive(Debug, Clone, PartialEq)]
struct Tenant(&'static str);

/// What a method saw of its request.
#[derive(Debug, Clone, Default, PartialEq)]
struct Seen {
    operation: &'static str,
    principal: Option<String>,
    correlation_id: Option<String>,
    tenant: Option<Tenant>,
    peer: Option<SocketAddr>,
}

/// Accepts Basic `user`/`pass` and Bearer `good`, forbids Bearer `deny`,
/// refuses everything else; records every call of the authenticator and
/// of the methods.
#[derive(Clone, Default)]
struct Gatekeeper {
    authenticated: Arc<Mutex<Vec<&'static str>>>,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Gatekeeper {
    fn record(&self, context: &RequestContext, principal: Option<String>) {
        let header = |name| {
            context
                .headers()
                .get(name)
                .and_then(|v: &HeaderValue| v.to_str().ok())
                .map(String::from)
        };
        self.seen.lock().expect("not poisoned").push(Seen {
            operation: context.operation_id(),
            principal,
            correlation_id: header("x-correlation-id"),
            tenant: context.extension::<Tenant>().cloned(),
            peer: context.peer_addr(),
        });
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().expect("not poisoned").clone()
    }

    fn authenticated(&self) -> Vec<&'static str> {
        self.authenticated.lock().expect("not poisoned").clone()
    }
}

fn item() -> Item {
    serde_json::from_value(serde_json::json!({"name": "Lamp", "price": 12.5})).expect("an item")
}

impl FixtureOperationsApi for Gatekeeper {
    type Principal = String;

    async fn authenticate(
        &self,
        credentials: Credentials,
        context: &RequestContext,
    ) -> Result<String, AuthError> {
        self.authenticated
            .lock()
            .expect("not poisoned")
            .push(context.operation_id());
        if let Some(basic) = credentials.basic_auth {
            if basic.user == "user" && basic.password == "pass" {
                return Ok(basic.user);
            }
        }
        match credentials.bearer_auth.as_deref() {
            Some("good") => Ok("token holder".into()),
            Some("deny") => Err(AuthError::Forbidden),
            _ => Err(AuthError::Unauthorized),
        }
    }

    async fn get_item(
        &self,
        _: GetItemRequest,
        principal: String,
        context: &mut RequestContext,
    ) -> GetItemResponse {
        self.record(context, Some(principal));
        let added = context.response_headers_mut();
        added.insert("cache-control", HeaderValue::from_static("no-store"));
        // Replaces the declared header's value.
        added.insert("x-rate-limit", HeaderValue::from_static("7"));
        added.append("x-trace", HeaderValue::from_static("a"));
        added.append("x-trace", HeaderValue::from_static("b"));
        GetItemResponse::Ok {
            body: item(),
            e_tag: "v1".into(),
            x_rate_limit: Some(100),
        }
    }

    async fn put_item(
        &self,
        _: PutItemRequest,
        principal: String,
        context: &mut RequestContext,
    ) -> PutItemResponse {
        self.record(context, Some(principal));
        PutItemResponse::NoContent
    }

    async fn list_items(
        &self,
        request: ListItemsRequest,
        context: &mut RequestContext,
    ) -> ListItemsResponse {
        self.record(context, None);
        if request.tag.iter().any(|t| t == "boom") {
            panic!("the item store is gone");
        }
        context
            .response_headers_mut()
            .insert("retry-after", HeaderValue::from_static("120"));
        ListItemsResponse::Ok(vec![item()])
    }

    async fn create_item(
        &self,
        _: CreateItemRequest,
        principal: String,
        context: &mut RequestContext,
    ) -> CreateItemResponse {
        self.record(context, Some(principal));
        CreateItemResponse::Created {
            body: item(),
            location: "/items/1".into(),
        }
    }
}

const GET_ITEM: [(&str, &str); 1] = [("x-request-id", "r-1")];

/// A GET with exactly `headers`.
fn exactly(uri: &str, headers: &[(&str, &str)]) -> axum::http::Request<axum::body::Body> {
    request("GET", uri, headers, "")
}

#[tokio::test]
async fn one_authenticator_serves_every_secured_operation() {
    let api = Gatekeeper::default();
    let app = router(api.clone());
    let basic = [("authorization", BASIC), GET_ITEM[0]];
    assert_eq!(
        send(app.clone(), exactly("/items/1", &basic)).await.status,
        StatusCode::OK
    );
    let put = request(
        "PUT",
        "/items/1",
        &[
            ("authorization", "Bearer good"),
            ("content-type", "application/json"),
        ],
        r#"{"name": "Lamp", "price": 1}"#,
    );
    assert_eq!(send(app.clone(), put).await.status, StatusCode::NO_CONTENT);
    let create = request("POST", "/items", &[("authorization", BASIC)], "");
    assert_eq!(send(app.clone(), create).await.status, StatusCode::CREATED);
    // The anonymous operation never asks the authenticator.
    assert_eq!(
        send(app, exactly("/items", &[])).await.status,
        StatusCode::OK
    );

    assert_eq!(api.authenticated(), ["getItem", "putItem", "createItem"]);
    let principals: Vec<_> = api
        .seen()
        .into_iter()
        .map(|s| (s.operation, s.principal))
        .collect();
    assert_eq!(
        principals,
        [
            ("getItem", Some("user".to_string())),
            ("putItem", Some("token holder".to_string())),
            ("createItem", Some("user".to_string())),
            ("listItems", None),
        ]
    );
}

#[tokio::test]
async fn refusals_come_from_the_authenticator() {
    let api = Gatekeeper::default();
    let app = router(api.clone());
    let with = |authorization| [("authorization", authorization), GET_ITEM[0]];

    // No credentials of the accepted scheme: 401 without asking.
    let a = send(app.clone(), exactly("/items/1", &GET_ITEM)).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    let a = send(app.clone(), exactly("/items/1", &with("Bearer good"))).await;
    assert_eq!(
        a.status,
        StatusCode::UNAUTHORIZED,
        "getItem takes Basic only"
    );
    assert!(api.authenticated().is_empty());

    // Refused by the authenticator: 401 with the operation's challenge.
    let a = send(
        app.clone(),
        exactly("/items/1", &with("Basic dXNlcjp3cm9uZw==")),
    )
    .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        a.headers["www-authenticate"],
        "Basic realm=\"Fixture Operations\""
    );
    assert_eq!(a.body["errors"][0]["code"], "UNAUTHORIZED");

    // Forbidden by the authenticator: 403, before the body is read.
    let put = request(
        "PUT",
        "/items/1",
        &[
            ("authorization", "Bearer deny"),
            ("content-type", "text/plain"),
        ],
        "not even JSON",
    );
    let a = send(app, put).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert_eq!(a.body["errors"][0]["code"], "FORBIDDEN");

    assert_eq!(api.authenticated(), ["getItem", "putItem"]);
    assert!(api.seen().is_empty(), "no method was called");
}

#[tokio::test]
async fn middleware_extensions_and_undeclared_headers_reach_the_method() {
    let api = Gatekeeper::default();
    let app = router(api.clone()).layer(axum::Extension(Tenant("acme")));
    let headers = [("x-correlation-id", "c-42")];
    assert_eq!(
        send(app, exactly("/items", &headers)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        api.seen(),
        [Seen {
            operation: "listItems",
            principal: None,
            correlation_id: Some("c-42".into()),
            tenant: Some(Tenant("acme")),
            peer: None,
        }]
    );
}

#[tokio::test]
async fn the_peer_address_is_known_when_served_with_connect_info() {
    let api = Gatekeeper::default();
    let app = router(api.clone()).into_make_service_with_connect_info::<SocketAddr>();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let address = listener.local_addr().expect("an address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    let client =
        fixture_operations_client::Client::new(&format!("http://{address}")).expect("a client");
    let answer = client.list_items(&ListItemsRequest::new()).await;
    assert!(answer.is_ok(), "{answer:?}");
    let peer = api.seen()[0].peer.expect("the peer address");
    assert!(peer.ip().is_loopback(), "{peer}");
    assert_ne!(
        peer.port(),
        address.port(),
        "the client's port, not the server's"
    );
}

#[tokio::test]
async fn added_response_headers_arrive() {
    let app = router(Gatekeeper::default());
    let a = send(app.clone(), exactly("/items", &[])).await;
    assert_eq!(a.headers["retry-after"], "120");

    let a = send(
        app,
        exactly("/items/1", &[("authorization", BASIC), GET_ITEM[0]]),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.headers["cache-control"], "no-store");
    assert_eq!(a.headers["etag"], "v1", "declared headers stay");
    let limits: Vec<_> = a.headers.get_all("x-rate-limit").iter().collect();
    assert_eq!(limits, ["7"], "an added header replaces the declared value");
    let traces: Vec<_> = a.headers.get_all("x-trace").iter().collect();
    assert_eq!(traces, ["a", "b"]);
}

#[tokio::test]
async fn the_body_limit_is_applied_after_authentication() {
    let app = fixture_operations_server::router_with(
        Gatekeeper::default(),
        ServerOptions::default().with_body_limit(16),
    );
    let body = r#"{"name": "A long lamp name", "price": 1}"#;
    let headers = [("content-type", "application/json")];
    let a = send(app.clone(), request("POST", "/items", &headers, body)).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    let headers = [
        ("content-type", "application/json"),
        ("authorization", BASIC),
    ];
    let a = send(app, request("POST", "/items", &headers, body)).await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(a.messages(), ["the request body is larger than 16 bytes"]);
}

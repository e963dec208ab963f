//! What the generated clients do outside the spec — an undeclared status, a
//! broken-off body, a wrong content type, an undecodable body, a missing
//! required header, a refused connection: each a clear `Error`, never a
//! panic — and the fixture operations the IOM specs do not use (header
//! parameters, `explode: false`, anonymous and Bearer-only operations,
//! optional bodies, a `default` response, required response headers).
#![allow(deprecated)] // putItem is deprecated

use fixture_operations_client::{Client, Error};
use fixture_operations_server::models::*;
use iom_codegen_tests::http::{canned, serve};
use iom_codegen_tests::script::round_trip;
use iom_codegen_tests::scripted::fixture::Scripted;
use serde_json::json;

async fn setup() -> (Client, Scripted) {
    let api = Scripted::default();
    let base = serve(fixture_operations_server::service(api.clone())).await;
    let client = Client::new(&format!("{base}/api/v2"))
        .expect("a valid base URL")
        .with_credentials(Credentials::default().with_basic_auth("u", "p"));
    (client, api)
}

fn item() -> Item {
    serde_json::from_value(json!({"name": "Lamp", "price": 12.5, "tags": ["a", "b,c"]}))
        .expect("an item")
}

#[tokio::test]
async fn header_parameters_explode_false_and_every_variant() {
    let (client, api) = setup().await;
    let mut request = GetItemRequest::new(i64::MAX, "r-1 ü".replace('ü', "u"));
    request.x_tags = vec!["a".into(), "b".into()];
    request.fields = vec![GetItemFieldsItem::Name, GetItemFieldsItem::Tags];
    let problem: Problem =
        serde_json::from_value(json!({"title": "Gone", "status": 410})).expect("a problem");
    for response in [
        GetItemResponse::Ok {
            body: item(),
            e_tag: "\"v1\"".into(),
            x_rate_limit: Some(-1),
        },
        GetItemResponse::Ok {
            body: item(),
            e_tag: "W/\"v2\"".into(),
            x_rate_limit: None,
        },
        GetItemResponse::NotModified,
        GetItemResponse::Default {
            status: 410,
            body: problem.clone(),
        },
        GetItemResponse::Default {
            status: 503,
            body: problem,
        },
    ] {
        round_trip(&api.0, &request, response, |r| client.get_item(r)).await;
    }
}

#[tokio::test]
async fn anonymous_bearer_only_and_optional_bodies() {
    let (client, api) = setup().await;
    let mut list = ListItemsRequest::new();
    list.tag = Some("lamps".into());
    list.page = 7;
    list.since = chrono::DateTime::parse_from_rfc3339("2024-02-29T23:59:59.5-03:30").ok();
    list.in_stock = Some(false);
    list.max_price = Some(1e300);
    for request in [ListItemsRequest::new(), list] {
        let response = ListItemsResponse::Ok(vec![item(), item()]);
        round_trip(&api.0, &request, response, |r| client.list_items(r)).await;
        let (_, ()) = api.0.last::<ListItemsRequest, ()>();
    }

    let put = PutItemRequest::new(5, item());
    client.set_credentials(Some(Credentials::default().with_bearer_auth("t")));
    for response in [
        PutItemResponse::NoContent,
        PutItemResponse::BadRequest(Problem::new()),
    ] {
        round_trip(&api.0, &put, response, |r| client.put_item(r)).await;
    }

    let mut create = CreateItemRequest::new();
    // createItem takes Basic only. Its `4XX` covers the router's 401 to a
    // Bearer token, but declares `application/problem+json`, which the
    // router's own `ErrorReport` is not.
    match client.create_item(&create).await {
        Err(Error::UnexpectedContentType { status: 401, .. }) => {}
        other => panic!("{other:?}"),
    }
    client.set_credentials(Some(Credentials::default().with_basic_auth("u", "p")));
    let created = CreateItemResponse::Created {
        body: item(),
        location: "/api/v2/items/9".into(),
    };
    round_trip(&api.0, &create, created.clone(), |r| client.create_item(r)).await;
    create.body = Some(item());
    round_trip(&api.0, &create, created, |r| client.create_item(r)).await;
}

/// A client of a canned server.
async fn canned_client(response: &'static [u8]) -> Client {
    Client::new(&canned(response).await).expect("a valid base URL")
}

async fn list(client: &Client) -> Result<ListItemsResponse, Error> {
    client.list_items(&ListItemsRequest::new()).await
}

#[tokio::test]
async fn an_undeclared_status_is_an_error_with_an_excerpt() {
    let body = "x".repeat(2000);
    let response: &'static [u8] = format!(
        "HTTP/1.1 418 I'm a teapot\r\ncontent-type: text/plain\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
    .leak();
    let error = list(&canned_client(response).await).await.expect_err("418");
    match &error {
        Error::UnexpectedStatus {
            status,
            content_type,
            excerpt,
        } => {
            assert_eq!(
                (*status, content_type.as_deref()),
                (418, Some("text/plain"))
            );
            assert!(excerpt.len() < 600, "bounded: {} bytes", excerpt.len());
        }
        other => panic!("{other:?}"),
    }
    assert!(
        error
            .to_string()
            .starts_with("status 418 (text/plain) is not declared"),
        "{error}"
    );
}

#[tokio::test]
async fn a_broken_off_body_is_an_error() {
    let client = canned_client(
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n[{\"name\":",
    )
    .await;
    let error = list(&client).await.expect_err("truncated");
    assert!(
        matches!(error, Error::ReadBody { status: 200, .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_wrong_content_type_is_an_error() {
    let client =
        canned_client(b"HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: 2\r\n\r\n[]")
            .await;
    let error = list(&client).await.expect_err("text/html");
    assert!(
        matches!(
            error,
            Error::UnexpectedContentType {
                expected: "application/json",
                ..
            }
        ),
        "{error:?}"
    );
    let client = canned_client(
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: 2\r\n\r\n[]",
    )
    .await;
    assert_eq!(
        list(&client).await.ok(),
        Some(ListItemsResponse::Ok(vec![])),
        "parameters are fine"
    );
}

#[tokio::test]
async fn an_undecodable_body_names_the_json_pointer() {
    let client = canned_client(
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 32\r\n\r\n[{\"name\": \"a\"}, {\"name\": false}]",
    )
    .await;
    match list(&client).await {
        Err(Error::Decode {
            pointer, message, ..
        }) => {
            assert_eq!(pointer, "/1/name");
            assert!(message.contains("invalid type"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn clients_read_null_for_an_optional_property_as_absent() {
    // Servers that write `null` for what they leave out are common; only the
    // router (reading requests) refuses it.
    let client = canned_client(
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 30\r\n\r\n[{\"name\": \"a\", \"price\": null}]",
    )
    .await;
    let items = match list(&client).await {
        Ok(ListItemsResponse::Ok(items)) => items,
        other => panic!("{other:?}"),
    };
    assert_eq!(items[0].price, None);
}

#[tokio::test]
async fn a_missing_required_header_is_an_error() {
    let client = canned_client(
        b"HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: 13\r\n\r\n{\"name\": \"a\"}",
    )
    .await;
    let error = client
        .create_item(&CreateItemRequest::new())
        .await
        .expect_err("no Location");
    assert!(
        matches!(
            error,
            Error::Header {
                status: 201,
                name: "location",
                ..
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error() {
    // Bind, learn the port, close: nothing listens there any more.
    let port = std::net::TcpListener::bind(("127.0.0.1", 0))
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let client = Client::new(&format!("http://127.0.0.1:{port}/api/v2")).expect("a valid URL");
    let error = list(&client).await.expect_err("refused");
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert!(std::error::Error::source(&error).is_some());
}

#[test]
fn bad_base_urls_are_refused() {
    for url in ["not a url", "mailto:x@example.com", "http://h/api?x=1"] {
        assert!(
            matches!(Client::new(url), Err(Error::InvalidUrl { .. })),
            "{url}"
        );
    }
}

/// `4XX` and `5XX` are variants that carry the status: every status of the
/// class arrives as it was sent, and the exact `201` still wins.
#[tokio::test]
async fn response_ranges_carry_their_status_both_ways() {
    let (client, api) = setup().await;
    let problem: Problem =
        serde_json::from_value(json!({"title": "Taken", "status": 409})).expect("a problem");
    let request = CreateItemRequest::new();
    for response in [
        CreateItemResponse::ClientError {
            status: 409,
            body: problem.clone(),
        },
        CreateItemResponse::ClientError {
            status: 400,
            body: problem.clone(),
        },
        CreateItemResponse::ServerError {
            status: 503,
            retry_after: Some(30),
        },
        CreateItemResponse::ServerError {
            status: 500,
            retry_after: None,
        },
        CreateItemResponse::Created {
            body: item(),
            location: "/items/1".into(),
        },
    ] {
        round_trip(&api.0, &request, response, |r| client.create_item(r)).await;
    }
}

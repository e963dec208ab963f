//! The generated mock (`mock: true` in tests/fixtures/codegen.yaml): each
//! operation answers a declared response whose body and headers the
//! generated client decodes. `cargo xtask conform` puts the mock of every
//! spec under schemathesis; these are the fixtures' direct checks.

use futures_util::StreamExt;
use iom_codegen_tests::http::serve;

#[tokio::test]
async fn operations_answer_their_success_with_an_example() {
    use fixture_operations_client::Client;
    use fixture_operations_server::mock::Mock;
    use fixture_operations_server::models::*;
    use fixture_operations_server::router;

    let client = Client::new(&serve(router(Mock)).await)
        .expect("a loopback URL")
        .with_credentials(Credentials::default().with_basic_auth("any", "one"));
    let got = client
        .get_item(&GetItemRequest::new(1, "req-1".into()))
        .await
        .expect("the mock answers");
    match got {
        // A required header gets its example, an optional one is left out.
        GetItemResponse::Ok {
            body,
            e_tag,
            x_rate_limit,
        } => {
            assert_eq!(body.name, "text");
            assert_eq!(e_tag, "text");
            assert_eq!(x_rate_limit, None);
        }
        other => panic!("expected 200, got {other:?}"),
    }
    let listed = client
        .list_items(&ListItemsRequest::new())
        .await
        .expect("the mock answers");
    assert!(
        matches!(&listed, ListItemsResponse::Ok(items) if items.len() == 1),
        "{listed:?}"
    );
    let created = client
        .create_item(&CreateItemRequest::new())
        .await
        .expect("the mock answers");
    assert!(
        matches!(&created, CreateItemResponse::Created { location, .. } if location == "text"),
        "{created:?}"
    );
}

#[tokio::test]
async fn event_streams_answer_one_example_event() {
    use fixture_events_client::Client;
    use fixture_events_server::mock::Mock;
    use fixture_events_server::models::*;
    use fixture_events_server::router;

    let client = Client::new(&serve(router(Mock)).await).expect("a loopback URL");
    let TailLogResponse::Ok(mut lines) = client
        .tail_log(&TailLogRequest::new())
        .await
        .expect("the mock answers");
    let first = lines.next().await.expect("one event").expect("decodes");
    assert_eq!(first.data, "text");
    assert!(lines.next().await.is_none(), "exactly one event");
}

#[tokio::test]
async fn refusals_are_written_as_the_operation_declares_them() {
    use axum::http::StatusCode;
    use fixture_operations_server::mock::Mock;
    use fixture_operations_server::router;
    use iom_codegen_tests::http::{request, send};

    // `itemId` has `minimum: 1`: the router refuses the request, and the
    // mock writes the refusal as getItem's `default` response (a Problem,
    // `application/problem+json`) rather than the router's ErrorReport.
    let basic = ("Authorization", "Basic YTpi");
    let invalid = request("GET", "/items/0", &[basic, ("X-Request-Id", "r")], "");
    let answer = send(router(Mock), invalid).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(answer.content_type(), "application/problem+json");
    assert_eq!(answer.body, serde_json::json!({}));
    // Without credentials: 401, written the same way, with the router's
    // challenge kept.
    let anonymous = request("GET", "/items/1", &[("X-Request-Id", "r")], "");
    let answer = send(router(Mock), anonymous).await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert_eq!(answer.body, serde_json::json!({}));
    assert!(
        answer.headers.contains_key("www-authenticate"),
        "{:?}",
        answer.headers
    );
}

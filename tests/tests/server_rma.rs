//! The generated RMA router, driven with real requests through
//! `tower::ServiceExt::oneshot`: what it answers by itself (401, 406, 415,
//! 413, 400, 500 on panic) and how it hands typed requests to the trait.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use iom_rma_server::models::*;
use iom_rma_server::{router_with, service, IomRmaApi, ServerOptions};
use serde_json::{json, Value};
use tower::ServiceExt;

const BASIC: &str = "Basic dXNlcjpwYXNz"; // user:pass
const RETURN_REQUEST: &str = "application/vnd.intershop.return-request.v1+json";

/// Answers from the request, so tests see what the router decoded.
struct Fake;

impl IomRmaApi for Fake {
    async fn get_return_requests(
        &self,
        r: GetReturnRequestsRequest,
        c: Credentials,
    ) -> GetReturnRequestsResponse {
        assert_eq!(
            c,
            Credentials::Basic {
                user: "user".into(),
                password: "pass".into()
            }
        );
        if r.shop_name == "panic" {
            panic!("the implementation fails");
        }
        let mut rr = ReadReturnRequest::new(ReadReturnRequestType::Return);
        rr.shop_order_number = Some(format!("{}/{}", r.shop_name, r.shop_order_number));
        GetReturnRequestsResponse::Ok(vec![rr])
    }
    async fn create_return_request(
        &self,
        r: CreateReturnRequestRequest,
        _: Credentials,
    ) -> CreateReturnRequestResponse {
        CreateReturnRequestResponse::Created {
            location: Some(format!("/return-requests/{}", r.body.positions.len())),
        }
    }
    async fn create_approval(
        &self,
        _: CreateApprovalRequest,
        _: Credentials,
    ) -> CreateApprovalResponse {
        CreateApprovalResponse::Forbidden
    }
    async fn get_contact_persons(
        &self,
        _: GetContactPersonsRequest,
        _: Credentials,
    ) -> GetContactPersonsResponse {
        GetContactPersonsResponse::NotFound
    }
    async fn get_return_request(
        &self,
        r: GetReturnRequestRequest,
        _: Credentials,
    ) -> GetReturnRequestResponse {
        let mut rr = ReadReturnRequest::new(ReadReturnRequestType::Pickup);
        rr.id = Some(r.return_request_id);
        GetReturnRequestResponse::Ok(rr)
    }
    async fn get_custom_attributes(
        &self,
        _: GetCustomAttributesRequest,
        _: Credentials,
    ) -> GetCustomAttributesResponse {
        GetCustomAttributesResponse::NotFound
    }
    async fn get_return_request_pickup_addresses(
        &self,
        _: GetReturnRequestPickupAddressesRequest,
        _: Credentials,
    ) -> GetReturnRequestPickupAddressesResponse {
        GetReturnRequestPickupAddressesResponse::NotFound
    }
    async fn get_return_request_position(
        &self,
        _: GetReturnRequestPositionRequest,
        _: Credentials,
    ) -> GetReturnRequestPositionResponse {
        GetReturnRequestPositionResponse::NotFound
    }
    async fn get_return_request_items(
        &self,
        _: GetReturnRequestItemsRequest,
        _: Credentials,
    ) -> GetReturnRequestItemsResponse {
        GetReturnRequestItemsResponse::NotFound
    }
    async fn get_return_request_positions(
        &self,
        _: GetReturnRequestPositionsRequest,
        _: Credentials,
    ) -> GetReturnRequestPositionsResponse {
        GetReturnRequestPositionsResponse::NotFound
    }
    async fn get_returnable_data(
        &self,
        _: GetReturnableDataRequest,
        _: Credentials,
    ) -> GetReturnableDataResponse {
        GetReturnableDataResponse::NotFound
    }
    async fn get_shop2_return_reasons(
        &self,
        r: GetShop2ReturnReasonsRequest,
        _: Credentials,
    ) -> GetShop2ReturnReasonsResponse {
        let reasons = r
            .type_
            .iter()
            .map(|t| {
                let mut reason = ShopReturnReason::new(t.as_str());
                reason.description = Some(format!("{} types", r.type_.len()));
                reason
            })
            .collect();
        GetShop2ReturnReasonsResponse::Ok(reasons)
    }
}

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Value,
}

async fn send(request: Request<Body>) -> Answer {
    let app = router_with(Fake, ServerOptions::default().with_body_limit(4096));
    let response = app
        .oneshot(request)
        .await
        .expect("the router is infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes)
            .unwrap_or(Value::String(String::from_utf8_lossy(&bytes).into()))
    };
    Answer {
        status,
        headers,
        body,
    }
}

/// A GET with Basic credentials and `headers`.
fn get(uri: &str, headers: &[(&str, &str)]) -> Request<Body> {
    anonymous(uri, &[&[("authorization", BASIC)], headers].concat())
}

/// A GET with exactly `headers`.
fn anonymous(uri: &str, headers: &[(&str, &str)]) -> Request<Body> {
    let mut request = Request::get(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.body(Body::empty()).expect("a valid request")
}

fn messages(a: &Answer) -> Vec<String> {
    a.body["errors"]
        .as_array()
        .map(|e| {
            e.iter()
                .filter_map(|e| e["message"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn a_valid_request_reaches_the_trait_with_typed_parameters() {
    let a = send(get("/shops/Demo%20Shop/orders/2019-1/return-requests", &[])).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.headers["content-type"], RETURN_REQUEST);
    assert_eq!(
        a.body,
        json!([{"type": "RETURN", "shopOrderNumber": "Demo Shop/2019-1"}])
    );
    let a = send(get("/shops/s/orders/o/return-requests/42", &[])).await;
    assert_eq!((a.status, &a.body["id"]), (StatusCode::OK, &json!(42)));
}

#[tokio::test]
async fn static_segments_win_over_parameters() {
    let a = send(get("/shops/s/orders/o/return-requests/returnables", &[])).await;
    assert_eq!(
        a.status,
        StatusCode::NOT_FOUND,
        "getReturnableData answered, not getReturnRequest"
    );
}

#[tokio::test]
async fn form_arrays_repeat_their_key() {
    let a = send(get("/shops/s/return-reasons?type=RET&type=PICKUP", &[])).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.body.as_array().map(Vec::len), Some(2));
    assert_eq!(a.body[1]["description"], json!("2 types"));
}

#[tokio::test]
async fn missing_credentials_get_401_with_a_challenge_and_never_reach_the_trait() {
    let a = send(anonymous("/shops/panic/orders/o/return-requests", &[])).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    let challenge = a.headers["www-authenticate"].to_str().unwrap_or_default();
    assert!(
        challenge.contains("Basic") && challenge.contains("Bearer"),
        "{challenge}"
    );
    let a = send(anonymous(
        "/shops/s/orders/o/return-requests",
        &[("authorization", "Basic !!!")],
    ))
    .await;
    assert_eq!(
        a.status,
        StatusCode::UNAUTHORIZED,
        "undecodable credentials"
    );
}

#[tokio::test]
async fn an_accept_header_that_excludes_the_media_type_gets_406() {
    let a = send(get(
        "/shops/s/orders/o/return-requests",
        &[("accept", "text/html")],
    ))
    .await;
    assert_eq!(a.status, StatusCode::NOT_ACCEPTABLE);
    let a = send(get(
        "/shops/s/orders/o/return-requests",
        &[("accept", "application/*;q=0.5")],
    ))
    .await;
    assert_eq!(a.status, StatusCode::OK, "a matching wildcard is fine");
}

fn create(body: &str, content_type: &str) -> Request<Body> {
    Request::post("/shops/s/orders/o/return-requests")
        .header("authorization", BASIC)
        .header("content-type", content_type)
        .body(Body::from(body.to_string()))
        .unwrap()
}

#[tokio::test]
async fn bodies_need_a_declared_media_type() {
    let body = r#"{"type": "RETURN", "positions": [{"positionNumber": 1, "productNumber": "P1", "quantity": 1, "reason": "RET010"}]}"#;
    let a = send(create(body, "application/json")).await;
    assert_eq!(a.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let a = send(create(body, &format!("{RETURN_REQUEST}; charset=utf-8"))).await;
    assert_eq!(a.status, StatusCode::CREATED, "{:?}", a.body);
    assert_eq!(a.headers["location"], "/return-requests/1");
}

#[tokio::test]
async fn invalid_input_gets_400_with_every_problem_listed() {
    let a = send(get("/shops/s/orders/o/return-requests/abc", &[])).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(a.body["status"], json!(400));
    assert!(
        messages(&a)[0].starts_with("/path/returnRequestId"),
        "{:?}",
        a.body
    );
    let a = send(create(r#"{"type": "RETURN"}"#, RETURN_REQUEST)).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(
        messages(&a)[0].contains("missing field `positions`"),
        "{:?}",
        a.body
    );
    let a = send(create(
        r#"{"type": "SOMETHING", "positions": []}"#,
        RETURN_REQUEST,
    ))
    .await;
    assert_eq!(
        a.status,
        StatusCode::BAD_REQUEST,
        "unknown enum values are refused in requests"
    );
    assert!(messages(&a)[0].starts_with("/body/type"), "{:?}", a.body);
    let a = send(create("{not json", RETURN_REQUEST)).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn oversized_bodies_get_413() {
    let big = format!(
        r#"{{"type": "RETURN", "comment": "{}", "positions": []}}"#,
        "x".repeat(5000)
    );
    let a = send(create(&big, RETURN_REQUEST)).await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn a_panic_is_a_500_for_that_request_only() {
    let app = service(Fake);
    let uri = |shop: &str| format!("/rest/rma/shops/{shop}/orders/o/return-requests");
    let a = app.clone().oneshot(get(&uri("panic"), &[])).await.unwrap();
    assert_eq!(a.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let b = app.oneshot(get(&uri("fine"), &[])).await.unwrap();
    assert_eq!(b.status(), StatusCode::OK);
}

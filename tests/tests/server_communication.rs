//! The generated Communication router: its three POST operations' bodies,
//! every response variant on the wire, and the answers it gives by itself
//! (401, 400, 413, 415).

use axum::http::StatusCode;
use iom_codegen_tests::http::{check_variants, post, request, send, wire, BASIC};
use iom_codegen_tests::scripted::communication::Scripted;
use iom_communication_server::models::*;
use iom_communication_server::{router, router_with, ServerOptions};
use serde_json::{json, Value};

const DISPATCH: &str = "application/vnd.intershop.dispatch-message.v1+json";
const RESPONSE: &str = "application/vnd.intershop.response-message.v1+json";
const RETURN: &str = "application/vnd.intershop.return-message.v1+json";

fn app() -> (axum::Router, Scripted) {
    let api = Scripted::default();
    (router(api.clone()), api)
}

fn product() -> Value {
    json!({"name": "Shirt «blau»", "number": "4711/0815"})
}

fn dispatch() -> Value {
    json!({
        "carrier": {"name": "DHL", "packages": 2},
        "dispatchDate": "2019-05-02T14:00:00+02:00",
        "messageId": "M-1",
        "positions": [{"dispatchedQuantity": 2, "product": product()}],
        "shopOrderNumber": "78231/2018",
        "supplierName": "Supplier",
        "supplierShopName": "Shop",
    })
}

fn order_response() -> Value {
    json!({
        "messageId": "M-2",
        "positions": [{
            "confirmedDelivery": {"plannedDeliveryDate": "2019-05-03", "quantity": 1},
            "orderPositionNumber": 1,
            "product": product(),
            "quantityCanceled": 0,
        }],
        "shopOrderNumber": "78231/2018",
        "supplierName": "Supplier",
        "supplierShopName": "Shop",
        "supplierStateCode": "ACCEPTED",
    })
}

fn return_message() -> Value {
    json!({
        "entryDate": "2019-05-10T08:00:00Z",
        "messageId": "M-3",
        "positions": [{"product": product(), "returnedQuantity": 2147483647}],
        "reason": "RET010",
        "shopOrderNumber": "78231/2018",
        "supplierName": "Supplier",
        "supplierShopName": "Shop",
    })
}

/// Every operation declares 201 (with `Location`), 400, 401, 403, 415 and 500.
macro_rules! variants {
    ($r:ident) => {{
        let report = json!({"status": 400, "errors": [{"code": "E", "message": "m", "value": {"a": 1}}]});
        vec![
            (
                $r::Created { location: Some("/rest/communication/dispatches/1".into()) },
                wire(201).header("location", "/rest/communication/dispatches/1"),
            ),
            ($r::Created { location: None }, wire(201)),
            (
                $r::BadRequest(serde_json::from_value(report.clone()).expect("a report")),
                wire(400).json("application/json", report),
            ),
            ($r::Unauthorized, wire(401)),
            ($r::Forbidden, wire(403)),
            ($r::UnsupportedMediaType, wire(415)),
            ($r::InternalServerError, wire(500)),
        ]
    }};
}

#[tokio::test]
async fn create_dispatch_variants() {
    let (app, api) = app();
    let body = dispatch().to_string();
    let cases = variants!(CreateDispatchResponse);
    check_variants(&app, &api.0, || post("/dispatches", DISPATCH, &body), cases).await;
}

#[tokio::test]
async fn create_order_response_variants() {
    let (app, api) = app();
    let body = order_response().to_string();
    let cases = variants!(CreateOrderResponseResponse);
    check_variants(&app, &api.0, || post("/responses", RESPONSE, &body), cases).await;
}

#[tokio::test]
async fn create_return_variants() {
    let (app, api) = app();
    let body = return_message().to_string();
    let cases = variants!(CreateReturnResponse);
    check_variants(&app, &api.0, || post("/returns", RETURN, &body), cases).await;
}

#[tokio::test]
async fn bodies_reach_the_trait_typed() {
    let (app, api) = app();
    api.0.answer(CreateDispatchResponse::Forbidden);
    api.0.answer(CreateOrderResponseResponse::Forbidden);
    api.0.answer(CreateReturnResponse::Forbidden);
    for (uri, media, body) in [
        ("/dispatches", DISPATCH, dispatch()),
        ("/responses", RESPONSE, order_response()),
        ("/returns", RETURN, return_message()),
    ] {
        let a = send(app.clone(), post(uri, media, &body.to_string())).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{uri}: {:?}", a.body);
        let sent = match uri {
            "/dispatches" => {
                serde_json::to_value(api.0.last::<CreateDispatchRequest, Credentials>().0.body)
            }
            "/responses" => serde_json::to_value(
                api.0
                    .last::<CreateOrderResponseRequest, Credentials>()
                    .0
                    .body,
            ),
            _ => serde_json::to_value(api.0.last::<CreateReturnRequest, Credentials>().0.body),
        };
        assert_eq!(sent.ok(), Some(body), "{uri}");
    }
}

#[tokio::test]
async fn the_router_answers_400_401_413_and_415_itself() {
    let (app, api) = app();
    let body = dispatch().to_string();
    let a = send(
        app.clone(),
        request("POST", "/dispatches", &[("content-type", DISPATCH)], &body),
    )
    .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    let a = send(app.clone(), post("/dispatches", RETURN, &body)).await;
    assert_eq!(
        a.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "another operation's type"
    );
    let mut bad = dispatch();
    bad["positions"] = json!([]);
    bad["carrier"]["packages"] = json!("two");
    let a = send(app.clone(), post("/dispatches", DISPATCH, &bad.to_string())).await;
    a.assert_problems(&["/body/carrier/packages: invalid type: string \"two\""]);
    bad["carrier"]["packages"] = json!(2);
    bad["supplierOrderNumber"] = json!(null);
    let a = send(app.clone(), post("/dispatches", DISPATCH, &bad.to_string())).await;
    a.assert_problems(&["/body/supplierOrderNumber: null is not allowed here"]);
    bad.as_object_mut().map(|o| o.remove("supplierOrderNumber"));
    bad["shopOrderNumber"] = json!("x".repeat(51));
    let a = send(app.clone(), post("/dispatches", DISPATCH, &bad.to_string())).await;
    a.assert_problems(&[
        "/body/shopOrderNumber: length 51 is above the maximum of 50",
        "/body/positions: 0 item(s), fewer than the minimum of 1",
    ]);
    let small = router_with(api.clone(), ServerOptions::default().with_body_limit(64));
    let a = send(small, post("/dispatches", DISPATCH, &body)).await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE);
    let a = send(
        app,
        request("POST", "/dispatches", &[("authorization", BASIC)], ""),
    )
    .await;
    assert_eq!(
        a.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "a required body with no type"
    );
    assert_eq!(api.0.calls(), 0);
}

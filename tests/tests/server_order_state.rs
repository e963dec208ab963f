//! The generated Order State router: every query parameter kind of
//! `GET /states` decoded, defaults applied, bad values listed in one 400,
//! and every response variant on the wire.
#![allow(deprecated)] // the spec deprecates its only operation

use axum::http::StatusCode;
use chrono::NaiveDate;
use iom_codegen_tests::http::{check_variants, get, request, send, wire};
use iom_codegen_tests::scripted::order_state::Scripted;
use iom_order_state_server::models::*;
use iom_order_state_server::{router, service};
use serde_json::json;

type Request = GetOrderStatesBySortCriteriasRequest;
type Response = GetOrderStatesBySortCriteriasResponse;
const MEDIA: &str = "application/vnd.intershop.order-state.v1+json";

fn app() -> (axum::Router, Scripted) {
    let api = Scripted::default();
    (router(api.clone()), api)
}

/// What the trait receives for `GET /states?{query}`.
async fn received(query: &str) -> Request {
    let (app, api) = app();
    api.0.answer(Response::Forbidden);
    let a = send(app, get(&format!("/states?{query}"), &[])).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN, "{:?}", a.body);
    api.0.last::<Request, Credentials>().0
}

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

#[tokio::test]
async fn every_parameter_kind_is_decoded() {
    let q = received(concat!(
        "shopId=200",
        "&orderNumber=2019-17891&orderNumber=2019%2F21432&orderNumber=DE398-8923%23556",
        "&customerNumber=CUST-930293&customerNumber=283102",
        "&productNumber=100120",
        "&orderState=STATE_COMMISSIONED&orderState=STATE_DISPATCHED",
        "&orderCreationDate[gte]=2019-01-31",
        "&orderCreationDate%5Blte%5D=2019-10-31",
        "&orderBy=CREATION_DATE&sortDirection=DESC&offset=50&limit=25",
    ))
    .await;
    let mut expected = Request::new(200);
    expected.order_number = vec![
        "2019-17891".into(),
        "2019/21432".into(),
        "DE398-8923#556".into(),
    ];
    expected.customer_number = vec!["CUST-930293".into(), "283102".into()];
    expected.product_number = vec!["100120".into()];
    expected.order_state = vec!["STATE_COMMISSIONED".into(), "STATE_DISPATCHED".into()];
    expected.order_creation_date_gte = date(2019, 1, 31);
    expected.order_creation_date_lte = date(2019, 10, 31);
    expected.order_by = Some(GetOrderStatesBySortCriteriasOrderBy::CreationDate);
    expected.sort_direction = GetOrderStatesBySortCriteriasSortDirection::Desc;
    expected.offset = 50;
    expected.limit = 25;
    assert_eq!(q, expected);
}

#[tokio::test]
async fn absent_parameters_take_the_spec_defaults() {
    let q = received("shopId=-9223372036854775808").await;
    assert_eq!(q.shop_id, i64::MIN);
    assert_eq!(
        q.sort_direction,
        GetOrderStatesBySortCriteriasSortDirection::Asc
    );
    assert_eq!((q.offset, q.limit), (0, 50));
    assert!(q.order_number.is_empty() && q.order_state.is_empty());
    assert_eq!((&q.order_by, q.order_creation_date_gte), (&None, None));
    assert_eq!(q, Request::new(i64::MIN), "nothing else was set");
}

#[tokio::test]
async fn unicode_and_plus_signs_in_query_values() {
    let q = received("shopId=1&customerNumber=M%C3%BCller+%26+S%C3%B6hne&orderNumber=a%2Bb").await;
    assert_eq!(q.customer_number, ["Müller & Söhne"]);
    assert_eq!(q.order_number, ["a+b"]);
}

#[tokio::test]
async fn every_bad_parameter_is_listed_in_one_400() {
    let (app, api) = app();
    let query = concat!(
        "orderCreationDate[gte]=2019-13-01&orderCreationDate[lte]=31.10.2019",
        "&orderBy=PRICE&sortDirection=asc&offset=x&limit=1e3",
    );
    let a = send(app.clone(), get(&format!("/states?{query}"), &[])).await;
    a.assert_problems(&[
        "/query/shopId: the required parameter is missing",
        "/query/orderCreationDate[gte]: cannot read \"2019-13-01\"",
        "/query/orderCreationDate[lte]: cannot read \"31.10.2019\"",
        "/query/offset: cannot read \"x\"",
        "/query/limit: cannot read \"1e3\"",
        // Unknown enum values decode (as `Unrecognized`), then fail validation,
        // which also runs when other parameters could not be decoded.
        "/query/orderBy: \"PRICE\" is not a value of",
        "/query/sortDirection: \"asc\" is not a value of",
    ]);
    let a = send(app.clone(), get("/states?shopId=1&shopId=2", &[])).await;
    a.assert_problems(&["/query/shopId: given 2 times, expected once"]);
    let a = send(app, get("/states?shopId=99999999999999999999", &[])).await;
    a.assert_problems(&["/query/shopId: cannot read \"99999999999999999999\""]);
    assert_eq!(api.0.calls(), 0);
}

#[tokio::test]
async fn every_response_variant_on_the_wire() {
    let (app, api) = app();
    let report = json!({"data": [], "meta": {"totalCount": "0"}, "links": {}});
    let errors = json!({"status": 400, "errors": [{"code": "E1", "message": "m"}]});
    let cases = vec![
        (
            Response::Ok(serde_json::from_value(report.clone()).expect("a report")),
            wire(200).json(MEDIA, report),
        ),
        (
            Response::BadRequest(serde_json::from_value(errors.clone()).expect("a report")),
            wire(400).json("application/json", errors),
        ),
        (Response::Unauthorized, wire(401)),
        (Response::Forbidden, wire(403)),
        (Response::NotAcceptable, wire(406)),
        (Response::InternalServerError, wire(500)),
    ];
    check_variants(&app, &api.0, || get("/states?shopId=1", &[]), cases).await;
}

#[tokio::test]
async fn the_router_answers_401_and_406_itself() {
    let (app, api) = app();
    let a = send(app.clone(), request("GET", "/states?shopId=1", &[], "")).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert!(a.headers.contains_key("www-authenticate"));
    let a = send(
        app,
        get("/states?shopId=1", &[("accept", "application/xml")]),
    )
    .await;
    assert_eq!(a.status, StatusCode::NOT_ACCEPTABLE);
    assert_eq!(api.0.calls(), 0);
}

#[tokio::test]
async fn the_service_serves_under_the_spec_base_path() {
    let api = Scripted::default();
    api.0.answer(Response::Forbidden);
    let app = service(api.clone());
    let a = send(app.clone(), get("/rest/order-state/states?shopId=1", &[])).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    let a = send(app, get("/states?shopId=1", &[])).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
}

//! The generated GDPR router: its one operation's path parameters, every
//! response variant on the wire, and the answers it gives by itself.

use axum::http::StatusCode;
use iom_codegen_tests::http::{check_variants, get, request, send, wire};
use iom_codegen_tests::scripted::gdpr::Scripted;
use iom_gdpr_server::models::*;
use iom_gdpr_server::router;
use serde_json::json;

const MEDIA: &str = "application/vnd.intershop.customer.v3+json";

fn app() -> (axum::Router, Scripted) {
    let api = Scripted::default();
    (router(api.clone()), api)
}

#[tokio::test]
async fn path_parameters_are_decoded() {
    let (app, api) = app();
    api.0.answer(GetCustomerResponse::NotFound);
    let uri = "/shops/M%C3%BCller%20%26%20S%C3%B6hne/customers/C%2F42%3Fx%23y";
    let a = send(app, get(uri, &[])).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    let (q, c) = api.0.last::<GetCustomerRequest, Credentials>();
    assert_eq!(
        q,
        GetCustomerRequest::new("C/42?x#y".into(), "Müller & Söhne".into())
    );
    assert!(c.basic_auth.is_some());
}

#[tokio::test]
async fn every_response_variant_on_the_wire() {
    let (app, api) = app();
    let customer = json!({
        "creationDate": "2019-03-01T09:30:00+01:00",
        "customerType": "b2c",
        "dayOfBirth": "1980-02-29",
    });
    let cases = vec![
        (
            GetCustomerResponse::Ok(serde_json::from_value(customer.clone()).expect("a customer")),
            wire(200).json(MEDIA, customer),
        ),
        (GetCustomerResponse::Unauthorized, wire(401)),
        (GetCustomerResponse::Forbidden, wire(403)),
        (GetCustomerResponse::NotFound, wire(404)),
    ];
    check_variants(&app, &api.0, || get("/shops/s/customers/c", &[]), cases).await;
}

#[tokio::test]
async fn the_router_answers_401_406_and_404_itself() {
    let (app, api) = app();
    let a = send(app.clone(), request("GET", "/shops/s/customers/c", &[], "")).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert!(a.headers.contains_key("www-authenticate"));
    let a = send(
        app.clone(),
        get(
            "/shops/s/customers/c",
            &[("accept", "application/vnd.intershop.customer.v2+json")],
        ),
    )
    .await;
    assert_eq!(a.status, StatusCode::NOT_ACCEPTABLE);
    let a = send(app.clone(), get("/shops/s/customers/", &[])).await;
    assert_eq!(
        a.status,
        StatusCode::NOT_FOUND,
        "an empty segment is no match"
    );
    let a = send(app, request("DELETE", "/shops/s/customers/c", &[], "")).await;
    assert_eq!(a.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(api.0.calls(), 0);
}

//! The generated RMA router, driven with real requests through
//! `tower::ServiceExt::oneshot`: every operation's typed request, every
//! response variant on the wire, and what the router answers by itself
//! (401, 406, 413, 415, 400, 500 on panic) without calling the trait.

use axum::http::StatusCode;
use iom_codegen_tests::decode;
use iom_codegen_tests::http::{check_variants, get, post, request, send, wire, Wire, BASIC};
use iom_codegen_tests::scripted::rma::Scripted;
use iom_rma_server::models::*;
use iom_rma_server::{router, router_with, service, ServerOptions};
use serde_json::{json, Value};

const RETURN_REQUEST: &str = "application/vnd.intershop.return-request.v1+json";
const APPROVAL: &str = "application/vnd.intershop.approval.v1+json";
/// Shop `Demo Shop`, order `78231/2018`: reserved characters in both segments.
const ORDER: &str = "/shops/Demo%20Shop/orders/78231%2F2018";
const SHOP: &str = "Demo Shop";
const ORDER_NUMBER: &str = "78231/2018";
const CHALLENGE: &str = "Basic realm=\"RMA\"";

fn user() -> Credentials {
    Credentials::default().with_basic_auth("user", "pass")
}

fn app() -> (axum::Router, Scripted) {
    let api = Scripted::default();
    (router(api.clone()), api)
}

/// The `200` case: `body` decoded into the model and expected back as is.
fn ok<T: serde::de::DeserializeOwned>(media: &'static str, body: Value) -> (T, Wire) {
    (decode(&body), wire(200).json(media, body))
}

fn write_return_request() -> Value {
    json!({"type": "RETURN", "positions": [
        {"positionNumber": 1, "productNumber": "P-1", "quantity": 2, "reason": "RET010"}
    ]})
}

/// Every RMA GET declares 401 (with a challenge header), 403, 404 and 406.
macro_rules! get_errors {
    ($r:ident) => {
        vec![
            (
                $r::Unauthorized {
                    www_authenticate: Some(CHALLENGE.into()),
                },
                wire(401).header("www-authenticate", CHALLENGE),
            ),
            (
                $r::Unauthorized {
                    www_authenticate: None,
                },
                wire(401),
            ),
            ($r::Forbidden, wire(403)),
            ($r::NotFound, wire(404)),
            ($r::NotAcceptable, wire(406)),
        ]
    };
}

/// Both POSTs declare 201 (with `Location`), 400, 401, 403, 415 and 500.
macro_rules! create_variants {
    ($r:ident) => {{
        let report = json!({"status": 400, "errors": [
            {"code": "VALIDATION_EXCEPTION", "message": "Attribute positions is mandatory"}
        ]});
        vec![
            (
                $r::Created {
                    location: Some("/rest/rma/return-requests/7".into()),
                },
                wire(201).header("location", "/rest/rma/return-requests/7"),
            ),
            ($r::Created { location: None }, wire(201)),
            (
                $r::BadRequest(decode(&report)),
                wire(400).json("application/json", report),
            ),
            (
                $r::Unauthorized {
                    www_authenticate: Some(CHALLENGE.into()),
                },
                wire(401).header("www-authenticate", CHALLENGE),
            ),
            ($r::Forbidden, wire(403)),
            ($r::UnsupportedMediaType, wire(415)),
            ($r::InternalServerError, wire(500)),
        ]
    }};
}

/// Runs `cases` for a GET of `uri` (relative to the order).
async fn check_get<R: std::any::Any + Send + std::fmt::Debug>(
    uri: &str,
    ok: (R, Wire),
    errors: Vec<(R, Wire)>,
) {
    let (app, api) = app();
    let uri = format!("{ORDER}{uri}");
    let cases = std::iter::once(ok).chain(errors).collect();
    check_variants(&app, &api.0, || get(&uri, &[]), cases).await;
}

#[tokio::test]
async fn get_return_requests_variants() {
    let (body, w) = ok(RETURN_REQUEST, json!([{"type": "RETURN", "id": 7}]));
    let ok = (GetReturnRequestsResponse::Ok(body), w);
    check_get(
        "/return-requests",
        ok,
        get_errors!(GetReturnRequestsResponse),
    )
    .await;
}

#[tokio::test]
async fn get_return_request_variants() {
    let (body, w) = ok(RETURN_REQUEST, json!({"type": "PICKUP", "id": 7}));
    let ok = (GetReturnRequestResponse::Ok(body), w);
    check_get(
        "/return-requests/7",
        ok,
        get_errors!(GetReturnRequestResponse),
    )
    .await;
}

#[tokio::test]
async fn get_contact_persons_variants() {
    let media = "application/vnd.intershop.contact-person.v1+json";
    let (body, w) = ok(
        media,
        json!([{"lastName": "Müller", "emailAddress": "m@example.com"}]),
    );
    let ok = (GetContactPersonsResponse::Ok(body), w);
    let errors = get_errors!(GetContactPersonsResponse);
    check_get("/return-requests/7/contact-persons", ok, errors).await;
}

#[tokio::test]
async fn get_custom_attributes_variants() {
    let media = "application/vnd.intershop.custom-attribute.v1+json";
    let (body, w) = ok(media, json!([{"key": "colour", "value": "red"}]));
    let ok = (GetCustomAttributesResponse::Ok(body), w);
    let errors = get_errors!(GetCustomAttributesResponse);
    check_get("/return-requests/7/custom-attributes", ok, errors).await;
}

#[tokio::test]
async fn get_pickup_addresses_variants() {
    let media = "application/vnd.intershop.pickup-address.v1+json";
    let address = json!([{"lastName": "Doe", "streetName": "Main St", "postCode": "04103",
        "city": "Leipzig", "countryCode": "DEU"}]);
    let (body, w) = ok(media, address);
    let ok = (GetReturnRequestPickupAddressesResponse::Ok(body), w);
    let errors = get_errors!(GetReturnRequestPickupAddressesResponse);
    check_get("/return-requests/7/pickup-addresses", ok, errors).await;
}

fn position() -> Value {
    json!({"positionNumber": 1, "productNumber": "P-1", "reason": "RET010", "quantity": 2})
}

#[tokio::test]
async fn get_position_variants() {
    let media = "application/vnd.intershop.return-request-position.v1+json";
    let (body, w) = ok(media, position());
    let ok = (GetReturnRequestPositionResponse::Ok(body), w);
    let errors = get_errors!(GetReturnRequestPositionResponse);
    check_get("/return-requests/7/positions/3", ok, errors).await;
}

#[tokio::test]
async fn get_positions_variants() {
    let media = "application/vnd.intershop.return-request-position.v1+json";
    let (body, w) = ok(media, json!([position(), position()]));
    let ok = (GetReturnRequestPositionsResponse::Ok(body), w);
    let errors = get_errors!(GetReturnRequestPositionsResponse);
    check_get("/return-requests/7/positions", ok, errors).await;
}

#[tokio::test]
async fn get_items_variants() {
    let media = "application/vnd.intershop.return-request-item.v1+json";
    let (body, w) = ok(media, json!([{"productSerialNumber": "SN-1", "id": 4}]));
    let ok = (GetReturnRequestItemsResponse::Ok(body), w);
    let errors = get_errors!(GetReturnRequestItemsResponse);
    check_get("/return-requests/7/positions/3/items", ok, errors).await;
}

#[tokio::test]
async fn get_returnable_data_variants() {
    let data = json!({"positions": [{"positionNumber": 1, "quantity": 2,
        "product": {"number": "P-1", "name": "Shirt"}}]});
    let (body, w) = ok(RETURN_REQUEST, data);
    let ok = (GetReturnableDataResponse::Ok(body), w);
    let errors = get_errors!(GetReturnableDataResponse);
    check_get("/return-requests/returnables", ok, errors).await;
}

#[tokio::test]
async fn get_return_reasons_variants() {
    type R = GetShop2ReturnReasonsResponse;
    let (app, api) = app();
    let (body, w) = ok(
        RETURN_REQUEST,
        json!([{"name": "RET010", "type": "RETURN"}]),
    );
    let report = json!({"status": 400});
    let cases = vec![
        (R::Ok(body), w),
        (
            R::BadRequest(decode(&report)),
            wire(400).json("application/json", report),
        ),
        (
            R::Unauthorized {
                www_authenticate: None,
            },
            wire(401),
        ),
        (R::Forbidden, wire(403)),
        (R::NotFound, wire(404)),
    ];
    let uri = "/shops/Demo%20Shop/return-reasons?type=RETURN";
    check_variants(&app, &api.0, || get(uri, &[]), cases).await;
}

#[tokio::test]
async fn create_return_request_variants() {
    let (app, api) = app();
    let uri = format!("{ORDER}/return-requests");
    let body = write_return_request().to_string();
    let cases = create_variants!(CreateReturnRequestResponse);
    check_variants(&app, &api.0, || post(&uri, RETURN_REQUEST, &body), cases).await;
}

#[tokio::test]
async fn create_approval_variants() {
    let (app, api) = app();
    let uri = format!("{ORDER}/return-requests/7/approvals");
    let body = json!({"status": "APPROVED"}).to_string();
    let cases = create_variants!(CreateApprovalResponse);
    check_variants(&app, &api.0, || post(&uri, APPROVAL, &body), cases).await;
}

/// Sends `request` (answered with 404) and returns what the trait received.
async fn received<Q: std::any::Any + Clone, R: std::any::Any + Send>(
    request: axum::http::Request<axum::body::Body>,
    answer: R,
) -> Q {
    let (app, api) = app();
    api.0.answer(answer);
    let a = send(app, request).await;
    assert!(a.status.as_u16() < 500, "{:?}", a.body);
    let (q, c) = api.0.last::<Q, Credentials>();
    assert_eq!(c, user());
    q
}

#[tokio::test]
async fn path_parameters_are_percent_decoded_and_typed() {
    let q: GetReturnRequestsRequest = received(
        get(&format!("{ORDER}/return-requests"), &[]),
        GetReturnRequestsResponse::NotFound,
    )
    .await;
    assert_eq!(
        q,
        GetReturnRequestsRequest::new(ORDER_NUMBER.into(), SHOP.into())
    );

    let q: GetReturnRequestItemsRequest = received(
        get(&format!("{ORDER}/return-requests/7/positions/3/items"), &[]),
        GetReturnRequestItemsResponse::NotFound,
    )
    .await;
    assert_eq!(
        q,
        GetReturnRequestItemsRequest::new(3, 7, ORDER_NUMBER.into(), SHOP.into())
    );

    let q: GetReturnRequestPositionRequest = received(
        get(&format!("{ORDER}/return-requests/7/positions/3"), &[]),
        GetReturnRequestPositionResponse::NotFound,
    )
    .await;
    assert_eq!(
        q,
        GetReturnRequestPositionRequest::new(3, 7, ORDER_NUMBER.into(), SHOP.into())
    );

    let unicode = "/shops/M%C3%BCller%20%26%20S%C3%B6hne/orders/DE398-8923%23556/return-requests/9223372036854775807";
    let q: GetReturnRequestRequest =
        received(get(unicode, &[]), GetReturnRequestResponse::NotFound).await;
    assert_eq!(
        q,
        GetReturnRequestRequest::new(i64::MAX, "DE398-8923#556".into(), "Müller & Söhne".into())
    );
}

#[tokio::test]
async fn every_get_with_ids_reaches_its_own_method() {
    let base = format!("{ORDER}/return-requests/7");
    let ids = || (7, ORDER_NUMBER.to_string(), SHOP.to_string());
    let (id, order, shop) = ids();
    let q: GetContactPersonsRequest = received(
        get(&format!("{base}/contact-persons"), &[]),
        GetContactPersonsResponse::NotFound,
    )
    .await;
    assert_eq!(q, GetContactPersonsRequest::new(id, order, shop));
    let (id, order, shop) = ids();
    let q: GetCustomAttributesRequest = received(
        get(&format!("{base}/custom-attributes"), &[]),
        GetCustomAttributesResponse::NotFound,
    )
    .await;
    assert_eq!(q, GetCustomAttributesRequest::new(id, order, shop));
    let (id, order, shop) = ids();
    let q: GetReturnRequestPickupAddressesRequest = received(
        get(&format!("{base}/pickup-addresses"), &[]),
        GetReturnRequestPickupAddressesResponse::NotFound,
    )
    .await;
    assert_eq!(
        q,
        GetReturnRequestPickupAddressesRequest::new(id, order, shop)
    );
    let (id, order, shop) = ids();
    let q: GetReturnRequestPositionsRequest = received(
        get(&format!("{base}/positions"), &[]),
        GetReturnRequestPositionsResponse::NotFound,
    )
    .await;
    assert_eq!(q, GetReturnRequestPositionsRequest::new(id, order, shop));
}

#[tokio::test]
async fn static_segments_win_over_parameters() {
    let q: GetReturnableDataRequest = received(
        get(&format!("{ORDER}/return-requests/returnables"), &[]),
        GetReturnableDataResponse::NotFound,
    )
    .await;
    assert_eq!(
        q,
        GetReturnableDataRequest::new(ORDER_NUMBER.into(), SHOP.into())
    );
}

#[tokio::test]
async fn form_arrays_repeat_their_key() {
    let answer = || GetShop2ReturnReasonsResponse::NotFound;
    let uri = "/shops/s/return-reasons?type=RETURN&type=PICKUP&type=RETURN";
    let q: GetShop2ReturnReasonsRequest = received(get(uri, &[]), answer()).await;
    assert_eq!(q.type_, ["RETURN", "PICKUP", "RETURN"]);
    assert_eq!(q.shop_name, "s");
    let q: GetShop2ReturnReasonsRequest =
        received(get("/shops/s/return-reasons?type=", &[]), answer()).await;
    assert_eq!(q.type_, [""], "an empty value is one empty item");
    let q: GetShop2ReturnReasonsRequest =
        received(get("/shops/s/return-reasons", &[]), answer()).await;
    assert!(q.type_.is_empty(), "`type` is optional: absent is empty");
}

#[tokio::test]
async fn bodies_reach_the_trait_typed() {
    let q: CreateReturnRequestRequest = received(
        post(
            &format!("{ORDER}/return-requests"),
            RETURN_REQUEST,
            &write_return_request().to_string(),
        ),
        CreateReturnRequestResponse::Forbidden,
    )
    .await;
    assert_eq!(
        (q.shop_name.as_str(), q.shop_order_number.as_str()),
        (SHOP, ORDER_NUMBER)
    );
    assert_eq!(
        serde_json::to_value(&q.body).ok(),
        Some(write_return_request())
    );

    let comment = "Zu spät — «nicht» erstattet 🙁";
    let q: CreateApprovalRequest = received(
        post(
            &format!("{ORDER}/return-requests/7/approvals"),
            &format!("{APPROVAL};charset=UTF-8"),
            &json!({"status": "NOT_APPROVED", "comment": comment}).to_string(),
        ),
        CreateApprovalResponse::Forbidden,
    )
    .await;
    assert_eq!(q.return_request_id, 7);
    assert_eq!(q.body.status, WriteApprovalStatus::NotApproved);
    assert_eq!(q.body.comment.as_deref(), Some(comment));
}

#[tokio::test]
async fn bearer_tokens_are_handed_over() {
    let (app, api) = app();
    api.0.answer(GetReturnRequestsResponse::NotFound);
    let headers = [("authorization", "Bearer abc.def")];
    let uri = format!("{ORDER}/return-requests");
    let a = send(app, request("GET", &uri, &headers, "")).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    let (_, c) = api.0.last::<GetReturnRequestsRequest, Credentials>();
    assert_eq!(c, Credentials::default().with_bearer_auth("abc.def"));
}

#[tokio::test]
async fn missing_credentials_get_401_with_a_challenge_and_never_reach_the_trait() {
    let (app, api) = app();
    let uri = format!("{ORDER}/return-requests");
    let a = send(app.clone(), request("GET", &uri, &[], "")).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert_eq!(a.body["status"], json!(401));
    let challenge = a.headers["www-authenticate"].to_str().unwrap_or_default();
    assert_eq!(
        challenge,
        "Basic realm=\"IOM RMA REST API\", Bearer realm=\"IOM RMA REST API\""
    );
    for bad in ["Basic !!!", "Basic dXNlcg==", "Bearer ", "Digest abc"] {
        let a = send(
            app.clone(),
            request("GET", &uri, &[("authorization", bad)], ""),
        )
        .await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{bad}");
    }
    let big = format!("{{\"comment\": \"{}\"}}", "x".repeat(4096));
    let a = send(
        app,
        request("POST", &uri, &[("content-type", RETURN_REQUEST)], &big),
    )
    .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED, "credentials come first");
    assert_eq!(api.0.calls(), 0);
}

#[tokio::test]
async fn an_accept_header_that_excludes_the_media_type_gets_406() {
    let (app, api) = app();
    let uri = format!("{ORDER}/return-requests");
    for accept in ["text/html", "application/json", "application/*;q=0"] {
        let a = send(app.clone(), get(&uri, &[("accept", accept)])).await;
        assert_eq!(a.status, StatusCode::NOT_ACCEPTABLE, "{accept}");
        assert_eq!(a.body["status"], json!(406));
    }
    assert_eq!(api.0.calls(), 0);
    for accept in [
        "application/*;q=0.5",
        "*/*",
        "text/html, application/vnd.intershop.return-request.v1+json",
    ] {
        api.0.answer(GetReturnRequestsResponse::Ok(vec![]));
        let a = send(app.clone(), get(&uri, &[("accept", accept)])).await;
        assert_eq!(a.status, StatusCode::OK, "{accept}");
    }
}

#[tokio::test]
async fn bodies_need_a_declared_media_type() {
    let (app, api) = app();
    let uri = format!("{ORDER}/return-requests");
    let body = write_return_request().to_string();
    for content_type in ["application/json", "text/plain", APPROVAL] {
        let a = send(app.clone(), post(&uri, content_type, &body)).await;
        assert_eq!(
            a.status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{content_type}"
        );
        assert_eq!(a.body["status"], json!(415));
    }
    let headers = [("authorization", BASIC)];
    let a = send(app.clone(), request("POST", &uri, &headers, &body)).await;
    assert_eq!(
        a.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "no Content-Type"
    );
    assert_eq!(api.0.calls(), 0);
    let upper = "APPLICATION/VND.INTERSHOP.RETURN-REQUEST.V1+JSON; charset=utf-8";
    api.0
        .answer(CreateReturnRequestResponse::Created { location: None });
    let a = send(app, post(&uri, upper, &body)).await;
    assert_eq!(a.status, StatusCode::CREATED, "{:?}", a.body);
}

#[tokio::test]
async fn invalid_input_gets_400_with_every_problem_listed() {
    let (app, api) = app();
    let a = send(
        app.clone(),
        get(&format!("{ORDER}/return-requests/abc/positions/-x"), &[]),
    )
    .await;
    // The GETs declare 404 but no 400: a path that does not decode names
    // no resource.
    a.assert_rejected(
        StatusCode::NOT_FOUND,
        &[
            "/path/returnRequestPositionId: cannot read \"-x\"",
            "/path/returnRequestId: cannot read \"abc\"",
        ],
    );
    assert_eq!(
        a.body["errors"][1]["value"],
        json!({"in": "path", "name": "returnRequestId", "value": "abc"}),
        "`Error.value` is an object in the spec"
    );
    assert_eq!(a.body["errors"][1]["code"], json!("VALIDATION_EXCEPTION"));

    let uri = format!("{ORDER}/return-requests");
    let cases: [(&str, &[&str]); 5] = [
        (
            r#"{"type": "RETURN"}"#,
            &["/body: missing field `positions`"],
        ),
        (
            r#"{"type": "SOMETHING", "positions": []}"#,
            &[
                "/body/type: \"SOMETHING\" is not a value of WriteReturnRequestType",
                "/body/positions: 0 item(s), fewer than the minimum of 1",
            ],
        ),
        (
            r#"{"type": "RETURN", "positions": 5}"#,
            &["/body/positions: invalid type"],
        ),
        ("{not json", &["/body: key must be a string"]),
        ("", &["/body: the request body is missing"]),
    ];
    for (body, problems) in cases {
        let a = send(app.clone(), post(&uri, RETURN_REQUEST, body)).await;
        a.assert_problems(problems);
    }
    let a = send(
        app.clone(),
        post(
            &format!("{ORDER}/return-requests/x/approvals"),
            APPROVAL,
            r#"{"status": "MAYBE"}"#,
        ),
    )
    .await;
    a.assert_problems(&[
        "/path/returnRequestId: cannot read \"x\"",
        "/body/status: \"MAYBE\" is not a value of WriteApprovalStatus",
    ]);
    assert_eq!(api.0.calls(), 0);
}

#[tokio::test]
async fn oversized_bodies_get_413() {
    let app = router_with(
        Scripted::default(),
        ServerOptions::default().with_body_limit(4096),
    );
    let big = format!(
        r#"{{"type": "RETURN", "comment": "{}", "positions": []}}"#,
        "x".repeat(5000)
    );
    let uri = format!("{ORDER}/return-requests");
    let a = send(app, post(&uri, RETURN_REQUEST, &big)).await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(a.body["status"], json!(413), "an ErrorReport: {:?}", a.body);
    assert_eq!(a.content_type(), "application/json");
}

#[tokio::test]
async fn a_panic_is_a_500_for_that_request_only() {
    let api = Scripted::default();
    let app = service(api.clone());
    let uri = format!("/rest/rma{ORDER}/return-requests");
    // Nothing queued: the implementation panics.
    let a = send(app.clone(), get(&uri, &[])).await;
    assert_eq!(a.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(a.body["status"], json!(500));
    api.0.answer(GetReturnRequestsResponse::Ok(vec![]));
    let b = send(app, get(&uri, &[])).await;
    assert_eq!(b.status, StatusCode::OK);
}

//! The generated RMA client against the generated RMA server over a real
//! loopback socket: every operation, every response variant, awkward path
//! segments and arrays. The implementation checks that it received exactly
//! what was sent; the client must return exactly what was answered.

use iom_codegen_tests::decode;
use iom_codegen_tests::http::serve;
use iom_codegen_tests::script::round_trip;
use iom_codegen_tests::scripted::rma::Scripted;
use iom_rma_client::Client;
use iom_rma_server::models::*;
use serde_json::{json, Value};

/// Shop and order numbers with characters that must be percent-encoded.
const SHOPS: &[&str] = &["Demo Shop", "Müller & Söhne", "a?b%c+d"];
const ORDERS: &[&str] = &["78231/2018", "DE398-8923#556", "x/../y", "ü€𝄞"];

async fn setup() -> (Client, Scripted) {
    let api = Scripted::default();
    let base = serve(iom_rma_server::service(api.clone())).await;
    let client = Client::new(&format!("{base}{}", iom_rma_client::BASE_PATH))
        .expect("a valid base URL")
        .with_credentials(Credentials::default().with_basic_auth("user", "pässword:with colon"));
    (client, api)
}

fn report() -> ErrorReport {
    decode(
        &json!({"status": 400, "errors": [{"code": "E", "message": "m", "value": {"x": [1, 2]}}]}),
    )
}

/// The variants every GET declares besides 200.
macro_rules! get_errors {
    ($r:ident) => {
        [
            $r::Unauthorized {
                www_authenticate: Some("Basic realm=\"RMA\"".into()),
            },
            $r::Unauthorized {
                www_authenticate: None,
            },
            $r::Forbidden,
            $r::NotFound,
            $r::NotAcceptable,
        ]
    };
}

/// The variants both POSTs declare.
macro_rules! create_variants {
    ($r:ident) => {
        [
            $r::Created {
                location: Some("/rest/rma/shops/s/orders/o/return-requests/1".into()),
            },
            $r::Created { location: None },
            $r::BadRequest(report()),
            $r::Unauthorized {
                www_authenticate: Some("Bearer".into()),
            },
            $r::Forbidden,
            $r::UnsupportedMediaType,
            $r::InternalServerError,
        ]
    };
}

#[tokio::test]
async fn get_return_requests_every_variant_and_awkward_segments() {
    type R = GetReturnRequestsResponse;
    let (client, api) = setup().await;
    let ok = R::Ok(decode(&json!([
        {"type": "RETURN", "id": 9223372036854775807_i64, "comment": "Zu spät — «kaputt» 🙁",
         "creationDate": "2019-03-01T09:30:00.123+01:00", "status": "DO_APPROVE"},
        {"type": "PICKUP"}
    ])));
    for shop in SHOPS {
        for order in ORDERS {
            let request = GetReturnRequestsRequest::new(order.to_string(), shop.to_string());
            round_trip(&api.0, &request, ok.clone(), |r| {
                client.get_return_requests(r)
            })
            .await;
        }
    }
    let request = GetReturnRequestsRequest::new("o".into(), "s".into());
    round_trip(&api.0, &request, R::Ok(vec![]), |r| {
        client.get_return_requests(r)
    })
    .await;
    for response in get_errors!(R) {
        round_trip(&api.0, &request, response, |r| {
            client.get_return_requests(r)
        })
        .await;
    }
}

#[tokio::test]
async fn create_return_request_every_variant() {
    let (client, api) = setup().await;
    let body: WriteReturnRequest = decode(&json!({
        "type": "PICKUP", "rmaNumber": "RMA-1", "comment": "ünïcödé",
        "positions": [
            {"positionNumber": 2147483647, "productNumber": "P/1", "quantity": 1, "reason": "RET010",
             "items": [{"productSerialNumber": "SN-1"}, {"productSerialNumber": "SN-2"}]},
            {"positionNumber": 2, "productNumber": "P-2", "quantity": 3, "reason": "RET020", "items": []}
        ],
        "pickupAddress": {"lastName": "Doe", "streetName": "Main St", "postCode": "04103",
            "city": "Leipzig", "countryCode": "DEU"},
        "contactPersons": [{"lastName": "Doe", "emailAddress": "d@example.com", "language": "de"}],
        "customAttributes": [{"key": "k", "value": "v"}]
    }));
    let request = CreateReturnRequestRequest::new("78231/2018".into(), "Demo Shop".into(), body);
    for response in create_variants!(CreateReturnRequestResponse) {
        round_trip(&api.0, &request, response, |r| {
            client.create_return_request(r)
        })
        .await;
    }
}

#[tokio::test]
async fn create_approval_every_variant() {
    let (client, api) = setup().await;
    let mut body = WriteApproval::new(WriteApprovalStatus::NotApproved);
    body.comment = Some("nicht überzeugend".into());
    let request = CreateApprovalRequest::new(i64::MAX, "DE398-8923#556".into(), "s".into(), body);
    for response in create_variants!(CreateApprovalResponse) {
        round_trip(&api.0, &request, response, |r| client.create_approval(r)).await;
    }
}

#[tokio::test]
async fn get_return_request_every_variant() {
    type R = GetReturnRequestResponse;
    let (client, api) = setup().await;
    let request = GetReturnRequestRequest::new(1, "78231/2018".into(), "Demo Shop".into());
    let ok = R::Ok(decode(
        &json!({"type": "RETURN", "id": 1, "businessStatus": "IN_APPROVAL",
        "links": [{"href": "/x", "rel": "self"}]}),
    ));
    for response in std::iter::once(ok).chain(get_errors!(R)) {
        round_trip(&api.0, &request, response, |r| client.get_return_request(r)).await;
    }
}

#[tokio::test]
async fn get_contact_persons_every_variant() {
    type R = GetContactPersonsResponse;
    let (client, api) = setup().await;
    let request = GetContactPersonsRequest::new(2, "o".into(), "s".into());
    let ok = R::Ok(decode(
        &json!([{"lastName": "Ø", "emailAddress": "o@example.com", "id": 5}]),
    ));
    for response in std::iter::once(ok).chain(get_errors!(R)) {
        round_trip(&api.0, &request, response, |r| {
            client.get_contact_persons(r)
        })
        .await;
    }
}

#[tokio::test]
async fn get_custom_attributes_every_variant() {
    type R = GetCustomAttributesResponse;
    let (client, api) = setup().await;
    let request = GetCustomAttributesRequest::new(3, "o".into(), "s".into());
    let ok = R::Ok(decode(
        &json!([{"key": "a", "value": "b"}, {"key": "c", "value": "d", "id": 1}]),
    ));
    for response in std::iter::once(ok).chain(get_errors!(R)) {
        round_trip(&api.0, &request, response, |r| {
            client.get_custom_attributes(r)
        })
        .await;
    }
}

#[tokio::test]
async fn get_pickup_addresses_every_variant() {
    type R = GetReturnRequestPickupAddressesResponse;
    let (client, api) = setup().await;
    let request = GetReturnRequestPickupAddressesRequest::new(4, "o".into(), "s".into());
    let ok = R::Ok(decode(
        &json!([{"lastName": "Doe", "streetName": "Main St", "postCode": "04103",
        "city": "Leipzig", "countryCode": "DEU", "additionFirstLine": "c/o Ä"}]),
    ));
    for response in std::iter::once(ok).chain(get_errors!(R)) {
        round_trip(&api.0, &request, response, |r| {
            client.get_return_request_pickup_addresses(r)
        })
        .await;
    }
}

fn position() -> Value {
    json!({"positionNumber": 1, "productNumber": "P-1", "reason": "RET010", "quantity": 2,
        "id": 77, "productName": "Lampe «Ω»"})
}

#[tokio::test]
async fn get_position_every_variant() {
    type R = GetReturnRequestPositionResponse;
    let (client, api) = setup().await;
    let request = GetReturnRequestPositionRequest::new(77, 4, "o".into(), "s".into());
    let ok = R::Ok(decode(&position()));
    for response in std::iter::once(ok).chain(get_errors!(R)) {
        round_trip(&api.0, &request, response, |r| {
            client.get_return_request_position(r)
        })
        .await;
    }
}

#[tokio::test]
async fn get_positions_every_variant() {
    type R = GetReturnRequestPositionsResponse;
    let (client, api) = setup().await;
    let request = GetReturnRequestPositionsRequest::new(4, "o".into(), "s".into());
    let ok = R::Ok(decode(&json!([position(), position()])));
    for response in std::iter::once(ok).chain(get_errors!(R)) {
        round_trip(&api.0, &request, response, |r| {
            client.get_return_request_positions(r)
        })
        .await;
    }
}

#[tokio::test]
async fn get_items_every_variant() {
    type R = GetReturnRequestItemsResponse;
    let (client, api) = setup().await;
    let request = GetReturnRequestItemsRequest::new(77, 4, "o".into(), "s".into());
    let ok = R::Ok(decode(&json!([{"productSerialNumber": "SN/1#2", "id": 1}])));
    for response in std::iter::once(ok).chain(get_errors!(R)) {
        round_trip(&api.0, &request, response, |r| {
            client.get_return_request_items(r)
        })
        .await;
    }
}

#[tokio::test]
async fn get_returnable_data_every_variant() {
    type R = GetReturnableDataResponse;
    let (client, api) = setup().await;
    let request = GetReturnableDataRequest::new("78231/2018".into(), "Demo Shop".into());
    let ok = R::Ok(decode(
        &json!({"positions": [{"positionNumber": 1, "quantity": 2,
        "items": [{"productSerialNumber": "SN-1"}], "product": {"number": "P-1", "name": "Shirt"}}]}),
    ));
    for response in std::iter::once(ok).chain(get_errors!(R)) {
        round_trip(&api.0, &request, response, |r| {
            client.get_returnable_data(r)
        })
        .await;
    }
}

#[tokio::test]
async fn get_return_reasons_every_variant_and_array_shapes() {
    type R = GetShop2ReturnReasonsResponse;
    let (client, api) = setup().await;
    let ok = R::Ok(decode(
        &json!([{"name": "RET010", "description": "Passt nicht", "type": "RETURN"}]),
    ));
    for types in [
        vec![],
        vec!["RETURN"],
        vec!["RETURN", "PICKUP", "RETURN"],
        vec!["a,b", "ü &="],
    ] {
        let mut request = GetShop2ReturnReasonsRequest::new("Demo Shop".into());
        request.type_ = types.iter().map(|t| t.to_string()).collect();
        round_trip(&api.0, &request, ok.clone(), |r| {
            client.get_shop2_return_reasons(r)
        })
        .await;
    }
    let request = GetShop2ReturnReasonsRequest::new("s".into());
    for response in [
        R::BadRequest(report()),
        R::Unauthorized {
            www_authenticate: Some("Basic".into()),
        },
        R::Forbidden,
        R::NotFound,
    ] {
        round_trip(&api.0, &request, response, |r| {
            client.get_shop2_return_reasons(r)
        })
        .await;
    }
}

#[tokio::test]
async fn bearer_tokens_can_be_replaced_at_run_time() {
    let (client, api) = setup().await;
    let request = GetReturnRequestsRequest::new("o".into(), "s".into());
    for token in ["first", "second"] {
        client.set_credentials(Some(Credentials::default().with_bearer_auth(token)));
        api.0.answer(GetReturnRequestsResponse::NotFound);
        let got = client.get_return_requests(&request).await;
        assert_eq!(got.ok(), Some(GetReturnRequestsResponse::NotFound));
        let (_, c) = api.0.last::<GetReturnRequestsRequest, Credentials>();
        assert_eq!(c, Credentials::default().with_bearer_auth(token));
    }
    client.set_credentials(None);
    let got = client.get_return_requests(&request).await;
    assert!(
        matches!(got, Ok(GetReturnRequestsResponse::Unauthorized { www_authenticate: Some(ref c) }) if c.contains("Basic")),
        "without credentials the router's 401 is the typed variant: {got:?}"
    );
}

#[tokio::test]
async fn invalid_requests_are_not_sent() {
    let (client, api) = setup().await;
    let body: WriteReturnRequest = decode(&json!({"type": "RETURN", "positions": []}));
    let request = CreateReturnRequestRequest::new("o".into(), "s".into(), body);
    let got = client.create_return_request(&request).await;
    match got {
        Err(iom_rma_client::Error::InvalidRequest(v)) => {
            assert_eq!(v.0[0].path, "/body/positions", "{v}");
        }
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
    let empty = GetReturnRequestRequest::new(1, String::new(), "s".into());
    match client.get_return_request(&empty).await {
        Err(iom_rma_client::Error::InvalidRequest(v)) => {
            assert_eq!(v.0[0].path, "/path/shopOrderNumber", "{v}");
        }
        other => panic!("an empty path segment must not be sent: {other:?}"),
    }
    assert_eq!(api.0.calls(), 0);
}

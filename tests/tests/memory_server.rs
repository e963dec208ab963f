//! The in-memory implementations behind the `serve` example: seeds decode,
//! and the flows that conformance tools rely on reach their success paths.

use axum::http::StatusCode;
use iom_codegen_tests::http::{post, request, send, Answer};
use iom_codegen_tests::memory;
use serde_json::json;

const ADMIN: &str = "Basic YWRtaW46YWRtaW4="; // admin:admin

async fn call(method: &str, uri: &str, content_type: &str, body: &str) -> Answer {
    let app = memory::app().expect("the seeds decode");
    let mut headers = vec![("authorization", ADMIN)];
    if !content_type.is_empty() {
        headers.push(("content-type", content_type));
    }
    send(app, request(method, uri, &headers, body)).await
}

async fn get(uri: &str) -> Answer {
    call("GET", uri, "", "").await
}

#[tokio::test]
async fn order_states_are_filtered_sorted_and_paged() {
    let a =
        get("/rest/order-state/states?shopId=200&orderBy=CREATION_DATE&sortDirection=DESC&limit=2")
            .await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.body["meta"]["totalCount"], "3");
    let numbers: Vec<_> = a.body["data"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|o| o["shop"]["orderNumber"].clone())
        .collect();
    assert_eq!(numbers, [json!("2019-21432"), json!("2019-17891")]);
    let a = get("/rest/order-state/states?shopId=200&productNumber=100120&orderCreationDate[gte]=2019-01-01").await;
    assert_eq!(a.body["data"][0]["shop"]["orderNumber"], "2019-17891");
    assert_eq!(a.body["meta"]["totalCount"], "1");
    let a = get("/rest/order-state/states?shopId=200&offset=-1").await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn customers_are_found_or_404() {
    let a = get("/rest/gdpr/shops/Demo%20Shop/customers/CUST-0815").await;
    assert_eq!(
        (a.status, &a.body["lastName"]),
        (StatusCode::OK, &json!("Buyer"))
    );
    let a = get("/rest/gdpr/shops/Demo%20Shop/customers/nobody").await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn other_credentials_are_forbidden() {
    let app = memory::app().expect("the seeds decode");
    let uri = "/rest/gdpr/shops/Demo%20Shop/customers/CUST-0815";
    for (authorization, status) in [
        ("Bearer wrong", StatusCode::FORBIDDEN),
        ("Basic dXNlcjpwYXNz", StatusCode::FORBIDDEN),
        ("Bearer secret", StatusCode::OK),
    ] {
        let headers = [("authorization", authorization)];
        let a = send(app.clone(), request("GET", uri, &headers, "")).await;
        assert_eq!(a.status, status, "{authorization}");
    }
}

#[tokio::test]
async fn communication_messages_are_accepted() {
    let body = json!({
        "messageId": "M-3", "entryDate": "2019-05-10T08:00:00Z", "reason": "RET010",
        "positions": [{"product": {"name": "Shirt", "number": "P-1"}, "returnedQuantity": 1}],
        "shopOrderNumber": "2019-1001", "supplierName": "Supplier", "supplierShopName": "Shop",
    });
    let a = call(
        "POST",
        "/rest/communication/returns",
        "application/vnd.intershop.return-message.v1+json",
        &body.to_string(),
    )
    .await;
    assert_eq!(a.status, StatusCode::CREATED, "{:?}", a.body);
    assert_eq!(a.headers["location"], "/rest/communication/returns/1");
}

#[tokio::test]
async fn a_return_request_flow() {
    let app = memory::app().expect("the seeds decode");
    let order = "/rest/rma/shops/Demo%20Shop/orders/2019-1001";
    let media = "application/vnd.intershop.return-request.v1+json";
    let go = |req| send(app.clone(), req);
    let admin = |method: &str, uri: &str| request(method, uri, &[("authorization", ADMIN)], "");

    let a = go(admin("GET", &format!("{order}/return-requests"))).await;
    assert_eq!(
        a.body.as_array().map(Vec::len),
        Some(1),
        "the seeded request"
    );
    let id = a.body[0]["id"].as_i64().expect("an id");
    let a = go(admin(
        "GET",
        &format!("{order}/return-requests/returnables"),
    ))
    .await;
    assert_eq!(
        a.body["positions"][0]["quantity"], 2,
        "3 ordered, 1 returned"
    );

    let create = |quantity: i32| {
        let body = json!({"type": "RETURN", "positions": [
            {"positionNumber": 1, "productNumber": "P-100", "quantity": quantity, "reason": "RET010"}]});
        let mut r = post(
            &format!("{order}/return-requests"),
            media,
            &body.to_string(),
        );
        r.headers_mut()
            .insert("authorization", ADMIN.parse().expect("a header value"));
        r
    };
    let a = go(create(3)).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST, "only 2 are left");
    let a = go(create(2)).await;
    assert_eq!(a.status, StatusCode::CREATED, "{:?}", a.body);
    let location = a.headers["location"].to_str().expect("ascii").to_string();
    let a = go(admin("GET", &location)).await;
    assert_eq!(
        (a.status, &a.body["status"]),
        (StatusCode::OK, &json!("INITIAL"))
    );

    for (path, len) in [
        ("contact-persons", 1),
        ("custom-attributes", 1),
        ("pickup-addresses", 1),
        ("positions", 1),
    ] {
        let a = go(admin(
            "GET",
            &format!("{order}/return-requests/{id}/{path}"),
        ))
        .await;
        assert_eq!(
            a.body.as_array().map(Vec::len),
            Some(len),
            "{path}: {:?}",
            a.body
        );
    }
    let a = go(admin(
        "GET",
        &format!("{order}/return-requests/{id}/positions"),
    ))
    .await;
    let position = a.body[0]["id"].as_i64().expect("a position id");
    let a = go(admin(
        "GET",
        &format!("{order}/return-requests/{id}/positions/{position}/items"),
    ))
    .await;
    assert_eq!(a.body[0]["productSerialNumber"], "SN-1");
    let a = go(admin(
        "GET",
        &format!("{order}/return-requests/{id}/positions/999"),
    ))
    .await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);

    let approval = json!({"status": "APPROVED"}).to_string();
    let mut r = post(
        &format!("{order}/return-requests/{id}/approvals"),
        "application/vnd.intershop.approval.v1+json",
        &approval,
    );
    r.headers_mut()
        .insert("authorization", ADMIN.parse().expect("a header value"));
    assert_eq!(go(r).await.status, StatusCode::CREATED);
    let a = go(admin("GET", &format!("{order}/return-requests/{id}"))).await;
    assert_eq!(a.body["status"], "ACCEPTED");

    let a = go(admin(
        "GET",
        "/rest/rma/shops/Demo%20Shop/return-reasons?type=PICKUP",
    ))
    .await;
    assert_eq!(
        a.body,
        json!([{"name": "PIC010", "description": "Pick up at the customer's address", "type": "PICKUP"}])
    );
    let a = go(admin("GET", "/rest/rma/shops/Nowhere/return-reasons")).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
}

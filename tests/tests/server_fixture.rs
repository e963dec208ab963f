//! The router generated for tests/fixtures/operations.yaml: what the IOM
//! specs do not use — header parameters, `explode: false` arrays, anonymous
//! and Bearer-only operations, optional bodies, a body with two media
//! types, required response headers and a `default` response.
#![allow(deprecated)] // putItem is deprecated

use axum::http::StatusCode;
use fixture_operations_server::models::*;
use fixture_operations_server::{router, service};
use iom_codegen_tests::http::{check_variants, get, request, send, wire, BASIC};
use iom_codegen_tests::scripted::fixture::Scripted;
use serde_json::json;

fn app() -> (axum::Router, Scripted) {
    let api = Scripted::default();
    (router(api.clone()), api)
}

fn item() -> Item {
    serde_json::from_value(json!({"name": "Lamp", "price": 12.5})).expect("an item")
}

#[tokio::test]
async fn header_parameters_and_comma_separated_arrays() {
    let (app, api) = app();
    api.0.answer(GetItemResponse::NotModified);
    let headers = [("x-request-id", "r-1"), ("x-tags", "a, b"), ("X-Tags", "c")];
    let a = send(app, get("/items/5?fields=name,price", &headers)).await;
    assert_eq!(a.status, StatusCode::NOT_MODIFIED);
    let (q, _) = api.0.last::<GetItemRequest, Credentials>();
    let mut expected = GetItemRequest::new(5, "r-1".into());
    expected.x_tags = vec!["a".into(), "b".into(), "c".into()];
    expected.fields = vec![GetItemFieldsItem::Name, GetItemFieldsItem::Price];
    assert_eq!(q, expected);
}

#[tokio::test]
async fn header_and_path_problems_are_listed() {
    let (app, api) = app();
    let long = "x".repeat(37);
    let a = send(
        app.clone(),
        get("/items/0?fields=name,colour", &[("x-request-id", &long)]),
    )
    .await;
    a.assert_problems(&[
        "/path/itemId: 0 is not at least 1",
        "/header/X-Request-Id: length 37 is above the maximum of 36",
        "/query/fields/1: \"colour\" is not a value of GetItemFieldsItem",
    ]);
    let a = send(app, get("/items/1", &[])).await;
    a.assert_problems(&["/header/X-Request-Id: the required parameter is missing"]);
    assert_eq!(api.0.calls(), 0);
}

#[tokio::test]
async fn get_item_variants_with_required_headers_and_a_default() {
    let (app, api) = app();
    let problem = json!({"title": "Gone", "status": 410});
    let cases = vec![
        (
            GetItemResponse::Ok {
                body: item(),
                e_tag: "\"v1\"".into(),
                x_rate_limit: Some(99),
            },
            wire(200)
                .json("application/json", json!({"name": "Lamp", "price": 12.5}))
                .header("etag", "\"v1\"")
                .header("x-rate-limit", "99"),
        ),
        (
            GetItemResponse::Ok {
                body: item(),
                e_tag: "\"v2\"".into(),
                x_rate_limit: None,
            },
            wire(200)
                .json("application/json", json!({"name": "Lamp", "price": 12.5}))
                .header("etag", "\"v2\""),
        ),
        (GetItemResponse::NotModified, wire(304)),
        (
            GetItemResponse::Default {
                status: 410,
                body: serde_json::from_value(problem.clone()).expect("a problem"),
            },
            wire(410).json("application/problem+json", problem),
        ),
    ];
    let make = || get("/items/5", &[("x-request-id", "r")]);
    check_variants(&app, &api.0, make, cases).await;
    api.0.answer(GetItemResponse::Default {
        status: 1000,
        body: Problem::new(),
    });
    let a = send(app, make()).await;
    assert_eq!(
        a.status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "not a status code"
    );
}

#[tokio::test]
async fn anonymous_operations_take_no_credentials() {
    let (app, api) = app();
    api.0.answer(ListItemsResponse::Ok(vec![item()]));
    let uri =
        "/items?tag=lamps&page=2&since=2024-02-29T23:59:60Z&inStock=true&maxPrice=1e2&sort=name";
    let a = send(app.clone(), request("GET", uri, &[], "")).await;
    assert_eq!(a.status, StatusCode::OK, "{:?}", a.body);
    let (q, ()) = api.0.last::<ListItemsRequest, ()>();
    assert_eq!(q.tag.as_deref(), Some("lamps"));
    assert_eq!(q.page, 2);
    assert_eq!(
        q.since.map(|d| d.to_rfc3339()).as_deref(),
        Some("2024-02-29T23:59:60+00:00")
    );
    assert_eq!((q.in_stock, q.max_price), (Some(true), Some(100.0)));
    assert_eq!(q.sort, ["name"], "a sent array replaces the default");
    api.0.answer(ListItemsResponse::Ok(vec![]));
    let a = send(app.clone(), request("GET", "/items", &[], "")).await;
    assert_eq!(a.status, StatusCode::OK);
    let (q, ()) = api.0.last::<ListItemsRequest, ()>();
    assert_eq!(q, ListItemsRequest::new(), "page defaults to 1");
    assert_eq!(q.page, 1);
    assert_eq!(
        q.sort,
        ["price", "name"],
        "an absent array takes the default"
    );
    let a = send(
        app,
        request("GET", "/items?tag=Lamps&page=0&inStock=yes", &[], ""),
    )
    .await;
    a.assert_problems(&[
        "/query/inStock: cannot read \"yes\"",
        "/query/tag: \"Lamps\" does not match",
        "/query/page: 0 is not at least 1",
    ]);
}

#[tokio::test]
async fn bearer_only_operations_refuse_basic_and_accept_both_media_types() {
    let (app, api) = app();
    let body = json!({"name": "Lamp"}).to_string();
    let basic = [
        ("authorization", BASIC),
        ("content-type", "application/json"),
    ];
    let a = send(app.clone(), request("PUT", "/items/5", &basic, &body)).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        a.headers["www-authenticate"],
        "Bearer realm=\"Fixture Operations\""
    );
    for media in ["application/json", "application/vnd.example.item+json"] {
        api.0.answer(PutItemResponse::NoContent);
        let headers = [("authorization", "Bearer t"), ("content-type", media)];
        let a = send(app.clone(), request("PUT", "/items/5", &headers, &body)).await;
        assert_eq!(a.status, StatusCode::NO_CONTENT, "{media}: {:?}", a.body);
        let (q, c) = api.0.last::<PutItemRequest, Credentials>();
        assert_eq!((q.item_id, q.body.name.as_str()), (5, "Lamp"));
        assert_eq!(c, Credentials::default().with_bearer_auth("t"));
    }
}

#[tokio::test]
async fn optional_bodies_may_be_left_out() {
    let (app, api) = app();
    let created = || CreateItemResponse::Created {
        body: item(),
        location: "/items/9".into(),
    };
    api.0.answer(created());
    let headers = [("authorization", BASIC)];
    let a = send(app.clone(), request("POST", "/items", &headers, "")).await;
    assert_eq!(a.status, StatusCode::CREATED, "{:?}", a.body);
    assert_eq!(a.headers["location"], "/items/9");
    assert_eq!(api.0.last::<CreateItemRequest, Credentials>().0.body, None);
    api.0.answer(created());
    let headers = [
        ("authorization", BASIC),
        ("content-type", "application/json"),
    ];
    let a = send(
        app.clone(),
        request("POST", "/items", &headers, r#"{"name": "Desk"}"#),
    )
    .await;
    assert_eq!(a.status, StatusCode::CREATED);
    let q = api.0.last::<CreateItemRequest, Credentials>().0;
    assert_eq!(q.body.map(|b| b.name), Some("Desk".into()));
    let headers = [("authorization", BASIC), ("content-type", "text/plain")];
    let a = send(app, request("POST", "/items", &headers, "Desk")).await;
    assert_eq!(a.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn a_range_variant_answers_its_status_only_inside_its_class() {
    let (app, api) = app();
    let headers = [("authorization", BASIC)];
    api.0.answer(CreateItemResponse::ServerError {
        status: 503,
        retry_after: Some(30),
    });
    let a = send(app.clone(), request("POST", "/items", &headers, "")).await;
    assert_eq!(a.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(a.headers["retry-after"], "30");
    // 200 is not a 5XX: the spec declares no such answer.
    api.0.answer(CreateItemResponse::ServerError {
        status: 200,
        retry_after: None,
    });
    let a = send(app, request("POST", "/items", &headers, "")).await;
    assert_eq!(a.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(
        a.messages(),
        ["the implementation answered 200 as a 5XX response"]
    );
}

#[tokio::test]
async fn the_base_path_comes_from_the_server_url() {
    let api = Scripted::default();
    api.0.answer(ListItemsResponse::Ok(vec![]));
    let a = send(service(api), request("GET", "/api/v2/items", &[], "")).await;
    assert_eq!(a.status, StatusCode::OK);
}

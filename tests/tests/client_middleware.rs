//! The client in production: a middleware stack (retries), options for one
//! call (timeout, extra headers) and the headers of every response, against
//! the in-memory Order State API behind a tower layer that plays the
//! network's part (a 503, a slow answer, a rate-limit header).
#![allow(deprecated)] // the spec deprecates its only operation

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::TryStreamExt as _;
use iom_codegen_tests::http::serve;
use iom_codegen_tests::memory::order_state::OrderStates;
use iom_codegen_tests::memory::{PASSWORD, USER};
use iom_order_state_client::models::*;
use iom_order_state_client::{reqwest_middleware, CallOptions, Client, Error};
use reqwest_retry::policies::ExponentialBackoff;
use reqwest_retry::RetryTransientMiddleware;

/// What the layer saw and does.
#[derive(Clone, Default)]
struct Network {
    /// Requests that reached the layer, with their `idempotency-key`.
    seen: Arc<Mutex<Vec<Option<String>>>>,
    /// Answer the first request 503 without calling the API.
    fail_first: bool,
    /// Hold every answer this long.
    delay: Duration,
}

impl Network {
    async fn serve(self) -> String {
        let api = OrderStates::seeded().expect("the seed is valid");
        let network = self.clone();
        let app = iom_order_state_server::service(api).layer(axum::middleware::from_fn(
            move |request: Request, next: Next| {
                let network = network.clone();
                async move { network.pass(request, next).await }
            },
        ));
        format!("{}{}", serve(app).await, iom_order_state_server::BASE_PATH)
    }

    async fn pass(&self, request: Request, next: Next) -> Response {
        let key = request
            .headers()
            .get("idempotency-key")
            .and_then(|v| v.to_str().ok())
            .map(String::from);
        let first = {
            let mut seen = self.seen.lock().expect("not poisoned");
            seen.push(key);
            seen.len() == 1
        };
        if first && self.fail_first {
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
        tokio::time::sleep(self.delay).await;
        let mut response = next.run(request).await;
        response
            .headers_mut()
            .insert("x-ratelimit-remaining", HeaderValue::from_static("99"));
        response
    }

    fn seen(&self) -> Vec<Option<String>> {
        self.seen.lock().expect("not poisoned").clone()
    }
}

fn admin() -> Credentials {
    Credentials::default().with_basic_auth(USER, PASSWORD)
}

fn shop_200() -> GetOrderStatesBySortCriteriasRequest {
    GetOrderStatesBySortCriteriasRequest::new(200)
}

#[tokio::test]
async fn a_retry_middleware_retries_a_503_once() {
    let network = Network {
        fail_first: true,
        ..Network::default()
    };
    let url = network.clone().serve().await;
    let policy = ExponentialBackoff::builder()
        .retry_bounds(Duration::from_millis(1), Duration::from_millis(5))
        .build_with_max_retries(1);
    let http = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
        .with(RetryTransientMiddleware::new_with_policy(policy))
        .build();
    let client = Client::with_middleware(&url, http)
        .expect("a client")
        .with_credentials(admin());
    let answer = client.get_order_states_by_sort_criterias(&shop_200()).await;
    assert!(
        matches!(answer, Ok(GetOrderStatesBySortCriteriasResponse::Ok(_))),
        "{answer:?}"
    );
    assert_eq!(network.seen().len(), 2, "the 503, then the retry");

    // Without the middleware the 503 is the answer: not declared, an error.
    let network = Network {
        fail_first: true,
        ..Network::default()
    };
    let plain = Client::new(&network.clone().serve().await)
        .expect("a client")
        .with_credentials(admin());
    let error = plain
        .get_order_states_by_sort_criterias(&shop_200())
        .await
        .expect_err("an undeclared 503");
    assert!(
        matches!(error, Error::UnexpectedStatus { status: 503, .. }),
        "{error:?}"
    );
    assert_eq!(network.seen().len(), 1);
}

#[tokio::test]
async fn options_of_one_call_set_a_timeout_and_headers() {
    let network = Network {
        delay: Duration::from_millis(300),
        ..Network::default()
    };
    let url = network.clone().serve().await;
    let client = Client::new(&url)
        .expect("a client")
        .with_credentials(admin());
    let key = HeaderName::from_static("idempotency-key");

    let hurried = client.with_options(CallOptions::new().timeout(Duration::from_millis(30)));
    let error = hurried
        .get_order_states_by_sort_criterias(&shop_200())
        .await
        .expect_err("the call times out");
    assert!(error.is_timeout(), "{error:?}");

    let keyed = client.with_options(
        CallOptions::new()
            .timeout(Duration::from_secs(10))
            .header(key.clone(), HeaderValue::from_static("k-1")),
    );
    let answer = keyed.get_order_states_by_sort_criterias(&shop_200()).await;
    assert!(answer.is_ok(), "{answer:?}");
    // The handle without options sends no key.
    let answer = client.get_order_states_by_sort_criterias(&shop_200()).await;
    assert!(answer.is_ok(), "{answer:?}");
    assert_eq!(network.seen(), [None, Some("k-1".to_string()), None]);
}

#[tokio::test]
async fn undeclared_response_headers_are_readable() {
    let url = Network::default().serve().await;
    let client = Client::new(&url)
        .expect("a client")
        .with_credentials(admin());
    let answer = client
        .get_order_states_by_sort_criterias_with_response(&shop_200())
        .await
        .expect("an answer");
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.headers()["x-ratelimit-remaining"], "99");
    assert_eq!(
        answer.headers()["content-type"],
        "application/vnd.intershop.order-state.v1+json"
    );
    let GetOrderStatesBySortCriteriasResponse::Ok(report) = answer.into_inner() else {
        panic!("200 is Ok");
    };
    assert!(report.data.is_some_and(|orders| !orders.is_empty()));
}

#[tokio::test]
async fn the_stream_walks_the_pages_and_stops_after_an_empty_one() {
    let network = Network::default();
    let url = network.clone().serve().await;
    let client = Client::new(&url)
        .expect("a client")
        .with_credentials(admin());
    let mut request = shop_200();
    request.limit = 1;
    let orders: Vec<OrderStateOrder> = client
        .get_order_states_by_sort_criterias_stream(&request)
        .try_collect()
        .await
        .expect("every page");
    let expected = client
        .get_order_states_by_sort_criterias(&shop_200())
        .await
        .map(|answer| match answer {
            GetOrderStatesBySortCriteriasResponse::Ok(report) => report.data.unwrap_or_default(),
            other => panic!("{other:?}"),
        })
        .expect("one page of all");
    assert_eq!(expected.len(), 3, "shop 200 has three seeded orders");
    assert_eq!(orders, expected, "each once, in order");
    // Three pages of one, the empty fourth, and the check above.
    assert_eq!(network.seen().len(), 5);

    // A page that is not a success ends the stream with the answer.
    let anonymous = Client::new(&url).expect("a client");
    let error = anonymous
        .get_order_states_by_sort_criterias_stream(&request)
        .try_collect::<Vec<_>>()
        .await
        .expect_err("401");
    assert!(
        matches!(error, Error::Unsuccessful { status: 401, .. }),
        "{error:?}"
    );
}

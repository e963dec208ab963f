//! The README's client examples, compiled: typed calls, a middleware
//! stack, options for one call, the headers of a response and a stream
//! over a paged operation. Run it
//! against the `serve` example:
//!
//! ```text
//! cargo run -p iom-codegen-tests --example serve -- 8080 &
//! cargo run -p iom-codegen-tests --example use_client -- http://127.0.0.1:8080
//! ```

use std::time::Duration;

use iom_rma_client::reqwest::header::{HeaderName, HeaderValue};
use iom_rma_client::{models::*, reqwest, reqwest_middleware, CallOptions, Client};
use reqwest_retry::{policies::ExponentialBackoff, RetryTransientMiddleware};

type Failure = Box<dyn std::error::Error>;

async fn typed_calls(base: &str) -> Result<(), Failure> {
    let url = format!("{base}/rest/rma");
    let fresh = "secret".to_string();
    // README: client
    let admin = Credentials::default().with_basic_auth("admin", "admin");
    let client = Client::new(&url)?.with_credentials(admin); // or Client::from_server(…)
    let request = GetReturnRequestsRequest::new("2019-1001".into(), "Demo Shop".into());
    match client.get_return_requests(&request).await? {
        GetReturnRequestsResponse::Ok(requests) => println!("{} return requests", requests.len()),
        GetReturnRequestsResponse::NotFound => println!("no such order"), // a declared status is a value
        other => println!("refused: {other:?}"), // 401 with its WWW-Authenticate, 403, 406
    }
    // A refreshed token needs no new client:
    client.set_credentials(Some(Credentials::default().with_bearer_auth(fresh)));
    // README: end
    Ok(())
}

async fn production(base: &str) -> Result<(), Failure> {
    let url = format!("{base}/rest/rma");
    let request = GetReturnRequestsRequest::new("2019-1001".into(), "Demo Shop".into());
    let credentials = Credentials::default().with_bearer_auth("secret");
    // README: middleware
    // Retries of transient failures (5xx, timeouts), tracing, your own middleware:
    let retries = ExponentialBackoff::builder().build_with_max_retries(2);
    let http = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
        .with(RetryTransientMiddleware::new_with_policy(retries))
        .build();
    let client = Client::with_middleware(&url, http)?.with_credentials(credentials);

    // Options for one call: a handle on the same client.
    let options = CallOptions::new().timeout(Duration::from_secs(2)).header(
        HeaderName::from_static("idempotency-key"),
        HeaderValue::from_static("k-1"),
    );
    let answer = client
        .with_options(options)
        .get_return_requests(&request)
        .await?;
    println!("{answer:?}");

    // Status and every header (rate limits the spec does not declare) beside the value:
    let answer = client.get_return_requests_with_response(&request).await?;
    println!(
        "{} {:?}",
        answer.status(),
        answer.headers().get("x-ratelimit-remaining")
    );
    let typed: GetReturnRequestsResponse = answer.into_inner();
    // README: end
    println!("{typed:?}");
    Ok(())
}

#[allow(deprecated)] // the spec deprecates its one operation
async fn paging(base: &str) -> Result<(), Failure> {
    use futures_util::TryStreamExt as _;
    use iom_order_state_client::{models::*, Client};
    let url = format!("{base}/rest/order-state");
    let client =
        Client::new(&url)?.with_credentials(Credentials::default().with_bearer_auth("secret"));
    // README: paging
    let mut request = GetOrderStatesBySortCriteriasRequest::new(200);
    request.limit = 50; // per page; `offset` advances by the orders received
    let mut orders = client.get_order_states_by_sort_criterias_stream(&request);
    while let Some(order) = orders.try_next().await? {
        println!("{:?}", order.shop);
    }
    // README: end
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Failure> {
    let base = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "http://127.0.0.1:8080".into());
    typed_calls(&base).await?;
    production(&base).await?;
    paging(&base).await
}

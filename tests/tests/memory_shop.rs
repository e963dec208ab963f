//! The fixture shop the `serve` example serves (tests/src/memory/shop.rs),
//! through the generated client over loopback: an API key reads, an OAuth 2
//! token writes (a form order, a multipart upload read back as bytes), a
//! read-only token is refused writes.

use fixture_shop_client::models::support::FilePart;
use fixture_shop_client::models::*;
use fixture_shop_client::{Client, Error};
use iom_codegen_tests::http::serve;
use iom_codegen_tests::memory;

async fn client(credentials: Credentials) -> Client {
    let app = memory::app().expect("the seeds decode");
    let base = serve(app).await;
    Client::new(&format!("{base}{}", fixture_shop_client::BASE_PATH))
        .expect("a loopback URL")
        .with_credentials(credentials)
}

#[tokio::test]
async fn an_api_key_reads_and_a_token_writes() {
    let both = Credentials::default()
        .with_api_key("secret")
        .with_oauth("secret");
    let client = client(both).await;
    let mut list = ListProductsRequest::new();
    list.tags = vec!["kitchen".into()];
    let got = client.list_products(&list).await;
    let mug = Product::new("mug", "Mug", 1200, vec!["kitchen".into()]);
    assert_eq!(got.ok(), Some(ListProductsResponse::Ok(vec![mug])));

    let mut form = OrderForm::new("mug", 3);
    form.note = Some("gift & wrap".into());
    let got = client.place_order(&PlaceOrderRequest::new(form)).await;
    let mut order = Order::new(1, "mug", 3, 3600);
    order.note = Some("gift & wrap".into());
    assert_eq!(got.ok(), Some(PlaceOrderResponse::Created(order)));

    let png = b"\x89PNG shirt".to_vec();
    let upload = UploadImageBody::new(FilePart::new(png.clone()).with_filename("shirt.png"));
    let got = client
        .upload_image(&UploadImageRequest::new("shirt".into(), upload))
        .await;
    assert_eq!(got.ok(), Some(UploadImageResponse::NoContent));
    let got = client
        .get_image(&GetImageRequest::new("shirt".into()))
        .await;
    let Ok(GetImageResponse::Ok(image)) = got else {
        panic!("{got:?}")
    };
    // The client reads a raw answer as a stream.
    assert!(image.is_stream());
    assert_eq!(image.into_bytes().await.ok(), Some(png));
    let got = client.health(&HealthRequest::new()).await;
    assert_eq!(got.ok(), Some(HealthResponse::Ok("ok".into())));
}

#[tokio::test]
async fn a_read_token_may_not_write_and_no_credentials_are_401() {
    let reader = client(Credentials::default().with_oauth("reader")).await;
    let got = reader
        .place_order(&PlaceOrderRequest::new(OrderForm::new("mug", 1)))
        .await;
    assert!(
        matches!(got, Ok(PlaceOrderResponse::Forbidden(_))),
        "{got:?}"
    );
    let got = reader.list_products(&ListProductsRequest::new()).await;
    assert!(matches!(got, Ok(ListProductsResponse::Ok(_))), "{got:?}");

    let nobody = client(Credentials::default()).await;
    let got = nobody.list_products(&ListProductsRequest::new()).await;
    match got {
        Ok(ListProductsResponse::Unauthorized {
            www_authenticate: Some(challenge),
            ..
        }) => assert_eq!(
            challenge,
            r#"ApiKey realm="Fixture shop", in="header", name="X-API-Key", Bearer realm="Fixture shop", scope="read""#
        ),
        other => panic!("expected a 401 with a challenge: {other:?}"),
    }
    // A key the server does not know is refused before the implementation
    // answers; the client's own checks come first.
    let bad = client(Credentials::default().with_api_key("wrong")).await;
    let got = bad.list_products(&ListProductsRequest::new()).await;
    assert!(
        matches!(got, Ok(ListProductsResponse::Unauthorized { .. })),
        "{got:?}"
    );
    let got = bad
        .place_order(&PlaceOrderRequest::new(OrderForm::new("mug", 0)))
        .await;
    assert!(matches!(got, Err(Error::InvalidRequest(_))), "{got:?}");
}

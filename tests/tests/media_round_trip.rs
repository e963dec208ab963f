//! Bodies of every media type kind of tests/fixtures/media.yaml, client ↔
//! server over loopback: the exact request the implementation received,
//! the exact response the client returned, and the bytes on the wire
//! where the encoding is the point (forms).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::http::StatusCode;
use fixture_media_client::{Client, Error};
use fixture_media_server::models::binary::{Binary, BinaryError};
use fixture_media_server::models::support::{Blob, FilePart};
use fixture_media_server::models::*;
use fixture_media_server::{router, FixtureMediaApi, RequestContext};
use http_body_util::BodyExt as _;
use iom_codegen_tests::http::{request, send, serve};
use tower::ServiceExt as _;

/// Records every request it receives, as `Debug` text, with the
/// request's Content-Type.
#[derive(Clone, Default)]
struct Echo {
    seen: Arc<Mutex<Vec<String>>>,
}

impl Echo {
    fn record(&self, request: &impl std::fmt::Debug, context: &RequestContext) {
        let media = context
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("-");
        let text = format!("{media} {request:?}");
        self.seen.lock().expect("not poisoned").push(text);
    }

    fn seen(&self) -> Vec<String> {
        std::mem::take(&mut *self.seen.lock().expect("not poisoned"))
    }
}

impl FixtureMediaApi for Echo {
    async fn create_charge(
        &self,
        r: CreateChargeRequest,
        context: &mut RequestContext,
    ) -> CreateChargeResponse {
        self.record(&r, context);
        CreateChargeResponse::Ok(r.body)
    }

    async fn update_pet(
        &self,
        r: UpdatePetRequest,
        context: &mut RequestContext,
    ) -> UpdatePetResponse {
        self.record(&r, context);
        UpdatePetResponse::Ok(r.body)
    }

    async fn patch_pet(
        &self,
        r: PatchPetRequest,
        context: &mut RequestContext,
    ) -> PatchPetResponse {
        self.record(&r, context);
        PatchPetResponse::Ok(r.body.unwrap_or_else(|| Pet::new("unchanged")))
    }

    async fn put_note(&self, r: PutNoteRequest, context: &mut RequestContext) -> PutNoteResponse {
        self.record(&r, context);
        if r.id == "missing" {
            return PutNoteResponse::NotFound(format!("no note {}", r.id));
        }
        PutNoteResponse::Ok(format!("<p>{}</p>", r.body))
    }

    async fn download_file(
        &self,
        r: DownloadFileRequest,
        context: &mut RequestContext,
    ) -> DownloadFileResponse {
        self.record(&r, context);
        // Answered as it is produced: three chunks.
        let chunks = [0..=99u8, 100..=199, 200..=255]
            .map(|range| Ok(Bytes::from(range.collect::<Vec<u8>>())));
        DownloadFileResponse::Ok(Binary::from_stream(futures_util::stream::iter(chunks)))
    }

    async fn upload_file(
        &self,
        r: UploadFileRequest,
        context: &mut RequestContext,
    ) -> UploadFileResponse {
        // The body comes unread: recorded once read.
        let Ok(bytes) = r.body.clone().into_bytes().await else {
            return UploadFileResponse::Created(-1);
        };
        let mut read = r.clone();
        read.body = Binary::from(bytes.clone());
        self.record(&read, context);
        UploadFileResponse::Created(bytes.len() as i64)
    }

    async fn get_image(
        &self,
        r: GetImageRequest,
        context: &mut RequestContext,
    ) -> GetImageResponse {
        self.record(&r, context);
        GetImageResponse::Ok(Blob::new("image/png", b"\x89PNG".to_vec()))
    }

    async fn put_image(
        &self,
        r: PutImageRequest,
        context: &mut RequestContext,
    ) -> PutImageResponse {
        self.record(&r, context);
        PutImageResponse::NoContent
    }

    async fn put_anything(
        &self,
        r: PutAnythingRequest,
        context: &mut RequestContext,
    ) -> PutAnythingResponse {
        self.record(&r, context);
        PutAnythingResponse::NoContent
    }

    async fn upload_photo(
        &self,
        r: UploadPhotoRequest,
        context: &mut RequestContext,
    ) -> UploadPhotoResponse {
        self.record(&r, context);
        let body = &r.body;
        let files = body.attachments.iter().flatten().count();
        UploadPhotoResponse::Created(format!(
            "{} bytes as {:?} named {:?}, frame {} by {:?}, {files} attachments",
            body.photo.data.len(),
            body.photo.content_type,
            body.photo.filename,
            body.photo_x_frame,
            body.photo_x_camera
        ))
    }

    async fn attach_note(
        &self,
        r: AttachNoteRequest,
        context: &mut RequestContext,
    ) -> AttachNoteResponse {
        self.record(&r, context);
        AttachNoteResponse::NoContent
    }

    async fn legacy_xml(
        &self,
        r: LegacyXmlRequest,
        context: &mut RequestContext,
    ) -> LegacyXmlResponse {
        self.record(&r, context);
        LegacyXmlResponse::Ok(b"<legacy/>".to_vec().into())
    }

    async fn get_report(
        &self,
        r: GetReportRequest,
        context: &mut RequestContext,
    ) -> GetReportResponse {
        self.record(&r, context);
        // JSON unless the client takes only CSV.
        match context.accepts("application/json") {
            true => GetReportResponse::Ok(GetReportOkBody::Json(Pet::new("report"))),
            false => GetReportResponse::Ok(GetReportOkBody::Csv("name\nreport\n".into())),
        }
    }

    async fn run_query(
        &self,
        r: RunQueryRequest,
        context: &mut RequestContext,
    ) -> RunQueryResponse {
        self.record(&r, context);
        let rows = match &r.body {
            RunQueryBody::Json(query) => query.text.clone(),
            RunQueryBody::Plain(text) => text.clone(),
            RunQueryBody::OctetStream(bytes) => {
                format!("{} bytes", bytes.as_bytes().map_or(0, <[u8]>::len))
            }
        };
        match context.accepts("application/json") {
            true => RunQueryResponse::Ok(RunQueryOkBody::Json(vec![Pet::new(&rows)])),
            false => RunQueryResponse::Ok(RunQueryOkBody::Csv(format!("name\n{rows}\n"))),
        }
    }
}

fn charge() -> Charge {
    let mut charge = Charge::new(1999, "eur");
    charge.capture = Some(true);
    charge.tags = Some(vec!["a b".into(), "c&d".into()]);
    charge.labels = Some(vec!["x".into(), "y".into()]);
    charge.codes = Some(vec![1, 2]);
    charge.metadata = Some(BTreeMap::from([("order".to_string(), "42".to_string())]));
    let mut second = Item::new(250);
    second.quantity = Some(3);
    charge.items = Some(vec![Item::new(100), second]);
    let mut shipping = Address::new();
    shipping.city = Some("Köln".into());
    shipping.line = Some(vec!["Main St 1".into()]);
    charge.shipping = Some(shipping);
    charge
}

async fn client(api: &Echo) -> Client {
    Client::new(&serve(router(api.clone())).await).expect("a loopback URL")
}

#[tokio::test]
async fn a_form_round_trips_with_brackets_and_styles() {
    let api = Echo::default();
    let client = client(&api).await;
    let sent = CreateChargeRequest::new(charge());
    let got = client.create_charge(&sent).await;
    assert_eq!(got.ok(), Some(CreateChargeResponse::Ok(charge())));
    assert_eq!(
        api.seen(),
        [format!("application/x-www-form-urlencoded {sent:?}")]
    );
}

#[tokio::test]
async fn a_form_on_the_wire() {
    let api = Echo::default();
    let body = "amount=5&currency=usd&tags=t1&tags=t2&labels=x%2Cy&codes=1%7C2\
        &metadata%5Bk%5D=v&items%5B0%5D%5Bprice%5D=7&items%5B1%5D%5Bprice%5D=8\
        &items%5B1%5D%5Bquantity%5D=2&shipping[city]=Bonn";
    let post = request(
        "POST",
        "/charges",
        &[("content-type", "application/x-www-form-urlencoded")],
        body,
    );
    let answer = send(router(api.clone()), post).await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
    let mut expected = Charge::new(5, "usd");
    expected.tags = Some(vec!["t1".into(), "t2".into()]);
    expected.labels = Some(vec!["x".into(), "y".into()]);
    expected.codes = Some(vec![1, 2]);
    expected.metadata = Some(BTreeMap::from([("k".to_string(), "v".to_string())]));
    let mut second = Item::new(8);
    second.quantity = Some(2);
    expected.items = Some(vec![Item::new(7), second]);
    let mut shipping = Address::new();
    shipping.city = Some("Bonn".into());
    expected.shipping = Some(shipping);
    assert_eq!(answer.body, serde_json::to_value(&expected).expect("JSON"));

    // A form that does not decode is one 400 naming the body.
    let bad = request(
        "POST",
        "/charges",
        &[("content-type", "application/x-www-form-urlencoded")],
        "amount=lots&currency=usd",
    );
    let answer = send(router(api.clone()), bad).await;
    answer.assert_problems(&["/body: the form does not decode"]);

    // The answer takes the form the client's Accept prefers.
    let short = "amount=5&currency=usd";
    for (accept, media, body) in [
        (
            "application/x-www-form-urlencoded",
            "application/x-www-form-urlencoded",
            short.to_string(),
        ),
        (
            "text/html, application/json",
            "application/json",
            r#"{"amount":5,"currency":"usd"}"#.to_string(),
        ),
        (
            "",
            "application/json",
            r#"{"amount":5,"currency":"usd"}"#.to_string(),
        ),
    ] {
        let mut headers = vec![("content-type", "application/x-www-form-urlencoded")];
        if !accept.is_empty() {
            headers.push(("accept", accept));
        }
        let response = router(api.clone())
            .oneshot(request("POST", "/charges", &headers, short))
            .await
            .expect("axum routers are infallible");
        assert_eq!(response.headers()["content-type"], media, "{accept}");
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("a body")
            .to_bytes();
        assert_eq!(String::from_utf8_lossy(&bytes), body, "{accept}");
    }
}

#[tokio::test]
async fn json_or_a_form_of_one_schema() {
    let api = Echo::default();
    let client = client(&api).await;
    let mut pet = Pet::new("Rex");
    pet.age = Some(3);
    let got = client.update_pet(&UpdatePetRequest::new(pet.clone())).await;
    assert_eq!(got.ok(), Some(UpdatePetResponse::Ok(pet.clone())));
    // The server takes the form alternative too; XML is refused.
    let form = request(
        "PUT",
        "/pets",
        &[("content-type", "application/x-www-form-urlencoded")],
        "name=Rex&age=3",
    );
    let answer = send(router(api.clone()), form).await;
    assert_eq!(answer.status, StatusCode::OK);
    let xml = request(
        "PUT",
        "/pets",
        &[("content-type", "application/xml")],
        "<pet/>",
    );
    let answer = send(router(api.clone()), xml).await;
    assert_eq!(answer.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let request = UpdatePetRequest::new(pet);
    assert_eq!(
        api.seen(),
        [
            format!("application/json {request:?}"),
            format!("application/x-www-form-urlencoded {request:?}"),
        ]
    );
}

#[tokio::test]
async fn merge_patch_and_vendor_json() {
    let api = Echo::default();
    let client = client(&api).await;
    let mut request = PatchPetRequest::new();
    request.body = Some(Pet::new("Max"));
    let got = client.patch_pet(&request).await;
    assert_eq!(got.ok(), Some(PatchPetResponse::Ok(Pet::new("Max"))));
    let got = client.patch_pet(&PatchPetRequest::new()).await;
    assert_eq!(got.ok(), Some(PatchPetResponse::Ok(Pet::new("unchanged"))));
    assert_eq!(
        api.seen(),
        [
            format!("application/merge-patch+json {request:?}"),
            format!("- {:?}", PatchPetRequest::new()),
        ]
    );
}

#[tokio::test]
async fn text_in_and_out() {
    let api = Echo::default();
    let client = client(&api).await;
    let sent = PutNoteRequest::new("n1".into(), "héllo\nworld".into());
    let got = client.put_note(&sent).await;
    assert_eq!(
        got.ok(),
        Some(PutNoteResponse::Ok("<p>héllo\nworld</p>".into()))
    );
    let got = client
        .put_note(&PutNoteRequest::new("missing".into(), "x".into()))
        .await;
    assert_eq!(
        got.ok(),
        Some(PutNoteResponse::NotFound("no note missing".into()))
    );
    assert_eq!(api.seen()[0], format!("text/plain {sent:?}"));

    let latin1 = request("PUT", "/notes/n", &[("content-type", "text/plain")], "");
    let mut latin1 = latin1;
    *latin1.body_mut() = axum::body::Body::from(vec![0xe9u8]);
    let answer = send(router(api), latin1).await;
    answer.assert_problems(&["/body: the text is not UTF-8"]);
}

#[tokio::test]
async fn raw_bytes_up_and_down() {
    let api = Echo::default();
    let client = client(&api).await;
    let bytes: Vec<u8> = (0..=255u8).rev().collect();
    let sent = UploadFileRequest::new("f.bin".into(), bytes.into());
    let got = client.upload_file(&sent).await;
    assert_eq!(got.ok(), Some(UploadFileResponse::Created(256)));
    assert_eq!(api.seen()[0], format!("application/octet-stream {sent:?}"));
    let got = client
        .download_file(&DownloadFileRequest::new("f.bin".into()))
        .await;
    let Ok(DownloadFileResponse::Ok(body)) = got else {
        panic!("{got:?}")
    };
    assert!(body.is_stream());
    assert_eq!(body.into_bytes().await.ok(), Some((0..=255u8).collect()));
}

/// A raw body larger than the router's limit for whole bodies goes up as
/// a stream, and is read as one: neither side holds it whole.
#[tokio::test]
async fn raw_bodies_stream_both_ways() {
    let api = Echo::default();
    let options = fixture_media_server::ServerOptions::default().with_body_limit(64);
    let base = serve(fixture_media_server::router_with(api.clone(), options)).await;
    let client = Client::new(&base).expect("a loopback URL");
    let chunks: Vec<Result<Bytes, BinaryError>> = (0..4)
        .map(|i| Ok(Bytes::from(vec![i as u8; 1000])))
        .collect();
    let body = Binary::from_stream(futures_util::stream::iter(chunks));
    let sent = UploadFileRequest::new("big.bin".into(), body);
    let got = client.upload_file(&sent).await;
    assert_eq!(got.ok(), Some(UploadFileResponse::Created(4000)));
    // The stream was sent: it is not sent twice.
    let again = client.upload_file(&sent).await;
    assert!(again.is_err(), "{again:?}");

    let got = client
        .download_file(&DownloadFileRequest::new("big.bin".into()))
        .await;
    let Ok(DownloadFileResponse::Ok(body)) = got else {
        panic!("{got:?}")
    };
    let mut received = Vec::new();
    let mut chunks = std::pin::pin!(body.into_stream());
    while let Some(chunk) = futures_util::StreamExt::next(&mut chunks).await {
        received.extend_from_slice(&chunk.expect("a chunk"));
    }
    assert_eq!(received, (0..=255u8).collect::<Vec<u8>>());
}

#[tokio::test]
async fn media_ranges_carry_their_content_type() {
    let api = Echo::default();
    let client = client(&api).await;
    let got = client.get_image(&GetImageRequest::new("logo".into())).await;
    assert_eq!(
        got.ok(),
        Some(GetImageResponse::Ok(Blob::new(
            "image/png",
            b"\x89PNG".to_vec()
        )))
    );
    let anything = PutAnythingRequest::new(Blob::new("application/pdf", b"%PDF".to_vec()));
    let got = client.put_anything(&anything).await;
    assert_eq!(got.ok(), Some(PutAnythingResponse::NoContent));
    let mut image = PutImageRequest::new("logo".into());
    image.body = Some(Blob::new("image/gif", b"GIF89a".to_vec()));
    let got = client.put_image(&image).await;
    assert_eq!(got.ok(), Some(PutImageResponse::NoContent));
    let seen = api.seen();
    assert_eq!(
        seen[1..],
        [
            format!("application/pdf {anything:?}"),
            format!("image/gif {image:?}"),
        ]
    );
    // A blob outside the range is not sent; the server refuses one too.
    image.body = Some(Blob::new("text/plain", b"hi".to_vec()));
    let got = client.put_image(&image).await;
    assert!(matches!(got, Err(Error::InvalidRequest(_))), "{got:?}");
    let text = request(
        "POST",
        "/images/logo",
        &[("content-type", "text/plain")],
        "hi",
    );
    let answer = send(router(api.clone()), text).await;
    assert_eq!(answer.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(api.seen().is_empty());
}

#[tokio::test]
async fn xml_only_is_bytes() {
    let api = Echo::default();
    let client = client(&api).await;
    let got = client.legacy_xml(&LegacyXmlRequest::new()).await;
    let Ok(LegacyXmlResponse::Ok(body)) = got else {
        panic!("{got:?}")
    };
    assert_eq!(body.into_bytes().await.ok(), Some(b"<legacy/>".to_vec()));
}

/// A body of media types of different Rust values is an enum: the client
/// sends the variant it is given, the router reads the one the
/// Content-Type names, and the answer's variant follows `Accept`.
#[tokio::test]
async fn media_types_of_different_values_are_variants_both_ways() {
    let api = Echo::default();
    let client = client(&api).await;
    let json = RunQueryBody::Json(Query::new("from pets"));
    let flux = RunQueryBody::Plain("from(bucket: \"pets\")".into());
    let plan = RunQueryBody::OctetStream(vec![0, 1, 2].into());
    for (body, media, rows) in [
        (json, "application/json", "from pets"),
        (flux, "text/plain", "from(bucket: \"pets\")"),
        (plan, "application/octet-stream", "3 bytes"),
    ] {
        let sent = RunQueryRequest::new(body);
        let got = client.run_query(&sent).await;
        let expected = RunQueryResponse::Ok(RunQueryOkBody::Json(vec![Pet::new(rows)]));
        assert_eq!(got.ok(), Some(expected), "{media}");
        assert_eq!(api.seen(), [format!("{media} {sent:?}")]);
    }
    let got = client.get_report(&GetReportRequest::new()).await;
    assert_eq!(
        got.ok(),
        Some(GetReportResponse::Ok(GetReportOkBody::Json(Pet::new(
            "report"
        ))))
    );
    assert_eq!(api.seen().len(), 1);
    // The variant's own constraints are checked before sending.
    let empty = RunQueryRequest::new(RunQueryBody::Json(Query::new("")));
    let error = client.run_query(&empty).await.expect_err("invalid");
    let Error::InvalidRequest(violations) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(violations.0[0].path, "/body/text", "{violations:?}");
    assert!(api.seen().is_empty());
}

#[tokio::test]
async fn the_router_reads_and_answers_each_variant_on_the_wire() {
    let api = Echo::default();
    let query = |media: &'static str, accept: &'static str, body: &'static str| {
        let headers = [("content-type", media), ("accept", accept)];
        send(
            router(api.clone()),
            request("POST", "/query", &headers, body),
        )
    };
    let answer = query("text/plain", "text/csv", "from(x)").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.headers["content-type"], "text/csv");
    assert_eq!(answer.body, "name\nfrom(x)\n");
    let answer = query("application/json", "application/json", r#"{"text":"q"}"#).await;
    assert_eq!(answer.body, serde_json::json!([{ "name": "q" }]));
    // Each variant's own constraints and decoding.
    let answer = query("application/json", "*/*", r#"{"text":""}"#).await;
    answer.assert_rejected(StatusCode::BAD_REQUEST, &["/body/text"]);
    let answer = query("text/plain", "*/*", "").await;
    answer.assert_rejected(
        StatusCode::BAD_REQUEST,
        &["/body: the request body is missing"],
    );
    let answer = query("application/vnd.flux", "*/*", "q").await;
    assert_eq!(answer.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let answer = query("application/json", "text/html", r#"{"text":"q"}"#).await;
    assert_eq!(answer.status, StatusCode::NOT_ACCEPTABLE);
    assert_eq!(api.seen().len(), 2);
}

#[tokio::test]
async fn the_client_reads_the_variant_the_content_type_names() {
    let base = iom_codegen_tests::http::canned(
        b"HTTP/1.1 200 OK\r\ncontent-type: text/csv; charset=utf-8\r\ncontent-length: 7\r\nconnection: close\r\n\r\nname\nx\n",
    )
    .await;
    let client = Client::new(&base).expect("a loopback URL");
    let got = client.get_report(&GetReportRequest::new()).await;
    assert_eq!(
        got.ok(),
        Some(GetReportResponse::Ok(GetReportOkBody::Csv(
            "name\nx\n".into()
        )))
    );
    let base = iom_codegen_tests::http::canned(
        b"HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: 2\r\nconnection: close\r\n\r\nhi",
    )
    .await;
    let client = Client::new(&base).expect("a loopback URL");
    let error = client
        .get_report(&GetReportRequest::new())
        .await
        .expect_err("not declared");
    assert!(
        matches!(
            error,
            Error::UnexpectedContentType {
                expected: "application/json or text/csv",
                ..
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_body_of_another_media_type_is_an_error_not_a_value() {
    let base = iom_codegen_tests::http::canned(
        b"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 3\r\nconnection: close\r\n\r\nabc",
    )
    .await;
    let client = Client::new(&base).expect("a loopback URL");
    let got = client
        .download_file(&DownloadFileRequest::new("f".into()))
        .await;
    assert!(
        matches!(
            got,
            Err(Error::UnexpectedContentType {
                expected: "application/octet-stream",
                ..
            })
        ),
        "{got:?}"
    );
}

#[tokio::test]
async fn a_multipart_upload_round_trips() {
    let api = Echo::default();
    let client = client(&api).await;
    let mut form = UploadPhotoBody::new(FilePart::new(vec![1u8, 2, 3]).with_filename("cat.png"), 7);
    form.photo_x_camera = Some("Leica".into());
    form.caption = Some("a cat".into());
    form.rating = Some(5);
    form.tags = Some(vec!["pet".into(), "cute".into()]);
    form.meta = Some(Pet::new("Tom"));
    form.attachments = Some(vec![
        FilePart::new(b"one".to_vec()).with_content_type("text/plain"),
        FilePart::new(b"two".to_vec()),
    ]);
    let sent = UploadPhotoRequest::new("p1".into(), form);
    let got = client.upload_photo(&sent).await;
    assert_eq!(
        got.ok(),
        Some(UploadPhotoResponse::Created(
            "3 bytes as Some(\"image/png\") named Some(\"cat.png\"), frame 7 by Some(\"Leica\"), 2 attachments".into()
        ))
    );
    // What the server read: the encoding's content type where the file had
    // none, else application/octet-stream; the others as sent.
    let mut expected = sent.clone();
    expected.body.photo.content_type = Some("image/png".into());
    if let Some(files) = &mut expected.body.attachments {
        files[1].content_type = Some("application/octet-stream".into());
    }
    let seen = api.seen();
    assert_eq!(seen.len(), 1);
    assert!(
        seen[0].starts_with("multipart/form-data; boundary="),
        "{}",
        seen[0]
    );
    assert!(seen[0].ends_with(&format!("{expected:?}")), "{}", seen[0]);
}

#[tokio::test]
async fn a_bad_multipart_upload_is_one_400() {
    let api = Echo::default();
    let body = "--X\r\ncontent-disposition: form-data; name=\"rating\"\r\n\r\nfive\r\n\
        --X\r\ncontent-disposition: form-data; name=\"caption\"\r\n\r\nthis caption is far too long\r\n--X--\r\n";
    let post = request(
        "POST",
        "/photos/p1",
        &[("content-type", "multipart/form-data; boundary=X")],
        body,
    );
    let answer = send(router(api.clone()), post).await;
    answer.assert_problems(&[
        "/body/rating: cannot read \"five\"",
        "/body/photo: the required part is missing",
    ]);
    // The part's headers: a required one missing, one that does not read.
    for (headers, problem) in [
        (
            "",
            "/body/photo/headers/x-frame: the required header is missing",
        ),
        (
            "x-frame: zero\r\n",
            "/body/photo/headers/x-frame: cannot read \"zero\"",
        ),
    ] {
        let body = format!(
            "--X\r\ncontent-disposition: form-data; name=\"photo\"; filename=\"a.png\"\r\n{headers}\r\nPNG\r\n--X--\r\n"
        );
        let post = request(
            "POST",
            "/photos/p1",
            &[("content-type", "multipart/form-data; boundary=X")],
            &body,
        );
        let answer = send(router(api.clone()), post).await;
        answer.assert_problems(&[problem]);
    }
    assert!(api.seen().is_empty());
}

#[tokio::test]
async fn an_optional_multipart_body_of_optional_parts() {
    let api = Echo::default();
    let client = client(&api).await;
    let mut with = AttachNoteRequest::new("p1".into());
    let mut note = AttachNoteBody::new();
    note.scan = Some(FilePart::new(b"scan".to_vec()).with_content_type("image/tiff"));
    with.body = Some(note);
    let without = AttachNoteRequest::new("p2".into());
    for request in [&with, &without] {
        let got = client.attach_note(request).await;
        assert_eq!(got.ok(), Some(AttachNoteResponse::NoContent));
    }
    let seen = api.seen();
    assert!(seen[0].ends_with(&format!("{with:?}")), "{}", seen[0]);
    assert_eq!(seen[1], format!("- {without:?}"));
}

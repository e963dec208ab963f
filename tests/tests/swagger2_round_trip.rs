//! The crates generated from the Swagger 2.0 fixture
//! (tests/fixtures/swagger2/pets.yaml) speak the 2.0 wire forms: array
//! parameters by `collectionFormat`, form and multipart bodies from
//! `formData` parameters, credentials from `securityDefinitions`.

use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use fixture_swagger2_client::Client;
use fixture_swagger2_server::models::security::BasicCredentials;
use fixture_swagger2_server::models::support::FilePart;
use fixture_swagger2_server::models::*;
use fixture_swagger2_server::{router, AuthError, FixtureSwagger2Api, RequestContext};
use iom_codegen_tests::http::{request, send, serve};

/// Records what it receives.
#[derive(Clone, Default)]
struct Recorder {
    lists: Arc<Mutex<Vec<(ListPetsRequest, String)>>>,
    updates: Arc<Mutex<Vec<UpdatePetRequest>>>,
    uploads: Arc<Mutex<Vec<UploadPhotoRequest>>>,
}

impl FixtureSwagger2Api for Recorder {
    type Principal = ();

    async fn authenticate(
        &self,
        credentials: Credentials,
        _: &RequestContext,
    ) -> Result<(), AuthError> {
        let basic =
            matches!(credentials.basic, Some(BasicCredentials { password, .. }) if password == "p");
        let key = credentials.key.as_deref() == Some("k");
        let oauth = credentials.access_code.as_deref() == Some("t");
        match basic || key || oauth {
            true => Ok(()),
            false => Err(AuthError::Unauthorized),
        }
    }

    async fn list_pets(
        &self,
        r: ListPetsRequest,
        _: (),
        context: &mut RequestContext,
    ) -> ListPetsResponse {
        let uri = context.uri().to_string();
        self.lists.lock().expect("not poisoned").push((r, uri));
        let mut dog = Dog::new("Rex", "Dog");
        dog.pack_size = Some(3);
        ListPetsResponse::Ok {
            body: vec![Pet::Dog(dog)],
            x_total: Some(1),
        }
    }

    async fn add_pet(&self, _: AddPetRequest, _: (), _: &mut RequestContext) -> AddPetResponse {
        unimplemented!("not called")
    }

    async fn get_pet(&self, _: GetPetRequest, _: (), _: &mut RequestContext) -> GetPetResponse {
        unimplemented!("not called")
    }

    async fn update_pet(
        &self,
        r: UpdatePetRequest,
        _: (),
        _: &mut RequestContext,
    ) -> UpdatePetResponse {
        self.updates.lock().expect("not poisoned").push(r);
        UpdatePetResponse::NoContent
    }

    async fn get_photo(
        &self,
        _: GetPhotoRequest,
        _: (),
        _: &mut RequestContext,
    ) -> GetPhotoResponse {
        unimplemented!("not called")
    }

    async fn upload_photo(
        &self,
        r: UploadPhotoRequest,
        _: (),
        _: &mut RequestContext,
    ) -> UploadPhotoResponse {
        self.uploads.lock().expect("not poisoned").push(r);
        UploadPhotoResponse::Ok
    }
}

fn client(url: &str) -> Client {
    Client::new(url).expect("a loopback URL").with_credentials(
        Credentials::default()
            .with_key("k")
            .with_basic("u", "p")
            .with_access_code("t"),
    )
}

#[tokio::test]
async fn array_parameters_are_written_as_their_collection_format_says() {
    let api = Recorder::default();
    let url = serve(router(api.clone())).await;
    let mut sent = ListPetsRequest::new();
    sent.tags = vec!["a".into(), "b".into()];
    sent.ids = vec![1, 2];
    sent.colours = vec![ListPetsColoursItem::Red, ListPetsColoursItem::Green];
    sent.words = vec!["x".into(), "y".into()];
    let got = client(&url).list_pets(&sent).await.expect("answered");
    let ListPetsResponse::Ok { body, x_total } = got else {
        panic!("{got:?}");
    };
    assert_eq!(x_total, Some(1));
    assert!(
        matches!(&body[..], [Pet::Dog(d)] if d.pack_size == Some(3)),
        "{body:?}"
    );
    let (received, uri) = api.lists.lock().expect("not poisoned")[0].clone();
    assert_eq!(received, sent);
    // csv (the 2.0 default) joins with commas, multi repeats the key,
    // pipes and ssv join with `|` and a space.
    for wanted in [
        "tags=a%2Cb",
        "ids=1&ids=2",
        "colours=red%7Cgreen",
        "words=x+y",
    ] {
        assert!(uri.contains(wanted), "{wanted} in {uri}");
    }
}

#[tokio::test]
async fn the_router_reads_the_2_0_wire_forms_written_by_hand() {
    let api = Recorder::default();
    let answer = send(
        router(api.clone()),
        request(
            "GET",
            "/pets?tags=a,b&ids=1&ids=2&colours=red|green&words=x%20y",
            &[("x-api-key", "k")],
            "",
        ),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
    let (received, _) = api.lists.lock().expect("not poisoned")[0].clone();
    assert_eq!(received.tags, ["a", "b"]);
    assert_eq!(received.ids, [1, 2]);
    assert_eq!(received.words, ["x", "y"]);
    assert_eq!(
        answer.body,
        serde_json::json!([{"name": "Rex", "petType": "Dog", "packSize": 3}])
    );
}

#[tokio::test]
async fn form_data_parameters_are_a_form_body() {
    let api = Recorder::default();
    let url = serve(router(api.clone())).await;
    let mut body = UpdatePetBody::new("Rex");
    body.nicknames = Some(vec!["R".into(), "Rexy".into()]);
    body.status = Some(UpdatePetBodyStatus::Sold);
    let sent = UpdatePetRequest::new(7, body);
    let got = client(&url).update_pet(&sent).await.expect("answered");
    assert!(matches!(got, UpdatePetResponse::NoContent), "{got:?}");
    assert_eq!(*api.updates.lock().expect("not poisoned"), [sent]);
    // A comma-separated array field, as `collectionFormat: csv` says.
    let answer = send(
        router(api.clone()),
        request(
            "PUT",
            "/pets/8",
            &[
                ("authorization", "Bearer t"),
                ("content-type", "application/x-www-form-urlencoded"),
            ],
            "name=Tom&nicknames=T%2CTommy",
        ),
    )
    .await;
    assert_eq!(answer.status, StatusCode::NO_CONTENT, "{:?}", answer.body);
    let last = api.updates.lock().expect("not poisoned")[1].clone();
    assert_eq!(last.body.nicknames, Some(vec!["T".into(), "Tommy".into()]));
}

#[tokio::test]
async fn a_file_parameter_is_a_multipart_part() {
    let api = Recorder::default();
    let url = serve(router(api.clone())).await;
    let mut body = UploadPhotoBody::new(FilePart::new(vec![1u8, 2, 3]).with_filename("rex.png"));
    body.caption = Some("Rex".into());
    let got = client(&url)
        .upload_photo(&UploadPhotoRequest::new(7, body))
        .await
        .expect("answered");
    assert!(matches!(got, UploadPhotoResponse::Ok), "{got:?}");
    let received = api.uploads.lock().expect("not poisoned")[0].clone();
    assert_eq!(received.pet_id, 7);
    assert_eq!(received.body.file.data, [1u8, 2, 3]);
    assert_eq!(received.body.caption.as_deref(), Some("Rex"));
}

#[tokio::test]
async fn credentials_follow_the_security_definitions() {
    let api = Recorder::default();
    let answer = send(router(api.clone()), request("GET", "/pets", &[], "")).await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    let answer = send(
        router(api),
        request("GET", "/pets", &[("authorization", "Basic dTpw")], ""),
    )
    .await;
    // `GET /pets` takes the API key or an implicit OAuth 2 token, not the
    // document's basic authentication.
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
}

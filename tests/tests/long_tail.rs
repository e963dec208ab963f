//! Constructs and defects of public specs (tests/fixtures/long-tail.yaml):
//! names that are symbols or digits, discriminators over inline variants or
//! over a property no variant declares, a subtype that adds nothing to its
//! base, operations with no or only a `default` response, and path
//! parameters that disagree with their template.

use std::sync::{Arc, Mutex};

use fixture_long_tail_client::Client;
use fixture_long_tail_server::models::support::Blob;
use fixture_long_tail_server::models::*;
use fixture_long_tail_server::{router, FixtureLongTailApi, RequestContext};
use iom_codegen_tests::http::serve;
use serde_json::json;

#[test]
fn symbol_and_digit_names_are_spelled_out_and_round_trip() {
    let wire = json!({
        "+1": 3, "-1": 1, "@type": "reaction", "$ref": "#/x", "1": true,
        "foo": "f", "baz": "b", "kind": "+1"
    });
    let reactions: Reactions = serde_json::from_value(wire.clone()).expect("decodes");
    assert_eq!(reactions.plus_1, Some(3));
    assert_eq!(reactions.minus_1, Some(1));
    assert_eq!(reactions.at_type.as_deref(), Some("reaction"));
    assert_eq!(reactions.ref_.as_deref(), Some("#/x"));
    assert_eq!(reactions._1, Some(true));
    assert_eq!(reactions.kind, Some(ReactionsKind::Plus1));
    assert_eq!(serde_json::to_value(&reactions).expect("encodes"), wire);
    // `enum: []` beside `type: string` was dropped: any string is valid.
    assert!(Validate::validate(&reactions).is_ok());
}

#[test]
fn a_discriminator_tells_inline_variants_by_their_enum_values() {
    let square: Shape =
        serde_json::from_value(json!({"kind": "box", "side": 2.0})).expect("decodes");
    assert!(
        matches!(&square, Shape::Variant2(s) if s.side == 2.0),
        "{square:?}"
    );
    let circle: Shape =
        serde_json::from_value(json!({"kind": "circle", "radius": 1.5})).expect("decodes");
    assert!(
        matches!(&circle, Shape::Variant1(c) if c.radius == 1.5),
        "{circle:?}"
    );
    assert_eq!(
        serde_json::to_value(&circle).expect("encodes"),
        json!({"kind": "circle", "radius": 1.5})
    );
    // The tag decides, not the members.
    assert!(serde_json::from_value::<Shape>(json!({"kind": "circle", "side": 2.0})).is_err());
}

#[test]
fn a_discriminator_no_variant_declares_is_dropped() {
    let tagged: Tagged = serde_json::from_value(json!({"id": "x"})).expect("decodes");
    assert!(
        matches!(&tagged, Tagged::Variant2(v) if v.id == "x"),
        "{tagged:?}"
    );
    let tagged: Tagged = serde_json::from_value(json!({"+1": 2})).expect("decodes");
    assert!(
        matches!(&tagged, Tagged::Reactions(r) if r.plus_1 == Some(2)),
        "{tagged:?}"
    );
}

#[test]
fn a_subtype_that_adds_nothing_is_a_variant_of_its_own() {
    let dog: Animal =
        serde_json::from_value(json!({"animalType": "Dog", "name": "Rex"})).expect("decodes");
    assert!(
        matches!(&dog, Animal::Dog(d) if d.name.as_deref() == Some("Rex")),
        "{dog:?}"
    );
    let cat: Animal =
        serde_json::from_value(json!({"animalType": "Cat", "indoor": true})).expect("decodes");
    assert!(
        matches!(&cat, Animal::Cat(c) if c.indoor == Some(true)),
        "{cat:?}"
    );
    assert_eq!(
        serde_json::to_value(&dog).expect("encodes"),
        json!({"animalType": "Dog", "name": "Rex"})
    );
}

#[derive(Clone, Default)]
struct Recorder {
    reactions: Arc<Mutex<Vec<GetReactionsRequest>>>,
    events: Arc<Mutex<Vec<GetEventRequest>>>,
    settings: Arc<Mutex<Vec<std::collections::BTreeMap<String, serde_json::Value>>>>,
    limits: Arc<Mutex<Vec<SetLimitsRequest>>>,
    uploads: Arc<Mutex<Vec<UploadRequest>>>,
    charges: Arc<Mutex<Vec<(ListChargesRequest, String)>>>,
    notes: Arc<Mutex<Vec<SearchNotesRequest>>>,
}

impl FixtureLongTailApi for Recorder {
    async fn get_reactions(
        &self,
        request: GetReactionsRequest,
        _: &mut RequestContext,
    ) -> GetReactionsResponse {
        self.reactions.lock().expect("not poisoned").push(request);
        GetReactionsResponse::Ok(Reactions::new())
    }

    async fn ping(&self, _: PingRequest, _: &mut RequestContext) -> PingResponse {
        PingResponse::Default { status: 202 }
    }

    async fn get_event(
        &self,
        request: GetEventRequest,
        _: &mut RequestContext,
    ) -> GetEventResponse {
        self.events.lock().expect("not poisoned").push(request);
        let mut body = Reactions::new();
        body.plus_1 = Some(1);
        GetEventResponse::Default { status: 404, body }
    }

    async fn clear_settings(
        &self,
        request: ClearSettingsRequest,
        _: &mut RequestContext,
    ) -> ClearSettingsResponse {
        self.settings
            .lock()
            .expect("not poisoned")
            .push(request.body);
        ClearSettingsResponse::NoContent
    }

    async fn set_limits(
        &self,
        request: SetLimitsRequest,
        _: &mut RequestContext,
    ) -> SetLimitsResponse {
        self.limits.lock().expect("not poisoned").push(request);
        SetLimitsResponse::NoContent
    }

    async fn list_charges(
        &self,
        request: ListChargesRequest,
        context: &mut RequestContext,
    ) -> ListChargesResponse {
        let query = context.uri().query().unwrap_or_default().to_string();
        self.charges
            .lock()
            .expect("not poisoned")
            .push((request, query));
        ListChargesResponse::NoContent
    }

    async fn search_notes(
        &self,
        request: SearchNotesRequest,
        _: &mut RequestContext,
    ) -> SearchNotesResponse {
        self.notes.lock().expect("not poisoned").push(request);
        SearchNotesResponse::NoContent
    }

    async fn upload(&self, request: UploadRequest, _: &mut RequestContext) -> UploadResponse {
        self.uploads.lock().expect("not poisoned").push(request);
        UploadResponse::NoContent
    }
}

#[tokio::test]
async fn operations_with_no_or_only_a_default_response_answer_any_status() {
    let api = Recorder::default();
    let client = Client::new(&serve(router(api.clone())).await).expect("a loopback URL");
    let got = client.ping(&PingRequest::new()).await.expect("answered");
    assert!(
        matches!(got, PingResponse::Default { status: 202 }),
        "{got:?}"
    );
    // `{eventId}` had no declaration: a required string parameter.
    let got = client
        .get_event(&GetEventRequest::new("e/1".into()))
        .await
        .expect("answered");
    assert!(
        matches!(&got, GetEventResponse::Default { status: 404, body } if body.plus_1 == Some(1)),
        "{got:?}"
    );
    assert_eq!(api.events.lock().expect("not poisoned")[0].event_id, "e/1");
    // `emojiId`, which the template does not name, was removed; the
    // required `Accept` header parameter is ignored (the client sets
    // `Accept` from the media types), so `new` does not ask for it.
    let mut request = GetReactionsRequest::new(7);
    request.foo = Some("bar".into());
    client.get_reactions(&request).await.expect("answered");
    assert_eq!(*api.reactions.lock().expect("not poisoned"), [request]);
}

#[tokio::test]
async fn form_bodies_without_declared_properties_carry_their_pairs() {
    let api = Recorder::default();
    let client = Client::new(&serve(router(api.clone())).await).expect("a loopback URL");
    // `properties: {}`: any pairs, as text, on DELETE too.
    let pairs: std::collections::BTreeMap<String, serde_json::Value> = [
        ("theme".to_string(), json!("dark")),
        ("page size".to_string(), json!("20")),
    ]
    .into();
    client
        .clear_settings(&ClearSettingsRequest::new(pairs.clone()))
        .await
        .expect("answered");
    assert_eq!(*api.settings.lock().expect("not poisoned"), [pairs]);
    // A map of integers: its values are read as integers.
    let mut request = SetLimitsRequest::new();
    request.body = Some([("daily".to_string(), 5), ("monthly".to_string(), 100)].into());
    client.set_limits(&request).await.expect("answered");
    assert_eq!(*api.limits.lock().expect("not poisoned"), [request]);
}

#[tokio::test]
async fn a_multipart_body_whose_parts_no_schema_lists_is_raw_bytes() {
    let api = Recorder::default();
    let client = Client::new(&serve(router(api.clone())).await).expect("a loopback URL");
    let text = "--b\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n--b--\r\n";
    let request = UploadRequest::new(Blob::new("multipart/form-data; boundary=b", text));
    client.upload(&request).await.expect("answered");
    assert_eq!(*api.uploads.lock().expect("not poisoned"), [request]);
    // Another media type is not sent.
    let wrong = UploadRequest::new(Blob::new("text/plain", "hi"));
    assert!(client.upload(&wrong).await.is_err());
}

#[tokio::test]
async fn arrays_in_deep_objects_are_written_by_index_and_read_in_every_bracket_form() {
    let api = Recorder::default();
    let base = serve(router(api.clone())).await;
    let client = Client::new(&base).expect("a loopback URL");
    let mut request = ListChargesRequest::new();
    let mut filter = ListChargesFilter::new();
    filter.ids = Some(vec![3, 1]);
    filter.status = Some("paid".into());
    request.filter = Some(filter);
    request.expand = vec!["customer".into(), "invoice".into()];
    client.list_charges(&request).await.expect("answered");
    let (got, query) = api.charges.lock().expect("not poisoned")[0].clone();
    assert_eq!(got, request);
    assert_eq!(
        query,
        "filter%5Bids%5D%5B0%5D=3&filter%5Bids%5D%5B1%5D=1&filter%5Bstatus%5D=paid\
         &expand%5B0%5D=customer&expand%5B1%5D=invoice"
    );
    // What other clients send: empty brackets, repeated keys, indexes out
    // of order.
    for query in [
        "filter[ids][]=3&filter[ids][]=1&filter[status]=paid&expand[]=customer&expand[]=invoice",
        "filter[ids]=3&filter[ids]=1&filter[status]=paid&expand=customer&expand=invoice",
        "expand[1]=invoice&filter[ids][1]=1&expand[0]=customer&filter[status]=paid&filter[ids][0]=3",
    ] {
        let answer = reqwest::get(format!("{base}/charges?{query}"))
            .await
            .expect("answered");
        assert_eq!(answer.status(), 204, "{query}");
        let (got, _) = api
            .charges
            .lock()
            .expect("not poisoned")
            .last()
            .cloned()
            .expect("recorded");
        assert_eq!(got, request, "{query}");
    }
}

#[tokio::test]
async fn a_parameter_the_generator_cannot_write_is_its_text_as_sent() {
    let api = Recorder::default();
    let client = Client::new(&serve(router(api.clone())).await).expect("a loopback URL");
    let mut request = SearchNotesRequest::new();
    request.q = Some("title:\"a b\" & more".into());
    request.prefs = Some("dark".into());
    client.search_notes(&request).await.expect("answered");
    assert_eq!(*api.notes.lock().expect("not poisoned"), [request]);
}

//! Constructs and defects of public specs (tests/fixtures/long-tail.yaml):
//! names that are symbols or digits, discriminators over inline variants or
//! over a property no variant declares, a subtype that adds nothing to its
//! base, operations with no or only a `default` response, and path
//! parameters that disagree with their template.

use std::sync::{Arc, Mutex};

use fixture_long_tail_client::Client;
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
    // `emojiId`, which the template does not name, was removed.
    let mut request = GetReactionsRequest::new(7);
    request.foo = Some("bar".into());
    client.get_reactions(&request).await.expect("answered");
    assert_eq!(*api.reactions.lock().expect("not poisoned"), [request]);
}

//! Classes of constructs the grammar fuzzer (`cargo xtask fuzz --grammar`)
//! found generated wrongly or refused (tests/fixtures/fuzz-finds.yaml):
//! each is pinned here by its behaviour, so that it stays fixed without the
//! fuzzer. That the crates compile and pass clippy is checked by the
//! workspace build, where they are members.

use std::sync::{Arc, Mutex};

use fixture_fuzz_finds_client::Client;
use fixture_fuzz_finds_server::models::*;
use fixture_fuzz_finds_server::{router, FixtureFuzzFindsApi, RequestContext};
use iom_codegen_tests::http::serve;
use serde_json::json;

#[derive(Clone, Default)]
struct Recorder {
    into: Arc<Mutex<Vec<IntoModelRequest>>>,
    traced: Arc<Mutex<Vec<String>>>,
    two_factor: Arc<Mutex<Vec<RequestModel>>>,
}

impl FixtureFuzzFindsApi for Recorder {
    async fn into_(&self, request: IntoModelRequest, _: &mut RequestContext) -> IntoModelResponse {
        self.into.lock().expect("not poisoned").push(request);
        IntoModelResponse::NoContent
    }

    async fn type_(&self, request: TypeRequest, _: &mut RequestContext) -> TypeResponse {
        let answer = match request.id.as_str() {
            "bad" => TypeResponse::BadRequest,
            _ => TypeResponse::ClientError { status: 404 },
        };
        self.traced.lock().expect("not poisoned").push(request.id);
        answer
    }

    async fn _2fa(&self, request: V2faRequest, _: &mut RequestContext) -> V2faResponse {
        self.two_factor
            .lock()
            .expect("not poisoned")
            .push(request.body);
        V2faResponse::NoContent
    }
}

#[tokio::test]
async fn an_operation_named_into_is_a_method_the_prelude_does_not_shadow() {
    let api = Recorder::default();
    let client = Client::new(&serve(router(api.clone())).await).expect("a loopback URL");
    let mut request = IntoModelRequest::new("a".into());
    let mut body = IntoModelBody::new();
    body.name = Some("ok".into());
    request.body = Some(Some(body));
    client.into_(&request).await.expect("answered");
    // A body that may be null is sent and read as null.
    let mut null = IntoModelRequest::new("b".into());
    null.body = Some(None);
    client.into_(&null).await.expect("answered");
    assert_eq!(*api.into.lock().expect("not poisoned"), [request, null]);
    // Its checks still run where it is not null: `minLength: 2`.
    let mut short = IntoModelRequest::new("c".into());
    let mut body = IntoModelBody::new();
    body.name = Some("x".into());
    short.body = Some(Some(body));
    assert!(Validate::validate(&short).is_err());
}

#[tokio::test]
async fn trace_is_routed_and_exact_statuses_win_over_their_range() {
    let api = Recorder::default();
    let client = Client::new(&serve(router(api.clone())).await).expect("a loopback URL");
    let got = client
        .type_(&TypeRequest::new("bad".into()))
        .await
        .expect("answered");
    assert!(matches!(got, TypeResponse::BadRequest), "{got:?}");
    let got = client
        .type_(&TypeRequest::new("gone".into()))
        .await
        .expect("answered");
    assert!(
        matches!(got, TypeResponse::ClientError { status: 404 }),
        "{got:?}"
    );
    assert_eq!(*api.traced.lock().expect("not poisoned"), ["bad", "gone"]);
    // The schema `Request` is `RequestModel`: the server's `Request` is axum's.
    let mut body = RequestModel::new();
    body.code = Some("123456".into());
    client
        ._2fa(&V2faRequest::new(body.clone()))
        .await
        .expect("answered");
    assert_eq!(*api.two_factor.lock().expect("not poisoned"), [body]);
}

#[test]
fn an_array_of_its_own_kind_holds_any_depth() {
    let wire = json!([[[], [[]]], []]);
    let nested: Nested = serde_json::from_value(wire.clone()).expect("decodes");
    assert_eq!(nested.len(), 2);
    assert_eq!(serde_json::to_value(&nested).expect("encodes"), wire);
}

#[test]
fn an_inline_schema_that_comes_back_inside_itself_is_a_recursive_type() {
    let wire = json!({"child": {"note": "a", "child": {"note": "b", "child": {}}}});
    let tree: Tree = serde_json::from_value(wire.clone()).expect("decodes");
    let child = tree.child.as_ref().expect("a child");
    assert_eq!(child.note.as_deref(), Some("a"));
    let grandchild = child.child.as_ref().expect("a grandchild");
    assert_eq!(grandchild.note.as_deref(), Some("b"));
    assert_eq!(serde_json::to_value(&tree).expect("encodes"), wire);
}

#[test]
fn parts_that_disagree_on_additional_properties_keep_every_member() {
    let wire = json!({"a": "x", "b": 1, "c": "kept"});
    let mixed: Mixed = serde_json::from_value(wire.clone()).expect("decodes");
    assert_eq!(mixed.b, Some(1));
    assert_eq!(serde_json::to_value(&mixed).expect("encodes"), wire);
}

#[test]
fn a_variant_that_cannot_be_written_leaves_its_union_any_json_value() {
    for wire in [json!(3), json!({"x": 1}), json!("word")] {
        let choice: Choice = serde_json::from_value(wire.clone()).expect("decodes");
        assert_eq!(choice, wire);
    }
}

#[test]
fn a_nullable_recursive_variant_reads_null_and_itself() {
    let wire = json!({"operand": {"operand": 7}});
    let expr: Expr = serde_json::from_value(wire.clone()).expect("decodes");
    let Some(operand) = expr.operand.as_deref() else {
        panic!("an operand: {expr:?}");
    };
    assert!(
        matches!(operand, ExprOperand::Expr(Some(inner)) if matches!(inner.operand.as_deref(), Some(ExprOperand::Integer(7)))),
        "{operand:?}"
    );
    assert_eq!(serde_json::to_value(&expr).expect("encodes"), wire);
    assert_eq!(
        ExprOperand::from(None::<Expr>),
        ExprOperand::Expr(None),
        "`From` takes the variant's value as declared, null included"
    );
}

#[test]
fn an_optional_property_of_a_nullable_alias_is_checked_where_it_has_a_value() {
    let empty: BoxModel = serde_json::from_value(json!({"size": null})).expect("decodes");
    assert_eq!(empty.size.flatten(), None);
    assert!(Validate::validate(&empty).is_ok());
    let negative: BoxModel = serde_json::from_value(json!({"size": -1.0})).expect("decodes");
    assert!(Validate::validate(&negative).is_err(), "`minimum: 0`");
    let two: BoxModel = serde_json::from_value(json!({"size": 2.0})).expect("decodes");
    assert!(Validate::validate(&two).is_ok());
}

#[test]
fn a_string_whose_only_value_is_null_reads_null() {
    let silence: Silence = serde_json::from_value(json!({"nothing": null})).expect("decodes");
    assert_eq!(silence.nothing, Some(None));
    assert_eq!(
        serde_json::to_value(&silence).expect("encodes"),
        json!({"nothing": null})
    );
}

#[test]
fn a_union_that_holds_itself_through_an_alias_validates_every_level() {
    let wire = json!([1.5, [2.5, []]]);
    let item: Item = serde_json::from_value(wire.clone()).expect("decodes");
    assert!(
        matches!(&item, Item::Items(items) if items.len() == 2),
        "{item:?}"
    );
    assert!(Validate::validate(&item).is_ok());
    assert_eq!(serde_json::to_value(&item).expect("encodes"), wire);
}

//! Constructs with no exact Rust type (tests/fixtures/degraded.yaml) are
//! generated as the nearest type that accepts every document the schema
//! allows, with a warning at the place; `strict` refuses them instead.

use fixture_degraded_models::{Envelope, EnvelopeResultModel, Failure, Holder, Listing};
use iom_codegen::{generate_crates, CrateSpec};
use iom_codegen_tests::root;
use serde_json::json;

fn spec(strict: bool) -> CrateSpec {
    CrateSpec {
        spec_path: root().join("tests/fixtures/degraded.yaml"),
        display_path: "degraded.yaml".into(),
        prefix: "degraded".into(),
        strict,
        ..Default::default()
    }
}

#[test]
fn every_degraded_place_is_a_warning_with_its_class_and_line() {
    let generated = generate_crates(&spec(false)).expect("generates");
    let degraded: Vec<(String, Option<usize>)> = generated
        .warnings
        .iter()
        .filter(|w| w.is_degraded())
        .map(|w| (w.pointer.clone(), w.position.map(|(line, _)| line)))
        .collect();
    assert_eq!(
        degraded,
        [
            (
                "#/components/schemas/Failure/allOf/1/properties/success".to_string(),
                Some(33)
            ),
            (
                "#/components/schemas/Failure/allOf/1/properties/count".to_string(),
                Some(36)
            ),
            (
                "#/components/schemas/Failure/allOf/1/properties/result".to_string(),
                Some(38)
            ),
            ("#/components/schemas/NotAString/not".to_string(), Some(54)),
            ("#/components/schemas/Both/anyOf".to_string(), Some(58)),
            (
                "#/components/schemas/Sized/minProperties".to_string(),
                Some(74)
            ),
            (
                "#/components/schemas/Sized/maxProperties".to_string(),
                Some(75)
            ),
            (
                "#/components/schemas/Sized/required/0".to_string(),
                Some(76)
            ),
        ]
    );
    // An intersection that can be written is no degradation.
    assert!(!generated
        .warnings
        .iter()
        .any(|w| w.pointer.contains("Listing")));
}

#[test]
fn strict_refuses_the_degraded_places_as_errors() {
    let refused = generate_crates(&spec(true)).expect_err("strict refuses");
    let errors: Vec<&str> = refused.errors().map(|e| e.pointer.as_str()).collect();
    assert_eq!(errors.len(), 8, "{refused}");
    assert!(errors.contains(&"#/components/schemas/Both/anyOf"));
}

#[test]
fn degraded_types_decode_what_the_server_sends() {
    // Disjoint enums: either value reads; a contradictory type and an
    // object that may only be null: any JSON value.
    let failure: Failure =
        serde_json::from_value(json!({"success": false, "result": null, "count": "many"}))
            .expect("decodes");
    assert!(!failure.success);
    assert_eq!(failure.result, serde_json::Value::Null);
    assert_eq!(failure.count, Some(json!("many")));
    let holder: Holder = serde_json::from_value(
        json!({"both": [1, "x"], "failure": {"success": true, "result": {"a": 1}}}),
    )
    .expect("decodes");
    assert_eq!(holder.both, Some(json!([1, "x"])));
    assert_eq!(
        serde_json::to_value(&holder).expect("encodes"),
        json!({"both": [1, "x"], "failure": {"success": true, "result": {"a": 1}}})
    );
}

#[test]
fn a_union_meeting_an_array_is_the_array() {
    let listing: Listing =
        serde_json::from_value(json!({"success": true, "result": [1, 2]})).expect("decodes");
    assert_eq!(listing.result, [1, 2]);
    assert!(serde_json::from_value::<Listing>(json!({"success": true, "result": "x"})).is_err());
    let envelope: Envelope =
        serde_json::from_value(json!({"success": true, "result": "x"})).expect("decodes");
    assert!(
        matches!(envelope.result, EnvelopeResultModel::String(_)),
        "{:?}",
        envelope.result
    );
}

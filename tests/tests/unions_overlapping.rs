//! `anyOf`, and unions whose variants the wire format alone does not tell
//! apart (tests/fixtures/any-of.yaml): every accepted shape decodes to the
//! right variant and encodes back unchanged; what no variant accepts is
//! refused with the union's name.

use fixture_any_of_models::*;
use serde_json::{json, Value};

fn round_trip<T>(value: Value) -> T
where
    T: serde::de::DeserializeOwned + serde::Serialize,
{
    let decoded: T = serde_json::from_value(value.clone())
        .unwrap_or_else(|e| panic!("{value} must decode: {e}"));
    assert_eq!(serde_json::to_value(&decoded).expect("encodes"), value);
    decoded
}

#[test]
fn id_or_expanded_object() {
    let id: CustomerRef = round_trip(json!("cus_1"));
    assert!(matches!(id, CustomerRef::String(ref s) if s == "cus_1"));
    let full: CustomerRef = round_trip(json!({"id": "cus_1", "name": "Ada"}));
    assert!(matches!(full, CustomerRef::Customer(ref c) if c.name == "Ada"));
    let err = serde_json::from_value::<CustomerRef>(json!(5)).expect_err("a number is neither");
    assert!(err.to_string().contains("CustomerRef"), "{err}");
    // anyOf validates that one alternative holds: the id is too long.
    let long: CustomerRef = round_trip(json!("cus_123456789"));
    let violations = long.validate().expect_err("maxLength 8");
    assert_eq!(violations.0[0].path, "", "{violations:?}");
}

#[test]
fn empty_string_as_unset() {
    let eur: CurrencyOrUnset = round_trip(json!("EUR"));
    assert!(matches!(eur, CurrencyOrUnset::Currency(Currency::Eur)));
    // "" decodes as a Currency too (unknown values are kept), but does not
    // validate as one, so the second alternative is taken.
    let unset: CurrencyOrUnset = round_trip(json!(""));
    assert!(matches!(unset, CurrencyOrUnset::Variant2(_)), "{unset:?}");
    assert!(unset.validate().is_ok());
    // A value neither alternative allows still decodes (clients must not
    // fail on new server values) and is reported by validate().
    let other: CurrencyOrUnset = round_trip(json!("GBP"));
    assert!(other.validate().is_err(), "{other:?}");
}

#[test]
fn overlapping_objects_take_the_best_fit() {
    let aged: Overlapping = round_trip(json!({"age": 3, "name": "Bo"}));
    assert!(matches!(aged, Overlapping::Aged(_)), "{aged:?}");
    let named: Overlapping = round_trip(json!({"name": "Bo"}));
    assert!(matches!(named, Overlapping::Named(_)), "{named:?}");
}

#[test]
fn objects_without_required_properties_go_by_their_members() {
    let square: Shape = round_trip(json!({"side": 2.0}));
    assert!(matches!(square, Shape::Square(_)), "{square:?}");
    let circle: Shape = round_trip(json!({"radius": 1.5}));
    assert!(matches!(circle, Shape::Circle(_)), "{circle:?}");
    // A square with a negative side fails its own validation, but no other
    // variant declares `side`: it stays a square and validate() says why.
    let bad: Shape = round_trip(json!({"side": -1.0}));
    assert!(matches!(bad, Shape::Square(_)), "{bad:?}");
    let violations = bad.validate().expect_err("minimum 0");
    assert_eq!(violations.0[0].path, "/side");
}

#[test]
fn implicit_discriminator_selects_by_value() {
    let text: Part = round_trip(json!({"type": "text", "text": "hi"}));
    assert!(matches!(text, Part::TextPart(_)));
    let image: Part = round_trip(json!({"type": "image", "url": "u", "text": "alt"}));
    assert!(matches!(image, Part::ImagePart(_)));
    let err = serde_json::from_value::<Part>(json!({"type": "audio", "url": "u"}))
        .expect_err("no variant has type audio");
    assert!(
        err.to_string().contains("`type` is image_url or image"),
        "{err}"
    );
}

#[test]
fn integers_before_numbers_and_nested_unions() {
    let int: Amount = round_trip(json!(3));
    assert!(matches!(int, Amount::Integer(3)));
    let float: Amount = round_trip(json!(2.5));
    assert!(matches!(float, Amount::Number(_)));
    let nested: Nested = round_trip(json!(7));
    assert!(
        matches!(nested, Nested::Amount(Amount::Integer(7))),
        "{nested:?}"
    );
    let flag: Nested = round_trip(json!(true));
    assert!(matches!(flag, Nested::Boolean(true)));
    let customer: Nested = round_trip(json!({"id": "c", "name": "n"}));
    assert!(matches!(customer, Nested::Customer(_)));
    let err =
        serde_json::from_value::<Nested>(json!("text")).expect_err("no variant takes a string");
    assert!(err.to_string().contains("Amount"), "{err}");
}

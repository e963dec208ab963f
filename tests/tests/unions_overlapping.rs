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

#[test]
fn variants_that_only_require_get_the_union_properties() {
    let by_id: Identified = round_trip(json!({"id": "c1", "email": "a@b"}));
    assert!(
        matches!(by_id, Identified::WithId(ref v) if v.id == "c1" && v.email.as_deref() == Some("a@b"))
    );
    let by_user: Identified = round_trip(json!({"user_id": "u1", "email": "a@b"}));
    assert!(matches!(by_user, Identified::WithUserIdAndEmail(ref v) if v.user_id == "u1"));
    let err = serde_json::from_value::<Identified>(json!({"email": "a@b"}))
        .expect_err("neither `id` nor `user_id` with `email`");
    assert!(err.to_string().contains("Identified"), "{err}");
}

#[test]
fn union_properties_reach_variants_that_do_not_repeat_them() {
    let text: Shipment = round_trip(json!({"reference": "r1", "type": "text", "text": "hi"}));
    assert!(matches!(text, Shipment::TextPart(ref v) if v.reference == "r1"));
    serde_json::from_value::<Shipment>(json!({"type": "text", "text": "hi"}))
        .expect_err("`reference` is required by the union itself");
}

#[test]
fn a_union_inside_all_of_carries_the_other_parts() {
    let greater: Threshold = round_trip(json!({"level": "warn", "type": "greater", "value": 3.5}));
    assert!(matches!(greater, Threshold::Variant1(ref v) if v.level == "warn"));
    let range: Threshold =
        round_trip(json!({"level": "crit", "type": "range", "min": 1.0, "max": 2.0}));
    assert!(matches!(range, Threshold::Variant2(ref v) if v.max == 2.0));
    serde_json::from_value::<Threshold>(json!({"type": "range", "min": 1.0, "max": 2.0}))
        .expect_err("`level` comes from the other allOf part and is required");
}

#[test]
fn a_variant_that_takes_any_value_keeps_members_a_struct_would_drop() {
    let typed: Metadata = round_trip(json!({"threshold": 0.5}));
    assert!(matches!(typed, Metadata::HnswConfig(_)));
    // The struct declares none of these members and would drop them.
    let other: Metadata = round_trip(json!({"city": "London"}));
    assert!(matches!(other, Metadata::Value(Some(_))), "{other:?}");
    let text: Metadata = round_trip(json!("not an object"));
    assert!(matches!(text, Metadata::Value(Some(_))), "{text:?}");
}

#[test]
fn a_nested_union_is_ranked_by_the_members_it_declares() {
    let set: WordsOrAny = round_trip(json!({"custom": ["a"]}));
    assert!(
        matches!(set, WordsOrAny::Words(Words::WordSet(_))),
        "{set:?}"
    );
    let language: WordsOrAny = round_trip(json!("english"));
    assert!(matches!(language, WordsOrAny::Words(_)), "{language:?}");
    let other: WordsOrAny = round_trip(json!({"other": 1}));
    assert!(matches!(other, WordsOrAny::Value(Some(_))), "{other:?}");
}

#[test]
fn an_open_object_keeps_members_the_struct_does_not_declare() {
    let typed: Options = round_trip(json!({"threshold": 0.5}));
    assert!(matches!(typed, Options::HnswConfig(_)), "{typed:?}");
    let open: Options = round_trip(json!({"k": 1.2, "b": 0.75}));
    assert!(matches!(open, Options::Map(_)), "{open:?}");
}

#[test]
fn variants_accepting_the_same_value_prefer_the_narrowest_that_keeps_it_all() {
    // Both variants accept a `pin` provider; the one limiting `type` to
    // `pin` is tried first.
    let pin: Providers = round_trip(json!({"name": "p", "type": "pin", "config": {}}));
    assert!(matches!(pin, Providers::PinProvider(_)), "{pin:?}");
    // An `oauth` provider is no `PinProvider` (validate() refuses it).
    let oauth: Providers =
        round_trip(json!({"name": "o", "type": "oauth", "config": {"client_id": "c"}}));
    assert!(matches!(oauth, Providers::OAuthProvider(_)), "{oauth:?}");
}

#[test]
fn variants_differing_inside_a_member_prefer_the_one_that_keeps_it() {
    let typed: Settings = round_trip(json!({"config": {"client_id": "c"}}));
    assert!(matches!(typed, Settings::TypedSettings(_)), "{typed:?}");
    // `TypedSettings` decodes and validates this too, but its `config`
    // struct would drop `tenant`.
    let free: Settings = round_trip(json!({"config": {"tenant": 7}}));
    assert!(matches!(free, Settings::FreeSettings(_)), "{free:?}");
}

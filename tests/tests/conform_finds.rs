//! What the independent checks of `cargo xtask conform` (schema round
//! trips, Prism against the clients) found in the generated models
//! (tests/CONFORMANCE.md), pinned here so that it stays fixed without the
//! Python and Node.js tools.

use fixture_fuzz_finds_models::{BoxModel, Expr, ExprOperand};
use fixture_shapes_models::{
    from_json_slice, from_json_slice_strict, Closed, ClosedOptions, Formats, Validate,
};

#[test]
fn a_number_encodes_back_to_the_text_it_was_read_from() {
    // serde_json's default reading lands one bit off here.
    let formats: Formats = from_json_slice(br#"{"amount":2.4503641954060322}"#).expect("decodes");
    let text = serde_json::to_string(&formats).expect("encodes");
    assert_eq!(text, r#"{"amount":2.4503641954060322}"#);
}

#[test]
fn a_closed_object_refuses_undeclared_members_where_decoding_is_strict() {
    let strict: Result<Closed, _> = from_json_slice_strict(br#"{"name":"a","extra":1}"#);
    let error = strict.expect_err("a server refuses the member");
    assert!(error.to_string().contains("extra"), "{error}");
    let declared: Closed = from_json_slice_strict(br#"{"name":"a"}"#).expect("declared only");
    assert_eq!(declared.name.as_deref(), Some("a"));
    // A client ignores what a newer server adds.
    let lenient: Closed = from_json_slice(br#"{"name":"a","extra":1}"#).expect("lenient");
    assert_eq!(lenient, declared);
}

#[test]
fn an_inline_closed_object_without_properties_is_the_empty_struct() {
    // It was a map of anything, so a client's example sent members that
    // Prism refused (Apideck's `uploadSessionsFinish` body).
    let empty: Closed = from_json_slice_strict(br#"{"options":{}}"#).expect("`{}` is the value");
    assert_eq!(empty.options, Some(ClosedOptions::new()));
    let member: Result<Closed, _> = from_json_slice_strict(br#"{"options":{"key":1}}"#);
    assert!(member.is_err(), "a server refuses a member");
    assert_eq!(
        serde_json::to_string(&empty).expect("encodes"),
        r#"{"options":{}}"#
    );
}

#[test]
fn string_formats_with_a_syntax_are_checked() {
    let good: Formats = from_json_slice(
        br#"{"mail":"a@example.com","id":"3fa85f64-5717-4562-b3fc-2c963f66afa6","host":"192.0.2.1"}"#,
    )
    .expect("decodes");
    assert!(good.validate().is_ok());
    let bad: Formats =
        from_json_slice(br#"{"mail":"nobody","id":"3fa85f64","host":"192.0.2"}"#).expect("decodes");
    let violations = bad.validate().expect_err("three bad formats");
    let paths: Vec<&str> = violations.0.iter().map(|v| v.path.as_str()).collect();
    assert_eq!(paths, ["/mail", "/id", "/host"]);
}

#[test]
fn a_float_beyond_32_bits_is_a_violation_not_infinity_written_as_null() {
    // Text refuses it; a union's variant is read from a `serde_json::Value`,
    // which gives infinity.
    let formats: Formats =
        serde_json::from_value(serde_json::json!({"ratio": 1e300})).expect("decodes");
    let violations = formats.validate().expect_err("beyond f32");
    assert_eq!(violations.0[0].path, "/ratio");
}

#[test]
fn null_of_a_property_whose_type_takes_null_is_a_value_not_absence() {
    // `size` refers to an alias that may be null.
    let boxed: BoxModel = fixture_fuzz_finds_models::from_json_slice_strict(br#"{"size":null}"#)
        .expect("null is the alias's");
    assert_eq!(boxed.size, Some(None));
    assert_eq!(
        serde_json::to_string(&boxed).expect("encodes"),
        r#"{"size":null}"#
    );
    // `operand` is a union with a variant that may be null.
    let expr: Expr = fixture_fuzz_finds_models::from_json_slice_strict(br#"{"operand":null}"#)
        .expect("null is the union's");
    assert!(
        matches!(expr.operand.as_deref(), Some(ExprOperand::Expr(None))),
        "{expr:?}"
    );
}

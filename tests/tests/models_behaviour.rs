//! The generated models behave as the mapping table in the README says.

use serde_json::json;

#[test]
fn order_state_address_union_is_told_apart_by_keys_and_round_trips() {
    use iom_order_state_models::{OrderStateAddress, OrderStateAddressReceiver};
    let postal = json!({"id": 1, "type": "BILLING", "location": {"city": "Jena", "postCode": "07740", "country": "DEU"},
        "receiver": {"person": {"lastName": "Müller"}}});
    let a: OrderStateAddress =
        serde_json::from_value(postal.clone()).expect("postal address decodes");
    match &a {
        OrderStateAddress::PostalAddress(p) => {
            assert!(matches!(p.receiver, OrderStateAddressReceiver::Person(_)))
        }
        other => panic!("wrong variant {other:?}"),
    }
    assert_eq!(serde_json::to_value(&a).expect("encodes"), postal);
    let immaterial = json!({"id": 2, "kind": "EMAIL", "value": "a@b.c"});
    let b: OrderStateAddress =
        serde_json::from_value(immaterial.clone()).expect("immaterial address decodes");
    assert!(matches!(b, OrderStateAddress::ImmaterialAddress(_)));
    assert_eq!(serde_json::to_value(&b).expect("encodes"), immaterial);
    let err = serde_json::from_value::<OrderStateAddress>(json!({"id": 3}))
        .expect_err("no variant matches");
    assert!(err.to_string().contains("OrderStateAddress"), "{err}");
    assert!(
        err.to_string().contains("`location` or `receiver`"),
        "{err}"
    );
}

#[test]
fn discriminated_customer_honours_the_mapping_and_keeps_unknown_enum_values() {
    use iom_order_state_models::{OrderStateCustomer, OrderStatePersonCustomerType};
    let person = json!({"type": "PERSON", "lastName": "Meyer"});
    let c: OrderStateCustomer = serde_json::from_value(person.clone()).expect("decodes");
    let OrderStateCustomer::PersonCustomer(p) = &c else {
        panic!("wrong variant {c:?}")
    };
    assert_eq!(p.type_, Some(OrderStatePersonCustomerType::Person));
    assert_eq!(serde_json::to_value(&c).expect("encodes"), person);
    let err = serde_json::from_value::<OrderStateCustomer>(json!({"type": "ROBOT"}))
        .expect_err("unknown tag");
    assert!(
        err.to_string().contains("unknown `type` value \"ROBOT\""),
        "{err}"
    );
    let t: OrderStatePersonCustomerType =
        serde_json::from_value(json!("ALIEN")).expect("unknown values are kept");
    assert_eq!(
        t,
        OrderStatePersonCustomerType::Unrecognized("ALIEN".into())
    );
    assert_eq!(serde_json::to_value(&t).expect("encodes"), json!("ALIEN"));
}

#[test]
fn absent_null_and_defaults() {
    use fixture_nullable_models::Pet;
    let pet: Pet = serde_json::from_value(json!({"name": "Rex", "nickname": null, "note": null}))
        .expect("decodes");
    assert_eq!(pet.note, Some(None), "null is kept apart from absent");
    assert_eq!(pet.tag, None);
    assert_eq!(
        (pet.legs, pet.vaccinated, pet.color.as_str()),
        (4, false, "brown"),
        "defaults applied"
    );
    let back = serde_json::to_value(&pet).expect("encodes");
    assert_eq!(back["note"], json!(null));
    assert!(back.get("tag").is_none(), "absent stays absent");
    assert_eq!(pet.indoor, Some(true), "absent is the default");
    let absent: Pet =
        serde_json::from_value(json!({"name": "Rex", "nickname": "R"})).expect("decodes");
    assert_eq!(absent.note, None);
    let null_default: Pet =
        serde_json::from_value(json!({"name": "Rex", "nickname": "R", "indoor": null}))
            .expect("decodes");
    assert_eq!(null_default.indoor, None, "null is not the default");
    assert_eq!(
        serde_json::to_value(&null_default).expect("encodes")["indoor"],
        json!(null)
    );
    let err = serde_json::from_value::<Pet>(json!({"name": "Rex"}))
        .expect_err("a required nullable field may be null, not absent");
    assert!(
        err.to_string().contains("missing field `nickname`"),
        "{err}"
    );
}

#[test]
fn validate_lists_every_violation_with_its_path() {
    use fixture_constraints_models::{Order, Validate};
    let order: Order = serde_json::from_value(json!({
        "code": "abcdef", "quantity": 0, "price": 0.75, "tags": ["a", "a", "toolong"],
        "lines": [{"sku": ""}, {"sku": "x", "kind": "UGLY"}]
    }))
    .expect("decodes: constraints are checked by validate(), not by serde");
    let violations = order.validate().expect_err("invalid").0;
    let found: Vec<(String, &str)> = violations
        .iter()
        .map(|v| (v.path.clone(), v.keyword))
        .collect();
    for expected in [
        ("/code", "maxLength"),
        ("/code", "pattern"),
        ("/quantity", "minimum"),
        ("/price", "multipleOf"),
        ("/tags", "uniqueItems"),
        ("/tags/2", "maxLength"),
        ("/lines/0/sku", "minLength"),
        ("/lines/1/kind", "enum"),
    ] {
        assert!(
            found.contains(&(expected.0.to_string(), expected.1)),
            "missing {expected:?} in {found:?}"
        );
    }
    assert_eq!(found.len(), 8, "{found:?}");
    let ok: Order =
        serde_json::from_value(json!({"code": "AB", "quantity": 2, "lines": [{"sku": "x"}]}))
            .expect("decodes");
    assert_eq!(ok.validate(), Ok(()));
}

#[test]
fn look_around_and_backreference_patterns_are_enforced() {
    use fixture_constraints_models::{Upload, Validate};
    let upload = |value: serde_json::Value| -> Upload {
        serde_json::from_value(value).expect("patterns are checked by validate(), not by serde")
    };
    let ok = upload(json!({"file": "letters/a.pdf", "secret": "s3cretpass", "twice": "zz"}));
    assert_eq!(ok.validate(), Ok(()));
    let bad =
        upload(json!({"file": "https://x.org/a.pdf", "secret": "onlyletters", "twice": "zy"}));
    let violations = bad.validate().expect_err("every pattern is broken").0;
    let found: Vec<(&str, &str)> = violations
        .iter()
        .map(|v| (v.path.as_str(), v.keyword))
        .collect();
    assert_eq!(
        found,
        [
            ("/file", "pattern"),
            ("/secret", "pattern"),
            ("/twice", "pattern")
        ]
    );
    assert!(
        violations[0]
            .message
            .contains(r#"does not match the pattern "^(?!https?://)"#),
        "{}",
        violations[0].message
    );
}

#[test]
fn decode_errors_carry_the_json_path() {
    let err = iom_rma_models::from_json_slice::<iom_rma_models::WriteReturnRequest>(
        br#"{"type": "RETURN", "positions": [{"positionNumber": 1, "productNumber": "p", "reason": "r", "quantity": "two"}]}"#,
    )
    .expect_err("quantity is not a number");
    assert_eq!(err.path, "positions[0].quantity");
}

#[test]
fn decoding_refuses_trailing_characters() {
    let err = iom_rma_models::from_json_slice::<iom_rma_models::ContactPerson>(
        br#"{"lastName": "Meyer", "emailAddress": "m@example.com"} {"#,
    )
    .expect_err("a second value follows the first");
    assert_eq!(err.path, ".");
    assert!(err.message.contains("trailing characters"), "{err}");
}

#[test]
fn pointers_escape_member_names() {
    use iom_rma_models::Pointer;
    let root = Pointer::ROOT;
    assert_eq!(root.to_string(), "");
    let member = root.member("a/b~c");
    let item = member.index(3);
    assert_eq!(item.member("~/").to_string(), "/a~1b~0c/3/~0~1");
}

#[test]
fn untagged_union_by_json_kind() {
    use fixture_unions_models::Scalar;
    assert!(matches!(
        serde_json::from_value::<Scalar>(json!("abc")),
        Ok(Scalar::String(_))
    ));
    assert!(matches!(
        serde_json::from_value::<Scalar>(json!(7)),
        Ok(Scalar::Integer(7))
    ));
    assert!(matches!(
        serde_json::from_value::<Scalar>(json!(["a"])),
        Ok(Scalar::Array(_))
    ));
    assert!(serde_json::from_value::<Scalar>(json!(true)).is_err());
}

#[test]
fn byte_format_is_base64_bytes() {
    use fixture_shapes_models::{from_json_slice, Formats};
    let f: Formats = serde_json::from_value(json!({"raw": "SU9N"})).expect("decodes");
    assert_eq!(f.raw.as_ref().map(|b| b.0.as_slice()), Some(&b"IOM"[..]));
    assert_eq!(
        serde_json::to_value(&f).expect("encodes"),
        json!({"raw": "SU9N"})
    );
    let err = from_json_slice::<Formats>(br#"{"raw": "not base64!"}"#).expect_err("rejected");
    assert_eq!(err.path, "raw");
    assert!(err.message.contains("invalid base64"), "{err}");
}

#[test]
fn defaults_of_every_json_kind_are_applied() {
    use fixture_shapes_models::{Defaults, DefaultsWindowUnit};
    let d: Defaults = serde_json::from_value(json!({})).expect("every property is optional");
    assert_eq!(d, Defaults::new(), "decoding and `new` agree");
    assert!(d.tags.is_empty());
    assert_eq!(d.sizes, [1, 2]);
    assert!(d.labels.is_empty());
    assert_eq!(d.limits.get("daily"), Some(&10));
    assert_eq!(d.window.size, Some(3));
    assert_eq!(
        d.window.unit,
        DefaultsWindowUnit::Seconds,
        "the nested default too"
    );
    assert_eq!(d.settings.get("verbose"), Some(&json!(true)));
    assert_eq!(d.name, "");
    assert_eq!(d.since.to_string(), "2024-01-01");
    assert_eq!(d.note, None);
    assert_eq!(d.level, None, "a default that does not fit is not applied");
    assert_eq!(d.small, None, "an int32 default beyond its range either");
    // A sent value replaces the default, also an empty one.
    let sent: Defaults =
        serde_json::from_value(json!({"sizes": [], "settings": {}})).expect("decodes");
    assert!(sent.sizes.is_empty());
    assert!(sent.settings.is_empty());
    // `type: object` is an object: not `null`, which it does not allow.
    let null: Result<Defaults, _> = serde_json::from_value(json!({"settings": null}));
    assert!(null.is_err());
}

#[test]
fn a_tagged_variant_is_written_with_its_mapping_tag_once() {
    use iom_order_state_models::{OrderStateCustomer, OrderStatePersonCustomer};
    let mut person: OrderStatePersonCustomer =
        serde_json::from_value(json!({"lastName": "Meyer", "type": "PERSON"})).expect("a person");
    // A variant value whose own `type` disagrees with its variant: the
    // mapping decides, and the key is written once.
    person.type_ = serde_json::from_value(json!("COMPANY")).expect("an enum value");
    let customer = OrderStateCustomer::PersonCustomer(person);
    let text = serde_json::to_string(&customer).expect("encodes");
    assert_eq!(text.matches("\"type\"").count(), 1, "{text}");
    let back: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(back, json!({"type": "PERSON", "lastName": "Meyer"}));
    // Inside a list, with the tag missing from the variant value.
    let list = vec![OrderStateCustomer::PersonCustomer(
        serde_json::from_value(json!({"lastName": "A"})).expect("a person"),
    )];
    assert_eq!(
        serde_json::to_value(&list).expect("encodes"),
        json!([{"type": "PERSON", "lastName": "A"}])
    );
}

#[test]
fn single_part_all_of_is_its_reference_with_the_outer_default_and_nullable() {
    use fixture_all_of_models::{Annotated, Colour, Validate};
    let empty: Annotated = serde_json::from_value(json!({})).expect("decodes");
    assert_eq!(empty.colour, Colour::Green, "the outer default applies");
    let explicit_null: Annotated =
        serde_json::from_value(json!({"maybe": null})).expect("nullable through allOf");
    assert_eq!(explicit_null.maybe, Some(None));
    // A plain string type used as items and map values is checked there.
    let long: Annotated =
        serde_json::from_value(json!({"skus": ["ok", "too-long"], "prices": {"a": "12345"}}))
            .expect("decodes");
    let violations = long.validate().expect_err("maxLength 4");
    let paths: Vec<&str> = violations.0.iter().map(|v| v.path.as_str()).collect();
    assert_eq!(paths, ["/skus/1", "/prices/a"]);
}

#[test]
fn numbers_in_a_string_enum_are_their_text() {
    use fixture_enums_models::PriceLevel;
    let level: PriceLevel = serde_json::from_value(json!("1")).expect("decodes");
    assert_eq!(level, PriceLevel::from("1"));
    assert_eq!(PriceLevel::VALUES, ["0", "1", "2"]);
}

#[test]
fn a_property_two_all_of_parts_declare_gets_both_declarations() {
    use fixture_all_of_models::{TextAttribute, TextAttributeKind, Validate};
    let ok: TextAttribute = serde_json::from_value(json!({
        "kind": "text", "size": 80, "owner": {"name": "n", "email": "e"}
    }))
    .expect("decodes");
    assert_eq!(ok.kind, TextAttributeKind::Text);
    let owner = ok.owner.as_ref().expect("owner");
    assert_eq!(
        (owner.name.as_deref(), owner.email.as_deref()),
        (Some("n"), Some("e"))
    );
    assert!(ok.validate().is_ok());
    // `number` is in the base's enum but not in the refinement; 81 is within
    // the base's maximum but not the refinement's.
    let narrowed: TextAttribute =
        serde_json::from_value(json!({"kind": "number", "size": 81})).expect("decodes");
    let violations = narrowed.validate().expect_err("outside the intersection");
    let paths: Vec<&str> = violations.0.iter().map(|v| v.path.as_str()).collect();
    assert_eq!(paths, ["/kind", "/size"]);
}

#[test]
fn open_objects_keep_their_undeclared_members() {
    use fixture_shapes_models::{FreeForm, OpenRecord};
    let free: FreeForm = serde_json::from_value(json!({"city": "London"})).expect("decodes");
    assert_eq!(
        serde_json::to_value(&free).ok(),
        Some(json!({"city": "London"}))
    );
    // A declared object, with any members: but an object.
    assert!(serde_json::from_value::<FreeForm>(json!(true)).is_err());
    let value = json!({"id": "r1", "color": "green", "size": 3});
    let record: OpenRecord = serde_json::from_value(value.clone()).expect("decodes");
    assert_eq!(record.id.as_deref(), Some("r1"));
    assert_eq!(record.additional_properties["color"], json!("green"));
    assert_eq!(serde_json::to_value(&record).expect("encodes"), value);
}

#[test]
fn an_object_type_does_not_decode_from_an_array() {
    use fixture_nullable_models::Pet;
    // serde's derived code would read the array one field per element.
    let err = serde_json::from_value::<Pet>(json!(["Rex", "R"])).expect_err("not an object");
    assert!(err.to_string().contains("invalid type: sequence"), "{err}");
}

#[test]
fn number_enums_compare_by_value() {
    use fixture_enums_models::{Section, Validate};
    let ok: Section = serde_json::from_value(json!({"mode": -1})).expect("decodes");
    assert_eq!(ok.mode, Some(-1.0));
    assert!(ok.validate().is_ok());
    let bad: Section = serde_json::from_value(json!({"mode": 2})).expect("decodes");
    let violations = bad.validate().expect_err("2 is not listed");
    assert_eq!(violations.0[0].path, "/mode");
}

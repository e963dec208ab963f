//! `cargo xtask spec-diff`: the published changelogs as the oracle, the
//! absence of formatting noise, and one small spec pair per rule.

use std::path::Path;

use iom_codegen::diff::{self, Format, Level, Rule, SpecDiff};
use iom_codegen::load::{self, LoadedSpec};
use iom_codegen_tests::{published_specs, root};

fn load(path: &Path) -> LoadedSpec {
    load::load_file(path).unwrap_or_else(|d| panic!("{d}"))
}

fn published(old: &str, new: &str) -> Option<SpecDiff> {
    let dir = published_specs()?;
    let file = |v: &str| dir.join(format!("intershop-order-management-{v}.yaml"));
    Some(diff::diff(&load(&file(old)), &load(&file(new)), old, new))
}

/// `(subject, at, rule)` of every change, for exact comparisons.
fn facts(d: &SpecDiff) -> Vec<(String, String, &'static str)> {
    d.changes
        .iter()
        .map(|c| (c.subject.clone(), c.at.clone(), c.rule.id()))
        .collect()
}

fn has(d: &SpecDiff, subject: &str, at: &str, rule: Rule, detail: &str) {
    assert!(
        d.changes
            .iter()
            .any(|c| c.subject == subject && c.at == at && c.rule == rule && c.detail == detail),
        "missing {subject} / {at} / {} / {detail} in\n{}",
        rule.id(),
        diff::render(d, Format::Text)
    );
}

#[test]
fn rma_2_9_4_0_to_2_10_adds_returnables_and_return_reasons() {
    let Some(d) = published("rma-2.9.4.0", "rma-2.10") else {
        return;
    };
    assert_eq!(
        facts(&d),
        [
            (
                "GET /shops/{shopName}/orders/{shopOrderNumber}/return-requests/returnables".into(),
                String::new(),
                "operation-added"
            ),
            (
                "GET /shops/{shopName}/return-reasons".into(),
                String::new(),
                "operation-added"
            ),
        ]
    );
    let rust = d.rust.as_ref().expect("both generate");
    let server = &rust.crates[1];
    assert_eq!(
        (server.kind, server.bump),
        ("server", diff::rust::Bump::Major)
    );
    assert!(
        server.understated(),
        "2.9.4 → 2.10.0 is minor, a new trait method is major"
    );
}

#[test]
fn rma_2_10_to_2_11_adds_contact_persons_and_requires_their_names() {
    let Some(d) = published("rma-2.10", "rma-2.11") else {
        return;
    };
    has(
        &d,
        "schema WriteReturnRequest",
        "contactPersons",
        Rule::OptionalPropertyAdded,
        "optional property added",
    );
    has(
        &d,
        "schema ContactPerson",
        "lastName",
        Rule::PropertyBecameRequired,
        "became required",
    );
    has(
        &d,
        "schema ContactPerson",
        "emailAddress",
        Rule::PropertyBecameRequired,
        "became required",
    );
    // No formatting noise: quoting, key order, the `shop` → `Shop` tag and
    // the re-ordered paths leave nothing; what else is reported is real.
    let subjects: Vec<&str> = d.changes.iter().map(|c| c.subject.as_str()).collect();
    assert!(subjects
        .iter()
        .all(|s| s.starts_with("GET ") || s.starts_with("POST ") || s.starts_with("schema ")));
    assert!(d
        .changes
        .iter()
        .all(|c| c.rule != Rule::OperationAdded && c.rule != Rule::OperationRemoved));
    let others: Vec<_> = d
        .changes
        .iter()
        .filter(|c| !c.subject.starts_with("schema "))
        .map(|c| (c.at.as_str(), c.rule))
        .collect();
    assert!(
        others.iter().all(|o| *o
            == (
                "response 401 header `www-authenticate`",
                Rule::OptionalResponseHeaderAdded
            )),
        "{others:?}"
    );
}

#[test]
fn order_2_0_to_2_1_reports_tax_and_promotion_limits() {
    let Some(d) = published("order-2.0", "order-2.1") else {
        return;
    };
    has(
        &d,
        "schema Tax",
        "rate",
        Rule::OptionalPropertyAdded,
        "optional property added",
    );
    has(
        &d,
        "schema Tax",
        "location",
        Rule::OptionalPropertyAdded,
        "optional property added",
    );
    has(
        &d,
        "schema Tax",
        "type",
        Rule::ConstraintTightened,
        "maxLength none → 512",
    );
    // 2.0 sets no limit on `id`, so 512 is a new limit, not a longer one.
    has(
        &d,
        "schema Promotion",
        "id",
        Rule::ConstraintTightened,
        "maxLength none → 512",
    );
    for (field, old) in [
        ("name", 256),
        ("descriptorId", 255),
        ("code", 256),
        ("budgetSourceId", 256),
    ] {
        has(
            &d,
            "schema Promotion",
            field,
            Rule::ConstraintLoosened,
            &format!("maxLength {old} → 1024"),
        );
    }
    // `minLength: 0` added next to the new limits is no constraint.
    assert!(d.changes.iter().all(|c| !c.detail.contains("minLength")));
}

#[test]
fn a_spec_compared_with_itself_reports_nothing() {
    let mut specs = vec![];
    for entry in [
        "order-state-1.0",
        "communication-2.9.4.0",
        "gdpr-2.9.4.0",
        "rma-2.11",
    ] {
        specs.push(root().join(format!("specs/{entry}.yaml")));
    }
    if let Some(dir) = published_specs() {
        specs.push(dir.join("intershop-order-management-order-2.1.yaml"));
    }
    for spec in specs {
        let s = load(&spec);
        let d = diff::diff(&s, &s, "a", "b");
        assert_eq!(d.changes, vec![], "{}", spec.display());
        assert!(d
            .rust
            .as_ref()
            .is_some_and(|r| r.crates.iter().all(|c| c.changes.is_empty())));
        assert_eq!(d.worst(), Level::Compatible);
        assert!(diff::render(&d, Format::Markdown).contains("No changes"));
    }
}

/// A small spec: one POST whose body and 200 answer are `Item`, plus the
/// given extra YAML at the end of `Item`'s properties and of the operation.
fn spec(item_props: &str, item_extra: &str, op_extra: &str) -> String {
    format!(
        r#"openapi: 3.0.3
info: {{title: T, version: "1.0"}}
paths:
  /items/{{id}}:
    post:
      operationId: putItem
      parameters:
        - {{name: id, in: path, required: true, schema: {{type: string}}}}
{op_extra}
      requestBody:
        required: true
        content:
          application/json:
            schema: {{$ref: '#/components/schemas/Item'}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/Out'}}
components:
  schemas:
    Item:
      type: object
      required: [name]
      properties:
        name: {{type: string}}
{item_props}
{item_extra}
    Out:
      type: object
      properties:
        name: {{type: string}}
"#
    )
}

fn pair(old: &str, new: &str) -> SpecDiff {
    let dir = tempfile::tempdir().expect("temp dir");
    let (o, n) = (dir.path().join("old.yaml"), dir.path().join("new.yaml"));
    std::fs::write(&o, old).expect("write");
    std::fs::write(&n, new).expect("write");
    diff::diff(&load(&o), &load(&n), "old.yaml", "new.yaml")
}

/// One rule's case: the report, which must contain the rule, as a snapshot.
fn case(name: &str, rule: Rule, old: &str, new: &str) {
    let d = pair(old, new);
    assert!(
        d.changes.iter().any(|c| c.rule == rule),
        "{name}: no {}:\n{}",
        rule.id(),
        diff::render(&d, Format::Text)
    );
    insta::assert_snapshot!(
        format!("spec_diff_{name}"),
        diff::render(&d, Format::Markdown)
    );
}

#[test]
fn request_property_rules() {
    let base = spec("", "", "");
    case(
        "required_property_added",
        Rule::RequiredPropertyAdded,
        &base,
        &spec("        size: {type: integer}", "", "")
            .replace("required: [name]", "required: [name, size]"),
    );
    case(
        "optional_property_added",
        Rule::OptionalPropertyAdded,
        &base,
        &spec("        size: {type: integer}", "", ""),
    );
    case(
        "property_became_optional",
        Rule::PropertyBecameOptional,
        &base,
        &base.replace("required: [name]", "required: []"),
    );
    case(
        "constraint_tightened_and_loosened",
        Rule::ConstraintTightened,
        &spec("        code: {type: string, maxLength: 10}", "", ""),
        &spec(
            "        code: {type: string, maxLength: 5, pattern: '^[A-Z]+$'}",
            "",
            "",
        ),
    );
    case(
        "enum_value_added_and_removed",
        Rule::EnumValueAdded,
        &spec("        kind: {type: string, enum: [A, B]}", "", ""),
        &spec("        kind: {type: string, enum: [A, C]}", "", ""),
    );
    case(
        "type_changed_and_nullable",
        Rule::TypeChanged,
        &spec("        size: {type: integer}", "", ""),
        &spec("        size: {type: string, nullable: true}", "", ""),
    );
}

#[test]
fn operation_rules() {
    let base = spec("", "", "");
    case(
        "operation_id_changed",
        Rule::OperationIdChanged,
        &base,
        &base.replace("operationId: putItem", "operationId: storeItem"),
    );
    case(
        "parameter_added",
        Rule::RequiredParameterAdded,
        &base,
        &spec(
            "",
            "",
            "        - {name: mode, in: query, required: true, schema: {type: string}}",
        ),
    );
    case(
        "path_parameter_renamed_keeps_the_operation",
        Rule::PathParameterRenamed,
        &base,
        &base
            .replace("/items/{id}", "/items/{itemId}")
            .replace("name: id,", "name: itemId,"),
    );
    case(
        "response_status_added",
        Rule::ResponseStatusAdded,
        &base,
        &base.replace(
            "      responses:\n",
            "      responses:\n        \"404\": {description: missing}\n",
        ),
    );
    case(
        "security_alternative_added_to_anonymous",
        Rule::SecurityAlternativeAdded,
        &base,
        &spec("", "", "      security: [{basic: []}]").replace(
            "components:\n",
            "components:\n  securitySchemes:\n    basic: {type: http, scheme: basic}\n",
        ),
    );
}

#[test]
fn formatting_and_ref_indirection_are_not_changes() {
    let old = spec("        size: {type: integer, maximum: 10}", "", "");
    // Block style, other quoting, keys re-ordered, a description added, and
    // the property's schema moved behind a `$ref` to an equal component.
    let new = old
        .replace(
            "        size: {type: integer, maximum: 10}",
            "        size:\n          $ref: \"#/components/schemas/Size\"",
        )
        .replace(
            "    Out:\n",
            "    Size:\n      maximum: 10\n      description: how big\n      type: 'integer'\n    Out:\n",
        );
    let d = pair(&old, &new);
    assert_eq!(d.changes, vec![], "{}", diff::render(&d, Format::Text));
}

#[test]
fn every_rule_is_documented() {
    let doc = std::fs::read_to_string(root().join("generator/SPEC-DIFF.md")).expect("SPEC-DIFF.md");
    assert!(
        doc.contains(&diff::rules::markdown_table()),
        "generator/SPEC-DIFF.md must contain the rules table exactly as `rules::markdown_table()` renders it"
    );
}

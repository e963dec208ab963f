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
    // Only responses carry `ContactPerson`: old clients cope, servers must
    // now always send both; the crates break (`String` instead of
    // `Option<String>`), which the minor 2.11.0 does not say.
    assert_eq!(d.worst(), Level::Breaking);
    let models = &d.rust.as_ref().expect("both generate").crates[0];
    assert!(models.understated(), "{models:?}");
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
    let read = |name: &str, text: &str| {
        load::load_str(Path::new(name), text, load::Format::Yaml).unwrap_or_else(|d| panic!("{d}"))
    };
    diff::diff(
        &read("old.yaml", old),
        &read("new.yaml", new),
        "old.yaml",
        "new.yaml",
    )
}

/// One case: its report as a snapshot; the rules it shows.
fn case(name: &str, old: &str, new: &str) -> Vec<Rule> {
    let d = pair(old, new);
    insta::assert_snapshot!(
        format!("spec_diff_{name}"),
        diff::render(&d, Format::Markdown)
    );
    d.changes.iter().map(|c| c.rule).collect()
}

const BODY: &str = "      requestBody:\n        required: true\n";
const NO_BODY: &str = "      x-body:\n        required: true\n";
const OPTIONAL_BODY: &str = "      requestBody:\n        required: false\n";
const OUT: &str = "    Out:\n      type: object\n      properties:\n        name: {type: string}\n";
const OK: &str = "          description: ok\n";

/// `spec` with `Out` (the response schema) replaced.
fn with_out(out: &str) -> String {
    spec("", "", "").replace(OUT, out)
}

fn with_param(param: &str) -> String {
    spec("", "", &format!("        - {param}"))
}

fn with_header(header: &str) -> String {
    let headers = format!("{OK}          headers:\n            X-Id: {header}\n");
    spec("", "", "").replace(OK, &headers)
}

fn with_security(alternatives: &str, basic: &str) -> String {
    let schemes = format!(
        "components:\n  securitySchemes:\n    basic: {{type: http, scheme: {basic}}}\n    bearer: {{type: http, scheme: bearer}}\n"
    );
    spec("", "", &format!("      security: {alternatives}")).replace("components:\n", &schemes)
}

fn with_server(url: &str, default: &str) -> String {
    let servers = format!(
        "servers:\n  - url: '{url}'\n    variables:\n      port: {{default: '{default}', enum: ['80', '443']}}\npaths:\n"
    );
    spec("", "", "").replace("paths:\n", &servers)
}

/// A `pet` union of the given members, mapped as given.
fn with_pets(mapping: &[(&str, &str)], members: &[&str]) -> String {
    let r = |n: &str| format!("{{$ref: '#/components/schemas/{n}'}}");
    let members: Vec<String> = members.iter().map(|m| r(m)).collect();
    let mapping: Vec<String> = mapping
        .iter()
        .map(|(k, v)| format!("{k}: '#/components/schemas/{v}'"))
        .collect();
    let pet = format!(
        "        pet: {{oneOf: [{}], discriminator: {{propertyName: kind, mapping: {{{}}}}}}}",
        members.join(", "),
        mapping.join(", ")
    );
    let animal = |n: &str| {
        format!(
            "    {n}: {{type: object, required: [kind], properties: {{kind: {{type: string}}}}}}\n"
        )
    };
    let animals = format!(
        "{}{}{}    Out:\n",
        animal("Cat"),
        animal("Dog"),
        animal("Cow")
    );
    spec(&pet, "", "").replace("    Out:\n", &animals)
}

/// Every rule has a small spec pair whose report is a snapshot.
#[test]
fn one_case_per_rule() {
    let base = spec("", "", "");
    let other_op = "  /other:\n    get:\n      operationId: getOther\n      responses:\n        \"200\": {description: ok}\ncomponents:\n";
    let with_other = base.replace("components:\n", other_op);
    let query = |extra: &str| format!("{{name: mode, in: query{extra}, schema: {{type: string}}}}");
    let tags = |extra: &str| {
        format!(
            "{{name: tags, in: query{extra}, schema: {{type: array, items: {{type: string}}}}}}"
        )
    };
    let with_404 = base.replace(
        "      responses:\n",
        "      responses:\n        \"404\": {description: missing}\n",
    );
    let vendor_out = base.replace(
        &format!("{OK}          content:\n            application/json:\n"),
        &format!("{OK}          content:\n            application/vnd.out+json:\n"),
    );
    let cat_dog = with_pets(&[("cat", "Cat"), ("dog", "Dog")], &["Cat", "Dog"]);
    let cat = with_pets(&[("cat", "Cat")], &["Cat"]);
    let required = "{required: true, schema: {type: string}}";
    let optional = "{schema: {type: string}}";
    let cases: Vec<(&str, String, String)> = vec![
        ("operation_added", base.clone(), with_other.clone()),
        ("operation_removed", with_other, base.clone()),
        ("operation_id_changed", base.clone(), base.replace("operationId: putItem", "operationId: storeItem")),
        ("deprecation_changed", base.clone(), spec("", "", "      deprecated: true")),
        ("required_parameter_added", base.clone(), with_param(&query(", required: true"))),
        ("optional_parameter_added", base.clone(), with_param(&query(""))),
        ("required_parameter_removed", with_param(&query(", required: true")), base.clone()),
        ("optional_parameter_removed", with_param(&query("")), base.clone()),
        ("parameter_renamed", with_param(&query("")), with_param(&query("").replace("mode", "kind"))),
        (
            "path_parameter_renamed",
            base.clone(),
            base.replace("/items/{id}", "/items/{itemId}").replace("name: id,", "name: itemId,"),
        ),
        ("parameter_became_required", with_param(&query("")), with_param(&query(", required: true"))),
        ("parameter_became_optional", with_param(&query(", required: true")), with_param(&query(""))),
        ("parameter_style_changed", with_param(&tags("")), with_param(&tags(", explode: false"))),
        ("required_request_body_added", base.replace(BODY, NO_BODY), base.clone()),
        ("optional_request_body_added", base.replace(BODY, NO_BODY), base.replace(BODY, OPTIONAL_BODY)),
        ("request_body_removed", base.clone(), base.replace(BODY, NO_BODY)),
        ("request_body_became_required", base.replace(BODY, OPTIONAL_BODY), base.clone()),
        ("request_body_became_optional", base.clone(), base.replace(BODY, OPTIONAL_BODY)),
        (
            "request_media_type_added_and_removed",
            base.clone(),
            base.replacen("          application/json:\n", "          application/vnd.item+json:\n", 1),
        ),
        ("response_status_added", base.clone(), with_404.clone()),
        ("response_status_removed", with_404, base.clone()),
        ("response_media_type_added_and_removed", base.clone(), vendor_out),
        ("required_response_header_added", base.clone(), with_header(required)),
        ("optional_response_header_added", base.clone(), with_header(optional)),
        ("required_response_header_removed", with_header(required), base.clone()),
        ("optional_response_header_removed", with_header(optional), base.clone()),
        ("response_header_became_required", with_header(optional), with_header(required)),
        ("response_header_became_optional", with_header(required), with_header(optional)),
        (
            "required_property_added_to_a_request",
            base.clone(),
            spec("        size: {type: integer}", "", "").replace("required: [name]", "required: [name, size]"),
        ),
        (
            "required_property_added_to_a_response",
            base.clone(),
            with_out("    Out:\n      type: object\n      required: [id]\n      properties:\n        name: {type: string}\n        id: {type: string}\n"),
        ),
        ("optional_property_added", base.clone(), spec("        size: {type: integer}", "", "")),
        (
            "required_property_removed_from_a_request",
            base.clone(),
            base.replace("        name: {type: string}\n\n\n    Out", "        other: {type: string}\n\n\n    Out"),
        ),
        (
            "optional_property_removed_from_a_response",
            base.clone(),
            with_out("    Out:\n      type: object\n      properties:\n        id: {type: string}\n"),
        ),
        (
            "property_became_required_in_a_response",
            base.clone(),
            with_out("    Out:\n      type: object\n      required: [name]\n      properties:\n        name: {type: string}\n"),
        ),
        ("property_became_optional_in_a_request", base.clone(), base.replace("required: [name]", "required: []")),
        (
            "type_changed_and_nullable_added",
            spec("        size: {type: integer}", "", ""),
            spec("        size: {type: string, nullable: true}", "", ""),
        ),
        (
            "constraints_tightened",
            spec(
                "        code: {type: string, maxLength: 10}\n        count: {type: integer, multipleOf: 2}",
                "",
                "",
            ),
            spec(
                "        code: {type: string, maxLength: 5, format: uuid}\n        count: {type: integer, multipleOf: 4}",
                "",
                "",
            ),
        ),
        (
            "constraints_loosened_and_nullable_removed",
            spec("        code: {type: integer, format: int32, minimum: 1, nullable: true}", "", ""),
            spec("        code: {type: integer, format: int64}", "", ""),
        ),
        (
            "pattern_and_default_changed",
            spec("        code: {type: string, pattern: '^a', default: a}", "", ""),
            spec("        code: {type: string, pattern: '^b', default: b}", "", ""),
        ),
        (
            "enum_value_added_and_removed",
            spec("        kind: {type: string, enum: [A, B]}", "", ""),
            spec("        kind: {type: string, enum: [A, C]}", "", ""),
        ),
        ("variant_and_discriminator_value_added", cat.clone(), cat_dog.clone()),
        ("variant_and_discriminator_value_removed", cat_dog.clone(), cat),
        (
            "discriminator_changed",
            cat_dog,
            with_pets(&[("cat", "Cat"), ("dog", "Cow")], &["Cat", "Cow"]),
        ),
        (
            "schema_renamed",
            base.clone(),
            base.replace("schemas/Out'", "schemas/Result'").replace("    Out:\n", "    Result:\n"),
        ),
        (
            "security_alternative_added",
            with_security("[{basic: []}]", "basic"),
            with_security("[{basic: []}, {bearer: []}]", "basic"),
        ),
        (
            "security_alternative_removed",
            with_security("[{basic: []}, {bearer: []}]", "basic"),
            with_security("[{basic: []}]", "basic"),
        ),
        ("anonymous_access_removed", base.clone(), with_security("[{basic: []}]", "basic")),
        ("security_scheme_changed", with_security("[{basic: []}]", "basic"), with_security("[{basic: []}]", "digest")),
        ("server_url_changed", with_server("https://a.example/api", "443"), with_server("https://b.example/api", "443")),
        (
            "server_variable_changed",
            with_server("https://a.example:{port}/api", "443"),
            with_server("https://a.example:{port}/api", "80"),
        ),
    ];
    let mut seen = std::collections::BTreeSet::new();
    for (name, old, new) in &cases {
        let rules = case(name, old, new);
        assert!(!rules.is_empty(), "{name}: no change reported");
        seen.extend(rules);
    }
    let missing: Vec<&str> = Rule::ALL
        .iter()
        .filter(|r| !seen.contains(*r))
        .map(|r| r.id())
        .collect();
    assert!(missing.is_empty(), "rules without a case: {missing:?}");
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

/// 3.1 webhooks are compared as operations: a new required member of a
/// webhook's body breaks the subscribers' servers, and the webhooks trait
/// of the server crate changes with it.
#[test]
fn webhooks_are_compared_like_operations() {
    let spec = |required: &str, extra: &str| {
        format!(
            "openapi: 3.1.0\ninfo: {{ title: t, version: '1.0.0' }}\nwebhooks:\n  closed:\n    post:\n      operationId: closed\n      requestBody:\n        required: true\n        content:\n          application/json:\n            schema:\n              type: object\n              required: [{required}]\n              properties:\n                id: {{ type: integer }}\n                reason: {{ type: string }}\n      responses:\n        '204': {{ description: ok }}\n{extra}"
        )
    };
    let same = pair(&spec("id", ""), &spec("id", ""));
    assert!(same.changes.is_empty(), "{:?}", same.changes);
    let d = pair(&spec("id", ""), &spec("id, reason", ""));
    assert!(
        d.changes
            .iter()
            .any(|c| c.subject == "webhook `closed` POST"),
        "{}",
        diff::render(&d, Format::Text)
    );
    let removed = pair(&spec("id", "  opened:\n    post:\n      operationId: opened\n      responses:\n        '204': { description: ok }\n"), &spec("id", ""));
    assert!(
        removed
            .changes
            .iter()
            .any(|c| c.subject == "webhook `opened` POST" && c.rule == Rule::OperationRemoved),
        "{}",
        diff::render(&removed, Format::Text)
    );
    let rust = removed.rust.expect("both generate");
    let server = rust
        .crates
        .iter()
        .find(|c| c.kind == "server")
        .expect("a server crate");
    assert!(
        server
            .changes
            .iter()
            .any(|c| c.item == "fn webhooks::trait::opened" && c.detail == "removed"),
        "{:?}",
        server.changes
    );
}

//! Two schemas compared keyword by keyword, down through properties,
//! items and union members.
//!
//! A member that refers to the same component on both sides (or to a
//! component and its renamed successor) is not descended into: the
//! component's own comparison reports its changes once, with the
//! direction of all its uses, instead of once per use.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use serde_json::Value;

use super::json::{child, entries, resolve, schema_name, show, strings};
use super::rules::{Direction, Rule};
use super::Change;

/// Where the schemas being compared sit.
#[derive(Debug, Clone)]
pub struct Site {
    pub subject: String,
    /// Path inside the subject (`positions[].reason`).
    pub at: String,
    /// Pointer into the new spec.
    pub pointer: String,
    pub direction: Direction,
}

impl Site {
    /// `step` appended to the path (`.name`, `[]`), `keys` to the pointer.
    pub fn child(&self, step: &str, keys: &[&str]) -> Site {
        let at = if self.at.is_empty() {
            step.trim_start_matches('.').to_string()
        } else {
            format!("{}{step}", self.at)
        };
        Site {
            subject: self.subject.clone(),
            at,
            pointer: keys.iter().fold(self.pointer.clone(), |p, k| child(&p, k)),
            direction: self.direction,
        }
    }

    fn property(&self, name: &str) -> Site {
        self.child(&format!(".{name}"), &["properties", name])
    }
}

/// The state of one comparison run.
pub struct Cx<'a> {
    pub old_root: &'a Value,
    pub new_root: &'a Value,
    /// Component schemas renamed without change: old name → new name.
    pub renames: &'a BTreeMap<String, String>,
    pub out: Vec<Change>,
    /// Pairs under comparison (by address), so recursive schemas end.
    visiting: HashSet<(usize, usize)>,
}

impl<'a> Cx<'a> {
    pub fn new(
        old_root: &'a Value,
        new_root: &'a Value,
        renames: &'a BTreeMap<String, String>,
    ) -> Self {
        Cx {
            old_root,
            new_root,
            renames,
            out: Vec::new(),
            visiting: HashSet::new(),
        }
    }

    pub fn report(&mut self, site: &Site, rule: Rule, detail: String) {
        let (client, server) = rule.levels(site.direction);
        self.out.push(Change {
            subject: site.subject.clone(),
            at: site.at.clone(),
            pointer: site.pointer.clone(),
            rule,
            detail,
            client,
            server,
        });
    }

    /// Whether two references name the same component (allowing a rename).
    pub fn same_component(&self, old: &Value, new: &Value) -> bool {
        match (schema_name(old), schema_name(new)) {
            (Some(o), Some(n)) => o == n || self.renames.get(o).is_some_and(|r| r == n),
            _ => false,
        }
    }

    /// Compares two schemas at `site`; references to one component are
    /// left to that component's comparison.
    pub fn schemas(&mut self, old: &'a Value, new: &'a Value, site: &Site) {
        if self.same_component(old, new) {
            return;
        }
        let (Some(o), Some(n)) = (resolve(self.old_root, old), resolve(self.new_root, new)) else {
            return;
        };
        self.resolved(o, n, site);
    }

    /// Compares two schemas that are already resolved.
    pub fn resolved(&mut self, o: &'a Value, n: &'a Value, site: &Site) {
        let key = (o as *const Value as usize, n as *const Value as usize);
        if !self.visiting.insert(key) {
            return;
        }
        self.types(o, n, site);
        self.constraints(o, n, site);
        self.enums(o, n, site);
        self.properties(o, n, site);
        self.members(o, n, site);
        self.discriminator(o, n, site);
        if let (Some(oi), Some(ni)) = (o.get("items"), n.get("items")) {
            self.schemas(oi, ni, &site.child("[]", &["items"]));
        }
        self.additional(o, n, site);
        self.visiting.remove(&key);
    }

    fn types(&mut self, o: &'a Value, n: &'a Value, site: &Site) {
        let text = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).map(str::to_string);
        self.restriction(
            site,
            "type",
            text(o, "type"),
            text(n, "type"),
            true,
            |_, _| Rule::TypeChanged,
        );
        self.restriction(
            site,
            "format",
            text(o, "format"),
            text(n, "format"),
            true,
            |a, b| match (a, b) {
                ("int32", "int64") | ("float", "double") => Rule::ConstraintLoosened,
                ("int64", "int32") | ("double", "float") => Rule::ConstraintTightened,
                _ => Rule::TypeChanged,
            },
        );
        let nullable = |v: &Value| v.get("nullable").and_then(Value::as_bool).unwrap_or(false);
        match (nullable(o), nullable(n)) {
            (false, true) => self.report(site, Rule::NullableAdded, "now nullable".into()),
            (true, false) => self.report(site, Rule::NullableRemoved, "no longer nullable".into()),
            _ => {}
        }
        if o.get("default") != n.get("default") {
            let text = |v: Option<&Value>| v.map_or("none".to_string(), show);
            let detail = format!(
                "default {} → {}",
                text(o.get("default")),
                text(n.get("default"))
            );
            self.report(site, Rule::DefaultChanged, detail);
        }
    }

    fn constraints(&mut self, o: &'a Value, n: &'a Value, site: &Site) {
        // (keyword, whether a larger value is stricter, the value that means "no limit")
        const BOUNDS: [(&str, bool, Option<f64>); 6] = [
            ("maxLength", false, None),
            ("minLength", true, Some(0.0)),
            ("maxItems", false, None),
            ("minItems", true, Some(0.0)),
            ("maximum", false, None),
            ("minimum", true, None),
        ];
        for (keyword, larger_is_stricter, neutral) in BOUNDS {
            let get = |v: &Value| {
                v.get(keyword)
                    .and_then(Value::as_f64)
                    .filter(|x| neutral != Some(*x))
            };
            let (a, b) = (get(o), get(n));
            let rule = match (a, b) {
                (Some(a), Some(b)) if a == b => continue,
                (Some(a), Some(b)) => {
                    if (b > a) == larger_is_stricter {
                        Rule::ConstraintTightened
                    } else {
                        Rule::ConstraintLoosened
                    }
                }
                (None, Some(_)) => Rule::ConstraintTightened,
                (Some(_), None) => Rule::ConstraintLoosened,
                (None, None) => continue,
            };
            let text = |x: Option<f64>| x.map_or("none".to_string(), number);
            self.report(site, rule, format!("{keyword} {} → {}", text(a), text(b)));
        }
        for keyword in ["exclusiveMaximum", "exclusiveMinimum", "uniqueItems"] {
            let flag = |v: &Value| v.get(keyword).and_then(Value::as_bool).unwrap_or(false);
            match (flag(o), flag(n)) {
                (false, true) => {
                    self.report(site, Rule::ConstraintTightened, format!("{keyword} set"))
                }
                (true, false) => {
                    self.report(site, Rule::ConstraintLoosened, format!("{keyword} cleared"))
                }
                _ => {}
            }
        }
        let multiple = |v: &Value| v.get("multipleOf").and_then(Value::as_f64).map(number);
        self.restriction(
            site,
            "multipleOf",
            multiple(o),
            multiple(n),
            false,
            |a, b| {
                let (a, b) = (
                    a.parse::<f64>().unwrap_or(1.0),
                    b.parse::<f64>().unwrap_or(1.0),
                );
                // Every multiple of b is a multiple of a when b is one of a.
                if (b / a).fract() == 0.0 {
                    Rule::ConstraintTightened
                } else if (a / b).fract() == 0.0 {
                    Rule::ConstraintLoosened
                } else {
                    Rule::TypeChanged
                }
            },
        );
        let pattern = |v: &Value| v.get("pattern").and_then(Value::as_str).map(str::to_string);
        self.restriction(site, "pattern", pattern(o), pattern(n), true, |_, _| {
            Rule::PatternChanged
        });
    }

    /// A keyword whose presence restricts the values: set is a
    /// tightening, cleared a loosening, and a change is what `changed`
    /// makes of the old and new value.
    fn restriction(
        &mut self,
        site: &Site,
        keyword: &str,
        old: Option<String>,
        new: Option<String>,
        quoted: bool,
        changed: impl Fn(&str, &str) -> Rule,
    ) {
        let q = |v: &str| {
            if quoted {
                format!("`{v}`")
            } else {
                v.to_string()
            }
        };
        match (old, new) {
            (Some(a), Some(b)) if a != b => {
                let detail = format!("{keyword} {} → {}", q(&a), q(&b));
                self.report(site, changed(&a, &b), detail);
            }
            (None, Some(b)) => {
                let detail = format!("{keyword} {} set", q(&b));
                self.report(site, Rule::ConstraintTightened, detail);
            }
            (Some(a), None) => {
                let detail = format!("{keyword} {} no longer set", q(&a));
                self.report(site, Rule::ConstraintLoosened, detail);
            }
            _ => {}
        }
    }

    fn enums(&mut self, o: &'a Value, n: &'a Value, site: &Site) {
        let values = |v: &'a Value| v.get("enum").and_then(Value::as_array);
        match (values(o), values(n)) {
            (Some(a), Some(b)) => {
                for value in b.iter().filter(|v| !a.contains(v)) {
                    self.report(
                        site,
                        Rule::EnumValueAdded,
                        format!("enum value {} added", show(value)),
                    );
                }
                for value in a.iter().filter(|v| !b.contains(v)) {
                    self.report(
                        site,
                        Rule::EnumValueRemoved,
                        format!("enum value {} removed", show(value)),
                    );
                }
            }
            (None, Some(b)) => self.report(
                site,
                Rule::ConstraintTightened,
                format!("enum set: {}", list(b)),
            ),
            (Some(a), None) => self.report(
                site,
                Rule::ConstraintLoosened,
                format!("enum {} no longer set", list(a)),
            ),
            (None, None) => {}
        }
    }

    fn properties(&mut self, o: &'a Value, n: &'a Value, site: &Site) {
        let required = |v: &'a Value| -> BTreeSet<&'a str> {
            strings(v.get("required")).into_iter().collect()
        };
        let (or, nr) = (required(o), required(n));
        let old_props: BTreeMap<&String, &Value> = entries(o.get("properties")).collect();
        for (name, new_schema) in entries(n.get("properties")) {
            let at = site.property(name);
            match old_props.get(name) {
                None if nr.contains(name.as_str()) => self.report(
                    &at,
                    Rule::RequiredPropertyAdded,
                    "required property added".into(),
                ),
                None => self.report(
                    &at,
                    Rule::OptionalPropertyAdded,
                    "optional property added".into(),
                ),
                Some(old_schema) => {
                    match (or.contains(name.as_str()), nr.contains(name.as_str())) {
                        (false, true) => {
                            self.report(&at, Rule::PropertyBecameRequired, "became required".into())
                        }
                        (true, false) => {
                            self.report(&at, Rule::PropertyBecameOptional, "became optional".into())
                        }
                        _ => {}
                    }
                    self.schemas(old_schema, new_schema, &at);
                }
            }
        }
        let new_props: BTreeSet<&String> = entries(n.get("properties")).map(|(k, _)| k).collect();
        for (name, _) in old_props.iter().filter(|(k, _)| !new_props.contains(*k)) {
            let at = Site {
                pointer: site.pointer.clone(),
                ..site.property(name)
            };
            if or.contains(name.as_str()) {
                self.report(
                    &at,
                    Rule::RequiredPropertyRemoved,
                    "required property removed".into(),
                );
            } else {
                self.report(
                    &at,
                    Rule::OptionalPropertyRemoved,
                    "optional property removed".into(),
                );
            }
        }
    }

    /// `allOf`, `oneOf` and `anyOf`: references matched by component,
    /// inline members by position among the inline ones.
    fn members(&mut self, o: &'a Value, n: &'a Value, site: &Site) {
        for keyword in ["allOf", "oneOf", "anyOf"] {
            let list = |v: &'a Value| {
                v.get(keyword)
                    .and_then(Value::as_array)
                    .map(Vec::as_slice)
                    .unwrap_or_default()
            };
            let (a, b) = (list(o), list(n));
            let (added, removed) = if keyword == "allOf" {
                (Rule::ConstraintTightened, Rule::ConstraintLoosened)
            } else {
                (Rule::VariantAdded, Rule::VariantRemoved)
            };
            let inline = |l: &'a [Value]| -> Vec<(usize, &'a Value)> {
                l.iter()
                    .enumerate()
                    .filter(|(_, m)| schema_name(m).is_none())
                    .collect()
            };
            let (inline_a, inline_b) = (inline(a), inline(b));
            for ((_, x), (j, y)) in inline_a.iter().zip(&inline_b) {
                let step = format!(" ({keyword} member {})", j + 1);
                self.schemas(x, y, &site.child(&step, &[keyword, &j.to_string()]));
            }
            let name = |m: &Value| schema_name(m).map(str::to_string);
            for m in b.iter().filter(|m| schema_name(m).is_some()) {
                if !a.iter().any(|x| self.same_component(x, m)) {
                    let what = name(m).unwrap_or_default();
                    self.report(site, added, format!("{keyword} member `{what}` added"));
                }
            }
            for m in a.iter().filter(|m| schema_name(m).is_some()) {
                if !b.iter().any(|y| self.same_component(m, y)) {
                    let what = name(m).unwrap_or_default();
                    self.report(site, removed, format!("{keyword} member `{what}` removed"));
                }
            }
            for _ in inline_b.iter().skip(inline_a.len()) {
                self.report(site, added, format!("inline {keyword} member added"));
            }
            for _ in inline_a.iter().skip(inline_b.len()) {
                self.report(site, removed, format!("inline {keyword} member removed"));
            }
        }
    }

    fn discriminator(&mut self, o: &'a Value, n: &'a Value, site: &Site) {
        let (Some(od), Some(nd)) = (o.get("discriminator"), n.get("discriminator")) else {
            match (o.get("discriminator"), n.get("discriminator")) {
                (None, Some(_)) => self.report(
                    site,
                    Rule::DiscriminatorChanged,
                    "discriminator added".into(),
                ),
                (Some(_), None) => self.report(
                    site,
                    Rule::DiscriminatorChanged,
                    "discriminator removed".into(),
                ),
                _ => {}
            }
            return;
        };
        let property = |d: &Value| {
            d.get("propertyName")
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        if property(od) != property(nd) {
            let detail = format!(
                "discriminator property `{}` → `{}`",
                property(od).unwrap_or_default(),
                property(nd).unwrap_or_default()
            );
            self.report(site, Rule::DiscriminatorChanged, detail);
        }
        let mapping = |d: &'a Value| -> BTreeMap<&'a String, &'a Value> {
            entries(d.get("mapping")).collect()
        };
        let (om, nm) = (mapping(od), mapping(nd));
        for (value, target) in &nm {
            match om.get(value) {
                None => self.report(
                    site,
                    Rule::DiscriminatorValueAdded,
                    format!("discriminator value `{value}` added"),
                ),
                Some(old) => {
                    let (a, b) = (json_ref(old), json_ref(target));
                    let renamed = a
                        .strip_prefix("#/components/schemas/")
                        .and_then(|a| self.renames.get(a))
                        .is_some_and(|r| {
                            b.strip_prefix("#/components/schemas/") == Some(r.as_str())
                        });
                    if a != b && !renamed {
                        let detail =
                            format!("discriminator value `{value}` maps to `{b}` instead of `{a}`");
                        self.report(site, Rule::DiscriminatorChanged, detail);
                    }
                }
            }
        }
        for value in om.keys().filter(|k| !nm.contains_key(*k)) {
            self.report(
                site,
                Rule::DiscriminatorValueRemoved,
                format!("discriminator value `{value}` removed"),
            );
        }
    }

    fn additional(&mut self, o: &'a Value, n: &'a Value, site: &Site) {
        let closed = |v: &Value| v.get("additionalProperties") == Some(&Value::Bool(false));
        match (closed(o), closed(n)) {
            (false, true) => self.report(
                site,
                Rule::ConstraintTightened,
                "additionalProperties closed".into(),
            ),
            (true, false) => self.report(
                site,
                Rule::ConstraintLoosened,
                "additionalProperties opened".into(),
            ),
            _ => {}
        }
        let schema = |v: &'a Value| v.get("additionalProperties").filter(|a| a.is_object());
        if let (Some(a), Some(b)) = (schema(o), schema(n)) {
            self.schemas(a, b, &site.child("{}", &["additionalProperties"]));
        }
    }
}

fn json_ref(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

/// A number as written: `512`, not `512.0`.
fn number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

fn list(values: &[Value]) -> String {
    values.iter().map(show).collect::<Vec<_>>().join(", ")
}

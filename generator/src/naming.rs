//! All Rust names come from here: heck for the case conversion, then one set
//! of rules for keywords, leading digits and reserved names, and a registry
//! per scope that detects collisions and reports them instead of merging.

use std::collections::HashMap;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Rust keywords (strict and reserved, 2021 edition).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Type names the generated code uses unqualified (prelude items) or
/// re-exports at the crate root; a spec type with one of these names gets a
/// suffix so that it neither shadows nor is shadowed.
const RESERVED_TYPES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "Default",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "ToString",
    "ToOwned",
    "Iterator",
    "IntoIterator",
    "Into",
    "From",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "Debug",
    "Validate",
    "Violation",
    "Violations",
    "DecodeError",
    "Pointer",
    "Credentials",
    "Self",
];

/// Keeps ASCII alphanumerics; everything else separates words (heck treats
/// `_` and `-` as separators but would keep `[` or `/`). The symbols that
/// carry the meaning of a name are spelled out, so that `+1` and `-1`
/// (reactions), or `@type` and `type`, stay apart: `+` is `plus`, `@` is
/// `at`, and a `-` before a digit that starts a word is `minus`.
fn words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    let mut word_start = true;
    while let Some(c) = chars.next() {
        let spelled = match c {
            '+' => Some("plus"),
            '@' => Some("at"),
            '-' if word_start && chars.peek().is_some_and(char::is_ascii_digit) => Some("minus"),
            _ => None,
        };
        match spelled {
            Some(word) => {
                out.push(' ');
                out.push_str(word);
                out.push(' ');
                word_start = true;
            }
            None if c.is_ascii_alphanumeric() => {
                out.push(c);
                word_start = false;
            }
            None => {
                out.push(' ');
                word_start = true;
            }
        }
    }
    out
}

/// What the server and client crates import by name beside their models
/// (`use models::*` loses to these): a body of a model named `Request`
/// would be read as axum's there.
const IMPORTED_BY_CRATES: &[&str] = &[
    "Request",
    "Response",
    "State",
    "Arc",
    "Served",
    "Operation",
    "RequestContext",
    "ServerOptions",
    "AuthError",
    "ErrorEntry",
    "CallOptions",
    "ResponseValue",
];

/// A whole type name, with `Model` after one the server or client crate
/// imports by name (`Request` → `RequestModel`); parts of longer names
/// (`InlineItemsItemState`) are left alone.
pub fn unshadowed(name: &str) -> String {
    if IMPORTED_BY_CRATES.contains(&name) {
        format!("{name}Model")
    } else {
        name.to_string()
    }
}

/// `UpperCamelCase` type or variant name; never empty, never starts with a digit.
pub fn type_name(raw: &str) -> String {
    let mut name = words(raw).to_upper_camel_case();
    if name.is_empty() {
        name = "Empty".into();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    if RESERVED_TYPES.contains(&name.as_str()) {
        name.push_str("Model");
    }
    name
}

/// `SCREAMING_SNAKE_CASE` constant named after a `snake_case` name made
/// by [`field_name`]; distinct names stay distinct.
pub fn const_name(snake: &str) -> String {
    snake.to_ascii_uppercase()
}

/// Enum variant name for a wire value.
pub fn variant_name(raw: &str) -> String {
    let mut name = words(raw).to_upper_camel_case();
    if name.is_empty() {
        name = "Empty".into();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    if name == "Self" {
        name.push('_');
    }
    name
}

/// `snake_case` field, function or module name; keywords get a trailing `_`
/// (`type` → `type_`), the common convention in generated Rust.
pub fn field_name(raw: &str) -> String {
    let mut name = words(raw).to_snake_case();
    if name.is_empty() {
        name = "value".into();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    if KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// `snake_case` method name: a field name, and the methods of the prelude
/// that every type has and take `self` by value (`into`, `try_into`) get a
/// trailing `_` too: `client.into(…)` would call `Into::into`, whatever
/// inherent method the type has.
pub fn method_name(raw: &str) -> String {
    let mut name = field_name(raw);
    if matches!(name.as_str(), "into" | "try_into") {
        name.push('_');
    }
    name
}

/// Snake-case names joined with one `_` each: the `_` a keyword or a
/// leading digit gave a name (`type_`, `_2fa`) is not doubled when the name
/// is a part of another (`type_with_response`, `handle_2fa`).
pub fn joined(parts: &[&str]) -> String {
    let mut out = String::new();
    for part in parts {
        // The first part keeps a leading `_`: it is what makes `_2fa` a name.
        let part = if out.is_empty() {
            part.trim_end_matches('_')
        } else {
            part.trim_matches('_')
        };
        if part.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('_');
        }
        out.push_str(part);
    }
    out
}

/// A collision: two spec names that map to one Rust name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collision {
    pub rust: String,
    pub renamed_to: String,
    /// Who had the name first (for messages).
    pub first: String,
    pub second: String,
    /// The name was reserved by the generator, not taken by a spec name.
    pub reserved: bool,
}

/// Names claimed in one scope (the types of a crate, the fields of a struct,
/// the variants of an enum). `what` is a pointer or spec name for messages.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    /// Name → who claimed it; `None` for names the generator reserves.
    claimed: HashMap<String, Option<String>>,
}

impl Scope {
    /// A scope in which `names` are already taken (by the generator itself).
    pub fn with_reserved(names: &[&str]) -> Self {
        let mut scope = Scope::default();
        for n in names {
            scope.claimed.insert((*n).to_string(), None);
        }
        scope
    }

    /// Claims `desired` for `what`. On a collision the name gets the smallest
    /// numeric suffix that is free, and the collision is returned for reporting.
    pub fn claim(&mut self, desired: String, what: &str) -> (String, Option<Collision>) {
        if !self.claimed.contains_key(&desired) {
            self.claimed.insert(desired.clone(), Some(what.to_string()));
            return (desired, None);
        }
        let owner = self.claimed[&desired].clone();
        let reserved = owner.is_none();
        let first = owner.unwrap_or_else(|| "the generator".to_string());
        let sep = if desired.ends_with(|c: char| c.is_ascii_digit()) {
            "_"
        } else {
            ""
        };
        let renamed = (2..)
            .map(|n| format!("{desired}{sep}{n}"))
            .find(|candidate| !self.claimed.contains_key(candidate))
            .unwrap_or_else(|| desired.clone());
        self.claimed.insert(renamed.clone(), Some(what.to_string()));
        (
            renamed.clone(),
            Some(Collision {
                rust: desired,
                renamed_to: renamed,
                first,
                second: what.to_string(),
                reserved,
            }),
        )
    }

    pub fn is_taken(&self, name: &str) -> bool {
        self.claimed.contains_key(name)
    }
}

/// Claims method name `desired` in `scope` for operation `operation_id`
/// (claimed at `pointer`): the name it gets, and a warning's text when
/// `desired` was taken (by the generator or an earlier operation).
pub fn claim_method(
    scope: &mut Scope,
    desired: String,
    operation_id: &str,
    pointer: &str,
) -> (String, Option<String>) {
    let (name, collision) = scope.claim(desired, pointer);
    let warning = collision.map(|c| {
        format!(
            "the method `{}` of operation `{operation_id}` is taken by {}; it is `{}`",
            c.rust, c.first, c.renamed_to
        )
    });
    (name, warning)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_taken_method_name_gets_a_suffix_and_a_warning() {
        let mut scope = Scope::with_reserved(&["new"]);
        let (name, warning) = claim_method(&mut scope, "new".into(), "new", "#/paths/~1a/get");
        assert_eq!(name, "new2");
        assert_eq!(
            warning.as_deref(),
            Some("the method `new` of operation `new` is taken by the generator; it is `new2`")
        );
        let (name, warning) = claim_method(&mut scope, "list".into(), "list", "#/paths/~1b/get");
        assert_eq!((name.as_str(), warning), ("list", None));
        let (_, warning) = claim_method(&mut scope, "list".into(), "List", "#/paths/~1c/get");
        assert_eq!(
            warning.as_deref(),
            Some(
                "the method `list` of operation `List` is taken by #/paths/~1b/get; it is `list2`"
            )
        );
    }

    #[test]
    fn cases_and_keywords() {
        assert_eq!(
            type_name("OrderStatePostalAddress"),
            "OrderStatePostalAddress"
        );
        assert_eq!(type_name("order-state_report"), "OrderStateReport");
        assert_eq!(type_name("Result"), "ResultModel");
        assert_eq!(field_name("type"), "type_");
        assert_eq!(
            field_name("orderCreationDate[gte]"),
            "order_creation_date_gte"
        );
        assert_eq!(field_name("shopCustomerNo"), "shop_customer_no");
        assert_eq!(field_name("2fa"), "_2fa");
        assert_eq!(variant_name("FIXED_DELIVERY_DATE"), "FixedDeliveryDate");
        assert_eq!(variant_name("application/pdf"), "ApplicationPdf");
        assert_eq!(variant_name("1st"), "V1st");
        assert_eq!(variant_name(""), "Empty");
    }

    #[test]
    fn symbols_that_carry_the_meaning_are_spelled_out() {
        assert_eq!(field_name("+1"), "plus_1");
        assert_eq!(field_name("-1"), "minus_1");
        assert_eq!(field_name("@type"), "at_type");
        assert_eq!(field_name("$ref"), "ref_");
        assert_eq!(field_name("x-rate-limit"), "x_rate_limit");
        assert_eq!(field_name("range-1"), "range_1");
        assert_eq!(field_name("a+b"), "a_plus_b");
        assert_eq!(variant_name("+1"), "Plus1");
        assert_eq!(variant_name("-1"), "Minus1");
        assert_eq!(variant_name("1"), "V1");
    }

    #[test]
    fn collisions_are_reported_not_merged() {
        let mut scope = Scope::default();
        assert_eq!(scope.claim("a_b".into(), "#/aB").0, "a_b");
        let (name, collision) = scope.claim("a_b".into(), "#/a_b");
        assert_eq!(name, "a_b2");
        let c = collision.expect("collision reported");
        assert_eq!((c.first.as_str(), c.second.as_str()), ("#/aB", "#/a_b"));
        assert!(!c.reserved);
        let mut reserved = Scope::with_reserved(&["Unrecognized"]);
        let (name, c) = reserved.claim("Unrecognized".into(), "\"Unrecognized\"");
        assert_eq!(name, "Unrecognized2");
        assert!(c.expect("collision reported").reserved);
        let (name, _) = scope.claim("v1".into(), "x");
        assert_eq!(name, "v1");
        assert_eq!(scope.claim("v1".into(), "y").0, "v1_2");
    }
}

//! Which operations page, and how, so the client can offer a stream of
//! their items. Runs once the models are built, since it reads the
//! response types.
//!
//! The rule, for an operation without an entry in the codegen config:
//! - its first 2xx response has a JSON body that is an array, or an object
//!   with exactly one array property: the items;
//! - and its query parameters are, by name (any case):
//!   - integers `offset` and `limit`: **offset** style; the offset advances
//!     by the number of items received;
//!   - an integer `page` and an integer `per_page`, `perPage`, `page_size`,
//!     `pageSize`, `size` or `limit`: **page** style; the page advances by
//!     one (an unset optional page counts as 1);
//!   - a string `cursor`, `page_token`, `pageToken` or `after`, with a
//!     string property of the body named `next_cursor`, `nextCursor`,
//!     `next_page_token`, `nextPageToken` or `next`: **cursor** style; the
//!     next request carries the cursor the body names.
//!
//! Offset and page streams end after an empty page; cursor streams when
//! the body names no next cursor. `pagination` in the codegen config
//! states the style, parameter and properties of an operation, or turns
//! its stream off (`style: none`).

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::{
    Field, ModelSpace, Moving, Operation, Paging, PagingItems, PagingKind, Param, Shape, Ty,
    TypeKind,
};
use crate::config::{PagingRule, PagingStyle};
use crate::diagnostics::Diagnostic;
use crate::ir::{Api, BodyKind, Location, Payload, GENERATED_METHODS};
use crate::load::LoadedSpec;
use crate::naming::{self, Scope};

const OFFSET: &[&str] = &["offset"];
const LIMIT: &[&str] = &["limit"];
const PAGE: &[&str] = &["page"];
const PER_PAGE: &[&str] = &[
    "per_page",
    "perpage",
    "page_size",
    "pagesize",
    "size",
    "limit",
];
const CURSOR: &[&str] = &["cursor", "page_token", "pagetoken", "after"];
const NEXT: &[&str] = &[
    "next_cursor",
    "nextcursor",
    "next_page_token",
    "nextpagetoken",
    "next",
];

/// Sets `pagination` of every operation that pages. `rules` are the
/// config's, by `operationId`; `config` names where they are written. A
/// stream method renamed for a collision is a warning; a rule that does
/// not fit its operation, or names none, is an error.
pub fn detect(
    space: &ModelSpace,
    api: &mut Api,
    rules: &BTreeMap<String, PagingRule>,
    config: Option<&(PathBuf, String)>,
    spec: &LoadedSpec,
    warnings: &mut Vec<Diagnostic>,
) -> Result<(), Vec<Diagnostic>> {
    let mut methods = Scope::with_reserved(GENERATED_METHODS);
    for op in &api.operations {
        methods.claim(op.fn_name.clone(), &op.origin);
        methods.claim(op.fn_with_response.clone(), &op.origin);
    }
    let mut errors = Vec::new();
    let config_error = |op_id: &str, message: String| {
        let (file, entry) = config
            .cloned()
            .unwrap_or_else(|| (PathBuf::from("codegen.yaml"), "#".to_string()));
        let pointer = format!(
            "{entry}/pagination/{}",
            crate::diagnostics::escape_token(op_id)
        );
        Diagnostic::error(&file, pointer, message)
    };
    for id in rules.keys() {
        if !api.operations.iter().any(|o| &o.operation_id == id) {
            errors.push(config_error(
                id,
                format!("the spec has no operation `{id}`"),
            ));
        }
    }
    for op in &mut api.operations {
        let found = match rules.get(&op.operation_id) {
            Some(rule) if rule.style == PagingStyle::None => None,
            Some(rule) => match by_rule(space, op, rule) {
                Ok(found) => Some(found),
                Err(message) => {
                    errors.push(config_error(&op.operation_id, message));
                    None
                }
            },
            None => detected(space, op),
        };
        if let Some((kind, items, item)) = found {
            let desired = naming::joined(&[&op.fn_name, "stream"]);
            let (fn_stream, warning) =
                naming::claim_method(&mut methods, desired, &op.operation_id, &op.origin);
            if let Some(w) = warning {
                warnings.push(spec.warning(&op.origin, w));
            }
            op.pagination = Some(Paging {
                kind,
                items,
                item,
                fn_stream,
            });
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

type Found = (PagingKind, PagingItems, Shape);

fn detected(space: &ModelSpace, op: &Operation) -> Option<Found> {
    let (items, item, body) = items_of(space, op, None).ok()?;
    let offset = query(op, OFFSET, integer);
    let kind = if let (Some(offset), Some(_)) = (offset, query(op, LIMIT, integer)) {
        moving(PagingKind::Offset, offset)
    } else if let (Some(page), Some(_)) = (query(op, PAGE, integer), query(op, PER_PAGE, integer)) {
        moving(PagingKind::Page, page)
    } else {
        let cursor = query(op, CURSOR, string)?;
        let next = body.and_then(|fields| {
            fields
                .iter()
                .find(|f| named(&f.wire, NEXT) && string(&f.shape))
        })?;
        cursor_kind(cursor, next)
    };
    Some((kind, items, item))
}

fn by_rule(space: &ModelSpace, op: &Operation, rule: &PagingRule) -> Result<Found, String> {
    let (items, item, body) = items_of(space, op, rule.items.as_deref())?;
    let param = |names: &[&str], fits: fn(&Shape) -> bool, what: &str| {
        let found = match &rule.param {
            Some(wire) => op
                .params
                .iter()
                .find(|p| p.location == Location::Query && &p.wire == wire),
            None => query(op, names, fits),
        };
        match found {
            Some(p) if fits(&p.shape) => Ok(p),
            Some(p) => Err(format!("the query parameter `{}` is not {what}", p.wire)),
            None => Err(format!(
                "no query parameter is {what} (name it with `param`)"
            )),
        }
    };
    let kind = match rule.style {
        PagingStyle::Offset => moving(
            PagingKind::Offset,
            param(OFFSET, integer, "an integer offset")?,
        ),
        PagingStyle::Page => moving(
            PagingKind::Page,
            param(PAGE, integer, "an integer page number")?,
        ),
        PagingStyle::Cursor => {
            let cursor = param(CURSOR, string, "a string cursor")?;
            let fields =
                body.ok_or("the success body is not an object, so it names no next cursor")?;
            let next = match &rule.next {
                Some(wire) => fields.iter().find(|f| &f.wire == wire),
                None => fields.iter().find(|f| named(&f.wire, NEXT)),
            }
            .ok_or("the success body has no property for the next cursor (name it with `next`)")?;
            if !string(&next.shape) {
                return Err(format!("the body's `{}` is not a string", next.wire));
            }
            cursor_kind(cursor, next)
        }
        PagingStyle::None => return Err("`style: none` names no paging".into()),
    };
    Ok((kind, items, item))
}

/// The items of the success body, their shape, and the body's fields when
/// it is an object.
fn items_of<'s>(
    space: &'s ModelSpace,
    op: &Operation,
    property: Option<&str>,
) -> Result<(PagingItems, Shape, Option<&'s [Field]>), String> {
    let (index, shape) = op
        .responses
        .iter()
        .enumerate()
        .find_map(|(i, r)| {
            let ok = r.status.is_success();
            let json = |p: &&Payload| matches!(p.first().kind, BodyKind::Json);
            r.body
                .as_ref()
                .filter(|_| ok)
                .filter(json)
                .map(|p| (i, &p.shape))
        })
        .ok_or("no 2xx response has a JSON body")?;
    if let (Ty::Array(item), None) = (&shape.ty, property) {
        if shape.nullable {
            return Err("the success body may be null".into());
        }
        return Ok((
            PagingItems {
                response: index,
                field: None,
            },
            (**item).clone(),
            None,
        ));
    }
    let Ty::Named(name) = &shape.ty else {
        return Err("the success body is neither an array nor an object".into());
    };
    let Some(TypeKind::Struct(def)) = space.get(name).map(|t| &t.kind) else {
        return Err(format!(
            "the success body `{name}` is not an object with properties"
        ));
    };
    let arrays: Vec<(&Field, &Shape)> = def
        .fields
        .iter()
        .filter(|f| !f.boxed && property.is_none_or(|p| f.wire == p))
        .filter_map(|f| match &f.shape.ty {
            Ty::Array(item) => Some((f, &**item)),
            _ => None,
        })
        .collect();
    let (field, item) = match (arrays.as_slice(), property) {
        ([one], _) => *one,
        ([], Some(p)) => return Err(format!("`{name}` has no array property `{p}`")),
        ([], None) => return Err(format!("`{name}` has no array property")),
        (_, _) => {
            return Err(format!(
                "`{name}` has several array properties (name the items with `items`)"
            ))
        }
    };
    let items = PagingItems {
        response: index,
        field: Some((field.rust.clone(), options(field))),
    };
    Ok((items, item.clone(), Some(&def.fields)))
}

/// How many `Option`s wrap the generated field (see `emit::models::field_type`).
fn options(f: &Field) -> u8 {
    match (f.required, f.default.is_some(), f.shape.nullable) {
        (true, _, false) | (false, true, false) => 0,
        (false, false, true) => 2,
        _ => 1,
    }
}

fn moving(kind: fn(Moving) -> PagingKind, p: &Param) -> PagingKind {
    kind(moving_field(p))
}

/// The request field of parameter `p`.
fn moving_field(p: &Param) -> Moving {
    Moving {
        field: p.rust.clone(),
        wire: p.wire.clone(),
        optional: !p.required && p.default.is_none(),
    }
}

fn cursor_kind(cursor: &Param, next: &Field) -> PagingKind {
    PagingKind::Cursor {
        param: moving_field(cursor),
        next: next.rust.clone(),
        next_options: options(next),
    }
}

fn query<'o>(op: &'o Operation, names: &[&str], fits: fn(&Shape) -> bool) -> Option<&'o Param> {
    op.params
        .iter()
        .find(|p| p.location == Location::Query && named(&p.wire, names) && fits(&p.shape))
}

fn named(wire: &str, names: &[&str]) -> bool {
    names.iter().any(|n| wire.eq_ignore_ascii_case(n))
}

fn integer(s: &Shape) -> bool {
    matches!(s.ty, Ty::I32 | Ty::I64) && !s.nullable
}

fn string(s: &Shape) -> bool {
    s.ty == Ty::String
}

//! Operations compared: matched by method and path (path parameter names
//! do not matter for the match), then parameters, request body, responses,
//! response headers and security.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::json::{child, entries, resolve};
use super::rules::{Direction, Rule};
use super::schema::{Cx, Site};
use super::usage::METHODS;
use super::wire::without_docs;

/// One operation of a document, or one of its webhooks (3.1).
struct Op<'a> {
    /// The path, or the webhook's name.
    path: &'a str,
    method: &'static str,
    item: &'a Value,
    op: &'a Value,
    pointer: String,
    webhook: bool,
}

impl Op<'_> {
    fn subject(&self) -> String {
        match self.webhook {
            false => format!("{} {}", self.method.to_uppercase(), self.path),
            true => format!("webhook `{}` {}", self.path, self.method.to_uppercase()),
        }
    }

    fn id(&self) -> Option<&str> {
        self.op.get("operationId").and_then(Value::as_str)
    }
}

/// `/shops/{shopName}` → `/shops/{}`: renaming a path parameter keeps
/// the operation.
fn shape_of(path: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in path.chars() {
        match c {
            '{' => {
                inside = true;
                out.push_str("{}");
            }
            '}' => inside = false,
            _ if inside => {}
            _ => out.push(c),
        }
    }
    out
}

fn operations(root: &Value) -> BTreeMap<(String, &'static str), Op<'_>> {
    let mut found = BTreeMap::new();
    let paths = entries(root.get("paths")).map(|(path, item)| (path, item, false));
    let webhooks = entries(root.get("webhooks")).map(|(name, item)| (name, item, true));
    for (path, item, webhook) in paths.chain(webhooks) {
        let Some(item) = resolve(root, item) else {
            continue;
        };
        let section = if webhook { "#/webhooks" } else { "#/paths" };
        for method in METHODS {
            if let Some(op) = item.get(method) {
                let pointer = child(&child(section, path), method);
                // A webhook's name is no path: it cannot match one.
                let key = match webhook {
                    false => (shape_of(path), method),
                    true => (format!("webhook {path}"), method),
                };
                found.insert(
                    key,
                    Op {
                        path,
                        method,
                        item,
                        op,
                        pointer,
                        webhook,
                    },
                );
            }
        }
    }
    found
}

pub fn compare(cx: &mut Cx) {
    let (old, new) = (operations(cx.old_root), operations(cx.new_root));
    for (key, n) in &new {
        let base = Site {
            subject: n.subject(),
            at: String::new(),
            pointer: n.pointer.clone(),
            direction: Direction::Request,
        };
        let Some(o) = old.get(key) else {
            let id = n.id().map(|id| format!(" (`{id}`)")).unwrap_or_default();
            cx.report(&base, Rule::OperationAdded, format!("operation added{id}"));
            continue;
        };
        if o.id() != n.id() {
            let detail = format!(
                "operationId `{}` → `{}`",
                o.id().unwrap_or(""),
                n.id().unwrap_or("")
            );
            cx.report(&base, Rule::OperationIdChanged, detail);
        }
        let deprecated = |op: &Op| {
            op.op
                .get("deprecated")
                .and_then(Value::as_bool)
                .unwrap_or(false)
        };
        if deprecated(o) != deprecated(n) {
            let detail = if deprecated(n) {
                "now deprecated"
            } else {
                "no longer deprecated"
            };
            cx.report(&base, Rule::DeprecationChanged, detail.into());
        }
        parameters(cx, o, n, &base);
        request_body(cx, o, n, &base);
        responses(cx, o, n, &base);
        security(cx, o, n, &base);
    }
    for (key, o) in &old {
        if !new.contains_key(key) {
            let site = Site {
                subject: o.subject(),
                at: String::new(),
                pointer: o.pointer.clone(),
                direction: Direction::Request,
            };
            let id = o.id().map(|id| format!(" (`{id}`)")).unwrap_or_default();
            cx.report(
                &site,
                Rule::OperationRemoved,
                format!("operation removed{id}"),
            );
        }
    }
}

/// The parameters in effect, by `(in, name)`: the path item's, overridden
/// by the operation's.
fn effective<'a>(root: &'a Value, op: &Op<'a>) -> BTreeMap<(String, String), (&'a Value, String)> {
    let mut found = BTreeMap::new();
    let lists = [
        (
            op.item.get("parameters"),
            child(&child("#/paths", op.path), "parameters"),
        ),
        (op.op.get("parameters"), child(&op.pointer, "parameters")),
    ];
    for (list, pointer) in lists {
        for (i, p) in list
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let Some(p) = resolve(root, p) else { continue };
            let field = |k: &str| {
                p.get(k)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string()
            };
            found.insert(
                (field("in"), field("name")),
                (p, child(&pointer, &i.to_string())),
            );
        }
    }
    found
}

fn required(p: &Value) -> bool {
    p.get("required").and_then(Value::as_bool).unwrap_or(false)
}

/// `style` and `explode` with their defaults spelled out.
fn style(p: &Value, location: &str) -> (String, bool) {
    let style = p
        .get("style")
        .and_then(Value::as_str)
        .unwrap_or(if location == "query" || location == "cookie" {
            "form"
        } else {
            "simple"
        })
        .to_string();
    let explode = p
        .get("explode")
        .and_then(Value::as_bool)
        .unwrap_or(style == "form");
    (style, explode)
}

fn parameters<'a>(cx: &mut Cx<'a>, o: &Op<'a>, n: &Op<'a>, base: &Site) {
    let (old, new) = (effective(cx.old_root, o), effective(cx.new_root, n));
    let schema_of = |p: &Value| p.get("schema").map(without_docs);
    let mut unmatched_old: Vec<&(String, String)> =
        old.keys().filter(|k| !new.contains_key(*k)).collect();
    for (key, (np, pointer)) in &new {
        let (location, name) = key;
        let site = Site {
            at: format!("{location} parameter `{name}`"),
            pointer: pointer.clone(),
            ..base.clone()
        };
        let Some((op, _)) = old.get(key) else {
            // The same place and schema under another name: a rename.
            let renamed = unmatched_old.iter().position(|(l, oname)| {
                l == location
                    && old.get(&(l.clone(), oname.clone())).is_some_and(|(p, _)| {
                        schema_of(p) == schema_of(np) && required(p) == required(np)
                    })
            });
            if let Some(i) = renamed {
                let (_, oname) = unmatched_old.remove(i);
                let rule = if location == "path" {
                    Rule::PathParameterRenamed
                } else {
                    Rule::ParameterRenamed
                };
                cx.report(&site, rule, format!("renamed from `{oname}`"));
            } else if required(np) {
                cx.report(
                    &site,
                    Rule::RequiredParameterAdded,
                    "required parameter added".into(),
                );
            } else {
                cx.report(
                    &site,
                    Rule::OptionalParameterAdded,
                    "optional parameter added".into(),
                );
            }
            continue;
        };
        match (required(op), required(np)) {
            (false, true) => cx.report(
                &site,
                Rule::ParameterBecameRequired,
                "became required".into(),
            ),
            (true, false) => cx.report(
                &site,
                Rule::ParameterBecameOptional,
                "became optional".into(),
            ),
            _ => {}
        }
        let (a, b) = (style(op, location), style(np, location));
        if a != b {
            let detail = format!(
                "style {}/explode {} → style {}/explode {}",
                a.0, a.1, b.0, b.1
            );
            cx.report(&site, Rule::ParameterStyleChanged, detail);
        }
        if let (Some(os), Some(ns)) = (op.get("schema"), np.get("schema")) {
            let at = Site {
                pointer: child(&site.pointer, "schema"),
                ..site.clone()
            };
            cx.schemas(os, ns, &at);
        }
    }
    for (location, name) in unmatched_old {
        let site = Site {
            at: format!("{location} parameter `{name}`"),
            ..base.clone()
        };
        let was_required = old
            .get(&(location.clone(), name.clone()))
            .is_some_and(|(p, _)| required(p));
        if was_required {
            cx.report(
                &site,
                Rule::RequiredParameterRemoved,
                "required parameter removed".into(),
            );
        } else {
            cx.report(
                &site,
                Rule::OptionalParameterRemoved,
                "optional parameter removed".into(),
            );
        }
    }
}

fn request_body<'a>(cx: &mut Cx<'a>, o: &Op<'a>, n: &Op<'a>, base: &Site) {
    let body =
        |root: &'a Value, op: &Op<'a>| op.op.get("requestBody").and_then(move |b| resolve(root, b));
    let (ob, nb) = (body(cx.old_root, o), body(cx.new_root, n));
    let site = Site {
        at: "request body".into(),
        pointer: child(&n.pointer, "requestBody"),
        ..base.clone()
    };
    match (ob, nb) {
        (None, None) => {}
        (None, Some(b)) if required(b) => cx.report(
            &site,
            Rule::RequiredRequestBodyAdded,
            "required body added".into(),
        ),
        (None, Some(_)) => cx.report(
            &site,
            Rule::OptionalRequestBodyAdded,
            "optional body added".into(),
        ),
        (Some(_), None) => cx.report(&site, Rule::RequestBodyRemoved, "body removed".into()),
        (Some(a), Some(b)) => {
            match (required(a), required(b)) {
                (false, true) => cx.report(
                    &site,
                    Rule::RequestBodyBecameRequired,
                    "became required".into(),
                ),
                (true, false) => cx.report(
                    &site,
                    Rule::RequestBodyBecameOptional,
                    "became optional".into(),
                ),
                _ => {}
            }
            let rules = (Rule::RequestMediaTypeAdded, Rule::RequestMediaTypeRemoved);
            content(cx, a, b, &site, rules);
        }
    }
}

/// Media types of a body, and the schema of each one both sides have.
fn content<'a>(
    cx: &mut Cx<'a>,
    a: &'a Value,
    b: &'a Value,
    site: &Site,
    (added, removed): (Rule, Rule),
) {
    let old: BTreeMap<&String, &Value> = entries(a.get("content")).collect();
    let new: BTreeMap<&String, &Value> = entries(b.get("content")).collect();
    for (media, nm) in &new {
        let at = Site {
            pointer: child(&child(&site.pointer, "content"), media),
            ..site.clone()
        };
        match old.get(media) {
            None => cx.report(&at, added, format!("media type `{media}` added")),
            Some(om) => {
                if let (Some(os), Some(ns)) = (om.get("schema"), nm.get("schema")) {
                    let at = Site {
                        pointer: child(&at.pointer, "schema"),
                        ..at.clone()
                    };
                    cx.schemas(os, ns, &at);
                }
            }
        }
    }
    for media in old.keys().filter(|m| !new.contains_key(*m)) {
        cx.report(site, removed, format!("media type `{media}` removed"));
    }
}

fn responses<'a>(cx: &mut Cx<'a>, o: &Op<'a>, n: &Op<'a>, base: &Site) {
    let old: BTreeMap<&String, &Value> = entries(o.op.get("responses")).collect();
    let new: BTreeMap<&String, &Value> = entries(n.op.get("responses")).collect();
    for (status, nr) in &new {
        let site = Site {
            at: format!("response {status}"),
            pointer: child(&child(&n.pointer, "responses"), status),
            direction: Direction::Response,
            ..base.clone()
        };
        let Some(or) = old.get(status) else {
            cx.report(
                &site,
                Rule::ResponseStatusAdded,
                format!("status {status} added"),
            );
            continue;
        };
        let (Some(or), Some(nr)) = (resolve(cx.old_root, or), resolve(cx.new_root, nr)) else {
            continue;
        };
        let rules = (Rule::ResponseMediaTypeAdded, Rule::ResponseMediaTypeRemoved);
        content(cx, or, nr, &site, rules);
        headers(cx, or, nr, &site);
    }
    for status in old.keys().filter(|s| !new.contains_key(*s)) {
        let site = Site {
            at: format!("response {status}"),
            direction: Direction::Response,
            ..base.clone()
        };
        cx.report(
            &site,
            Rule::ResponseStatusRemoved,
            format!("status {status} removed"),
        );
    }
}

fn headers<'a>(cx: &mut Cx<'a>, or: &'a Value, nr: &'a Value, site: &Site) {
    // Header names are case-insensitive.
    let collect = |root: &'a Value, r: &'a Value| -> BTreeMap<String, &'a Value> {
        entries(r.get("headers"))
            .filter_map(|(k, v)| Some((k.to_ascii_lowercase(), resolve(root, v)?)))
            .collect()
    };
    let (old, new) = (collect(cx.old_root, or), collect(cx.new_root, nr));
    for (name, nh) in &new {
        let at = Site {
            at: format!("{} header `{name}`", site.at),
            pointer: child(&child(&site.pointer, "headers"), name),
            ..site.clone()
        };
        let Some(oh) = old.get(name) else {
            let rule = if required(nh) {
                Rule::RequiredResponseHeaderAdded
            } else {
                Rule::OptionalResponseHeaderAdded
            };
            cx.report(&at, rule, "header added".into());
            continue;
        };
        match (required(oh), required(nh)) {
            (false, true) => cx.report(
                &at,
                Rule::ResponseHeaderBecameRequired,
                "became required".into(),
            ),
            (true, false) => cx.report(
                &at,
                Rule::ResponseHeaderBecameOptional,
                "became optional".into(),
            ),
            _ => {}
        }
        if let (Some(os), Some(ns)) = (oh.get("schema"), nh.get("schema")) {
            cx.schemas(os, ns, &at);
        }
    }
    for (name, oh) in old.iter().filter(|(k, _)| !new.contains_key(*k)) {
        let at = Site {
            at: format!("{} header `{name}`", site.at),
            ..site.clone()
        };
        let rule = if required(oh) {
            Rule::RequiredResponseHeaderRemoved
        } else {
            Rule::OptionalResponseHeaderRemoved
        };
        cx.report(&at, rule, "header removed".into());
    }
}

/// The alternatives of the security in effect: each a set of
/// `scheme` or `scheme[scope,…]`.
fn alternatives(root: &Value, op: &Op) -> BTreeSet<Vec<String>> {
    let security = op.op.get("security").or_else(|| root.get("security"));
    let mut found: BTreeSet<Vec<String>> = security
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|alt| {
            let mut names: Vec<String> = entries(Some(alt))
                .map(|(scheme, scopes)| {
                    let scopes: Vec<&str> = scopes
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .collect();
                    if scopes.is_empty() {
                        scheme.clone()
                    } else {
                        format!("{scheme}[{}]", scopes.join(","))
                    }
                })
                .collect();
            names.sort();
            names
        })
        .collect();
    if found.is_empty() {
        // No requirement at all: anyone may call.
        found.insert(Vec::new());
    }
    found
}

fn security<'a>(cx: &mut Cx<'a>, o: &Op<'a>, n: &Op<'a>, base: &Site) {
    let (old, new) = (alternatives(cx.old_root, o), alternatives(cx.new_root, n));
    let site = Site {
        at: "security".into(),
        pointer: child(&n.pointer, "security"),
        ..base.clone()
    };
    let show = |alt: &Vec<String>| {
        if alt.is_empty() {
            "anonymous".to_string()
        } else {
            alt.join(" + ")
        }
    };
    for alt in new.difference(&old) {
        cx.report(
            &site,
            Rule::SecurityAlternativeAdded,
            format!("`{}` accepted", show(alt)),
        );
    }
    for alt in old.difference(&new) {
        cx.report(
            &site,
            Rule::SecurityAlternativeRemoved,
            format!("`{}` no longer accepted", show(alt)),
        );
    }
}

//! The second layer: what a spec change does to the public API of the
//! generated crates, and the semver bump each needs.
//!
//! Both specs go through the IR stage, which is exactly what the emitters
//! read, so the items compared here are the items generated. The rules are
//! Cargo's (SemVer compatibility chapter of the Cargo book): structs and
//! string enums are `#[non_exhaustive]`, so a new optional field or enum
//! value is minor; unions and response enums are not, so a new variant is
//! major; a new required field changes `new`, which is major; a new trait
//! method is major, since every implementation must add it. The server and
//! client crates re-export their models crate, so they inherit its major
//! bumps.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::emit::models::field_type;
use crate::emit::operations::param_type;
use crate::emit::rust_types::shape_type;
use crate::ir::{self, Api, Field, ModelSpace, Operation, TypeDef, TypeKind};
use crate::load::LoadedSpec;

/// The semver bump a crate needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Bump {
    None,
    Patch,
    Minor,
    Major,
}

impl Bump {
    pub fn label(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

/// One public item that changes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemChange {
    /// `struct ContactPerson`, `fn IomRmaApi::create_return_request`.
    pub item: String,
    pub detail: String,
    pub bump: Bump,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CrateImpact {
    /// `models`, `server` or `client`.
    pub kind: &'static str,
    pub changes: Vec<ItemChange>,
    /// What the changes need.
    pub bump: Bump,
    /// The crate versions the specs give (`info.version`), and the bump
    /// Cargo sees between them.
    pub old_version: String,
    pub new_version: String,
    pub version_bump: Bump,
}

impl CrateImpact {
    /// Whether the versions promise less than the changes need.
    pub fn understated(&self) -> bool {
        self.version_bump < self.bump
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RustImpact {
    pub crates: Vec<CrateImpact>,
}

/// Compares what the generator makes of each spec.
pub fn impact(old: &LoadedSpec, new: &LoadedSpec) -> Result<RustImpact, String> {
    let build = |spec: &LoadedSpec, which: &str| {
        ir::build(spec).map_err(|d| {
            let first = d
                .errors()
                .next()
                .map(ToString::to_string)
                .unwrap_or_default();
            format!("the {which} spec cannot be generated: {first}")
        })
    };
    let (old_space, old_api, _) = build(old, "old")?;
    let (new_space, new_api, _) = build(new, "new")?;
    let old_version = crate::version::crate_version(&old.openapi.info.version).0;
    let new_version = crate::version::crate_version(&new.openapi.info.version).0;

    let mut models = types(&old_space, &new_space);
    models.extend(operation_types(
        &old_api.with_webhooks(),
        &new_api.with_webhooks(),
    ));
    let mut server = server_items(&old_api, &new_api);
    server.extend(methods(
        &old_api.webhooks_api(),
        &new_api.webhooks_api(),
        "webhooks::trait",
        Bump::Major,
        true,
    ));
    let mut client = client_items(&old_api, &new_api);
    let models_bump = max_bump(&models);
    if models_bump == Bump::Major {
        for items in [&mut server, &mut client] {
            items.push(ItemChange {
                item: "pub use models".into(),
                detail: "re-exports the models crate, which breaks".into(),
                bump: Bump::Major,
            });
        }
    }
    let changed_at_all = [
        (old_space != new_space || old_api != new_api, &mut models),
        (old_api != new_api, &mut server),
        (old_api != new_api, &mut client),
    ];
    for (changed, items) in changed_at_all {
        if changed && items.is_empty() {
            items.push(ItemChange {
                item: "docs".into(),
                detail: "doc comments or validation messages change, no public item".into(),
                bump: Bump::Patch,
            });
        }
    }
    let version_bump = cargo_bump(&old_version, &new_version);
    let crates = [("models", models), ("server", server), ("client", client)]
        .into_iter()
        .map(|(kind, changes)| CrateImpact {
            kind,
            bump: max_bump(&changes),
            changes,
            old_version: old_version.clone(),
            new_version: new_version.clone(),
            version_bump,
        })
        .collect();
    Ok(RustImpact { crates })
}

fn max_bump(items: &[ItemChange]) -> Bump {
    items.iter().map(|c| c.bump).max().unwrap_or(Bump::None)
}

/// The bump Cargo sees from `old` to `new`: the leftmost non-zero
/// component is the one that breaks.
fn cargo_bump(old: &str, new: &str) -> Bump {
    let parts = |v: &str| -> Vec<u64> {
        v.split(['.', '+'])
            .take(3)
            .map(|p| p.parse().unwrap_or(0))
            .collect()
    };
    let (a, b) = (parts(old), parts(new));
    if a == b {
        return Bump::None;
    }
    let lead = a.iter().position(|x| *x != 0).unwrap_or(2);
    match a.iter().zip(&b).position(|(x, y)| x != y) {
        Some(i) if i <= lead => Bump::Major,
        Some(i) if i == lead + 1 => Bump::Minor,
        _ => Bump::Patch,
    }
}

fn rust_text(tokens: proc_macro2::TokenStream) -> String {
    tokens.to_string().replace(' ', "")
}

fn change(item: String, detail: String, bump: Bump) -> ItemChange {
    ItemChange { item, detail, bump }
}

/// A major change per variant of `old` that `new` lacks.
fn removed_variants(item: &str, old: Vec<String>, new: Vec<String>, out: &mut Vec<ItemChange>) {
    for v in old.iter().filter(|v| !new.contains(v)) {
        out.push(change(
            item.to_string(),
            format!("variant `{v}` removed"),
            Bump::Major,
        ));
    }
}

fn kind_name(t: &TypeDef) -> &'static str {
    match t.kind {
        TypeKind::Struct(_) => "struct",
        TypeKind::Enum(_) => "enum",
        TypeKind::Union(_) => "enum",
        TypeKind::Alias(_) => "type",
    }
}

fn types(old: &ModelSpace, new: &ModelSpace) -> Vec<ItemChange> {
    let mut out = Vec::new();
    let old_by: BTreeMap<&str, &TypeDef> = old.types.iter().map(|t| (t.name.as_str(), t)).collect();
    for t in &new.types {
        let item = format!("{} {}", kind_name(t), t.name);
        let Some(o) = old_by.get(t.name.as_str()) else {
            out.push(change(item, "added".into(), Bump::Minor));
            continue;
        };
        match (&o.kind, &t.kind) {
            (TypeKind::Struct(a), TypeKind::Struct(b)) => {
                fields(&item, &a.fields, &b.fields, &mut out);
                if a.additional != b.additional {
                    out.push(change(
                        item.clone(),
                        "additional properties change".into(),
                        Bump::Major,
                    ));
                }
            }
            (TypeKind::Enum(a), TypeKind::Enum(b)) => {
                for v in b
                    .variants
                    .iter()
                    .filter(|v| !a.variants.iter().any(|x| x.rust == v.rust))
                {
                    let detail = format!(
                        "variant `{}` added (the enum is `#[non_exhaustive]`)",
                        v.rust
                    );
                    out.push(change(item.clone(), detail, Bump::Minor));
                }
                let names = |v: &[ir::EnumVariant]| v.iter().map(|x| x.rust.clone()).collect();
                removed_variants(&item, names(&a.variants), names(&b.variants), &mut out);
            }
            (TypeKind::Union(a), TypeKind::Union(b)) => {
                for v in &b.variants {
                    match a.variants.iter().find(|x| x.rust == v.rust) {
                        None => {
                            let detail =
                                format!("variant `{}` added (exhaustive matches break)", v.rust);
                            out.push(change(item.clone(), detail, Bump::Major));
                        }
                        Some(x) if x.shape.ty != v.shape.ty => {
                            let detail = format!(
                                "variant `{}` holds `{}` instead of `{}`",
                                v.rust,
                                rust_text(shape_type(&v.shape)),
                                rust_text(shape_type(&x.shape))
                            );
                            out.push(change(item.clone(), detail, Bump::Major));
                        }
                        Some(_) => {}
                    }
                }
                let names = |v: &[ir::UnionVariant]| v.iter().map(|x| x.rust.clone()).collect();
                removed_variants(&item, names(&a.variants), names(&b.variants), &mut out);
                if a.strategy != b.strategy {
                    out.push(change(
                        item.clone(),
                        "decodes variants by other rules".into(),
                        Bump::Minor,
                    ));
                }
            }
            (TypeKind::Alias(a), TypeKind::Alias(b)) => {
                if a.ty != b.ty || a.nullable != b.nullable {
                    let detail = format!(
                        "`{}` instead of `{}`",
                        rust_text(shape_type(b)),
                        rust_text(shape_type(a))
                    );
                    out.push(change(item, detail, Bump::Major));
                } else if a.checks != b.checks {
                    out.push(change(item, "validation changes".into(), Bump::Minor));
                }
            }
            _ => {
                let detail = format!("now a {} (was a {})", kind_name(t), kind_name(o));
                out.push(change(item, detail, Bump::Major));
            }
        }
    }
    for t in old.types.iter().filter(|t| new.get(&t.name).is_none()) {
        out.push(change(
            format!("{} {}", kind_name(t), t.name),
            "removed".into(),
            Bump::Major,
        ));
    }
    out
}

/// A struct field as seen from outside: its type, whether `new` takes it,
/// its checks and deprecation.
struct Member {
    rust: String,
    ty: String,
    in_new: bool,
    checks: String,
    deprecated: bool,
}

fn field_member(f: &Field) -> Member {
    Member {
        rust: f.rust.clone(),
        ty: rust_text(field_type(f, false).0),
        in_new: f.required,
        checks: format!("{:?}", f.shape.checks),
        deprecated: f.deprecated,
    }
}

fn fields(item: &str, old: &[Field], new: &[Field], out: &mut Vec<ItemChange>) {
    let a: Vec<Member> = old.iter().map(field_member).collect();
    let b: Vec<Member> = new.iter().map(field_member).collect();
    members(item, &a, &b, out);
}

fn members(item: &str, old: &[Member], new: &[Member], out: &mut Vec<ItemChange>) {
    for m in new {
        let Some(o) = old.iter().find(|o| o.rust == m.rust) else {
            let (detail, bump) = if m.in_new {
                (
                    format!(
                        "field `{}: {}` added; `new` takes it as an argument",
                        m.rust, m.ty
                    ),
                    Bump::Major,
                )
            } else {
                (
                    format!(
                        "field `{}: {}` added (the struct is `#[non_exhaustive]`)",
                        m.rust, m.ty
                    ),
                    Bump::Minor,
                )
            };
            out.push(change(item.to_string(), detail, bump));
            continue;
        };
        if o.ty != m.ty {
            let detail = format!("field `{}` is `{}` instead of `{}`", m.rust, m.ty, o.ty);
            out.push(change(item.to_string(), detail, Bump::Major));
        } else if o.in_new != m.in_new {
            let detail = if m.in_new {
                format!("`new` takes `{}` as a new argument", m.rust)
            } else {
                format!("`new` no longer takes `{}`", m.rust)
            };
            out.push(change(item.to_string(), detail, Bump::Major));
        }
        if o.checks != m.checks {
            let detail = format!("`validate` checks field `{}` differently", m.rust);
            out.push(change(item.to_string(), detail, Bump::Minor));
        }
        if o.deprecated != m.deprecated {
            let detail = format!(
                "field `{}` {}",
                m.rust,
                if m.deprecated {
                    "deprecated"
                } else {
                    "no longer deprecated"
                }
            );
            out.push(change(item.to_string(), detail, Bump::Minor));
        }
    }
    for o in old.iter().filter(|o| !new.iter().any(|m| m.rust == o.rust)) {
        out.push(change(
            item.to_string(),
            format!("field `{}` removed", o.rust),
            Bump::Major,
        ));
    }
}

fn request_members(op: &Operation) -> Vec<Member> {
    let mut out: Vec<Member> = op
        .params
        .iter()
        .map(|p| Member {
            rust: p.rust.clone(),
            ty: rust_text(param_type(p)),
            in_new: p.required,
            checks: format!("{:?}", p.shape.checks),
            deprecated: p.deprecated,
        })
        .collect();
    if let Some(body) = &op.body {
        let ty = rust_text(shape_type(&body.payload.shape));
        out.push(Member {
            rust: "body".into(),
            ty: if body.required {
                ty
            } else {
                format!("Option<{ty}>")
            },
            in_new: body.required,
            checks: format!("{:?}", body.payload.shape.checks),
            deprecated: false,
        });
    }
    out
}

/// Operations by method name, which names their types too.
fn by_name(api: &Api) -> BTreeMap<&str, &Operation> {
    api.operations
        .iter()
        .map(|o| (o.fn_name.as_str(), o))
        .collect()
}

/// The request structs and response enums in the models crate.
fn operation_types(old: &Api, new: &Api) -> Vec<ItemChange> {
    let mut out = Vec::new();
    let old_ops = by_name(old);
    for op in &new.operations {
        let request = format!("struct {}", op.request_type);
        let response = format!("enum {}", op.response_type);
        let Some(o) = old_ops.get(op.fn_name.as_str()) else {
            out.push(change(request, "added".into(), Bump::Minor));
            out.push(change(response, "added".into(), Bump::Minor));
            continue;
        };
        members(
            &request,
            &request_members(o),
            &request_members(op),
            &mut out,
        );
        for r in &op.responses {
            match o.responses.iter().find(|x| x.variant == r.variant) {
                None => {
                    let detail =
                        format!("variant `{}` added (exhaustive matches break)", r.variant);
                    out.push(change(response.clone(), detail, Bump::Major));
                }
                Some(x) if x.body != r.body || headers(x) != headers(r) => {
                    let detail = format!("variant `{}` carries other fields", r.variant);
                    out.push(change(response.clone(), detail, Bump::Major));
                }
                Some(_) => {}
            }
        }
        let names = |r: &[ir::Response]| r.iter().map(|x| x.variant.clone()).collect();
        removed_variants(
            &response,
            names(&o.responses),
            names(&op.responses),
            &mut out,
        );
    }
    let new_ops = by_name(new);
    for o in &old.operations {
        if !new_ops.contains_key(o.fn_name.as_str()) {
            out.push(change(
                format!("struct {}", o.request_type),
                "removed".into(),
                Bump::Major,
            ));
            out.push(change(
                format!("enum {}", o.response_type),
                "removed".into(),
                Bump::Major,
            ));
        }
    }
    out
}

fn headers(r: &ir::Response) -> Vec<(String, String, bool)> {
    r.headers
        .iter()
        .map(|h| (h.rust.clone(), rust_text(shape_type(&h.shape)), h.required))
        .collect()
}

/// A method of the trait or the client: its name and what it takes and
/// gives.
fn signature(op: &Operation, with_credentials: bool) -> String {
    let credentials = match (
        with_credentials && op.security.is_secured(),
        op.security.optional,
    ) {
        (false, _) => "",
        (true, false) => ", Principal",
        (true, true) => ", Option<Principal>",
    };
    format!(
        "fn {}({}{credentials}) -> {}",
        op.fn_name, op.request_type, op.response_type
    )
}

fn methods(
    old: &Api,
    new: &Api,
    owner: &str,
    added: Bump,
    with_credentials: bool,
) -> Vec<ItemChange> {
    let mut out = Vec::new();
    for op in &new.operations {
        let item = format!("fn {owner}::{}", op.fn_name);
        match old.operations.iter().find(|o| o.fn_name == op.fn_name) {
            None => {
                let why = if added == Bump::Major {
                    "; every implementation must add it"
                } else {
                    ""
                };
                out.push(change(
                    item,
                    format!("added (`{} {}`){why}", op.method.as_str(), op.path),
                    added,
                ));
            }
            Some(o) => {
                let (a, b) = (
                    signature(o, with_credentials),
                    signature(op, with_credentials),
                );
                if a != b {
                    out.push(change(
                        item.clone(),
                        format!("`{b}` instead of `{a}`"),
                        Bump::Major,
                    ));
                }
                if (o.method, &o.path) != (op.method, &op.path) {
                    let detail = format!(
                        "calls `{} {}` instead of `{} {}`",
                        op.method.as_str(),
                        op.path,
                        o.method.as_str(),
                        o.path
                    );
                    out.push(change(item.clone(), detail, Bump::Minor));
                }
                if o.deprecated != op.deprecated {
                    let detail = if op.deprecated {
                        "deprecated"
                    } else {
                        "no longer deprecated"
                    };
                    out.push(change(item, detail.into(), Bump::Minor));
                }
            }
        }
    }
    for o in old
        .operations
        .iter()
        .filter(|o| !new.operations.iter().any(|n| n.fn_name == o.fn_name))
    {
        out.push(change(
            format!("fn {owner}::{}", o.fn_name),
            "removed".into(),
            Bump::Major,
        ));
    }
    out
}

fn server_items(old: &Api, new: &Api) -> Vec<ItemChange> {
    let mut out = methods(old, new, "trait", Bump::Major, true);
    if old.base_path != new.base_path {
        let detail = format!("`{}` instead of `{}`", new.base_path, old.base_path);
        out.push(change("const BASE_PATH".into(), detail, Bump::Minor));
    }
    out
}

fn client_items(old: &Api, new: &Api) -> Vec<ItemChange> {
    let mut out = methods(old, new, "Client", Bump::Minor, false);
    let variables = |api: &Api| -> Vec<String> {
        api.server
            .iter()
            .flat_map(|s| &s.variables)
            .map(|v| v.rust.clone())
            .collect()
    };
    match (&old.server, &new.server) {
        (Some(_), None) => out.push(change(
            "fn Client::from_server".into(),
            "removed (no absolute server URL)".into(),
            Bump::Major,
        )),
        (None, Some(_)) => out.push(change(
            "fn Client::from_server".into(),
            "added".into(),
            Bump::Minor,
        )),
        (Some(a), Some(b)) if a != b => {
            let (va, vb) = (variables(old), variables(new));
            let bump = if va.iter().all(|v| vb.contains(v)) {
                Bump::Minor
            } else {
                Bump::Major
            };
            let detail = format!(
                "server URL or variables change (fields {} → {})",
                va.join(", "),
                vb.join(", ")
            );
            out.push(change("struct ServerVariables".into(), detail, bump));
        }
        _ => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{cargo_bump, Bump};

    #[test]
    fn cargo_reads_the_leftmost_non_zero_component() {
        assert_eq!(cargo_bump("2.10.0", "2.11.0"), Bump::Minor);
        assert_eq!(cargo_bump("2.11.0", "3.0.0"), Bump::Major);
        assert_eq!(cargo_bump("2.9.4", "2.9.5"), Bump::Patch);
        assert_eq!(cargo_bump("0.3.1", "0.4.0"), Bump::Major);
        assert_eq!(cargo_bump("0.3.1", "0.3.2"), Bump::Minor);
        assert_eq!(cargo_bump("1.0.0", "1.0.0"), Bump::None);
    }
}

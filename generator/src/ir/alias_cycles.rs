//! Aliases that contain themselves do not compile: `type A = B; type B =
//! A;` (a chain of references that loops back: an error, there is no
//! schema to generate) and `type A = Vec<A>;` (an array of arrays of its
//! own kind, or a map of them, which JSON Schema allows: degraded).

use std::collections::{HashMap, HashSet};

use super::build::Builder;
use super::{Shape, Ty, TypeKind};
use crate::diagnostics::Unsupported;

/// `pub type A = B; pub type B = A;` does not compile: a chain of
/// reference-only schemas that loops back is an error naming the chain.
pub(super) fn alias_cycles(b: &mut Builder<'_>) {
    let aliases: HashMap<&str, (&str, &str)> = b
        .types
        .iter()
        .filter_map(|t| match &t.kind {
            TypeKind::Alias(Shape {
                ty: Ty::Named(target),
                ..
            }) => Some((t.name.as_str(), (target.as_str(), t.origin.as_str()))),
            _ => None,
        })
        .collect();
    let mut reported = HashSet::new();
    let mut errors = Vec::new();
    // In spec order, so the same loop is always reported from the same place.
    let starts = b
        .types
        .iter()
        .map(|t| t.name.as_str())
        .filter(|n| aliases.contains_key(n));
    for start in starts {
        let mut chain = vec![start];
        let mut at = start;
        while let Some((next, _)) = aliases.get(at) {
            if let Some(i) = chain.iter().position(|n| n == next) {
                let cycle = &chain[i..];
                if cycle.iter().all(|n| reported.insert(n.to_string())) {
                    let origin = aliases[cycle[0]].1.to_string();
                    let mut shown: Vec<&str> = cycle.to_vec();
                    shown.push(cycle[0]);
                    errors.push((origin, format!("the schemas {} only refer to each other in a loop; there is no type to generate", shown.join(" → "))));
                }
                break;
            }
            chain.push(next);
            at = next;
        }
    }
    if errors.is_empty() {
        self_containing(b);
    }
    for (origin, message) in errors {
        b.error(&origin, message);
    }
}

/// An alias that holds itself through lists and maps of aliases: its
/// mentions of the aliases that lead back to it become any JSON value,
/// which every nested value fits.
fn self_containing(b: &mut Builder<'_>) {
    let mut aliases: HashMap<String, Shape> = b
        .types
        .iter()
        .filter_map(|t| match &t.kind {
            TypeKind::Alias(shape) => Some((t.name.clone(), shape.clone())),
            _ => None,
        })
        .collect();
    let mut warnings = Vec::new();
    for def in &mut b.types {
        let TypeKind::Alias(shape) = &mut def.kind else {
            continue;
        };
        let name = def.name.clone();
        let leads_back = |n: &str| n == name || reaches(&aliases, n, &name, &mut HashSet::new());
        if loosen(shape, &leads_back) {
            // The next aliases see this one as it is now.
            aliases.insert(name.clone(), shape.clone());
            warnings.push((def.origin.clone(), format!("`{name}` holds values of its own kind only through lists and maps; those are generated as any JSON value (`serde_json::Value`), which every nested value fits")));
        }
    }
    for (origin, message) in warnings {
        b.degrade(&origin, Unsupported::Schema, message);
    }
}

/// Whether alias `from` holds alias `to` (through other aliases).
fn reaches(
    aliases: &HashMap<String, Shape>,
    from: &str,
    to: &str,
    seen: &mut HashSet<String>,
) -> bool {
    if !seen.insert(from.to_string()) {
        return false;
    }
    let Some(shape) = aliases.get(from) else {
        return false;
    };
    named_in(shape)
        .iter()
        .any(|n| n == to || reaches(aliases, n, to, seen))
}

fn named_in(shape: &Shape) -> Vec<String> {
    match &shape.ty {
        Ty::Named(n) => vec![n.clone()],
        Ty::Array(inner) | Ty::Map(inner) | Ty::Events(inner) => named_in(inner),
        _ => Vec::new(),
    }
}

/// Replaces the mentions `leads_back` picks by any JSON value; whether it
/// did.
fn loosen(shape: &mut Shape, leads_back: &dyn Fn(&str) -> bool) -> bool {
    match &mut shape.ty {
        Ty::Named(n) if leads_back(n) => {
            *shape = Shape::new(Ty::Json);
            true
        }
        Ty::Array(inner) | Ty::Map(inner) | Ty::Events(inner) => loosen(inner, leads_back),
        _ => false,
    }
}

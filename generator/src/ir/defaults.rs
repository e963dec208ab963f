//! Defaults beyond plain scalars (`[]`, `{}`, objects, dates) are applied by
//! decoding the spec's value as the models decode a document. One that does
//! not fit its schema would fail in the user's program, so it is dropped
//! here, with a warning, once every type it may name is built.

use super::conform::{located, Conformer};
use super::{Api, DefaultValue, ModelSpace, Shape, TypeKind};
use crate::diagnostics::Diagnostic;
use crate::load::LoadedSpec;

pub(super) fn keep_fitting(
    space: &mut ModelSpace,
    api: &mut Api,
    spec: &LoadedSpec,
    warnings: &mut Vec<Diagnostic>,
) {
    let mut conformer = Conformer::new(space);
    let mut misfits = Vec::new();
    for (t, def) in space.types.iter().enumerate() {
        let TypeKind::Struct(s) = &def.kind else {
            continue;
        };
        for (f, field) in s.fields.iter().enumerate() {
            if let Some(why) = misfit(&mut conformer, field.default.as_ref(), &field.shape) {
                misfits.push((t, f, why));
            }
        }
    }
    for op in &mut api.operations {
        for param in &mut op.params {
            if let Some(why) = misfit(&mut conformer, param.default.as_ref(), &param.shape) {
                warnings.push(spec.warning(&why.0, why.1));
                param.default = None;
            }
        }
    }
    for (t, f, (pointer, message)) in misfits {
        if let TypeKind::Struct(s) = &mut space.types[t].kind {
            s.fields[f].default = None;
        }
        warnings.push(spec.warning(&pointer, message));
    }
}

/// Where and why a JSON default does not fit `shape`.
fn misfit(
    conformer: &mut Conformer<'_>,
    default: Option<&DefaultValue>,
    shape: &Shape,
) -> Option<(String, String)> {
    let Some(DefaultValue::Json { value, pointer }) = default else {
        return None;
    };
    let why = conformer.conform(value, shape).err()?;
    Some((
        pointer.clone(),
        format!(
            "default {value} does not fit the schema ({}); it is not applied",
            located(&why)
        ),
    ))
}

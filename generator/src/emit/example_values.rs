//! Rust expressions that build a value of a generated type from an example
//! of its schema: what the mock answers with ([`super::mock`]) and what the
//! client drive sends ([`super::client_drive`]). Examples come from
//! [`crate::examples::example_of`], which checks each against its schema;
//! the code decodes them with an `example` function the caller emits.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::example_tests::json_literal;
use crate::examples::example_of;
use crate::ir::{Access, BodyKind, ModelSpace, Payload, Shape, Ty, TypeKind, UnionStrategy};

pub struct ExampleValues<'a> {
    pub space: &'a ModelSpace,
    /// Some expression calls `example`, which the caller then emits.
    pub uses_example: bool,
    /// The values go into requests (else responses): see `for_direction`.
    pub request: bool,
}

impl<'a> ExampleValues<'a> {
    pub fn new(space: &'a ModelSpace) -> Self {
        Self {
            space,
            uses_example: false,
            request: false,
        }
    }

    /// A value of a body: JSON, form, text and event-stream bodies from an
    /// example; raw bytes empty in answers, a few in requests; multipart bodies
    /// not at all.
    pub fn payload_value(&mut self, payload: &Payload) -> Result<TokenStream, String> {
        if let Some(choices) = &payload.choice {
            let Ty::Named(enum_name) = &payload.shape.ty else {
                return Err("a body of several media types has no enum".into());
            };
            let enum_ident = format_ident!("{}", enum_name);
            let mut first_error = None;
            for c in choices {
                match self.payload_value(&c.payload) {
                    Ok(value) => {
                        let v = format_ident!("{}", c.name);
                        return Ok(quote!(#enum_ident::#v(#value)));
                    }
                    Err(e) => {
                        first_error.get_or_insert(e);
                    }
                }
            }
            return Err(first_error.unwrap_or_else(|| "no media type".into()));
        }
        let media = payload.media.first().ok_or("no media type")?;
        match (&media.kind, &payload.shape.ty) {
            (BodyKind::EventStream { .. }, Ty::Events(data)) => {
                let event = self.json_value(data)?;
                Ok(quote!(events::EventStream::from_events([events::Event::new(#event)])))
            }
            (BodyKind::EventStream { .. }, _) | (BodyKind::Multipart(_), _) => {
                Err(format!("no example is built for `{}` bodies", media.name))
            }
            // A request carries some bytes: an empty body reads as none.
            (_, Ty::Octets) if self.request => {
                Ok(quote!(binary::Binary::from(b"example".to_vec())))
            }
            (_, Ty::Octets) => Ok(quote!(Default::default())),
            // An empty multipart document needs its boundary.
            (_, Ty::Blob) if self.request && media.name.starts_with("multipart/") => {
                let content_type = format!("{}; boundary=example", media.name);
                Ok(quote!(support::Blob::new(#content_type, b"--example--\r\n".to_vec())))
            }
            (_, Ty::Blob) => {
                let content_type = concrete_media_type(&media.name);
                let bytes = if self.request {
                    quote!(b"example".to_vec())
                } else {
                    quote!(Vec::new())
                };
                Ok(quote!(support::Blob::new(#content_type, #bytes)))
            }
            _ => self.json_value(&payload.shape),
        }
    }

    /// A value of `shape`: a plain string as a literal, anything else
    /// decoded from the JSON text of its example.
    pub fn json_value(&mut self, shape: &Shape) -> Result<TokenStream, String> {
        let mut value = example_of(self.space, shape).map_err(|e| crate::examples::located(&e))?;
        for_direction(self.space, &shape.ty, &mut value, self.request);
        if let (Ty::String, false, serde_json::Value::String(text)) =
            (&shape.ty, shape.nullable, &value)
        {
            return Ok(quote!(String::from(#text)));
        }
        self.uses_example = true;
        let literal = json_literal(&value);
        Ok(quote!(example(#literal)))
    }
}

/// `value` made a request's (`request`) or a response's: the members of
/// structs within it that travel the other way only (`readOnly` in a
/// request, `writeOnly` in a response) left out, those that travel this
/// way only and that `required` lists put in. The types let either be
/// absent, so an example of them may lack what the direction requires.
pub fn for_direction(space: &ModelSpace, ty: &Ty, value: &mut serde_json::Value, request: bool) {
    use serde_json::Value;
    let (this_way, other_way) = if request {
        (Access::WriteOnly, Access::ReadOnly)
    } else {
        (Access::ReadOnly, Access::WriteOnly)
    };
    match (ty, value) {
        (Ty::Array(item), Value::Array(items)) => {
            for v in items {
                for_direction(space, &item.ty, v, request);
            }
        }
        (Ty::Map(item), Value::Object(members)) => {
            for v in members.values_mut() {
                for_direction(space, &item.ty, v, request);
            }
        }
        (Ty::Named(name), value) => match space.get(name).map(|def| &def.kind) {
            Some(TypeKind::Alias(shape)) => for_direction(space, &shape.ty, value, request),
            Some(TypeKind::Struct(s)) => {
                let Value::Object(members) = value else {
                    return;
                };
                for f in &s.fields {
                    if f.access == other_way {
                        members.remove(&f.wire);
                        continue;
                    }
                    if f.access == this_way && f.required_one_way && !members.contains_key(&f.wire)
                    {
                        if let Ok(v) = example_of(space, &f.shape) {
                            members.insert(f.wire.clone(), v);
                        }
                    }
                    if let Some(v) = members.get_mut(&f.wire) {
                        for_direction(space, &f.shape.ty, v, request);
                    }
                }
            }
            // A discriminated union's tag names the variant; which variant
            // an untagged one's value is, is not known here.
            Some(TypeKind::Union(u)) => {
                if let (
                    UnionStrategy::Discriminator { property, mapping },
                    Value::Object(members),
                ) = (&u.strategy, &*value)
                {
                    let tag = members.get(property).and_then(Value::as_str);
                    let variant = mapping
                        .iter()
                        .find(|(v, _)| Some(v.as_str()) == tag)
                        .and_then(|(_, i)| u.variants.get(*i));
                    if let Some(variant) = variant {
                        for_direction(space, &variant.shape.ty, value, request);
                    }
                }
            }
            _ => {}
        },
        _ => {}
    }
}

/// A media type within `range` (`image/*` → `image/png`), for a blob's
/// content type.
fn concrete_media_type(range: &str) -> &str {
    match range.split_once('/') {
        Some((_, sub)) if sub != "*" => range,
        Some(("image", _)) => "image/png",
        Some(("audio", _)) => "audio/mpeg",
        Some(("video", _)) => "video/mp4",
        Some(("text", _)) => "text/plain",
        _ => "application/octet-stream",
    }
}

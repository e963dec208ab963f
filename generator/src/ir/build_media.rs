//! A `content` map → the [`Payload`] of a body: which of its media types
//! the generated code reads and writes, and as which Rust value.

use serde_json::{Map, Value};

use super::build::Builder;
use super::operations::{BodyKind, ChoiceVariant, Media, Payload};
use super::{Shape, Ty, TypeKind};
use crate::diagnostics::{child, Unsupported};
use crate::naming::{self, Scope};

/// What a media type is, before the body's media types are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Json,
    Form,
    Text,
    Bytes,
    Blob,
    Xml,
    Multipart,
    EventStream,
}

impl Class {
    fn of(media: &str, schema: &Value) -> Class {
        let essence = media
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        let (kind, subtype) = essence.split_once('/').unwrap_or((essence.as_str(), ""));
        let binary = schema.get("format").and_then(Value::as_str) == Some("binary");
        if subtype == "json" || subtype.ends_with("+json") {
            Class::Json
        } else if essence == "application/x-www-form-urlencoded" {
            Class::Form
        } else if essence == "multipart/form-data" {
            Class::Multipart
        } else if essence == "text/event-stream" {
            Class::EventStream
        } else if subtype == "xml" || subtype.ends_with("+xml") {
            Class::Xml
        } else if kind == "*" || subtype == "*" || subtype.is_empty() {
            Class::Blob
        } else if kind == "text" && !binary {
            Class::Text
        } else {
            Class::Bytes
        }
    }

    /// Classes whose media types can carry one Rust value together.
    fn family(self) -> u8 {
        match self {
            Class::Json | Class::Form => 0,
            Class::Text => 1,
            Class::Bytes | Class::Xml => 2,
            Class::Blob => 3,
            Class::Multipart => 4,
            Class::EventStream => 5,
        }
    }
}

/// A media type of a `content` map: its name, entry, schema and class.
type Entry<'c> = (&'c String, &'c Value, Value, Class);

/// Whether two media types carry one Rust value: of one family, and JSON
/// or form of the same schema.
fn same_value(a: &Entry, b: &Entry) -> bool {
    a.3.family() == b.3.family() && (!matches!(a.3, Class::Json | Class::Form) || a.2 == b.2)
}

/// The enum variant of a media type's value: `Json`, `Form`, `Multipart`,
/// else its subtype (`Plain`, `Toml`, `VndFlux`); `Any` for `*/*`.
fn variant_name(media: &str, class: Class) -> String {
    let essence = media.split(';').next().unwrap_or_default().trim();
    let (kind, subtype) = essence.split_once('/').unwrap_or((essence, ""));
    let label = match class {
        Class::Form => "form",
        Class::Multipart => "multipart",
        Class::Json if subtype.eq_ignore_ascii_case("json") => "json",
        _ if subtype == "*" && kind == "*" => "any",
        _ if subtype == "*" || subtype.is_empty() => kind,
        _ => subtype,
    };
    let name = naming::type_name(label);
    if name.is_empty() {
        "Other".to_string()
    } else {
        name
    }
}

/// Whether the events of a `text/event-stream` schema carry plain text:
/// where it is a string or says nothing (the wire format is text).
fn event_data_is_text(schema: &Value) -> bool {
    let typ = schema.get("type").and_then(Value::as_str);
    let described = schema.as_object().is_some_and(|o| {
        o.keys()
            .any(|k| !matches!(k.as_str(), "description" | "title" | "example" | "format"))
    });
    typ == Some("string") || !described
}

impl Builder<'_> {
    /// The payload of a non-empty `content` map at `ptr` (of a request
    /// body, or a response's); `hint` names a type for an inline schema.
    pub(super) fn payload(
        &mut self,
        content: &Map<String, Value>,
        ptr: &str,
        hint: &str,
        request: bool,
    ) -> Option<Payload> {
        let entries: Vec<Entry> = content
            .iter()
            .map(|(media, entry)| {
                // A media type without a schema carries any value.
                let schema = entry
                    .get("schema")
                    .cloned()
                    .unwrap_or_else(|| serde_json::json!({}));
                let class = Class::of(media, &schema);
                (media, entry, schema, class)
            })
            .collect();
        let mut entries = entries;
        for (media, _, _, class) in entries.iter_mut().filter(|e| e.3 == Class::Multipart) {
            if !request {
                self.warn(
                    &child(ptr, media),
                    format!("media type `{media}` is kept as raw bytes: multipart responses are not decoded"),
                );
                *class = Class::Bytes;
            }
        }
        // A stream of events is answered, never sent.
        let supported = |c: Class| c != Class::EventStream || !request;
        let others_than_xml = entries
            .iter()
            .any(|(_, _, _, c)| *c != Class::Xml && supported(*c));
        let mut kept: Vec<&Entry> = Vec::new();
        for entry in &entries {
            let (media, _, _, class) = entry;
            let mptr = child(ptr, media);
            match class {
                Class::Xml if others_than_xml => {
                    self.warn(&mptr, format!("media type `{media}` is skipped: XML is not generated, and the body has another media type"));
                }
                c if !supported(*c) && !others_than_xml => {
                    self.unsupported(
                        &mptr,
                        Unsupported::MediaType,
                        format!("not supported yet: media type `{media}` in a request body"),
                    );
                    return None;
                }
                c if !supported(*c) => {
                    self.warn(
                        &mptr,
                        format!("media type `{media}` is skipped: it is not supported yet in a request body"),
                    );
                }
                _ => kept.push(entry),
            }
        }
        // Groups of media types that carry one Rust value.
        let mut groups: Vec<Vec<&Entry>> = Vec::new();
        for entry in kept {
            match groups.iter_mut().find(|g| same_value(g[0], entry)) {
                Some(group) => group.push(entry),
                None => groups.push(vec![entry]),
            }
        }
        if groups.len() > 1 {
            // A stream of events is read as it comes; an enum of it and
            // whole values is not generated.
            let (streams, rest): (Vec<_>, Vec<_>) = groups
                .into_iter()
                .partition(|g| g[0].3 == Class::EventStream);
            for (name, ..) in streams.iter().flatten() {
                self.warn(
                    &child(ptr, name),
                    format!("media type `{name}` is skipped: a stream of events beside other media types is not generated"),
                );
            }
            groups = rest;
        }
        match groups.len() {
            0 => None,
            1 => self.alternative(&groups[0], ptr, hint),
            _ => self.choice(&groups, ptr, hint),
        }
    }

    /// An enum of the groups' values, a variant per group, named `hint`.
    fn choice(&mut self, groups: &[Vec<&Entry>], ptr: &str, hint: &str) -> Option<Payload> {
        let name = self.claim_type(hint, ptr);
        let mut scope = Scope::default();
        let mut variants = Vec::new();
        let mut media = Vec::new();
        for group in groups {
            let (first, class) = (group[0].0, group[0].3);
            let (variant, collision) =
                scope.claim(variant_name(first, class), &format!("`{first}`"));
            if let Some(c) = collision {
                self.collision_warning(&child(ptr, first), "variants", &c);
            }
            let payload = self.alternative(group, ptr, &format!("{name}{variant}"))?;
            media.extend(payload.media.iter().cloned());
            variants.push(ChoiceVariant {
                name: variant,
                payload,
            });
        }
        Some(Payload {
            media,
            shape: Shape::new(Ty::Named(name)),
            choice: Some(variants),
        })
    }

    /// The payload of media types that carry one Rust value (`kept`, not
    /// empty, in spec order).
    fn alternative(&mut self, kept: &[&Entry], ptr: &str, hint: &str) -> Option<Payload> {
        let first = *kept.first()?;
        let (_, _, first_schema, first_class) = first;
        let mut media = Vec::new();
        let mut form_entry = None;
        for entry in kept {
            let (name, value, _, class) = entry;
            if *class == Class::Xml {
                self.warn(
                    &child(ptr, name),
                    format!("media type `{name}` is kept as raw bytes: XML is not generated"),
                );
            }
            if *class == Class::Form {
                form_entry = Some((name.as_str(), *value));
            }
            media.push((name.to_string(), *class));
        }
        let mut parts = Vec::new();
        let shape = match first_class {
            Class::Multipart => {
                let (name, entry, schema, _) = first;
                let mark = self.mark();
                match self.multipart_form(schema, entry, &child(ptr, name), hint) {
                    Some((shape, found)) => {
                        parts = found;
                        shape
                    }
                    // Parts the generator cannot list (a free-form object):
                    // the caller writes the body, the server hands it over.
                    None if self.demote_since(mark, |c| c == Unsupported::MediaType, &format!("the `{name}` body is raw bytes with their content type (`Blob`), which the caller encodes and the server hands over as they came")) => {
                        for (_, class) in media.iter_mut() {
                            if *class == Class::Multipart {
                                *class = Class::Blob;
                            }
                        }
                        Shape::new(Ty::Blob)
                    }
                    None => return None,
                }
            }
            Class::Json | Class::Form => {
                let sptr = child(&child(ptr, first.0), "schema");
                self.shape_of(first_schema, &sptr, hint)?
            }
            Class::Text => Shape::new(Ty::String),
            Class::Blob => Shape::new(Ty::Blob),
            Class::EventStream => {
                let data = match event_data_is_text(first_schema) {
                    true => Shape::new(Ty::String),
                    false => {
                        let sptr = child(&child(ptr, first.0), "schema");
                        self.shape_of(first_schema, &sptr, hint)?
                    }
                };
                Shape::new(Ty::Events(Box::new(data)))
            }
            _ => Shape::new(Ty::Octets),
        };
        let has_json = media.iter().any(|(_, c)| *c == Class::Json);
        let form = match form_entry {
            Some((name, _)) if !self.is_struct(&shape) && has_json => {
                // Forms of unions would decode numbers as strings; the
                // JSON alternative carries the same value.
                self.warn(
                    &child(ptr, name),
                    format!("media type `{name}` is skipped: its schema is not an object, which a form body needs"),
                );
                media.retain(|(_, c)| *c != Class::Form);
                None
            }
            Some((name, entry)) => Some(self.form_fields(&shape, entry, &child(ptr, name))?),
            None => None,
        };
        let media = media
            .into_iter()
            .map(|(name, class)| {
                let kind = match class {
                    Class::Json => BodyKind::Json,
                    Class::Form => BodyKind::Form(form.clone().unwrap_or_default()),
                    Class::Text => BodyKind::Text,
                    Class::Blob => BodyKind::Blob,
                    Class::Multipart => BodyKind::Multipart(parts.clone()),
                    Class::EventStream => BodyKind::EventStream {
                        json: !event_data_is_text(first_schema),
                    },
                    _ => BodyKind::Bytes,
                };
                Media { name, kind }
            })
            .collect();
        Some(Payload {
            media,
            shape,
            choice: None,
        })
    }

    pub(super) fn is_struct(&self, shape: &Shape) -> bool {
        let named = match &shape.ty {
            Ty::Named(n) => self.types.iter().find(|t| &t.name == n),
            _ => None,
        };
        !shape.nullable && matches!(named.map(|t| &t.kind), Some(TypeKind::Struct(_)))
    }
}

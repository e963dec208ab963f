//! One parameter object → a [`Param`]: its location, its shape and how its
//! value is written ([`ParamStyle`]), from `style`, `explode` and `content`.

use serde_json::Value;

use super::build::Builder;
use super::operations::{Location, Param, ParamStyle};
use super::view::SchemaView;
use super::{Shape, Ty, TypeKind};
use crate::diagnostics::{child, Unsupported};
use crate::naming::{self, Scope};

/// What kind of value a parameter carries, for its style.
enum Kind {
    /// A scalar or string enum.
    Scalar,
    /// An array of those.
    Array,
    /// An object (a struct, a map, or a union of objects).
    Object,
    /// Anything else: a union of scalars, any JSON value.
    Other,
}

impl Builder<'_> {
    pub(super) fn param(
        &mut self,
        value: &Value,
        ptr: &str,
        base: &str,
        fields: &mut Scope,
    ) -> Option<Param> {
        let name = value
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let Some(location) = location_of(value) else {
            let other = value.get("in").and_then(Value::as_str);
            self.error(
                &child(ptr, "in"),
                format!(
                    "a parameter is in path, query, header or cookie, not {}",
                    other.unwrap_or("nowhere")
                ),
            );
            return None;
        };
        let (schema, sptr, json) = match value.get("content").and_then(Value::as_object) {
            Some(content) => self.content_schema(content, &child(ptr, "content"))?,
            None => (
                value.get("schema").cloned().unwrap_or(Value::Null),
                child(ptr, "schema"),
                false,
            ),
        };
        let hint = format!("{base}{}", naming::type_name(name));
        let mut shape = self.shape_of(&schema, &sptr, &hint)?;
        // Text on the wire has no `null`: a parameter that may be null is
        // one that may be absent.
        shape.nullable &= json;
        // Nor has a list in it: its items are there or not at all.
        if let (Ty::Array(item), false) = (&mut shape.ty, json) {
            item.nullable = false;
        }
        let view = SchemaView::parse(&schema).unwrap_or_default();
        let (style, prefix) = if json {
            (ParamStyle::Value { json: true }, None)
        } else {
            self.param_style(value, &shape, &view, name, location, ptr)?
        };
        let required = value.get("required").and_then(Value::as_bool) == Some(true)
            || location == Location::Path;
        let allow_reserved = value.get("allowReserved").and_then(Value::as_bool) == Some(true)
            && location == Location::Query;
        let plain = matches!(style, ParamStyle::Plain | ParamStyle::Joined(_));
        if allow_reserved && !plain {
            self.warn(
                &child(ptr, "allowReserved"),
                "`allowReserved` is not applied to an object or JSON value: its reserved characters are percent-encoded, which servers decode alike",
            );
        }
        let default = match (required, &style) {
            (false, ParamStyle::Plain | ParamStyle::Joined(_)) => {
                self.default_of(&view, &shape, &sptr)
            }
            _ => None,
        };
        let (rust, collision) = fields.claim(naming::field_name(name), &format!("`{name}`"));
        if let Some(c) = collision {
            self.collision_warning(ptr, "parameters", &c);
        }
        let mut docs_view = view.clone();
        docs_view.description = value
            .get("description")
            .and_then(Value::as_str)
            .map(String::from)
            .or(view.description);
        docs_view.example = value.get("example").cloned().or(view.example);
        Some(Param {
            wire: name.to_string(),
            rust,
            location,
            shape,
            required,
            default,
            style,
            prefix,
            allow_reserved: allow_reserved && plain,
            docs: self.docs_of(&docs_view),
            deprecated: value.get("deprecated").and_then(Value::as_bool) == Some(true),
        })
    }

    /// A parameter whose schema, style or media type has no Rust mapping
    /// (every error since `mark` says so) is its text as sent: a `String`
    /// the caller writes and the server hands over, with a warning.
    pub(super) fn raw_param(
        &mut self,
        value: &Value,
        ptr: &str,
        mark: (usize, usize),
        fields: &mut Scope,
    ) -> Option<Param> {
        let name = value.get("name").and_then(Value::as_str)?;
        let location = location_of(value)?;
        let consequence = format!("the parameter `{name}` is its text as sent (`String`), which the caller writes and the server hands over");
        if !self.demote_since(mark, |c| c == Unsupported::Parameter, &consequence) {
            return None;
        }
        let (rust, collision) = fields.claim(naming::field_name(name), &format!("`{name}`"));
        if let Some(c) = collision {
            self.collision_warning(ptr, "parameters", &c);
        }
        let view = SchemaView {
            description: value
                .get("description")
                .and_then(Value::as_str)
                .map(String::from),
            ..Default::default()
        };
        Some(Param {
            wire: name.to_string(),
            rust,
            location,
            shape: Shape::new(Ty::String),
            required: value.get("required").and_then(Value::as_bool) == Some(true)
                || location == Location::Path,
            default: None,
            style: ParamStyle::Plain,
            prefix: None,
            allow_reserved: false,
            docs: self.docs_of(&view),
            deprecated: value.get("deprecated").and_then(Value::as_bool) == Some(true),
        })
    }

    /// The schema of a parameter described by `content`: one JSON media
    /// type.
    fn content_schema(
        &mut self,
        content: &serde_json::Map<String, Value>,
        ptr: &str,
    ) -> Option<(Value, String, bool)> {
        let mut entries = content.iter();
        let (media, entry) = match (entries.next(), entries.next()) {
            (Some(one), None) => one,
            _ => {
                self.error(ptr, "a parameter's `content` has exactly one media type");
                return None;
            }
        };
        let essence = media.split(';').next().unwrap_or_default().trim();
        if !(essence.ends_with("/json") || essence.ends_with("+json")) {
            self.unsupported(
                &child(ptr, media),
                Unsupported::Parameter,
                format!("not supported: a parameter of media type `{media}` (JSON ones are)"),
            );
            return None;
        }
        let schema = entry.get("schema").cloned().unwrap_or(Value::Null);
        Some((schema, child(&child(ptr, media), "schema"), true))
    }

    fn param_kind(&self, shape: &Shape, view: &SchemaView) -> Kind {
        match &shape.ty {
            Ty::Array(item) if self.is_plain_param(item) && !matches!(item.ty, Ty::Array(_)) => {
                Kind::Array
            }
            _ if self.is_plain_param(shape) => Kind::Scalar,
            Ty::Map(_) => Kind::Object,
            Ty::Named(n) => {
                let kind = self.types.iter().find(|t| &t.name == n).map(|t| &t.kind);
                match kind {
                    Some(TypeKind::Struct(_)) => Kind::Object,
                    _ if view.typ.as_deref() == Some("object") => Kind::Object,
                    _ => Kind::Other,
                }
            }
            _ => Kind::Other,
        }
    }

    /// The wire names of a struct's properties, for an exploded object.
    fn property_names(&self, shape: &Shape) -> Vec<String> {
        let Ty::Named(n) = &shape.ty else {
            return Vec::new();
        };
        match self.types.iter().find(|t| &t.name == n).map(|t| &t.kind) {
            Some(TypeKind::Struct(def)) => def.fields.iter().map(|f| f.wire.clone()).collect(),
            _ => Vec::new(),
        }
    }

    fn param_style(
        &mut self,
        value: &Value,
        shape: &Shape,
        view: &SchemaView,
        name: &str,
        location: Location,
        ptr: &str,
    ) -> Option<(ParamStyle, Option<String>)> {
        let default_style = match location {
            Location::Query | Location::Cookie => "form",
            Location::Path | Location::Header => "simple",
        };
        let style = value
            .get("style")
            .and_then(Value::as_str)
            .unwrap_or(default_style);
        let explode = value
            .get("explode")
            .and_then(Value::as_bool)
            .unwrap_or(style == "form");
        let kind = self.param_kind(shape, view);
        let refuse = |this: &mut Self, what: &str| {
            this.unsupported(
                &child(ptr, "style"),
                Unsupported::Parameter,
                format!(
                    "not supported: {what} in style `{style}` as a {} parameter",
                    location.as_str()
                ),
            );
            None
        };
        let joined = |d: &str| ParamStyle::Joined(d.to_string());
        let pairs = |between: &str, pair: &str| ParamStyle::Pairs {
            between: between.to_string(),
            pair: pair.to_string(),
        };
        let result = match (location, style, &kind) {
            (_, _, Kind::Other) => (ParamStyle::Value { json: false }, None),
            (Location::Path, "label", Kind::Scalar) => (ParamStyle::Plain, Some(".".into())),
            (Location::Path, "label", Kind::Array) => {
                (joined(if explode { "." } else { "," }), Some(".".into()))
            }
            (Location::Path, "matrix", Kind::Scalar) => {
                (ParamStyle::Plain, Some(format!(";{name}=")))
            }
            (Location::Path, "matrix", Kind::Array) => {
                let prefix = format!(";{name}=");
                let delimiter = if explode { prefix.clone() } else { ",".into() };
                (ParamStyle::Joined(delimiter), Some(prefix))
            }
            (Location::Path | Location::Header, "simple", Kind::Scalar) => {
                (ParamStyle::Plain, None)
            }
            (Location::Path | Location::Header, "simple", Kind::Array) => (joined(","), None),
            (Location::Query | Location::Cookie, "form", Kind::Scalar) => (ParamStyle::Plain, None),
            (Location::Query, "form", Kind::Array) if explode => (ParamStyle::Plain, None),
            (Location::Query | Location::Cookie, "form", Kind::Array) => (joined(","), None),
            (Location::Query, "spaceDelimited", Kind::Array) => (joined(" "), None),
            (Location::Query, "pipeDelimited", Kind::Array) => (joined("|"), None),
            (Location::Query, "form", Kind::Object) if explode => {
                (ParamStyle::Exploded(self.property_names(shape)), None)
            }
            (Location::Query, "deepObject", Kind::Object) => (ParamStyle::Deep, None),
            (Location::Query, "deepObject", Kind::Array) => (ParamStyle::Indexed, None),
            (Location::Query | Location::Cookie, "form", Kind::Object) => (pairs(",", ","), None),
            (Location::Path | Location::Header, "simple", Kind::Object) => {
                (pairs(",", if explode { "=" } else { "," }), None)
            }
            (Location::Path, "label", Kind::Object) => match explode {
                true => (pairs(".", "="), Some(".".into())),
                false => (pairs(",", ","), Some(".".into())),
            },
            (Location::Path, "matrix", Kind::Object) => match explode {
                true => (pairs(";", "="), Some(";".into())),
                false => (pairs(",", ","), Some(format!(";{name}="))),
            },
            (_, _, Kind::Scalar) => return refuse(self, "a scalar"),
            (_, _, Kind::Array) => return refuse(self, "an array"),
            (_, _, Kind::Object) => return refuse(self, "an object"),
        };
        Some(result)
    }
}

/// Where a parameter is sent (`in`), if it is one of the four places.
fn location_of(value: &Value) -> Option<Location> {
    Some(match value.get("in").and_then(Value::as_str)? {
        "path" => Location::Path,
        "query" => Location::Query,
        "header" => Location::Header,
        "cookie" => Location::Cookie,
        _ => return None,
    })
}

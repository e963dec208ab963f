//! Stage 2, **normalize**: one flat view of a schema object, whatever
//! combination of keywords it uses. openapiv3 has already validated the
//! document; its own schema model splits `type` into variants and folds
//! `type: object` + `oneOf` into a catch-all, which is awkward to generate from.

use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SchemaView {
    #[serde(rename = "$ref")]
    pub reference: Option<String>,
    #[serde(rename = "type")]
    pub typ: Option<String>,
    pub format: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    #[serde(default)]
    pub nullable: bool,
    #[serde(default)]
    pub deprecated: bool,
    pub example: Option<Value>,
    pub default: Option<Value>,
    #[serde(rename = "enum")]
    pub enumeration: Option<Vec<Value>>,
    /// A description per value of `enum` (the common `x-enum-descriptions`
    /// extension: a list in the enum's order, or a map from value to text;
    /// the 3.1 loader writes a list for a `oneOf` of described `const`s).
    #[serde(rename = "x-enum-descriptions")]
    pub enum_descriptions: Option<Value>,
    #[serde(default)]
    pub properties: IndexMap<String, Value>,
    #[serde(default)]
    pub required: Vec<String>,
    pub additional_properties: Option<Value>,
    pub items: Option<Value>,
    #[serde(default)]
    pub one_of: Vec<Value>,
    #[serde(default)]
    pub all_of: Vec<Value>,
    #[serde(default)]
    pub any_of: Vec<Value>,
    pub not: Option<Value>,
    pub discriminator: Option<DiscriminatorView>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub pattern: Option<String>,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    #[serde(default)]
    pub exclusive_minimum: bool,
    #[serde(default)]
    pub exclusive_maximum: bool,
    pub multiple_of: Option<f64>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    #[serde(default)]
    pub unique_items: bool,
    pub min_properties: Option<u64>,
    pub max_properties: Option<u64>,
    /// Where each property was declared, when an `allOf` merge brought it in
    /// from a part; otherwise `<schema>/properties/<name>`.
    #[serde(skip)]
    pub property_origins: IndexMap<String, String>,
    /// Where `oneOf`/`anyOf` was declared, when an `allOf` merge brought it
    /// in from a part; otherwise the schema itself.
    #[serde(skip)]
    pub union_origin: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DiscriminatorView {
    pub property_name: String,
    #[serde(default)]
    pub mapping: IndexMap<String, String>,
}

impl SchemaView {
    pub fn parse(value: &Value) -> Result<SchemaView, String> {
        SchemaView::deserialize(value).map_err(|e| format!("not a valid schema object: {e}"))
    }

    /// The description of the `index`th value of `enum`, `wire`.
    pub fn enum_description(&self, index: usize, wire: &str) -> Option<String> {
        let text = match self.enum_descriptions.as_ref()? {
            Value::Array(list) => list.get(index)?,
            Value::Object(map) => map.get(wire)?,
            _ => return None,
        };
        text.as_str()
            .filter(|t| !t.trim().is_empty())
            .map(str::to_string)
    }

    pub fn is_object_like(&self) -> bool {
        self.typ.as_deref() == Some("object") || (self.typ.is_none() && !self.properties.is_empty())
    }

    /// Whether an object keeps members it does not declare: any
    /// `additionalProperties` but `false`.
    pub fn keeps_other_members(&self) -> bool {
        self.additional_properties
            .as_ref()
            .is_some_and(|ap| ap != &Value::Bool(false))
    }

    /// `additionalProperties` as a schema, when it is one (not `false`/`true`).
    pub fn additional_schema(&self) -> Option<&Value> {
        self.additional_properties
            .as_ref()
            .filter(|v| v.is_object())
    }
}

//! Parameters beyond scalars and arrays: objects in brackets
//! (`deepObject`) or as keys of their own (exploded `form`), and values of
//! any other type written as their JSON text.

use super::Error;
use crate::models::support::{form_pairs, FormStyle};

fn pairs_of<T: serde::Serialize>(value: &T) -> Result<Vec<(String, String)>, Error> {
    let value = serde_json::to_value(value).map_err(Error::Encode)?;
    Ok(form_pairs(&value, &[]))
}

/// `name[key]=value` for each property, nested further in brackets, arrays
/// by index (`name[ids][0]=1`) as Stripe-like APIs write them.
pub fn deep_pairs<T: serde::Serialize>(name: &str, value: &T) -> Result<Vec<(String, String)>, Error> {
    let value = serde_json::to_value(value).map_err(Error::Encode)?;
    let keys = value.as_object().map(|m| m.keys().map(String::as_str).collect::<Vec<_>>()).unwrap_or_default();
    let styles: Vec<(&str, FormStyle)> = keys.into_iter().map(|key| (key, FormStyle::Deep)).collect();
    Ok(form_pairs(&value, &styles)
        .into_iter()
        .map(|(key, v)| match key.split_once('[') {
            Some((first, rest)) => (format!("{name}[{first}][{rest}"), v),
            None => (format!("{name}[{key}]"), v),
        })
        .collect())
}

/// Each property as a query key of its own.
pub fn exploded_pairs<T: serde::Serialize>(value: &T) -> Result<Vec<(String, String)>, Error> {
    pairs_of(value)
}

/// The text of a value: a string as itself (unless `json`), anything else
/// as its JSON.
pub fn value_text<T: serde::Serialize>(value: &T, json: bool) -> Result<String, Error> {
    match serde_json::to_value(value).map_err(Error::Encode)? {
        serde_json::Value::String(s) if !json => Ok(s),
        other => Ok(other.to_string()),
    }
}

/// An object's properties in one value: each from the next by
/// `between`, from its value by `pair` (`R,100,G,200`, `R=100;G=200`).
/// Nested values are written in brackets, as in a form.
pub fn object_text<T: serde::Serialize>(value: &T, (between, pair): (&str, &str)) -> Result<String, Error> {
    let pairs = pairs_of(value)?;
    let texts: Vec<String> = pairs.into_iter().map(|(key, value)| format!("{key}{pair}{value}")).collect();
    Ok(texts.join(between))
}

/// A cookie parameter as it goes into the `Cookie` header.
pub fn cookie(name: &str, value: String) -> String {
    format!("{name}={value}")
}

/// The items of an array parameter joined into one value.
pub fn joined<T: std::fmt::Display>(items: &[T], delimiter: &str) -> String {
    let texts: Vec<String> = items.iter().map(ToString::to_string).collect();
    texts.join(delimiter)
}

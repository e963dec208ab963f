//! Parameters beyond scalars and arrays: cookies, objects in brackets
//! (`deepObject`) or as keys of their own (exploded `form`), and values
//! of any other type read from their JSON text.

use axum::http::{header, HeaderMap};

use super::{Problems, Query};

/// How deep brackets may nest in an object parameter (`a[b][c]`).
const DEPTH: usize = 8;

/// Values of a cookie parameter.
pub fn cookie_values<'h>(headers: &'h HeaderMap, name: &'h str) -> impl Iterator<Item = &'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .filter(move |(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// Arrays written as `ids[]=1&ids[]=2` or `ids=1&ids=2` get the indexes
/// that `ids[0]=1&ids[1]=2` spells out, which is how they decode.
fn index_arrays(pairs: &mut [(String, &str)]) {
    let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (key, _) in pairs.iter() {
        if !key.ends_with(']') || key.ends_with("[]") {
            *counts.entry(key.clone()).or_default() += 1;
        }
    }
    let mut next: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (key, _) in pairs.iter_mut() {
        let listed = key.ends_with("[]") || counts.get(key.as_str()).is_some_and(|n| *n > 1);
        if listed {
            let base = key.strip_suffix("[]").unwrap_or(key).to_string();
            let index = next.entry(key.clone()).or_default();
            *key = format!("{base}[{index}]");
            *index += 1;
        }
    }
}

fn decode<T: serde::de::DeserializeOwned>(pairs: Vec<(String, &str)>, name: &str, problems: &mut Problems) -> Option<T> {
    decode_at(pairs, "query", name, problems)
}

fn decode_at<T: serde::de::DeserializeOwned>(pairs: Vec<(String, &str)>, location: &str, name: &str, problems: &mut Problems) -> Option<T> {
    let text = form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
    let config = serde_qs::Config::new().max_depth(DEPTH).use_form_encoding(true);
    match config.deserialize_str::<T>(&text) {
        Ok(value) => Some(value),
        Err(e) => {
            problems.push(format!("/{location}/{name}: cannot read the object: {e}"), None);
            None
        }
    }
}

fn missing(required: bool, name: &str, problems: &mut Problems) {
    if required {
        problems.push(format!("/query/{name}: the required parameter is missing"), None);
    }
}

/// An object parameter in brackets: `name[key]=value`, nested further as
/// `name[key][inner]=value`.
pub fn deep_object<T: serde::de::DeserializeOwned>(query: &Query<'_>, name: &str, required: bool, problems: &mut Problems) -> Option<T> {
    let mut pairs = Vec::new();
    for (key, value) in &query.0 {
        let Some(inner) = key.strip_prefix(name).and_then(|rest| rest.strip_prefix('[')) else {
            continue;
        };
        // `[a][b]` of `name[a][b]` becomes `a[b]`.
        if let Some((first, rest)) = inner.split_once(']') {
            pairs.push((format!("{first}{rest}"), value.as_ref()));
        }
    }
    index_arrays(&mut pairs);
    if pairs.is_empty() {
        missing(required, name, problems);
        return None;
    }
    decode(pairs, name, problems)
}

/// An object parameter whose properties (`keys`) are query keys of their
/// own. Where its properties are not known (a union), an optional object
/// that does not decode counts as absent.
pub fn exploded_object<T: serde::de::DeserializeOwned>(query: &Query<'_>, keys: &[&str], required: bool, name: &str, problems: &mut Problems) -> Option<T> {
    let sent = query.0.iter().any(|(k, _)| {
        let base = k.split('[').next().unwrap_or_default();
        keys.contains(&base)
    });
    if !keys.is_empty() && !sent {
        missing(required, name, problems);
        return None;
    }
    let pairs = query.0.iter().map(|(k, v)| (k.to_string(), v.as_ref())).collect();
    if keys.is_empty() && !required {
        let mut ignored = Problems::default();
        return decode(pairs, name, &mut ignored);
    }
    decode(pairs, name, problems)
}

/// An object parameter whose properties are in one value: each from the
/// next by `between`, from its value by `pair` (`R,100,G,200` where both
/// are `,`; `R=100;G=200`).
pub fn object_pairs<'v, T: serde::de::DeserializeOwned>(mut values: impl Iterator<Item = &'v str>, (between, pair): (&str, &str), required: bool, location: &str, name: &str, problems: &mut Problems) -> Option<T> {
    let Some(text) = values.next().filter(|text| !text.is_empty()) else {
        if required {
            problems.push(format!("/{location}/{name}: the required parameter is missing"), None);
        }
        return None;
    };
    let mut pairs = Vec::new();
    if between == pair {
        let mut items = text.split(between);
        while let Some(key) = items.next() {
            let Some(value) = items.next() else {
                problems.push(format!("/{location}/{name}: {text:?} has a property without a value"), None);
                return None;
            };
            pairs.push((key.to_string(), value));
        }
    } else {
        for item in text.split(between) {
            let Some((key, value)) = item.split_once(pair) else {
                problems.push(format!("/{location}/{name}: {item:?} is not a property and its value"), None);
                return None;
            };
            pairs.push((key.to_string(), value));
        }
    }
    decode_at(pairs, location, name, problems)
}

/// A value read from its text: a JSON number, boolean, array or object
/// where the text is one (or, with `json`, must be one), else a string.
pub fn value_param<'v, T: serde::de::DeserializeOwned>(mut values: impl Iterator<Item = &'v str>, json: bool, required: bool, location: &str, name: &str, problems: &mut Problems) -> Option<T> {
    let Some(text) = values.next() else {
        if required {
            problems.push(format!("/{location}/{name}: the required parameter is missing"), None);
        }
        return None;
    };
    let value = match serde_json::from_str::<serde_json::Value>(text) {
        Ok(v) if json || !v.is_string() => v,
        Err(e) if json => {
            problems.push(format!("/{location}/{name}: {text:?} is not JSON: {e}"), None);
            return None;
        }
        _ => serde_json::Value::String(text.to_string()),
    };
    match serde_json::from_value::<T>(value) {
        Ok(v) => Some(v),
        Err(e) => {
            let offending = serde_json::json!({ "in": location, "name": name, "value": text });
            problems.push(format!("/{location}/{name}: cannot read {text:?}: {e}"), Some(offending));
            None
        }
    }
}

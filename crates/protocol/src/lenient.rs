//! Deserialisers that accept what real traffic sends rather than what the documents promise.
//!
//! Each one reads a `serde_json::Value` first and never fails on a value of the wrong type: a
//! number where a string was expected is stringified, an array where an object was expected
//! becomes the default. Only a body that is not JSON at all is an error (and that is decided by
//! the caller before these run). Used with `#[serde(default, deserialize_with = "...")]`, so an
//! absent key gives the default too.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// A JSON value as text: strings as they are, numbers and booleans written out, objects and
/// arrays as compact JSON, `null` as nothing.
pub(crate) fn value_to_string(v: Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        other @ (Value::Array(_) | Value::Object(_)) => Some(other.to_string()),
    }
}

/// `Option<String>` from any JSON value (see [`value_to_string`]).
pub(crate) fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(value_to_string(Value::deserialize(d)?))
}

/// `Option<bool>` from `true`/`false`, `"true"`/`"false"` (any case), `1`/`0`; anything else is
/// `None`.
pub(crate) fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(value_to_bool(&Value::deserialize(d)?))
}

pub(crate) fn value_to_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        Value::Number(n) => n.as_i64().map(|n| n != 0),
        _ => None,
    }
}

/// `bool` that is `true` only for a truthy value (see [`opt_bool`]); absent, `null` or garbage
/// is `false`.
pub(crate) fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(opt_bool(d)?.unwrap_or(false))
}

/// `Option<i64>` from a JSON integer or a string holding one.
pub(crate) fn opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    })
}

/// A record read from a JSON value, or `None` when it does not fit. An array is never read as
/// a record: serde would otherwise fill a struct's fields positionally from `[…]`.
pub(crate) fn fit<T: DeserializeOwned>(v: Value) -> Option<T> {
    if v.is_array() {
        return None;
    }
    T::deserialize(v).ok()
}

/// Any deserialisable record, or its default when the value does not fit (see [`fit`]).
pub(crate) fn or_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned + Default,
{
    Ok(fit(Value::deserialize(d)?).unwrap_or_default())
}

/// `Option<T>`: `None` when absent, `null` or not fitting (see [`fit`]).
pub(crate) fn opt<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    Ok(fit(Value::deserialize(d)?))
}

/// A map of strings; values of other types are stringified, `null`s dropped. Anything but an
/// object is an empty map.
pub(crate) fn string_map<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Object(m) => m
            .into_iter()
            .filter_map(|(k, v)| value_to_string(v).map(|v| (k, v)))
            .collect(),
        _ => BTreeMap::new(),
    })
}

/// A map of JSON values; anything but an object is an empty map.
pub(crate) fn value_map<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, Value>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Object(m) => m.into_iter().collect(),
        _ => BTreeMap::new(),
    })
}

/// A map whose entries are read one by one: an entry that does not fit becomes `T::default()`
/// instead of spoiling the whole map.
pub(crate) fn map_of<'de, D, T>(d: D) -> Result<BTreeMap<String, T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned + Default,
{
    Ok(match Value::deserialize(d)? {
        Value::Object(m) => m
            .into_iter()
            .map(|(k, v)| (k, fit(v).unwrap_or_default()))
            .collect(),
        _ => BTreeMap::new(),
    })
}

/// A list whose entries are read one by one; entries that do not fit (see [`fit`]) are dropped. A single
/// object where a list was expected is read as a list of one.
pub(crate) fn vec_of<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    Ok(value_vec(Value::deserialize(d)?))
}

pub(crate) fn value_vec<T: DeserializeOwned>(v: Value) -> Vec<T> {
    match v {
        Value::Array(items) => items.into_iter().filter_map(fit).collect(),
        Value::Null => Vec::new(),
        other => fit(other).into_iter().collect(),
    }
}

/// A list of strings: non-string entries are stringified, `null`s dropped; a lone string is a
/// list of one.
pub(crate) fn string_vec<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Array(items) => items.into_iter().filter_map(value_to_string).collect(),
        other => value_to_string(other).into_iter().collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, Default, Deserialize, PartialEq)]
    #[serde(default)]
    struct Probe {
        #[serde(deserialize_with = "opt_string")]
        s: Option<String>,
        #[serde(deserialize_with = "opt_bool")]
        b: Option<bool>,
        #[serde(deserialize_with = "flag")]
        f: bool,
        #[serde(deserialize_with = "opt_i64")]
        n: Option<i64>,
        #[serde(deserialize_with = "string_map")]
        m: BTreeMap<String, String>,
        #[serde(deserialize_with = "string_vec")]
        v: Vec<String>,
    }

    #[test]
    fn mistyped_values_are_tolerated() {
        let p: Probe = serde_json::from_value(json!({
            "s": 12, "b": "TRUE", "f": 1, "n": "42",
            "m": {"a": "x", "b": 1, "c": true, "d": null, "e": {"k": [1]}},
            "v": ["a", 2, null]
        }))
        .unwrap();
        assert_eq!(p.s.as_deref(), Some("12"));
        assert_eq!(p.b, Some(true));
        assert!(p.f);
        assert_eq!(p.n, Some(42));
        assert_eq!(p.m.get("a").map(String::as_str), Some("x"));
        assert_eq!(p.m.get("b").map(String::as_str), Some("1"));
        assert_eq!(p.m.get("c").map(String::as_str), Some("true"));
        assert!(!p.m.contains_key("d"));
        assert_eq!(p.m.get("e").map(String::as_str), Some(r#"{"k":[1]}"#));
        assert_eq!(p.v, vec!["a".to_owned(), "2".to_owned()]);
    }

    #[test]
    fn nulls_and_wrong_shapes_give_defaults() {
        let p: Probe = serde_json::from_value(json!({
            "s": null, "b": "maybe", "f": null, "n": [1], "m": [1, 2], "v": null
        }))
        .unwrap();
        assert_eq!(p, Probe::default());
    }
}

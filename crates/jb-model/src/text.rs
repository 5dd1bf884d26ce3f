//! Tolerant decoding of text fields and nested lists, shared by every record type.
//!
//! The platform pads values with stray spaces, sends some numbers unquoted, and may send a
//! nested list as an array, as a string that contains an array, or as a single object. These
//! helpers accept all of those so that one quirky field never costs a whole record.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::MapAccessDeserializer;
use serde::de::{self, DeserializeOwned, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

/// Deserializes a required text field: trimmed; a number becomes its JSON text; `null`
/// becomes empty, which validation reports as missing.
pub(crate) fn trimmed<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    deserializer.deserialize_any(TextVisitor)
}

/// Deserializes an optional text field: `null` is `None`, anything else as [`trimmed`].
pub(crate) fn opt_trimmed<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    deserializer.deserialize_option(OptionalText)
}

struct TextVisitor;

impl Visitor<'_> for TextVisitor {
    type Value = String;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<String, E> {
        Ok(value.trim().to_owned())
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<String, E> {
        Ok(value.to_string())
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<String, E> {
        Ok(value.to_string())
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<String, E> {
        Ok(value.to_string())
    }

    fn visit_unit<E: de::Error>(self) -> Result<String, E> {
        Ok(String::new())
    }
}

struct OptionalText;

impl<'de> Visitor<'de> for OptionalText {
    type Value = Option<String>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a string or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        trimmed(deserializer).map(Some)
    }
}

/// Deserializes a nested list sent as a JSON array, as a single object, or as a string that
/// contains either. `null` and an empty string are an empty list.
pub(crate) fn list<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    ListOf::deserialize(deserializer).map(|list| list.0)
}

/// A list decoded with the tolerance of [`list`].
struct ListOf<T>(Vec<T>);

impl<'de, T: DeserializeOwned> Deserialize<'de> for ListOf<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ListVisitor(PhantomData))
    }
}

struct ListVisitor<T>(PhantomData<T>);

impl<'de, T: DeserializeOwned> Visitor<'de> for ListVisitor<T> {
    type Value = ListOf<T>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a list of objects, one object, or a string that contains either")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(ListOf(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let item = T::deserialize(MapAccessDeserializer::new(map))?;
        Ok(ListOf(vec![item]))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        if value.trim().is_empty() {
            return Ok(ListOf(Vec::new()));
        }
        serde_json::from_str::<ListOf<T>>(value).map_err(|error| {
            E::custom(format_args!(
                "nested list sent as a string is invalid: {error}"
            ))
        })
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(ListOf(Vec::new()))
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Item {
        #[serde(deserialize_with = "super::trimmed")]
        a: String,
    }

    #[derive(Debug, Deserialize)]
    struct Holder {
        #[serde(default, deserialize_with = "super::list")]
        items: Vec<Item>,
        #[serde(default, deserialize_with = "super::opt_trimmed")]
        note: Option<String>,
    }

    fn items(json: &str) -> Vec<Item> {
        serde_json::from_str::<Holder>(json).unwrap().items
    }

    #[test]
    fn trimmed_strips_spaces_and_accepts_numbers() {
        assert_eq!(
            items(r#"{"items":[{"a":" x "},{"a":12},{"a":null}]}"#),
            vec![
                Item { a: "x".to_owned() },
                Item { a: "12".to_owned() },
                Item { a: String::new() },
            ]
        );
    }

    #[test]
    fn list_accepts_json_string() {
        assert_eq!(
            items(r#"{"items":"[{\"a\":\"1\"}]"}"#),
            vec![Item { a: "1".to_owned() }]
        );
    }

    #[test]
    fn list_accepts_single_object() {
        assert_eq!(
            items(r#"{"items":{"a":"1"}}"#),
            vec![Item { a: "1".to_owned() }]
        );
        assert_eq!(
            items(r#"{"items":"{\"a\":\"1\"}"}"#),
            vec![Item { a: "1".to_owned() }]
        );
    }

    #[test]
    fn list_treats_null_and_blank_as_empty() {
        assert!(items(r#"{"items":null}"#).is_empty());
        assert!(items(r#"{"items":" "}"#).is_empty());
        assert!(items(r#"{}"#).is_empty());
    }

    #[test]
    fn list_rejects_invalid_nested_string() {
        let error = serde_json::from_str::<Holder>(r#"{"items":"[{"}"#).unwrap_err();
        assert!(error.to_string().contains("nested list"), "{error}");
    }

    #[test]
    fn list_rejects_number() {
        assert!(serde_json::from_str::<Holder>(r#"{"items":5}"#).is_err());
    }

    #[test]
    fn opt_trimmed_maps_null_to_none() {
        let holder: Holder = serde_json::from_str(r#"{"note":null}"#).unwrap();
        assert_eq!(holder.note, None);
        let holder: Holder = serde_json::from_str(r#"{"note":" n "}"#).unwrap();
        assert_eq!(holder.note.as_deref(), Some("n"));
    }
}

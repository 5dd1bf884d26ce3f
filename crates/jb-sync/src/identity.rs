//! What makes two downloaded records the same record, and the same content.
//!
//! The natural key is read from the raw JSON rather than from the decoded record, so that a
//! record that fails to decode today and decodes after an upgrade keeps its key. A record with
//! no usable key (a key field missing or not a string or number) is keyed by its content hash.
//!
//! The content hash ignores what the platform changes without the record changing: photo links
//! are signed anew for each download (their `e` expiry and `token` differ every poll), and a
//! nested list may arrive as a JSON array or as a string holding one.

use serde_json::Value;
use sha2::{Digest, Sha256};
use url::Url;

use crate::operation::Operation;

/// Separates the parts of a dispatch key; the platform's numbers and times never contain it.
const KEY_SEPARATOR: char = '|';

/// The natural key of a raw record: `warningNo`, `accidentNo`, or for dispatches
/// `reportNo|receiveTime|taskType`, so that a completion and a cancellation of one report are
/// two events. Values are trimmed, because downloads may carry stray spaces.
pub(crate) fn natural_key(operation: Operation, record: &Value) -> Option<String> {
    let fields: &[&str] = match operation {
        Operation::Warnings => &["warningNo"],
        Operation::Accidents => &["accidentNo"],
        Operation::Dispatches => &["reportNo", "receiveTime", "taskType"],
    };
    let mut parts = Vec::with_capacity(fields.len());
    for field in fields {
        let part = match record.get(field)? {
            Value::String(text) => text.trim().to_owned(),
            Value::Number(number) => number.to_string(),
            _ => return None,
        };
        if part.is_empty() {
            return None;
        }
        parts.push(part);
    }
    Some(parts.join(&KEY_SEPARATOR.to_string()))
}

/// The key stored for a record without a usable natural key.
pub(crate) fn fallback_key(content_hash: &str) -> String {
    format!("content:{content_hash}")
}

/// Query parameters of a photo link that sign it rather than name the photo.
const LINK_SIGNATURE_PARAMETERS: [&str; 2] = ["e", "token"];

/// Nested lists that may arrive as a string holding a JSON array.
const NESTED_LISTS: [&str; 2] = ["plateData", "photoData"];

/// SHA-256 (lowercase hex) of the record's canonical JSON: object keys sorted, no whitespace,
/// nested lists as arrays, and photo links without their signature parameters. Two polls that
/// send the same content give the same hash; any other change of a value, stray spaces
/// included, gives another.
pub(crate) fn content_hash(record: &Value) -> String {
    let normalized = normalize(record);
    let mut canonical = String::new();
    write_canonical(&normalized, &mut canonical);
    hex::encode(Sha256::digest(canonical.as_bytes()))
}

/// The photo link without its signature parameters (`e`, `token`): what stays the same when
/// the platform issues a fresh link to the same photo. A link that does not parse is returned
/// unchanged.
pub(crate) fn unsigned_link(link: &str) -> String {
    let Ok(mut parsed) = Url::parse(link.trim()) else {
        return link.to_owned();
    };
    let kept: Vec<(String, String)> = parsed
        .query_pairs()
        .filter(|(name, _)| !LINK_SIGNATURE_PARAMETERS.contains(&name.as_ref()))
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    if kept.is_empty() {
        parsed.set_query(None);
    } else {
        parsed.query_pairs_mut().clear().extend_pairs(kept);
    }
    parsed.to_string()
}

fn normalize(record: &Value) -> Value {
    let mut normalized = record.clone();
    let Value::Object(fields) = &mut normalized else {
        return normalized;
    };
    for name in NESTED_LISTS {
        if let Some(Value::String(text)) = fields.get(name)
            && let Ok(list @ Value::Array(_)) = serde_json::from_str::<Value>(text)
        {
            fields.insert(name.to_owned(), list);
        }
    }
    if let Some(Value::Array(photos)) = fields.get_mut("photoData") {
        for photo in photos {
            if let Some(Value::String(link)) = photo.get_mut("photoUrl") {
                *link = unsigned_link(link);
            }
        }
    }
    normalized
}

fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|left, right| left.0.cmp(right.0));
            out.push('{');
            for (index, (key, item)) in entries.into_iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                write_canonical(item, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn natural_key_warning_trims_spaces() {
        let record = json!({"warningNo": " 44030220180702K00025", "warningContent": "x"});
        assert_eq!(
            natural_key(Operation::Warnings, &record).as_deref(),
            Some("44030220180702K00025")
        );
    }

    #[test]
    fn natural_key_dispatch_tells_events_apart() {
        let done = json!({"reportNo": "R1", "receiveTime": "2019-03-01 10:00:00", "taskType": "1"});
        let cancelled =
            json!({"reportNo": "R1", "receiveTime": "2019-03-01 10:00:00", "taskType": 100});
        assert_eq!(
            natural_key(Operation::Dispatches, &done).as_deref(),
            Some("R1|2019-03-01 10:00:00|1")
        );
        assert_eq!(
            natural_key(Operation::Dispatches, &cancelled).as_deref(),
            Some("R1|2019-03-01 10:00:00|100")
        );
    }

    #[test]
    fn natural_key_missing_or_empty_is_none() {
        assert_eq!(natural_key(Operation::Accidents, &json!({})), None);
        assert_eq!(
            natural_key(Operation::Accidents, &json!({"accidentNo": "  "})),
            None
        );
        assert_eq!(
            natural_key(Operation::Accidents, &json!({"accidentNo": [1]})),
            None
        );
        assert_eq!(natural_key(Operation::Accidents, &json!("text")), None);
    }

    #[test]
    fn content_hash_ignores_key_order() {
        let first = json!({"a": 1, "b": {"y": [1, 2], "x": "z"}});
        let second: Value =
            serde_json::from_str(r#"{"b": {"x": "z", "y": [1, 2]}, "a": 1}"#).unwrap_or_default();
        assert_eq!(content_hash(&first), content_hash(&second));
    }

    #[test]
    fn content_hash_sees_value_changes() {
        let first = json!({"a": "1"});
        assert_ne!(content_hash(&first), content_hash(&json!({"a": "1 "})));
        assert_ne!(content_hash(&first), content_hash(&json!({"a": 1})));
        assert_ne!(content_hash(&json!([1, 2])), content_hash(&json!([2, 1])));
    }

    #[test]
    fn content_hash_ignores_fresh_photo_signature() {
        let first = json!({"accidentNo": "A1", "photoData": [
            {"photoUrl": "http://127.0.0.1:9/download?e=100&token=AAA&attname=1.png"}]});
        let resigned = json!({"accidentNo": "A1", "photoData": [
            {"photoUrl": "http://127.0.0.1:9/download?e=200&token=BBB&attname=1.png"}]});
        let other_photo = json!({"accidentNo": "A1", "photoData": [
            {"photoUrl": "http://127.0.0.1:9/download?e=200&token=BBB&attname=2.png"}]});
        assert_eq!(content_hash(&first), content_hash(&resigned));
        assert_ne!(content_hash(&first), content_hash(&other_photo));
    }

    #[test]
    fn content_hash_nested_list_as_string_same() {
        let array = json!({"warningNo": "W1", "plateData": [{"plateNo": "粤B12345"}]});
        let string = json!({"warningNo": "W1", "plateData": "[{\"plateNo\": \"粤B12345\"}]"});
        assert_eq!(content_hash(&array), content_hash(&string));
    }

    #[test]
    fn unsigned_link_keeps_other_parameters() {
        assert_eq!(
            unsigned_link("http://127.0.0.1:9/download?e=1&token=x&attname=a.png"),
            "http://127.0.0.1:9/download?attname=a.png"
        );
        assert_eq!(
            unsigned_link("http://127.0.0.1:9/p.jpg?e=1"),
            "http://127.0.0.1:9/p.jpg"
        );
        assert_eq!(unsigned_link("not a link"), "not a link");
    }

    #[test]
    fn content_hash_is_sha256_hex() {
        // SHA-256 of the two bytes `{}`.
        assert_eq!(
            content_hash(&json!({})),
            "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
        );
    }
}

//! The NDJSON line of one record version.

use serde_json::{Value, json};

use super::EmittedLine;
use crate::store::StoredVersion;

/// Renders a version as one line:
///
/// ```json
/// {"version_id":12,"operation":"accidents","natural_key":"A1","version":2,"change":"changed",
///  "content_hash":"…","first_seen_at":"2024-05-01T08:00:00.000Z","decode_error":null,
///  "violations":[],"record":{…}}
/// ```
///
/// `change` is `new` for the first version of a key and `changed` after; `decode_error` contains
/// the reason when the record could not be decoded, and `record` is then the raw JSON as sent;
/// `violations` lists the field rules a decoded record breaks.
pub(crate) fn render_line(version: &StoredVersion) -> EmittedLine {
    let record: Value = serde_json::from_str(&version.raw_json)
        .unwrap_or_else(|_| Value::String(version.raw_json.clone()));
    let change = if version.version == 1 {
        "new"
    } else {
        "changed"
    };
    let line = json!({
        "version_id": version.id,
        "operation": version.operation.as_str(),
        "natural_key": version.natural_key,
        "version": version.version,
        "change": change,
        "content_hash": version.content_hash,
        "first_seen_at": version.first_seen_at,
        "decode_error": version.decode_error,
        "violations": version.violations,
        "record": record,
    });
    EmittedLine {
        version_id: version.id,
        text: line.to_string(),
    }
}

/// Reads the `version_id` of a line written by [`render_line`].
pub(crate) fn line_version_id(text: &str) -> Option<i64> {
    let value: Value = serde_json::from_str(text).ok()?;
    value.get("version_id")?.as_i64()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::Operation;

    fn version(number: i64, raw_json: &str, decode_error: Option<&str>) -> StoredVersion {
        StoredVersion {
            id: 12,
            operation: Operation::Accidents,
            natural_key: "A1".to_owned(),
            version: number,
            content_hash: "ab".to_owned(),
            raw_json: raw_json.to_owned(),
            decode_error: decode_error.map(str::to_owned),
            violations: Vec::new(),
            first_seen_at: "2024-05-01T08:00:00.000Z".to_owned(),
        }
    }

    #[test]
    fn render_line_is_one_json_object() {
        let line = render_line(&version(2, r#"{"accidentNo":"A1"}"#, None));
        assert!(!line.text.contains('\n'));
        let value: Value = serde_json::from_str(&line.text).unwrap_or_default();
        assert_eq!(value["change"], "changed");
        assert_eq!(value["record"]["accidentNo"], "A1");
        assert_eq!(value["decode_error"], Value::Null);
        assert_eq!(line_version_id(&line.text), Some(12));
    }

    #[test]
    fn render_line_decode_failure_keeps_reason() {
        let line = render_line(&version(
            1,
            r#"{"accidentNo":"A1","accidentTime":"x"}"#,
            Some("bad"),
        ));
        let value: Value = serde_json::from_str(&line.text).unwrap_or_default();
        assert_eq!(value["change"], "new");
        assert_eq!(value["decode_error"], "bad");
        assert_eq!(value["record"]["accidentTime"], "x");
    }

    #[test]
    fn line_version_id_rejects_other_text() {
        assert_eq!(line_version_id("{\"version_id\":\"7\"}"), None);
        assert_eq!(line_version_id("{\"version_"), None);
    }
}

//! A JSON object writer for envelopes, faster than a general serializer on the long Base64
//! `data` string, which never needs escaping.

use std::ops::Range;

use crate::field::FieldValue;
use crate::json_scan::find_special;

/// Writes one flat JSON object into a buffer sized once.
pub(crate) struct ObjectWriter {
    body: String,
}

impl ObjectWriter {
    /// Starts an object in a buffer with room for `text_len` bytes of names and values.
    pub(crate) fn with_text_len(text_len: usize) -> Self {
        // Quotes, colons and commas add 6 bytes per field at most, and an envelope has few
        // fields, so 128 bytes plus escapes cover them.
        let mut body = String::with_capacity(text_len.saturating_add(128));
        body.push('{');
        Self { body }
    }

    /// Writes a field whose value is a JSON string.
    pub(crate) fn string_field(&mut self, name: &str, value: &str) {
        self.name(name);
        write_string(&mut self.body, value);
    }

    /// Writes a field with any value: a string escaped, other JSON text as received.
    pub(crate) fn field(&mut self, name: &str, value: &FieldValue<'_>) {
        self.name(name);
        match value {
            FieldValue::String(text) => write_string(&mut self.body, text),
            FieldValue::Json(raw) => self.body.push_str(raw.get()),
            FieldValue::Null => self.body.push_str("null"),
        }
    }

    /// Writes a string field whose content `write_content` appends unescaped, and returns
    /// where the content lies in the body. The content must need no JSON escaping, as
    /// Base64 never does.
    pub(crate) fn unescaped_string_field(
        &mut self,
        name: &str,
        write_content: impl FnOnce(&mut String),
    ) -> Range<usize> {
        self.name(name);
        self.body.push('"');
        let start = self.body.len();
        write_content(&mut self.body);
        let end = self.body.len();
        self.body.push('"');
        start..end
    }

    /// Returns text already written, such as the range [`Self::unescaped_string_field`]
    /// returned.
    pub(crate) fn written(&self, range: Range<usize>) -> &str {
        self.body.get(range).unwrap_or_default()
    }

    /// Closes the object and returns the body.
    pub(crate) fn finish(mut self) -> Vec<u8> {
        self.body.push('}');
        self.body.into_bytes()
    }

    fn name(&mut self, name: &str) {
        if self.body.len() > 1 {
            self.body.push(',');
        }
        write_string(&mut self.body, name);
        self.body.push(':');
    }
}

/// Writes `text` as a JSON string literal, escaping what JSON requires and nothing else.
fn write_string(body: &mut String, text: &str) {
    body.push('"');

    let mut rest = text;
    while let Some(index) = find_special(rest.as_bytes()) {
        // The byte at `index` is ASCII, so both slices end on character boundaries.
        body.push_str(&rest[..index]);
        write_escape(body, rest.as_bytes()[index]);
        rest = &rest[index + 1..];
    }
    body.push_str(rest);

    body.push('"');
}

fn write_escape(body: &mut String, byte: u8) {
    const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

    match byte {
        b'"' => body.push_str("\\\""),
        b'\\' => body.push_str("\\\\"),
        b'\n' => body.push_str("\\n"),
        b'\r' => body.push_str("\\r"),
        b'\t' => body.push_str("\\t"),
        0x08 => body.push_str("\\b"),
        0x0c => body.push_str("\\f"),
        _ => {
            body.push_str("\\u00");
            body.push(char::from(HEX_DIGITS[usize::from(byte >> 4)]));
            body.push(char::from(HEX_DIGITS[usize::from(byte & 0x0f)]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{ObjectWriter, write_string};

    fn written(text: &str) -> String {
        let mut body = String::new();
        write_string(&mut body, text);
        body
    }

    #[test]
    fn write_string_matches_serde_json() {
        let long_plain = "EpQ2wjVMPiM4BcmmJnXaydzQIP2F/ZU69SEveShrcaA=".repeat(10);
        let long_with_escape_late = format!("{}\"{}", "a".repeat(70), "b".repeat(5));
        let cases = [
            "",
            "plain",
            "成功 😀",
            "quote \" backslash \\ slash /",
            "\n\r\t\u{8}\u{c}\u{0}\u{1f}\u{7f}",
            "\r\n",
            &long_plain,
            &long_with_escape_late,
        ];

        for text in cases {
            let expected = serde_json::to_string(text).expect("string serializes");

            assert_eq!(written(text), expected, "{text:?}");
        }
    }

    #[test]
    fn object_writer_separates_fields() {
        let mut writer = ObjectWriter::with_text_len(0);
        writer.string_field("a", "1");
        writer.string_field("b", "2");

        assert_eq!(writer.finish(), br#"{"a":"1","b":"2"}"#);
    }

    #[test]
    fn object_writer_writes_empty_object() {
        assert_eq!(ObjectWriter::with_text_len(0).finish(), b"{}");
    }
}

//! A parser of the usual envelope body alone: one JSON object whose values are all strings
//! without escapes. It reads each string once and borrows it from the body. Any other body is
//! left to the general parser, which also reports every error, so this parser never rejects
//! anything and never accepts what the general parser rejects.

use std::borrow::Cow;

use crate::field::FieldValue;
use crate::json_scan::find_special;

/// Fields of an object, in the order received.
pub(crate) type Fields<'a> = Vec<(Cow<'a, str>, FieldValue<'a>)>;

/// Fields reserved up front: a response has eight.
const FIELDS_CAPACITY: usize = 8;

/// Parses `body` when it is a JSON object of strings without escapes; `None` otherwise.
pub(crate) fn parse_flat_object(body: &[u8]) -> Option<Fields<'_>> {
    // One UTF-8 check of the whole body covers every string in it.
    let text = std::str::from_utf8(body).ok()?;
    let mut cursor = Cursor { text, position: 0 };
    let mut fields = Vec::with_capacity(FIELDS_CAPACITY);

    cursor.expect(b'{')?;
    if !cursor.eat(b'}') {
        loop {
            let name = cursor.string()?;
            cursor.expect(b':')?;
            let value = cursor.string()?;
            fields.push((
                Cow::Borrowed(name),
                FieldValue::String(Cow::Borrowed(value)),
            ));
            if cursor.eat(b',') {
                continue;
            }
            cursor.expect(b'}')?;
            break;
        }
    }

    cursor.skip_whitespace();
    (cursor.position == text.len()).then_some(fields)
}

/// A position in the body's text, always on a character boundary.
struct Cursor<'a> {
    text: &'a str,
    position: usize,
}

impl<'a> Cursor<'a> {
    /// Skips JSON whitespace: space, tab, line feed and carriage return.
    fn skip_whitespace(&mut self) {
        let rest = self
            .text
            .as_bytes()
            .get(self.position..)
            .unwrap_or_default();
        self.position += rest
            .iter()
            .take_while(|byte| matches!(byte, b' ' | b'\t' | b'\n' | b'\r'))
            .count();
    }

    /// Skips whitespace, then `byte` if it comes next, and returns whether it did.
    fn eat(&mut self, byte: u8) -> bool {
        self.skip_whitespace();
        let found = self.text.as_bytes().get(self.position) == Some(&byte);
        if found {
            self.position += 1;
        }
        found
    }

    /// Skips whitespace and then `byte`, which must come next.
    fn expect(&mut self, byte: u8) -> Option<()> {
        self.eat(byte).then_some(())
    }

    /// Reads a string with no escape and no control character, and returns its content.
    fn string(&mut self) -> Option<&'a str> {
        self.expect(b'"')?;
        let start = self.position;
        let rest = self.text.as_bytes().get(start..)?;
        let length = find_special(rest)?;
        // The string must end at the first byte it cannot hold as it is. A backslash or a
        // control character goes to the general parser.
        if rest.get(length) != Some(&b'"') {
            return None;
        }
        self.position = start + length + 1;
        // Both ends are ASCII bytes, so they are character boundaries.
        self.text.get(start..start + length)
    }
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use proptest::proptest;

    use super::parse_flat_object;
    use crate::field::FieldValue;
    use crate::parsed::parse_any_object;

    fn names_and_values(body: &str) -> Option<Vec<(String, String)>> {
        let fields = parse_flat_object(body.as_bytes())?;
        Some(
            fields
                .into_iter()
                .map(|(name, value)| match value {
                    FieldValue::String(text) => (name.into_owned(), text.into_owned()),
                    other => (name.into_owned(), format!("{other:?}")),
                })
                .collect(),
        )
    }

    #[test]
    fn parse_flat_object_reads_strings_in_order() {
        let body = " \r\n{ \"b\" :\t\"成功\" ,\"a\":\"x/y+=\",\"\":\"\"}\n ";

        let fields = names_and_values(body).expect("a flat object");

        let expected = [("b", "成功"), ("a", "x/y+="), ("", "")];
        assert_eq!(
            fields,
            expected.map(|(name, value)| (name.to_owned(), value.to_owned()))
        );
    }

    #[test]
    fn parse_flat_object_borrows_from_body() {
        let body = br#"{"data":"EpQ2"}"#;

        let fields = parse_flat_object(body).expect("a flat object");

        assert!(matches!(
            &fields[0],
            (Cow::Borrowed(_), FieldValue::String(Cow::Borrowed("EpQ2")))
        ));
    }

    #[test]
    fn parse_flat_object_reads_empty_object() {
        assert_eq!(names_and_values(" { } "), Some(Vec::new()));
    }

    #[test]
    fn parse_flat_object_declines_other_bodies() {
        let cases: [&[u8]; 17] = [
            b"",
            b"[]",
            b"\"a\"",
            br#"{"a":"b\"c"}"#,
            br#"{"a":"b\nc"}"#,
            b"{\"a\":\"b\nc\"}",
            b"{\"a\":\"b\tc\"}",
            br#"{"a":1}"#,
            br#"{"a":null}"#,
            br#"{"a":"b",}"#,
            br#"{"a":"b""c":"d"}"#,
            br#"{"a" "b"}"#,
            br#"{"a":"b"} x"#,
            br#"{"a":"b"}{}"#,
            br#"{"a":"b"#,
            b"{\"a\":\"\xff\"}",
            b"\xef\xbb\xbf{}",
        ];

        for body in cases {
            assert!(
                parse_flat_object(body).is_none(),
                "{:?}",
                String::from_utf8_lossy(body)
            );
        }
    }

    proptest! {
        #[test]
        fn parse_flat_object_matches_general_parser_on_objects(
            fields in proptest::collection::vec(("\\PC{0,6}", "[ -~\n\"\\\\成😀]{0,40}"), 0..6),
            space in "[ \t\r\n]{0,2}",
        ) {
            let members: Vec<String> = fields
                .iter()
                .map(|(name, value)| {
                    let name = serde_json::to_string(name).expect("a string serializes");
                    let value = serde_json::to_string(value).expect("a string serializes");
                    format!("{name}{space}:{space}{value}")
                })
                .collect();
            let body = format!("{space}{{{}}}{space}", members.join(&format!("{space},")));

            assert_agrees(body.as_bytes());
        }

        #[test]
        fn parse_flat_object_matches_general_parser_on_bytes(
            body in proptest::collection::vec(
                proptest::sample::select(b"{}\":, \n\\ab\x01\xff".to_vec()),
                0..24,
            ),
        ) {
            assert_agrees(&body);
        }
    }

    /// Checks that whatever the flat parser accepts, the general parser reads the same way.
    fn assert_agrees(body: &[u8]) {
        if let Some(fields) = parse_flat_object(body) {
            let general = parse_any_object(body).expect("the general parser accepts it too");

            assert_eq!(fields, general, "{:?}", String::from_utf8_lossy(body));
        }
    }

    #[test]
    fn parse_flat_object_agrees_with_serde_json() {
        let bodies = [
            r#"{"appId":"APPID88888","returnMsg":"成功","data":"EpQ2wjVMPiM4BcmmJnXaydzQIP2F/ZU69SEveShrcaA="}"#,
            "{\"a\":\"\u{7f}\",\"b\":\"😀\"}",
            " {\"a\" : \"b\" } ",
        ];

        for body in bodies {
            let fields = names_and_values(body).expect(body);
            let general: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(body).expect(body);
            let general: Vec<(String, String)> = general
                .into_iter()
                .map(|(name, value)| (name, value.as_str().unwrap_or_default().to_owned()))
                .collect();

            assert_eq!(fields, general, "{body}");
        }
    }
}

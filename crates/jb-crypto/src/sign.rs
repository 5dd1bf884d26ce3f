//! The envelope sign: SHA-1 over the sorted field values and the appKey.

use std::cmp::Ordering;
use std::fmt;

use sha1::{Digest as _, Sha1};
use subtle::ConstantTimeEq as _;

use crate::AppKey;
use crate::error::VerifyError;

/// Placeholder for the appKey in a [`SignExplanation`].
pub const APP_KEY_MASK: &str = "<appKey>";

/// Length of a SHA-1 digest in bytes.
const DIGEST_LEN: usize = 20;

/// Computes the sign (签名) over `values` and `app_key`, as 40 lowercase hex digits.
///
/// The values and the appKey are sorted in the order of Java's `String.compareTo` (see
/// [`compare_utf16`]), concatenated with no separator and hashed with SHA-1 as UTF-8. The
/// concatenation is hashed piece by piece, never built in memory.
///
/// `values` are the text of every envelope field except `sign`. The caller leaves out absent
/// and null fields.
pub fn sign<'a>(values: impl IntoIterator<Item = &'a str>, app_key: &AppKey) -> String {
    to_hex(&digest(values, app_key))
}

/// Checks a received sign against the one computed over `values` and `app_key`.
///
/// Upper-case hex digits are accepted. The digests are compared in constant time.
///
/// # Errors
///
/// [`VerifyError::InvalidLength`] or [`VerifyError::InvalidHex`] when `received` is not 40 hex
/// digits, [`VerifyError::Mismatch`] when it is but differs.
pub fn verify<'a>(
    values: impl IntoIterator<Item = &'a str>,
    app_key: &AppKey,
    received: &str,
) -> Result<(), VerifyError> {
    let received = parse_sign(received)?;
    let expected = digest(values, app_key);

    if bool::from(expected.ct_eq(&received)) {
        Ok(())
    } else {
        Err(VerifyError::Mismatch)
    }
}

/// Compares two strings by UTF-16 code units, as Java's `String.compareTo` does.
///
/// This is the order the platform sorts sign inputs in. It differs from Rust's byte order
/// only when the first differing characters are one above U+FFFF and one from U+E000 to
/// U+FFFF. UTF-16 writes the first as a surrogate pair starting with 0xD800 to 0xDBFF, so it
/// sorts before the second, while UTF-8 byte order puts it after.
#[inline]
pub fn compare_utf16(left: &str, right: &str) -> Ordering {
    let first_difference = left
        .bytes()
        .zip(right.bytes())
        .enumerate()
        .find(|(_, (left_byte, right_byte))| left_byte != right_byte);

    match first_difference {
        // One is a prefix of the other, in UTF-8 and in UTF-16 alike.
        None => left.len().cmp(&right.len()),
        // Below 0xEE, a differing byte is ASCII, the lead of a character below U+E000, or
        // a continuation byte of two characters with the same lead. Either way both orders
        // agree, so the bytes decide without decoding.
        Some((_, (left_byte, right_byte))) if left_byte.min(right_byte) < 0xEE => {
            left_byte.cmp(&right_byte)
        }
        Some((index, _)) => {
            // The common prefix ends on a character boundary in both strings, so the suffixes
            // start with the first differing characters.
            let start = left.floor_char_boundary(index);
            left[start..]
                .encode_utf16()
                .cmp(right[start..].encode_utf16())
        }
    }
}

/// The steps of a sign computation, for showing to a person: the sorted inputs, their
/// concatenation and the sign, with the appKey replaced by [`APP_KEY_MASK`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignExplanation {
    /// Inputs in the order they are concatenated.
    pub sorted: Vec<SignPart>,
    /// Concatenation of `sorted`, with [`APP_KEY_MASK`] where the appKey goes.
    pub masked_concatenation: String,
    /// Resulting sign, 40 lowercase hex digits.
    pub sign: String,
}

/// One input of the sign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignPart {
    /// A field value.
    Value(String),
    /// The appKey, whose text is never shown.
    AppKey,
}

impl fmt::Display for SignPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Value(value) => f.write_str(value),
            Self::AppKey => f.write_str(APP_KEY_MASK),
        }
    }
}

/// Computes the sign like [`sign`] and returns every step, for `explain-sign` output.
pub fn explain_sign<'a>(
    values: impl IntoIterator<Item = &'a str>,
    app_key: &AppKey,
) -> SignExplanation {
    let mut parts: Vec<(&str, bool)> = values.into_iter().map(|value| (value, false)).collect();
    parts.push((app_key.expose_secret(), true));
    parts.sort_by(|(left, _), (right, _)| compare_utf16(left, right));

    let mut hasher = Sha1::new();
    let mut sorted = Vec::with_capacity(parts.len());
    let mut masked_concatenation = String::new();
    for (text, is_app_key) in parts {
        hasher.update(text.as_bytes());
        let part = if is_app_key {
            SignPart::AppKey
        } else {
            SignPart::Value(text.to_owned())
        };
        masked_concatenation.push_str(&part.to_string());
        sorted.push(part);
    }
    let digest: [u8; DIGEST_LEN] = hasher.finalize().into();

    SignExplanation {
        sorted,
        masked_concatenation,
        sign: to_hex(&digest),
    }
}

fn digest<'a>(values: impl IntoIterator<Item = &'a str>, app_key: &AppKey) -> [u8; DIGEST_LEN] {
    // Room for the appKey too, so that adding it does not grow the vector again.
    let values = values.into_iter();
    let mut parts: Vec<&str> = Vec::with_capacity(values.size_hint().0 + 1);
    for value in values {
        parts.push(value);
    }
    parts.push(app_key.expose_secret());
    parts.sort_unstable_by(|left, right| compare_utf16(left, right));

    let mut hasher = Sha1::new();
    for part in parts {
        hasher.update(part.as_bytes());
    }
    hasher.finalize().into()
}

/// Writes a digest as lowercase hex digits.
fn to_hex(digest: &[u8; DIGEST_LEN]) -> String {
    const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

    let mut text = String::with_capacity(DIGEST_LEN * 2);
    for byte in digest {
        text.push(char::from(HEX_DIGITS[usize::from(byte >> 4)]));
        text.push(char::from(HEX_DIGITS[usize::from(byte & 0x0f)]));
    }
    text
}

fn parse_sign(received: &str) -> Result<[u8; DIGEST_LEN], VerifyError> {
    if received.len() != DIGEST_LEN * 2 {
        return Err(VerifyError::InvalidLength {
            length: received.len(),
        });
    }

    let mut bytes = [0u8; DIGEST_LEN];
    let (pairs, _) = received.as_bytes().as_chunks::<2>();
    for (byte, [high, low]) in bytes.iter_mut().zip(pairs) {
        *byte = hex_value(*high)? << 4 | hex_value(*low)?;
    }
    Ok(bytes)
}

/// Returns the value of one hex digit, either case.
fn hex_value(digit: u8) -> Result<u8, VerifyError> {
    match digit {
        b'0'..=b'9' => Ok(digit - b'0'),
        b'a'..=b'f' => Ok(digit - b'a' + 10),
        b'A'..=b'F' => Ok(digit - b'A' + 10),
        _ => Err(VerifyError::InvalidHex),
    }
}

#[cfg(test)]
mod tests {
    use std::cmp::Ordering;

    use super::{compare_utf16, sign, verify};
    use crate::{AppKey, VerifyError};

    const GOLDEN_VALUES: [&str; 4] = [
        "APPID88888",
        "sn12345678900987654321",
        "20161201141000",
        "EpQ2wjVMPiM4BcmmJnXaydzQIP2F/ZU69SEveShrcaA=",
    ];
    const GOLDEN_SIGN: &str = "a1822db84a9e75106b00872921ee1a71672f8dd4";

    fn golden_key() -> AppKey {
        AppKey::new("123456")
    }

    #[test]
    fn compare_utf16_agrees_with_utf16_on_any_first_difference() {
        let characters = [
            "a",
            "~",
            "\u{7f}",
            "\u{80}",
            "é",
            "ê",
            "\u{7ff}",
            "\u{800}",
            "成",
            "功",
            "\u{D7FF}",
            "\u{E000}",
            "\u{E001}",
            "\u{FFFF}",
            "\u{10000}",
            "\u{10001}",
            "\u{1F600}",
        ];

        for left in characters {
            for right in characters {
                let left = format!("x{left}y");
                let right = format!("x{right}z");
                let expected = left.encode_utf16().cmp(right.encode_utf16());

                assert_eq!(
                    compare_utf16(&left, &right),
                    expected,
                    "{left:?} vs {right:?}"
                );
            }
        }
    }

    #[test]
    fn compare_utf16_orders_like_java() {
        let cases = [
            ("\u{1F600}", "\u{FF61}", Ordering::Less),
            ("\u{10000}a", "\u{E000}b", Ordering::Less),
            ("a\u{1F600}", "a\u{FF61}", Ordering::Less),
            ("\u{FF61}", "\u{1F600}", Ordering::Greater),
            ("a", "ab", Ordering::Less),
            ("ab", "a", Ordering::Greater),
            ("", "", Ordering::Equal),
            ("", "a", Ordering::Less),
            ("成功", "成功", Ordering::Equal),
            ("1.0", "123456", Ordering::Less),
            ("Z", "a", Ordering::Less),
            ("\u{FFFF}", "\u{10000}", Ordering::Greater),
            ("\u{D7FF}", "\u{10000}", Ordering::Less),
        ];

        for (left, right, expected) in cases {
            assert_eq!(
                compare_utf16(left, right),
                expected,
                "{left:?} vs {right:?}"
            );
        }
    }

    #[test]
    fn compare_utf16_differs_from_byte_order() {
        assert_eq!("\u{1F600}".cmp("\u{FF61}"), Ordering::Greater);
        assert_eq!(compare_utf16("\u{1F600}", "\u{FF61}"), Ordering::Less);
    }

    #[test]
    fn sign_ignores_input_order() {
        let mut reversed = GOLDEN_VALUES;
        reversed.reverse();

        assert_eq!(sign(reversed, &golden_key()), GOLDEN_SIGN);
    }

    #[test]
    fn verify_accepts_uppercase_hex() {
        let uppercase = GOLDEN_SIGN.to_ascii_uppercase();

        assert_eq!(verify(GOLDEN_VALUES, &golden_key(), &uppercase), Ok(()));
    }

    #[test]
    fn verify_rejects_wrong_length() {
        let cases = [
            "",
            &GOLDEN_SIGN[..39],
            &format!("{GOLDEN_SIGN}0"),
            " a1822db84a9e75106b00872921ee1a71672f8dd4",
        ];

        for received in cases {
            let result = verify(GOLDEN_VALUES, &golden_key(), received);

            assert_eq!(
                result,
                Err(VerifyError::InvalidLength {
                    length: received.len()
                }),
                "{received:?}"
            );
        }
    }

    #[test]
    fn verify_rejects_non_hex() {
        let cases = [
            "g1822db84a9e75106b00872921ee1a71672f8dd4".to_owned(),
            "a1822db84a9e75106b00872921ee1a71672f8dd ".to_owned(),
            "é".repeat(20),
            "0x1822db84a9e75106b00872921ee1a71672f8dd".to_owned(),
        ];

        for received in cases {
            let result = verify(GOLDEN_VALUES, &golden_key(), &received);

            assert_eq!(result, Err(VerifyError::InvalidHex), "{received:?}");
        }
    }

    #[test]
    fn verify_rejects_flipped_digit() {
        for index in [0, 19, 39] {
            let mut flipped = GOLDEN_SIGN.as_bytes().to_vec();
            flipped[index] = if flipped[index] == b'0' { b'1' } else { b'0' };
            let flipped = String::from_utf8(flipped).expect("ASCII");

            let result = verify(GOLDEN_VALUES, &golden_key(), &flipped);

            assert_eq!(result, Err(VerifyError::Mismatch), "digit {index}");
        }
    }

    #[test]
    fn verify_rejects_wrong_key() {
        let result = verify(GOLDEN_VALUES, &AppKey::new("1234567"), GOLDEN_SIGN);

        assert_eq!(result, Err(VerifyError::Mismatch));
    }

    #[test]
    fn verify_rejects_changed_value() {
        let mut changed = GOLDEN_VALUES;
        changed[1] = "sn12345678900987654322";

        let result = verify(changed, &golden_key(), GOLDEN_SIGN);

        assert_eq!(result, Err(VerifyError::Mismatch));
    }
}

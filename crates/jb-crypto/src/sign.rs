//! The envelope sign: SHA-1 over the sorted field values and the appKey.

use std::cmp::Ordering;
use std::fmt;

use sha1::{Digest as _, Sha1};
use subtle::ConstantTimeEq as _;

use crate::AppKey;
use crate::error::VerifyError;

/// Placeholder that stands for the appKey in a [`SignExplanation`].
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
    hex::encode(digest(values, app_key))
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
pub fn compare_utf16(left: &str, right: &str) -> Ordering {
    let first_difference = left
        .bytes()
        .zip(right.bytes())
        .position(|(left_byte, right_byte)| left_byte != right_byte);

    match first_difference {
        // One is a prefix of the other, in UTF-8 and in UTF-16 alike.
        None => left.len().cmp(&right.len()),
        Some(index) => {
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
        sign: hex::encode(digest),
    }
}

fn digest<'a>(values: impl IntoIterator<Item = &'a str>, app_key: &AppKey) -> [u8; DIGEST_LEN] {
    let mut parts: Vec<&str> = values.into_iter().collect();
    parts.push(app_key.expose_secret());
    parts.sort_unstable_by(|left, right| compare_utf16(left, right));

    let mut hasher = Sha1::new();
    for part in parts {
        hasher.update(part.as_bytes());
    }
    hasher.finalize().into()
}

fn parse_sign(received: &str) -> Result<[u8; DIGEST_LEN], VerifyError> {
    if received.len() != DIGEST_LEN * 2 {
        return Err(VerifyError::InvalidLength {
            length: received.len(),
        });
    }

    let mut bytes = [0u8; DIGEST_LEN];
    hex::decode_to_slice(received, &mut bytes).map_err(|_| VerifyError::InvalidHex)?;
    Ok(bytes)
}

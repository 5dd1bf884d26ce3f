//! The reasons an envelope is rejected when opened.

use jb_crypto::{DecryptError, VerifyError};

use crate::Method;
use crate::method::UnknownMethod;
use crate::serial_no::SerialNoError;
use crate::time_stamp::TimeStampError;

/// Characters of a rejected value kept in an error message.
const MESSAGE_VALUE_MAX_CHARS: usize = 64;

/// Failure to open an envelope. Each check of opening has its own variant.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OpenError {
    /// The body is empty or only whitespace.
    #[error("envelope body is empty; expected a JSON object")]
    EmptyBody,

    /// The body is not valid JSON, or not UTF-8.
    #[error("envelope body is not valid JSON ({source}); expected a JSON object")]
    NotJson {
        /// Error reported by the JSON parser, with line and column.
        source: serde_json::Error,
    },

    /// The body is JSON but not an object.
    #[error("envelope body is a JSON {found}; expected a JSON object")]
    NotObject {
        /// Kind of JSON value received: `array`, `string`, `number`, `boolean` or `null`.
        found: &'static str,
    },

    /// A field name appears twice, which would let two readers see different values.
    #[error("envelope field {field:?} appears more than once; send each field once")]
    DuplicateField {
        /// Repeated field name, shortened if long.
        field: String,
    },

    /// A required field is absent.
    #[error("envelope field {field} is missing; it is required")]
    MissingField {
        /// Wire name of the field.
        field: &'static str,
    },

    /// A required field is present but not a JSON string.
    #[error("envelope field {field} is a JSON {found}; it must be a string")]
    FieldNotString {
        /// Wire name of the field.
        field: &'static str,
        /// Kind of JSON value received: `number`, `boolean`, `null`, `array` or `object`.
        found: &'static str,
    },

    /// The sign is malformed or does not match the fields and appKey.
    #[error("envelope sign check failed: {0}")]
    BadSign(#[source] VerifyError),

    /// serialNo is empty or longer than 32 characters.
    #[error("envelope serialNo is invalid: {0}")]
    InvalidSerialNo(#[source] SerialNoError),

    /// timeStamp is not a real `yyyyMMddHHmmss` time.
    #[error("envelope timeStamp is invalid: {0}")]
    InvalidTimeStamp(#[source] TimeStampError),

    /// method names none of the five operations.
    #[error("envelope method is invalid: {0}")]
    UnknownMethod(#[source] UnknownMethod),

    /// method is a known operation but not the expected one.
    #[error(
        "envelope method is {found}, expected {expected}; check which request this response belongs to"
    )]
    MethodMismatch {
        /// Operation the caller expected.
        expected: Method,
        /// Operation the envelope names.
        found: Method,
    },

    /// appId differs from the expected one.
    #[error(
        "envelope appId {found:?} differs from the expected {expected:?}; check the appId setting"
    )]
    AppIdMismatch {
        /// appId the caller expected.
        expected: String,
        /// appId the envelope carries, shortened if long.
        found: String,
    },

    /// The platform returned a returnCode other than `0000`. Its `data` is ignored.
    #[error(
        "platform returned error code {code:?} with message {message:?}{}",
        if *sign_verified { "" } else { " (the response sign did not verify, so the code and message are unauthenticated)" }
    )]
    Platform {
        /// returnCode (返回码) received.
        code: String,
        /// returnMsg (返回信息) received, empty when absent.
        message: String,
        /// Whether the response sign verified under the appKey.
        sign_verified: bool,
    },

    /// An upload response has data `FAIL` with returnCode `0000`: the platform rejected the record.
    #[error(
        "platform rejected the upload with FAIL (returnMsg {message:?}); fix the record and send it again"
    )]
    UploadRejected {
        /// returnMsg (返回信息) received.
        message: String,
    },

    /// data is not a valid ciphertext under the appKey.
    #[error("envelope data could not be decrypted: {0}")]
    Decrypt(#[source] DecryptError),

    /// data decrypts to bytes that are not UTF-8.
    #[error(
        "envelope data decrypts to invalid UTF-8 (invalid byte at offset {valid_up_to}); the sender must encrypt UTF-8 text"
    )]
    DataNotUtf8 {
        /// Length of the valid UTF-8 prefix in bytes.
        valid_up_to: usize,
    },

    /// data decrypts to text that is not JSON, where JSON is expected.
    #[error(
        "envelope data decrypts to text that is not valid JSON ({source}); the sender must encrypt JSON"
    )]
    DataNotJson {
        /// Error reported by the JSON parser, with line and column.
        source: serde_json::Error,
    },

    /// An upload response has data that is neither `SUCCESS` nor `FAIL`.
    #[error("upload response data is {value:?}; expected SUCCESS or FAIL")]
    UnexpectedUploadResult {
        /// Received text, shortened if long.
        value: String,
    },
}

/// Shortens `value` for an error message, so that a hostile input cannot make a message huge.
pub(crate) fn truncate_for_message(value: &str) -> String {
    match value.char_indices().nth(MESSAGE_VALUE_MAX_CHARS) {
        Some((end, _)) => format!("{}…", &value[..end]),
        None => value.to_owned(),
    }
}

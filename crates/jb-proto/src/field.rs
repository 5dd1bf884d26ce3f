//! Values of envelope fields and their wire names.

use std::borrow::Cow;

use serde::{Serialize, Serializer};
use serde_json::value::RawValue;

/// Wire name of appId (合作方唯一标识).
pub(crate) const APP_ID: &str = "appId";
/// Wire name of serialNo (通讯流水号).
pub(crate) const SERIAL_NO: &str = "serialNo";
/// Wire name of timeStamp (时间戳).
pub(crate) const TIME_STAMP: &str = "timeStamp";
/// Wire name of method (服务接口名称).
pub(crate) const METHOD: &str = "method";
/// Wire name of data (业务数据).
pub(crate) const DATA: &str = "data";
/// Wire name of sign (签名).
pub(crate) const SIGN: &str = "sign";
/// Wire name of returnCode (返回码).
pub(crate) const RETURN_CODE: &str = "returnCode";
/// Wire name of returnMsg (返回信息).
pub(crate) const RETURN_MSG: &str = "returnMsg";

/// The value of a top-level envelope field as received.
#[derive(Debug, Clone)]
pub enum FieldValue<'a> {
    /// A JSON string, unescaped.
    String(Cow<'a, str>),
    /// A number, boolean, array or object, kept as the exact JSON text received.
    Json(Cow<'a, RawValue>),
    /// JSON `null`.
    Null,
}

impl FieldValue<'_> {
    /// Returns the text this value contributes to the sign: a string's content, the JSON
    /// text of any other value, or nothing for `null`.
    ///
    /// NOTE: no envelope of the platform has an array or object at the top level, so its
    /// rule for them is unknown. This signs their received text, as for numbers.
    pub fn sign_text(&self) -> Option<&str> {
        match self {
            FieldValue::String(text) => Some(text),
            FieldValue::Json(raw) => Some(raw.get()),
            FieldValue::Null => None,
        }
    }

    /// Returns the JSON kind of the value: `string`, `number`, `boolean`, `array`, `object`
    /// or `null`.
    pub fn kind(&self) -> &'static str {
        match self {
            FieldValue::String(_) => "string",
            FieldValue::Json(raw) => json_kind(raw.get()),
            FieldValue::Null => "null",
        }
    }

    /// Copies borrowed text so that the value no longer borrows the body.
    pub fn into_owned(self) -> FieldValue<'static> {
        match self {
            FieldValue::String(text) => FieldValue::String(Cow::Owned(text.into_owned())),
            FieldValue::Json(raw) => FieldValue::Json(Cow::Owned(raw.into_owned())),
            FieldValue::Null => FieldValue::Null,
        }
    }
}

/// Compares the string content, or the JSON text exactly as received for other values.
impl PartialEq for FieldValue<'_> {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (FieldValue::String(left), FieldValue::String(right)) => left == right,
            (FieldValue::Json(left), FieldValue::Json(right)) => left.get() == right.get(),
            (FieldValue::Null, FieldValue::Null) => true,
            _ => false,
        }
    }
}

impl Eq for FieldValue<'_> {}

impl Serialize for FieldValue<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            FieldValue::String(text) => serializer.serialize_str(text),
            FieldValue::Json(raw) => raw.serialize(serializer),
            FieldValue::Null => serializer.serialize_unit(),
        }
    }
}

/// Names the kind of a valid JSON text from its first character.
pub(crate) fn json_kind(json: &str) -> &'static str {
    match json.trim_start().as_bytes().first() {
        Some(b'"') => "string",
        Some(b'{') => "object",
        Some(b'[') => "array",
        Some(b't' | b'f') => "boolean",
        Some(b'n') => "null",
        _ => "number",
    }
}

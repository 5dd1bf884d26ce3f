//! Parsing a body into its top-level fields, before any check that needs the appKey.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use crate::error::{OpenError, truncate_for_message};
use crate::field::{
    APP_ID, DATA, FieldValue, METHOD, RETURN_CODE, RETURN_MSG, SERIAL_NO, SIGN, TIME_STAMP,
    json_kind,
};
use crate::flat_object::{Fields, parse_flat_object};
use crate::{RequestEnvelope, ResponseEnvelope};

/// The top-level fields of an envelope body, in the order received, with no check beyond
/// "a JSON object without repeated names".
///
/// Text is borrowed from the body wherever JSON escapes allow. A server with many tenants
/// parses the body, reads [`ParsedEnvelope::app_id`], picks that tenant's
/// [`Codec`](crate::Codec), and opens the typed envelope from [`ParsedEnvelope::into_request`]
/// with it. Tools that show or re-sign arbitrary envelopes use [`ParsedEnvelope::sign_values`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedEnvelope<'a> {
    fields: Fields<'a>,
}

impl<'a> ParsedEnvelope<'a> {
    /// Parses `body` as a JSON object.
    ///
    /// # Errors
    ///
    /// [`OpenError::EmptyBody`], [`OpenError::NotJson`], [`OpenError::NotObject`] or
    /// [`OpenError::DuplicateField`].
    pub fn parse(body: &'a [u8]) -> Result<Self, OpenError> {
        if body.trim_ascii().is_empty() {
            return Err(OpenError::EmptyBody);
        }

        let fields = match parse_flat_object(body) {
            Some(fields) => fields,
            None => parse_any_object(body)?,
        };

        if let Some(field) = smallest_repeated_name(&fields) {
            return Err(OpenError::DuplicateField {
                field: truncate_for_message(field),
            });
        }

        Ok(Self { fields })
    }

    /// Returns the value of the field named `name`, if present.
    pub fn get(&self, name: &str) -> Option<&FieldValue<'a>> {
        self.fields
            .iter()
            .find(|(field_name, _)| field_name == name)
            .map(|(_, value)| value)
    }

    /// Returns the text of the field named `name` when it is a JSON string.
    pub fn get_str(&self, name: &str) -> Option<&str> {
        match self.get(name) {
            Some(FieldValue::String(text)) => Some(text),
            _ => None,
        }
    }

    /// Returns appId when it is present and a string.
    pub fn app_id(&self) -> Option<&str> {
        self.get_str(APP_ID)
    }

    /// Returns sign when it is present and a string.
    pub fn sign(&self) -> Option<&str> {
        self.get_str(SIGN)
    }

    /// Returns `true` when the body has a `returnCode` or `returnMsg` field, which only
    /// responses carry.
    pub fn is_response(&self) -> bool {
        self.get(RETURN_CODE).is_some() || self.get(RETURN_MSG).is_some()
    }

    /// Iterates over the fields in the order received.
    pub fn fields(&self) -> impl Iterator<Item = (&str, &FieldValue<'a>)> {
        self.fields
            .iter()
            .map(|(name, value)| (name.as_ref(), value))
    }

    /// Iterates over the texts the sign covers: every field but `sign`, `null` left out.
    pub fn sign_values(&self) -> impl Iterator<Item = &str> {
        self.fields
            .iter()
            .filter(|(name, _)| name != SIGN)
            .filter_map(|(_, value)| value.sign_text())
    }

    /// Takes out the fields of a request, keeping the others, in order, as extra fields.
    ///
    /// # Errors
    ///
    /// [`OpenError::MissingField`] or [`OpenError::FieldNotString`] for the first of appId,
    /// serialNo, timeStamp, method, data and sign that is absent or not a string.
    pub fn into_request(self) -> Result<RequestEnvelope<'a>, OpenError> {
        let mut slots = Slots::new([APP_ID, SERIAL_NO, TIME_STAMP, METHOD, DATA, SIGN]);
        let extra = slots.fill(self.fields);
        let [app_id, serial_no, time_stamp, method, data, sign] = slots.into_strings()?;

        Ok(RequestEnvelope {
            app_id,
            serial_no,
            time_stamp,
            method,
            data,
            sign,
            extra,
        })
    }

    /// Takes out the fields of a response, keeping the others, in order, as extra fields.
    ///
    /// # Errors
    ///
    /// [`OpenError::MissingField`] or [`OpenError::FieldNotString`] for the first of
    /// returnCode, returnMsg, appId, serialNo, timeStamp, method, data and sign that is absent
    /// or not a string.
    pub fn into_response(self) -> Result<ResponseEnvelope<'a>, OpenError> {
        let mut slots = Slots::new([
            RETURN_CODE,
            RETURN_MSG,
            APP_ID,
            SERIAL_NO,
            TIME_STAMP,
            METHOD,
            DATA,
            SIGN,
        ]);
        let extra = slots.fill(self.fields);
        let [
            return_code,
            return_msg,
            app_id,
            serial_no,
            time_stamp,
            method,
            data,
            sign,
        ] = slots.into_strings()?;

        Ok(ResponseEnvelope {
            app_id,
            serial_no,
            time_stamp,
            method,
            return_code,
            return_msg,
            data,
            sign,
            extra,
        })
    }
}

/// Field counts up to which names are compared pairwise, which needs no allocation. An
/// envelope has eight fields or fewer unless it carries extra ones.
const PAIRWISE_MAX_FIELDS: usize = 16;

/// Returns the smallest name, in byte order, that appears more than once.
fn smallest_repeated_name<'f>(fields: &'f Fields<'_>) -> Option<&'f str> {
    if fields.len() <= PAIRWISE_MAX_FIELDS {
        return fields
            .iter()
            .enumerate()
            .filter(|(index, (name, _))| {
                fields[..*index].iter().any(|(earlier, _)| earlier == name)
            })
            .map(|(_, (name, _))| name.as_ref())
            .min();
    }

    let mut names: Vec<&str> = fields.iter().map(|(name, _)| name.as_ref()).collect();
    names.sort_unstable();
    names
        .windows(2)
        .find(|pair| pair[0] == pair[1])
        .map(|pair| pair[0])
}

/// Parses `body` with the general JSON parser, which takes any JSON value and reports errors.
pub(crate) fn parse_any_object(body: &[u8]) -> Result<Fields<'_>, OpenError> {
    let top_level = serde_json::from_slice::<TopLevel<'_>>(body)
        .map_err(|source| OpenError::NotJson { source })?;
    match top_level {
        TopLevel::Object(fields) => Ok(fields),
        TopLevel::Other(found) => Err(OpenError::NotObject { found }),
    }
}

/// The required fields of an envelope kind, filled from the parsed fields.
struct Slots<'a, const N: usize> {
    names: [&'static str; N],
    values: [Option<FieldValue<'a>>; N],
}

impl<'a, const N: usize> Slots<'a, N> {
    fn new(names: [&'static str; N]) -> Self {
        Self {
            names,
            values: std::array::from_fn(|_| None),
        }
    }

    /// Moves each required field into its slot and returns the others in order.
    fn fill(&mut self, fields: Fields<'a>) -> Fields<'a> {
        let mut extra = Vec::new();
        for (name, value) in fields {
            match self.slot(&name) {
                Some(slot) => *slot = Some(value),
                None => extra.push((name, value)),
            }
        }
        extra
    }

    /// Returns the string of every slot, in slot order, or the error of the first slot that
    /// is empty or not a string.
    fn into_strings(self) -> Result<[Cow<'a, str>; N], OpenError> {
        let mut strings = std::array::from_fn(|_| Cow::Borrowed(""));
        for ((string, name), value) in strings.iter_mut().zip(self.names).zip(self.values) {
            *string = match value {
                Some(FieldValue::String(text)) => text,
                Some(other) => {
                    return Err(OpenError::FieldNotString {
                        field: name,
                        found: other.kind(),
                    });
                }
                None => return Err(OpenError::MissingField { field: name }),
            };
        }
        Ok(strings)
    }

    fn slot(&mut self, name: &str) -> Option<&mut Option<FieldValue<'a>>> {
        let index = self.names.iter().position(|slot_name| *slot_name == name)?;
        self.values.get_mut(index)
    }
}

/// A body's top-level JSON value: the fields of an object, or the kind of anything else.
enum TopLevel<'a> {
    Object(Vec<(Cow<'a, str>, FieldValue<'a>)>),
    Other(&'static str),
}

impl<'de> Deserialize<'de> for TopLevel<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TopLevelVisitor)
    }
}

struct TopLevelVisitor;

impl<'de> Visitor<'de> for TopLevelVisitor {
    type Value = TopLevel<'de>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut fields = Vec::with_capacity(map.size_hint().unwrap_or(8));
        while let Some(BorrowedText(name)) = map.next_key()? {
            let raw: &'de RawValue = map.next_value()?;
            let value = match json_kind(raw.get()) {
                "string" => FieldValue::String(unescape(raw.get()).map_err(de::Error::custom)?),
                "null" => FieldValue::Null,
                _ => FieldValue::Json(Cow::Borrowed(raw)),
            };
            fields.push((name, value));
        }
        Ok(TopLevel::Object(fields))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(TopLevel::Other("array"))
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(TopLevel::Other("string"))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(TopLevel::Other("boolean"))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(TopLevel::Other("number"))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(TopLevel::Other("number"))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(TopLevel::Other("number"))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(TopLevel::Other("null"))
    }
}

/// Returns the content of a JSON string literal, borrowed when it has no escapes. The
/// parser has already validated the literal, so the common case is a slice, not a second
/// scan by the parser.
fn unescape(literal: &str) -> Result<Cow<'_, str>, serde_json::Error> {
    let content = literal
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'));

    match content {
        Some(content) if !content.as_bytes().contains(&b'\\') => Ok(Cow::Borrowed(content)),
        _ => serde_json::from_str::<BorrowedText<'_>>(literal).map(|BorrowedText(text)| text),
    }
}

/// A JSON string that borrows from the input unless it contains escapes.
struct BorrowedText<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for BorrowedText<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(BorrowedTextVisitor)
    }
}

struct BorrowedTextVisitor;

impl<'de> Visitor<'de> for BorrowedTextVisitor {
    type Value = BorrowedText<'de>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a JSON string")
    }

    fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<Self::Value, E> {
        Ok(BorrowedText(Cow::Borrowed(text)))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
        Ok(BorrowedText(Cow::Owned(text.to_owned())))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<Self::Value, E> {
        Ok(BorrowedText(Cow::Owned(text)))
    }
}

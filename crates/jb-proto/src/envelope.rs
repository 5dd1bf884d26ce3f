//! The request and response envelopes, with their wire field names.

use std::borrow::Cow;

use serde::ser::{Serialize, SerializeMap as _, Serializer};

use crate::error::OpenError;
use crate::field::{
    APP_ID, DATA, FieldValue, METHOD, RETURN_CODE, RETURN_MSG, SERIAL_NO, SIGN, TIME_STAMP,
};
use crate::json_writer::ObjectWriter;
use crate::parsed::ParsedEnvelope;

/// Fields other than the required ones, in the order received. They are signed over.
pub type ExtraFields<'a> = Vec<(Cow<'a, str>, FieldValue<'a>)>;

/// A request envelope (请求报文). The text fields are as received or as sealed, not yet
/// checked: [`Codec::open_request_envelope`](crate::Codec::open_request_envelope) checks them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestEnvelope<'a> {
    /// appId (合作方唯一标识): the insurer's identifier, issued by the platform.
    pub app_id: Cow<'a, str>,
    /// serialNo (通讯流水号): identifier of this request, at most 32 characters.
    pub serial_no: Cow<'a, str>,
    /// timeStamp (时间戳): `yyyyMMddHHmmss`, Beijing time.
    pub time_stamp: Cow<'a, str>,
    /// method (服务接口名称): the operation's wire name.
    pub method: Cow<'a, str>,
    /// data (业务数据): the encrypted business JSON, in Base64.
    pub data: Cow<'a, str>,
    /// sign (签名): SHA-1 over every other field and the appKey, in hex.
    pub sign: Cow<'a, str>,
    /// Unknown fields, kept and signed over.
    pub extra: ExtraFields<'a>,
}

impl<'a> RequestEnvelope<'a> {
    /// Parses a request body and takes out its fields, borrowing from `body`.
    ///
    /// # Errors
    ///
    /// Those of [`ParsedEnvelope::parse`] and [`ParsedEnvelope::into_request`].
    pub fn from_json(body: &'a [u8]) -> Result<Self, OpenError> {
        ParsedEnvelope::parse(body)?.into_request()
    }

    /// Iterates over the texts the sign covers: every field but `sign`, `null` left out.
    pub fn sign_values(&self) -> impl Iterator<Item = &str> {
        let required = [
            &self.app_id,
            &self.serial_no,
            &self.time_stamp,
            &self.method,
            &self.data,
        ];
        required
            .into_iter()
            .map(AsRef::as_ref)
            .chain(extra_sign_values(&self.extra))
    }

    /// Serializes the envelope to the JSON body sent over HTTP, with the fields in the order
    /// of the platform's document and extra fields before `sign`.
    pub fn to_json(&self) -> Vec<u8> {
        let mut writer =
            ObjectWriter::with_text_len(text_len(self.sign_values(), &self.sign, &self.extra));
        writer.string_field(APP_ID, &self.app_id);
        writer.string_field(SERIAL_NO, &self.serial_no);
        writer.string_field(TIME_STAMP, &self.time_stamp);
        writer.string_field(METHOD, &self.method);
        writer.string_field(DATA, &self.data);
        for (name, value) in &self.extra {
            writer.field(name, value);
        }
        writer.string_field(SIGN, &self.sign);
        writer.finish()
    }

    /// Copies borrowed text so that the envelope no longer borrows the body.
    pub fn into_owned(self) -> RequestEnvelope<'static> {
        RequestEnvelope {
            app_id: Cow::Owned(self.app_id.into_owned()),
            serial_no: Cow::Owned(self.serial_no.into_owned()),
            time_stamp: Cow::Owned(self.time_stamp.into_owned()),
            method: Cow::Owned(self.method.into_owned()),
            data: Cow::Owned(self.data.into_owned()),
            sign: Cow::Owned(self.sign.into_owned()),
            extra: extra_into_owned(self.extra),
        }
    }
}

/// A response envelope (响应报文): the request's fields plus returnCode and returnMsg.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseEnvelope<'a> {
    /// appId (合作方唯一标识): the insurer's identifier.
    pub app_id: Cow<'a, str>,
    /// serialNo (通讯流水号): identifier of this response, at most 32 characters.
    pub serial_no: Cow<'a, str>,
    /// timeStamp (时间戳): `yyyyMMddHHmmss`, Beijing time.
    pub time_stamp: Cow<'a, str>,
    /// method (服务接口名称): the operation's wire name.
    pub method: Cow<'a, str>,
    /// returnCode (返回码): `0000` for success.
    pub return_code: Cow<'a, str>,
    /// returnMsg (返回信息): a message such as `成功`.
    pub return_msg: Cow<'a, str>,
    /// data (业务数据): encrypted business JSON, or `SUCCESS`/`FAIL` as plain text or encrypted.
    pub data: Cow<'a, str>,
    /// sign (签名): SHA-1 over every other field and the appKey, in hex.
    pub sign: Cow<'a, str>,
    /// Unknown fields, kept and signed over.
    pub extra: ExtraFields<'a>,
}

impl<'a> ResponseEnvelope<'a> {
    /// Parses a response body and takes out its fields, borrowing from `body`.
    ///
    /// # Errors
    ///
    /// Those of [`ParsedEnvelope::parse`] and [`ParsedEnvelope::into_response`].
    pub fn from_json(body: &'a [u8]) -> Result<Self, OpenError> {
        ParsedEnvelope::parse(body)?.into_response()
    }

    /// Iterates over the texts the sign covers: every field but `sign`, `null` left out.
    pub fn sign_values(&self) -> impl Iterator<Item = &str> {
        let required = [
            &self.app_id,
            &self.serial_no,
            &self.time_stamp,
            &self.method,
            &self.return_code,
            &self.return_msg,
            &self.data,
        ];
        required
            .into_iter()
            .map(AsRef::as_ref)
            .chain(extra_sign_values(&self.extra))
    }

    /// Serializes the envelope to the JSON body sent over HTTP, with the fields in the order
    /// of the platform's document and extra fields before `sign`.
    pub fn to_json(&self) -> Vec<u8> {
        let mut writer =
            ObjectWriter::with_text_len(text_len(self.sign_values(), &self.sign, &self.extra));
        writer.string_field(APP_ID, &self.app_id);
        writer.string_field(SERIAL_NO, &self.serial_no);
        writer.string_field(TIME_STAMP, &self.time_stamp);
        writer.string_field(METHOD, &self.method);
        writer.string_field(RETURN_CODE, &self.return_code);
        writer.string_field(RETURN_MSG, &self.return_msg);
        writer.string_field(DATA, &self.data);
        for (name, value) in &self.extra {
            writer.field(name, value);
        }
        writer.string_field(SIGN, &self.sign);
        writer.finish()
    }

    /// Copies borrowed text so that the envelope no longer borrows the body.
    pub fn into_owned(self) -> ResponseEnvelope<'static> {
        ResponseEnvelope {
            app_id: Cow::Owned(self.app_id.into_owned()),
            serial_no: Cow::Owned(self.serial_no.into_owned()),
            time_stamp: Cow::Owned(self.time_stamp.into_owned()),
            method: Cow::Owned(self.method.into_owned()),
            return_code: Cow::Owned(self.return_code.into_owned()),
            return_msg: Cow::Owned(self.return_msg.into_owned()),
            data: Cow::Owned(self.data.into_owned()),
            sign: Cow::Owned(self.sign.into_owned()),
            extra: extra_into_owned(self.extra),
        }
    }
}

/// Writes the fields in the platform document's order, extra fields before `sign`.
impl Serialize for RequestEnvelope<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(6 + self.extra.len()))?;
        map.serialize_entry(APP_ID, &self.app_id)?;
        map.serialize_entry(SERIAL_NO, &self.serial_no)?;
        map.serialize_entry(TIME_STAMP, &self.time_stamp)?;
        map.serialize_entry(METHOD, &self.method)?;
        map.serialize_entry(DATA, &self.data)?;
        for (name, value) in &self.extra {
            map.serialize_entry(name, value)?;
        }
        map.serialize_entry(SIGN, &self.sign)?;
        map.end()
    }
}

/// Writes the fields in the platform document's order, extra fields before `sign`.
impl Serialize for ResponseEnvelope<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(8 + self.extra.len()))?;
        map.serialize_entry(APP_ID, &self.app_id)?;
        map.serialize_entry(SERIAL_NO, &self.serial_no)?;
        map.serialize_entry(TIME_STAMP, &self.time_stamp)?;
        map.serialize_entry(METHOD, &self.method)?;
        map.serialize_entry(RETURN_CODE, &self.return_code)?;
        map.serialize_entry(RETURN_MSG, &self.return_msg)?;
        map.serialize_entry(DATA, &self.data)?;
        for (name, value) in &self.extra {
            map.serialize_entry(name, value)?;
        }
        map.serialize_entry(SIGN, &self.sign)?;
        map.end()
    }
}

fn extra_sign_values<'e>(extra: &'e ExtraFields<'_>) -> impl Iterator<Item = &'e str> {
    extra.iter().filter_map(|(_, value)| value.sign_text())
}

fn extra_into_owned(extra: ExtraFields<'_>) -> ExtraFields<'static> {
    extra
        .into_iter()
        .map(|(name, value)| (Cow::Owned(name.into_owned()), value.into_owned()))
        .collect()
}

/// Returns the bytes of names and values in the fields, to size the body buffer. Required
/// field names are left out: the writer's margin covers them.
fn text_len<'t>(
    values: impl Iterator<Item = &'t str>,
    sign: &str,
    extra: &ExtraFields<'_>,
) -> usize {
    let extra_names: usize = extra.iter().map(|(name, _)| name.len()).sum();
    values.map(str::len).sum::<usize>() + sign.len() + extra_names
}

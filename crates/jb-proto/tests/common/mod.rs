//! Helpers shared by the integration tests: a codec for the platform's example appId and
//! appKey, and envelopes built and signed field by field so that a test can break exactly
//! one rule.

#![allow(dead_code, clippy::unwrap_used)]

use jb_crypto::{AppKey, DataCipher};
use jb_proto::Codec;
use serde_json::{Map, Value, json};

pub(crate) const APP_ID: &str = "APPID88888";
pub(crate) const APP_KEY: &str = "123456";
pub(crate) const SERIAL_NO: &str = "sn12345678900987654321";
pub(crate) const TIME_STAMP: &str = "20161201141000";
pub(crate) const REQUEST_DATA: &str = r#"{"insuranceCode":"CPIC"}"#;
pub(crate) const DOWNLOAD_DATA: &str = r#"[{"accidentNo":"A0001"}]"#;

pub(crate) fn codec() -> Codec {
    Codec::new(APP_ID, AppKey::new(APP_KEY))
}

pub(crate) fn encrypt(plaintext: &[u8]) -> String {
    DataCipher::new(&AppKey::new(APP_KEY)).encrypt(plaintext)
}

/// Returns the fields of a valid request, without `sign`.
pub(crate) fn request_fields(method: &str, data_json: &str) -> Map<String, Value> {
    let fields = json!({
        "appId": APP_ID,
        "serialNo": SERIAL_NO,
        "timeStamp": TIME_STAMP,
        "method": method,
        "data": encrypt(data_json.as_bytes()),
    });
    fields.as_object().unwrap().clone()
}

/// Returns the fields of a valid response, without `sign`. `data` is used as given.
pub(crate) fn response_fields(method: &str, return_code: &str, data: &str) -> Map<String, Value> {
    let fields = json!({
        "appId": APP_ID,
        "serialNo": "3zycizf266zz6egow2sia0tdpsb5ayup",
        "timeStamp": "20170620185613",
        "method": method,
        "returnCode": return_code,
        "returnMsg": "成功",
        "data": data,
    });
    fields.as_object().unwrap().clone()
}

/// Returns the texts the platform signs: string content, other values as JSON text, and
/// nothing for null.
pub(crate) fn sign_texts(fields: &Map<String, Value>) -> Vec<String> {
    fields
        .iter()
        .filter(|(name, _)| *name != "sign")
        .filter_map(|(_, value)| match value {
            Value::Null => None,
            Value::String(text) => Some(text.clone()),
            other => Some(other.to_string()),
        })
        .collect()
}

/// Adds a `sign` made with `app_key` over `fields` and returns the JSON body.
pub(crate) fn signed_body_with_key(mut fields: Map<String, Value>, app_key: &str) -> Vec<u8> {
    let texts = sign_texts(&fields);
    let sign = jb_crypto::sign(texts.iter().map(String::as_str), &AppKey::new(app_key));
    fields.insert("sign".to_owned(), Value::String(sign));
    serde_json::to_vec(&fields).unwrap()
}

/// Adds a `sign` made with the example appKey and returns the JSON body.
pub(crate) fn signed_body(fields: Map<String, Value>) -> Vec<u8> {
    signed_body_with_key(fields, APP_KEY)
}

/// Returns a valid signed request body.
pub(crate) fn request_body(method: &str, data_json: &str) -> Vec<u8> {
    signed_body(request_fields(method, data_json))
}

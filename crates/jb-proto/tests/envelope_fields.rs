//! Extra fields, non-string values, JSON escapes and line breaks: what the sign covers and
//! what a parsed envelope keeps.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::HashMap;

use common::{APP_KEY, REQUEST_DATA, codec, encrypt, request_fields, signed_body};
use jb_crypto::{AppKey, VerifyError};
use jb_proto::{
    Codec, Expected, FieldValue, OpenError, ParsedEnvelope, RequestEnvelope, ResponseEnvelope,
};
use serde_json::json;

#[test]
fn extra_fields_are_signed_and_kept_in_order() {
    let mut fields = request_fields("accidentDownload", REQUEST_DATA);
    fields.insert("version".to_owned(), json!("2.0"));
    fields.insert("count".to_owned(), json!(3));
    fields.insert("flag".to_owned(), json!(true));
    fields.insert("nothing".to_owned(), json!(null));
    let body = signed_body(fields);

    let envelope = RequestEnvelope::from_json(&body).unwrap();
    let opened = codec().open_request_envelope(&envelope, &Expected::default());

    assert!(opened.is_ok(), "{opened:?}");
    let names: Vec<&str> = envelope
        .extra
        .iter()
        .map(|(name, _)| name.as_ref())
        .collect();
    assert_eq!(names, ["version", "count", "flag", "nothing"]);
    assert_eq!(envelope.extra[0].1, FieldValue::String("2.0".into()));
    assert_eq!(envelope.extra[1].1.sign_text(), Some("3"));
    assert_eq!(envelope.extra[2].1.kind(), "boolean");
    assert_eq!(envelope.extra[3].1, FieldValue::Null);
}

#[test]
fn changed_extra_field_is_rejected() {
    let mut fields = request_fields("accidentDownload", REQUEST_DATA);
    fields.insert("version".to_owned(), json!("2.0"));
    let body = String::from_utf8(signed_body(fields)).unwrap();
    let changed = body.replace(r#""version":"2.0""#, r#""version":"2.1""#);

    let error = codec()
        .open_request(changed.as_bytes(), &Expected::default())
        .unwrap_err();

    assert!(
        matches!(error, OpenError::BadSign(VerifyError::Mismatch)),
        "{error}"
    );
}

#[test]
fn number_is_signed_as_received_text() {
    let fields = request_fields("accidentDownload", REQUEST_DATA);
    let mut texts = common::sign_texts(&fields);
    texts.push("1.0".to_owned());
    let sign = jb_crypto::sign(texts.iter().map(String::as_str), &AppKey::new(APP_KEY));
    let mut body = serde_json::to_string(&fields).unwrap();
    body.pop();
    let with_number = format!(r#"{body},"amount":1.0,"sign":"{sign}"}}"#);
    let with_integer = with_number.replace(r#""amount":1.0"#, r#""amount":1"#);

    let opened = codec().open_request(with_number.as_bytes(), &Expected::default());
    let error = codec()
        .open_request(with_integer.as_bytes(), &Expected::default())
        .unwrap_err();

    assert!(opened.is_ok(), "{opened:?}");
    assert!(
        matches!(error, OpenError::BadSign(VerifyError::Mismatch)),
        "{error}"
    );
}

#[test]
fn null_field_adds_nothing_to_sign() {
    let fields = request_fields("accidentDownload", REQUEST_DATA);
    let body: serde_json::Value = serde_json::from_slice(&signed_body(fields.clone())).unwrap();
    let mut with_null = fields;
    with_null.insert("remark".to_owned(), json!(null));
    with_null.insert("sign".to_owned(), body["sign"].clone());

    let opened = codec().open_request(
        &serde_json::to_vec(&with_null).unwrap(),
        &Expected::default(),
    );

    assert!(opened.is_ok(), "{opened:?}");
}

#[test]
fn escaped_slash_in_data_is_unescaped() {
    // This plaintext encrypts to `EpQ2wjVMPiM4BcmmJnXaydzQIP2F/ZU69SEveShrcaA=`.
    let plaintext = r#"{"billNo":"000000000001"}"#;
    let fields = request_fields("accidentDownload", plaintext);
    let data = fields["data"].as_str().unwrap().to_owned();
    assert!(data.contains('/'), "the test needs a '/' in {data}");
    let body = String::from_utf8(signed_body(fields)).unwrap();
    let escaped = body.replace(&data, &data.replace('/', "\\/"));

    let opened = codec()
        .open_request(escaped.as_bytes(), &Expected::default())
        .unwrap();

    assert_eq!(opened.data, plaintext);
}

#[test]
fn wrapped_data_is_signed_with_line_breaks() {
    let plaintext = format!(r#"{{"reportContent":"{}"}}"#, "x".repeat(200));
    let mut fields = request_fields("reportCaseUpload", &plaintext);
    let data = fields["data"].as_str().unwrap().to_owned();
    let wrapped: Vec<&str> = data
        .as_bytes()
        .chunks(76)
        .map(|line| std::str::from_utf8(line).unwrap())
        .collect();
    fields.insert("data".to_owned(), json!(wrapped.join("\r\n")));
    let body = signed_body(fields.clone());
    let mut signed_over_unwrapped = fields;
    signed_over_unwrapped.insert("data".to_owned(), json!(data));
    let wrong_body = String::from_utf8(signed_body(signed_over_unwrapped))
        .unwrap()
        .replace(&data, &wrapped.join("\\r\\n"));

    let opened = codec().open_request(&body, &Expected::default()).unwrap();
    let error = codec()
        .open_request(wrong_body.as_bytes(), &Expected::default())
        .unwrap_err();

    assert_eq!(opened.data, plaintext);
    assert!(
        matches!(error, OpenError::BadSign(VerifyError::Mismatch)),
        "{error}"
    );
}

#[test]
fn request_json_round_trips() {
    let mut fields = request_fields("accidentDownload", REQUEST_DATA);
    fields.insert("version".to_owned(), json!("2.0"));
    fields.insert("amount".to_owned(), json!(12.5));
    let body = signed_body(fields);

    let envelope = RequestEnvelope::from_json(&body).unwrap();
    let written = envelope.to_json();

    assert_eq!(RequestEnvelope::from_json(&written).unwrap(), envelope);
}

#[test]
fn response_json_round_trips() {
    let mut fields = common::response_fields("accidentDownload", "0000", &encrypt(b"[]"));
    fields.insert("extra".to_owned(), json!({"nested": [1, 2]}));
    let body = signed_body(fields);

    let envelope = ResponseEnvelope::from_json(&body).unwrap();
    let written = envelope.to_json();

    assert_eq!(ResponseEnvelope::from_json(&written).unwrap(), envelope);
    assert_eq!(envelope.clone().into_owned(), envelope);
}

#[test]
fn parsed_envelope_tells_request_from_response() {
    let request = signed_body(request_fields("accidentDownload", REQUEST_DATA));
    let response = br#"{"returnMsg":"x"}"#;

    assert!(!ParsedEnvelope::parse(&request).unwrap().is_response());
    assert!(ParsedEnvelope::parse(response).unwrap().is_response());
}

#[test]
fn tenant_is_chosen_by_app_id() {
    let tenants: HashMap<&str, Codec> = [
        ("APPID88888", Codec::new("APPID88888", AppKey::new(APP_KEY))),
        ("OTHER", Codec::new("OTHER", AppKey::new("other key"))),
    ]
    .into_iter()
    .collect();
    let sender = &tenants["OTHER"];
    let body = sender
        .seal_request_now(jb_proto::Method::ReportCaseUpload, r#"{"reportNo":"R1"}"#)
        .to_json();

    let parsed = ParsedEnvelope::parse(&body).unwrap();
    let tenant = &tenants[parsed.app_id().unwrap()];
    let envelope = parsed.into_request().unwrap();
    let opened = tenant
        .open_request_envelope(&envelope, &Expected::default().with_app_id(tenant.app_id()))
        .unwrap();
    let error = tenants["APPID88888"]
        .open_request_envelope(&envelope, &Expected::default())
        .unwrap_err();

    assert_eq!(opened.data, r#"{"reportNo":"R1"}"#);
    assert!(matches!(error, OpenError::BadSign(_)), "{error}");
}

#[test]
fn parsed_fields_borrow_from_body() {
    let body = signed_body(request_fields("accidentDownload", REQUEST_DATA));

    let envelope = RequestEnvelope::from_json(&body).unwrap();

    assert!(matches!(envelope.data, std::borrow::Cow::Borrowed(_)));
    assert!(matches!(envelope.sign, std::borrow::Cow::Borrowed(_)));
}

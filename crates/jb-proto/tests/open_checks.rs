//! Every check of opening an envelope, each failing with its own error.

#![allow(clippy::unwrap_used)]

mod common;

use common::{
    APP_ID, DOWNLOAD_DATA, REQUEST_DATA, codec, encrypt, request_body, request_fields,
    response_fields, signed_body, signed_body_with_key,
};
use jb_crypto::{DecryptError, VerifyError};
use jb_proto::{Expected, Method, OpenError, ResponseData, SerialNoError, TimeStampError};
use serde_json::{Value, json};

fn open_request(body: &[u8]) -> Result<jb_proto::OpenedRequest, OpenError> {
    codec().open_request(body, &Expected::default())
}

fn open_response(body: &[u8]) -> Result<jb_proto::OpenedResponse, OpenError> {
    codec().open_response(body, &Expected::default())
}

fn request_error(body: &[u8]) -> OpenError {
    open_request(body).expect_err("request should be rejected")
}

fn response_error(body: &[u8]) -> OpenError {
    open_response(body).expect_err("response should be rejected")
}

/// Replaces one field of a valid request and signs the result again.
fn resigned_request_with(name: &str, value: Value) -> Vec<u8> {
    let mut fields = request_fields("accidentDownload", REQUEST_DATA);
    fields.insert(name.to_owned(), value);
    signed_body(fields)
}

#[test]
fn body_empty_is_rejected() {
    for body in [&b""[..], b"   \r\n\t"] {
        let error = request_error(body);

        assert!(matches!(error, OpenError::EmptyBody), "{body:?}: {error}");
    }
}

#[test]
fn body_not_json_is_rejected() {
    let cases: [&[u8]; 5] = [
        b"{",
        b"not json",
        b"{\"appId\":\"\xff\"}",
        b"{\"appId\":\"a\"} trailing",
        b"{'appId':'a'}",
    ];

    for body in cases {
        let error = request_error(body);

        assert!(
            matches!(error, OpenError::NotJson { .. }),
            "{}: {error}",
            String::from_utf8_lossy(body)
        );
    }
}

#[test]
fn body_not_object_is_rejected() {
    let cases = [
        ("[1, {\"a\": 2}]", "array"),
        ("\"text\"", "string"),
        ("12.5", "number"),
        ("-3", "number"),
        ("true", "boolean"),
        ("null", "null"),
    ];

    for (body, kind) in cases {
        let error = request_error(body.as_bytes());

        assert!(
            matches!(error, OpenError::NotObject { found } if found == kind),
            "{body}: {error}"
        );
    }
}

#[test]
fn duplicate_field_is_rejected() {
    let body = request_body("accidentDownload", REQUEST_DATA);
    let text = String::from_utf8(body).unwrap();
    let duplicated = text.replacen('{', r#"{"appId":"OTHER","#, 1);

    let error = request_error(duplicated.as_bytes());

    assert!(
        matches!(&error, OpenError::DuplicateField { field } if field == "appId"),
        "{error}"
    );
}

#[test]
fn missing_request_field_is_rejected() {
    for field in ["appId", "serialNo", "timeStamp", "method", "data", "sign"] {
        let mut fields = request_fields("accidentDownload", REQUEST_DATA);
        let body = if field == "sign" {
            serde_json::to_vec(&fields).unwrap()
        } else {
            fields.remove(field);
            signed_body(fields)
        };

        let error = request_error(&body);

        assert!(
            matches!(error, OpenError::MissingField { field: missing } if missing == field),
            "{field}: {error}"
        );
    }
}

#[test]
fn missing_response_field_is_rejected() {
    let fields = [
        "returnCode",
        "returnMsg",
        "appId",
        "serialNo",
        "timeStamp",
        "method",
        "data",
        "sign",
    ];

    for field in fields {
        let mut fields = response_fields("accidentDownload", "0000", &encrypt(b"[]"));
        let body = if field == "sign" {
            serde_json::to_vec(&fields).unwrap()
        } else {
            fields.remove(field);
            signed_body(fields)
        };

        let error = response_error(&body);

        assert!(
            matches!(error, OpenError::MissingField { field: missing } if missing == field),
            "{field}: {error}"
        );
    }
}

#[test]
fn field_not_string_is_rejected() {
    let cases = [
        ("appId", json!(88888), "number"),
        ("serialNo", json!(["sn"]), "array"),
        ("timeStamp", json!(20161201141000_u64), "number"),
        ("method", json!({"name": "accidentDownload"}), "object"),
        ("data", Value::Null, "null"),
        ("sign", json!(true), "boolean"),
    ];

    for (field, value, kind) in cases {
        let body = if field == "sign" {
            let mut fields = request_fields("accidentDownload", REQUEST_DATA);
            fields.insert(field.to_owned(), value);
            serde_json::to_vec(&fields).unwrap()
        } else {
            resigned_request_with(field, value)
        };

        let error = request_error(&body);

        assert!(
            matches!(error, OpenError::FieldNotString { field: name, found } if name == field && found == kind),
            "{field}: {error}"
        );
    }
}

#[test]
fn flipped_sign_digit_is_rejected() {
    let body = String::from_utf8(request_body("accidentDownload", REQUEST_DATA)).unwrap();
    let sign_start = body.find(r#""sign":""#).unwrap() + 8;
    let mut bytes = body.into_bytes();
    bytes[sign_start] = if bytes[sign_start] == b'0' {
        b'1'
    } else {
        b'0'
    };

    let error = request_error(&bytes);

    assert!(
        matches!(error, OpenError::BadSign(VerifyError::Mismatch)),
        "{error}"
    );
}

#[test]
fn malformed_sign_is_rejected() {
    let cases = [
        ("", VerifyError::InvalidLength { length: 0 }),
        ("abc", VerifyError::InvalidLength { length: 3 }),
        (
            "z1822db84a9e75106b00872921ee1a71672f8dd4",
            VerifyError::InvalidHex,
        ),
    ];

    for (sign, expected) in cases {
        let mut fields = request_fields("accidentDownload", REQUEST_DATA);
        fields.insert("sign".to_owned(), json!(sign));
        let body = serde_json::to_vec(&fields).unwrap();

        let error = request_error(&body);

        assert!(
            matches!(&error, OpenError::BadSign(reason) if *reason == expected),
            "{sign:?}: {error}"
        );
    }
}

#[test]
fn uppercase_sign_is_accepted() {
    let mut fields = request_fields("accidentDownload", REQUEST_DATA);
    let body: Value = serde_json::from_slice(&signed_body(fields.clone())).unwrap();
    let sign = body["sign"].as_str().unwrap().to_ascii_uppercase();
    fields.insert("sign".to_owned(), json!(sign));

    let opened = open_request(&serde_json::to_vec(&fields).unwrap());

    assert!(opened.is_ok(), "{opened:?}");
}

#[test]
fn wrong_key_sign_is_rejected() {
    let fields = request_fields("accidentDownload", REQUEST_DATA);
    let body = signed_body_with_key(fields, "654321");

    let error = request_error(&body);

    assert!(
        matches!(error, OpenError::BadSign(VerifyError::Mismatch)),
        "{error}"
    );
}

#[test]
fn changed_field_after_signing_is_rejected() {
    let body = String::from_utf8(request_body("accidentDownload", REQUEST_DATA)).unwrap();
    let changed = body.replace("sn12345678900987654321", "sn12345678900987654322");

    let error = request_error(changed.as_bytes());

    assert!(
        matches!(error, OpenError::BadSign(VerifyError::Mismatch)),
        "{error}"
    );
}

#[test]
fn serial_no_too_long_is_rejected() {
    let body = resigned_request_with("serialNo", json!("s".repeat(33)));

    let error = request_error(&body);

    assert!(
        matches!(
            error,
            OpenError::InvalidSerialNo(SerialNoError::TooLong { length: 33, .. })
        ),
        "{error}"
    );
}

#[test]
fn serial_no_empty_is_rejected() {
    let body = resigned_request_with("serialNo", json!(""));

    let error = request_error(&body);

    assert!(
        matches!(error, OpenError::InvalidSerialNo(SerialNoError::Empty)),
        "{error}"
    );
}

#[test]
fn time_stamp_not_real_is_rejected() {
    let body = resigned_request_with("timeStamp", json!("20161301141000"));

    let error = request_error(&body);

    assert!(
        matches!(
            error,
            OpenError::InvalidTimeStamp(TimeStampError::NotARealTime { .. })
        ),
        "{error}"
    );
}

#[test]
fn time_stamp_bad_format_is_rejected() {
    let body = resigned_request_with("timeStamp", json!("2016-12-01 14:10:00"));

    let error = request_error(&body);

    assert!(
        matches!(
            error,
            OpenError::InvalidTimeStamp(TimeStampError::InvalidFormat { .. })
        ),
        "{error}"
    );
}

#[test]
fn unknown_method_is_rejected() {
    for method in ["J2", "AccidentDownload", "accidentDownload ", "payment"] {
        let body = resigned_request_with("method", json!(method));

        let error = request_error(&body);

        assert!(
            matches!(&error, OpenError::UnknownMethod(unknown) if unknown.value == method),
            "{method:?}: {error}"
        );
    }
}

#[test]
fn unexpected_method_is_rejected() {
    let body = request_body("accidentDownload", REQUEST_DATA);
    let expected = Expected::default().with_method(Method::WarningInstanceDownload);

    let error = codec().open_request(&body, &expected).unwrap_err();

    assert!(
        matches!(
            error,
            OpenError::MethodMismatch {
                expected: Method::WarningInstanceDownload,
                found: Method::AccidentDownload
            }
        ),
        "{error}"
    );
}

#[test]
fn unexpected_app_id_is_rejected() {
    let body = request_body("accidentDownload", REQUEST_DATA);
    let expected = Expected::default().with_app_id("APPID99999");

    let error = codec().open_request(&body, &expected).unwrap_err();

    assert!(
        matches!(&error, OpenError::AppIdMismatch { expected, found } if expected == "APPID99999" && found == APP_ID),
        "{error}"
    );
}

#[test]
fn expected_method_and_app_id_are_accepted() {
    let body = request_body("accidentDownload", REQUEST_DATA);
    let codec = codec();
    let expected = codec.expected(Method::AccidentDownload);

    let opened = codec.open_request(&body, &expected);

    assert!(opened.is_ok(), "{opened:?}");
}

#[test]
fn truncated_ciphertext_is_rejected() {
    let data = encrypt(REQUEST_DATA.as_bytes());
    let body = resigned_request_with("data", json!(&data[..data.len() - 4]));

    let error = request_error(&body);

    assert!(
        matches!(
            error,
            OpenError::Decrypt(DecryptError::InvalidLength { length: 30 })
        ),
        "{error}"
    );
}

#[test]
fn invalid_base64_data_is_rejected() {
    let body = resigned_request_with("data", json!("not*base64"));

    let error = request_error(&body);

    assert!(
        matches!(
            error,
            OpenError::Decrypt(DecryptError::InvalidBase64 { .. })
        ),
        "{error}"
    );
}

#[test]
fn data_under_wrong_key_is_rejected() {
    let other_key = jb_crypto::DataCipher::new(&jb_crypto::AppKey::new("654321"));
    let body = resigned_request_with("data", json!(other_key.encrypt(REQUEST_DATA.as_bytes())));

    let error = request_error(&body);

    assert!(
        matches!(error, OpenError::Decrypt(DecryptError::BadPadding)),
        "{error}"
    );
}

#[test]
fn data_not_utf8_is_rejected() {
    let body = resigned_request_with("data", json!(encrypt(b"{\"a\":\"\xc3\x28\"}")));

    let error = request_error(&body);

    assert!(
        matches!(error, OpenError::DataNotUtf8 { valid_up_to: 6 }),
        "{error}"
    );
}

#[test]
fn data_not_json_is_rejected() {
    for plaintext in ["not json", "", "{\"a\":1", "SUCCESS"] {
        let body = resigned_request_with("data", json!(encrypt(plaintext.as_bytes())));

        let error = request_error(&body);

        assert!(
            matches!(error, OpenError::DataNotJson { .. }),
            "{plaintext:?}: {error}"
        );
    }
}

#[test]
fn download_data_not_json_is_rejected() {
    let fields = response_fields("accidentDownload", "0000", &encrypt(b"[{\"a\":"));

    let error = response_error(&signed_body(fields));

    assert!(matches!(error, OpenError::DataNotJson { .. }), "{error}");
}

#[test]
fn response_without_return_code_is_rejected() {
    let mut fields = response_fields(
        "accidentDownload",
        "0000",
        &encrypt(DOWNLOAD_DATA.as_bytes()),
    );
    fields.remove("returnCode");

    let error = response_error(&signed_body(fields));

    assert!(
        matches!(
            error,
            OpenError::MissingField {
                field: "returnCode"
            }
        ),
        "{error}"
    );
}

#[test]
fn return_code_not_string_is_rejected() {
    let mut fields = response_fields(
        "accidentDownload",
        "0000",
        &encrypt(DOWNLOAD_DATA.as_bytes()),
    );
    fields.insert("returnCode".to_owned(), json!(0));

    let error = response_error(&signed_body(fields));

    assert!(
        matches!(
            error,
            OpenError::FieldNotString {
                field: "returnCode",
                found: "number"
            }
        ),
        "{error}"
    );
}

#[test]
fn platform_error_code_signed_is_reported() {
    let fields = response_fields(
        "accidentDownload",
        "1001",
        "garbage that is never decrypted",
    );

    let error = response_error(&signed_body(fields));

    assert!(
        matches!(&error, OpenError::Platform { code, message, sign_verified: true } if code == "1001" && message == "成功"),
        "{error}"
    );
}

#[test]
fn platform_error_code_unsigned_is_reported() {
    let body = br#"{"returnCode":"9999","returnMsg":"sign error"}"#;

    let error = response_error(body);

    assert!(
        matches!(&error, OpenError::Platform { code, message, sign_verified: false } if code == "9999" && message == "sign error"),
        "{error}"
    );
    assert!(error.to_string().contains("unauthenticated"), "{error}");
}

#[test]
fn platform_error_code_with_bad_sign_is_reported() {
    let mut fields = response_fields("accidentDownload", "1001", "");
    fields.insert("sign".to_owned(), json!("0".repeat(40)));

    let error = response_error(&serde_json::to_vec(&fields).unwrap());

    assert!(
        matches!(&error, OpenError::Platform { code, sign_verified: false, .. } if code == "1001"),
        "{error}"
    );
}

#[test]
fn platform_error_code_without_message_is_reported() {
    let body = br#"{"returnCode":"0001"}"#;

    let error = response_error(body);

    assert!(
        matches!(&error, OpenError::Platform { code, message, sign_verified: false } if code == "0001" && message.is_empty()),
        "{error}"
    );
}

#[test]
fn upload_fail_plain_is_rejected() {
    let fields = response_fields("reportCaseUpload", "0000", "FAIL");

    let error = response_error(&signed_body(fields));

    assert!(
        matches!(&error, OpenError::UploadRejected { message } if message == "成功"),
        "{error}"
    );
}

#[test]
fn upload_fail_encrypted_is_rejected() {
    let fields = response_fields("settleClaimUpload", "0000", &encrypt(b"FAIL"));

    let error = response_error(&signed_body(fields));

    assert!(matches!(error, OpenError::UploadRejected { .. }), "{error}");
}

#[test]
fn upload_success_plain_is_accepted() {
    let fields = response_fields("reportCaseUpload", "0000", "SUCCESS");

    let opened = open_response(&signed_body(fields)).unwrap();

    assert_eq!(
        opened.data,
        ResponseData::UploadAccepted { encrypted: false }
    );
}

#[test]
fn upload_success_encrypted_is_accepted() {
    let fields = response_fields("settleClaimUpload", "0000", &encrypt(b"SUCCESS"));

    let opened = open_response(&signed_body(fields)).unwrap();

    assert_eq!(
        opened.data,
        ResponseData::UploadAccepted { encrypted: true }
    );
}

#[test]
fn upload_result_other_text_is_rejected() {
    for plaintext in ["OK", "success", "SUCCESS ", ""] {
        let fields = response_fields("reportCaseUpload", "0000", &encrypt(plaintext.as_bytes()));

        let error = response_error(&signed_body(fields));

        assert!(
            matches!(&error, OpenError::UnexpectedUploadResult { value } if value == plaintext),
            "{plaintext:?}: {error}"
        );
    }
}

#[test]
fn upload_result_plain_other_text_is_not_decryptable() {
    let fields = response_fields("reportCaseUpload", "0000", "success");

    let error = response_error(&signed_body(fields));

    assert!(matches!(error, OpenError::Decrypt(_)), "{error}");
}

#[test]
fn response_method_mismatch_is_rejected() {
    let fields = response_fields(
        "accidentDownload",
        "0000",
        &encrypt(DOWNLOAD_DATA.as_bytes()),
    );
    let codec = codec();
    let expected = codec.expected(Method::DispatchInfoDownload);

    let error = codec
        .open_response(&signed_body(fields), &expected)
        .unwrap_err();

    assert!(
        matches!(
            error,
            OpenError::MethodMismatch {
                expected: Method::DispatchInfoDownload,
                found: Method::AccidentDownload
            }
        ),
        "{error}"
    );
}

#[test]
fn error_messages_name_the_field() {
    let cases = [
        (request_error(b""), "body"),
        (request_error(b"[]"), "JSON array"),
        (
            request_error(&serde_json::to_vec(&request_fields("accidentDownload", "{}")).unwrap()),
            "sign",
        ),
        (
            request_error(&resigned_request_with("serialNo", json!(""))),
            "serialNo",
        ),
        (
            request_error(&resigned_request_with("timeStamp", json!("x"))),
            "timeStamp",
        ),
        (
            request_error(&resigned_request_with("method", json!("x"))),
            "method",
        ),
        (
            request_error(&resigned_request_with("data", json!("x"))),
            "data",
        ),
    ];

    for (error, word) in cases {
        let message = error.to_string();

        assert!(message.contains(word), "{message:?} lacks {word:?}");
        assert!(
            message.starts_with(|first: char| !first.is_uppercase()),
            "{message:?} starts upper-case"
        );
    }
}

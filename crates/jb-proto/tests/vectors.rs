//! Envelope vectors under `tests/data/`: the platform document's signed example, and a
//! request and a response built with OpenSSL and `sha1sum` (see `tests/data/README.md`).

#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::{Path, PathBuf};

use jb_crypto::{AppKey, DataCipher};
use jb_proto::{
    Codec, Method, OpenError, ParsedEnvelope, ResponseData, ResponsePayload, SerialNo, TimeStamp,
};

fn case_dir(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(case)
}

fn read(case: &str, file: &str) -> String {
    let path = case_dir(case).join(file);
    let text = fs::read_to_string(&path);
    assert!(text.is_ok(), "cannot read {}: {text:?}", path.display());
    text.unwrap()
}

fn codec(case: &str) -> Codec {
    Codec::new(
        read(case, "appId.txt"),
        AppKey::new(read(case, "app_key.txt")),
    )
}

fn concatenation(case: &str, values: impl Iterator<Item = String>) -> String {
    let app_key = AppKey::new(read(case, "app_key.txt"));
    let values: Vec<String> = values.collect();
    jb_crypto::explain_sign(values.iter().map(String::as_str), &app_key)
        .masked_concatenation
        .replace(jb_crypto::APP_KEY_MASK, app_key.expose_secret())
}

#[test]
fn platform_example_sign_verifies() {
    let body = read("platform-example", "signed-without-method.json");
    let app_key = AppKey::new(read("platform-example", "app_key.txt"));

    let parsed = ParsedEnvelope::parse(body.as_bytes()).unwrap();
    let sign = parsed.sign().unwrap();

    assert_eq!(
        jb_crypto::verify(parsed.sign_values(), &app_key, sign),
        Ok(())
    );
}

#[test]
fn platform_example_data_decrypts() {
    let body = read("platform-example", "signed-without-method.json");
    let cipher = DataCipher::new(&AppKey::new(read("platform-example", "app_key.txt")));

    let parsed = ParsedEnvelope::parse(body.as_bytes()).unwrap();
    let plaintext = cipher.decrypt_to_string(parsed.get_str("data").unwrap());

    assert_eq!(plaintext.unwrap(), read("platform-example", "data.json"));
}

#[test]
fn platform_example_lacks_method() {
    let body = read("platform-example", "signed-without-method.json");

    let error = ParsedEnvelope::parse(body.as_bytes())
        .unwrap()
        .into_request()
        .unwrap_err();

    assert!(
        matches!(error, OpenError::MissingField { field: "method" }),
        "{error}"
    );
}

#[test]
fn sealed_request_matches_openssl_stages() {
    let case = "sealed-request";
    let method: Method = read(case, "method.txt").parse().unwrap();

    let envelope = codec(case).seal_request(
        method,
        &read(case, "data.json"),
        SerialNo::new(read(case, "serialNo.txt")).unwrap(),
        TimeStamp::parse(&read(case, "timeStamp.txt")).unwrap(),
    );

    assert_eq!(envelope.data, read(case, "data.txt"), "data ciphertext");
    let values = envelope.sign_values().map(str::to_owned);
    assert_eq!(
        concatenation(case, values),
        read(case, "concatenation.txt"),
        "sign concatenation"
    );
    assert_eq!(envelope.sign, read(case, "sign.txt"), "sign");
    assert_eq!(
        String::from_utf8(envelope.to_json()).unwrap(),
        read(case, "body.json"),
        "body"
    );
}

#[test]
fn sealed_request_json_matches_openssl_body() {
    let case = "sealed-request";

    let body = codec(case).seal_request_json(
        read(case, "method.txt").parse().unwrap(),
        &read(case, "data.json"),
        SerialNo::new(read(case, "serialNo.txt")).unwrap(),
        TimeStamp::parse(&read(case, "timeStamp.txt")).unwrap(),
    );

    assert_eq!(String::from_utf8(body).unwrap(), read(case, "body.json"));
}

#[test]
fn sealed_request_body_opens() {
    let case = "sealed-request";

    let opened = codec(case)
        .open_request(read(case, "body.json").as_bytes(), &Default::default())
        .unwrap();

    assert_eq!(opened.data, read(case, "data.json"));
    assert_eq!(opened.method, Method::AccidentDownload);
    assert_eq!(opened.serial_no.as_str(), read(case, "serialNo.txt"));
    assert_eq!(opened.time_stamp.as_str(), read(case, "timeStamp.txt"));
    assert_eq!(opened.app_id, read(case, "appId.txt"));
}

#[test]
fn sealed_response_matches_openssl_stages() {
    let case = "sealed-response";
    let method: Method = read(case, "method.txt").parse().unwrap();
    let data = read(case, "data.json");

    let envelope = codec(case).seal_response(
        method,
        SerialNo::new(read(case, "serialNo.txt")).unwrap(),
        TimeStamp::parse(&read(case, "timeStamp.txt")).unwrap(),
        &read(case, "returnCode.txt"),
        &read(case, "returnMsg.txt"),
        ResponsePayload::Encrypt(&data),
    );

    assert_eq!(envelope.data, read(case, "data.txt"), "data ciphertext");
    let values = envelope.sign_values().map(str::to_owned);
    assert_eq!(
        concatenation(case, values),
        read(case, "concatenation.txt"),
        "sign concatenation"
    );
    assert_eq!(envelope.sign, read(case, "sign.txt"), "sign");
    assert_eq!(
        String::from_utf8(envelope.to_json()).unwrap(),
        read(case, "body.json"),
        "body"
    );
}

#[test]
fn sealed_response_body_opens() {
    let case = "sealed-response";
    let codec = codec(case);

    let opened = codec
        .open_response(
            read(case, "body.json").as_bytes(),
            &codec.expected(Method::AccidentDownload),
        )
        .unwrap();

    assert_eq!(opened.data, ResponseData::Download(read(case, "data.json")));
    assert_eq!(opened.return_msg, read(case, "returnMsg.txt"));
}

//! Sealing then opening returns what was sealed, for every operation and for arbitrary data,
//! and no body makes opening panic.

#![allow(clippy::unwrap_used)]

use jb_crypto::AppKey;
use jb_proto::{
    Codec, Expected, Method, ResponseData, ResponsePayload, SERIAL_NO_MAX_LEN, SerialNo, TimeStamp,
};
use proptest::prelude::*;

fn codec() -> Codec {
    Codec::new("APPID88888", AppKey::new("123456"))
}

#[test]
fn request_round_trips_for_every_method() {
    let codec = codec();

    for method in Method::ALL {
        let data = format!(r#"{{"method":"{}","text":"粤B12345 😀"}}"#, method.code());
        let body = codec.seal_request_now(method, &data).to_json();

        let opened = codec.open_request(&body, &codec.expected(method)).unwrap();

        assert_eq!(opened.method, method);
        assert_eq!(opened.data, data, "{method}");
        assert!(opened.serial_no.as_str().len() <= SERIAL_NO_MAX_LEN);
    }
}

#[test]
fn download_response_round_trips() {
    let codec = codec();
    let records = r#"[{"warningNo":"W1"},{"warningNo":"W2"}]"#;

    for method in Method::ALL
        .into_iter()
        .filter(|method| method.is_download())
    {
        let body = codec
            .seal_response(
                method,
                SerialNo::generate(),
                TimeStamp::now(),
                "0000",
                "成功",
                ResponsePayload::Encrypt(records),
            )
            .to_json();

        let opened = codec.open_response(&body, &codec.expected(method)).unwrap();

        assert_eq!(
            opened.data,
            ResponseData::Download(records.to_owned()),
            "{method}"
        );
        assert_eq!(opened.return_msg, "成功");
    }
}

#[test]
fn single_object_download_is_accepted() {
    let codec = codec();
    let record = r#"{"reportNo":"R1","taskType":"1"}"#;
    let body = codec
        .seal_response(
            Method::DispatchInfoDownload,
            SerialNo::generate(),
            TimeStamp::now(),
            "0000",
            "成功",
            ResponsePayload::Encrypt(record),
        )
        .to_json();

    let opened = codec.open_response(&body, &Expected::default()).unwrap();

    assert_eq!(opened.data, ResponseData::Download(record.to_owned()));
}

#[test]
fn upload_response_round_trips_plain_and_encrypted() {
    let codec = codec();
    let cases = [
        (ResponsePayload::Plain("SUCCESS"), false),
        (ResponsePayload::Encrypt("SUCCESS"), true),
    ];

    for method in [Method::ReportCaseUpload, Method::SettleClaimUpload] {
        for (payload, encrypted) in cases {
            let body = codec
                .seal_response(
                    method,
                    SerialNo::generate(),
                    TimeStamp::now(),
                    "0000",
                    "成功",
                    payload,
                )
                .to_json();

            let opened = codec.open_response(&body, &codec.expected(method)).unwrap();

            assert_eq!(
                opened.data,
                ResponseData::UploadAccepted { encrypted },
                "{method}"
            );
        }
    }
}

#[test]
fn sealed_request_has_lowercase_sign() {
    let envelope = codec().seal_request_now(Method::AccidentDownload, "{}");

    assert_eq!(envelope.sign.len(), 40);
    assert!(
        envelope
            .sign
            .bytes()
            .all(|byte| byte.is_ascii_digit() || (b'a'..=b'f').contains(&byte)),
        "{}",
        envelope.sign
    );
}

#[test]
fn seal_request_json_matches_envelope_to_json() {
    let codecs = [codec(), Codec::new("app\"id\n", AppKey::new("k"))];
    let payloads = ["{}", r#"{"text":"成功 \" \\ 😀"}"#, &"x".repeat(5000)];

    for codec in &codecs {
        for data in payloads {
            let serial_no = SerialNo::new("sn-1").unwrap();
            let time_stamp = TimeStamp::parse("20240229235959").unwrap();

            let direct = codec.seal_request_json(
                Method::ReportCaseUpload,
                data,
                serial_no.clone(),
                time_stamp.clone(),
            );
            let envelope =
                codec.seal_request(Method::ReportCaseUpload, data, serial_no, time_stamp);

            assert_eq!(
                String::from_utf8(direct).unwrap(),
                String::from_utf8(envelope.to_json()).unwrap()
            );
        }
    }
}

#[test]
fn seal_response_json_matches_envelope_to_json() {
    let codec = codec();
    let payloads = [
        ResponsePayload::Encrypt(r#"[{"warningNo":"W1"}]"#),
        ResponsePayload::Plain("SUCCESS"),
        ResponsePayload::Plain(""),
        ResponsePayload::Plain("line\r\nbreak \" quote"),
    ];

    for payload in payloads {
        for (code, message) in [("0000", "成功"), ("9999", "sign \"error\"")] {
            let serial_no = SerialNo::new("3zycizf266zz6egow2sia0tdpsb5ayup").unwrap();
            let time_stamp = TimeStamp::parse("20170620185613").unwrap();

            let direct = codec.seal_response_json(
                Method::WarningInstanceDownload,
                serial_no.clone(),
                time_stamp.clone(),
                code,
                message,
                payload,
            );
            let envelope = codec.seal_response(
                Method::WarningInstanceDownload,
                serial_no,
                time_stamp,
                code,
                message,
                payload,
            );

            assert_eq!(
                String::from_utf8(direct).unwrap(),
                String::from_utf8(envelope.to_json()).unwrap(),
                "{payload:?}"
            );
        }
    }
}

#[test]
fn envelope_to_json_matches_serde_serialization() {
    let codec = codec();
    let request = codec.seal_request_now(Method::AccidentDownload, "{}");
    let response = codec.seal_response(
        Method::AccidentDownload,
        SerialNo::generate(),
        TimeStamp::now(),
        "0000",
        "成功 \"ok\"",
        ResponsePayload::Plain("[]"),
    );

    assert_eq!(request.to_json(), serde_json::to_vec(&request).unwrap());
    assert_eq!(response.to_json(), serde_json::to_vec(&response).unwrap());
}

proptest! {
    #[test]
    fn arbitrary_data_round_trips(
        app_id in "[A-Za-z0-9]{1,32}",
        app_key in any::<String>(),
        text in any::<String>(),
    ) {
        let codec = Codec::new(app_id.clone(), AppKey::new(app_key));
        let data = serde_json::to_string(&serde_json::json!({ "text": text })).unwrap();

        let body = codec.seal_request_now(Method::SettleClaimUpload, &data).to_json();
        let opened = codec.open_request(&body, &Expected::default().with_app_id(&app_id)).unwrap();

        prop_assert_eq!(opened.data, data);
        prop_assert_eq!(opened.app_id, app_id);
    }

    #[test]
    fn open_never_panics_on_bytes(body in proptest::collection::vec(any::<u8>(), 0..400)) {
        let codec = codec();

        let _ = codec.open_request(&body, &Expected::default());
        let _ = codec.open_response(&body, &Expected::default());
    }

    #[test]
    fn open_never_panics_on_altered_body(index in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let codec = codec();
        let mut body = codec.seal_request_now(Method::AccidentDownload, r#"{"insuranceCode":"CPIC"}"#).to_json();
        let position = index.index(body.len());
        body[position] = byte;

        let _ = codec.open_request(&body, &Expected::default());
        let _ = codec.open_response(&body, &Expected::default());
    }
}

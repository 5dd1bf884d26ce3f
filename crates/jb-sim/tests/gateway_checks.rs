//! The gateway's request checks, each rejection with its own return code, driven by raw
//! requests sealed with jb-proto.

#![allow(clippy::unwrap_used, clippy::panic)]

mod support;

use std::borrow::Cow;

use jb_crypto::AppKey;
use jb_proto::{Codec, Method, OpenError, ResponseData, TimeStamp};
use jb_sim::ReturnCode;
use serde_json::Value;

use support::{APP_ID, codec, download_data, json, post, resign, seal, sealed_at, start};

/// Opens a rejection with the tenant's codec and returns its code, message and whether the
/// sign verified.
fn rejection(body: &[u8]) -> (String, String, bool) {
    match codec().open_response(body, &Default::default()) {
        Err(OpenError::Platform {
            code,
            message,
            sign_verified,
        }) => (code, message, sign_verified),
        other => panic!("expected a platform error, got {other:?}"),
    }
}

#[tokio::test]
async fn download_accepted_with_success() {
    let simulator = start().await;
    let request = seal(Method::WarningInstanceDownload, &download_data());

    let (status, body) = post(&simulator, request.to_json()).await;
    let opened = codec()
        .open_response(&body, &codec().expected(Method::WarningInstanceDownload))
        .unwrap();

    assert_eq!(status, 200);
    assert_eq!(opened.return_msg, "成功");
    assert_eq!(opened.serial_no.as_str(), request.serial_no.as_ref());
    let ResponseData::Download(text) = opened.data else {
        panic!("expected download data");
    };
    let records: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(records.as_array().unwrap().len(), 1 + 3);
}

#[tokio::test]
async fn wrong_sign_rejected_1003() {
    let simulator = start().await;
    let mut request = seal(Method::AccidentDownload, &download_data());
    request.sign = Cow::Owned("0".repeat(40));

    let (_, body) = post(&simulator, request.to_json()).await;
    let (code, message, sign_verified) = rejection(&body);

    assert_eq!(code, "1003");
    assert_eq!(message, "签名校验失败");
    assert!(sign_verified, "a rejection for a known appId is signed");
}

#[tokio::test]
async fn stale_time_stamp_rejected_1004() {
    let simulator = start().await;
    let ten_minutes_ago = chrono::Utc::now() - chrono::Duration::minutes(10);
    let time_stamp = TimeStamp::from_utc(ten_minutes_ago).unwrap();
    let request = sealed_at(Method::AccidentDownload, &download_data(), time_stamp);

    let (_, body) = post(&simulator, request.to_json()).await;
    let (code, _, _) = rejection(&body);

    assert_eq!(code, "1004");
}

#[tokio::test]
async fn future_time_stamp_rejected_1004() {
    let simulator = start().await;
    let ahead = chrono::Utc::now() + chrono::Duration::minutes(6);
    let request = sealed_at(
        Method::DispatchInfoDownload,
        &download_data(),
        TimeStamp::from_utc(ahead).unwrap(),
    );

    let (_, body) = post(&simulator, request.to_json()).await;

    assert_eq!(rejection(&body).0, "1004");
}

#[tokio::test]
async fn malformed_time_stamp_rejected_1004() {
    let simulator = start().await;
    let mut request = seal(Method::AccidentDownload, &download_data());
    request.time_stamp = Cow::Borrowed("20241332250000");
    resign(&mut request);

    let (_, body) = post(&simulator, request.to_json()).await;

    assert_eq!(rejection(&body).0, "1004");
}

#[tokio::test]
async fn replayed_serial_no_rejected_1005() {
    let simulator = start().await;
    let request = seal(Method::WarningInstanceDownload, &download_data());

    let (_, first) = post(&simulator, request.to_json()).await;
    let (_, second) = post(&simulator, request.to_json()).await;

    assert!(codec().open_response(&first, &Default::default()).is_ok());
    let (code, message, _) = rejection(&second);
    assert_eq!(code, "1005");
    assert_eq!(message, "通讯流水号重复");
}

#[tokio::test]
async fn unknown_app_id_rejected_1002_unsigned() {
    let simulator = start().await;
    let stranger = Codec::new("NOBODY", AppKey::new("other-key"));
    let request = stranger.seal_request_now(Method::AccidentDownload, &download_data());

    let (status, body) = post(&simulator, request.to_json()).await;
    let response = json(&body);

    assert_eq!(status, 200);
    assert_eq!(response["returnCode"], "1002");
    assert_eq!(response["appId"], "NOBODY");
    assert_eq!(response["sign"], "", "no key is known to sign with");
}

#[tokio::test]
async fn unknown_method_rejected_1006() {
    let simulator = start().await;
    let mut request = seal(Method::AccidentDownload, &download_data());
    request.method = Cow::Borrowed("policyDownload");
    resign(&mut request);

    let (_, body) = post(&simulator, request.to_json()).await;
    let response = json(&body);

    assert_eq!(rejection(&body).0, "1006");
    assert_eq!(response["method"], "policyDownload");
}

#[tokio::test]
async fn data_under_other_key_rejected_1007() {
    let simulator = start().await;
    let other = Codec::new(APP_ID, AppKey::new("not-the-tenant-key"));
    let mut request = other.seal_request_now(Method::AccidentDownload, &download_data());
    resign(&mut request);

    let (_, body) = post(&simulator, request.to_json()).await;

    assert_eq!(rejection(&body).0, "1007");
}

#[tokio::test]
async fn data_not_json_rejected_1007() {
    let simulator = start().await;
    let request = seal(Method::AccidentDownload, "insuranceCode=CPIC");

    let (_, body) = post(&simulator, request.to_json()).await;

    assert_eq!(rejection(&body).0, "1007");
}

#[tokio::test]
async fn bad_envelope_shapes_rejected_1001() {
    let simulator = start().await;
    let mut missing_method = json(&seal(Method::AccidentDownload, &download_data()).to_json());
    missing_method.as_object_mut().unwrap().remove("method");
    let mut long_serial = seal(Method::AccidentDownload, &download_data());
    long_serial.serial_no = Cow::Owned("S".repeat(33));
    resign(&mut long_serial);
    let bodies = [
        b"".to_vec(),
        b"not json".to_vec(),
        b"[1, 2]".to_vec(),
        serde_json::to_vec(&missing_method).unwrap(),
        long_serial.to_json(),
    ];

    for body in bodies {
        let (status, answer) = post(&simulator, body.clone()).await;

        assert_eq!(status, 200);
        assert_eq!(
            json(&answer)["returnCode"],
            "1001",
            "body {:?}",
            String::from_utf8_lossy(&body)
        );
    }
}

#[tokio::test]
async fn download_for_other_insurer_rejected_1009() {
    let simulator = start().await;
    let request = seal(Method::AccidentDownload, r#"{"insuranceCode":"PICC"}"#);

    let (_, body) = post(&simulator, request.to_json()).await;

    assert_eq!(rejection(&body).0, "1009");
}

#[tokio::test]
async fn download_without_insurer_rejected_1008() {
    let simulator = start().await;
    let request = seal(Method::AccidentDownload, "{}");

    let (_, body) = post(&simulator, request.to_json()).await;

    assert_eq!(rejection(&body).0, "1008");
}

#[tokio::test]
async fn valid_uploads_stored_and_accepted() {
    let simulator = start().await;
    let report = seal(
        Method::ReportCaseUpload,
        &support::valid_report().to_string(),
    );
    let claim = seal(
        Method::SettleClaimUpload,
        &support::valid_claim().to_string(),
    );

    let (_, report_body) = post(&simulator, report.to_json()).await;
    let (_, claim_body) = post(&simulator, claim.to_json()).await;

    for (body, method) in [
        (report_body, Method::ReportCaseUpload),
        (claim_body, Method::SettleClaimUpload),
    ] {
        let opened = codec()
            .open_response(&body, &codec().expected(method))
            .unwrap();
        assert_eq!(
            opened.data,
            ResponseData::UploadAccepted { encrypted: true }
        );
    }
    let uploads = simulator.uploads();
    assert_eq!(uploads.len(), 2);
    assert_eq!(uploads[0].method, "reportCaseUpload");
    assert_eq!(uploads[0].data, support::valid_report());
    assert_eq!(uploads[1].serial_no, claim.serial_no.as_ref());
}

#[tokio::test]
async fn invalid_upload_rejected_1008_with_fields() {
    let simulator = start().await;
    let mut report = support::valid_report();
    report["isInjured"] = Value::from("maybe");
    report["surveyAddress"] = Value::from("广东省深圳市华安大酒店");
    let request = seal(Method::ReportCaseUpload, &report.to_string());

    let (_, body) = post(&simulator, request.to_json()).await;
    let response = json(&body);
    let (code, message, _) = rejection(&body);

    assert_eq!(code, "1008");
    assert!(message.starts_with("业务数据校验不通过："), "{message}");
    assert!(message.contains("isInjured"), "{message}");
    assert!(message.contains("surveyAddress"), "{message}");
    assert_eq!(
        codec()
            .cipher()
            .decrypt_to_string(response["data"].as_str().unwrap())
            .unwrap(),
        "FAIL"
    );
    assert!(simulator.uploads().is_empty());
}

#[tokio::test]
async fn claim_with_wrong_total_rejected_1008() {
    let simulator = start().await;
    let request = seal(
        Method::SettleClaimUpload,
        &support::claim_with_wrong_total().to_string(),
    );

    let (_, body) = post(&simulator, request.to_json()).await;
    let (code, message, _) = rejection(&body);

    assert_eq!(code, "1008");
    assert!(message.contains("payAmout"), "{message}");
}

#[tokio::test]
async fn upload_for_other_insurer_rejected_1009() {
    let simulator = start().await;
    let mut report = support::valid_report();
    report["insuranceCode"] = Value::from("PICC");
    let request = seal(Method::ReportCaseUpload, &report.to_string());

    let (_, body) = post(&simulator, request.to_json()).await;

    assert_eq!(rejection(&body).0, "1009");
    assert!(simulator.uploads().is_empty());
}

#[tokio::test]
async fn requests_journal_records_verdicts() {
    let simulator = start().await;
    let good = seal(Method::AccidentDownload, &download_data());
    let mut bad = seal(Method::AccidentDownload, &download_data());
    bad.sign = Cow::Owned("f".repeat(40));

    post(&simulator, good.to_json()).await;
    post(&simulator, bad.to_json()).await;
    let requests = simulator.requests();

    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].return_code.as_deref(), Some("0000"));
    assert_eq!(
        requests[0].serial_no.as_deref(),
        Some(good.serial_no.as_ref())
    );
    assert_eq!(requests[1].return_code.as_deref(), Some("1003"));
    assert_eq!(requests[1].method.as_deref(), Some("accidentDownload"));
    assert!(requests[1].detail.is_some());
}

#[test]
fn return_codes_cover_every_rejection() {
    let codes: Vec<&str> = ReturnCode::ALL.iter().map(|code| code.code()).collect();

    assert_eq!(
        codes,
        [
            "0000", "1001", "1002", "1003", "1004", "1005", "1006", "1007", "1008", "1009", "9999"
        ]
    );
}

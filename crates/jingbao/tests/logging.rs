//! Log output of the client: one span per call with its fields, no appKey, no unmasked phone
//! number, whatever the outcome.

#![allow(clippy::unwrap_used)]

mod support;

use jingbao::model::Report;
use support::{APP_KEY, Answer, LogCapture, Platform, data};

/// Phone numbers that appear in the records, requests and responses of these tests.
const PHONES: [&str; 4] = ["13700001111", "13911112222", "13800002222", "13655556666"];

fn report() -> Report {
    serde_json::from_str(&data("report.json")).unwrap()
}

#[tokio::test]
async fn logs_never_hold_app_key_or_phone() {
    let logs = LogCapture::default();
    let _guard = logs.install();
    let bad_record = r#"[{"reportNo":"R1","receiveTime":"13800002222","dispatchType":"2","taskType":"1","userId":"S1","surveyorCo":"CPIC","surveyorName":"赵六","surveyorPhone":"13800002222"}]"#;
    let platform = Platform::start(vec![
        Answer::Encrypted(data("warnings.json")),
        Answer::Encrypted(bad_record.to_owned()),
        Answer::Encrypted("SUCCESS".to_owned()),
        Answer::Code("1002", "报案人电话13700001111格式错误".to_owned()),
        Answer::Plain("FAIL".to_owned()),
        Answer::BadSign(data("warnings.json")),
    ])
    .await;
    let client = platform.client();
    let mut invalid = report();
    invalid.alarm_phone = "13655556666-0000".to_owned();

    client.download_warnings().await.unwrap();
    let batch = client.download_dispatches().await.unwrap();
    client.upload_report(&report()).await.unwrap();
    client.upload_report(&report()).await.unwrap_err();
    client.upload_report(&report()).await.unwrap_err();
    client.download_warnings().await.unwrap_err();
    client.upload_report(&invalid).await.unwrap_err();

    assert_eq!(
        batch.failures.len(),
        1,
        "the bad record must reach the decoder"
    );
    let text = logs.text();
    if std::env::var_os("SHOW_LOGS").is_some() {
        println!("{text}");
    }
    assert!(text.contains("record failed to decode"), "{text}");
    assert!(text.contains("platform call failed"), "{text}");
    assert!(text.contains("record is invalid; not sent"), "{text}");
    assert!(
        !text.contains(APP_KEY),
        "the appKey appears in the logs:\n{text}"
    );
    for phone in PHONES {
        assert!(
            !text.contains(phone),
            "phone {phone} appears unmasked in the logs:\n{text}"
        );
    }
}

#[tokio::test]
async fn call_span_records_fields() {
    let logs = LogCapture::default();
    let _guard = logs.install();
    let platform = Platform::start(vec![
        Answer::Status(503),
        Answer::Encrypted("[]".to_owned()),
    ])
    .await;

    platform.client().download_accidents().await.unwrap();

    let text = logs.text();
    let finished = text
        .lines()
        .find(|line| line.contains("platform call succeeded"))
        .unwrap_or_else(|| panic!("no success line in:\n{text}"));
    let requests = platform.requests();
    let first = requests[0].serial_no.to_string();
    let second = requests[1].serial_no.to_string();
    let retry = text
        .lines()
        .find(|line| line.contains("gateway request failed; retrying"))
        .unwrap_or_else(|| panic!("no retry line in:\n{text}"));
    assert_ne!(first, second, "each attempt of a download is sealed afresh");
    assert!(retry.contains("gateway_attempt{"), "{retry}");
    assert!(retry.contains(&format!("serial_no={first}")), "{retry}");
    assert!(!retry.contains(&second), "{retry}");
    assert!(finished.contains("platform_call{"), "{finished}");
    assert!(finished.contains("method=accidentDownload"), "{finished}");
    assert!(
        finished.contains(&format!("serial_no={second}")),
        "the call span names the answered attempt: {finished}"
    );
    assert!(!finished.contains(&first), "{finished}");
    assert!(finished.contains("attempt=2"), "{finished}");
    assert!(finished.contains("duration_ms="), "{finished}");
    assert!(finished.contains("outcome=\"ok\""), "{finished}");
}

#[tokio::test]
async fn call_span_records_failure_outcome() {
    let logs = LogCapture::default();
    let _guard = logs.install();
    let platform = Platform::start(vec![Answer::Code("9999", "系统繁忙".to_owned())]).await;

    platform.client().download_warnings().await.unwrap_err();

    let text = logs.text();
    let failed = text
        .lines()
        .find(|line| line.contains("platform call failed"))
        .unwrap_or_else(|| panic!("no failure line in:\n{text}"));
    assert!(failed.contains("ERROR"), "{failed}");
    assert!(failed.contains("outcome=\"platform_error\""), "{failed}");
    assert!(failed.contains("9999"), "{failed}");
}

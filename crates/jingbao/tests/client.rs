//! `Client` end to end against a stand-in platform: every operation, retries, final failures,
//! platform errors, response checks and photo passthrough.

#![allow(clippy::unwrap_used)]

mod support;

use std::time::Duration;

use jingbao::crypto::AppKey;
use jingbao::model::{Claim, Report, Rule};
use jingbao::proto::{Method, OpenError};
use jingbao::transport::{Endpoint, PhotoError, RetryPolicy, TransportError};
use jingbao::{BuildError, Client, Error};
use support::{APP_ID, Answer, Platform, data};

fn report() -> Report {
    serde_json::from_str(&data("report.json")).unwrap()
}

fn claim() -> Claim {
    serde_json::from_str(&data("claim.json")).unwrap()
}

#[tokio::test]
async fn download_warnings_end_to_end() {
    let platform = Platform::start(vec![Answer::Encrypted(data("warnings.json"))]).await;

    let batch = platform.client().download_warnings().await.unwrap();

    assert_eq!(batch.records.len(), 2);
    assert!(batch.failures.is_empty());
    assert_eq!(batch.records[0].record.warning_no, "W20240301001");
    assert_eq!(batch.records[1].record.plate_data[0].plate_no, "粤B0C777");
    let requests = platform.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].method, Method::WarningInstanceDownload);
    assert_eq!(requests[0].app_id, APP_ID);
    assert_eq!(requests[0].data, r#"{"insuranceCode":"CPIC"}"#);
}

#[tokio::test]
async fn download_accidents_end_to_end() {
    let platform = Platform::start(vec![Answer::Encrypted(data("accidents.json"))]).await;

    let batch = platform.client().download_accidents().await.unwrap();

    assert_eq!(batch.records.len(), 1);
    let accident = &batch.records[0].record;
    assert_eq!(accident.accident_no, "A20240301001");
    assert_eq!(accident.accident_place_latitude, "22.54");
    assert_eq!(accident.photo_data.len(), 1);
    assert_eq!(platform.requests()[0].method, Method::AccidentDownload);
}

#[tokio::test]
async fn download_dispatches_accepts_single_object() {
    let platform = Platform::start(vec![Answer::Encrypted(data("dispatch.json"))]).await;

    let batch = platform.client().download_dispatches().await.unwrap();

    assert_eq!(batch.records.len(), 1);
    assert_eq!(batch.records[0].record.report_no, "R20240301001");
    assert_eq!(platform.requests()[0].method, Method::DispatchInfoDownload);
}

#[tokio::test]
async fn download_keeps_failed_record_raw_json() {
    let records = r#"[{"reportNo":"R1","receiveTime":"2024-03-01 09:30:00","dispatchType":"2","taskType":"1","userId":"S1","surveyorCo":"CPIC","surveyorName":"赵六","surveyorPhone":"13800002222"},{"reportNo":["not","text"]}]"#;
    let platform = Platform::start(vec![Answer::Encrypted(records.to_owned())]).await;

    let batch = platform.client().download_dispatches().await.unwrap();

    assert_eq!(batch.records.len(), 1);
    assert_eq!(batch.failures.len(), 1);
    assert_eq!(batch.failures[0].index, 1);
    assert_eq!(batch.failures[0].raw, r#"{"reportNo":["not","text"]}"#);
}

#[tokio::test]
async fn upload_report_end_to_end() {
    let platform = Platform::start(vec![Answer::Encrypted("SUCCESS".to_owned())]).await;
    let report = report();

    let receipt = platform.client().upload_report(&report).await.unwrap();

    let requests = platform.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].method, Method::ReportCaseUpload);
    assert_eq!(&receipt.serial_no, &requests[0].serial_no);
    assert_eq!(receipt.return_msg, "成功");
    let sent: Report = serde_json::from_str(&requests[0].data).unwrap();
    assert_eq!(sent, report);
}

#[tokio::test]
async fn upload_claim_accepts_plain_success() {
    let platform = Platform::start(vec![Answer::Plain("SUCCESS".to_owned())]).await;
    let claim = claim();

    let receipt = platform.client().upload_claim(&claim).await.unwrap();

    let requests = platform.requests();
    assert_eq!(requests[0].method, Method::SettleClaimUpload);
    assert_eq!(receipt.method, Method::SettleClaimUpload);
    let sent: serde_json::Value = serde_json::from_str(&requests[0].data).unwrap();
    assert_eq!(sent["payAmout"], "800.50");
    assert_eq!(sent["payData"][1]["payUnitAcount"], "300.25");
}

#[tokio::test]
async fn upload_report_invalid_sends_nothing() {
    let platform = Platform::start(vec![Answer::Encrypted("SUCCESS".to_owned())]).await;
    let mut report = report();
    report.alarm_phone = String::new();
    report.survey_address = "广东省深圳市深南大道1号".to_owned();

    let error = platform.client().upload_report(&report).await.unwrap_err();

    let Error::InvalidRecord { method, source } = &error else {
        panic!("expected an invalid record, got {error:?}");
    };
    assert_eq!(*method, Method::ReportCaseUpload);
    assert!(
        source
            .violations
            .iter()
            .any(|violation| violation.path == "alarmPhone"),
        "{error}"
    );
    assert!(
        source
            .violations
            .iter()
            .any(|violation| violation.path == "surveyAddress"),
        "{error}"
    );
    assert_eq!(error.serial_no(), None);
    assert_eq!(platform.count(), 0);
}

#[tokio::test]
async fn upload_claim_sum_mismatch_sends_nothing() {
    let platform = Platform::start(vec![Answer::Encrypted("SUCCESS".to_owned())]).await;
    let mut claim = claim();
    claim.pay_amout = "900.00".parse().unwrap();

    let error = platform.client().upload_claim(&claim).await.unwrap_err();

    let Error::InvalidRecord { source, .. } = &error else {
        panic!("expected an invalid record, got {error:?}");
    };
    assert!(
        source
            .violations
            .iter()
            .any(|violation| matches!(violation.rule, Rule::SumMismatch { .. })),
        "{error}"
    );
    assert_eq!(platform.count(), 0);
}

#[tokio::test]
async fn upload_fail_is_rejected() {
    let platform = Platform::start(vec![Answer::Plain("FAIL".to_owned())]).await;

    let error = platform
        .client()
        .upload_report(&report())
        .await
        .unwrap_err();

    assert!(
        matches!(
            error,
            Error::UploadRejected {
                method: Method::ReportCaseUpload,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.serial_no().is_some());
    assert_eq!(platform.count(), 1);
}

#[tokio::test]
async fn send_upload_repeats_serial_no() {
    let platform = Platform::start(vec![Answer::Encrypted("SUCCESS".to_owned())]).await;
    let client = platform.client();

    let sealed = client.seal_report(&report()).unwrap();
    let first = client.send_upload(&sealed).await.unwrap();
    let second = client.send_upload(&sealed).await.unwrap();

    assert_eq!(first.serial_no, second.serial_no);
    let requests = platform.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].serial_no, requests[1].serial_no);
    assert_eq!(requests[0].time_stamp, requests[1].time_stamp);
}

#[tokio::test]
async fn call_retries_retryable_failures_then_succeeds() {
    let cases = [
        ("500", Answer::Status(500)),
        ("503", Answer::Status(503)),
        ("429", Answer::Status(429)),
        (
            "timeout",
            Answer::Delay(
                Duration::from_secs(2),
                Box::new(Answer::Encrypted("[]".to_owned())),
            ),
        ),
    ];
    for (name, failure) in cases {
        let platform =
            Platform::start(vec![failure, Answer::Encrypted(data("dispatch.json"))]).await;
        let client = platform.client_with(support::fast_retry(), Duration::from_millis(400));

        let batch = client.download_dispatches().await;

        assert_eq!(batch.unwrap().records.len(), 1, "{name}");
        assert_eq!(platform.count(), 2, "{name}: requests seen");
    }
}

#[tokio::test]
async fn download_retry_sealed_with_new_serial_no() {
    let platform = Platform::start(vec![
        Answer::Status(503),
        Answer::Status(500),
        Answer::Encrypted(data("dispatch.json")),
    ])
    .await;
    let client = platform.client_with(support::fast_retry(), Duration::from_millis(400));

    client.download_dispatches().await.unwrap();

    let requests = platform.requests();
    assert_eq!(requests.len(), 3);
    assert_ne!(requests[0].serial_no, requests[1].serial_no);
    assert_ne!(requests[1].serial_no, requests[2].serial_no);
    assert_ne!(requests[0].serial_no, requests[2].serial_no);
    assert!(
        requests[0].time_stamp <= requests[2].time_stamp,
        "a retry carries the current timeStamp"
    );
}

#[tokio::test]
async fn download_failure_names_last_serial_no() {
    let platform = Platform::start(vec![Answer::Status(500)]).await;
    let client = platform.client_with(support::fast_retry(), Duration::from_millis(400));

    let error = client.download_warnings().await.unwrap_err();

    let requests = platform.requests();
    assert_eq!(requests.len(), 3);
    assert_eq!(error.serial_no(), Some(&requests[2].serial_no), "{error}");
}

#[tokio::test]
async fn upload_retried_after_503() {
    let platform = Platform::start(vec![
        Answer::Status(503),
        Answer::Encrypted("SUCCESS".to_owned()),
    ])
    .await;

    platform.client().upload_report(&report()).await.unwrap();

    let requests = platform.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[0].serial_no, requests[1].serial_no,
        "a retry re-sends the same envelope"
    );
}

#[tokio::test]
async fn call_retries_refused_connection() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let client = Client::builder()
        .endpoint(format!("http://{address}/gateway.do").parse().unwrap())
        .app_id(APP_ID)
        .app_key(AppKey::new(support::APP_KEY))
        .insurance_code("CPIC")
        .http(
            jingbao::transport::HttpConfig::default()
                .proxy(jingbao::transport::ProxyConfig::Disabled),
        )
        .retry(
            RetryPolicy::default()
                .max_attempts(2)
                .initial_backoff(Duration::from_millis(10)),
        )
        .build()
        .unwrap();

    let error = client.download_warnings().await.unwrap_err();

    assert!(
        matches!(
            &error,
            Error::Transport {
                source: TransportError::Connect { attempts: 2, .. },
                ..
            }
        ),
        "{error:?}"
    );
    assert!(!error.is_outcome_unknown());
}

#[tokio::test]
async fn call_does_not_retry_final_failures() {
    let cases = [
        ("400", Answer::Status(400)),
        ("404", Answer::Status(404)),
        ("bad sign", Answer::BadSign("[]".to_owned())),
        (
            "platform error",
            Answer::Code("9999", "系统繁忙".to_owned()),
        ),
    ];
    for (name, failure) in cases {
        let platform = Platform::start(vec![failure, Answer::Encrypted("[]".to_owned())]).await;

        let error = platform.client().download_warnings().await.unwrap_err();

        assert_eq!(
            platform.count(),
            1,
            "{name}: requests seen, error {error:?}"
        );
    }
}

#[tokio::test]
async fn platform_error_code_surfaces_with_message() {
    let platform =
        Platform::start(vec![Answer::Code("1001", "insuranceCode不存在".to_owned())]).await;

    let error = platform.client().download_accidents().await.unwrap_err();

    let Error::Platform {
        return_code,
        return_msg,
        sign_verified,
        method,
        ..
    } = &error
    else {
        panic!("expected a platform error, got {error:?}");
    };
    assert_eq!(return_code, "1001");
    assert_eq!(return_msg, "insuranceCode不存在");
    assert!(*sign_verified);
    assert_eq!(*method, Method::AccidentDownload);
    assert_eq!(error.return_code(), Some("1001"));
    assert!(error.to_string().contains("insuranceCode不存在"), "{error}");
}

#[tokio::test]
async fn bad_response_sign_is_rejected() {
    let platform = Platform::start(vec![Answer::BadSign(data("warnings.json"))]).await;

    let error = platform.client().download_warnings().await.unwrap_err();

    assert!(
        matches!(
            error,
            Error::Response {
                source: OpenError::BadSign(_),
                ..
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn response_for_other_app_id_is_rejected() {
    let platform = Platform::start(vec![Answer::OtherAppId("[]".to_owned())]).await;

    let error = platform.client().download_warnings().await.unwrap_err();

    assert!(
        matches!(
            error,
            Error::Response {
                source: OpenError::AppIdMismatch { .. },
                ..
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn call_timeout_fires() {
    let platform = Platform::start(vec![Answer::Delay(
        Duration::from_secs(5),
        Box::new(Answer::Encrypted("[]".to_owned())),
    )])
    .await;
    let client = platform.client_with(RetryPolicy::none(), Duration::from_millis(300));

    let started = std::time::Instant::now();
    let error = client.upload_report(&report()).await.unwrap_err();

    assert!(
        matches!(
            &error,
            Error::Transport {
                source: TransportError::Timeout { attempts: 1, .. },
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.is_outcome_unknown());
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn download_photo_passthrough() {
    let platform = Platform::start(vec![Answer::Encrypted("[]".to_owned())]).await;
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("1.jpg");
    let url = format!("http://{}/photos/1.jpg?e=9999999999", platform.address);

    let photo = platform.client().download_photo(&url, &path).await.unwrap();

    assert_eq!(photo.size, 7);
    assert_eq!(photo.content_type, "image/jpeg");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]
    );
}

#[tokio::test]
async fn download_photo_expired_sends_nothing() {
    let platform = Platform::start(vec![Answer::Encrypted("[]".to_owned())]).await;
    let url = format!("http://{}/photos/1.jpg?e=1700000000", platform.address);

    let error = platform
        .client()
        .download_photo_to_writer(&url, &mut Vec::new())
        .await
        .unwrap_err();

    assert!(
        matches!(
            error,
            PhotoError::Expired {
                expires_at: 1_700_000_000,
                ..
            }
        ),
        "{error:?}"
    );
}

#[test]
fn builder_rejects_missing_and_invalid_settings() {
    let complete = || {
        Client::builder()
            .endpoint(Endpoint::test())
            .app_id(APP_ID)
            .app_key(AppKey::new(support::APP_KEY))
            .insurance_code("CPIC")
    };
    assert!(complete().build().is_ok());

    let error = Client::builder()
        .app_id(APP_ID)
        .app_key(AppKey::new("k"))
        .insurance_code("CPIC")
        .build()
        .unwrap_err();
    assert!(
        matches!(
            error,
            BuildError::Missing {
                setting: "endpoint"
            }
        ),
        "{error:?}"
    );

    let error = complete().app_key(AppKey::new("")).build().unwrap_err();
    assert!(
        matches!(error, BuildError::Empty { setting: "app_key" }),
        "{error:?}"
    );

    let error = complete().app_id("  ").build().unwrap_err();
    assert!(
        matches!(error, BuildError::Empty { setting: "app_id" }),
        "{error:?}"
    );

    let error = complete().insurance_code("NOPE").build().unwrap_err();
    assert!(
        matches!(error, BuildError::InsuranceCode { .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("NOPE"), "{error}");

    let error = complete()
        .retry(RetryPolicy::default().max_attempts(0))
        .build()
        .unwrap_err();
    assert!(matches!(error, BuildError::Transport(_)), "{error:?}");
}

/// A transport that counts the requests it is handed and fails each one.
#[derive(Default)]
struct CountingTransport(std::sync::atomic::AtomicUsize);

impl jingbao::transport::Transport for CountingTransport {
    async fn send(
        &self,
        _request: jingbao::transport::GatewayRequest,
    ) -> Result<jingbao::transport::GatewayResponse, TransportError> {
        self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Err(TransportError::Status {
            host: "test-double".to_owned(),
            status: 418,
            attempts: 1,
        })
    }
}

#[tokio::test]
async fn invalid_records_never_reach_transport() {
    let transport = std::sync::Arc::new(CountingTransport::default());
    let client = Client::builder()
        .app_id(APP_ID)
        .app_key(AppKey::new(support::APP_KEY))
        .insurance_code("CPIC")
        .build_with_transport(std::sync::Arc::clone(&transport))
        .unwrap();
    let mut report = report();
    report.is_injured = jingbao::model::YesNo::from_code("maybe");
    let mut claim = claim();
    claim.pay_data.clear();

    let report_error = client.upload_report(&report).await.unwrap_err();
    let claim_error = client.upload_claim(&claim).await.unwrap_err();

    assert!(
        matches!(report_error, Error::InvalidRecord { .. }),
        "{report_error:?}"
    );
    assert!(
        matches!(claim_error, Error::InvalidRecord { .. }),
        "{claim_error:?}"
    );
    assert_eq!(transport.0.load(std::sync::atomic::Ordering::SeqCst), 0);

    client.upload_report(&self::report()).await.unwrap_err();
    assert_eq!(
        transport.0.load(std::sync::atomic::Ordering::SeqCst),
        1,
        "a valid report is sent"
    );
}

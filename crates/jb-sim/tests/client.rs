//! The `jingbao` client against the simulator: the five operations and photos end to end, and
//! the client's reaction to each fault mode (retry, error or tolerance).

#![allow(clippy::unwrap_used, clippy::panic)]

mod support;

use std::time::Duration;

use jb_sim::{FaultRates, RunningSimulator};
use jingbao::crypto::AppKey;
use jingbao::model::{Claim, Report};
use jingbao::proto::OpenError;
use jingbao::transport::{
    Endpoint, HttpConfig, PhotoError, ProxyConfig, RetryPolicy, TransportError,
};
use jingbao::{Client, Error};

use support::{APP_ID, APP_KEY, INSURER, builder};

/// Attempts the test clients make before giving up.
const ATTEMPTS: u32 = 3;

fn retry() -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(ATTEMPTS)
        .initial_backoff(Duration::from_millis(10))
        .max_backoff(Duration::from_millis(40))
}

fn http() -> HttpConfig {
    HttpConfig::default().proxy(ProxyConfig::Disabled)
}

fn client_with(simulator: &RunningSimulator, http: HttpConfig, insurer: &str) -> Client {
    Client::builder()
        .endpoint(Endpoint::from_url(&simulator.gateway_url()).unwrap())
        .app_id(APP_ID)
        .app_key(AppKey::new(APP_KEY))
        .insurance_code(insurer)
        .http(http)
        .retry(retry())
        .build()
        .unwrap()
}

fn client(simulator: &RunningSimulator) -> Client {
    client_with(simulator, http(), INSURER)
}

async fn start_with(faults: FaultRates) -> RunningSimulator {
    builder().faults(faults).bind("127.0.0.1:0").await.unwrap()
}

fn report() -> Report {
    serde_json::from_value(support::valid_report()).unwrap()
}

fn claim() -> Claim {
    serde_json::from_value(support::valid_claim()).unwrap()
}

/// Returns the transport error of a failed call.
fn transport_error(error: &Error) -> &TransportError {
    match error {
        Error::Transport { source, .. } => source,
        other => panic!("expected a transport error, got {other}"),
    }
}

#[tokio::test]
async fn client_runs_all_five_operations() {
    let simulator = builder().bind("127.0.0.1:0").await.unwrap();
    let client = client(&simulator);

    let warnings = client.download_warnings().await.unwrap();
    let accidents = client.download_accidents().await.unwrap();
    let dispatches = client.download_dispatches().await.unwrap();
    let report_receipt = client.upload_report(&report()).await.unwrap();
    let claim_receipt = client.upload_claim(&claim()).await.unwrap();

    for (name, complete, count) in [
        ("warnings", warnings.is_complete(), warnings.records.len()),
        (
            "accidents",
            accidents.is_complete(),
            accidents.records.len(),
        ),
        (
            "dispatches",
            dispatches.is_complete(),
            dispatches.records.len(),
        ),
    ] {
        assert!(complete, "{name}: every record decodes");
        assert_eq!(
            count,
            1 + 3,
            "{name}: the example and three generated records"
        );
    }
    assert_eq!(report_receipt.return_msg, "成功");
    let uploads = simulator.uploads();
    assert_eq!(uploads.len(), 2);
    assert_eq!(uploads[0].serial_no, report_receipt.serial_no.as_str());
    assert_eq!(uploads[1].serial_no, claim_receipt.serial_no.as_str());
}

#[tokio::test]
async fn client_trims_example_stray_spaces() {
    let simulator = builder().bind("127.0.0.1:0").await.unwrap();

    let accidents = client(&simulator).download_accidents().await.unwrap();

    let example = &accidents.records[0].record;
    assert_eq!(example.accident_no, "44030220180702K00025");
}

#[tokio::test]
async fn client_downloads_photo_then_expiry_refused() {
    let simulator = builder().bind("127.0.0.1:0").await.unwrap();
    let client = client(&simulator);
    let directory = tempfile::tempdir().unwrap();
    let accidents = client.download_accidents().await.unwrap();
    let url = accidents.records[1].record.photo_data[0].photo_url.clone();
    let expired = simulator.photo_url(
        "00112233445566778899aabbccddeeff.png",
        chrono::Utc::now().timestamp() - 10,
    );

    let photo = client
        .download_photo(&url, directory.path().join("photo.png"))
        .await
        .unwrap();
    let refused = client
        .download_photo(&expired, directory.path().join("expired.png"))
        .await
        .unwrap_err();

    assert!(photo.size > 0, "{photo:?}");
    assert_eq!(photo.content_type, "image/png");
    assert!(matches!(refused, PhotoError::Expired { .. }), "{refused}");
}

#[tokio::test]
async fn client_surfaces_wrong_insurer_code() {
    let simulator = builder().bind("127.0.0.1:0").await.unwrap();
    let client = client_with(&simulator, http(), "PICC");

    let error = client.download_warnings().await.unwrap_err();

    assert_eq!(error.return_code(), Some("1009"), "{error}");
    assert_eq!(
        simulator.requests().len(),
        1,
        "a platform error is not retried"
    );
}

#[tokio::test]
async fn client_retries_http_500_then_gives_up() {
    let simulator = start_with(FaultRates {
        http_500: 1.0,
        ..FaultRates::default()
    })
    .await;

    let error = client(&simulator).download_dispatches().await.unwrap_err();

    assert_eq!(transport_error(&error).attempts(), ATTEMPTS, "{error}");
    assert_eq!(simulator.requests().len(), ATTEMPTS as usize);
}

#[tokio::test]
async fn client_retries_http_503_until_success() {
    let simulator = start_with(FaultRates {
        http_503: 0.5,
        ..FaultRates::default()
    })
    .await;
    let client = client(&simulator);

    let mut succeeded = 0;
    for _ in 0..5 {
        if client.upload_report(&report()).await.is_ok() {
            succeeded += 1;
        }
    }
    let requests = simulator.requests();
    let unavailable = requests
        .iter()
        .filter(|request| !request.faults.is_empty())
        .count();

    assert!(unavailable > 0, "seed 42 injects at least one 503");
    assert_eq!(requests.len(), unavailable + succeeded);
    assert_eq!(simulator.uploads().len(), succeeded);
    assert!(
        succeeded >= 4,
        "503 is retried, so most calls succeed: {succeeded}"
    );
}

#[tokio::test]
async fn client_tolerates_short_delay() {
    let simulator = start_with(FaultRates {
        delay: 1.0,
        delay_ms: 200,
        ..FaultRates::default()
    })
    .await;

    let batch = client(&simulator).download_warnings().await.unwrap();

    assert_eq!(batch.records.len(), 4);
    assert_eq!(simulator.requests().len(), 1);
}

#[tokio::test]
async fn client_times_out_on_long_delay() {
    let simulator = start_with(FaultRates {
        delay: 1.0,
        delay_ms: 1500,
        ..FaultRates::default()
    })
    .await;
    let http = http().request_timeout(Duration::from_millis(300));

    let error = client_with(&simulator, http, INSURER)
        .download_warnings()
        .await
        .unwrap_err();

    let source = transport_error(&error);
    assert!(matches!(source, TransportError::Timeout { .. }), "{error}");
    assert_eq!(source.attempts(), ATTEMPTS);
    assert!(error.is_outcome_unknown());
}

#[tokio::test]
async fn client_upload_dropped_connection_outcome_unknown() {
    let simulator = start_with(FaultRates {
        drop_connection: 1.0,
        ..FaultRates::default()
    })
    .await;

    let error = client(&simulator)
        .upload_report(&report())
        .await
        .unwrap_err();
    let requests = simulator.requests();

    assert!(error.is_outcome_unknown(), "{error}");
    assert!(matches!(
        transport_error(&error),
        TransportError::Interrupted { .. }
    ));
    assert_eq!(requests.len(), ATTEMPTS as usize, "the client retried");
    assert_eq!(
        simulator.uploads().len(),
        1,
        "stored once despite the retries"
    );
    assert_eq!(requests[0].return_code.as_deref(), Some("0000"));
    assert_eq!(
        requests[1].return_code.as_deref(),
        Some("1005"),
        "an upload's retry repeats the serialNo, which the simulator rejects as a replay"
    );
    assert_eq!(requests[0].serial_no, requests[1].serial_no);
}

#[tokio::test]
async fn client_download_reseals_after_drop() {
    let simulator = start_with(FaultRates {
        drop_connection: 1.0,
        ..FaultRates::default()
    })
    .await;

    let error = client(&simulator).download_warnings().await.unwrap_err();
    let requests = simulator.requests();

    assert!(matches!(
        transport_error(&error),
        TransportError::Interrupted { .. }
    ));
    assert_eq!(requests.len(), ATTEMPTS as usize);
    for request in &requests {
        assert_eq!(
            request.return_code.as_deref(),
            Some("0000"),
            "each attempt is a new request, processed as such: {request:?}"
        );
    }
    assert_ne!(requests[0].serial_no, requests[1].serial_no);
    assert_ne!(requests[1].serial_no, requests[2].serial_no);
    assert_eq!(
        error.serial_no().map(|serial_no| serial_no.as_str()),
        requests[2].serial_no.as_deref(),
        "the error names the last attempt"
    );
}

/// Builds a client that retries often enough to get through faults injected at rate 0.5.
fn patient_client(simulator: &RunningSimulator) -> Client {
    Client::builder()
        .endpoint(Endpoint::from_url(&simulator.gateway_url()).unwrap())
        .app_id(APP_ID)
        .app_key(AppKey::new(APP_KEY))
        .insurance_code(INSURER)
        .http(http())
        .retry(retry().max_attempts(10))
        .build()
        .unwrap()
}

/// Reads the serialNos of the gateway requests from `/_sim/requests`.
async fn journal_serial_nos(simulator: &RunningSimulator) -> Vec<String> {
    let url = format!("{}/requests", simulator.inspection_url());
    let text = support::get(&url).await.text().await.unwrap();
    let records: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    records
        .iter()
        .map(|record| record["serialNo"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn client_download_survives_partial_faults() {
    for (name, faults) in [
        (
            "drop_connection",
            FaultRates {
                drop_connection: 0.5,
                ..FaultRates::default()
            },
        ),
        (
            "truncated_body",
            FaultRates {
                truncated_body: 0.5,
                ..FaultRates::default()
            },
        ),
    ] {
        let simulator = start_with(faults).await;
        let client = patient_client(&simulator);

        for _ in 0..6 {
            let batch = client.download_accidents().await.unwrap();
            assert!(batch.is_complete(), "{name}: {:?}", batch.failures);
        }
        let requests = simulator.requests();
        let serial_nos = journal_serial_nos(&simulator).await;
        let distinct: std::collections::HashSet<&String> = serial_nos.iter().collect();

        assert!(
            requests.len() > 6,
            "{name}: seed 42 injects at least one fault"
        );
        assert_eq!(serial_nos.len(), requests.len(), "{name}");
        assert_eq!(
            distinct.len(),
            serial_nos.len(),
            "{name}: every attempt carries its own serialNo"
        );
        assert!(
            requests
                .iter()
                .all(|request| request.return_code.as_deref() == Some("0000")),
            "{name}: no attempt is refused as a replay: {requests:?}"
        );
    }
}

#[tokio::test]
async fn client_rejects_wrong_sign_without_retry() {
    let simulator = start_with(FaultRates {
        wrong_sign: 1.0,
        ..FaultRates::default()
    })
    .await;

    let error = client(&simulator).download_accidents().await.unwrap_err();

    match &error {
        Error::Response { source, .. } => {
            assert!(matches!(source, OpenError::BadSign(_)), "{error}");
        }
        other => panic!("expected a response error, got {other}"),
    }
    assert_eq!(simulator.requests().len(), 1);
}

#[tokio::test]
async fn client_retries_truncated_body() {
    let simulator = start_with(FaultRates {
        truncated_body: 1.0,
        ..FaultRates::default()
    })
    .await;

    let error = client(&simulator).download_accidents().await.unwrap_err();

    assert!(
        matches!(transport_error(&error), TransportError::Interrupted { .. }),
        "{error}"
    );
    assert_eq!(simulator.requests().len(), ATTEMPTS as usize);
}

#[tokio::test]
async fn client_accepts_plain_upload_answer() {
    let simulator = start_with(FaultRates {
        plain_upload_answer: 1.0,
        ..FaultRates::default()
    })
    .await;

    let receipt = client(&simulator).upload_claim(&claim()).await.unwrap();

    assert_eq!(receipt.return_msg, "成功");
    assert_eq!(simulator.uploads().len(), 1);
}

#[tokio::test]
async fn client_accepts_wrapped_base64() {
    let simulator = start_with(FaultRates {
        wrapped_base64: 1.0,
        ..FaultRates::default()
    })
    .await;

    let batch = client(&simulator).download_accidents().await.unwrap();

    assert!(batch.is_complete());
    assert_eq!(batch.records.len(), 4);
}

#[tokio::test]
async fn client_accepts_single_dispatch_object() {
    let simulator = start_with(FaultRates {
        single_object_dispatch: 1.0,
        ..FaultRates::default()
    })
    .await;
    let client = client(&simulator);

    let first = client.download_dispatches().await.unwrap();
    let second = client.download_dispatches().await.unwrap();

    assert_eq!(first.records.len(), 1);
    assert_eq!(first.records[0].record.report_no, "12345678900987654321");
    assert_eq!(second.records.len(), 1);
}

#[tokio::test]
async fn client_accepts_plate_data_string() {
    let simulator = start_with(FaultRates {
        plate_data_as_string: 1.0,
        ..FaultRates::default()
    })
    .await;
    let client = client(&simulator);

    let warnings = client.download_warnings().await.unwrap();
    let accidents = client.download_accidents().await.unwrap();

    assert!(warnings.is_complete(), "{:?}", warnings.failures);
    assert!(accidents.is_complete(), "{:?}", accidents.failures);
    assert_eq!(warnings.records[0].record.plate_data.len(), 2);
    assert_eq!(accidents.records[0].record.plate_data.len(), 2);
}

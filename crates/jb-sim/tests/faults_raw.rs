//! Each fault mode at rate 1, observed with raw HTTP requests and jb-proto.

#![allow(clippy::unwrap_used)]

mod support;

use std::time::{Duration, Instant};

use jb_proto::{Method, OpenError, ResponseData};
use jb_sim::{FaultRates, RunningSimulator};
use serde_json::Value;

use support::{builder, codec, download_data, json, post, seal};

async fn start_with(faults: FaultRates) -> RunningSimulator {
    builder().faults(faults).bind("127.0.0.1:0").await.unwrap()
}

async fn send(simulator: &RunningSimulator, body: Vec<u8>) -> reqwest::Result<reqwest::Response> {
    support::http_client()
        .post(simulator.gateway_url())
        .body(body)
        .send()
        .await
}

fn decrypted_data(body: &[u8]) -> Value {
    let data = json(body)["data"].as_str().unwrap().to_owned();
    serde_json::from_str(&codec().cipher().decrypt_to_string(&data).unwrap()).unwrap()
}

#[tokio::test]
async fn http_500_and_503_answered_before_checks() {
    for (faults, expected) in [
        (
            FaultRates {
                http_500: 1.0,
                ..FaultRates::default()
            },
            500,
        ),
        (
            FaultRates {
                http_503: 1.0,
                ..FaultRates::default()
            },
            503,
        ),
    ] {
        let simulator = start_with(faults).await;

        let (status, _) = post(&simulator, b"not even json".to_vec()).await;
        let requests = simulator.requests();

        assert_eq!(status, expected);
        assert_eq!(requests[0].return_code, None);
        assert_eq!(requests[0].faults.len(), 1);
    }
}

#[tokio::test]
async fn delay_holds_answer() {
    let faults = FaultRates {
        delay: 1.0,
        delay_ms: 300,
        ..FaultRates::default()
    };
    let simulator = start_with(faults).await;
    let started = Instant::now();

    let (status, body) = post(
        &simulator,
        seal(Method::AccidentDownload, &download_data()).to_json(),
    )
    .await;

    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(status, 200);
    assert_eq!(json(&body)["returnCode"], "0000");
    assert_eq!(simulator.requests()[0].faults, ["faults.delay"]);
}

#[tokio::test]
async fn dropped_connection_after_upload_is_stored() {
    let faults = FaultRates {
        drop_connection: 1.0,
        ..FaultRates::default()
    };
    let simulator = start_with(faults).await;
    let request = seal(
        Method::ReportCaseUpload,
        &support::valid_report().to_string(),
    );

    let result = send(&simulator, request.to_json()).await;

    assert!(result.is_err(), "the connection closes without an answer");
    assert_eq!(
        simulator.uploads().len(),
        1,
        "the upload was processed first"
    );
    assert_eq!(simulator.requests()[0].faults, ["faults.drop_connection"]);
}

#[tokio::test]
async fn wrong_sign_fails_verification() {
    let faults = FaultRates {
        wrong_sign: 1.0,
        ..FaultRates::default()
    };
    let simulator = start_with(faults).await;

    let (_, body) = post(
        &simulator,
        seal(Method::AccidentDownload, &download_data()).to_json(),
    )
    .await;
    let error = codec()
        .open_response(&body, &codec().expected(Method::AccidentDownload))
        .unwrap_err();

    assert!(matches!(error, OpenError::BadSign(_)), "{error}");
}

#[tokio::test]
async fn truncated_body_cut_short() {
    let faults = FaultRates {
        truncated_body: 1.0,
        ..FaultRates::default()
    };
    let simulator = start_with(faults).await;

    let response = send(
        &simulator,
        seal(Method::AccidentDownload, &download_data()).to_json(),
    )
    .await
    .unwrap();
    let announced = response.content_length().unwrap();
    let body = response.bytes().await;

    assert!(announced > 0);
    assert!(body.is_err(), "reading past the half must fail");
}

#[tokio::test]
async fn plain_upload_answer_is_plain_success() {
    let faults = FaultRates {
        plain_upload_answer: 1.0,
        ..FaultRates::default()
    };
    let simulator = start_with(faults).await;
    let request = seal(
        Method::SettleClaimUpload,
        &support::valid_claim().to_string(),
    );

    let (_, body) = post(&simulator, request.to_json()).await;
    let opened = codec()
        .open_response(&body, &codec().expected(Method::SettleClaimUpload))
        .unwrap();

    assert_eq!(json(&body)["data"], "SUCCESS");
    assert_eq!(
        opened.data,
        ResponseData::UploadAccepted { encrypted: false }
    );
}

#[tokio::test]
async fn wrapped_base64_still_opens() {
    let faults = FaultRates {
        wrapped_base64: 1.0,
        ..FaultRates::default()
    };
    let simulator = start_with(faults).await;

    let (_, body) = post(
        &simulator,
        seal(Method::AccidentDownload, &download_data()).to_json(),
    )
    .await;
    let data = json(&body)["data"].as_str().unwrap().to_owned();
    let opened = codec()
        .open_response(&body, &codec().expected(Method::AccidentDownload))
        .unwrap();

    assert!(data.contains("\r\n"));
    assert!(data.split("\r\n").all(|line| line.len() <= 76));
    assert!(matches!(opened.data, ResponseData::Download(_)));
}

#[tokio::test]
async fn single_object_dispatch_keeps_other_records() {
    let faults = FaultRates {
        single_object_dispatch: 1.0,
        ..FaultRates::default()
    };
    let simulator = start_with(faults).await;

    let (_, first) = post(
        &simulator,
        seal(Method::DispatchInfoDownload, &download_data()).to_json(),
    )
    .await;
    let first = decrypted_data(&first);
    simulator.set_faults(FaultRates::default()).unwrap();
    let (_, second) = post(
        &simulator,
        seal(Method::DispatchInfoDownload, &download_data()).to_json(),
    )
    .await;
    let second = decrypted_data(&second);

    assert!(first.is_object(), "{first}");
    assert_eq!(first["reportNo"], "12345678900987654321");
    let held_back = second
        .as_array()
        .unwrap()
        .iter()
        .filter(|record| record["reportNo"] != first["reportNo"])
        .count();
    assert!(
        held_back >= 3,
        "the records held back arrive with the next poll: {second}"
    );
}

#[tokio::test]
async fn plate_data_sent_as_string() {
    let faults = FaultRates {
        plate_data_as_string: 1.0,
        ..FaultRates::default()
    };
    let simulator = start_with(faults).await;

    for method in [Method::WarningInstanceDownload, Method::AccidentDownload] {
        let (_, body) = post(&simulator, seal(method, &download_data()).to_json()).await;
        let records = decrypted_data(&body);

        for record in records.as_array().unwrap() {
            let plates = record["plateData"].as_str().unwrap();
            assert!(serde_json::from_str::<Value>(plates).unwrap().is_array());
        }
    }
}

//! Photo serving with expiry, the inspection endpoints, eviction of old entries and scenario
//! reproducibility, over HTTP.

#![allow(clippy::unwrap_used)]

mod support;

use jb_proto::{Method, ResponseData};
use jb_sim::{FaultRates, Limits, ScenarioConfig};
use serde_json::{Value, json};

use support::{builder, codec, download_data, post, seal, start};

/// Downloads `method` and returns the decrypted records.
async fn download(simulator: &jb_sim::RunningSimulator, method: Method) -> Value {
    let request = seal(method, &download_data());
    let (_, body) = post(simulator, request.to_json()).await;
    let opened = codec()
        .open_response(&body, &codec().expected(method))
        .unwrap();
    let ResponseData::Download(text) = opened.data else {
        unreachable!("a download answers download data");
    };
    serde_json::from_str(&text).unwrap()
}

fn photo_urls(accidents: &Value) -> Vec<String> {
    accidents
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|accident| accident["photoData"].as_array().unwrap())
        .map(|photo| photo["photoUrl"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn photo_url_serves_png() {
    let simulator = start().await;
    let accidents = download(&simulator, Method::AccidentDownload).await;
    let urls = photo_urls(&accidents);

    let response = support::get(&urls[0]).await;

    assert!(urls.len() >= 4);
    assert!(urls.iter().all(|url| url.starts_with(simulator.base_url())));
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "image/png");
    let bytes = response.bytes().await.unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
}

#[tokio::test]
async fn photo_url_expired_is_403() {
    let simulator = start().await;
    let name = "00112233445566778899aabbccddeeff.png";
    let past = chrono::Utc::now().timestamp() - 1;
    let future = chrono::Utc::now().timestamp() + 60;

    let expired = support::get(simulator.photo_url(name, past)).await;
    let valid = support::get(simulator.photo_url(name, future)).await;

    assert_eq!(expired.status(), 403);
    assert_eq!(valid.status(), 200);
}

#[tokio::test]
async fn photo_url_with_edited_expiry_is_403() {
    let simulator = start().await;
    let name = "00112233445566778899aabbccddeeff.png";
    let expires = chrono::Utc::now().timestamp() + 60;
    let url = simulator.photo_url(name, expires);
    let edited = url.replace(&format!("e={expires}"), &format!("e={}", expires + 3600));

    let response = support::get(edited).await;

    assert_eq!(response.status(), 403);
}

#[tokio::test]
async fn photo_expiry_follows_configured_ttl() {
    let scenario = ScenarioConfig {
        photo_ttl_secs: 120,
        ..ScenarioConfig::default()
    };
    let simulator = builder()
        .scenario(scenario)
        .bind("127.0.0.1:0")
        .await
        .unwrap();
    let now = chrono::Utc::now().timestamp();

    let accidents = download(&simulator, Method::AccidentDownload).await;

    for url in photo_urls(&accidents) {
        let expiry: i64 = url
            .split(['?', '&'])
            .find_map(|part| part.strip_prefix("e="))
            .unwrap()
            .parse()
            .unwrap();
        assert!((now + 118..=now + 122).contains(&expiry), "{url}");
    }
}

#[tokio::test]
async fn inject_over_http_reaches_next_download() {
    let simulator = start().await;
    let record = json!({
        "reportNo": "RINJECTED0001",
        "receiveTime": "2024-05-20 10:00:00",
        "dispatchType": "2",
        "taskType": "1",
        "userId": "10001",
        "surveyorCo": "CPIC",
        "surveyorName": "王伟",
        "surveyorPhone": "13800000000"
    });
    let client = support::http_client();

    let response = client
        .post(format!("{}/inject", simulator.inspection_url()))
        .json(&json!({ "method": "J5", "record": record }))
        .send()
        .await
        .unwrap();
    let first = download(&simulator, Method::DispatchInfoDownload).await;
    let second = download(&simulator, Method::DispatchInfoDownload).await;

    assert_eq!(response.status(), 204);
    assert_eq!(first.as_array().unwrap().last(), Some(&record));
    assert!(!second.as_array().unwrap().contains(&record));
}

#[tokio::test]
async fn inject_rejects_upload_method_and_unknown_tenant() {
    let simulator = start().await;
    let client = support::http_client();
    let url = format!("{}/inject", simulator.inspection_url());

    let upload = client
        .post(&url)
        .json(&json!({ "method": "reportCaseUpload", "record": {} }))
        .send()
        .await
        .unwrap();
    let stranger = client
        .post(&url)
        .json(&json!({ "appId": "NOBODY", "method": "J1", "record": {} }))
        .send()
        .await
        .unwrap();

    assert_eq!(upload.status(), 400);
    assert_eq!(stranger.status(), 404);
}

#[tokio::test]
async fn inspection_index_lists_endpoints() {
    let simulator = start().await;
    let base = simulator.inspection_url();

    for url in [base.clone(), format!("{base}/")] {
        let response = support::get(&url).await;
        assert_eq!(response.status(), 200, "{url}");
        let index: Value = response.json().await.unwrap();
        let paths: Vec<&str> = index["endpoints"]
            .as_array()
            .unwrap()
            .iter()
            .map(|endpoint| endpoint["path"].as_str().unwrap())
            .collect();

        assert_eq!(index["gateway"], jb_sim::GATEWAY_PATH, "{url}");
        for path in [
            "/_sim",
            "/_sim/tenants",
            "/_sim/requests",
            "/_sim/uploads",
            "/_sim/inject",
            "/_sim/faults",
        ] {
            assert!(
                paths.contains(&path),
                "{url}: {path} missing from {paths:?}"
            );
        }
    }
}

#[tokio::test]
async fn inspection_lists_tenants_requests_uploads() {
    let simulator = start().await;
    let report = seal(
        Method::ReportCaseUpload,
        &support::valid_report().to_string(),
    );
    post(&simulator, report.to_json()).await;
    let base = simulator.inspection_url();

    let tenants: Value = support::get(format!("{base}/tenants"))
        .await
        .json()
        .await
        .unwrap();
    let requests: Value = support::get(format!("{base}/requests"))
        .await
        .json()
        .await
        .unwrap();
    let uploads: Value = support::get(format!("{base}/uploads"))
        .await
        .json()
        .await
        .unwrap();

    assert_eq!(
        tenants,
        json!([{ "appId": support::APP_ID, "insuranceCode": "CPIC" }])
    );
    assert_eq!(requests[0]["returnCode"], "0000");
    assert_eq!(requests[0]["method"], "reportCaseUpload");
    assert_eq!(uploads[0]["data"], support::valid_report());
    assert!(!tenants.to_string().contains(support::APP_KEY));
}

#[tokio::test]
async fn faults_endpoint_reads_and_replaces_rates() {
    let simulator = start().await;
    let client = support::http_client();
    let url = format!("{}/faults", simulator.inspection_url());

    let replaced = client
        .put(&url)
        .json(&json!({ "http_503": 1.0 }))
        .send()
        .await
        .unwrap();
    let invalid = client
        .put(&url)
        .json(&json!({ "http_500": 2.0 }))
        .send()
        .await
        .unwrap();
    let current: FaultRates = support::get(&url).await.json().await.unwrap();
    let (status, _) = post(
        &simulator,
        seal(Method::AccidentDownload, &download_data()).to_json(),
    )
    .await;

    assert_eq!(replaced.status(), 200);
    assert_eq!(invalid.status(), 400);
    assert_eq!(current.http_503, 1.0);
    assert_eq!(status, 503);
}

#[tokio::test]
async fn old_requests_and_uploads_evicted() {
    let limits = Limits {
        max_requests: 3,
        max_uploads: 2,
        ..Limits::default()
    };
    let simulator = builder().limits(limits).bind("127.0.0.1:0").await.unwrap();
    let mut serial_numbers = Vec::new();

    for _ in 0..5 {
        let request = seal(
            Method::ReportCaseUpload,
            &support::valid_report().to_string(),
        );
        serial_numbers.push(request.serial_no.to_string());
        post(&simulator, request.to_json()).await;
    }
    let requests = simulator.requests();
    let uploads = simulator.uploads();

    assert_eq!(requests.len(), 3);
    assert_eq!(
        requests
            .iter()
            .map(|request| request.sequence)
            .collect::<Vec<_>>(),
        [3, 4, 5]
    );
    assert_eq!(uploads.len(), 2);
    assert_eq!(uploads[0].serial_no, serial_numbers[3]);
    assert_eq!(uploads[1].serial_no, serial_numbers[4]);
}

#[tokio::test]
async fn same_seed_same_downloads_across_simulators() {
    let first = builder().seed(9).bind("127.0.0.1:0").await.unwrap();
    let second = builder().seed(9).bind("127.0.0.1:0").await.unwrap();
    let third = builder().seed(10).bind("127.0.0.1:0").await.unwrap();

    let mut records = Vec::new();
    for simulator in [&first, &second, &third] {
        records.push(download(simulator, Method::WarningInstanceDownload).await);
    }

    // Compare warning numbers and texts: the times are relative to each poll, so they may
    // differ by a second between two simulators.
    let numbers = |records: &Value| -> Vec<Value> {
        records
            .as_array()
            .unwrap()
            .iter()
            .map(|record| json!([record["warningNo"], record["warningContent"]]))
            .collect()
    };
    assert_eq!(numbers(&records[0]), numbers(&records[1]));
    assert_ne!(numbers(&records[0]), numbers(&records[2]));
}

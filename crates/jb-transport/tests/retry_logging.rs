//! The warning `HttpTransport` logs for each retry.
//!
//! This test has a binary of its own. `tracing` caches per call site whether any subscriber
//! wants its events; a test running beside it on another thread with no subscriber can settle
//! that cache while this test installs its own, and the retry lines are then lost.

#![allow(clippy::unwrap_used)]

mod support;

use jb_transport::{Endpoint, GatewayRequest, HttpTransport, RetryPolicy, Transport};
use support::{LogCapture, Reply, Server, fast_retry, local_http};

fn transport(server: &Server, retry: RetryPolicy) -> HttpTransport {
    let endpoint: Endpoint = server.url("/gateway.do").parse().unwrap();
    HttpTransport::builder(endpoint)
        .http(local_http())
        .retry(retry)
        .build()
        .unwrap()
}

fn upload() -> GatewayRequest {
    GatewayRequest::new(
        "reportCaseUpload",
        "sn-upload-1",
        r#"{"method":"reportCaseUpload"}"#,
    )
}

#[tokio::test]
async fn send_logs_each_retry() {
    let logs = LogCapture::default();
    let _guard = logs.install();
    let server = Server::start(vec![
        Reply::status(503),
        Reply::status(500),
        Reply::ok("fine"),
    ])
    .await;
    let transport = transport(&server, fast_retry());

    transport.send(upload()).await.unwrap();

    let text = logs.text();
    let retries: Vec<&str> = text
        .lines()
        .filter(|line| line.contains("retrying"))
        .collect();
    assert_eq!(retries.len(), 2, "{text}");
    assert!(retries[0].contains("WARN"), "{text}");
    assert!(retries[0].contains("method=\"reportCaseUpload\""), "{text}");
    assert!(retries[0].contains("serial_no=\"sn-upload-1\""), "{text}");
    assert!(retries[0].contains("attempt=1"), "{text}");
    assert!(retries[0].contains("HTTP 503"), "{text}");
    assert!(retries[1].contains("attempt=2"), "{text}");
    assert!(retries[1].contains("HTTP 500"), "{text}");
}

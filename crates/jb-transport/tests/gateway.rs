//! `HttpTransport` against a scripted local server: success, retries, final failures,
//! timeouts, size limit and proxy.

#![allow(clippy::unwrap_used)]

mod support;

use std::time::{Duration, Instant};

use jb_transport::{
    Endpoint, GatewayRequest, HttpTransport, ProxyConfig, RetryPolicy, Transport, TransportError,
};
use support::{Reply, Server, fast_retry, local_http};

fn transport(server: &Server, retry: RetryPolicy) -> HttpTransport {
    let endpoint: Endpoint = server.url("/gateway.do").parse().unwrap();
    HttpTransport::builder(endpoint)
        .http(local_http())
        .retry(retry)
        .build()
        .unwrap()
}

fn download() -> GatewayRequest {
    GatewayRequest::new(
        "accidentDownload",
        "sn-download-1",
        r#"{"method":"accidentDownload"}"#,
    )
    .idempotent(true)
}

fn upload() -> GatewayRequest {
    GatewayRequest::new(
        "reportCaseUpload",
        "sn-upload-1",
        r#"{"method":"reportCaseUpload"}"#,
    )
}

#[tokio::test]
async fn send_posts_json_and_returns_body() {
    let server = Server::start(vec![Reply::ok(r#"{"returnCode":"0000"}"#)]).await;
    let transport = transport(&server, fast_retry());

    let response = transport.send(download()).await.unwrap();

    assert_eq!(&response.body[..], br#"{"returnCode":"0000"}"#);
    assert_eq!(response.attempts, 1);
    let seen = server.requests();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].request_line, "POST /gateway.do HTTP/1.1");
    assert_eq!(
        seen[0].header("content-type"),
        Some("application/json; charset=UTF-8")
    );
    assert_eq!(seen[0].body, br#"{"method":"accidentDownload"}"#);
}

#[tokio::test]
async fn send_retries_retryable_failures_then_succeeds() {
    let cases = [
        ("500", Reply::status(500)),
        ("502", Reply::status(502)),
        ("503", Reply::status(503)),
        ("504", Reply::status(504)),
        ("429", Reply::status(429)),
        ("dropped connection", Reply::Close),
        (
            "timeout",
            Reply::Delay(Duration::from_millis(1500), Box::new(Reply::ok("late"))),
        ),
    ];
    for (name, failure) in cases {
        let server = Server::start(vec![failure, Reply::ok("fine")]).await;
        let endpoint: Endpoint = server.url("/gateway.do").parse().unwrap();
        let transport = HttpTransport::builder(endpoint)
            .http(local_http().request_timeout(Duration::from_millis(500)))
            .retry(fast_retry())
            .build()
            .unwrap();

        let response = transport.send(upload()).await.unwrap();

        assert_eq!(response.body, "fine", "{name}");
        assert_eq!(response.attempts, 2, "{name}");
        assert_eq!(server.count(), 2, "{name}: requests seen");
    }
}

#[tokio::test]
async fn send_retry_resends_identical_envelope() {
    let server = Server::start(vec![Reply::status(503), Reply::ok("fine")]).await;
    let transport = transport(&server, fast_retry());

    transport.send(upload()).await.unwrap();

    let seen = server.requests();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].body, seen[1].body);
}

#[tokio::test]
async fn send_retries_refused_connection_until_server_starts() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let endpoint: Endpoint = format!("http://{address}/gateway.do").parse().unwrap();
    let retry = RetryPolicy::default()
        .max_attempts(20)
        .initial_backoff(Duration::from_millis(50))
        .max_backoff(Duration::from_millis(50));
    let transport = HttpTransport::builder(endpoint)
        .http(local_http())
        .retry(retry)
        .build()
        .unwrap();
    let starter = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let listener = tokio::net::TcpListener::bind(address).await.unwrap();
        Server::serve(listener, vec![Reply::ok("up")])
    });

    let response = transport.send(upload()).await.unwrap();

    assert_eq!(response.body, "up");
    assert!(response.attempts >= 2, "{}", response.attempts);
    let server = starter.await.unwrap();
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn send_refused_connection_reports_attempts() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let endpoint: Endpoint = format!("http://{address}/gateway.do").parse().unwrap();
    let transport = HttpTransport::builder(endpoint)
        .http(local_http())
        .retry(fast_retry())
        .build()
        .unwrap();

    let error = transport.send(download()).await.unwrap_err();

    assert!(
        matches!(error, TransportError::Connect { attempts: 3, .. }),
        "{error:?}"
    );
    assert!(!error.is_outcome_unknown());
}

#[tokio::test]
async fn send_does_not_retry_client_errors() {
    for status in [400, 401, 403, 404, 405] {
        let server = Server::start(vec![Reply::status(status), Reply::ok("never")]).await;
        let transport = transport(&server, fast_retry());

        let error = transport.send(download()).await.unwrap_err();

        assert!(
            matches!(error, TransportError::Status { status: seen, attempts: 1, .. } if seen == status),
            "{status}: {error:?}"
        );
        assert_eq!(server.count(), 1, "{status}: requests seen");
    }
}

#[tokio::test]
async fn send_gives_up_after_max_attempts() {
    let server = Server::start(vec![Reply::status(503)]).await;
    let transport = transport(&server, fast_retry());

    let error = transport.send(download()).await.unwrap_err();

    assert!(
        matches!(
            error,
            TransportError::Status {
                status: 503,
                attempts: 3,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(server.count(), 3);
}

#[tokio::test]
async fn send_stops_at_time_budget() {
    let server = Server::start(vec![Reply::status(500)]).await;
    let retry = RetryPolicy::default()
        .max_attempts(100)
        .initial_backoff(Duration::from_millis(100))
        .max_backoff(Duration::from_millis(100))
        .max_elapsed(Duration::from_millis(250));
    let transport = transport(&server, retry);

    let started = Instant::now();
    let error = transport.send(download()).await.unwrap_err();

    assert!(
        matches!(error, TransportError::Status { status: 500, .. }),
        "{error:?}"
    );
    assert!(server.count() >= 2, "requests seen: {}", server.count());
    assert!(server.count() <= 6, "requests seen: {}", server.count());
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn send_timeout_fires() {
    let server = Server::start(vec![Reply::Delay(
        Duration::from_secs(5),
        Box::new(Reply::ok("late")),
    )])
    .await;
    let endpoint: Endpoint = server.url("/gateway.do").parse().unwrap();
    let transport = HttpTransport::builder(endpoint)
        .http(local_http().request_timeout(Duration::from_millis(200)))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();

    let started = Instant::now();
    let error = transport.send(download()).await.unwrap_err();

    assert!(
        matches!(error, TransportError::Timeout { attempts: 1, .. }),
        "{error:?}"
    );
    assert!(error.is_outcome_unknown());
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn upload_not_retried_after_unknown_outcome_when_disabled() {
    let strict = fast_retry().retry_unknown_outcome(false);
    for status in [500, 502, 504] {
        let server = Server::start(vec![Reply::status(status), Reply::ok("fine")]).await;
        let client = transport(&server, strict.clone());

        let error = client.send(upload()).await.unwrap_err();

        assert!(error.is_outcome_unknown(), "{status}");
        assert_eq!(server.count(), 1, "{status}: requests seen");
    }

    let server = Server::start(vec![Reply::status(503), Reply::ok("fine")]).await;
    let client = transport(&server, strict.clone());
    assert_eq!(client.send(upload()).await.unwrap().body, "fine");
    assert_eq!(server.count(), 2, "503 proves the upload was not processed");

    let server = Server::start(vec![Reply::status(500), Reply::ok("fine")]).await;
    let client = transport(&server, strict);
    assert_eq!(client.send(download()).await.unwrap().body, "fine");
    assert_eq!(server.count(), 2, "downloads are idempotent");
}

#[tokio::test]
async fn send_rejects_oversized_response() {
    let server = Server::start(vec![Reply::ok(vec![b'x'; 2048])]).await;
    let endpoint: Endpoint = server.url("/gateway.do").parse().unwrap();
    let transport = HttpTransport::builder(endpoint)
        .http(local_http())
        .max_response_bytes(1024)
        .build()
        .unwrap();

    let error = transport.send(download()).await.unwrap_err();

    assert!(
        matches!(error, TransportError::ResponseTooLarge { limit: 1024, .. }),
        "{error:?}"
    );
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn send_rejects_oversized_response_without_length() {
    let server = Server::start(vec![Reply::Unsized {
        body: vec![b'x'; 4096],
        content_type: "application/json",
    }])
    .await;
    let endpoint: Endpoint = server.url("/gateway.do").parse().unwrap();
    let transport = HttpTransport::builder(endpoint)
        .http(local_http())
        .max_response_bytes(1024)
        .build()
        .unwrap();

    let error = transport.send(download()).await.unwrap_err();

    assert!(
        matches!(error, TransportError::ResponseTooLarge { .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn send_goes_through_configured_proxy() {
    let proxy = Server::start(vec![Reply::ok("via proxy")]).await;
    let gateway = Server::start(vec![Reply::ok("direct")]).await;
    let endpoint: Endpoint = gateway.url("/gateway.do").parse().unwrap();
    let http = local_http().proxy(ProxyConfig::Url {
        url: proxy.url(""),
        no_proxy: Some(String::new()),
    });
    let transport = HttpTransport::builder(endpoint).http(http).build().unwrap();

    let response = transport.send(download()).await.unwrap();

    assert_eq!(response.body, "via proxy");
    assert_eq!(gateway.count(), 0);
    let seen = proxy.requests();
    assert_eq!(seen.len(), 1);
    assert_eq!(
        seen[0].request_line,
        format!("POST {} HTTP/1.1", gateway.url("/gateway.do"))
    );
}

#[test]
fn builder_rejects_invalid_settings() {
    let endpoint = Endpoint::test();
    let error = HttpTransport::builder(endpoint.clone())
        .retry(RetryPolicy::default().max_attempts(0))
        .build()
        .unwrap_err();
    assert!(error.to_string().contains("max_attempts"), "{error}");

    let error = HttpTransport::builder(endpoint)
        .max_response_bytes(0)
        .build()
        .unwrap_err();
    assert!(error.to_string().contains("max_response_bytes"), "{error}");
}

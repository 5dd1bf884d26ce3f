//! `PhotoDownloader` against a scripted local server: streaming, checksum, expiry, size limit,
//! content type, status, retries and prefix rewrite.

#![allow(clippy::unwrap_used)]

mod support;

use std::time::Duration;

use jb_transport::{PhotoDownloader, PhotoError, RetryPolicy, TransportError};
use sha2::{Digest, Sha256};
use support::{Reply, Server, fast_retry, local_http};

/// An expiry far in the future (year 2286).
const LATER: &str = "e=9999999999";

fn downloader() -> PhotoDownloader {
    PhotoDownloader::builder()
        .http(local_http())
        .retry(fast_retry())
        .max_bytes(64 * 1024)
        .build()
        .unwrap()
}

fn jpeg(size: usize) -> Vec<u8> {
    (0..size).map(|index| (index % 251) as u8).collect()
}

#[tokio::test]
async fn download_to_writer_streams_and_hashes() {
    let photo = jpeg(10_000);
    let server = Server::start(vec![Reply::image(photo.clone())]).await;
    let url = server.url(&format!("/photos/1.jpg?token=abc&{LATER}"));

    let mut written = Vec::new();
    let result = downloader()
        .download_to_writer(&url, &mut written)
        .await
        .unwrap();

    assert_eq!(written, photo);
    assert_eq!(result.size, 10_000);
    assert_eq!(result.content_type, "image/jpeg");
    assert_eq!(result.sha256, <[u8; 32]>::from(Sha256::digest(&photo)));
    assert_eq!(result.attempts, 1);
    assert_eq!(
        server.requests()[0].request_line,
        format!("GET /photos/1.jpg?token=abc&{LATER} HTTP/1.1")
    );
}

#[tokio::test]
async fn download_refuses_expired_url_without_request() {
    let server = Server::start(vec![Reply::image(jpeg(10))]).await;
    let url = server.url("/photos/1.jpg?e=1530000000");

    let mut written = Vec::new();
    let error = downloader()
        .download_to_writer(&url, &mut written)
        .await
        .unwrap_err();

    assert!(
        matches!(
            error,
            PhotoError::Expired {
                expires_at: 1_530_000_000,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(server.count(), 0);
    assert!(written.is_empty());
}

#[tokio::test]
async fn download_to_file_refuses_expired_url_without_file() {
    let server = Server::start(vec![Reply::image(jpeg(10))]).await;
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("1.jpg");

    let error = downloader()
        .download_to_file(&server.url("/1.jpg?e=1"), &path)
        .await
        .unwrap_err();

    assert!(matches!(error, PhotoError::Expired { .. }), "{error:?}");
    assert_eq!(server.count(), 0);
    assert_eq!(std::fs::read_dir(directory.path()).unwrap().count(), 0);
}

#[tokio::test]
async fn download_rejects_malformed_expiry_without_request() {
    let server = Server::start(vec![Reply::image(jpeg(10))]).await;

    let error = downloader()
        .download_to_writer(&server.url("/1.jpg?e=soon"), &mut Vec::new())
        .await
        .unwrap_err();

    assert!(
        matches!(error, PhotoError::InvalidExpiry { .. }),
        "{error:?}"
    );
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn download_enforces_size_limit_from_length() {
    let server = Server::start(vec![Reply::image(jpeg(100_000))]).await;

    let mut written = Vec::new();
    let error = downloader()
        .download_to_writer(&server.url("/big.jpg"), &mut written)
        .await
        .unwrap_err();

    assert!(
        matches!(error, PhotoError::TooLarge { limit: 65_536, .. }),
        "{error:?}"
    );
    assert!(written.is_empty());
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn download_enforces_size_limit_while_streaming() {
    let server = Server::start(vec![Reply::Unsized {
        body: jpeg(100_000),
        content_type: "image/png",
    }])
    .await;

    let mut written = Vec::new();
    let error = downloader()
        .download_to_writer(&server.url("/big.png"), &mut written)
        .await
        .unwrap_err();

    assert!(matches!(error, PhotoError::TooLarge { .. }), "{error:?}");
    assert!(written.len() <= 65_536, "{} bytes written", written.len());
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn download_rejects_non_image_content_type() {
    let server = Server::start(vec![Reply::ok("<html>login</html>")]).await;

    let error = downloader()
        .download_to_writer(&server.url("/1.jpg"), &mut Vec::new())
        .await
        .unwrap_err();

    match error {
        PhotoError::ContentType { content_type, .. } => {
            assert_eq!(
                content_type.as_deref(),
                Some("application/json;charset=UTF-8")
            );
        }
        other => panic!("expected a content type error, got {other:?}"),
    }
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn download_does_not_retry_client_errors() {
    for status in [403, 404, 410] {
        let server = Server::start(vec![Reply::status(status), Reply::image(jpeg(10))]).await;

        let error = downloader()
            .download_to_writer(&server.url("/1.jpg"), &mut Vec::new())
            .await
            .unwrap_err();

        assert!(
            matches!(error, PhotoError::Status { status: seen, attempts: 1, .. } if seen == status),
            "{status}: {error:?}"
        );
        assert_eq!(server.count(), 1, "{status}: requests seen");
    }
}

#[tokio::test]
async fn download_retries_server_errors_then_succeeds() {
    for failure in [
        Reply::status(500),
        Reply::status(503),
        Reply::status(429),
        Reply::Close,
    ] {
        let server = Server::start(vec![failure.clone(), Reply::image(jpeg(500))]).await;

        let mut written = Vec::new();
        let result = downloader()
            .download_to_writer(&server.url("/1.jpg"), &mut written)
            .await
            .unwrap();

        assert_eq!(result.attempts, 2, "{failure:?}");
        assert_eq!(written, jpeg(500), "{failure:?}");
        assert_eq!(server.count(), 2, "{failure:?}");
    }
}

#[tokio::test]
async fn download_gives_up_after_max_attempts() {
    let server = Server::start(vec![Reply::status(502)]).await;

    let error = downloader()
        .download_to_writer(&server.url("/1.jpg"), &mut Vec::new())
        .await
        .unwrap_err();

    assert!(
        matches!(
            error,
            PhotoError::Status {
                status: 502,
                attempts: 3,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(server.count(), 3);
}

#[tokio::test]
async fn download_timeout_is_network_error() {
    let server = Server::start(vec![Reply::Delay(
        Duration::from_secs(5),
        Box::new(Reply::image(jpeg(10))),
    )])
    .await;
    let downloader = PhotoDownloader::builder()
        .http(local_http().request_timeout(Duration::from_millis(200)))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();

    let error = downloader
        .download_to_writer(&server.url("/1.jpg"), &mut Vec::new())
        .await
        .unwrap_err();

    assert!(
        matches!(error, PhotoError::Network(TransportError::Timeout { .. })),
        "{error:?}"
    );
}

#[tokio::test]
async fn download_to_writer_broken_body_is_incomplete() {
    let server = Server::start(vec![
        Reply::Truncated {
            declared: 1000,
            body: jpeg(400),
            content_type: "image/jpeg",
        },
        Reply::image(jpeg(1000)),
    ])
    .await;

    let mut written = Vec::new();
    let error = downloader()
        .download_to_writer(&server.url("/1.jpg"), &mut written)
        .await
        .unwrap_err();

    assert!(
        matches!(error, PhotoError::Incomplete { written: 400, .. }),
        "{error:?}"
    );
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn download_to_file_restarts_broken_body() {
    let photo = jpeg(1000);
    let server = Server::start(vec![
        Reply::Truncated {
            declared: 1000,
            body: jpeg(400),
            content_type: "image/jpeg",
        },
        Reply::image(photo.clone()),
    ])
    .await;
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("1.jpg");

    let result = downloader()
        .download_to_file(&server.url("/1.jpg"), &path)
        .await
        .unwrap();

    assert_eq!(std::fs::read(&path).unwrap(), photo);
    assert_eq!(result.sha256, <[u8; 32]>::from(Sha256::digest(&photo)));
    assert_eq!(result.attempts, 2);
    assert!(!directory.path().join("1.jpg.part").exists());
}

#[tokio::test]
async fn download_to_file_failure_leaves_no_file() {
    let server = Server::start(vec![Reply::image(jpeg(100_000))]).await;
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("1.jpg");

    let error = downloader()
        .download_to_file(&server.url("/1.jpg"), &path)
        .await
        .unwrap_err();

    assert!(matches!(error, PhotoError::TooLarge { .. }), "{error:?}");
    assert_eq!(std::fs::read_dir(directory.path()).unwrap().count(), 0);
}

#[tokio::test]
async fn download_to_file_reports_unwritable_path() {
    let server = Server::start(vec![Reply::image(jpeg(10))]).await;
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("missing-directory").join("1.jpg");

    let error = downloader()
        .download_to_file(&server.url("/1.jpg"), &path)
        .await
        .unwrap_err();

    assert!(
        matches!(error, PhotoError::Io { path: Some(_), .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn download_rewrites_outside_prefix_to_inside_address() {
    let server = Server::start(vec![Reply::image(jpeg(10))]).await;
    let downloader = PhotoDownloader::builder()
        .http(local_http())
        .rewrite_prefix(
            "https://photos.example.invalid/pub/",
            server.url("/inside/"),
        )
        .build()
        .unwrap();

    let url = format!("https://photos.example.invalid/pub/2018/1.jpg?{LATER}");
    downloader
        .download_to_writer(&url, &mut Vec::new())
        .await
        .unwrap();

    let seen = server.requests();
    assert_eq!(seen.len(), 1);
    assert_eq!(
        seen[0].request_line,
        format!("GET /inside/2018/1.jpg?{LATER} HTTP/1.1")
    );
}

#[tokio::test]
async fn download_error_hides_url_query() {
    let server = Server::start(vec![Reply::status(404)]).await;

    let error = downloader()
        .download_to_writer(&server.url("/1.jpg?token=secret-token"), &mut Vec::new())
        .await
        .unwrap_err();

    let text = error.to_string();
    assert!(text.contains("HTTP 404"), "{text}");
    assert!(!text.contains("secret-token"), "{text}");
}

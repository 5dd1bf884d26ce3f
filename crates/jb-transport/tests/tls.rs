//! TLS verification of `HttpTransport` and `PhotoDownloader` against an HTTPS server on
//! 127.0.0.1 whose certificate comes from a private CA made at run time.
//!
//! The server is rejected while its CA is unknown, accepted once the CA's PEM is added as a
//! root, and still rejected when its certificate names another host.

#![allow(clippy::unwrap_used, clippy::panic)]

mod support;

use jb_transport::{
    Endpoint, GatewayRequest, HttpConfig, HttpTransport, PhotoDownloader, PhotoError, Transport,
    TransportError,
};
use support::tls::{LOCAL_NAMES, TestCa, self_signed_config};
use support::{Reply, Server, fast_retry, local_http};

/// An access token in the photo URL, which no error message may repeat.
const TOKEN: &str = "token=photo-secret-1234";

/// An expiry far in the future (year 2286).
const LATER: &str = "e=9999999999";

fn transport(server: &Server, http: HttpConfig) -> HttpTransport {
    let endpoint: Endpoint = server.url("/gateway.do").parse().unwrap();
    HttpTransport::builder(endpoint)
        .http(http)
        .retry(fast_retry())
        .build()
        .unwrap()
}

fn downloader(http: HttpConfig) -> PhotoDownloader {
    PhotoDownloader::builder()
        .http(http)
        .retry(fast_retry())
        .build()
        .unwrap()
}

fn request() -> GatewayRequest {
    GatewayRequest::new(
        "accidentDownload",
        "sn-tls-1",
        r#"{"method":"accidentDownload"}"#,
    )
    .idempotent(true)
}

fn photo_url(server: &Server) -> String {
    server.url(&format!("/photos/1.jpg?{TOKEN}&{LATER}"))
}

async fn gateway_server(ca: &TestCa, names: &[&str]) -> Server {
    Server::start_tls(
        vec![Reply::ok(r#"{"returnCode":"0000"}"#)],
        ca.server_config(names),
    )
    .await
}

async fn photo_server(ca: &TestCa, names: &[&str]) -> Server {
    Server::start_tls(
        vec![Reply::image(b"jpeg bytes".to_vec())],
        ca.server_config(names),
    )
    .await
}

/// The transport error inside a photo error, which must be a network failure.
fn network_error(error: &PhotoError) -> &TransportError {
    match error {
        PhotoError::Network(inner) => inner,
        other => panic!("expected a network error, got {other:?}"),
    }
}

fn assert_unknown_issuer(error: &TransportError) {
    assert!(matches!(error, TransportError::Connect { .. }), "{error:?}");
    assert!(error.is_certificate_error(), "{error}");
    assert!(!error.is_retryable(), "{error}");
    assert!(!error.is_outcome_unknown(), "{error}");
    assert_eq!(error.attempts(), 1, "a rejected certificate is not retried");
    let text = error.to_string();
    assert!(text.contains("invalid peer certificate"), "{text}");
    assert!(text.contains("not signed by a trusted root"), "{text}");
    assert!(text.contains("add_root_certificates_file"), "{text}");
}

#[tokio::test]
async fn gateway_rejects_unknown_ca_by_default() {
    let ca = TestCa::new("jb-transport test CA");
    let server = gateway_server(&ca, LOCAL_NAMES).await;

    let error = transport(&server, local_http())
        .send(request())
        .await
        .unwrap_err();

    assert_unknown_issuer(&error);
    assert_eq!(
        server.count(),
        0,
        "no request may cross a rejected connection"
    );
}

#[tokio::test]
async fn photo_rejects_unknown_ca_by_default() {
    let ca = TestCa::new("jb-transport test CA");
    let server = photo_server(&ca, LOCAL_NAMES).await;

    let mut written = Vec::new();
    let error = downloader(local_http())
        .download_to_writer(&photo_url(&server), &mut written)
        .await
        .unwrap_err();

    assert_unknown_issuer(network_error(&error));
    assert!(written.is_empty());
    assert_eq!(server.count(), 0);
    let text = error.to_string();
    assert!(!text.contains("photo-secret"), "{text}");
    let chain = format!("{error:?}");
    assert!(!chain.contains("photo-secret"), "{chain}");
}

#[tokio::test]
async fn gateway_trusts_ca_added_from_file() {
    let ca = TestCa::new("jb-transport test CA");
    let server = gateway_server(&ca, LOCAL_NAMES).await;
    let directory = tempfile::tempdir().unwrap();
    let bundle = directory.path().join("roots.pem");
    std::fs::write(&bundle, ca.pem()).unwrap();

    let http = local_http().add_root_certificates_file(&bundle);
    let response = transport(&server, http).send(request()).await.unwrap();

    assert_eq!(&response.body[..], br#"{"returnCode":"0000"}"#);
    assert_eq!(response.attempts, 1);
    let seen = server.requests();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].request_line, "POST /gateway.do HTTP/1.1");
    assert_eq!(seen[0].body, br#"{"method":"accidentDownload"}"#);
}

#[tokio::test]
async fn gateway_trusts_ca_added_as_pem() {
    let ca = TestCa::new("jb-transport test CA");
    let server = gateway_server(&ca, LOCAL_NAMES).await;

    let http = local_http().add_root_certificates_pem(ca.pem());
    let response = transport(&server, http).send(request()).await.unwrap();

    assert_eq!(&response.body[..], br#"{"returnCode":"0000"}"#);
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn photo_trusts_ca_added_from_file() {
    let ca = TestCa::new("jb-transport test CA");
    let server = photo_server(&ca, LOCAL_NAMES).await;
    let directory = tempfile::tempdir().unwrap();
    let bundle = directory.path().join("roots.pem");
    std::fs::write(&bundle, ca.pem()).unwrap();
    let target = directory.path().join("1.jpg");

    let http = local_http().add_root_certificates_file(&bundle);
    let photo = downloader(http)
        .download_to_file(&photo_url(&server), &target)
        .await
        .unwrap();

    assert_eq!(std::fs::read(&target).unwrap(), b"jpeg bytes");
    assert_eq!(photo.size, 10);
    assert_eq!(photo.content_type, "image/jpeg");
    assert_eq!(
        server.requests()[0].request_line,
        format!("GET /photos/1.jpg?{TOKEN}&{LATER} HTTP/1.1")
    );
}

#[tokio::test]
async fn photo_trusts_ca_added_as_pem() {
    let ca = TestCa::new("jb-transport test CA");
    let server = photo_server(&ca, LOCAL_NAMES).await;

    let mut written = Vec::new();
    let http = local_http().add_root_certificates_pem(ca.pem());
    let photo = downloader(http)
        .download_to_writer(&photo_url(&server), &mut written)
        .await
        .unwrap();

    assert_eq!(written, b"jpeg bytes");
    assert_eq!(photo.attempts, 1);
}

#[tokio::test]
async fn bundle_with_several_roots_trusts_each() {
    let unrelated = TestCa::new("unrelated test CA");
    let ca = TestCa::new("jb-transport test CA");
    let server = gateway_server(&ca, LOCAL_NAMES).await;

    // The server's CA comes second in the bundle, so reading only the first block fails.
    let bundle = format!("{}{}", unrelated.pem(), ca.pem());
    let http = local_http().add_root_certificates_pem(bundle);
    let response = transport(&server, http).send(request()).await.unwrap();

    assert_eq!(response.attempts, 1);
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn unrelated_ca_does_not_open_verification() {
    let unrelated = TestCa::new("unrelated test CA");
    let ca = TestCa::new("jb-transport test CA");
    let server = gateway_server(&ca, LOCAL_NAMES).await;

    let http = local_http().add_root_certificates_pem(unrelated.pem());
    let error = transport(&server, http).send(request()).await.unwrap_err();

    assert_unknown_issuer(&error);
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn gateway_rejects_other_host_name_with_ca_added() {
    let ca = TestCa::new("jb-transport test CA");
    let server = gateway_server(&ca, &["photos.example.invalid"]).await;

    let http = local_http().add_root_certificates_pem(ca.pem());
    let error = transport(&server, http).send(request()).await.unwrap_err();

    assert!(error.is_certificate_error(), "{error}");
    assert_eq!(error.attempts(), 1);
    let text = error.to_string();
    assert!(text.contains("certificate not valid for name"), "{text}");
    assert!(text.contains("issued for another host name"), "{text}");
    assert!(!text.contains("add_root_certificates"), "{text}");
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn photo_rejects_other_host_name_with_ca_added() {
    let ca = TestCa::new("jb-transport test CA");
    let server = photo_server(&ca, &["photos.example.invalid"]).await;

    let mut written = Vec::new();
    let http = local_http().add_root_certificates_pem(ca.pem());
    let error = downloader(http)
        .download_to_writer(&photo_url(&server), &mut written)
        .await
        .unwrap_err();

    let network = network_error(&error);
    assert!(network.is_certificate_error(), "{error}");
    assert_eq!(network.attempts(), 1);
    assert!(
        error.to_string().contains("issued for another host name"),
        "{error}"
    );
    assert!(written.is_empty());
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn self_signed_server_trusted_once_added() {
    let (config, pem) = self_signed_config(LOCAL_NAMES);
    let server = Server::start_tls(vec![Reply::ok("self-signed")], config).await;

    let error = transport(&server, local_http())
        .send(request())
        .await
        .unwrap_err();
    assert_unknown_issuer(&error);

    let http = local_http().add_root_certificates_pem(pem);
    let response = transport(&server, http).send(request()).await.unwrap();
    assert_eq!(&response.body[..], b"self-signed");
    assert_eq!(server.count(), 1);
}

//! Proxy settings read from `HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY` and `NO_PROXY`.
//!
//! The HTTP client reads these variables when it is built, and a test cannot set them in its
//! own process without `unsafe`. So each test starts this test binary again as a child
//! process with the variables set and a filter that runs only [`proxy_env_child_request`].
//! The child builds a client and makes one request. The parent runs the target server and
//! the proxy stub on 127.0.0.1 and checks which of them received the request.

#![allow(clippy::unwrap_used, clippy::panic)]

mod support;

use std::time::Duration;

use jb_transport::{
    Endpoint, GatewayRequest, HttpConfig, HttpTransport, PhotoDownloader, ProxyConfig, RetryPolicy,
    Transport,
};
use support::tls::{LOCAL_NAMES, TestCa};
use support::tunnel::TunnelProxy;
use support::{Reply, Server};

/// Name of the test that the child process runs.
const CHILD_TEST: &str = "proxy_env_child_request";

/// URL that the child requests.
const TARGET_VAR: &str = "JB_TRANSPORT_TEST_TARGET";
/// `gateway` (an `HttpTransport` POST) or `photo` (a `PhotoDownloader` GET).
const CLIENT_VAR: &str = "JB_TRANSPORT_TEST_CLIENT";
/// `environment`, `disabled` or `url`: the child's `ProxyConfig`.
const PROXY_MODE_VAR: &str = "JB_TRANSPORT_TEST_PROXY_MODE";
/// The proxy URL of the `url` mode.
const PROXY_URL_VAR: &str = "JB_TRANSPORT_TEST_PROXY_URL";
/// Optional path of a PEM root bundle to trust.
const ROOTS_VAR: &str = "JB_TRANSPORT_TEST_ROOTS";

/// Marker before the response body in the child's output. The test harness may print its own
/// progress text before it on the same line.
const BODY_PREFIX: &str = "child response body: ";

/// Variables that change the child's proxy. All are cleared before a scenario sets its own,
/// so the proxy settings of the machine running the tests do not leak in. `REQUEST_METHOD`
/// is cleared because the HTTP client ignores every proxy variable while it is set.
const PROXY_VARIABLES: &[&str] = &[
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
    "REQUEST_METHOD",
];

/// One child run: the child's settings and its environment.
struct Child<'a> {
    target: String,
    client: &'a str,
    proxy_mode: &'a str,
    proxy_url: Option<String>,
    roots: Option<std::path::PathBuf>,
    env: Vec<(&'a str, String)>,
}

impl<'a> Child<'a> {
    fn gateway(server: &Server) -> Self {
        Self {
            target: server.url("/gateway.do"),
            client: "gateway",
            proxy_mode: "environment",
            proxy_url: None,
            roots: None,
            env: Vec::new(),
        }
    }

    fn env(mut self, name: &'a str, value: impl Into<String>) -> Self {
        self.env.push((name, value.into()));
        self
    }

    /// Runs the child and returns the response body it printed; fails the test if the child
    /// failed.
    async fn run(self) -> String {
        let mut command = tokio::process::Command::new(std::env::current_exe().unwrap());
        command
            .args([CHILD_TEST, "--exact", "--ignored", "--nocapture"])
            .args(["--test-threads", "1"])
            .kill_on_drop(true);
        for name in PROXY_VARIABLES {
            command.env_remove(name);
        }
        command
            .env(TARGET_VAR, &self.target)
            .env(CLIENT_VAR, self.client)
            .env(PROXY_MODE_VAR, self.proxy_mode);
        if let Some(url) = &self.proxy_url {
            command.env(PROXY_URL_VAR, url);
        }
        if let Some(path) = &self.roots {
            command.env(ROOTS_VAR, path);
        }
        for (name, value) in &self.env {
            command.env(name, value);
        }

        let output = tokio::time::timeout(Duration::from_secs(60), command.output())
            .await
            .expect("the child process did not finish within 60 s")
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success(),
            "child failed with {}\nstdout:\n{stdout}\nstderr:\n{stderr}",
            output.status
        );
        assert!(
            stdout.contains("1 passed"),
            "the filter did not select the child test\nstdout:\n{stdout}"
        );
        stdout
            .lines()
            .find_map(|line| line.split_once(BODY_PREFIX).map(|(_, body)| body))
            .unwrap_or_else(|| panic!("the child printed no response body\nstdout:\n{stdout}"))
            .to_owned()
    }
}

async fn target_and_stub() -> (Server, Server) {
    let target = Server::start(vec![Reply::ok("direct")]).await;
    let stub = Server::start(vec![Reply::ok("via proxy")]).await;
    (target, stub)
}

#[tokio::test]
async fn environment_proxy_variables_carry_http_request() {
    for variable in ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"] {
        let (target, stub) = target_and_stub().await;

        let body = Child::gateway(&target)
            .env(variable, stub.url(""))
            .run()
            .await;

        assert_eq!(body, "via proxy", "{variable}");
        assert_eq!(
            target.count(),
            0,
            "{variable}: the target was reached directly"
        );
        let seen = stub.requests();
        assert_eq!(seen.len(), 1, "{variable}");
        // A proxied plain-HTTP request names the whole target URL in its request line.
        assert_eq!(
            seen[0].request_line,
            format!("POST http://{}/gateway.do HTTP/1.1", target.address),
            "{variable}"
        );
        assert_eq!(
            seen[0].body, br#"{"method":"accidentDownload"}"#,
            "{variable}"
        );
    }
}

#[tokio::test]
async fn environment_no_proxy_bypasses_proxy() {
    let cases = [
        ("NO_PROXY", "127.0.0.1"),
        ("no_proxy", "127.0.0.1"),
        ("NO_PROXY", "127.0.0.0/8"),
        ("NO_PROXY", "photos.example.invalid, 127.0.0.1"),
    ];
    for (variable, list) in cases {
        let (target, stub) = target_and_stub().await;

        let body = Child::gateway(&target)
            .env("HTTP_PROXY", stub.url(""))
            .env(variable, list)
            .run()
            .await;

        assert_eq!(body, "direct", "{variable}={list}");
        assert_eq!(target.count(), 1, "{variable}={list}");
        assert_eq!(stub.count(), 0, "{variable}={list}: the proxy was used");
    }
}

#[tokio::test]
async fn environment_no_proxy_matches_host_as_written() {
    // Entries are compared with the URL's host as written: a host name never covers an IP
    // address, and `*` covers every host name but no IP address.
    for list in ["photos.example.invalid,10.0.0.0/8", "localhost", "*"] {
        let (target, stub) = target_and_stub().await;

        let body = Child::gateway(&target)
            .env("HTTP_PROXY", stub.url(""))
            .env("NO_PROXY", list)
            .run()
            .await;

        assert_eq!(body, "via proxy", "NO_PROXY={list}");
        assert_eq!(target.count(), 0, "NO_PROXY={list}");
        assert_eq!(stub.count(), 1, "NO_PROXY={list}");
    }
}

#[tokio::test]
async fn environment_proxy_ignored_under_cgi() {
    let (target, stub) = target_and_stub().await;

    let body = Child::gateway(&target)
        .env("HTTP_PROXY", stub.url(""))
        .env("ALL_PROXY", stub.url(""))
        .env("REQUEST_METHOD", "GET")
        .run()
        .await;

    assert_eq!(body, "direct");
    assert_eq!(stub.count(), 0);
}

#[tokio::test]
async fn disabled_proxy_ignores_environment() {
    let (target, stub) = target_and_stub().await;
    let mut child = Child::gateway(&target)
        .env("HTTP_PROXY", stub.url(""))
        .env("HTTPS_PROXY", stub.url(""))
        .env("ALL_PROXY", stub.url(""));
    child.proxy_mode = "disabled";

    let body = child.run().await;

    assert_eq!(body, "direct");
    assert_eq!(target.count(), 1);
    assert_eq!(stub.count(), 0);
}

#[tokio::test]
async fn configured_proxy_reads_no_proxy_from_environment() {
    // `ProxyConfig::Url` without its own list takes the bypass list from `NO_PROXY`.
    let (target, stub) = target_and_stub().await;
    let mut child = Child::gateway(&target).env("NO_PROXY", "127.0.0.1");
    child.proxy_mode = "url";
    child.proxy_url = Some(stub.url(""));
    assert_eq!(child.run().await, "direct");
    assert_eq!(stub.count(), 0);

    let (target, stub) = target_and_stub().await;
    let mut child = Child::gateway(&target);
    child.proxy_mode = "url";
    child.proxy_url = Some(stub.url(""));
    assert_eq!(child.run().await, "via proxy");
    assert_eq!(target.count(), 0);
}

#[tokio::test]
async fn environment_proxy_carries_photo_download() {
    let target = Server::start(vec![Reply::image(b"direct photo".to_vec())]).await;
    let stub = Server::start(vec![Reply::image(b"proxied photo".to_vec())]).await;
    let mut child = Child::gateway(&target).env("HTTP_PROXY", stub.url(""));
    child.target = target.url("/photos/1.jpg?token=abc&e=9999999999");
    child.client = "photo";

    let body = child.run().await;

    assert_eq!(body, "proxied photo");
    assert_eq!(target.count(), 0);
    assert_eq!(
        stub.requests()[0].request_line,
        format!(
            "GET http://{}/photos/1.jpg?token=abc&e=9999999999 HTTP/1.1",
            target.address
        )
    );
}

#[tokio::test]
async fn environment_https_proxy_tunnels_tls() {
    let ca = TestCa::new("jb-transport test CA");
    let target = Server::start_tls(vec![Reply::ok("secure")], ca.server_config(LOCAL_NAMES)).await;
    let tunnel = TunnelProxy::start().await;
    let plain_stub = Server::start(vec![Reply::ok("via plain proxy")]).await;
    let directory = tempfile::tempdir().unwrap();
    let roots = directory.path().join("roots.pem");
    std::fs::write(&roots, ca.pem()).unwrap();

    // `HTTP_PROXY` applies only to http:// URLs, so the plain stub must stay unused.
    let mut child = Child::gateway(&target)
        .env("HTTPS_PROXY", tunnel.url())
        .env("HTTP_PROXY", plain_stub.url(""));
    child.roots = Some(roots);
    let body = child.run().await;

    assert_eq!(body, "secure");
    assert_eq!(
        tunnel.requests(),
        vec![format!("CONNECT {} HTTP/1.1", target.address)]
    );
    assert_eq!(plain_stub.count(), 0);
    // Through the tunnel the server receives an ordinary request with a relative path.
    let seen = target.requests();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].request_line, "POST /gateway.do HTTP/1.1");
}

/// Makes the request inside the child process that the other tests start with the variables
/// above set. Run on its own it fails, because `JB_TRANSPORT_TEST_TARGET` is not set.
#[tokio::test]
#[ignore = "runs in a child process started by the other tests in this file"]
async fn proxy_env_child_request() {
    let target = std::env::var(TARGET_VAR)
        .expect("JB_TRANSPORT_TEST_TARGET is unset: this test runs only as a child process");
    let proxy = match std::env::var(PROXY_MODE_VAR).unwrap().as_str() {
        "environment" => ProxyConfig::Environment,
        "disabled" => ProxyConfig::Disabled,
        "url" => ProxyConfig::Url {
            url: std::env::var(PROXY_URL_VAR).unwrap(),
            no_proxy: None,
        },
        other => panic!("unknown proxy mode {other}"),
    };
    let mut http = HttpConfig::default()
        .proxy(proxy)
        .connect_timeout(Duration::from_secs(5))
        .request_timeout(Duration::from_secs(10));
    if let Ok(path) = std::env::var(ROOTS_VAR) {
        http = http.add_root_certificates_file(path);
    }
    let retry = RetryPolicy::default().max_attempts(1);

    let body = match std::env::var(CLIENT_VAR).unwrap().as_str() {
        "gateway" => {
            let endpoint: Endpoint = target.parse().unwrap();
            let transport = HttpTransport::builder(endpoint)
                .http(http)
                .retry(retry)
                .build()
                .unwrap();
            let request = GatewayRequest::new(
                "accidentDownload",
                "sn-proxy-1",
                r#"{"method":"accidentDownload"}"#,
            );
            transport.send(request).await.unwrap().body.to_vec()
        }
        "photo" => {
            let downloader = PhotoDownloader::builder()
                .http(http)
                .retry(retry)
                .build()
                .unwrap();
            let mut written = Vec::new();
            downloader
                .download_to_writer(&target, &mut written)
                .await
                .unwrap();
            written
        }
        other => panic!("unknown client {other}"),
    };
    println!("{BODY_PREFIX}{}", String::from_utf8_lossy(&body));
}

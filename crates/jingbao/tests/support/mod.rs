//! A stand-in platform gateway for client tests: an axum server on 127.0.0.1 that opens each
//! request with `jb-proto`, records it, and replies as the test's script sets out.

#![allow(dead_code, unreachable_pub, clippy::unwrap_used)]

use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use jingbao::crypto::AppKey;
use jingbao::proto::{Codec, Method, OpenedRequest, ResponsePayload, SerialNo, TimeStamp};
use jingbao::transport::{HttpConfig, ProxyConfig, RetryPolicy};
use jingbao::{Client, transport::HttpTransport};

pub const APP_ID: &str = "APP20240001";
/// A distinctive key, so a test can search the logs for it.
pub const APP_KEY: &str = "k3y-Zq9-never-in-logs";

/// What the platform replies to one request.
#[derive(Clone, Debug)]
pub enum Answer {
    /// `0000` with `data` encrypted.
    Encrypted(String),
    /// `0000` with `data` as plain text.
    Plain(String),
    /// Another returnCode with a message, signed.
    Code(&'static str, String),
    /// `0000` with encrypted data and a sign that does not match.
    BadSign(String),
    /// `0000` sealed for another appId.
    OtherAppId(String),
    /// A bare HTTP status with no envelope.
    Status(u16),
    /// Waits, then replies like the inner reply.
    Delay(Duration, Box<Answer>),
}

struct Inner {
    codec: Codec,
    script: Vec<Answer>,
    requests: Vec<OpenedRequest>,
    raw_count: usize,
}

/// A running stand-in platform.
pub struct Platform {
    pub address: SocketAddr,
    inner: Arc<Mutex<Inner>>,
}

impl Platform {
    /// Starts the platform. Replies are used in order, and the last one repeats.
    pub async fn start(script: Vec<Answer>) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let inner = Arc::new(Mutex::new(Inner {
            codec: Codec::new(APP_ID, AppKey::new(APP_KEY)),
            script,
            requests: Vec::new(),
            raw_count: 0,
        }));
        let router = Router::new()
            .route("/gateway.do", post(gateway))
            .route("/photos/{name}", get(photo))
            .with_state(Arc::clone(&inner));
        tokio::spawn(async move { axum::serve(listener, router).await });
        Self { address, inner }
    }

    pub fn gateway(&self) -> String {
        format!("http://{}/gateway.do", self.address)
    }

    /// Requests that reached the gateway, opened or not.
    pub fn count(&self) -> usize {
        self.inner.lock().unwrap().raw_count
    }

    /// Requests that opened with the platform's codec.
    pub fn requests(&self) -> Vec<OpenedRequest> {
        self.inner.lock().unwrap().requests.clone()
    }

    /// A client of this platform with fast retries and short timeouts.
    pub fn client(&self) -> Client<HttpTransport> {
        self.client_with(fast_retry(), Duration::from_secs(2))
    }

    pub fn client_with(&self, retry: RetryPolicy, timeout: Duration) -> Client<HttpTransport> {
        Client::builder()
            .endpoint(self.gateway().parse().unwrap())
            .app_id(APP_ID)
            .app_key(AppKey::new(APP_KEY))
            .insurance_code("CPIC")
            .http(
                HttpConfig::default()
                    .proxy(ProxyConfig::Disabled)
                    .request_timeout(timeout),
            )
            .retry(retry)
            .build()
            .unwrap()
    }
}

pub fn fast_retry() -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(3)
        .initial_backoff(Duration::from_millis(10))
        .max_backoff(Duration::from_millis(40))
}

/// Reads a file of `tests/data`.
pub fn data(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    std::fs::read_to_string(path).unwrap()
}

async fn gateway(State(inner): State<Arc<Mutex<Inner>>>, body: Bytes) -> Response {
    let (answer, codec, method) = {
        let mut inner = inner.lock().unwrap();
        inner.raw_count += 1;
        let opened = inner.codec.open_request(&body, &Default::default());
        let method = opened
            .as_ref()
            .map_or(Method::WarningInstanceDownload, |request| request.method);
        if let Ok(request) = opened {
            inner.requests.push(request);
        }
        let answer = if inner.script.len() > 1 {
            inner.script.remove(0)
        } else {
            inner.script[0].clone()
        };
        (answer, inner.codec.clone(), method)
    };
    reply(answer, &codec, method).await
}

async fn reply(mut answer: Answer, codec: &Codec, method: Method) -> Response {
    while let Answer::Delay(wait, inner) = answer {
        tokio::time::sleep(wait).await;
        answer = *inner;
    }
    let seal = |code: &str, message: &str, payload: ResponsePayload<'_>| {
        codec
            .seal_response(
                method,
                SerialNo::generate(),
                TimeStamp::now(),
                code,
                message,
                payload,
            )
            .to_json()
    };
    let body = match answer {
        Answer::Encrypted(data) => seal("0000", "成功", ResponsePayload::Encrypt(&data)),
        Answer::Plain(data) => seal("0000", "成功", ResponsePayload::Plain(&data)),
        Answer::Code(code, message) => seal(code, &message, ResponsePayload::Plain("")),
        Answer::BadSign(data) => {
            let mut envelope = codec.seal_response(
                method,
                SerialNo::generate(),
                TimeStamp::now(),
                "0000",
                "成功",
                ResponsePayload::Encrypt(&data),
            );
            envelope.sign = "0000000000000000000000000000000000000000".into();
            envelope.to_json()
        }
        Answer::OtherAppId(data) => Codec::new("SOMEONE-ELSE", AppKey::new(APP_KEY))
            .seal_response(
                method,
                SerialNo::generate(),
                TimeStamp::now(),
                "0000",
                "成功",
                ResponsePayload::Encrypt(&data),
            )
            .to_json(),
        Answer::Status(status) => {
            return (StatusCode::from_u16(status).unwrap(), "unavailable").into_response();
        }
        Answer::Delay(..) => unreachable!("delays are unwrapped above"),
    };
    (
        [(header::CONTENT_TYPE, "application/json;charset=UTF-8")],
        body,
    )
        .into_response()
}

async fn photo() -> Response {
    (
        [(header::CONTENT_TYPE, "image/jpeg")],
        vec![0xFF_u8, 0xD8, 0xFF, 0xE0, 1, 2, 3],
    )
        .into_response()
}

/// Collects formatted log output of the current thread at TRACE level.
#[derive(Clone, Default)]
pub struct LogCapture(Arc<Mutex<Vec<u8>>>);

impl LogCapture {
    pub fn install(&self) -> tracing::subscriber::DefaultGuard {
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(self.clone())
            .finish();
        tracing::subscriber::set_default(subscriber)
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl std::io::Write for LogCapture {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for LogCapture {
    type Writer = LogCapture;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

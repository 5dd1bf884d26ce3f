//! A scripted HTTP/1.1 server on 127.0.0.1 for transport tests.
//!
//! It speaks raw HTTP over TCP, or over TLS with a test certificate, so that tests can also
//! drop connections, stall, and cut bodies short, which a framework server does not do on
//! purpose. Each connection serves one request and is closed; replies are taken from the
//! script in order, and the last one repeats.

#![allow(dead_code, unreachable_pub)]

pub mod tls;
pub mod tunnel;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

/// What the server does with one request.
#[derive(Clone, Debug)]
pub enum Reply {
    /// A complete response.
    Respond {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: Vec<u8>,
    },
    /// Headers declaring `declared` bytes, then only `body`, then the connection closes.
    Truncated {
        declared: usize,
        body: Vec<u8>,
        content_type: &'static str,
    },
    /// A body without `Content-Length`, ended by closing the connection.
    Unsized {
        body: Vec<u8>,
        content_type: &'static str,
    },
    /// Closes the connection without a response.
    Close,
    /// Waits, then replies like the inner reply.
    Delay(Duration, Box<Reply>),
}

impl Reply {
    pub fn ok(body: impl Into<Vec<u8>>) -> Self {
        Self::Respond {
            status: 200,
            headers: vec![("Content-Type", "application/json;charset=UTF-8".to_owned())],
            body: body.into(),
        }
    }

    pub fn image(body: impl Into<Vec<u8>>) -> Self {
        Self::Respond {
            status: 200,
            headers: vec![("Content-Type", "image/jpeg".to_owned())],
            body: body.into(),
        }
    }

    pub fn status(status: u16) -> Self {
        Self::Respond {
            status,
            headers: vec![("Content-Type", "text/plain".to_owned())],
            body: format!("status {status}").into_bytes(),
        }
    }
}

/// One request as the server saw it.
#[derive(Clone, Debug)]
pub struct Seen {
    pub request_line: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// A running scripted server.
pub struct Server {
    pub address: SocketAddr,
    scheme: &'static str,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    pub async fn start(script: Vec<Reply>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        Self::serve(listener, script)
    }

    /// Serves on an already bound listener (used to bring a server up on a known port).
    pub fn serve(listener: TcpListener, script: Vec<Reply>) -> Self {
        Self::serve_with(listener, script, None)
    }

    /// Serves plain HTTP, or HTTPS when `tls` is given. A connection whose TLS handshake
    /// fails is dropped without reaching the script.
    fn serve_with(listener: TcpListener, script: Vec<Reply>, tls: Option<TlsAcceptor>) -> Self {
        let address = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let script = Arc::new(Mutex::new(script));
        let log = Arc::clone(&seen);
        let scheme = if tls.is_some() { "https" } else { "http" };
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let script = Arc::clone(&script);
                let log = Arc::clone(&log);
                let tls = tls.clone();
                tokio::spawn(async move {
                    match tls {
                        None => handle(stream, script, log).await,
                        Some(acceptor) => {
                            if let Ok(stream) = acceptor.accept(stream).await {
                                handle(stream, script, log).await;
                            }
                        }
                    }
                });
            }
        });
        Self {
            address,
            scheme,
            seen,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}://{}{path}", self.scheme, self.address)
    }

    pub fn requests(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    pub fn count(&self) -> usize {
        self.seen.lock().unwrap().len()
    }
}

async fn handle<S>(mut stream: S, script: Arc<Mutex<Vec<Reply>>>, log: Arc<Mutex<Vec<Seen>>>)
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let Some(seen) = read_request(&mut stream).await else {
        return;
    };
    log.lock().unwrap().push(seen);
    let reply = {
        let mut script = script.lock().unwrap();
        if script.len() > 1 {
            script.remove(0)
        } else {
            script.first().cloned().unwrap_or(Reply::Close)
        }
    };
    answer(&mut stream, reply).await;
}

async fn answer<S: AsyncWrite + Unpin>(stream: &mut S, reply: Reply) {
    let mut reply = reply;
    while let Reply::Delay(wait, inner) = reply {
        tokio::time::sleep(wait).await;
        reply = *inner;
    }
    let bytes = match reply {
        Reply::Respond {
            status,
            headers,
            body,
        } => {
            let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
            for (name, value) in headers {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
            head.push_str(&format!(
                "Content-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            ));
            [head.into_bytes(), body].concat()
        }
        Reply::Truncated {
            declared,
            body,
            content_type,
        } => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {declared}\r\nConnection: close\r\n\r\n"
            );
            [head.into_bytes(), body].concat()
        }
        Reply::Unsized { body, content_type } => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nConnection: close\r\n\r\n"
            );
            [head.into_bytes(), body].concat()
        }
        Reply::Close | Reply::Delay(..) => Vec::new(),
    };
    let _ = stream.write_all(&bytes).await;
    let _ = stream.shutdown().await;
}

async fn read_request<S: AsyncRead + Unpin>(stream: &mut S) -> Option<Seen> {
    let mut buffer = Vec::new();
    let mut chunk = [0_u8; 4096];
    let head_end = loop {
        if let Some(position) = buffer.windows(4).position(|window| window == b"\r\n\r\n") {
            break position;
        }
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
    };

    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let request_line = lines.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_owned(), value.trim().to_owned()))
        .collect();
    let length = headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.parse::<usize>().ok())
        .unwrap_or(0);

    let mut body = buffer[head_end + 4..].to_vec();
    while body.len() < length {
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..read]);
    }
    Some(Seen {
        request_line,
        headers,
        body,
    })
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

/// A fast policy for tests: short waits, several attempts.
pub fn fast_retry() -> jb_transport::RetryPolicy {
    jb_transport::RetryPolicy::default()
        .max_attempts(3)
        .initial_backoff(Duration::from_millis(10))
        .max_backoff(Duration::from_millis(40))
        .max_elapsed(Duration::from_secs(10))
}

/// HTTP settings for tests: no proxy from the environment, short timeouts.
pub fn local_http() -> jb_transport::HttpConfig {
    jb_transport::HttpConfig::default()
        .proxy(jb_transport::ProxyConfig::Disabled)
        .connect_timeout(Duration::from_secs(2))
        .request_timeout(Duration::from_secs(2))
}

/// Collects formatted log output of the current thread.
#[derive(Clone, Default)]
pub struct LogCapture(Arc<Mutex<Vec<u8>>>);

impl LogCapture {
    /// Installs a subscriber at TRACE level for the current thread; logs end when the guard drops.
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

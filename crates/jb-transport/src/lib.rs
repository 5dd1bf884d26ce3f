//! HTTP transport of the Shenzhen police-insurance platform (深圳市警保信息共享平台) client.
//!
//! Every platform call is an HTTP POST of one JSON envelope to one gateway URL. This crate
//! moves those envelopes as bytes, labelled with the method name and the `serialNo` for logs.
//! It does not read the envelope's contents, which `jb-proto` seals and opens.
//!
//! - [`Transport`] is the seam: one request body out, one response body back.
//!   [`HttpTransport`] implements it with reqwest over rustls (no OpenSSL), on tokio.
//! - [`Endpoint`] is the gateway: [`TEST_GATEWAY`], [`PRODUCTION_GATEWAY`] or any `http(s)` URL.
//! - [`HttpConfig`] sets the connect and whole-request timeouts, extra trusted root
//!   certificates and the proxy. TLS verification cannot be turned off.
//! - [`RetryPolicy`] retries connection failures, timeouts, HTTP 5xx and 429 with exponential
//!   backoff and jitter, bounded by attempts and total time, never a 4xx. A download's retry
//!   is sealed afresh under a new `serialNo` ([`GatewayRequest::reseal_with`]); an upload's
//!   retry repeats its `serialNo`. The policy's documentation explains both choices.
//! - [`PhotoDownloader`] streams accident photos to a file or writer with a size limit, a
//!   SHA-256 and an expiry check that sends nothing for an expired link.
//!
//! ```
//! use axum::{Router, routing::post};
//! use jb_transport::{Endpoint, GatewayRequest, HttpConfig, HttpTransport, ProxyConfig, Transport};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // A stand-in gateway on a free local port.
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! let address = listener.local_addr()?;
//! let gateway = Router::new().route("/gateway.do", post(|body: String| async move { body }));
//! tokio::spawn(async move { axum::serve(listener, gateway).await });
//!
//! let endpoint: Endpoint = format!("http://{address}/gateway.do").parse()?;
//! let transport = HttpTransport::builder(endpoint)
//!     .http(HttpConfig::default().proxy(ProxyConfig::Disabled))
//!     .build()?;
//!
//! let request = GatewayRequest::new("accidentDownload", "sn0001", r#"{"method":"accidentDownload"}"#)
//!     .idempotent(true);
//! let response = transport.send(request).await?;
//! assert_eq!(&response.body[..], br#"{"method":"accidentDownload"}"#);
//! assert_eq!(response.attempts, 1);
//! # Ok(())
//! # }
//! ```

mod attempt;
mod endpoint;
mod error;
mod error_chain;
mod http_config;
mod http_transport;
mod photo;
mod photo_error;
mod photo_url;
mod retry;
mod transport;

pub use crate::endpoint::{Endpoint, PRODUCTION_GATEWAY, TEST_GATEWAY};
pub use crate::error::{BoxError, BuildError, TransportError};
pub use crate::http_config::{HttpConfig, ProxyConfig};
pub use crate::http_transport::{HttpTransport, HttpTransportBuilder};
pub use crate::photo::{Photo, PhotoDownloader, PhotoDownloaderBuilder};
pub use crate::photo_error::PhotoError;
pub use crate::retry::RetryPolicy;
pub use crate::transport::{GatewayRequest, GatewayResponse, Reseal, Transport};

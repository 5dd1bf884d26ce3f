//! The `Transport` trait: one envelope out, one response body back.

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use bytes::Bytes;

use crate::error::TransportError;

/// One sealed envelope to post to the gateway, with what the logs need to name it.
#[derive(Clone)]
pub struct GatewayRequest {
    method: String,
    serial_no: String,
    body: Bytes,
    idempotent: bool,
}

impl GatewayRequest {
    /// Creates a request from the platform method name (such as `accidentDownload`), the
    /// envelope's `serialNo` and the envelope's JSON bytes. The request is treated as not
    /// idempotent until [`idempotent`](Self::idempotent) marks it otherwise.
    pub fn new(
        method: impl Into<String>,
        serial_no: impl Into<String>,
        body: impl Into<Bytes>,
    ) -> Self {
        Self {
            method: method.into(),
            serial_no: serial_no.into(),
            body: body.into(),
            idempotent: false,
        }
    }

    /// Marks the request as safe to repeat (downloads) or not (uploads). Default: `false`.
    /// See [`RetryPolicy`](crate::RetryPolicy) for what this changes.
    pub fn idempotent(mut self, idempotent: bool) -> Self {
        self.idempotent = idempotent;
        self
    }

    /// The platform method name, for logs.
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The envelope's `serialNo`, for logs.
    pub fn serial_no(&self) -> &str {
        &self.serial_no
    }

    /// The envelope bytes.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// Whether the request is safe to repeat.
    pub fn is_idempotent(&self) -> bool {
        self.idempotent
    }
}

impl fmt::Debug for GatewayRequest {
    // The body is left out: it is ciphertext plus the appId and the sign, of no use in a log.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("GatewayRequest")
            .field("method", &self.method)
            .field("serial_no", &self.serial_no)
            .field("body_len", &self.body.len())
            .field("idempotent", &self.idempotent)
            .finish()
    }
}

/// The body of a successful (2xx) gateway response and the attempts it took.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct GatewayResponse {
    /// The response body as it arrived.
    pub body: Bytes,
    /// Attempts made, the successful one included.
    pub attempts: u32,
}

impl GatewayResponse {
    /// Wraps a body received after `attempts` attempts.
    pub fn new(body: impl Into<Bytes>, attempts: u32) -> Self {
        Self {
            body: body.into(),
            attempts,
        }
    }
}

/// Sends one envelope to the platform gateway and returns the response body.
///
/// [`HttpTransport`](crate::HttpTransport) is the implementation over HTTPS; tests and
/// alternative HTTP stacks implement this trait themselves. An implementation returns the body
/// of a 2xx response as it arrived, and handles its own retries: the caller does not retry.
pub trait Transport: Send + Sync {
    /// Sends the request and returns the successful response.
    fn send(
        &self,
        request: GatewayRequest,
    ) -> impl Future<Output = Result<GatewayResponse, TransportError>> + Send;
}

impl<T: Transport> Transport for &T {
    fn send(
        &self,
        request: GatewayRequest,
    ) -> impl Future<Output = Result<GatewayResponse, TransportError>> + Send {
        (**self).send(request)
    }
}

impl<T: Transport> Transport for Arc<T> {
    fn send(
        &self,
        request: GatewayRequest,
    ) -> impl Future<Output = Result<GatewayResponse, TransportError>> + Send {
        (**self).send(request)
    }
}

//! The `Transport` trait: one envelope out, one response body back.

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use bytes::Bytes;

use crate::error::TransportError;

/// Seals the envelope of a request anew for another attempt: returns the new `serialNo` and
/// the new envelope bytes. See [`GatewayRequest::reseal_with`].
pub type Reseal = dyn Fn() -> (String, Vec<u8>) + Send + Sync;

/// One sealed envelope to post to the gateway, with what the logs need to name it.
///
/// By default every attempt posts the same bytes. A request given a [`Reseal`] function with
/// [`reseal_with`](Self::reseal_with) posts its first body on the first attempt and a freshly
/// sealed envelope, with a new `serialNo` and `timeStamp`, on each attempt after that.
#[derive(Clone)]
pub struct GatewayRequest {
    method: String,
    serial_no: String,
    body: Bytes,
    idempotent: bool,
    reseal: Option<Arc<Reseal>>,
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
            reseal: None,
        }
    }

    /// Marks the request as safe to repeat (downloads) or not (uploads). Default: `false`.
    /// See [`RetryPolicy`](crate::RetryPolicy) for what this changes.
    pub fn idempotent(mut self, idempotent: bool) -> Self {
        self.idempotent = idempotent;
        self
    }

    /// Gives the request a function that seals its envelope again, called once before each
    /// attempt after the first; that attempt posts the returned body and logs the returned
    /// `serialNo`. Default: none, and every attempt posts the first body.
    ///
    /// A platform that rejects a `serialNo` it has already seen rejects a byte-identical
    /// retry, and a long backoff can make the first `timeStamp` stale. A request that is safe
    /// to repeat (a download) therefore needs a fresh envelope per attempt. **A request that is not safe
    /// to repeat (an upload) should not be given one**: a new `serialNo` makes a retry after an
    /// unknown outcome look like a second, separate upload.
    pub fn reseal_with(
        mut self,
        reseal: impl Fn() -> (String, Vec<u8>) + Send + Sync + 'static,
    ) -> Self {
        self.reseal = Some(Arc::new(reseal));
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

    /// Returns whether each retry posts a freshly sealed envelope.
    pub fn is_resealed(&self) -> bool {
        self.reseal.is_some()
    }

    /// Prepares the request for its next attempt. With a [`Reseal`] function, it replaces the
    /// `serialNo` and body with a freshly sealed envelope. Without one, it leaves both as they
    /// are. A [`Transport`] calls this before every attempt but the first.
    pub fn prepare_retry(&mut self) {
        if let Some(reseal) = &self.reseal {
            let (serial_no, body) = reseal();
            self.serial_no = serial_no;
            self.body = Bytes::from(body);
        }
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
            .field("resealed", &self.reseal.is_some())
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
/// Before every attempt after the first it calls [`GatewayRequest::prepare_retry`], so that a
/// request with a reseal function goes out under a new `serialNo` each time.
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

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;

    #[test]
    fn prepare_retry_keeps_body_without_reseal() {
        let mut request = GatewayRequest::new("reportCaseUpload", "sn1", "first");

        request.prepare_retry();

        assert!(!request.is_resealed());
        assert_eq!(request.serial_no(), "sn1");
        assert_eq!(&request.body()[..], b"first");
    }

    #[test]
    fn prepare_retry_reseals_each_time() {
        let count = Arc::new(AtomicU32::new(1));
        let counter = Arc::clone(&count);
        let mut request = GatewayRequest::new("accidentDownload", "sn1", "first")
            .idempotent(true)
            .reseal_with(move || {
                let next = counter.fetch_add(1, Ordering::SeqCst) + 1;
                (format!("sn{next}"), format!("body{next}").into_bytes())
            });

        request.prepare_retry();
        let second = (request.serial_no().to_owned(), request.body().clone());
        request.prepare_retry();

        assert!(request.is_resealed());
        assert_eq!(second.0, "sn2");
        assert_eq!(&second.1[..], b"body2");
        assert_eq!(request.serial_no(), "sn3");
        assert_eq!(&request.body()[..], b"body3");
    }

    #[test]
    fn debug_shows_reseal_not_body() {
        let request = GatewayRequest::new("accidentDownload", "sn1", "secret-ciphertext")
            .reseal_with(|| (String::new(), Vec::new()));

        let text = format!("{request:?}");

        assert!(text.contains("resealed: true"), "{text}");
        assert!(!text.contains("secret-ciphertext"), "{text}");
    }
}

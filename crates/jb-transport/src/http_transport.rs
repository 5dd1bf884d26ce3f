//! `HttpTransport`: the `Transport` over reqwest and rustls, with retries.

use bytes::{Bytes, BytesMut};
use reqwest::header::CONTENT_TYPE;
use tracing::Instrument as _;

use crate::attempt::{AttemptError, host_of};
use crate::endpoint::Endpoint;
use crate::error::{BuildError, TransportError};
use crate::http_config::HttpConfig;
use crate::retry::{RetryPolicy, Schedule};
use crate::transport::{GatewayRequest, GatewayResponse, Transport};

/// Default maximum size of a gateway response body: 32 MiB.
const DEFAULT_MAX_RESPONSE_BYTES: u64 = 32 * 1024 * 1024;

/// Posts envelopes to the gateway over HTTP(S), retrying as its [`RetryPolicy`] allows.
///
/// Cheap to clone: clones share one connection pool. Each attempt runs in a `gateway_attempt`
/// span holding its `serialNo` and number, and is logged at `debug` level; each retry is
/// logged at `warn` level with the method, the failed attempt's `serialNo`, its number, the
/// cause and the wait. A request given a reseal function
/// ([`GatewayRequest::reseal_with`]) posts a freshly sealed envelope, under a new `serialNo`,
/// on each retry; any other request posts the same bytes again.
#[derive(Clone, Debug)]
pub struct HttpTransport {
    client: reqwest::Client,
    endpoint: Endpoint,
    host: String,
    retry: RetryPolicy,
    timeout: std::time::Duration,
    max_response_bytes: u64,
}

/// Builder of an [`HttpTransport`]; settings are checked by [`build`](Self::build).
#[derive(Clone, Debug)]
pub struct HttpTransportBuilder {
    endpoint: Endpoint,
    http: HttpConfig,
    retry: RetryPolicy,
    max_response_bytes: u64,
}

impl HttpTransport {
    /// Starts a builder for the given gateway.
    pub fn builder(endpoint: Endpoint) -> HttpTransportBuilder {
        HttpTransportBuilder {
            endpoint,
            http: HttpConfig::default(),
            retry: RetryPolicy::default(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
        }
    }

    /// The gateway this transport posts to.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    async fn attempt(&self, request: &GatewayRequest, attempt: u32) -> Result<Bytes, AttemptError> {
        tracing::debug!(
            method = request.method(),
            serial_no = request.serial_no(),
            attempt,
            host = %self.host,
            bytes = request.body().len(),
            "posting envelope to the gateway"
        );
        let response = self
            .client
            .post(self.endpoint.url().clone())
            .header(CONTENT_TYPE, "application/json; charset=UTF-8")
            .body(request.body().clone())
            .send()
            .await
            .map_err(AttemptError::from_reqwest)?;

        let status = response.status();
        if !status.is_success() {
            return Err(AttemptError::from_status(status, response.headers()));
        }
        read_limited(response, self.max_response_bytes).await
    }
}

impl HttpTransportBuilder {
    /// Sets timeouts, extra root certificates and proxy. Default: [`HttpConfig::default`].
    pub fn http(mut self, http: HttpConfig) -> Self {
        self.http = http;
        self
    }

    /// Sets the retry policy. Default: [`RetryPolicy::default`].
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Sets the largest response body accepted, in bytes. Default: 32 MiB. Must not be zero.
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Checks the settings and builds the transport.
    pub fn build(self) -> Result<HttpTransport, BuildError> {
        self.retry.validate()?;
        if self.max_response_bytes == 0 {
            return Err(BuildError::InvalidSetting {
                name: "max_response_bytes",
                value: "0".to_owned(),
                reason: "must be at least 1 byte",
            });
        }
        let client = self.http.build_client(false)?;
        Ok(HttpTransport {
            client,
            host: host_of(self.endpoint.url()),
            endpoint: self.endpoint,
            retry: self.retry,
            timeout: self.http.timeout(),
            max_response_bytes: self.max_response_bytes,
        })
    }
}

impl Transport for HttpTransport {
    async fn send(&self, mut request: GatewayRequest) -> Result<GatewayResponse, TransportError> {
        let mut schedule = Schedule::start(&self.retry, request.is_idempotent());
        loop {
            let attempt = schedule.begin_attempt();
            if attempt > 1 {
                request.prepare_retry();
            }
            let span =
                tracing::info_span!("gateway_attempt", serial_no = %request.serial_no(), attempt,);
            let outcome = self.attempt(&request, attempt).instrument(span.clone());
            let error = match outcome.await {
                Ok(body) => return Ok(GatewayResponse::new(body, attempt)),
                Err(error) => error,
            };

            let Some(wait) = schedule.next_wait(error.class(), error.retry_after()) else {
                return Err(error.into_transport_error(
                    self.host.clone(),
                    schedule.attempts(),
                    self.timeout,
                ));
            };
            span.in_scope(|| {
                tracing::warn!(
                    method = request.method(),
                    serial_no = request.serial_no(),
                    attempt,
                    cause = %error.cause(),
                    wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                    resealed = request.is_resealed(),
                    "gateway request failed; retrying"
                );
            });
            tokio::time::sleep(wait).await;
        }
    }
}

/// Reads a response body, failing as soon as it grows past `limit` bytes.
async fn read_limited(mut response: reqwest::Response, limit: u64) -> Result<Bytes, AttemptError> {
    if response
        .content_length()
        .is_some_and(|length| length > limit)
    {
        return Err(AttemptError::TooLarge { limit });
    }
    let mut body = BytesMut::new();
    while let Some(chunk) = response.chunk().await.map_err(AttemptError::from_reqwest)? {
        if (body.len() + chunk.len()) as u64 > limit {
            return Err(AttemptError::TooLarge { limit });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

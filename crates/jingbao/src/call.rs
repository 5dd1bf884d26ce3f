//! One platform call: send a sealed envelope, open the response, inside one `tracing` span.

use std::future::Future;
use std::time::Instant;

use jb_proto::{Codec, OpenedResponse};
use jb_transport::{GatewayRequest, Transport};
use tracing::Instrument as _;
use tracing::field::Empty;

use crate::error::Error;
use crate::sealed::SealedRequest;

/// Sends `sealed`, opens the response and passes it to `finish`, all inside a span named
/// `platform_call` with the fields `method`, `serial_no`, `attempt`, `duration_ms` and
/// `outcome`.
///
/// The span's `attempt` is recorded when the call ends, from the transport's count. A failure
/// is logged at error level with personal data masked.
pub(crate) async fn call<T, R, F>(
    transport: &T,
    codec: &Codec,
    sealed: &SealedRequest,
    finish: F,
) -> Result<R, Error>
where
    T: Transport,
    F: FnOnce(OpenedResponse) -> Result<R, Error>,
{
    let span = tracing::info_span!(
        "platform_call",
        method = %sealed.method(),
        serial_no = %sealed.serial_no(),
        attempt = Empty,
        duration_ms = Empty,
        outcome = Empty,
    );
    run(transport, codec, sealed, finish).instrument(span).await
}

async fn run<T, R, F>(
    transport: &T,
    codec: &Codec,
    sealed: &SealedRequest,
    finish: F,
) -> Result<R, Error>
where
    T: Transport,
    F: FnOnce(OpenedResponse) -> Result<R, Error>,
{
    let started = Instant::now();
    let (opened, attempts) = exchange(transport, codec, sealed).await;
    let result = opened.and_then(finish);

    let span = tracing::Span::current();
    span.record("attempt", attempts);
    span.record(
        "duration_ms",
        u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
    );
    match &result {
        Ok(_) => {
            span.record("outcome", "ok");
            tracing::debug!("platform call succeeded");
        }
        Err(error) => {
            span.record("outcome", error.outcome());
            tracing::error!(error = %error.log_detail(), "platform call failed");
        }
    }
    result
}

/// Sends the envelope and opens the response; returns the attempts made beside the result.
fn exchange<'a, T: Transport>(
    transport: &'a T,
    codec: &'a Codec,
    sealed: &'a SealedRequest,
) -> impl Future<Output = (Result<OpenedResponse, Error>, u32)> + Send + 'a {
    let method = sealed.method();
    let request = GatewayRequest::new(
        method.wire_name(),
        sealed.serial_no().as_str(),
        sealed.body().to_vec(),
    )
    .idempotent(method.is_download());
    async move {
        let response = match transport.send(request).await {
            Ok(response) => response,
            Err(source) => {
                let attempts = source.attempts();
                let error = Error::Transport {
                    method,
                    serial_no: sealed.serial_no().clone(),
                    source,
                };
                return (Err(error), attempts);
            }
        };
        let opened = codec
            .open_response(&response.body, &codec.expected(method))
            .map_err(|error| Error::from_open(method, sealed.serial_no().clone(), error));
        (opened, response.attempts)
    }
}

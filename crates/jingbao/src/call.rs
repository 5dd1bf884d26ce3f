//! One platform call: send a sealed envelope, open the response, inside one `tracing` span.

use std::time::Instant;

use jb_proto::{Codec, OpenedResponse, SerialNo};
use jb_transport::{GatewayRequest, Transport};
use tracing::Instrument as _;
use tracing::field::Empty;

use crate::error::Error;
use crate::resealer::Resealer;
use crate::sealed::SealedRequest;

/// The envelope source of a call: one envelope for every attempt, or one per attempt.
pub(crate) enum Envelope<'a> {
    /// Every attempt posts the same envelope, under one serialNo (uploads).
    Fixed(&'a SealedRequest),
    /// Every attempt posts an envelope sealed for it, under a new serialNo (downloads).
    Fresh(Resealer),
}

/// Sends the envelope, opens the response and passes it to `finish` with the serialNo of the
/// attempt that was answered, all inside a span named `platform_call` with the fields
/// `method`, `serial_no`, `attempt`, `duration_ms` and `outcome`.
///
/// `serial_no` and `attempt` are recorded when the call ends: the serialNo of the last attempt
/// and the transport's count of attempts. Each attempt's own serialNo is in the transport's
/// `gateway_attempt` span. A failure is logged at error level with personal data masked.
pub(crate) async fn call<T, R, F>(
    transport: &T,
    codec: &Codec,
    envelope: Envelope<'_>,
    finish: F,
) -> Result<R, Error>
where
    T: Transport,
    F: FnOnce(OpenedResponse, &SerialNo) -> Result<R, Error>,
{
    let method = match &envelope {
        Envelope::Fixed(sealed) => sealed.method(),
        Envelope::Fresh(resealer) => resealer.method(),
    };
    let span = tracing::info_span!(
        "platform_call",
        method = %method,
        serial_no = Empty,
        attempt = Empty,
        duration_ms = Empty,
        outcome = Empty,
    );
    run(transport, codec, envelope, finish)
        .instrument(span)
        .await
}

async fn run<T, R, F>(
    transport: &T,
    codec: &Codec,
    envelope: Envelope<'_>,
    finish: F,
) -> Result<R, Error>
where
    T: Transport,
    F: FnOnce(OpenedResponse, &SerialNo) -> Result<R, Error>,
{
    let started = Instant::now();
    let (first, resealer) = match envelope {
        Envelope::Fixed(sealed) => (sealed.clone(), None),
        Envelope::Fresh(resealer) => (resealer.seal(), Some(resealer)),
    };
    let method = first.method();
    let sent = transport.send(request(&first, resealer.as_ref())).await;
    // The last attempt's serialNo: the one that got a response, or the one whose failure ended
    // the call.
    let serial_no = resealer
        .as_ref()
        .and_then(Resealer::latest)
        .unwrap_or_else(|| first.serial_no().clone());
    let (result, attempts) = match sent {
        Ok(response) => {
            let result = codec
                .open_response(&response.body, &codec.expected(method))
                .map_err(|error| Error::from_open(method, serial_no.clone(), error))
                .and_then(|opened| finish(opened, &serial_no));
            (result, response.attempts)
        }
        Err(source) => {
            let attempts = source.attempts();
            let error = Error::Transport {
                method,
                serial_no: serial_no.clone(),
                source,
            };
            (Err(error), attempts)
        }
    };

    let span = tracing::Span::current();
    span.record("serial_no", tracing::field::display(serial_no.as_str()));
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

/// Builds the transport request for `sealed`. With a resealer, each retry is sealed again;
/// without one, every attempt posts `sealed` as it is.
fn request(sealed: &SealedRequest, resealer: Option<&Resealer>) -> GatewayRequest {
    let method = sealed.method();
    let request = GatewayRequest::new(
        method.wire_name(),
        sealed.serial_no().as_str(),
        sealed.body().to_vec(),
    )
    .idempotent(method.is_download());
    match resealer.cloned() {
        Some(resealer) => request.reseal_with(move || {
            let sealed = resealer.seal();
            (sealed.serial_no().as_str().to_owned(), sealed.into_body())
        }),
        None => request,
    }
}

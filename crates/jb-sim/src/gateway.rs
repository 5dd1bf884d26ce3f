//! The gateway endpoint: checks each request as the platform would, then serves the download
//! or stores the upload.
//!
//! Checks, in order, each failure answered with its own return code: the body is a JSON object
//! with the required string fields; the appId is a tenant; the sign verifies; serialNo is at
//! most 32 characters; timeStamp is a real `yyyyMMddHHmmss` time; method is one of the five
//! operations; data decrypts to UTF-8 JSON; timeStamp is within the clock window of Beijing
//! time; serialNo was not used by the tenant within the window; the business data is valid.

use std::sync::Arc;

use axum::Extension;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, FixedOffset};
use futures_util::StreamExt as _;
use jb_proto::OpenError;

use crate::answer::{self, Answer, Echo};
use crate::faults::Fault;
use crate::journal::RequestRecord;
use crate::return_code::ReturnCode;
use crate::server::ConnectionKill;
use crate::state::{Shared, beijing_now, lock};
use crate::wire;

/// Time between the first half of a truncated body and the connection closing.
const TRUNCATION_PAUSE: std::time::Duration = std::time::Duration::from_millis(50);

/// Content type of every gateway answer.
const JSON_CONTENT_TYPE: &str = "application/json;charset=UTF-8";

/// Serves `POST /police-policy-api/openapi/gateway.do`.
pub(crate) async fn handle(
    State(shared): State<Arc<Shared>>,
    kill: Option<Extension<ConnectionKill>>,
    body: Bytes,
) -> Response {
    let received = beijing_now();

    let (early, delay) = {
        let mut faults = lock(&shared.faults);
        let early = if faults.roll(Fault::Http500) {
            Some(Fault::Http500)
        } else if faults.roll(Fault::Http503) {
            Some(Fault::Http503)
        } else {
            None
        };
        let delay = (early.is_none() && faults.roll(Fault::Delay)).then(|| faults.delay());
        (early, delay)
    };
    if let Some(fault) = early {
        journal(&shared, received, &Echo::default(), None, vec![fault]);
        let status = match fault {
            Fault::Http503 => StatusCode::SERVICE_UNAVAILABLE,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        return (status, "simulated gateway failure").into_response();
    }
    let mut injected = Vec::new();
    if let Some(delay) = delay {
        injected.push(Fault::Delay);
        tokio::time::sleep(delay).await;
    }

    let mut answer = process(&shared, &body, received);
    injected.append(&mut answer.faults);

    let (drop_connection, truncate) = {
        let mut faults = lock(&shared.faults);
        let drop_connection = kill.is_some() && faults.roll(Fault::DropConnection);
        let truncate = !drop_connection && faults.roll(Fault::TruncatedBody);
        (drop_connection, truncate)
    };
    if drop_connection {
        injected.push(Fault::DropConnection);
    }
    if truncate {
        injected.push(Fault::TruncatedBody);
    }
    journal(&shared, received, &answer.echo, Some(&answer), injected);

    if let (true, Some(Extension(kill))) = (drop_connection, kill) {
        kill.close();
        return std::future::pending().await;
    }
    if truncate {
        return truncated_response(answer.body);
    }
    ([(header::CONTENT_TYPE, JSON_CONTENT_TYPE)], answer.body).into_response()
}

/// Runs every check on one request body and builds the answer.
fn process(shared: &Shared, body: &[u8], received: DateTime<FixedOffset>) -> Answer {
    let parsed = match wire::parse(body) {
        Ok(parsed) => parsed,
        Err(error) => {
            return Answer::unsigned(
                Echo::default(),
                ReturnCode::BadEnvelope,
                error.to_string(),
                received,
            );
        }
    };
    let echo = Echo::from_parsed(&parsed);

    let Some(entry) = echo.app_id.as_deref().and_then(|id| shared.tenants.get(id)) else {
        let detail = format!("appId {:?} is not a tenant of the simulator", echo.app_id);
        return Answer::unsigned(echo, ReturnCode::UnknownAppId, detail, received);
    };
    let codec = &entry.codec;

    let request = match wire::open(codec, parsed) {
        Ok(request) => request,
        Err(error) => {
            let code = return_code_of(&error);
            return Answer::signed(codec, echo, code, error.to_string(), received);
        }
    };

    let skew = (received.to_utc() - request.time_stamp.to_utc())
        .num_seconds()
        .unsigned_abs();
    if skew > shared.clock_window.as_secs() {
        let detail = format!(
            "timeStamp {} is {skew} s away from Beijing time; the window is {} s",
            request.time_stamp.as_str(),
            shared.clock_window.as_secs()
        );
        return Answer::signed(codec, echo, ReturnCode::StaleTimeStamp, detail, received);
    }

    let admitted = lock(&shared.replay).admit(
        entry.tenant.app_id(),
        request.serial_no.as_str(),
        std::time::Instant::now(),
    );
    if !admitted {
        let detail = format!("serialNo {} was already used", request.serial_no.as_str());
        return Answer::signed(codec, echo, ReturnCode::ReplayedSerialNo, detail, received);
    }

    answer::operation(shared, entry, echo, &request, received)
}

/// Maps a failure to open a request envelope to the simulator's return code.
fn return_code_of(error: &OpenError) -> ReturnCode {
    match error {
        OpenError::BadSign(_) => ReturnCode::BadSign,
        OpenError::InvalidTimeStamp(_) => ReturnCode::StaleTimeStamp,
        OpenError::UnknownMethod(_) => ReturnCode::UnknownMethod,
        OpenError::Decrypt(_) | OpenError::DataNotUtf8 { .. } | OpenError::DataNotJson { .. } => {
            ReturnCode::Undecryptable
        }
        OpenError::EmptyBody
        | OpenError::NotJson { .. }
        | OpenError::NotObject { .. }
        | OpenError::DuplicateField { .. }
        | OpenError::MissingField { .. }
        | OpenError::FieldNotString { .. }
        | OpenError::InvalidSerialNo(_) => ReturnCode::BadEnvelope,
        _ => ReturnCode::Internal,
    }
}

/// Stores one request and its verdict for inspection.
fn journal(
    shared: &Shared,
    received: DateTime<FixedOffset>,
    echo: &Echo,
    answer: Option<&Answer>,
    faults: Vec<Fault>,
) {
    let mut requests = lock(&shared.requests);
    let record = RequestRecord {
        sequence: requests.next_sequence(),
        received_at: received.to_rfc3339(),
        app_id: echo.app_id.clone(),
        method: echo.method.clone(),
        serial_no: echo.serial_no.clone(),
        return_code: answer.map(|answer| answer.code.code().to_owned()),
        return_msg: answer.map(|answer| answer.return_msg.clone()),
        detail: answer.and_then(|answer| answer.detail.clone()),
        faults: faults.into_iter().map(Fault::config_key).collect(),
    };
    match &record.return_code {
        Some(code) if code == ReturnCode::Success.code() => {
            tracing::info!(
                sequence = record.sequence,
                app_id = ?record.app_id,
                method = ?record.method,
                faults = ?record.faults,
                "request accepted"
            );
        }
        _ => {
            tracing::info!(
                sequence = record.sequence,
                method = ?record.method,
                code = ?record.return_code,
                detail = ?record.detail,
                faults = ?record.faults,
                "request answered with an error or a fault"
            );
        }
    }
    requests.push(record);
}

/// Announces the whole body in `Content-Length`, sends its first half, then fails the body so
/// the server closes the connection.
fn truncated_response(body: Vec<u8>) -> Response {
    let length = body.len();
    let half = Bytes::from(body).slice(..length / 2);
    // The pause lets the server flush the headers and the first half before the failure
    // closes the connection; failing at once would discard both.
    let failure = futures_util::stream::once(async {
        tokio::time::sleep(TRUNCATION_PAUSE).await;
        Err(std::io::Error::other("body truncated on purpose"))
    });
    let stream = futures_util::stream::iter([Ok(half)]).chain(failure);

    let mut response = Response::new(Body::from_stream(stream));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static(JSON_CONTENT_TYPE),
    );
    headers.insert(header::CONTENT_LENGTH, header::HeaderValue::from(length));
    response
}

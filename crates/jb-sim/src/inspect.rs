//! Inspection endpoints for tests, under [`INSPECTION_PREFIX`].
//!
//! - `GET  /_sim` and `GET /_sim/`: this list as JSON.
//! - `GET  /_sim/tenants`: appId and insurer code of each tenant (never the key).
//! - `GET  /_sim/requests`: the requests seen, oldest first, with their verdicts.
//! - `GET  /_sim/uploads`: the uploads accepted, oldest first.
//! - `POST /_sim/inject`: `{"appId": "...", "method": "J2", "record": {...}}` (or `"records":
//!   [...]`) queues records for the next download; appId may be left out with one tenant.
//! - `GET  /_sim/faults` and `PUT /_sim/faults`: read or replace the fault rates.

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use jb_proto::Method;
use serde::Deserialize;
use serde_json::Value;

use crate::error::InjectError;
use crate::faults::FaultRates;
use crate::journal::{RequestRecord, UploadRecord};
use crate::simulator::GATEWAY_PATH;
use crate::state::{Shared, lock};
use crate::tenant::TenantInfo;

/// Path prefix of the inspection endpoints.
pub const INSPECTION_PREFIX: &str = "/_sim";

/// The inspection endpoints the index lists: HTTP method, path after the prefix, purpose.
const ENDPOINTS: [(&str, &str, &str); 7] = [
    ("GET", "", "this list of inspection endpoints"),
    (
        "GET",
        "/tenants",
        "appId and insurer code of each tenant, never the key",
    ),
    (
        "GET",
        "/requests",
        "the gateway requests seen, oldest first, with their verdicts",
    ),
    ("GET", "/uploads", "the uploads accepted, oldest first"),
    (
        "POST",
        "/inject",
        "queue records for the next download: {\"appId\": \"...\", \"method\": \"J2\", \"record\": {...}}",
    ),
    ("GET", "/faults", "the fault rates in effect"),
    (
        "PUT",
        "/faults",
        "replace the fault rates with a JSON object of rates",
    ),
];

/// Body of `POST /_sim/inject`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct InjectBody {
    app_id: Option<String>,
    method: String,
    record: Option<Value>,
    #[serde(default)]
    records: Vec<Value>,
}

type Rejection = (StatusCode, String);

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/", get(index))
        .route("/tenants", get(tenants))
        .route("/requests", get(requests))
        .route("/uploads", get(uploads))
        .route("/inject", post(inject))
        .route("/faults", get(faults).put(set_faults))
}

/// Lists the inspection endpoints and the gateway path, at the address printed at start-up.
/// The router serves it at the prefix, with and without a trailing slash.
pub(crate) async fn index() -> Json<Value> {
    let endpoints: Vec<Value> = ENDPOINTS
        .iter()
        .map(|(method, path, purpose)| {
            serde_json::json!({
                "method": method,
                "path": format!("{INSPECTION_PREFIX}{path}"),
                "description": purpose,
            })
        })
        .collect();
    Json(serde_json::json!({
        "gateway": GATEWAY_PATH,
        "endpoints": endpoints,
    }))
}

async fn tenants(State(shared): State<Arc<Shared>>) -> Json<Vec<TenantInfo>> {
    Json(shared.tenant_list())
}

async fn requests(State(shared): State<Arc<Shared>>) -> Json<Vec<RequestRecord>> {
    Json(lock(&shared.requests).iter().cloned().collect())
}

async fn uploads(State(shared): State<Arc<Shared>>) -> Json<Vec<UploadRecord>> {
    Json(lock(&shared.uploads).iter().cloned().collect())
}

async fn inject(State(shared): State<Arc<Shared>>, body: Bytes) -> Result<StatusCode, Rejection> {
    let body: InjectBody = serde_json::from_slice(&body).map_err(|error| {
        (
            StatusCode::BAD_REQUEST,
            format!(
                "invalid inject body: {error}; send {{\"method\": \"J2\", \"record\": {{...}}}}"
            ),
        )
    })?;
    let method: Method = body.method.parse().map_err(|_| {
        rejection(InjectError::UnknownMethod {
            method: body.method.clone(),
        })
    })?;
    let mut records = body.records;
    records.extend(body.record);

    shared
        .inject(body.app_id.as_deref(), method, records)
        .map_err(rejection)?;
    Ok(StatusCode::NO_CONTENT)
}

async fn faults(State(shared): State<Arc<Shared>>) -> Json<FaultRates> {
    Json(lock(&shared.faults).rates().clone())
}

async fn set_faults(
    State(shared): State<Arc<Shared>>,
    body: Bytes,
) -> Result<Json<FaultRates>, Rejection> {
    let rates: FaultRates = serde_json::from_slice(&body).map_err(|error| {
        (
            StatusCode::BAD_REQUEST,
            format!("invalid fault rates: {error}"),
        )
    })?;
    rates
        .validate()
        .map_err(|error| (StatusCode::BAD_REQUEST, error.to_string()))?;

    lock(&shared.faults).set_rates(rates.clone());
    tracing::info!(?rates, "fault rates replaced");
    Ok(Json(rates))
}

fn rejection(error: InjectError) -> Rejection {
    let status = match error {
        InjectError::UnknownAppId { .. } => StatusCode::NOT_FOUND,
        _ => StatusCode::BAD_REQUEST,
    };
    (status, error.to_string())
}

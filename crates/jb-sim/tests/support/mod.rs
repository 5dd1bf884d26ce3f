//! Helpers shared by the integration tests: a simulator on 127.0.0.1 port 0 with one tenant,
//! and raw requests sealed with jb-proto.

#![allow(dead_code, unreachable_pub)]

use std::borrow::Cow;

use jb_crypto::AppKey;
use jb_proto::{Codec, Method, RequestEnvelope, SerialNo, TimeStamp};
use jb_sim::{RunningSimulator, Simulator, SimulatorBuilder, Tenant};
use serde_json::Value;

pub const APP_ID: &str = "SIMTEST01";
pub const APP_KEY: &str = "integration-test-key";
pub const INSURER: &str = "CPIC";

pub fn codec() -> Codec {
    Codec::new(APP_ID, AppKey::new(APP_KEY))
}

/// A builder with the test tenant and a fixed seed.
pub fn builder() -> SimulatorBuilder {
    Simulator::builder()
        .tenant(Tenant::new(APP_ID, INSURER, AppKey::new(APP_KEY)))
        .seed(42)
}

pub async fn start() -> RunningSimulator {
    builder().bind("127.0.0.1:0").await.unwrap()
}

/// Data of every download request of the test tenant.
pub fn download_data() -> String {
    format!(r#"{{"insuranceCode":"{INSURER}"}}"#)
}

/// Seals a request with a fresh serialNo and the current Beijing time.
pub fn seal(method: Method, data: &str) -> RequestEnvelope<'static> {
    codec().seal_request_now(method, data)
}

/// Signs `envelope` again after a test changed its fields.
pub fn resign(envelope: &mut RequestEnvelope<'static>) {
    let sign = jb_crypto::sign(envelope.sign_values(), &AppKey::new(APP_KEY));
    envelope.sign = Cow::Owned(sign);
}

pub fn sealed_at(method: Method, data: &str, time_stamp: TimeStamp) -> RequestEnvelope<'static> {
    codec().seal_request(method, data, SerialNo::generate(), time_stamp)
}

/// An HTTP client that ignores proxy variables, so requests stay on 127.0.0.1.
pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().unwrap()
}

/// Sends a GET request to a URL of the simulator.
pub async fn get(url: impl reqwest::IntoUrl) -> reqwest::Response {
    http_client().get(url).send().await.unwrap()
}

/// Posts a body to the gateway and returns the HTTP status and body.
pub async fn post(simulator: &RunningSimulator, body: Vec<u8>) -> (u16, Vec<u8>) {
    let response = http_client()
        .post(simulator.gateway_url())
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.bytes().await.unwrap().to_vec())
}

/// Parses a response body as JSON.
pub fn json(body: &[u8]) -> Value {
    serde_json::from_slice(body).unwrap()
}

/// The platform's report example (insurer CPIC), valid under every upload rule.
pub fn valid_report() -> Value {
    serde_json::from_str(include_str!("../../../jb-model/tests/data/j3-report.json")).unwrap()
}

/// The platform's claim example with its total corrected to the sum of the payments.
pub fn valid_claim() -> Value {
    let text = include_str!("../../../jb-model/tests/data/j4-claim-corrected-total.json");
    serde_json::from_str(text).unwrap()
}

/// The platform's claim example as published, whose total differs from its payments.
pub fn claim_with_wrong_total() -> Value {
    let text = include_str!("../../../jb-model/tests/data/j4-claim-example-sum-mismatch.json");
    serde_json::from_str(text).unwrap()
}

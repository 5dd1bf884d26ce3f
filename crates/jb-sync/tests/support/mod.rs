//! A simulator on 127.0.0.1 and a sync service pointed at it, for the end-to-end tests.

#![allow(dead_code, clippy::unwrap_used)]

use std::path::Path;
use std::time::Duration;

use jb_sim::{FaultRates, RunningSimulator, ScenarioConfig, Simulator, Tenant};
use jb_sync::{Backoff, JingbaoPlatform, SyncService};
use jingbao::Client;
use jingbao::crypto::AppKey;
use jingbao::transport::{HttpConfig, ProxyConfig, RetryPolicy};

pub(crate) const APP_ID: &str = "APPSYNCTEST";
pub(crate) const INSURER: &str = "CPIC";
const KEY: &str = "sync-test-app-key";

/// The platform's example records, as jb-model keeps them.
pub(crate) fn example(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../jb-model/tests/data")
        .join(name);
    std::fs::read_to_string(&path).unwrap()
}

/// Starts a simulator with one tenant, the given scenario and no faults.
pub(crate) async fn simulator(scenario: ScenarioConfig) -> RunningSimulator {
    Simulator::builder()
        .tenant(Tenant::new(APP_ID, INSURER, AppKey::new(KEY)))
        .scenario(scenario)
        .faults(FaultRates::default())
        .bind("127.0.0.1:0")
        .await
        .unwrap()
}

/// A client of the simulator with short timeouts and retries, that leaves unknown upload
/// outcomes to the outbox.
pub(crate) fn platform(simulator: &RunningSimulator) -> JingbaoPlatform {
    let client = Client::builder()
        .endpoint(simulator.gateway_url().parse().unwrap())
        .app_id(APP_ID)
        .app_key(AppKey::new(KEY))
        .insurance_code(INSURER)
        .http(
            HttpConfig::default()
                .proxy(ProxyConfig::Disabled)
                .connect_timeout(Duration::from_secs(2))
                .request_timeout(Duration::from_secs(5)),
        )
        .retry(
            RetryPolicy::default()
                .max_attempts(2)
                .initial_backoff(Duration::from_millis(10))
                .max_backoff(Duration::from_millis(20))
                .retry_unknown_outcome(false),
        )
        .build()
        .unwrap();
    JingbaoPlatform::new(client)
}

/// A service on `data_dir` with backoffs short enough for tests.
pub(crate) async fn service(
    simulator: &RunningSimulator,
    data_dir: &Path,
) -> SyncService<JingbaoPlatform> {
    SyncService::builder(platform(simulator), data_dir)
        .interval(Duration::from_millis(100))
        .jitter(Duration::ZERO)
        .upload_backoff(Backoff {
            initial: Duration::ZERO,
            max: Duration::ZERO,
        })
        .build()
        .await
        .unwrap()
}

/// The NDJSON lines of a file, parsed.
pub(crate) fn emitted(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

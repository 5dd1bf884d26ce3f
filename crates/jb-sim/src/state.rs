//! State shared by every request handler.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use chrono::{DateTime, FixedOffset, Offset, Utc};

use jb_proto::{Codec, Method};
use serde_json::Value;

use crate::config::{Limits, ScenarioConfig};
use crate::error::InjectError;
use crate::faults::{FaultInjector, FaultRates};
use crate::journal::{Bounded, RequestRecord, UploadRecord};
use crate::photo::PhotoSigner;
use crate::replay::ReplayGuard;
use crate::scenario::Feed;
use crate::scenario::TenantScenario;
use crate::tenant::{Tenant, TenantInfo};

/// Seconds east of UTC of Beijing time (UTC+8), the platform's clock.
const BEIJING_OFFSET_SECS: i32 = 8 * 3600;

/// One tenant and its scenario.
#[derive(Debug)]
pub(crate) struct TenantEntry {
    pub(crate) tenant: Tenant,
    /// The tenant's codec, with its data cipher derived once.
    pub(crate) codec: Codec,
    pub(crate) scenario: Mutex<TenantScenario>,
}

/// Everything the handlers share.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) tenants: HashMap<String, TenantEntry>,
    pub(crate) faults: Mutex<FaultInjector>,
    pub(crate) replay: Mutex<ReplayGuard>,
    pub(crate) requests: Mutex<Bounded<RequestRecord>>,
    pub(crate) uploads: Mutex<Bounded<UploadRecord>>,
    pub(crate) photos: PhotoSigner,
    pub(crate) clock_window: Duration,
}

impl Shared {
    pub(crate) fn new(
        tenants: Vec<Tenant>,
        scenario: &ScenarioConfig,
        faults: FaultRates,
        limits: &Limits,
        clock_window: Duration,
        base_url: &str,
    ) -> Self {
        let tenants = tenants
            .into_iter()
            .map(|tenant| {
                let scenario = TenantScenario::new(
                    tenant.app_id(),
                    tenant.insurance_code(),
                    scenario,
                    limits.max_sent_records,
                );
                let entry = TenantEntry {
                    codec: Codec::new(tenant.app_id(), tenant.app_key().clone()),
                    tenant,
                    scenario: Mutex::new(scenario),
                };
                (entry.tenant.app_id().to_owned(), entry)
            })
            .collect();
        Self {
            tenants,
            faults: Mutex::new(FaultInjector::new(faults, scenario.seed)),
            replay: Mutex::new(ReplayGuard::new(clock_window, limits.max_serial_numbers)),
            requests: Mutex::new(Bounded::new(limits.max_requests)),
            uploads: Mutex::new(Bounded::new(limits.max_uploads)),
            photos: PhotoSigner::new(scenario.seed, base_url),
            clock_window,
        }
    }
}

impl Shared {
    /// Queues records for the next download of `method` by the tenant `app_id`, or by the only
    /// tenant when `app_id` is `None`.
    pub(crate) fn inject(
        &self,
        app_id: Option<&str>,
        method: Method,
        records: Vec<Value>,
    ) -> Result<(), InjectError> {
        let feed = Feed::from_method(method).ok_or(InjectError::NotDownload {
            method: method.wire_name(),
        })?;
        let entry = match app_id {
            Some(app_id) => self
                .tenants
                .get(app_id)
                .ok_or_else(|| InjectError::UnknownAppId {
                    app_id: app_id.to_owned(),
                })?,
            None => {
                let mut entries = self.tenants.values();
                match (entries.next(), entries.next()) {
                    (Some(entry), None) => entry,
                    _ => return Err(InjectError::TenantRequired),
                }
            }
        };

        let mut scenario = lock(&entry.scenario);
        for record in records {
            scenario.inject(feed, record);
        }
        Ok(())
    }
}

impl Shared {
    /// Lists the tenants by appId.
    pub(crate) fn tenant_list(&self) -> Vec<TenantInfo> {
        let mut list: Vec<TenantInfo> = self
            .tenants
            .values()
            .map(|entry| TenantInfo::from(&entry.tenant))
            .collect();
        list.sort_by(|left, right| left.app_id.cmp(&right.app_id));
        list
    }
}

/// Locks a mutex, recovering the data if a previous holder panicked: every critical section
/// leaves the data consistent, so a poisoned lock holds nothing half-written.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Returns the current time in Beijing.
pub(crate) fn beijing_now() -> DateTime<FixedOffset> {
    let offset = FixedOffset::east_opt(BEIJING_OFFSET_SECS).unwrap_or_else(|| Utc.fix());
    Utc::now().with_timezone(&offset)
}

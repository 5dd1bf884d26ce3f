//! The simulator's builder and its running handle.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use jb_proto::Method;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::config::{DEFAULT_BIND, Limits, ScenarioConfig, SimConfig};
use crate::error::{ConfigError, InjectError, SimError};
use crate::faults::FaultRates;
use crate::gateway;
use crate::inspect::{self, INSPECTION_PREFIX};
use crate::journal::{RequestRecord, UploadRecord};
use crate::photo::{self, PHOTO_PATH};
use crate::server;
use crate::state::{Shared, lock};
use crate::tenant::{Tenant, TenantInfo};

/// Path of the gateway, as on the platform.
pub const GATEWAY_PATH: &str = "/police-policy-api/openapi/gateway.do";

/// A configured simulator, ready to bind.
#[derive(Debug)]
pub struct Simulator {
    config: SimConfig,
    tenants: Vec<Tenant>,
}

impl Simulator {
    /// Starts a builder with the default configuration and no tenant.
    pub fn builder() -> SimulatorBuilder {
        SimulatorBuilder::default()
    }

    /// Returns the configuration in effect.
    pub fn config(&self) -> &SimConfig {
        &self.config
    }

    /// Returns the tenants served.
    pub fn tenants(&self) -> &[Tenant] {
        &self.tenants
    }

    /// Binds `address` (such as `127.0.0.1:0`, port 0 picking a free port) and starts serving
    /// on the current tokio runtime.
    pub async fn bind(self, address: &str) -> Result<RunningSimulator, SimError> {
        let socket: SocketAddr = address.parse().map_err(|_| SimError::Address {
            address: address.to_owned(),
        })?;
        let listener = TcpListener::bind(socket)
            .await
            .map_err(|source| SimError::Bind {
                address: address.to_owned(),
                source,
            })?;
        let local = listener.local_addr().map_err(|source| SimError::Bind {
            address: address.to_owned(),
            source,
        })?;

        let base_url = match &self.config.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => format!("http://{local}"),
        };
        let shared = Arc::new(Shared::new(
            self.tenants,
            &self.config.scenario,
            self.config.faults.clone(),
            &self.config.limits,
            self.config.gateway.clock_window(),
            &base_url,
        ));
        let router = Router::new()
            .route(GATEWAY_PATH, post(gateway::handle))
            .route(PHOTO_PATH, get(photo::handle))
            .nest(INSPECTION_PREFIX, inspect::routes())
            .route(&format!("{INSPECTION_PREFIX}/"), get(inspect::index))
            .layer(DefaultBodyLimit::max(self.config.gateway.max_body_bytes))
            .with_state(Arc::clone(&shared));

        let (stop, stopped) = oneshot::channel();
        let task = tokio::spawn(server::serve(listener, router, stopped));
        tracing::info!(address = %local, "simulator listening");
        Ok(RunningSimulator {
            address: local,
            base_url,
            shared,
            stop: Some(stop),
            task: Some(task),
        })
    }
}

/// Builder of a [`Simulator`]. Every setting has the default of [`SimConfig`].
#[derive(Debug, Default)]
pub struct SimulatorBuilder {
    config: SimConfig,
    tenants: Vec<Tenant>,
}

impl SimulatorBuilder {
    /// Replaces the whole configuration. Tenants listed in it are resolved at
    /// [`build`](Self::build), reading their keys, and served besides those added with
    /// [`tenant`](Self::tenant).
    pub fn config(mut self, config: SimConfig) -> Self {
        self.config = config;
        self
    }

    /// Adds a tenant.
    pub fn tenant(mut self, tenant: Tenant) -> Self {
        self.tenants.push(tenant);
        self
    }

    /// Sets the seed of generated records and of fault injection. Default: 1.
    pub fn seed(mut self, seed: u64) -> Self {
        self.config.scenario.seed = seed;
        self
    }

    /// Sets how far a timeStamp may be from Beijing time and how long a serialNo is
    /// remembered. Default: 300 seconds. Sub-second parts are dropped.
    pub fn clock_window(mut self, window: Duration) -> Self {
        self.config.gateway.clock_window_secs = window.as_secs();
        self
    }

    /// Sets the download scenario. Default: [`ScenarioConfig::default`].
    pub fn scenario(mut self, scenario: ScenarioConfig) -> Self {
        self.config.scenario = scenario;
        self
    }

    /// Sets the fault rates. Default: no faults.
    pub fn faults(mut self, faults: FaultRates) -> Self {
        self.config.faults = faults;
        self
    }

    /// Sets the memory bounds. Default: [`Limits::default`].
    pub fn limits(mut self, limits: Limits) -> Self {
        self.config.limits = limits;
        self
    }

    /// Sets the base URL written into photo URLs. Default: `http://` and the bound address.
    pub fn public_url(mut self, url: impl Into<String>) -> Self {
        self.config.public_url = Some(url.into());
        self
    }

    /// Checks the configuration, reads the configured tenants' keys and returns the simulator.
    pub fn build(self) -> Result<Simulator, SimError> {
        self.config.validate()?;
        if let Some(url) = &self.config.public_url
            && !(url.starts_with("http://") || url.starts_with("https://"))
        {
            return Err(ConfigError::PublicUrl { url: url.clone() }.into());
        }

        let mut tenants = self.tenants;
        for tenant in &self.config.tenants {
            tenants.push(Tenant::from_config(tenant)?);
        }
        if tenants.is_empty() {
            return Err(ConfigError::NoTenant.into());
        }
        let mut seen = HashSet::new();
        for tenant in &tenants {
            if !seen.insert(tenant.app_id()) {
                return Err(ConfigError::DuplicateAppId {
                    app_id: tenant.app_id().to_owned(),
                }
                .into());
            }
        }

        Ok(Simulator {
            config: self.config,
            tenants,
        })
    }

    /// Builds the simulator and binds `address`: see [`Simulator::bind`].
    pub async fn bind(self, address: &str) -> Result<RunningSimulator, SimError> {
        self.build()?.bind(address).await
    }

    /// Builds the simulator and binds the configured address, `127.0.0.1:0` by default.
    pub async fn bind_configured(self) -> Result<RunningSimulator, SimError> {
        let simulator = self.build()?;
        let address = simulator
            .config
            .bind
            .clone()
            .unwrap_or_else(|| DEFAULT_BIND.to_owned());
        simulator.bind(&address).await
    }
}

/// A simulator serving on a socket. Dropping it stops the server too; call
/// [`shutdown`](Self::shutdown) to wait until it has stopped.
#[derive(Debug)]
pub struct RunningSimulator {
    address: SocketAddr,
    base_url: String,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl RunningSimulator {
    /// Returns the bound socket address.
    pub fn addr(&self) -> SocketAddr {
        self.address
    }

    /// Returns the base URL: the configured public URL, else `http://` and the bound address.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Returns the gateway URL to configure in a client.
    pub fn gateway_url(&self) -> String {
        format!("http://{}{GATEWAY_PATH}", self.address)
    }

    /// Returns the base URL of the inspection endpoints.
    pub fn inspection_url(&self) -> String {
        format!("http://{}{INSPECTION_PREFIX}", self.address)
    }

    /// Lists the tenants served, by appId.
    pub fn tenants(&self) -> Vec<TenantInfo> {
        self.shared.tenant_list()
    }

    /// Returns the requests seen, oldest first, up to the configured bound.
    pub fn requests(&self) -> Vec<RequestRecord> {
        lock(&self.shared.requests).iter().cloned().collect()
    }

    /// Returns the uploads accepted, oldest first, up to the configured bound.
    pub fn uploads(&self) -> Vec<UploadRecord> {
        lock(&self.shared.uploads).iter().cloned().collect()
    }

    /// Queues a record, sent exactly as given, at the end of the next download of `method` by
    /// the tenant `app_id` (or by the only tenant when `None`).
    pub fn inject(
        &self,
        app_id: Option<&str>,
        method: Method,
        record: Value,
    ) -> Result<(), InjectError> {
        self.shared.inject(app_id, method, vec![record])
    }

    /// Returns the fault rates in effect.
    pub fn faults(&self) -> FaultRates {
        lock(&self.shared.faults).rates().clone()
    }

    /// Replaces the fault rates from the next request on.
    pub fn set_faults(&self, rates: FaultRates) -> Result<(), ConfigError> {
        rates.validate()?;
        lock(&self.shared.faults).set_rates(rates);
        Ok(())
    }

    /// Returns a signed photo URL for the attachment `name` (32 lowercase hex digits and
    /// `.png`) that expires at `expires` (Unix seconds), as downloads issue them.
    pub fn photo_url(&self, name: &str, expires: i64) -> String {
        self.shared.photos.url(name, expires)
    }

    /// Stops accepting connections, closes the open ones and waits for the server task.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take()
            && let Err(error) = task.await
        {
            tracing::error!(%error, "simulator task failed");
        }
    }
}

impl Drop for RunningSimulator {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

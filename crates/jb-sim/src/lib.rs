//! Simulator of the Shenzhen police-insurance platform (深圳市警保信息共享平台) gateway, for
//! this workspace's tests and for insurers' CI.
//!
//! The simulator serves `POST /police-policy-api/openapi/gateway.do` as the platform does: it
//! checks the envelope, the appId, the sign, the timeStamp against Beijing time, serialNo
//! replay, the method and the encrypted data, then answers downloads (J1, J2, J5) from a
//! seeded scenario of realistic Shenzhen records and validates uploads (J3, J4) with the
//! jb-model rules. Photo URLs in accident records point back at the simulator, which serves
//! small PNG images until their `e=` expiry. Faults (HTTP 500 and 503, delays, dropped
//! connections, bad signs, truncated bodies and the platform's format quirks) are injected at
//! configured rates, and endpoints under `/_sim` show what the simulator received.
//!
//! The platform publishes no error codes, so the non-`0000` codes of [`ReturnCode`] are the
//! simulator's own.
//!
//! # Example
//!
//! ```
//! use jb_crypto::AppKey;
//! use jb_proto::{Codec, Method, ResponseData};
//! use jb_sim::{Simulator, Tenant};
//!
//! # tokio::runtime::Runtime::new()?.block_on(async {
//! let key = AppKey::new("test-key");
//! let simulator = Simulator::builder()
//!     .tenant(Tenant::new("APP1", "CPIC", key.clone()))
//!     .bind("127.0.0.1:0")
//!     .await?;
//!
//! let codec = Codec::new("APP1", key);
//! let request = codec.seal_request_now(Method::AccidentDownload, r#"{"insuranceCode":"CPIC"}"#);
//! let http = reqwest::Client::builder().no_proxy().build()?;
//! let body = http
//!     .post(simulator.gateway_url())
//!     .body(request.to_json())
//!     .send()
//!     .await?
//!     .bytes()
//!     .await?;
//! let opened = codec.open_response(&body, &codec.expected(Method::AccidentDownload))?;
//! assert!(matches!(opened.data, ResponseData::Download(_)));
//!
//! simulator.shutdown().await;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # })?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod answer;
mod config;
mod error;
mod faults;
mod gateway;
mod inspect;
mod journal;
mod photo;
mod replay;
mod return_code;
mod scenario;
mod server;
mod simulator;
mod state;
mod tenant;
mod wire;

pub use crate::config::{
    DEFAULT_BIND, GatewayConfig, Limits, ScenarioConfig, SimConfig, TenantConfig,
};
pub use crate::error::{ConfigError, InjectError, SimError};
pub use crate::faults::{Fault, FaultRates};
pub use crate::inspect::INSPECTION_PREFIX;
pub use crate::journal::{RequestRecord, UploadRecord};
pub use crate::return_code::ReturnCode;
pub use crate::simulator::{GATEWAY_PATH, RunningSimulator, Simulator, SimulatorBuilder};
pub use crate::tenant::{Tenant, TenantInfo, read_key_file};

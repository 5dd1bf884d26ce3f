//! Typed configuration of the simulator, loadable from a TOML file.
//!
//! Every section and field has a default, so an empty file is a valid configuration. Keys are
//! never written in the file itself: each tenant names a key file or an environment variable.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::ConfigError;
use crate::faults::FaultRates;

/// Address the simulator binds when none is configured: loopback, any free port.
pub const DEFAULT_BIND: &str = "127.0.0.1:0";

/// Whole simulator configuration, as read from `jb sim --config FILE`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct SimConfig {
    /// Socket address to bind, such as `127.0.0.1:8080`. Default: `127.0.0.1:0`.
    pub bind: Option<String>,
    /// Base URL written into photo URLs, for a simulator reached through a proxy or a
    /// container port mapping. Default: `http://` and the bound address.
    pub public_url: Option<String>,
    /// Tenants served. Empty means the `jb sim` command picks one from the environment.
    pub tenants: Vec<TenantConfig>,
    /// Clock, replay and scenario settings.
    pub gateway: GatewayConfig,
    /// Download scenario settings.
    pub scenario: ScenarioConfig,
    /// Fault injection rates.
    pub faults: FaultRates,
    /// Memory bounds.
    pub limits: Limits,
}

impl SimConfig {
    /// Parses a configuration from TOML text.
    pub fn from_toml(text: &str) -> Result<Self, ConfigError> {
        let config: SimConfig =
            toml::from_str(text).map_err(|source| ConfigError::Toml(Box::new(source)))?;
        config.validate()?;
        Ok(config)
    }

    /// Reads and parses a TOML configuration file.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_toml(&text)
    }

    /// Checks every value that serde's types cannot: fault rates in [0, 1], non-zero limits.
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.faults.validate()?;
        self.limits.validate()?;
        self.scenario.validate()?;
        for tenant in &self.tenants {
            tenant.validate()?;
        }
        Ok(())
    }
}

/// One insurer served by the simulator. The key comes from a file or an environment variable.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TenantConfig {
    /// appId issued to the insurer (at most 32 characters).
    pub app_id: String,
    /// Insurer code from the platform's insurer dictionary, such as `CPIC`.
    pub insurance_code: String,
    /// File whose content (trailing line break removed) is the appKey.
    pub app_key_file: Option<PathBuf>,
    /// Name of an environment variable that holds the appKey.
    pub app_key_env: Option<String>,
}

impl TenantConfig {
    fn validate(&self) -> Result<(), ConfigError> {
        if self.app_id.is_empty() || self.app_id.encode_utf16().count() > 32 {
            return Err(ConfigError::AppId {
                app_id: self.app_id.clone(),
            });
        }
        if self.app_key_file.is_none() == self.app_key_env.is_none() {
            return Err(ConfigError::KeySource {
                app_id: self.app_id.clone(),
            });
        }
        Ok(())
    }
}

/// Request checks of the gateway.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct GatewayConfig {
    /// How far a request's timeStamp may be from Beijing time, either way, in seconds; also how
    /// long a serialNo is remembered for replay detection. Default: 300.
    pub clock_window_secs: u64,
    /// Largest request body accepted, in bytes. Default: 1 MiB.
    pub max_body_bytes: usize,
}

impl Default for GatewayConfig {
    fn default() -> Self {
        Self {
            clock_window_secs: 300,
            max_body_bytes: 1024 * 1024,
        }
    }
}

impl GatewayConfig {
    /// The clock window as a duration.
    pub fn clock_window(&self) -> Duration {
        Duration::from_secs(self.clock_window_secs)
    }
}

/// What downloads return.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScenarioConfig {
    /// Seed of every generated record and of fault injection. Default: 1.
    pub seed: u64,
    /// Whether the first poll of each download returns the platform's documented example
    /// records. Default: true.
    pub include_examples: bool,
    /// New generated records per poll and download method. Default: 3.
    pub new_per_poll: usize,
    /// Records already sent that each poll returns again, as the platform does. Default: 2.
    pub repeat_per_poll: usize,
    /// Probability in [0, 1] that a repeated record changed since it was last sent. Default: 0.
    pub change_rate: f64,
    /// How long photo URLs stay valid after the poll that sent them, in seconds (the `e=`
    /// parameter). Default: 86400.
    pub photo_ttl_secs: u64,
}

impl Default for ScenarioConfig {
    fn default() -> Self {
        Self {
            seed: 1,
            include_examples: true,
            new_per_poll: 3,
            repeat_per_poll: 2,
            change_rate: 0.0,
            photo_ttl_secs: 86_400,
        }
    }
}

impl ScenarioConfig {
    fn validate(&self) -> Result<(), ConfigError> {
        if !(0.0..=1.0).contains(&self.change_rate) {
            return Err(ConfigError::Rate {
                name: "scenario.change_rate",
                value: self.change_rate,
            });
        }
        Ok(())
    }
}

/// Memory bounds: the oldest entries are evicted past these counts.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Requests kept for inspection. Default: 1000.
    pub max_requests: usize,
    /// Accepted uploads kept for inspection. Default: 1000.
    pub max_uploads: usize,
    /// serialNo values remembered for replay detection. Default: 100000.
    pub max_serial_numbers: usize,
    /// Records kept per tenant and download method, to repeat in later polls. Default: 1000.
    pub max_sent_records: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_requests: 1000,
            max_uploads: 1000,
            max_serial_numbers: 100_000,
            max_sent_records: 1000,
        }
    }
}

impl Limits {
    fn validate(&self) -> Result<(), ConfigError> {
        let fields = [
            ("limits.max_requests", self.max_requests),
            ("limits.max_uploads", self.max_uploads),
            ("limits.max_serial_numbers", self.max_serial_numbers),
            ("limits.max_sent_records", self.max_sent_records),
        ];
        for (name, value) in fields {
            if value == 0 {
                return Err(ConfigError::ZeroLimit { name });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_toml_empty_gives_defaults() {
        let config = SimConfig::from_toml("").unwrap();

        assert_eq!(config, SimConfig::default());
        assert_eq!(config.gateway.clock_window_secs, 300);
        assert_eq!(config.scenario.seed, 1);
    }

    #[test]
    fn from_toml_reads_every_section() {
        let text = r#"
            bind = "127.0.0.1:9000"
            public_url = "http://sim.local:9000"

            [[tenants]]
            app_id = "APP1"
            insurance_code = "CPIC"
            app_key_file = "/tmp/key"

            [gateway]
            clock_window_secs = 60

            [scenario]
            seed = 42
            change_rate = 0.5

            [faults]
            http_500 = 0.25
            delay_ms = 10

            [limits]
            max_requests = 5
        "#;

        let config = SimConfig::from_toml(text).unwrap();

        assert_eq!(config.bind.as_deref(), Some("127.0.0.1:9000"));
        assert_eq!(config.tenants[0].app_id, "APP1");
        assert_eq!(config.gateway.clock_window_secs, 60);
        assert_eq!(config.scenario.seed, 42);
        assert_eq!(config.faults.http_500, 0.25);
        assert_eq!(config.faults.delay_ms, 10);
        assert_eq!(config.limits.max_requests, 5);
        assert_eq!(config.limits.max_uploads, 1000);
    }

    #[test]
    fn from_toml_rejects_unknown_key() {
        let error = SimConfig::from_toml("[faults]\nhttp_501 = 0.1\n").unwrap_err();

        assert!(matches!(error, ConfigError::Toml(_)), "{error}");
    }

    #[test]
    fn from_toml_rejects_rate_above_one() {
        let error = SimConfig::from_toml("[faults]\nhttp_503 = 1.5\n").unwrap_err();

        assert!(
            matches!(
                error,
                ConfigError::Rate {
                    name: "faults.http_503",
                    ..
                }
            ),
            "{error}"
        );
    }

    #[test]
    fn from_toml_rejects_zero_limit() {
        let error = SimConfig::from_toml("[limits]\nmax_uploads = 0\n").unwrap_err();

        assert!(
            matches!(
                error,
                ConfigError::ZeroLimit {
                    name: "limits.max_uploads"
                }
            ),
            "{error}"
        );
    }

    #[test]
    fn tenant_needs_exactly_one_key_source() {
        let both = "[[tenants]]\napp_id = \"A\"\ninsurance_code = \"CPIC\"\n\
                    app_key_file = \"k\"\napp_key_env = \"K\"\n";
        let neither = "[[tenants]]\napp_id = \"A\"\ninsurance_code = \"CPIC\"\n";

        for text in [both, neither] {
            let error = SimConfig::from_toml(text).unwrap_err();
            assert!(matches!(error, ConfigError::KeySource { .. }), "{error}");
        }
    }

    #[test]
    fn tenant_app_id_longer_than_32_rejected() {
        let text = format!(
            "[[tenants]]\napp_id = \"{}\"\ninsurance_code = \"CPIC\"\napp_key_env = \"K\"\n",
            "A".repeat(33)
        );

        let error = SimConfig::from_toml(&text).unwrap_err();

        assert!(matches!(error, ConfigError::AppId { .. }), "{error}");
    }
}

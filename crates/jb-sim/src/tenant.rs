//! Tenants: the insurers the simulator serves, each with its appId, appKey and insurer code.

use std::fmt::Write as _;
use std::path::Path;

use jb_crypto::AppKey;
use rand::Rng;

use crate::config::TenantConfig;
use crate::error::ConfigError;

/// One insurer served by the simulator.
#[derive(Clone, Debug)]
pub struct Tenant {
    app_id: String,
    insurance_code: String,
    app_key: AppKey,
}

impl Tenant {
    /// Creates a tenant from its appId, insurer code (such as `CPIC`) and appKey.
    pub fn new(
        app_id: impl Into<String>,
        insurance_code: impl Into<String>,
        app_key: AppKey,
    ) -> Self {
        Self {
            app_id: app_id.into(),
            insurance_code: insurance_code.into(),
            app_key,
        }
    }

    /// Creates a tenant with a random appId (`SIM` and 12 hex digits) and a random 32-character
    /// appKey, for a simulator started without any configured tenant.
    pub fn generate(insurance_code: impl Into<String>) -> Self {
        const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
        let mut rng = rand::thread_rng();

        let mut app_id = String::from("SIM");
        for _ in 0..6 {
            let byte: u8 = rng.r#gen();
            let _ = write!(app_id, "{byte:02X}");
        }
        let secret: String = (0..32)
            .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
            .collect();

        Self::new(app_id, insurance_code, AppKey::new(secret))
    }

    /// Resolves a configured tenant, reading its key from the file or variable it names.
    pub fn from_config(config: &TenantConfig) -> Result<Self, ConfigError> {
        let secret = match (&config.app_key_file, &config.app_key_env) {
            (Some(path), None) => read_key_file(&config.app_id, path)?,
            (None, Some(variable)) => {
                std::env::var(variable).map_err(|_| ConfigError::KeyVariable {
                    app_id: config.app_id.clone(),
                    variable: variable.clone(),
                })?
            }
            _ => {
                return Err(ConfigError::KeySource {
                    app_id: config.app_id.clone(),
                });
            }
        };
        if secret.is_empty() {
            return Err(ConfigError::EmptyKey {
                app_id: config.app_id.clone(),
            });
        }
        Ok(Self::new(
            config.app_id.clone(),
            config.insurance_code.clone(),
            AppKey::new(secret),
        ))
    }

    /// appId (合作方唯一标识).
    pub fn app_id(&self) -> &str {
        &self.app_id
    }

    /// 保险公司代码: the insurer code.
    pub fn insurance_code(&self) -> &str {
        &self.insurance_code
    }

    /// appKey (密钥).
    pub fn app_key(&self) -> &AppKey {
        &self.app_key
    }
}

/// A tenant as listed for inspection: its appId and insurer code, never its key.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TenantInfo {
    /// appId (合作方唯一标识).
    pub app_id: String,
    /// 保险公司代码: the insurer code.
    pub insurance_code: String,
}

impl From<&Tenant> for TenantInfo {
    fn from(tenant: &Tenant) -> Self {
        Self {
            app_id: tenant.app_id.clone(),
            insurance_code: tenant.insurance_code.clone(),
        }
    }
}

/// Reads a key file, removing one trailing line break (LF or CR LF).
pub fn read_key_file(app_id: &str, path: &Path) -> Result<String, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::KeyFile {
        app_id: app_id.to_owned(),
        path: path.to_path_buf(),
        source,
    })?;
    let trimmed = text
        .strip_suffix('\n')
        .map(|rest| rest.strip_suffix('\r').unwrap_or(rest))
        .unwrap_or(&text);
    Ok(trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generate_gives_distinct_tenants() {
        let first = Tenant::generate("CPIC");
        let second = Tenant::generate("CPIC");

        assert_eq!(first.app_id().len(), 15);
        assert!(first.app_id().starts_with("SIM"));
        assert_ne!(first.app_id(), second.app_id());
        assert_eq!(first.app_key().expose_secret().len(), 32);
        assert_ne!(
            first.app_key().expose_secret(),
            second.app_key().expose_secret()
        );
    }

    #[test]
    fn from_config_reads_key_file_without_line_break() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("key");
        std::fs::write(&path, "secret-key\r\n").unwrap();
        let config = TenantConfig {
            app_id: "APP1".into(),
            insurance_code: "PICC".into(),
            app_key_file: Some(path),
            app_key_env: None,
        };

        let tenant = Tenant::from_config(&config).unwrap();

        assert_eq!(tenant.app_key().expose_secret(), "secret-key");
        assert_eq!(tenant.insurance_code(), "PICC");
    }

    #[test]
    fn from_config_rejects_missing_file_and_empty_key() {
        let directory = tempfile::tempdir().unwrap();
        let empty = directory.path().join("empty");
        std::fs::write(&empty, "\n").unwrap();
        let mut config = TenantConfig {
            app_id: "APP1".into(),
            insurance_code: "PICC".into(),
            app_key_file: Some(directory.path().join("missing")),
            app_key_env: None,
        };

        let missing = Tenant::from_config(&config).unwrap_err();
        config.app_key_file = Some(empty);
        let blank = Tenant::from_config(&config).unwrap_err();

        assert!(matches!(missing, ConfigError::KeyFile { .. }), "{missing}");
        assert!(matches!(blank, ConfigError::EmptyKey { .. }), "{blank}");
    }
}

//! Client settings of `jb download` and `jb upload`: a `jb.toml` file, then environment
//! variables, which win over the file.
//!
//! The appKey is never a file value or a command-line value: it comes from `JB_APP_KEY`, else
//! from the file named by `JB_APP_KEY_FILE`, else from the file named by `app_key_file` in
//! `jb.toml`. Relative paths in `jb.toml` are relative to the directory of `jb.toml`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use jb_crypto::AppKey;
use jingbao::transport::{Endpoint, HttpConfig, ProxyConfig, RetryPolicy};
use serde::Deserialize;

use crate::credentials::{APP_KEY_FILE_VAR, APP_KEY_VAR, read_key_file};
use crate::failure::Failure;
use crate::i18n::Lang;

/// The configuration file read when `--config` is not given, if it exists.
pub(crate) const DEFAULT_CONFIG: &str = "jb.toml";

/// Environment variable of the appId.
const APP_ID_VAR: &str = "JB_APP_ID";
/// Environment variable of the insurer code.
const INSURANCE_CODE_VAR: &str = "JB_INSURANCE_CODE";
/// Environment variable of the gateway: `test`, `prod` or a URL.
const ENDPOINT_VAR: &str = "JB_ENDPOINT";

/// The `--config` option of the commands that call the platform.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct ConfigArgs {
    /// Client configuration file, TOML (default: ./jb.toml if it exists)
    #[arg(long, value_name = "PATH")]
    pub(crate) config: Option<PathBuf>,
}

/// Everything needed to build a platform client.
#[derive(Debug)]
pub(crate) struct ClientSettings {
    pub(crate) app_id: String,
    pub(crate) app_key: AppKey,
    pub(crate) insurance_code: String,
    pub(crate) endpoint: Endpoint,
    pub(crate) http: HttpConfig,
    pub(crate) retry: RetryPolicy,
}

/// The keys of `jb.toml`. Unknown keys are rejected so that a typo does not pass unnoticed.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    app_id: Option<String>,
    app_key_file: Option<PathBuf>,
    insurance_code: Option<String>,
    endpoint: Option<String>,
    #[serde(default)]
    http: HttpSection,
    #[serde(default)]
    retry: RetrySection,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct HttpSection {
    connect_timeout_secs: Option<u64>,
    request_timeout_secs: Option<u64>,
    #[serde(default)]
    root_certificates: Vec<PathBuf>,
    proxy: Option<String>,
    no_proxy: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RetrySection {
    max_attempts: Option<u32>,
    initial_backoff_ms: Option<u64>,
    max_backoff_ms: Option<u64>,
    max_elapsed_secs: Option<u64>,
    retry_unknown_outcome: Option<bool>,
}

impl ConfigArgs {
    /// Reads the file and the process environment into client settings.
    pub(crate) fn load(&self, lang: Lang) -> Result<ClientSettings, Failure> {
        load(
            self.config.as_deref(),
            Path::new(DEFAULT_CONFIG),
            &|name| std::env::var(name).ok(),
            lang,
        )
    }
}

/// Reads `explicit`, or `default` when it exists, then applies the variables that `env` returns.
fn load(
    explicit: Option<&Path>,
    default: &Path,
    env: &dyn Fn(&str) -> Option<String>,
    lang: Lang,
) -> Result<ClientSettings, Failure> {
    let (file, base) = match explicit {
        Some(path) => (read_file(path, lang)?, parent_dir(path)),
        None if default.exists() => (read_file(default, lang)?, parent_dir(default)),
        None => (FileConfig::default(), PathBuf::from(".")),
    };
    let env = |name: &str| env(name).filter(|value| !value.trim().is_empty());

    let app_id = env(APP_ID_VAR)
        .or(file.app_id)
        .ok_or_else(|| missing("app_id", APP_ID_VAR, lang))?;
    let insurance_code = env(INSURANCE_CODE_VAR)
        .or(file.insurance_code)
        .ok_or_else(|| missing("insurance_code", INSURANCE_CODE_VAR, lang))?;
    let endpoint_text = env(ENDPOINT_VAR)
        .or(file.endpoint)
        .ok_or_else(|| missing("endpoint", ENDPOINT_VAR, lang))?;
    let endpoint = endpoint_text.parse::<Endpoint>().map_err(|error| {
        Failure::usage(lang.pick(
            format!("endpoint 无效：{error}；请填 test、prod 或以 http:// 或 https:// 开头的 URL"),
            format!("invalid endpoint: {error}"),
        ))
    })?;

    let app_key = if let Some(secret) = env(APP_KEY_VAR) {
        AppKey::new(secret)
    } else if let Some(path) = env(APP_KEY_FILE_VAR) {
        read_key_file(Path::new(&path), lang)?
    } else if let Some(path) = file.app_key_file {
        read_key_file(&base.join(path), lang)?
    } else {
        return Err(Failure::usage(lang.pick(
            format!("缺少 appKey：请设置环境变量 {APP_KEY_VAR} 或 {APP_KEY_FILE_VAR}，或在 jb.toml 中设置 app_key_file"),
            format!("missing appKey: set {APP_KEY_VAR} or {APP_KEY_FILE_VAR}, or app_key_file in jb.toml"),
        )));
    };

    Ok(ClientSettings {
        app_id,
        app_key,
        insurance_code,
        endpoint,
        http: http_config(&file.http, &base),
        retry: retry_policy(&file.retry),
    })
}

fn read_file(path: &Path, lang: Lang) -> Result<FileConfig, Failure> {
    let text = std::fs::read_to_string(path).map_err(|error| {
        Failure::usage(lang.pick(
            format!("无法读取配置文件 {}：{error}", path.display()),
            format!("cannot read configuration file {}: {error}", path.display()),
        ))
    })?;
    toml::from_str(&text).map_err(|error| {
        Failure::usage(lang.pick(
            format!("配置文件 {} 无效：{error}", path.display()),
            format!("invalid configuration file {}: {error}", path.display()),
        ))
    })
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    }
}

fn missing(key: &str, variable: &str, lang: Lang) -> Failure {
    Failure::usage(lang.pick(
        format!("缺少 {key}：请在 jb.toml 中设置 {key}，或设置环境变量 {variable}"),
        format!("missing {key}: set {key} in jb.toml or the environment variable {variable}"),
    ))
}

/// Builds the HTTP settings; the client's builder checks them and reports invalid values.
fn http_config(section: &HttpSection, base: &Path) -> HttpConfig {
    let mut http = HttpConfig::default();
    if let Some(seconds) = section.connect_timeout_secs {
        http = http.connect_timeout(Duration::from_secs(seconds));
    }
    if let Some(seconds) = section.request_timeout_secs {
        http = http.request_timeout(Duration::from_secs(seconds));
    }
    for path in &section.root_certificates {
        http = http.add_root_certificates_file(base.join(path));
    }
    let proxy = match section.proxy.as_deref().map(str::trim) {
        None => ProxyConfig::Environment,
        Some("none") => ProxyConfig::Disabled,
        Some(url) => ProxyConfig::Url {
            url: url.to_owned(),
            no_proxy: section.no_proxy.clone(),
        },
    };
    http.proxy(proxy)
}

fn retry_policy(section: &RetrySection) -> RetryPolicy {
    let mut retry = RetryPolicy::default();
    if let Some(attempts) = section.max_attempts {
        retry = retry.max_attempts(attempts);
    }
    if let Some(millis) = section.initial_backoff_ms {
        retry = retry.initial_backoff(Duration::from_millis(millis));
    }
    if let Some(millis) = section.max_backoff_ms {
        retry = retry.max_backoff(Duration::from_millis(millis));
    }
    if let Some(seconds) = section.max_elapsed_secs {
        retry = retry.max_elapsed(Duration::from_secs(seconds));
    }
    if let Some(retry_unknown) = section.retry_unknown_outcome {
        retry = retry.retry_unknown_outcome(retry_unknown);
    }
    retry
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect();
        move |name| map.get(name).cloned()
    }

    fn write(directory: &Path, name: &str, text: &str) -> PathBuf {
        let path = directory.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn load_reads_file_with_relative_key_file() {
        let directory = tempfile::tempdir().unwrap();
        write(directory.path(), "app.key", "file-secret\n");
        let config = write(
            directory.path(),
            "jb.toml",
            "app_id = \"APP1\"\napp_key_file = \"app.key\"\ninsurance_code = \"CPIC\"\nendpoint = \"test\"\n\
             [retry]\nmax_attempts = 2\n[http]\nrequest_timeout_secs = 5\nproxy = \"none\"\n",
        );

        let settings = load(
            Some(&config),
            Path::new("absent.toml"),
            &env_of(&[]),
            Lang::En,
        )
        .unwrap();

        assert_eq!(settings.app_id, "APP1");
        assert_eq!(settings.app_key.expose_secret(), "file-secret");
        assert_eq!(settings.insurance_code, "CPIC");
        assert_eq!(settings.endpoint, Endpoint::test());
        assert_eq!(settings.retry, RetryPolicy::default().max_attempts(2));
        let expected_http = HttpConfig::default()
            .request_timeout(Duration::from_secs(5))
            .proxy(ProxyConfig::Disabled);
        assert_eq!(settings.http, expected_http);
    }

    #[test]
    fn load_environment_wins_over_file() {
        let directory = tempfile::tempdir().unwrap();
        write(directory.path(), "app.key", "file-secret");
        let config = write(
            directory.path(),
            "jb.toml",
            "app_id = \"APP1\"\napp_key_file = \"app.key\"\ninsurance_code = \"CPIC\"\nendpoint = \"test\"\n",
        );
        let env = env_of(&[
            ("JB_APP_ID", "APP2"),
            ("JB_APP_KEY", "env-secret"),
            ("JB_INSURANCE_CODE", "PICC"),
            ("JB_ENDPOINT", "http://127.0.0.1:8080/gateway.do"),
        ]);

        let settings = load(Some(&config), Path::new("absent.toml"), &env, Lang::En).unwrap();

        assert_eq!(settings.app_id, "APP2");
        assert_eq!(settings.app_key.expose_secret(), "env-secret");
        assert_eq!(settings.insurance_code, "PICC");
        assert_eq!(
            settings.endpoint.url().as_str(),
            "http://127.0.0.1:8080/gateway.do"
        );
    }

    #[test]
    fn load_key_file_variable_wins_over_file_key() {
        let directory = tempfile::tempdir().unwrap();
        write(directory.path(), "file.key", "file-secret");
        let env_key = write(directory.path(), "env.key", "env-file-secret");
        let config = write(
            directory.path(),
            "jb.toml",
            "app_id = \"APP1\"\napp_key_file = \"file.key\"\ninsurance_code = \"CPIC\"\nendpoint = \"prod\"\n",
        );
        let env_key = env_key.display().to_string();
        let env = env_of(&[("JB_APP_KEY_FILE", env_key.as_str())]);

        let settings = load(Some(&config), Path::new("absent.toml"), &env, Lang::En).unwrap();

        assert_eq!(settings.app_key.expose_secret(), "env-file-secret");
        assert_eq!(settings.endpoint, Endpoint::production());
    }

    #[test]
    fn load_without_file_uses_environment_only() {
        let env = env_of(&[
            ("JB_APP_ID", "APP2"),
            ("JB_APP_KEY", "env-secret"),
            ("JB_INSURANCE_CODE", "CPIC"),
            ("JB_ENDPOINT", "test"),
        ]);

        let settings = load(None, Path::new("/nonexistent/jb.toml"), &env, Lang::En).unwrap();

        assert_eq!(settings.app_id, "APP2");
        assert_eq!(settings.http, HttpConfig::default());
    }

    #[test]
    fn load_reports_each_missing_setting() {
        let cases: [(&[(&str, &str)], &str); 4] = [
            (
                &[
                    ("JB_APP_KEY", "k"),
                    ("JB_INSURANCE_CODE", "CPIC"),
                    ("JB_ENDPOINT", "test"),
                ],
                "JB_APP_ID",
            ),
            (
                &[
                    ("JB_APP_ID", "A"),
                    ("JB_APP_KEY", "k"),
                    ("JB_ENDPOINT", "test"),
                ],
                "JB_INSURANCE_CODE",
            ),
            (
                &[
                    ("JB_APP_ID", "A"),
                    ("JB_APP_KEY", "k"),
                    ("JB_INSURANCE_CODE", "CPIC"),
                ],
                "JB_ENDPOINT",
            ),
            (
                &[
                    ("JB_APP_ID", "A"),
                    ("JB_INSURANCE_CODE", "CPIC"),
                    ("JB_ENDPOINT", "test"),
                ],
                "JB_APP_KEY",
            ),
        ];
        for (pairs, variable) in cases {
            let error = load(
                None,
                Path::new("/nonexistent/jb.toml"),
                &env_of(pairs),
                Lang::En,
            )
            .unwrap_err();
            assert_eq!(error.code as u8, 2, "{variable}");
            assert!(
                error.message.contains(variable),
                "{variable}: {}",
                error.message
            );
        }
    }

    #[test]
    fn load_rejects_unknown_key_and_missing_file() {
        let directory = tempfile::tempdir().unwrap();
        let config = write(directory.path(), "jb.toml", "app_key = \"inline-secret\"\n");

        let error = load(
            Some(&config),
            Path::new("absent.toml"),
            &env_of(&[]),
            Lang::En,
        )
        .unwrap_err();
        assert_eq!(error.code as u8, 2);
        assert!(error.message.contains("app_key"), "{}", error.message);

        let missing = directory.path().join("other.toml");
        let error = load(
            Some(&missing),
            Path::new("absent.toml"),
            &env_of(&[]),
            Lang::En,
        )
        .unwrap_err();
        assert!(error.message.contains("other.toml"), "{}", error.message);
    }

    #[test]
    fn load_rejects_invalid_endpoint() {
        let env = env_of(&[
            ("JB_APP_ID", "A"),
            ("JB_APP_KEY", "k"),
            ("JB_INSURANCE_CODE", "CPIC"),
            ("JB_ENDPOINT", "staging"),
        ]);

        let error = load(None, Path::new("/nonexistent/jb.toml"), &env, Lang::En).unwrap_err();

        assert_eq!(error.code as u8, 2);
        assert!(error.message.contains("endpoint"), "{}", error.message);
    }
}

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
    let (file, base, source) = match explicit {
        Some(path) => (read_file(path, lang)?, parent_dir(path), Source::File(path)),
        None if default.exists() => (
            read_file(default, lang)?,
            parent_dir(default),
            Source::File(default),
        ),
        None => (
            FileConfig::default(),
            PathBuf::from("."),
            Source::NotFound(default),
        ),
    };
    let env = |name: &str| env(name).filter(|value| !value.trim().is_empty());

    let app_id = env(APP_ID_VAR).or(file.app_id);
    let insurance_code = env(INSURANCE_CODE_VAR).or(file.insurance_code);
    let endpoint_text = env(ENDPOINT_VAR).or(file.endpoint);
    let key_file = env(APP_KEY_FILE_VAR)
        .map(PathBuf::from)
        .or_else(|| file.app_key_file.map(|path| base.join(path)));
    let key_secret = env(APP_KEY_VAR);

    let (Some(app_id), Some(insurance_code), Some(endpoint_text), true) = (
        app_id.clone(),
        insurance_code.clone(),
        endpoint_text.clone(),
        key_secret.is_some() || key_file.is_some(),
    ) else {
        let mut absent = Vec::new();
        if app_id.is_none() {
            absent.push(Setting::AppId);
        }
        if insurance_code.is_none() {
            absent.push(Setting::InsuranceCode);
        }
        if endpoint_text.is_none() {
            absent.push(Setting::Endpoint);
        }
        if key_secret.is_none() && key_file.is_none() {
            absent.push(Setting::AppKey);
        }
        return Err(missing(&absent, &source, lang));
    };

    let endpoint = endpoint_text.parse::<Endpoint>().map_err(|error| {
        Failure::usage(lang.pick(
            format!("endpoint 无效：{error}；请填 test、prod 或以 http:// 或 https:// 开头的 URL"),
            format!("invalid endpoint: {error}"),
        ))
    })?;
    let app_key = match (key_secret, key_file) {
        (Some(secret), _) => AppKey::new(secret),
        (None, Some(path)) => read_key_file(&path, lang)?,
        // Both absent was reported above as a missing setting.
        (None, None) => return Err(missing(&[Setting::AppKey], &source, lang)),
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

/// Where the file settings came from.
enum Source<'a> {
    /// The file was read.
    File(&'a Path),
    /// No `--config` was given and the default file does not exist.
    NotFound(&'a Path),
}

/// A required client setting.
#[derive(Clone, Copy)]
enum Setting {
    AppId,
    InsuranceCode,
    Endpoint,
    AppKey,
}

impl Setting {
    /// Returns the `jb.toml` key and a note naming the environment variables that set it.
    fn describe(self, lang: Lang) -> (&'static str, String) {
        match self {
            Setting::AppId => (
                "app_id",
                lang.pick(
                    format!("环境变量 {APP_ID_VAR}；平台分配的 appId"),
                    format!("variable {APP_ID_VAR}; the appId the platform issued"),
                )
            ),
            Setting::InsuranceCode => (
                "insurance_code",
                lang.pick(
                    format!("环境变量 {INSURANCE_CODE_VAR}；保险公司代码，如 CPIC"),
                    format!("variable {INSURANCE_CODE_VAR}; the insurer code, such as CPIC"),
                )
            ),
            Setting::Endpoint => (
                "endpoint",
                lang.pick(
                    format!("环境变量 {ENDPOINT_VAR}；test、prod 或网关 URL"),
                    format!("variable {ENDPOINT_VAR}; test, prod or the gateway URL"),
                )
            ),
            Setting::AppKey => (
                "app_key_file",
                lang.pick(
                    format!(
                        "环境变量 {APP_KEY_VAR}（appKey 本身）或 {APP_KEY_FILE_VAR}（存放 appKey 的文件）"
                    ),
                    format!(
                        "variable {APP_KEY_VAR} (the appKey itself) or {APP_KEY_FILE_VAR} (a file holding it)"
                    ),
                )
            ),
        }
    }
}

/// Lists every missing setting at once, each with the `jb.toml` key and environment variable
/// that set it, and says whether a configuration file was read.
fn missing(absent: &[Setting], source: &Source<'_>, lang: Lang) -> Failure {
    let mut message = match source {
        Source::File(path) => lang.pick(
            format!("缺少客户端设置（已读取配置文件 {}）", path.display()),
            format!(
                "missing client settings (configuration file {} was read)",
                path.display()
            ),
        ),
        Source::NotFound(path) => {
            let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
            lang.pick(
                format!(
                    "缺少客户端设置：未找到配置文件 {}，可用 --config 指定其他文件",
                    absolute.display()
                ),
                format!(
                    "missing client settings: no configuration file found at {}; name another with --config",
                    absolute.display()
                ),
            )
        }
    };
    message.push_str(lang.pick(
        "。请在 jb.toml 中设置以下各项，或设置对应的环境变量：",
        ". Set each of these in jb.toml or through its environment variable:",
    ));
    for setting in absent {
        let (key, note) = setting.describe(lang);
        message.push_str(&format!("\n  {key:<16}{note}"));
    }
    Failure::usage(message)
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
    fn load_lists_all_missing_settings_at_once() {
        let directory = tempfile::tempdir().unwrap();
        let default = directory.path().join("jb.toml");

        let error = load(None, &default, &env_of(&[]), Lang::En).unwrap_err();

        assert_eq!(error.code as u8, 2);
        for expected in [
            "app_id",
            "JB_APP_ID",
            "insurance_code",
            "JB_INSURANCE_CODE",
            "endpoint",
            "JB_ENDPOINT",
            "app_key_file",
            "JB_APP_KEY",
            "JB_APP_KEY_FILE",
        ] {
            assert!(
                error.message.contains(expected),
                "{expected}: {}",
                error.message
            );
        }
        let not_found = format!("no configuration file found at {}", default.display());
        assert!(error.message.contains(&not_found), "{}", error.message);
    }

    #[test]
    fn load_names_read_file_when_settings_missing() {
        let directory = tempfile::tempdir().unwrap();
        let config = write(directory.path(), "jb.toml", "app_id = \"APP1\"\n");

        let error = load(
            Some(&config),
            Path::new("absent.toml"),
            &env_of(&[]),
            Lang::Zh,
        )
        .unwrap_err();

        assert!(
            error.message.contains("已读取配置文件"),
            "{}",
            error.message
        );
        assert!(
            !error.message.contains("JB_APP_ID"),
            "app_id is set: {}",
            error.message
        );
        assert!(error.message.contains("JB_ENDPOINT"), "{}", error.message);
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

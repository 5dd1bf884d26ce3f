//! Where the appKey and the appId come from on the command line.
//!
//! The appKey is a secret, so it is never a command-line value (the process list and the shell
//! history would show it): it comes from a file named by `--app-key-file`, else from the
//! environment variable `JB_APP_KEY`, else from a file named by `JB_APP_KEY_FILE`.

use std::path::{Path, PathBuf};

use jb_crypto::AppKey;

use crate::failure::Failure;
use crate::i18n::Lang;

/// Environment variable holding the appKey itself.
pub(crate) const APP_KEY_VAR: &str = "JB_APP_KEY";
/// Environment variable naming a file that holds the appKey.
pub(crate) const APP_KEY_FILE_VAR: &str = "JB_APP_KEY_FILE";

/// The `--app-key-file` option shared by every command that signs or encrypts.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct KeyArgs {
    /// File holding the appKey (default: the JB_APP_KEY or JB_APP_KEY_FILE environment variable)
    #[arg(long, value_name = "PATH")]
    pub(crate) app_key_file: Option<PathBuf>,
}

impl KeyArgs {
    /// Loads the appKey from the option or the environment.
    pub(crate) fn load(&self, lang: Lang) -> Result<AppKey, Failure> {
        if let Some(path) = &self.app_key_file {
            return read_key_file(path, lang);
        }
        if let Some(secret) = std::env::var_os(APP_KEY_VAR) {
            let secret = secret.into_string().map_err(|_| {
                Failure::usage(lang.pick(
                    format!("环境变量 {APP_KEY_VAR} 不是有效的 UTF-8 文本；请重新设置 appKey"),
                    format!("environment variable {APP_KEY_VAR} is not valid UTF-8; set the appKey again"),
                ))
            })?;
            return non_empty(AppKey::new(secret), APP_KEY_VAR, lang);
        }
        if let Some(path) = std::env::var_os(APP_KEY_FILE_VAR) {
            return read_key_file(Path::new(&path), lang);
        }
        Err(Failure::usage(lang.pick(
            format!(
                "缺少 appKey：请用 --app-key-file 指定密钥文件，或设置环境变量 {APP_KEY_VAR} 或 {APP_KEY_FILE_VAR}"
            ),
            format!(
                "missing appKey: name a key file with --app-key-file, or set {APP_KEY_VAR} or {APP_KEY_FILE_VAR}"
            ),
        )))
    }
}

/// The `--app-id` option: the appId the platform issued, checked or written into envelopes.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct AppIdArgs {
    /// appId issued by the platform (default: the JB_APP_ID environment variable)
    #[arg(long, value_name = "ID", env = "JB_APP_ID")]
    pub(crate) app_id: Option<String>,
}

impl AppIdArgs {
    /// Returns the appId, or a usage error naming both ways to give it.
    pub(crate) fn require(&self, lang: Lang) -> Result<&str, Failure> {
        match self.app_id.as_deref() {
            Some(app_id) if !app_id.is_empty() => Ok(app_id),
            _ => Err(Failure::usage(lang.pick(
                "缺少 appId：请用 --app-id 指定，或设置环境变量 JB_APP_ID",
                "missing appId: give --app-id or set JB_APP_ID",
            ))),
        }
    }
}

/// Reads an appKey file, dropping one trailing line break that editors add.
pub(crate) fn read_key_file(path: &Path, lang: Lang) -> Result<AppKey, Failure> {
    let text = std::fs::read_to_string(path).map_err(|error| {
        Failure::usage(lang.pick(
            format!(
                "无法读取 appKey 文件 {}：{}；请检查 --app-key-file、JB_APP_KEY_FILE 或 jb.toml 中 app_key_file 给出的路径",
                path.display(),
                crate::messages::io_error(lang, &error)
            ),
            format!(
                "cannot read appKey file {}: {error}; check the path given by --app-key-file, JB_APP_KEY_FILE or app_key_file in jb.toml",
                path.display()
            ),
        ))
    })?;
    warn_if_shared(path, lang);
    let secret = text
        .strip_suffix("\r\n")
        .or_else(|| text.strip_suffix('\n'))
        .unwrap_or(&text);
    let source = path.display().to_string();
    non_empty(AppKey::new(secret), &source, lang)
}

/// Warns on stderr when users other than the owner may read the key file, which would let
/// them sign and decrypt as the insurer. The key is still used: refusing it would stop a
/// running integration over a permission bit.
#[cfg(unix)]
fn warn_if_shared(path: &Path, lang: Lang) {
    use std::os::unix::fs::PermissionsExt as _;

    let Ok(metadata) = std::fs::metadata(path) else {
        return;
    };
    let mode = metadata.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        eprintln!(
            "{}",
            lang.pick(
                format!(
                    "警告：appKey 文件 {} 的权限为 {mode:o}，其他用户也能读取；请执行 chmod 600 {}",
                    path.display(),
                    path.display()
                ),
                format!(
                    "warning: appKey file {} has mode {mode:o}, so other users can read it; run chmod 600 {}",
                    path.display(),
                    path.display()
                ),
            )
        );
    }
}

#[cfg(not(unix))]
fn warn_if_shared(_path: &Path, _lang: Lang) {}

fn non_empty(key: AppKey, source: &str, lang: Lang) -> Result<AppKey, Failure> {
    if key.is_empty() {
        return Err(Failure::usage(lang.pick(
            format!("{source} 中的 appKey 为空；请填入平台分配的 appKey"),
            format!("the appKey in {source} is empty; put the appKey issued by the platform there"),
        )));
    }
    Ok(key)
}

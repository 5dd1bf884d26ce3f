//! Helpers shared by `jb download` and `jb upload`: building the client, running it, and rendering
//! its errors for a person.

use jingbao::transport::{HttpTransport, TransportError};
use jingbao::{BuildError, Client, Error};

use crate::config::ClientSettings;
use crate::failure::Failure;
use crate::i18n::Lang;
use crate::messages;

/// Builds the client; a setting the builder rejects is a usage error.
pub(crate) fn build_client(
    settings: ClientSettings,
    lang: Lang,
) -> Result<Client<HttpTransport>, Failure> {
    Client::builder()
        .endpoint(settings.endpoint)
        .app_id(settings.app_id)
        .app_key(settings.app_key)
        .insurance_code(settings.insurance_code)
        .http(settings.http)
        .retry(settings.retry)
        .build()
        .map_err(|error| Failure::usage(build_error(lang, &error)))
}

/// Runs `future` on a single-threaded runtime, with warnings (retries, records that failed to
/// decode) logged on stderr. `RUST_LOG` overrides the level.
pub(crate) fn block_on<F: std::future::Future>(
    future: F,
    lang: Lang,
) -> Result<F::Output, Failure> {
    // The command prints each failure itself, so jingbao's own line for a failed call would
    // repeat it; retries and decode warnings of the lower crates still show.
    crate::logging::init_stderr("warn,jingbao=off");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| {
            Failure::rejected(lang.pick(
                format!("无法启动异步运行时：{error}"),
                format!("cannot start the async runtime: {error}"),
            ))
        })?;
    Ok(runtime.block_on(future))
}

fn build_error(lang: Lang, error: &BuildError) -> String {
    match (lang, error) {
        (Lang::Zh, BuildError::InsuranceCode { code, reason }) => {
            format!("保险公司代码 {code:?} 无效（{reason}）：请填平台分配的代码，例如 CPIC")
        }
        (Lang::Zh, other) => format!("客户端配置无效：{other}"),
        (Lang::En, other) => format!("invalid client configuration: {other}"),
    }
}

/// Renders a failed platform call; every failure of a call exits with status 1.
pub(crate) fn call_failure(lang: Lang, error: &Error) -> Failure {
    Failure::rejected(describe(lang, error))
}

fn describe(lang: Lang, error: &Error) -> String {
    let mut message = describe_error(lang, error);
    if suggests_sign_problem(error) {
        message.push_str(lang.pick(
            "\n请检查 appKey 是否与平台分配的一致；用 jb explain-sign 可查看请求签名的计算过程",
            "\ncheck that the appKey is the one the platform issued; jb explain-sign shows how a request's sign is computed",
        ));
    }
    message
}

/// Returns whether a platform error points at the sign: its message names the sign, or the
/// response's own sign did not verify, which a wrong appKey also causes.
fn suggests_sign_problem(error: &Error) -> bool {
    match error {
        Error::Platform {
            return_msg,
            sign_verified,
            ..
        } => {
            !sign_verified
                || return_msg.contains("签名")
                || return_msg.to_ascii_lowercase().contains("sign")
        }
        _ => false,
    }
}

fn describe_error(lang: Lang, error: &Error) -> String {
    if lang == Lang::En {
        return error.to_string();
    }
    let serial_no = error
        .serial_no()
        .map(ToString::to_string)
        .unwrap_or_default();
    match error {
        Error::InvalidRecord { source, .. } => {
            let lines: Vec<String> = source
                .violations
                .iter()
                .map(|violation| format!("  {}", messages::violation(lang, violation)))
                .collect();
            format!("记录不符合平台规则，未发送：\n{}", lines.join("\n"))
        }
        Error::Platform {
            return_code,
            return_msg,
            sign_verified,
            ..
        } => {
            let unverified = match sign_verified {
                true => "",
                false => "；响应的签名未通过校验，因此错误码和信息未经认证",
            };
            format!(
                "平台返回错误码 {return_code}（{return_msg}），请求流水号 {serial_no}{unverified}"
            )
        }
        Error::UploadRejected { return_msg, .. } => format!(
            "平台以 FAIL 拒绝了上传（{return_msg}），请求流水号 {serial_no}：请修正记录后重新上传"
        ),
        Error::Response { source, .. } => format!(
            "响应未通过校验，其数据未被使用（请求流水号 {serial_no}）：{}",
            messages::open_error(lang, source)
        ),
        Error::Transport { source, .. } => {
            format!(
                "请求失败（请求流水号 {serial_no}）：{}",
                transport_error(source)
            )
        }
        other => other.to_string(),
    }
}

fn transport_error(error: &TransportError) -> String {
    match error {
        TransportError::Connect { host, .. } if error.is_certificate_error() => format!(
            "{host} 的 TLS 证书未通过校验（{error}）：若该服务器使用自签名或内部 CA 证书，请在 jb.toml 的 [http] 中用 root_certificates 加入其根证书（PEM）"
        ),
        TransportError::Connect { host, attempts, .. } => {
            format!("尝试 {attempts} 次仍无法连接 {host}：请检查 endpoint、代理设置和网络")
        }
        TransportError::Timeout { host, timeout, .. } => format!(
            "{host} 在 {} 秒内未响应：平台可能已处理该请求；请稍后重试或调大 request_timeout_secs",
            timeout.as_secs()
        ),
        TransportError::Status {
            host,
            status,
            attempts,
        } => {
            format!("{host} 返回 HTTP {status}（共尝试 {attempts} 次）")
        }
        other => other.to_string(),
    }
}

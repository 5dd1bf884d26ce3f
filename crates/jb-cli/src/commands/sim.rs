//! `jb sim`: run the platform simulator until Ctrl+C.
//!
//! Tenants come from `--app-id` with the usual key sources (a key file or `JB_APP_KEY`,
//! `JB_APP_KEY_FILE`) and `--insurance-code`, and from the `[[tenants]]` of `--config`. With
//! neither, a tenant is generated and its key written to a new file readable only by the user:
//! the key itself is never printed. A key file that `jb sim` named itself is removed when the
//! simulator stops; one named with `--key-out` is kept. Every insurer code must be in the
//! platform's insurer table (`jb dict insurer`), because the client rejects any other.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use jb_model::Insurer;
use jb_sim::{RunningSimulator, SimConfig, Simulator, Tenant};

use crate::credentials::{AppIdArgs, KeyArgs};
use crate::failure::Failure;
use crate::i18n::Lang;

/// Insurer code of a generated tenant when none is given.
const DEFAULT_INSURANCE_CODE: &str = "CPIC";

/// Arguments of `jb sim`.
#[derive(Debug, clap::Args)]
pub(crate) struct SimArgs {
    /// Simulator configuration file (TOML): tenants, clock window, scenario, faults, limits
    #[arg(long, value_name = "PATH")]
    pub(crate) config: Option<PathBuf>,

    /// Address to listen on (default: 127.0.0.1:0, a free port)
    #[arg(long, value_name = "ADDR")]
    pub(crate) bind: Option<String>,

    /// Insurer code of the tenant (default: the JB_INSURANCE_CODE environment variable)
    #[arg(long, value_name = "CODE", env = "JB_INSURANCE_CODE")]
    pub(crate) insurance_code: Option<String>,

    /// Seed of the generated records and of fault injection
    #[arg(long, value_name = "N")]
    pub(crate) seed: Option<u64>,

    /// Where to write the key of a generated tenant (default: a new file in the temporary directory)
    #[arg(long, value_name = "PATH")]
    pub(crate) key_out: Option<PathBuf>,

    #[command(flatten)]
    pub(crate) app_id: AppIdArgs,

    #[command(flatten)]
    pub(crate) key: KeyArgs,
}

/// Where the key of the served tenant comes from, for the startup message.
enum KeySource {
    /// A file the user named or the environment.
    Given,
    /// The configuration file's tenants.
    Config,
    /// A generated tenant whose key was written to this file; `remove` when `jb sim` chose the
    /// path itself and removes the file on shutdown.
    Written { path: PathBuf, remove: bool },
}

impl KeySource {
    /// Removes a key file that `jb sim` named itself, reporting a failure on stderr.
    fn clean_up(&self, lang: Lang) {
        let KeySource::Written { path, remove: true } = self else {
            return;
        };
        if let Err(error) = std::fs::remove_file(path) {
            eprintln!(
                "{}",
                lang.pick(
                    format!("无法删除 appKey 文件 {}：{error}", path.display()),
                    format!(
                        "failed to remove the appKey file {}: {error}",
                        path.display()
                    ),
                )
            );
        }
    }
}

/// Starts the simulator, prints how to reach it and serves until Ctrl+C.
pub(crate) fn run(args: &SimArgs, lang: Lang) -> Result<(), Failure> {
    let mut config = match &args.config {
        Some(path) => SimConfig::load(path).map_err(|error| {
            Failure::rejected(lang.pick(
                format!("模拟器配置无效：{error}"),
                format!("invalid simulator configuration: {error}"),
            ))
        })?,
        None => SimConfig::default(),
    };
    if let Some(bind) = &args.bind {
        config.bind = Some(bind.clone());
    }
    if let Some(seed) = args.seed {
        config.scenario.seed = seed;
    }
    if let Some(code) = &args.insurance_code {
        check_insurer(code, lang).map_err(Failure::usage)?;
    }
    for tenant in &config.tenants {
        check_insurer(&tenant.insurance_code, lang).map_err(|message| {
            Failure::rejected(lang.pick(
                format!("模拟器配置无效：租户 {}：{message}", tenant.app_id),
                format!(
                    "invalid simulator configuration: tenant {}: {message}",
                    tenant.app_id
                ),
            ))
        })?;
    }

    let mut builder = Simulator::builder();
    let source = if let Some(app_id) = args.app_id.app_id.as_deref().filter(|id| !id.is_empty()) {
        let app_key = args.key.load(lang)?;
        let insurance_code = args.insurance_code.clone().ok_or_else(|| {
            Failure::usage(lang.pick(
                "缺少保险公司代码：请用 --insurance-code 指定，或设置环境变量 JB_INSURANCE_CODE",
                "missing insurer code: give --insurance-code or set JB_INSURANCE_CODE",
            ))
        })?;
        builder = builder.tenant(Tenant::new(app_id, insurance_code, app_key));
        KeySource::Given
    } else if !config.tenants.is_empty() {
        KeySource::Config
    } else {
        let code = args
            .insurance_code
            .clone()
            .unwrap_or_else(|| DEFAULT_INSURANCE_CODE.to_owned());
        let tenant = Tenant::generate(code);
        let (path, remove) = match &args.key_out {
            Some(path) => (path.clone(), false),
            None => (
                std::env::temp_dir().join(format!("jb-sim-{}.key", tenant.app_id())),
                true,
            ),
        };
        write_key_file(&path, &tenant, lang)?;
        builder = builder.tenant(tenant);
        KeySource::Written { path, remove }
    };

    // One log line per request on stderr.
    crate::logging::init_stderr("jb_sim=info");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|error| {
            Failure::rejected(lang.pick(
                format!("无法启动异步运行时：{error}"),
                format!("failed to start the async runtime: {error}"),
            ))
        });
    let result = match runtime {
        Ok(runtime) => runtime.block_on(serve(builder.config(config), &source, lang)),
        Err(failure) => Err(failure),
    };
    source.clean_up(lang);
    result
}

/// Checks that `code` is in the platform's insurer table, returning the message to show when
/// it is not.
fn check_insurer(code: &str, lang: Lang) -> Result<(), String> {
    if Insurer::from_code(code).is_known() {
        return Ok(());
    }
    Err(lang.pick(
        format!(
            "保险公司代码 {code:?} 不在平台的保险公司代码表中，客户端的每个请求都会被拒绝；\
                 请用 jb dict insurer 查看可用代码"
        ),
        format!(
            "insurer code {code:?} is not in the platform's insurer table, so every client \
                 request would be rejected; run jb dict insurer to list the valid codes"
        ),
    ))
}

async fn serve(
    builder: jb_sim::SimulatorBuilder,
    source: &KeySource,
    lang: Lang,
) -> Result<(), Failure> {
    // The handlers are installed before the banner, so that a signal sent as soon as the
    // banner appears stops the simulator cleanly instead of killing the process.
    let stop = stop_signal();
    let simulator = builder.bind_configured().await.map_err(|error| {
        Failure::rejected(lang.pick(
            format!("模拟器启动失败：{error}"),
            format!("failed to start the simulator: {error}"),
        ))
    })?;
    print_banner(&simulator, source, lang);

    match stop {
        Ok(stop) => stop.await,
        Err(error) => eprintln!(
            "{}",
            lang.pick(
                format!("无法等待 Ctrl+C：{error}；模拟器即将停止"),
                format!("cannot wait for Ctrl+C: {error}; stopping the simulator"),
            )
        ),
    }
    simulator.shutdown().await;
    Ok(())
}

/// Installs the handlers of Ctrl+C, and on Unix of SIGTERM (sent by `kill` and service
/// managers), and returns a future that completes when either signal arrives.
fn stop_signal() -> std::io::Result<impl std::future::Future<Output = ()>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut interrupt = signal(SignalKind::interrupt())?;
        let mut terminate = signal(SignalKind::terminate())?;
        Ok(async move {
            tokio::select! {
                _ = interrupt.recv() => {}
                _ = terminate.recv() => {}
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            if let Err(error) = tokio::signal::ctrl_c().await {
                tracing::warn!(%error, "cannot wait for Ctrl+C; stopping the simulator");
            }
        })
    }
}

/// Prints the address, the URLs and each tenant, never a key.
fn print_banner(simulator: &RunningSimulator, source: &KeySource, lang: Lang) {
    let mut lines = vec![
        lang.pick("jb 模拟器已启动", "jb simulator started")
            .to_owned(),
        format!(
            "  {} {}",
            lang.pick("地址：    ", "address:      "),
            simulator.addr()
        ),
        format!(
            "  {} {}",
            lang.pick("网关 URL：", "gateway URL:  "),
            simulator.gateway_url()
        ),
        format!(
            "  {} {}",
            lang.pick("检查接口：", "inspection:   "),
            simulator.inspection_url()
        ),
    ];
    for tenant in simulator.tenants() {
        lines.push(format!(
            "  appId:         {}  ({} {})",
            tenant.app_id,
            lang.pick("保险公司代码", "insurer code"),
            tenant.insurance_code
        ));
    }
    let key_line = match source {
        KeySource::Given => lang
            .pick(
                "appKey：       来自 --app-key-file 或环境变量 JB_APP_KEY / JB_APP_KEY_FILE",
                "appKey:        from --app-key-file or JB_APP_KEY / JB_APP_KEY_FILE",
            )
            .to_owned(),
        KeySource::Config => lang
            .pick(
                "appKey：       见配置文件中各租户的 app_key_file / app_key_env",
                "appKey:        see app_key_file / app_key_env of each tenant in the configuration",
            )
            .to_owned(),
        KeySource::Written { path, .. } => format!(
            "{} {}",
            lang.pick("appKey 文件：  ", "appKey file:  "),
            path.display()
        ),
    };
    lines.push(format!("  {key_line}"));
    lines.push(
        lang.pick("按 Ctrl+C 停止。", "Press Ctrl+C to stop.")
            .to_owned(),
    );

    let mut stdout = std::io::stdout().lock();
    for line in lines {
        let _ = writeln!(stdout, "{line}");
    }
    let _ = stdout.flush();
}

/// Writes a generated key to a new file that only the user can read (mode 0600 on Unix).
fn write_key_file(path: &Path, tenant: &Tenant, lang: Lang) -> Result<(), Failure> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }

    let written = options.open(path).and_then(|mut file| {
        file.write_all(tenant.app_key().expose_secret().as_bytes())?;
        file.write_all(b"\n")
    });
    written.map_err(|error| {
        if error.kind() == std::io::ErrorKind::AlreadyExists {
            return Failure::rejected(lang.pick(
                format!(
                    "appKey 文件 {} 已存在，jb sim 不会覆盖已有文件：请删除该文件，或用 --key-out 指定另一个路径",
                    path.display()
                ),
                format!(
                    "the appKey file {} already exists and jb sim never overwrites a file: \
                     remove it, or give another path with --key-out",
                    path.display()
                ),
            ));
        }
        Failure::rejected(lang.pick(
            format!("无法写入 appKey 文件 {}：{error}", path.display()),
            format!(
                "failed to write the appKey file {}: {error}",
                path.display()
            ),
        ))
    })
}

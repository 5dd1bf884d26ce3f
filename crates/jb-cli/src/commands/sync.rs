//! `jb sync`: keep the insurer in step with the platform, every few minutes or `--once`.

use std::io::IsTerminal as _;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use indicatif::MultiProgress;
use jb_sync::{Backoff, CycleReport, JingbaoPlatform, NoProgress, Progress, SyncService};

use crate::commands::platform_client::build_client;
use crate::commands::sync_common::{
    DataDirArgs, cycle_summary, parse_duration, runtime, store_failure,
};
use crate::commands::sync_progress::{TerminalProgress, init_bar_logging};
use crate::config::ConfigArgs;
use crate::failure::Failure;
use crate::i18n::Lang;

/// Log filter when `RUST_LOG` is not set: the service's cycle lines and every warning.
pub(crate) const LOG_FILTER: &str = "warn,jb_sync=info";

/// Arguments of `jb sync`.
#[derive(Debug, clap::Args)]
pub(crate) struct SyncArgs {
    #[command(flatten)]
    pub(crate) data_dir: DataDirArgs,

    /// Run one cycle, print what it did and exit (exit status 1 if a step failed or an upload was parked)
    #[arg(long)]
    pub(crate) once: bool,

    /// Time between cycles, such as 3m, 90s or 500ms (default 3m; the platform expects 2m to 10m)
    #[arg(long, value_name = "DURATION")]
    pub(crate) interval: Option<String>,

    /// Random shift of each wait between cycles, either way (default 15s)
    #[arg(long, value_name = "DURATION")]
    pub(crate) jitter: Option<String>,

    /// NDJSON output file (default: records.ndjson in the data directory)
    #[arg(long, value_name = "PATH", conflicts_with = "no_ndjson")]
    pub(crate) ndjson: Option<PathBuf>,

    /// Write no NDJSON file; --stdout is then required
    #[arg(long)]
    pub(crate) no_ndjson: bool,

    /// Size in MiB at which the NDJSON file is rotated (default 64)
    #[arg(long, value_name = "MIB")]
    pub(crate) ndjson_max_mib: Option<u64>,

    /// Also write each new record version to stdout as one NDJSON line
    #[arg(long)]
    pub(crate) stdout: bool,

    /// Do not fetch accident photos
    #[arg(long)]
    pub(crate) no_photos: bool,

    /// Photos fetched at once, 1 to 64 (default 4)
    #[arg(long, value_name = "N")]
    pub(crate) photo_concurrency: Option<usize>,

    /// Wait after an upload's first failed attempt, doubled after each further failure (default 30s)
    #[arg(long, value_name = "DURATION")]
    pub(crate) upload_backoff: Option<String>,

    /// Longest wait between attempts of an upload (default 30m)
    #[arg(long, value_name = "DURATION")]
    pub(crate) upload_backoff_max: Option<String>,

    #[command(flatten)]
    pub(crate) config: ConfigArgs,
}

/// Runs the service until SIGINT or SIGTERM, or one cycle with `--once`.
pub(crate) fn run(args: &SyncArgs, lang: Lang) -> Result<(), Failure> {
    let duration = |value: &Option<String>, option: &str, default: Duration| match value {
        Some(text) => parse_duration(text, option, lang),
        None => Ok(default),
    };
    let interval = duration(&args.interval, "--interval", Duration::from_secs(180))?;
    let jitter = duration(&args.jitter, "--jitter", Duration::from_secs(15))?;
    let backoff = Backoff {
        initial: duration(
            &args.upload_backoff,
            "--upload-backoff",
            Duration::from_secs(30),
        )?,
        max: duration(
            &args.upload_backoff_max,
            "--upload-backoff-max",
            Duration::from_secs(30 * 60),
        )?,
    };

    let mut settings = args.config.load(lang)?;
    // The outbox decides itself whether an upload whose outcome is unknown is sent again.
    settings.retry = settings.retry.retry_unknown_outcome(false);
    let client = build_client(settings, lang)?;

    let progress = start_logging(lang, args.once, LOG_FILTER);
    let mut builder = SyncService::builder(
        JingbaoPlatform::new(client),
        args.data_dir.data_dir().root(),
    )
    .interval(interval)
    .jitter(jitter)
    .stdout(args.stdout)
    .fetch_photos(!args.no_photos)
    .photo_concurrency(args.photo_concurrency.unwrap_or(4))
    .ndjson_max_bytes(
        args.ndjson_max_mib
            .unwrap_or(64)
            .saturating_mul(1024 * 1024),
    )
    .upload_backoff(backoff)
    .progress(progress);
    if let Some(path) = &args.ndjson {
        builder = builder.ndjson_file(path);
    }
    if args.no_ndjson {
        builder = builder.no_ndjson_file();
    }

    runtime(lang)?.block_on(async move {
        let mut service = builder
            .build()
            .await
            .map_err(|error| store_failure(lang, &error))?;
        let result = if args.once {
            let report = service.run_once().await;
            eprintln!("{}", cycle_summary(&report, lang));
            once_result(&report, lang)
        } else {
            let totals = service.run(shutdown_signal(lang)).await;
            eprintln!(
                "{}",
                lang.pick(
                    format!(
                        "已停止：共 {} 轮，输出 {} 行",
                        totals.cycles, totals.emitted
                    ),
                    format!(
                        "stopped after {} cycles, {} lines emitted",
                        totals.cycles, totals.emitted
                    ),
                )
            );
            Ok(())
        };
        service.close().await;
        result
    })
}

/// Decides the exit of `jb sync --once`: 1 when a step failed, and also when the cycle parked an
/// upload, because a parked upload contains data the insurer must correct and a scheduled job
/// should notice it.
fn once_result(report: &CycleReport, lang: Lang) -> Result<(), Failure> {
    if !report.is_clean() {
        return Err(Failure::rejected(lang.pick(
            "本轮有步骤失败，详见上文",
            "a step of the cycle failed; see above",
        )));
    }
    match report.parked_uploads.as_slice() {
        [] => Ok(()),
        [id] => Err(Failure::rejected(lang.pick(
            format!("本轮搁置了上传 {id}：jb outbox show {id} 可查看平台给出的原因"),
            format!(
                "this cycle parked upload {id}: jb outbox show {id} shows the platform's reason"
            ),
        ))),
        ids @ [first, ..] => {
            let list = ids
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(", ");
            Err(Failure::rejected(lang.pick(
                format!("本轮搁置了上传 {list}：jb outbox show ID（例如 jb outbox show {first}）可查看原因"),
                format!("this cycle parked uploads {list}: jb outbox show ID (such as jb outbox show {first}) shows why"),
            )))
        }
    }
}

/// Sets up logging at `filter` (unless `RUST_LOG` is set) and returns the progress sink: bars
/// when stderr is a terminal, plain log lines otherwise.
pub(crate) fn start_logging(lang: Lang, show_cycle: bool, filter: &str) -> Arc<dyn Progress> {
    if std::io::stderr().is_terminal() {
        let multi = MultiProgress::new();
        init_bar_logging(&multi, filter);
        Arc::new(TerminalProgress::new(multi, lang, show_cycle))
    } else {
        crate::logging::init_stderr(filter);
        Arc::new(NoProgress)
    }
}

/// Completes on the first SIGINT or SIGTERM. A second signal ends the process at once, with
/// status 130; what was committed stays, and the next start resumes from it.
async fn shutdown_signal(lang: Lang) {
    wait_for_signal().await;
    eprintln!(
        "{}",
        lang.pick(
            "收到停止信号：正在完成进行中的请求后退出（再按一次 Ctrl+C 立即退出）",
            "stop requested: finishing the request in flight, then exiting (Ctrl+C again exits at once)",
        )
    );
    tokio::spawn(async {
        wait_for_signal().await;
        std::process::exit(130);
    });
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(error) => {
                tracing::warn!(%error, "cannot listen for SIGTERM; only Ctrl+C stops the service");
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

//! What `jb sync`, `jb status`, `jb outbox`, `jb upload --queue` and `jb demo` share: the data
//! directory option, durations on the command line, the async runtime, logging, and the
//! wording of sync results for a person.

use std::path::PathBuf;
use std::time::Duration;

use jb_sync::{CycleReport, DataDir, Operation, Store, SyncError};

use crate::failure::Failure;
use crate::i18n::Lang;

/// The data directory used when `--data-dir` is not given.
pub(crate) const DEFAULT_DATA_DIR: &str = "./jb-data";

/// The `--data-dir` option.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct DataDirArgs {
    /// Data directory of jb sync: database, NDJSON output and photos (default: ./jb-data)
    #[arg(long, value_name = "DIR", global = true)]
    pub(crate) data_dir: Option<PathBuf>,
}

impl DataDirArgs {
    pub(crate) fn data_dir(&self) -> DataDir {
        DataDir::new(
            self.data_dir
                .clone()
                .unwrap_or_else(|| PathBuf::from(DEFAULT_DATA_DIR)),
        )
    }

    /// Opens the store of an existing data directory; a missing database is a usage error,
    /// since reading commands should not create one.
    pub(crate) async fn open_existing(&self, lang: Lang) -> Result<Store, Failure> {
        let data_dir = self.data_dir();
        let database = data_dir.database();
        if !database.is_file() {
            return Err(Failure::usage(lang.pick(
                format!(
                    "数据目录 {} 中没有数据库 {}：请用 --data-dir 指定 jb sync 的数据目录，或先运行 jb sync",
                    data_dir.root().display(),
                    database.display()
                ),
                format!(
                    "no database {} in the data directory {}: give jb sync's directory with --data-dir, or run jb sync first",
                    database.display(),
                    data_dir.root().display()
                ),
            )));
        }
        Store::open(&database)
            .await
            .map_err(|error| store_failure(lang, &error))
    }
}

/// Parses a duration such as `500ms`, `90s`, `3m` or `1h`.
pub(crate) fn parse_duration(text: &str, option: &str, lang: Lang) -> Result<Duration, Failure> {
    let text = text.trim();
    let split = text
        .find(|character: char| !character.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let value: u64 = number
        .parse()
        .map_err(|_| invalid_duration(text, option, lang))?;
    let duration = match unit.trim() {
        "ms" => Duration::from_millis(value),
        "s" => Duration::from_secs(value),
        "m" => Duration::from_secs(value.saturating_mul(60)),
        "h" => Duration::from_secs(value.saturating_mul(3600)),
        _ => return Err(invalid_duration(text, option, lang)),
    };
    Ok(duration)
}

fn invalid_duration(text: &str, option: &str, lang: Lang) -> Failure {
    Failure::usage(lang.pick(
        format!("{option} 的值 {text:?} 无效：请写数字加单位 ms、s、m 或 h，例如 3m、90s、500ms"),
        format!("invalid {option} value {text:?}: write a number and a unit ms, s, m or h, such as 3m, 90s or 500ms"),
    ))
}

/// Starts a multi-threaded runtime, as the service fetches photos concurrently.
pub(crate) fn runtime(lang: Lang) -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|error| {
            Failure::rejected(lang.pick(
                format!("无法启动异步运行时：{error}"),
                format!("failed to start the async runtime: {error}"),
            ))
        })
}

/// Renders a store or service error for a person; a bad setting is a usage error (exit 2),
/// anything else exit 1.
pub(crate) fn store_failure(lang: Lang, error: &SyncError) -> Failure {
    let message = match error {
        SyncError::Locked { path } => lang.pick(
            format!(
                "另一个 jb sync 正在使用该数据目录（锁文件 {}）：请先停止它，或换一个 --data-dir",
                path.display()
            ),
            error.to_string(),
        ),
        SyncError::OutboxNotFound(id) => lang.pick(
            format!("发送队列中没有编号 {id} 的条目：jb outbox list 可列出全部编号"),
            error.to_string(),
        ),
        SyncError::OutboxState { id, state } => lang.pick(
            format!(
                "条目 {id} 的状态是 {state}：只有 parked、queued 或 unknown_outcome 的条目可以重试"
            ),
            error.to_string(),
        ),
        other => lang.pick(format!("同步存储出错：{other}"), other.to_string()),
    };
    match error {
        SyncError::Config { .. } => Failure::usage(message),
        _ => Failure::rejected(message),
    }
}

/// The name of an operation in the user's language.
pub(crate) fn operation_name(operation: Operation, lang: Lang) -> &'static str {
    match operation {
        Operation::Warnings => lang.pick("警情", "warnings"),
        Operation::Accidents => lang.pick("事故", "accidents"),
        Operation::Dispatches => lang.pick("调度", "dispatches"),
    }
}

/// One paragraph on what a cycle did.
pub(crate) fn cycle_summary(report: &CycleReport, lang: Lang) -> String {
    let mut lines = vec![lang.pick(
        format!(
            "第 {} 轮完成，用时 {:.1} 秒{}",
            report.cycle,
            report.duration.as_secs_f64(),
            if report.interrupted {
                "（因停止请求提前结束）"
            } else {
                ""
            }
        ),
        format!(
            "cycle {} finished in {:.1} s{}",
            report.cycle,
            report.duration.as_secs_f64(),
            if report.interrupted {
                " (cut short by a stop request)"
            } else {
                ""
            }
        ),
    )];
    for poll in &report.polls {
        let name = operation_name(poll.operation, lang);
        lines.push(match &poll.result {
            Ok(counts) => lang.pick(
                format!(
                    "  {name}：收到 {}，新增 {}，变更 {}，重复 {}，解码失败 {}",
                    counts.received,
                    counts.new_records,
                    counts.new_versions,
                    counts.repeated,
                    counts.decode_failures
                ),
                format!(
                    "  {name}: received {}, new {}, changed {}, repeated {}, failed to decode {}",
                    counts.received,
                    counts.new_records,
                    counts.new_versions,
                    counts.repeated,
                    counts.decode_failures
                ),
            ),
            Err(error) => lang.pick(
                format!("  {name}：下载失败：{error}"),
                format!("  {name}: download failed: {error}"),
            ),
        });
    }
    let photos = &report.photos;
    lines.push(lang.pick(
        format!(
            "  照片：获取 {}，失败 {}，过期 {}，中止 {}",
            photos.fetched, photos.failed, photos.expired, photos.abandoned
        ),
        format!(
            "  photos: fetched {}, failed {}, expired {}, abandoned {}",
            photos.fetched, photos.failed, photos.expired, photos.abandoned
        ),
    ));
    let uploads = &report.uploads;
    lines.push(lang.pick(
        format!(
            "  上传：送达 {}，搁置 {}，未发出 {}，结果未知 {}（其中重发 {}）",
            uploads.delivered, uploads.parked, uploads.not_sent, uploads.unknown, uploads.resent
        ),
        format!(
            "  uploads: delivered {}, parked {}, not sent {}, outcome unknown {} (re-sent {})",
            uploads.delivered, uploads.parked, uploads.not_sent, uploads.unknown, uploads.resent
        ),
    ));
    lines.push(lang.pick(
        format!("  输出：{} 行", report.emitted),
        format!("  emitted: {} lines", report.emitted),
    ));
    for error in &report.errors {
        lines.push(lang.pick(format!("  错误：{error}"), format!("  error: {error}")));
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_duration_units() {
        let cases = [
            ("500ms", Duration::from_millis(500)),
            ("90s", Duration::from_secs(90)),
            ("3m", Duration::from_secs(180)),
            ("1h", Duration::from_secs(3600)),
            (" 2m ", Duration::from_secs(120)),
        ];
        for (text, expected) in cases {
            let parsed = parse_duration(text, "--interval", Lang::En).ok();
            assert_eq!(parsed, Some(expected), "{text}");
        }
    }

    #[test]
    fn parse_duration_rejects_bad_text() {
        for text in ["", "3", "m", "3 minutes", "-1s", "1.5m"] {
            let result = parse_duration(text, "--interval", Lang::En);
            assert!(result.is_err(), "{text} was accepted");
        }
    }
}

//! What `jb sync`, `jb status`, `jb outbox`, `jb upload --queue` and `jb demo` share: the data
//! directory option, durations on the command line, the async runtime, logging, and the
//! wording of sync results for a person.

use std::path::PathBuf;
use std::time::Duration;

use jb_sync::{
    CycleReport, DataDir, Operation, PollError, Setting, Store, SyncError, beijing_time,
};

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
    let message = sync_error_text(error, lang);
    match error {
        SyncError::Config { .. } => Failure::usage(message),
        _ => Failure::rejected(message),
    }
}

/// Renders a sync error in the user's language. The text of the underlying driver or
/// operating-system error stays as the system wrote it; what it means and what to do is
/// translated.
pub(crate) fn sync_error_text(error: &SyncError, lang: Lang) -> String {
    let Lang::Zh = lang else {
        return error.to_string();
    };
    match error {
        SyncError::Open { path, source } => format!(
            "无法打开数据库 {}：{source}；请检查数据目录是否可写，以及是否有其他程序占用该文件",
            path.display()
        ),
        SyncError::Migrate(source) => {
            format!("无法升级数据库结构：{source}；请从备份恢复数据库，或改用写入它的那个版本的 jb")
        }
        SyncError::Database(source) => format!("数据库查询失败：{source}"),
        SyncError::Corrupt {
            table,
            id,
            column,
            value,
        } => format!(
            "数据库表 {table} 第 {id} 行的 {column} 列含有无法读取的值 {value:?}：数据库被 jb 以外的程序改动过"
        ),
        SyncError::Io { path, source } => format!(
            "无法使用 {}：{}；请检查该路径及其权限",
            path.display(),
            crate::messages::io_error(lang, source)
        ),
        SyncError::Sink { sink, source } => format!(
            "输出 {sink} 写入失败：{}；尚未写稳的行不算已输出，下次运行会从那里继续",
            crate::messages::io_error(lang, source)
        ),
        SyncError::Locked { path } => format!(
            "另一个 jb sync 正在使用该数据目录（锁文件 {}）：请先停止它，或换一个 --data-dir",
            path.display()
        ),
        SyncError::OutboxNotFound(id) => {
            format!("发送队列中没有编号 {id} 的条目：jb outbox list 可列出全部编号")
        }
        SyncError::OutboxState { id, state } => format!(
            "条目 {id} 的状态是 {state}：只有 parked、queued 或 unknown_outcome 的条目可以重试"
        ),
        SyncError::InvalidUpload(reason) => {
            format!("记录不符合平台规则，未加入发送队列：{reason}")
        }
        SyncError::Config { setting, value, .. } => format!(
            "设置 {setting} 的值 {value} 无效：{}",
            setting_advice(*setting)
        ),
        other => format!("同步服务出错：{other}"),
    }
}

/// Describes in Chinese what a rejected setting needs, with the `jb sync` option that sets it.
fn setting_advice(setting: Setting) -> &'static str {
    match setting {
        Setting::Interval => "轮询间隔（--interval）必须大于零，平台期望 2 到 10 分钟",
        Setting::Operations => "至少要轮询警情、事故、调度中的一项",
        Setting::Sinks => {
            "关闭 NDJSON 文件（--no-ndjson）时须加 --stdout，否则记录只存入数据库而不会输出"
        }
        Setting::NdjsonMaxBytes => "NDJSON 文件的轮换大小（--ndjson-max-mib）至少为 1",
        Setting::PhotoConcurrency => "同时获取的照片数（--photo-concurrency）须在 1 到 64 之间",
        Setting::UploadBackoff => {
            "上传的首次等待（--upload-backoff）不能长于最长等待（--upload-backoff-max）"
        }
        _ => "请查看 jb sync --help 中该设置的取值范围",
    }
}

/// Renders the reason a poll failed in the user's language. The platform's or network's own
/// text stays as it was received.
pub(crate) fn poll_error_text(error: &PollError, lang: Lang) -> String {
    match error {
        PollError::Download(failure) => download_failure_text(&failure.message, lang),
        PollError::Store(error) => lang.pick(
            format!(
                "下载的数据未能存入数据库，平台若不再发送便会丢失：{}",
                sync_error_text(error, lang)
            ),
            format!(
                "the downloaded batch could not be stored and is lost unless the platform sends it again: {error}"
            ),
        ),
        other => other.to_string(),
    }
}

/// Renders a recorded download failure with what happens next.
pub(crate) fn download_failure_text(recorded: &str, lang: Lang) -> String {
    lang.pick(
        format!("下载失败，下一轮会重新轮询；原因：{recorded}"),
        format!("download failed; the next cycle polls again. Reason: {recorded}"),
    )
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
                format!("  {name}：{}", poll_error_text(error, lang)),
                format!("  {name}: {}", poll_error_text(error, lang)),
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
        let text = sync_error_text(error, lang);
        lines.push(lang.pick(format!("  错误：{text}"), format!("  error: {text}")));
    }
    for id in &report.parked_uploads {
        lines.push(parked_upload_text(*id, lang));
    }
    lines.join("\n")
}

/// Renders a time the store wrote in Beijing time (`2026-12-05 04:52:04 +08:00`), whatever
/// the host's time zone. Text that is not a time is returned as it is.
pub(crate) fn shown_time(stored: &str) -> String {
    beijing_time(stored).unwrap_or_else(|| stored.to_owned())
}

/// Describes an upload parked in this cycle, in one line.
pub(crate) fn parked_upload_text(id: i64, lang: Lang) -> String {
    lang.pick(
        format!("  上传 {id} 未被接受（平台拒绝或记录无效），已搁置，需要人工处理：jb outbox show {id} 可查看原因"),
        format!("  upload {id} was not accepted (rejected by the platform, or invalid) and is parked until a person acts: jb outbox show {id} shows why"),
    )
}

#[cfg(test)]
mod tests {
    use std::io::ErrorKind;

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
    fn sync_error_text_config_in_chinese_names_option() {
        let error = SyncError::Config {
            setting: Setting::Sinks,
            value: "none".to_owned(),
            reason: "enable the NDJSON file or standard output",
        };
        let zh = sync_error_text(&error, Lang::Zh);
        assert!(zh.contains("--stdout"), "{zh}");
        assert!(!zh.contains("invalid setting"), "{zh}");
        assert_eq!(sync_error_text(&error, Lang::En), error.to_string());
    }

    #[test]
    fn sync_error_text_io_kind_in_chinese() {
        let error = SyncError::Io {
            path: PathBuf::from("/data/jb.sqlite"),
            source: std::io::Error::from(ErrorKind::PermissionDenied),
        };
        let zh = sync_error_text(&error, Lang::Zh);
        assert!(zh.starts_with("无法使用 /data/jb.sqlite：权限不足"), "{zh}");
        assert!(zh.contains("请检查该路径及其权限"), "{zh}");
    }

    #[test]
    fn poll_error_text_chinese_advice() {
        let error = PollError::Download(jb_sync::DownloadFailure {
            message: "warningInstanceDownload request failed: timed out".to_owned(),
        });
        let zh = poll_error_text(&error, Lang::Zh);
        assert!(zh.starts_with("下载失败，下一轮会重新轮询"), "{zh}");
        assert!(zh.ends_with("timed out"), "{zh}");
    }

    #[test]
    fn cycle_summary_names_parked_uploads() {
        let report = CycleReport {
            parked_uploads: vec![7],
            ..CycleReport::default()
        };
        let en = cycle_summary(&report, Lang::En);
        let zh = cycle_summary(&report, Lang::Zh);
        assert!(
            en.contains("upload 7") && en.contains("jb outbox show 7"),
            "{en}"
        );
        assert!(
            zh.contains("上传 7") && zh.contains("jb outbox show 7"),
            "{zh}"
        );
    }

    #[test]
    fn shown_time_is_beijing_time() {
        assert_eq!(
            shown_time("2026-12-04T20:52:04.000Z"),
            "2026-12-05 04:52:04 +08:00"
        );
        assert_eq!(shown_time("-"), "-");
    }

    #[test]
    fn parse_duration_rejects_bad_text() {
        for text in ["", "3", "m", "3 minutes", "-1s", "1.5m"] {
            let result = parse_duration(text, "--interval", Lang::En);
            assert!(result.is_err(), "{text} was accepted");
        }
    }
}

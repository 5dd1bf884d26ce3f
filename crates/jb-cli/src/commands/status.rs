//! `jb status`: what the sync service has done, read from its database.

use jb_sync::{OutboxState, PhotoState, PollOutcome, StatusReport};
use serde_json::json;

use crate::commands::sync_common::{
    DataDirArgs, download_failure_text, operation_name, runtime, shown_time, store_failure,
};
use crate::failure::Failure;
use crate::i18n::Lang;
use crate::stdio::print_line;

/// Arguments of `jb status`.
#[derive(Debug, clap::Args)]
pub(crate) struct StatusArgs {
    #[command(flatten)]
    pub(crate) data_dir: DataDirArgs,

    /// Print the status as JSON
    #[arg(long)]
    pub(crate) json: bool,
}

/// Prints the last poll per operation, record counts, photos and the outbox by state.
pub(crate) fn run(args: &StatusArgs, lang: Lang) -> Result<(), Failure> {
    let status = runtime(lang)?.block_on(async {
        let store = args.data_dir.open_existing(lang).await?;
        let status = store
            .status()
            .await
            .map_err(|error| store_failure(lang, &error));
        store.close().await;
        status
    })?;
    let text = if args.json {
        // A `Value` built from strings and numbers always renders.
        serde_json::to_string_pretty(&status_json(&status)).unwrap_or_default()
    } else {
        render(&status, &args.data_dir, lang)
    };
    print_line(&text, lang)
}

fn render(status: &StatusReport, data_dir: &DataDirArgs, lang: Lang) -> String {
    let mut lines = vec![lang.pick(
        format!("数据目录：{}", data_dir.data_dir().root().display()),
        format!("data directory: {}", data_dir.data_dir().root().display()),
    )];

    lines.push(lang.pick("最近一次轮询：", "last poll:").to_owned());
    if status.last_polls.is_empty() {
        lines.push(lang.pick("  尚未轮询", "  none yet").to_owned());
    }
    for poll in &status.last_polls {
        let name = operation_name(poll.operation, lang);
        let counts = &poll.counts;
        let finished_at = shown_time(&poll.finished_at);
        lines.push(match poll.outcome {
            PollOutcome::Succeeded => lang.pick(
                format!(
                    "  {name}  {finished_at}  成功：收到 {}，新增 {}，变更 {}，重复 {}，解码失败 {}",
                    counts.received,
                    counts.new_records,
                    counts.new_versions,
                    counts.repeated,
                    counts.decode_failures
                ),
                format!(
                    "  {name}  {finished_at}  succeeded: received {}, new {}, changed {}, repeated {}, failed to decode {}",
                    counts.received,
                    counts.new_records,
                    counts.new_versions,
                    counts.repeated,
                    counts.decode_failures
                ),
            ),
            _ => {
                let error = download_failure_text(poll.error.as_deref().unwrap_or(""), lang);
                format!("  {name}  {finished_at}  {error}")
            }
        });
    }

    lines.push(lang.pick("累计：", "all polls:").to_owned());
    for (operation, counts) in &status.totals {
        let name = operation_name(*operation, lang);
        lines.push(lang.pick(
            format!(
                "  {name}：新增 {}，变更 {}，重复 {}，解码失败 {}",
                counts.new_records, counts.new_versions, counts.repeated, counts.decode_failures
            ),
            format!(
                "  {name}: new {}, changed {}, repeated {}, failed to decode {}",
                counts.new_records, counts.new_versions, counts.repeated, counts.decode_failures
            ),
        ));
    }

    lines.push(lang.pick(
        format!(
            "照片：待获取 {}，失败待重试 {}，已过期 {}，已获取 {}",
            status.photo_count(PhotoState::Pending),
            status.photo_count(PhotoState::Failed),
            status.photo_count(PhotoState::Expired),
            status.photo_count(PhotoState::Fetched)
        ),
        format!(
            "photos: pending {}, failed (to retry) {}, expired {}, fetched {}",
            status.photo_count(PhotoState::Pending),
            status.photo_count(PhotoState::Failed),
            status.photo_count(PhotoState::Expired),
            status.photo_count(PhotoState::Fetched)
        ),
    ));

    lines.push(lang.pick("发送队列：", "outbox:").to_owned());
    for entry in &status.outbox {
        let oldest = entry
            .oldest_created_at
            .as_deref()
            .filter(|_| entry.count > 0 && entry.state != OutboxState::Delivered)
            .map(shown_time)
            .map(|time| lang.pick(format!("，最早 {time}"), format!(", oldest {time}")))
            .unwrap_or_default();
        lines.push(lang.pick(
            format!(
                "  {}：{}{oldest}",
                outbox_state_name(entry.state, lang),
                entry.count
            ),
            format!(
                "  {}: {}{oldest}",
                outbox_state_name(entry.state, lang),
                entry.count
            ),
        ));
    }

    for (sink, cursor) in &status.emission {
        lines.push(lang.pick(
            format!(
                "输出 {sink}：已写到版本 {cursor}（共 {}）",
                status.latest_version_id
            ),
            format!(
                "output {sink}: written through version {cursor} of {}",
                status.latest_version_id
            ),
        ));
    }
    lines.join("\n")
}

/// The name of an outbox state in the user's language.
pub(crate) fn outbox_state_name(state: OutboxState, lang: Lang) -> &'static str {
    match state {
        OutboxState::Queued => lang.pick("排队（queued）", "queued"),
        OutboxState::Sending => lang.pick("发送中（sending）", "sending"),
        OutboxState::UnknownOutcome => lang.pick("结果未知（unknown_outcome）", "unknown_outcome"),
        OutboxState::Parked => lang.pick("已搁置（parked）", "parked"),
        OutboxState::Delivered => lang.pick("已送达（delivered）", "delivered"),
    }
}

fn status_json(status: &StatusReport) -> serde_json::Value {
    let polls: Vec<serde_json::Value> = status
        .last_polls
        .iter()
        .map(|poll| {
            json!({
                "operation": poll.operation.as_str(),
                "started_at": poll.started_at,
                "finished_at": poll.finished_at,
                "outcome": poll.outcome.as_str(),
                "error": poll.error,
                "received": poll.counts.received,
                "new_records": poll.counts.new_records,
                "new_versions": poll.counts.new_versions,
                "repeated": poll.counts.repeated,
                "decode_failures": poll.counts.decode_failures,
            })
        })
        .collect();
    let totals: serde_json::Map<String, serde_json::Value> = status
        .totals
        .iter()
        .map(|(operation, counts)| {
            (
                operation.as_str().to_owned(),
                json!({
                    "received": counts.received,
                    "new_records": counts.new_records,
                    "new_versions": counts.new_versions,
                    "repeated": counts.repeated,
                    "decode_failures": counts.decode_failures,
                }),
            )
        })
        .collect();
    let photos: serde_json::Map<String, serde_json::Value> = status
        .photos
        .iter()
        .map(|(state, count)| (state.as_str().to_owned(), json!(count)))
        .collect();
    let outbox: serde_json::Map<String, serde_json::Value> = status
        .outbox
        .iter()
        .map(|entry| {
            (
                entry.state.as_str().to_owned(),
                json!({"count": entry.count, "oldest_created_at": entry.oldest_created_at}),
            )
        })
        .collect();
    let emission: serde_json::Map<String, serde_json::Value> = status
        .emission
        .iter()
        .map(|(sink, cursor)| (sink.clone(), json!(cursor)))
        .collect();
    json!({
        "last_polls": polls,
        "totals": totals,
        "photos": photos,
        "outbox": outbox,
        "emission": emission,
        "latest_version_id": status.latest_version_id,
    })
}

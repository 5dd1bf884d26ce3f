//! `jb outbox list|show|retry`, and the `--queue` mode of `jb upload`.

use jb_sync::{OutboxEntry, OutboxState, Queued, Store, SyncError};
use jingbao::model::{Claim, Report};

use crate::commands::status::outbox_state_name;
use crate::commands::sync_common::{DataDirArgs, runtime, shown_time, store_failure};
use crate::commands::upload::UploadKind;
use crate::failure::Failure;
use crate::i18n::Lang;
use crate::messages;
use crate::stdio::print_line;

/// Arguments of `jb outbox`.
#[derive(Debug, clap::Args)]
pub(crate) struct OutboxArgs {
    #[command(subcommand)]
    pub(crate) command: OutboxCommand,

    #[command(flatten)]
    pub(crate) data_dir: DataDirArgs,
}

/// The outbox subcommands.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum OutboxCommand {
    /// List queued, parked and delivered uploads, newest first
    List {
        /// Only entries in this state: queued, sending, unknown_outcome, parked, delivered
        #[arg(long, value_name = "STATE")]
        state: Option<String>,
    },
    /// Show one upload with its record and every send attempt
    Show {
        /// Outbox entry id, as jb outbox list prints it
        #[arg(value_name = "ID")]
        id: i64,
    },
    /// Send a parked, queued or unknown-outcome upload in the next cycle, without waiting for its backoff
    Retry {
        /// Outbox entry id, as jb outbox list prints it
        #[arg(value_name = "ID")]
        id: i64,
    },
}

/// Runs an outbox subcommand on the data directory's store.
pub(crate) fn run(args: &OutboxArgs, lang: Lang) -> Result<(), Failure> {
    let text = runtime(lang)?.block_on(async {
        let store = args.data_dir.open_existing(lang).await?;
        let result = match &args.command {
            OutboxCommand::List { state } => list(&store, state.as_deref(), lang).await,
            OutboxCommand::Show { id } => show(&store, *id, lang).await,
            OutboxCommand::Retry { id } => retry(&store, *id, lang).await,
        };
        store.close().await;
        result
    })?;
    print_line(&text, lang)
}

async fn list(store: &Store, state: Option<&str>, lang: Lang) -> Result<String, Failure> {
    let state = match state {
        Some(name) => Some(OutboxState::from_name(name.trim()).ok_or_else(|| {
            Failure::usage(lang.pick(
                format!("未知的状态 {name:?}：可选 queued、sending、unknown_outcome、parked、delivered"),
                format!("unknown state {name:?}: use queued, sending, unknown_outcome, parked or delivered"),
            ))
        })?),
        None => None,
    };
    let entries = store
        .outbox_entries(state)
        .await
        .map_err(|error| store_failure(lang, &error))?;
    if entries.is_empty() {
        return Ok(lang.pick("发送队列为空", "the outbox is empty").to_owned());
    }
    let mut lines = vec![list_header(lang).to_owned()];
    for entry in &entries {
        lines.extend(list_rows(entry, lang));
    }
    Ok(lines.join("\n"))
}

/// Returns the header of `jb outbox list`. Only ASCII values are padded into columns. The
/// state, whose Chinese name is wider than its character count, comes last, and the last error
/// goes on a line of its own, so no column depends on the width of Chinese text.
fn list_header(lang: Lang) -> &'static str {
    lang.pick(
        "编号  类型    业务编号              次数  下次发送                    状态",
        "id    kind    key                   tries next attempt                state",
    )
}

/// Formats the line of one entry, and a second line with its last error when it has one.
fn list_rows(entry: &OutboxEntry, lang: Lang) -> Vec<String> {
    let mut rows = vec![format!(
        "{:<5} {:<7} {:<21} {:<5} {:<27} {}",
        entry.id,
        entry.kind.as_str(),
        entry.business_key,
        entry.attempts,
        next_attempt(entry),
        outbox_state_name(entry.state, lang),
    )];
    if let Some(error) = &entry.last_error {
        rows.push(lang.pick(
            format!("      最近错误：{error}"),
            format!("      last error: {error}"),
        ));
    }
    rows
}

/// Renders the next attempt in Beijing time, or `-` for an entry that is not waiting to be
/// sent.
fn next_attempt(entry: &OutboxEntry) -> String {
    match entry.state {
        OutboxState::Queued | OutboxState::UnknownOutcome => shown_time(&entry.next_attempt_at),
        _ => "-".to_owned(),
    }
}

/// Names the outcome of a send attempt, as the store records it, in the user's language.
fn attempt_outcome_name(outcome: &str, lang: Lang) -> &str {
    match (outcome, lang) {
        ("in_flight", Lang::Zh) => "发送中（in_flight）",
        ("delivered", Lang::Zh) => "已送达（delivered）",
        ("rejected", Lang::Zh) => "被拒绝（rejected）",
        ("not_sent", Lang::Zh) => "未发出（not_sent）",
        ("unknown", Lang::Zh) => "结果未知（unknown）",
        _ => outcome,
    }
}

async fn show(store: &Store, id: i64, lang: Lang) -> Result<String, Failure> {
    let (entry, attempts) = store
        .outbox_entry(id)
        .await
        .map_err(|error| store_failure(lang, &error))?;
    let record = serde_json::from_str::<serde_json::Value>(&entry.payload)
        .ok()
        .and_then(|value| serde_json::to_string_pretty(&value).ok())
        .unwrap_or_else(|| entry.payload.clone());
    let none = lang.pick("无", "none");
    let delivered_at = entry
        .delivered_at
        .as_deref()
        .map_or_else(|| none.to_owned(), shown_time);
    let mut lines = vec![
        lang.pick(format!("编号：{}", entry.id), format!("id: {}", entry.id)),
        lang.pick(
            format!(
                "类型：{}，业务编号：{}",
                entry.kind.as_str(),
                entry.business_key
            ),
            format!("kind: {}, key: {}", entry.kind.as_str(), entry.business_key),
        ),
        lang.pick(
            format!("状态：{}", outbox_state_name(entry.state, lang)),
            format!("state: {}", outbox_state_name(entry.state, lang)),
        ),
        lang.pick(
            format!(
                "入队时间：{}，已发送 {} 次",
                shown_time(&entry.created_at),
                entry.attempts
            ),
            format!(
                "queued at {}, sent {} times",
                shown_time(&entry.created_at),
                entry.attempts
            ),
        ),
        lang.pick(
            format!("下次发送：{}", next_attempt(&entry)),
            format!("next attempt: {}", next_attempt(&entry)),
        ),
        lang.pick(
            format!("送达时间：{delivered_at}"),
            format!("delivered at: {delivered_at}"),
        ),
        lang.pick(
            format!("最近错误：{}", entry.last_error.as_deref().unwrap_or(none)),
            format!(
                "last error: {}",
                entry.last_error.as_deref().unwrap_or(none)
            ),
        ),
    ];
    if let Some(message) = &entry.platform_message {
        let code = entry.platform_code.as_deref().unwrap_or("-");
        lines.push(lang.pick(
            format!("平台拒绝：返回码 {code}，返回信息 {message}"),
            format!("platform rejection: returnCode {code}, returnMsg {message}"),
        ));
    }
    lines.push(lang.pick("发送记录：", "attempts:").to_owned());
    for attempt in &attempts {
        lines.push(format!(
            "  #{} {} → {} {} {}",
            attempt.id,
            shown_time(&attempt.started_at),
            attempt
                .finished_at
                .as_deref()
                .map_or_else(|| "-".to_owned(), shown_time),
            attempt_outcome_name(&attempt.outcome, lang),
            attempt.detail.as_deref().unwrap_or("")
        ));
    }
    lines.push(lang.pick("记录：", "record:").to_owned());
    lines.push(record);
    Ok(lines.join("\n"))
}

async fn retry(store: &Store, id: i64, lang: Lang) -> Result<String, Failure> {
    let previous = store
        .retry_upload(id)
        .await
        .map_err(|error| store_failure(lang, &error))?;
    Ok(match previous {
        OutboxState::UnknownOutcome => lang.pick(
            format!("条目 {id} 将在 jb sync 的下一轮重新发送；上次结果未知，平台可能会收到两次"),
            format!("entry {id} is sent again in jb sync's next cycle; its last outcome is unknown, so the platform may receive it twice"),
        ),
        _ => lang.pick(
            format!("条目 {id} 已重新排队，jb sync 的下一轮会发送它"),
            format!("entry {id} is queued again; jb sync sends it in its next cycle"),
        ),
    })
}

/// Validates the record in `text` and queues it in the outbox of `data_dir`, for
/// `jb upload --queue`. Needs no platform credentials: `jb sync` sends it.
pub(crate) fn queue_upload(
    kind: UploadKind,
    text: &str,
    data_dir: &DataDirArgs,
    lang: Lang,
) -> Result<(), Failure> {
    let queued = runtime(lang)?.block_on(async {
        let data_dir = data_dir.data_dir();
        data_dir
            .create()
            .map_err(|error| store_failure(lang, &error))?;
        let store = Store::open(data_dir.database())
            .await
            .map_err(|error| store_failure(lang, &error))?;
        let result = queue_text(&store, kind, text, lang).await;
        store.close().await;
        result
    })?;
    let message = if queued.newly_queued {
        lang.pick(
            format!("已加入发送队列，编号 {}；jb sync 会发送它，jb outbox show {} 可查看进度", queued.id, queued.id),
            format!("queued as outbox entry {}; jb sync sends it, and jb outbox show {} shows its progress", queued.id, queued.id),
        )
    } else {
        lang.pick(
            format!("同样的记录已在发送队列中，编号 {}，未重复加入；jb outbox show {} 可查看", queued.id, queued.id),
            format!("the same record is already outbox entry {}, so it was not queued again; see jb outbox show {}", queued.id, queued.id),
        )
    };
    print_line(&message, lang)
}

async fn queue_text(
    store: &Store,
    kind: UploadKind,
    text: &str,
    lang: Lang,
) -> Result<Queued, Failure> {
    let result = match kind {
        UploadKind::Report => store.queue_report(&parse::<Report>(text, lang)?).await,
        UploadKind::Claim => store.queue_claim(&parse::<Claim>(text, lang)?).await,
    };
    result.map_err(|error| match error {
        SyncError::InvalidUpload(_) => Failure::rejected(lang.pick(
            format!("记录不符合平台规则，未加入队列：{error}"),
            error.to_string(),
        )),
        other => store_failure(lang, &other),
    })
}

/// Lists the violations in the user's language before the store rejects them in English.
fn check_record<R: jingbao::model::Validate>(record: &R, lang: Lang) -> Result<(), Failure> {
    let violations = record.validate();
    if violations.is_empty() {
        return Ok(());
    }
    let lines: Vec<String> = violations
        .iter()
        .map(|violation| format!("  {}", messages::violation(lang, violation)))
        .collect();
    Err(Failure::rejected(lang.pick(
        format!("记录不符合平台规则，未加入队列：\n{}", lines.join("\n")),
        format!(
            "the record breaks the platform's rules and was not queued:\n{}",
            lines.join("\n")
        ),
    )))
}

fn parse<R: serde::de::DeserializeOwned + jingbao::model::Validate>(
    text: &str,
    lang: Lang,
) -> Result<R, Failure> {
    let record: R = serde_json::from_str(text).map_err(|error| {
        Failure::rejected(lang.pick(
            format!("记录不是预期结构的 JSON（{error}）：请对照字段表检查"),
            format!("the record is not JSON of the expected shape ({error}); check it against the field table"),
        ))
    })?;
    check_record(&record, lang)?;
    Ok(record)
}

#[cfg(test)]
mod tests {
    use jb_sync::UploadKind as OutboxKind;

    use super::*;

    fn entry(state: OutboxState, last_error: Option<&str>) -> OutboxEntry {
        OutboxEntry {
            id: 12,
            kind: OutboxKind::Claim,
            business_key: "201808100085".to_owned(),
            payload: "{}".to_owned(),
            state,
            attempts: 3,
            next_attempt_at: "2026-12-04T20:52:04.000Z".to_owned(),
            last_error: last_error.map(str::to_owned),
            platform_code: None,
            platform_message: None,
            created_at: "2026-12-04T20:50:00.000Z".to_owned(),
            delivered_at: None,
        }
    }

    /// Terminal columns taken by `text` in this test's cases: Chinese characters take two.
    fn columns(text: &str) -> usize {
        text.chars()
            .map(|character| if character.is_ascii() { 1 } else { 2 })
            .sum()
    }

    #[test]
    fn list_state_column_lines_up_in_both_languages() {
        for lang in [Lang::Zh, Lang::En] {
            let header = list_header(lang);
            let state_label = lang.pick("状态", "state");
            let header_start = columns(&header[..header.rfind(state_label).unwrap_or(0)]);
            for state in [OutboxState::Queued, OutboxState::Parked] {
                let rows = list_rows(&entry(state, None), lang);
                let name = outbox_state_name(state, lang);
                let row = &rows[0];
                let row_start = columns(&row[..row.rfind(name).unwrap_or(0)]);
                assert_eq!(
                    row_start, header_start,
                    "{lang:?} {state:?}\n{header}\n{row}"
                );
            }
        }
    }

    #[test]
    fn list_rows_show_beijing_time_and_error_line() {
        let rows = list_rows(
            &entry(OutboxState::UnknownOutcome, Some("timed out")),
            Lang::Zh,
        );
        assert_eq!(rows.len(), 2);
        assert!(
            rows[0].contains("2026-12-05 04:52:04 +08:00"),
            "{}",
            rows[0]
        );
        assert_eq!(rows[1], "      最近错误：timed out");
    }

    #[test]
    fn list_rows_parked_has_no_next_attempt() {
        let rows = list_rows(&entry(OutboxState::Parked, None), Lang::En);
        assert_eq!(rows.len(), 1);
        assert!(!rows[0].contains("+08:00"), "{}", rows[0]);
    }

    #[test]
    fn attempt_outcome_name_translates_known_outcomes() {
        assert_eq!(
            attempt_outcome_name("rejected", Lang::Zh),
            "被拒绝（rejected）"
        );
        assert_eq!(attempt_outcome_name("rejected", Lang::En), "rejected");
        assert_eq!(attempt_outcome_name("other", Lang::Zh), "other");
    }
}

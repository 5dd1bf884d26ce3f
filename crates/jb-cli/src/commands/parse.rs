//! `jb parse warnings|accidents|dispatches [FILE]`: decode a download's decrypted data record
//! by record, as the sync service does, and show what it makes of each record.

use std::path::PathBuf;

use jb_model::{Accident, Dispatch, Warning};
use jb_model::{Batch, Download, decode_batch};
use serde::Serialize;

use crate::failure::Failure;
use crate::i18n::Lang;
use crate::messages;
use crate::stdio::{print_line, read_stdin};

/// Which download the data came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum DownloadKind {
    /// J1 warningInstanceDownload
    Warnings,
    /// J2 accidentDownload
    Accidents,
    /// J5 dispatchInfoDownload
    Dispatches,
}

/// Arguments of `jb parse`.
#[derive(Debug, clap::Args)]
pub(crate) struct ParseArgs {
    /// Download the data came from: warnings (J1), accidents (J2) or dispatches (J5)
    #[arg(value_enum)]
    pub(crate) kind: DownloadKind,

    /// File holding the decrypted data, a JSON list of records (default: read stdin)
    #[arg(value_name = "FILE")]
    pub(crate) file: Option<PathBuf>,
}

/// Decodes the file or stdin; prints the decoded records as a JSON list on stdout and one problem per
/// line on stderr. Fails when any record did not decode.
pub(crate) fn run(args: &ParseArgs, lang: Lang) -> Result<(), Failure> {
    let input = match &args.file {
        Some(path) => std::fs::read(path).map_err(|error| {
            Failure::usage(lang.pick(
                format!("无法读取文件 {}：{error}", path.display()),
                format!("cannot read file {}: {error}", path.display()),
            ))
        })?,
        None => read_stdin(
            lang,
            &format!("jb parse {} < data.json", kind_name(args.kind)),
        )?,
    };
    let text = String::from_utf8(input).map_err(|error| {
        Failure::rejected(lang.pick(
            format!(
                "输入不是有效的 UTF-8（第 {} 字节无效）",
                error.utf8_error().valid_up_to()
            ),
            format!(
                "input is not valid UTF-8 (invalid byte at offset {})",
                error.utf8_error().valid_up_to()
            ),
        ))
    })?;

    match args.kind {
        DownloadKind::Warnings => report::<Warning>(&text, lang),
        DownloadKind::Accidents => report::<Accident>(&text, lang),
        DownloadKind::Dispatches => report::<Dispatch>(&text, lang),
    }
}

fn kind_name(kind: DownloadKind) -> &'static str {
    match kind {
        DownloadKind::Warnings => "warnings",
        DownloadKind::Accidents => "accidents",
        DownloadKind::Dispatches => "dispatches",
    }
}

/// Names a record for a person: counted from 1, with the 0-based index of the JSON list,
/// which `jq` and the decoded output use, in brackets.
fn record_label(index: usize, lang: Lang) -> String {
    lang.pick(
        format!("第 {} 条记录（下标 {index}）", index + 1),
        format!("record {} (index {index})", index + 1),
    )
}

fn report<T: Download + Serialize>(text: &str, lang: Lang) -> Result<(), Failure> {
    let batch: Batch<T> = decode_batch(text).map_err(|error| {
        Failure::rejected(lang.pick(
            format!("数据不是有效的 JSON，无法拆分出任何记录：{error}"),
            format!("data is not valid JSON, so no record can be read: {error}"),
        ))
    })?;

    let records: Vec<&T> = batch
        .records
        .iter()
        .map(|decoded| &decoded.record)
        .collect();
    let json = serde_json::to_string_pretty(&records).map_err(|error| {
        Failure::rejected(format!("failed to serialize the decoded records: {error}"))
    })?;
    print_line(&json, lang)?;

    for decoded in &batch.records {
        for violation in &decoded.violations {
            eprintln!(
                "{}{}{}",
                record_label(decoded.index, lang),
                lang.pick("：", ": "),
                messages::violation(lang, violation)
            );
        }
    }
    for failure in &batch.failures {
        eprintln!(
            "{}{}{}",
            record_label(failure.index, lang),
            lang.pick("：", ": "),
            lang.pick(
                format!("无法解析（{}）；原始 JSON：{}", failure.reason, failure.raw),
                format!(
                    "not decoded ({}); raw JSON: {}",
                    failure.reason, failure.raw
                ),
            )
        );
    }

    if batch.failures.is_empty() {
        Ok(())
    } else {
        Err(Failure::rejected(lang.pick(
            format!(
                "{} 条记录中有 {} 条无法解析",
                batch.len(),
                batch.failures.len()
            ),
            format!(
                "{} of {} records could not be decoded",
                batch.failures.len(),
                batch.len()
            ),
        )))
    }
}

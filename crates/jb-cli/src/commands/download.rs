//! `jb download warnings|accidents|dispatches`: download records and print them as JSON.

use jingbao::model::{Batch, Download};
use serde_json::json;

use crate::commands::platform_client::{block_on, build_client, call_failure};
use crate::config::ConfigArgs;
use crate::failure::Failure;
use crate::i18n::Lang;
use crate::stdio::print_line;

/// Arguments of `jb download`.
#[derive(Debug, clap::Args)]
pub(crate) struct DownloadArgs {
    /// Records to download: warnings (J1), accidents (J2) or dispatches (J5)
    #[arg(value_enum, value_name = "KIND")]
    pub(crate) kind: DownloadKind,

    #[command(flatten)]
    pub(crate) config: ConfigArgs,
}

/// The three downloads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum DownloadKind {
    Warnings,
    Accidents,
    Dispatches,
}

/// Downloads once and prints `{"method", "records", "failures"}` as JSON on stdout: the
/// decoded records, and each record that failed with its index, reason and raw JSON.
pub(crate) fn run(args: &DownloadArgs, lang: Lang) -> Result<(), Failure> {
    let settings = args.config.load(lang)?;
    let client = build_client(settings, lang)?;

    let output = block_on(
        async {
            match args.kind {
                DownloadKind::Warnings => {
                    client.download_warnings().await.map(|batch| render(&batch))
                }
                DownloadKind::Accidents => client
                    .download_accidents()
                    .await
                    .map(|batch| render(&batch)),
                DownloadKind::Dispatches => client
                    .download_dispatches()
                    .await
                    .map(|batch| render(&batch)),
            }
        },
        lang,
    )?
    .map_err(|error| call_failure(lang, &error))?;

    let (text, failures) = output;
    if failures > 0 {
        eprintln!(
            "{}",
            lang.pick(
                format!("{failures} 条记录无法解码，已连同原始 JSON 列在 failures 中"),
                format!("{failures} record(s) failed to decode; they are listed under failures with their raw JSON"),
            )
        );
    }
    print_line(&text, lang)
}

/// Renders a batch as pretty JSON and returns it with the number of failed records.
fn render<D: Download>(batch: &Batch<D>) -> (String, usize) {
    let records: Vec<&D> = batch
        .records
        .iter()
        .map(|decoded| &decoded.record)
        .collect();
    let failures: Vec<serde_json::Value> = batch
        .failures
        .iter()
        .map(
            |failure| json!({"index": failure.index, "reason": failure.reason, "raw": failure.raw}),
        )
        .collect();
    let document = json!({"method": D::METHOD, "records": records, "failures": failures});
    // A `Value` built from serializable records always renders.
    let text = serde_json::to_string_pretty(&document).unwrap_or_default();
    (text, batch.failures.len())
}

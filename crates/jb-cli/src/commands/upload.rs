//! `jb upload report|claim FILE`: validate a record, then upload it or, with `--dry-run`, print
//! the sealed request.

use std::path::PathBuf;

use jingbao::model::{Claim, Report};
use jingbao::{Client, SealedRequest};
use serde_json::json;

use crate::commands::platform_client::{block_on, build_client, call_failure};
use crate::config::ConfigArgs;
use crate::failure::Failure;
use crate::i18n::Lang;
use crate::record_json::parse_record;
use crate::stdio::print_line;

/// Arguments of `jb upload`.
#[derive(Debug, clap::Args)]
pub(crate) struct UploadArgs {
    /// Record type: report (J3) or claim (J4)
    #[arg(value_enum, value_name = "KIND")]
    pub(crate) kind: UploadKind,

    /// JSON file of the record, with the platform's field names, or - to read stdin
    #[arg(value_name = "FILE")]
    pub(crate) file: PathBuf,

    /// Print the sealed request envelope instead of sending it
    #[arg(long)]
    pub(crate) dry_run: bool,

    /// Queue the record in jb sync's outbox instead of sending it now; jb sync sends it
    #[arg(long, conflicts_with = "dry_run")]
    pub(crate) queue: bool,

    #[command(flatten)]
    pub(crate) data_dir: crate::commands::sync_common::DataDirArgs,

    #[command(flatten)]
    pub(crate) config: ConfigArgs,
}

/// The two uploads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum UploadKind {
    Report,
    Claim,
}

/// Validates and seals the record, then prints the envelope (`--dry-run`) or sends it and
/// prints the platform's response as JSON.
pub(crate) fn run(args: &UploadArgs, lang: Lang) -> Result<(), Failure> {
    let text = crate::record_json::read_record_file(&args.file, lang)?;
    if args.queue {
        return crate::commands::outbox::queue_upload(args.kind, &text, &args.data_dir, lang);
    }
    let settings = args.config.load(lang)?;
    let configured_insurer = settings.insurance_code.clone();
    let client = build_client(settings, lang)?;

    let sealed = match args.kind {
        UploadKind::Report => {
            let report = parse_record::<Report>(&text, lang)?;
            check_insurer(report.insurance_code.code(), &configured_insurer, lang)?;
            client.seal_report(&report)
        }
        UploadKind::Claim => {
            let claim = parse_record::<Claim>(&text, lang)?;
            check_insurer(claim.insurance_code.code(), &configured_insurer, lang)?;
            client.seal_claim(&claim)
        }
    }
    .map_err(|error| call_failure(lang, &error))?;

    if args.dry_run {
        return print_line(&String::from_utf8_lossy(sealed.body()), lang);
    }
    send(&client, &sealed, lang)
}

/// Rejects a record filed under another insurer than the configured one before anything is
/// sent: the platform ties each appId to one insurer, so such an upload can only be refused.
fn check_insurer(record: &str, configured: &str, lang: Lang) -> Result<(), Failure> {
    if record.is_empty() || record == configured {
        return Ok(());
    }
    Err(Failure::rejected(lang.pick(
        format!(
            "记录的 insuranceCode 为 {record}，而配置的保险公司代码为 {configured}：平台只接受本公司代码的记录，请修正记录或配置（insurance_code / JB_INSURANCE_CODE）"
        ),
        format!(
            "the record's insuranceCode is {record} but the configured insurer is {configured}; the platform accepts only records of the appId's own insurer, so fix the record or the setting (insurance_code / JB_INSURANCE_CODE)"
        ),
    )))
}

fn send(client: &Client, sealed: &SealedRequest, lang: Lang) -> Result<(), Failure> {
    let receipt =
        block_on(client.send_upload(sealed), lang)?.map_err(|error| call_failure(lang, &error))?;
    let answer = json!({
        "method": receipt.method.wire_name(),
        "serialNo": receipt.serial_no.as_str(),
        "data": "SUCCESS",
        "returnMsg": receipt.return_msg,
    });
    // A `Value` of strings always renders.
    print_line(
        &serde_json::to_string_pretty(&answer).unwrap_or_default(),
        lang,
    )
}

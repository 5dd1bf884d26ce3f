//! `jb validate report|claim FILE`: check an upload record against every field rule before
//! it is sent.

use std::path::PathBuf;

use jb_model::{Claim, Report, Rule, Validate, ValidationOptions, Violation};
use serde::de::DeserializeOwned;

use crate::failure::Failure;
use crate::i18n::Lang;
use crate::messages;
use crate::record_json::parse_record;
use crate::stdio::print_line;

/// Which upload record a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum UploadKind {
    /// J3 reportCaseUpload
    Report,
    /// J4 settleClaimUpload
    Claim,
}

/// Arguments of `jb validate`.
#[derive(Debug, clap::Args)]
pub(crate) struct ValidateArgs {
    /// Record type: report (J3) or claim (J4)
    #[arg(value_enum)]
    pub(crate) kind: UploadKind,

    /// JSON file holding the record's business data, or - to read stdin
    #[arg(value_name = "FILE")]
    pub(crate) file: PathBuf,

    /// Accept dictionary codes the published tables do not list
    #[arg(long)]
    pub(crate) accept_unknown_codes: bool,
}

/// Validates the record in the file; prints one line per violation and exits 1 when any.
pub(crate) fn run(args: &ValidateArgs, lang: Lang) -> Result<(), Failure> {
    let text = crate::record_json::read_record_file(&args.file, lang)?;
    let options = ValidationOptions::upload().with_unknown_codes(args.accept_unknown_codes);

    let violations = match args.kind {
        UploadKind::Report => check::<Report>(&text, &options, lang)?,
        UploadKind::Claim => check::<Claim>(&text, &options, lang)?,
    };
    if violations.is_empty() {
        return print_line(lang.pick("校验通过", "valid"), lang);
    }

    let mut lines: Vec<String> = violations
        .iter()
        .map(|violation| messages::violation(lang, violation))
        .collect();
    lines.push(lang.pick(
        format!("共 {} 处不符合平台规则", violations.len()),
        format!("{} rule violation(s)", violations.len()),
    ));
    let unknown_code = violations
        .iter()
        .any(|violation| matches!(violation.rule, Rule::UnknownCode { .. }));
    if unknown_code {
        lines.push(
            lang.pick(
                "若某个代码确实有效、只是代码表尚未收录，可加 --accept-unknown-codes 允许未知代码",
                "if a code is valid but missing from the published table, pass --accept-unknown-codes to accept unknown codes",
            )
            .to_owned(),
        );
    }
    Err(Failure::rejected(lines.join("\n")))
}

/// Parses `text` as a record of type `R` and validates it.
pub(crate) fn check<R: Validate + DeserializeOwned>(
    text: &str,
    options: &ValidationOptions,
    lang: Lang,
) -> Result<Vec<Violation>, Failure> {
    let record: R = parse_record(text, lang)?;
    Ok(record.validate_with(options))
}

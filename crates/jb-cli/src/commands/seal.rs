//! `jb seal`: business JSON on stdin → a complete, signed request envelope.

use jb_proto::{Codec, Method, SerialNo, TimeStamp};

use crate::credentials::{AppIdArgs, KeyArgs};
use crate::failure::Failure;
use crate::i18n::Lang;
use crate::messages;
use crate::stdio::{print_line, read_stdin};

/// Arguments of `jb seal`.
#[derive(Debug, clap::Args)]
pub(crate) struct SealArgs {
    /// Operation: a wire name such as accidentDownload, or J1 to J5
    #[arg(long, value_name = "NAME")]
    pub(crate) method: Method,

    /// serialNo to use instead of a fresh one (at most 32 characters)
    #[arg(long, value_name = "TEXT")]
    pub(crate) serial_no: Option<String>,

    /// timeStamp to use instead of the current Beijing time (yyyyMMddHHmmss)
    #[arg(long, value_name = "yyyyMMddHHmmss")]
    pub(crate) time_stamp: Option<String>,

    #[command(flatten)]
    pub(crate) app_id: AppIdArgs,

    #[command(flatten)]
    pub(crate) key: KeyArgs,
}

/// Encrypts and signs the business JSON on stdin and prints the request envelope.
pub(crate) fn run(args: &SealArgs, lang: Lang) -> Result<(), Failure> {
    let app_id = args.app_id.require(lang)?;
    let app_key = args.key.load(lang)?;
    let serial_no = match &args.serial_no {
        Some(text) => SerialNo::new(text.as_str()).map_err(|error| {
            Failure::usage(format!(
                "--serial-no: {}",
                messages::serial_no_error(lang, &error)
            ))
        })?,
        None => SerialNo::generate(),
    };
    let time_stamp = match &args.time_stamp {
        Some(text) => TimeStamp::parse(text).map_err(|error| {
            Failure::usage(format!(
                "--time-stamp: {}",
                messages::time_stamp_error(lang, &error)
            ))
        })?,
        None => TimeStamp::now(),
    };

    let input = read_stdin(
        lang,
        &format!("jb seal --method {} < data.json", args.method.wire_name()),
    )?;
    let data = business_json(&input, lang)?;

    let codec = Codec::new(app_id, app_key);
    let envelope = codec.seal_request(args.method, data, serial_no, time_stamp);
    let body = String::from_utf8_lossy(&envelope.to_json()).into_owned();
    print_line(&body, lang)
}

/// Checks that the input is UTF-8 JSON and returns it without surrounding whitespace, so the
/// ciphertext does not depend on a trailing line break.
fn business_json(input: &[u8], lang: Lang) -> Result<&str, Failure> {
    let text = std::str::from_utf8(input).map_err(|error| {
        Failure::rejected(lang.pick(
            format!("输入不是有效的 UTF-8（第 {} 字节无效）：业务数据必须是 UTF-8 JSON", error.valid_up_to()),
            format!(
                "input is not valid UTF-8 (invalid byte at offset {}); business data must be UTF-8 JSON",
                error.valid_up_to()
            ),
        ))
    })?;
    serde_json::from_str::<serde::de::IgnoredAny>(text).map_err(|error| {
        Failure::rejected(lang.pick(
            format!("输入不是有效的 JSON（{error}）：请提供业务数据 JSON"),
            format!("input is not valid JSON ({error}); pass the business data as JSON"),
        ))
    })?;
    Ok(text.trim())
}

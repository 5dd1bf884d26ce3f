//! `jb open`: a request or response envelope on stdin → every check, then the business data.

use jb_proto::{Codec, Expected, ParsedEnvelope, ResponseData};

use crate::credentials::{AppIdArgs, KeyArgs};
use crate::failure::Failure;
use crate::i18n::Lang;
use crate::messages;
use crate::stdio::{print_line, read_stdin};

/// Arguments of `jb open`.
#[derive(Debug, clap::Args)]
pub(crate) struct OpenArgs {
    /// Open the input as a request envelope (the platform's side)
    #[arg(long, conflicts_with = "response")]
    pub(crate) request: bool,

    /// Open the input as a response envelope (the insurer's side)
    #[arg(long)]
    pub(crate) response: bool,

    #[command(flatten)]
    pub(crate) app_id: AppIdArgs,

    #[command(flatten)]
    pub(crate) key: KeyArgs,
}

/// Opens the envelope on stdin and prints its business data.
///
/// Without `--request` or `--response`, an envelope with `returnCode` or `returnMsg` is a
/// response. With an appId configured, the envelope's appId must equal it.
pub(crate) fn run(args: &OpenArgs, lang: Lang) -> Result<(), Failure> {
    let app_key = args.key.load(lang)?;
    let input = read_stdin(lang, "jb open < envelope.json")?;
    let reject = |error| Failure::rejected(messages::open_error(lang, &error));

    let parsed = ParsedEnvelope::parse(&input).map_err(reject)?;
    let is_response = match (args.request, args.response) {
        (true, _) => false,
        (_, true) => true,
        _ => parsed.is_response(),
    };

    let expected_app_id = args.app_id.app_id.as_deref();
    let codec_app_id = expected_app_id.or(parsed.app_id()).unwrap_or_default();
    let codec = Codec::new(codec_app_id, app_key);
    let expected = Expected {
        method: None,
        app_id: expected_app_id,
    };

    let data = if is_response {
        let opened = codec.open_response(&input, &expected).map_err(reject)?;
        match opened.data {
            ResponseData::Download(json) => json,
            ResponseData::UploadAccepted { .. } => "SUCCESS".to_owned(),
            other => format!("{other:?}"),
        }
    } else {
        codec.open_request(&input, &expected).map_err(reject)?.data
    };
    print_line(&data, lang)
}

//! `jb sign`, `jb verify` and `jb explain-sign`: the envelope sign, computed, checked and shown
//! step by step.

use jb_crypto::{AppKey, SignPart};
use jb_proto::ParsedEnvelope;

use crate::credentials::KeyArgs;
use crate::failure::Failure;
use crate::i18n::Lang;
use crate::messages;
use crate::stdio::{print_line, read_stdin};

/// Arguments of `jb sign`, `jb verify` and `jb explain-sign`.
#[derive(Debug, clap::Args)]
pub(crate) struct SignArgs {
    #[command(flatten)]
    pub(crate) key: KeyArgs,
}

/// Prints the sign over every field of the envelope on stdin except `sign`.
pub(crate) fn run_sign(args: &SignArgs, lang: Lang) -> Result<(), Failure> {
    let app_key = args.key.load(lang)?;
    let input = read_stdin(lang, "jb sign < envelope.json")?;
    let envelope = parse(&input, lang)?;

    print_line(&jb_crypto::sign(envelope.sign_values(), &app_key), lang)
}

/// Checks the `sign` of the envelope on stdin; on a mismatch prints both signs.
pub(crate) fn run_verify(args: &SignArgs, lang: Lang) -> Result<(), Failure> {
    let app_key = args.key.load(lang)?;
    let input = read_stdin(lang, "jb verify < envelope.json")?;
    let envelope = parse(&input, lang)?;
    let received = received_sign(&envelope, lang)?;

    match jb_crypto::verify(envelope.sign_values(), &app_key, received) {
        Ok(()) => print_line(lang.pick("签名正确", "sign is correct"), lang),
        Err(error) => {
            let expected = jb_crypto::sign(envelope.sign_values(), &app_key);
            Err(Failure::rejected(lang.pick(
                format!(
                    "{}\n  报文中的 sign：{received}\n  计算得到的 sign：{expected}\n  用 jb explain-sign 查看参与签名的各项",
                    messages::verify_error(lang, &error)
                ),
                format!(
                    "{}\n  sign in envelope: {received}\n  computed sign:    {expected}\n  run jb explain-sign to see every input of the sign",
                    messages::verify_error(lang, &error)
                ),
            )))
        }
    }
}

/// Prints the sorted sign inputs with the field each came from, their concatenation with the
/// appKey masked, and the resulting sign. Fails (exit 1) after printing when the envelope
/// carries a sign that differs from the computed one.
pub(crate) fn run_explain_sign(args: &SignArgs, lang: Lang) -> Result<(), Failure> {
    let app_key = args.key.load(lang)?;
    let input = read_stdin(lang, "jb explain-sign < envelope.json")?;
    let envelope = parse(&input, lang)?;

    let report = explain(&envelope, &app_key, lang);
    print_line(report.trim_end(), lang)?;

    let mismatch = envelope.sign().is_some_and(|received| {
        jb_crypto::verify(envelope.sign_values(), &app_key, received).is_err()
    });
    if mismatch {
        return Err(Failure::rejected(lang.pick(
            "报文中的 sign 与计算结果不一致：请检查 appKey，以及签名后是否改动过字段",
            "the sign in the envelope differs from the computed sign: check the appKey and whether a field changed after signing",
        )));
    }
    Ok(())
}

fn explain(envelope: &ParsedEnvelope<'_>, app_key: &AppKey, lang: Lang) -> String {
    let explanation = jb_crypto::explain_sign(envelope.sign_values(), app_key);
    let mut report = String::new();

    report.push_str(&lang.pick(
        format!(
            "1. 参与签名的值（除 sign 外的全部字段及 appKey），按 UTF-16 码元排序，共 {} 项：\n",
            explanation.sorted.len()
        ),
        format!(
            "1. Sign inputs (every field but sign, plus the appKey), sorted by UTF-16 code units, {} in all:\n",
            explanation.sorted.len()
        ),
    ));
    for (position, part) in explanation.sorted.iter().enumerate() {
        let (field, shown) = match part {
            SignPart::AppKey => ("appKey".to_owned(), jb_crypto::APP_KEY_MASK.to_owned()),
            SignPart::Value(value) => (field_names(envelope, value), quoted(value)),
        };
        report.push_str(&format!("   {:>2}. {field:<12} {shown}\n", position + 1));
    }

    report.push_str(lang.pick(
        "2. 无分隔符拼接（appKey 已隐去），按 UTF-8 编码：\n",
        "2. Concatenation with no separator (appKey masked), encoded as UTF-8:\n",
    ));
    report.push_str(&format!("   {}\n", explanation.masked_concatenation));

    report.push_str(lang.pick("3. SHA-1，小写十六进制：\n", "3. SHA-1 as lowercase hex:\n"));
    report.push_str(&format!("   {}\n", explanation.sign));

    if let Some(received) = envelope.sign() {
        let matches = jb_crypto::verify(envelope.sign_values(), app_key, received).is_ok();
        let verdict = match matches {
            true => lang.pick("一致", "matches"),
            false => lang.pick("不一致", "differs"),
        };
        report.push_str(&lang.pick(
            format!("报文中的 sign：{received}（{verdict}）\n"),
            format!("sign in envelope: {received} ({verdict})\n"),
        ));
    }
    report
}

/// Names the fields whose sign text is `value`; several fields can share one value.
fn field_names(envelope: &ParsedEnvelope<'_>, value: &str) -> String {
    let names: Vec<&str> = envelope
        .fields()
        .filter(|(name, field)| *name != "sign" && field.sign_text() == Some(value))
        .map(|(name, _)| name)
        .collect();
    names.join(",")
}

/// Writes a value as a JSON string literal, so that spaces and line breaks are visible.
fn quoted(value: &str) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| value.to_owned())
}

fn parse<'a>(input: &'a [u8], lang: Lang) -> Result<ParsedEnvelope<'a>, Failure> {
    ParsedEnvelope::parse(input)
        .map_err(|error| Failure::rejected(messages::open_error(lang, &error)))
}

fn received_sign<'a>(envelope: &'a ParsedEnvelope<'_>, lang: Lang) -> Result<&'a str, Failure> {
    envelope.sign().ok_or_else(|| {
        Failure::rejected(lang.pick(
            "报文没有 sign 字段：无可校验的签名；用 jb sign 计算签名",
            "envelope has no sign field, so there is nothing to verify; compute one with jb sign",
        ))
    })
}

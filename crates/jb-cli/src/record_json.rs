//! Reading an upload record (J3 report, J4 claim) from JSON text, with errors that tell a
//! syntax error from a field of the wrong type and name the field.

use serde::de::DeserializeOwned;
use serde_json::error::Category;

use crate::failure::Failure;
use crate::i18n::Lang;

/// Returns the page that lists every field of a report and a claim, in the user's language.
pub(crate) fn records_doc(lang: Lang) -> &'static str {
    lang.pick("docs/zh/records.md", "docs/en/records.md")
}

/// Reads a record file, or stdin when `path` is `-`. An empty file or input is rejected here,
/// where the reason is plain, rather than as a JSON syntax error at column 0.
pub(crate) fn read_record_file(path: &std::path::Path, lang: Lang) -> Result<String, Failure> {
    let bytes = if path.as_os_str() == "-" {
        crate::stdio::read_stdin(lang, "jb validate report - < report.json")?
    } else {
        std::fs::read(path).map_err(|error| {
            Failure::usage(lang.pick(
                format!(
                    "无法读取记录文件 {}：{}；请检查路径，或用 - 从标准输入读取",
                    path.display(),
                    crate::messages::io_error(lang, &error)
                ),
                format!(
                    "cannot read record file {}: {error}; check the path, or pass - to read stdin",
                    path.display()
                ),
            ))
        })?
    };
    let text = String::from_utf8(bytes).map_err(|error| {
        let offset = error.utf8_error().valid_up_to();
        Failure::rejected(lang.pick(
            format!("记录文件 {} 不是有效的 UTF-8（第 {offset} 字节无效）：请以 UTF-8 保存", path.display()),
            format!(
                "record file {} is not valid UTF-8 (invalid byte at offset {offset}); save it as UTF-8",
                path.display()
            ),
        ))
    })?;
    if text.trim().is_empty() {
        return Err(Failure::rejected(lang.pick(
            format!(
                "记录文件 {} 是空的：请按 {} 填写一条记录",
                path.display(),
                records_doc(lang)
            ),
            format!(
                "record file {} is empty; write one record as {} describes",
                path.display(),
                records_doc(lang)
            ),
        )));
    }
    Ok(text)
}

/// Parses `text` as a record of type `R`. A failure exits 1 and its message gives either
/// where the JSON syntax breaks or which field is missing or has the wrong type.
pub(crate) fn parse_record<R: DeserializeOwned>(text: &str, lang: Lang) -> Result<R, Failure> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let record = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        Failure::rejected(describe(error.inner(), &path, lang))
    })?;
    // Text after the record, such as a second object, is a syntax error at the top level.
    deserializer
        .end()
        .map_err(|error| Failure::rejected(describe(&error, ".", lang)))?;
    Ok(record)
}

/// Describes a JSON error found at `path`, which serde_path_to_error writes as `.` for the
/// record itself and as `plateData[0].plateNo` below it.
fn describe(inner: &serde_json::Error, path: &str, lang: Lang) -> String {
    let (line, column) = (inner.line(), inner.column());
    let doc = records_doc(lang);
    match inner.classify() {
        Category::Syntax | Category::Eof | Category::Io => lang.pick(
            format!(
                "文件不是有效的 JSON：第 {line} 行第 {column} 列有语法错误（{}）：请修正该处，例如删去多余的逗号、补上引号或括号",
                detail(inner)
            ),
            format!(
                "the file is not valid JSON: syntax error at line {line} column {column} ({}); fix it there, for example by removing a trailing comma or adding a missing quote or bracket",
                detail(inner)
            ),
        ),
        Category::Data => match missing_field(inner) {
            Some(name) => {
                let field = join_path(path, &name);
                lang.pick(
                    format!(
                        "缺少必填字段 {field}{}：请按 {doc} 填写该字段",
                        chinese_name(&name)
                            .map(|zh| format!("（{zh}）"))
                            .unwrap_or_default()
                    ),
                    format!("missing required field {field}: add it as {doc} describes"),
                )
            }
            None => {
                let field = match path {
                    "." => lang.pick("（记录本身）", "(the record itself)"),
                    _ => path,
                };
                lang.pick(
                    format!(
                        "字段 {field} 的类型或格式无效（第 {line} 行第 {column} 列：{}）：请按 {doc} 中的格式填写",
                        detail(inner)
                    ),
                    format!(
                        "field {field} has the wrong type or format (line {line} column {column}: {}); write it as {doc} describes",
                        detail(inner)
                    ),
                )
            }
        },
    }
}

/// Returns serde_json's message without the ` at line L column C` it appends.
fn detail(error: &serde_json::Error) -> String {
    let message = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    message.strip_suffix(&suffix).unwrap_or(&message).to_owned()
}

/// Returns the field name of serde's "missing field `name`" message.
fn missing_field(error: &serde_json::Error) -> Option<String> {
    // `Display` is the only place serde puts the name; serde 1 writes it in this form.
    let message = error.to_string();
    let start = message.find("missing field `")? + "missing field `".len();
    let length = message[start..].find('`')?;
    Some(message[start..start + length].to_owned())
}

/// Writes `parent.name`, or `name` at the top level, where serde_path_to_error prints `.`.
fn join_path(parent: &str, name: &str) -> String {
    match parent {
        "." | "" => name.to_owned(),
        _ => format!("{parent}.{name}"),
    }
}

fn chinese_name(wire: &str) -> Option<&'static str> {
    FIELDS_WITHOUT_DEFAULT
        .iter()
        .find(|(name, _)| *name == wire)
        .map(|(_, zh)| *zh)
}

/// The record fields that JSON must contain, because their types (dates, money) have no
/// empty value: every other missing field decodes as empty and validation reports it.
const FIELDS_WITHOUT_DEFAULT: &[(&str, &str)] = &[
    ("reportTime", "报案时间"),
    ("payAmout", "赔款总金额"),
    ("fixedAmount", "定损金额"),
    ("payUnitAcount", "款项金额"),
    ("payTime", "款项支付时间"),
];

#[cfg(test)]
mod tests {
    use jb_model::{Claim, Report};

    use super::*;

    fn message<R: DeserializeOwned + std::fmt::Debug>(text: &str, lang: Lang) -> String {
        match parse_record::<R>(text, lang) {
            Ok(record) => panic!("parsed: {record:?}"),
            Err(failure) => failure.message,
        }
    }

    #[test]
    fn parse_record_missing_field_named_in_both_languages() {
        let english = message::<Report>("{}", Lang::En);
        let chinese = message::<Report>("{}", Lang::Zh);

        assert!(
            english.contains("missing required field reportTime"),
            "{english}"
        );
        assert!(english.contains("docs/en/records.md"), "{english}");
        assert!(chinese.contains("reportTime（报案时间）"), "{chinese}");
        assert!(chinese.contains("docs/zh/records.md"), "{chinese}");
    }

    #[test]
    fn parse_record_trailing_comma_is_syntax_error() {
        let english = message::<Report>("{\"reportNo\": \"R1\",\n}", Lang::En);

        assert!(english.contains("not valid JSON"), "{english}");
        assert!(english.contains("line 2 column 1"), "{english}");
    }

    #[test]
    fn parse_record_wrong_type_names_nested_field() {
        let text = r#"{"payAmout": "1.00", "payData": [{"payUnitAcount": true, "payTime": "2024-01-01"}]}"#;

        let english = message::<Claim>(text, Lang::En);

        assert!(
            english.contains("field payData[0].payUnitAcount"),
            "{english}"
        );
        assert!(english.contains("wrong type or format"), "{english}");
        assert!(!english.contains("not valid JSON"), "{english}");
    }

    #[test]
    fn parse_record_bad_date_is_format_error() {
        let text =
            r#"{"payAmout": "1.00", "payData": [{"payUnitAcount": "1.00", "payTime": 20240101}]}"#;

        let english = message::<Claim>(text, Lang::En);

        assert!(english.contains("field payData[0].payTime"), "{english}");
    }

    #[test]
    fn parse_record_trailing_text_is_syntax_error() {
        let text = format!("{} x", include_str!("../tests/data/report-valid.json"));

        let chinese = message::<Report>(&text, Lang::Zh);

        assert!(chinese.contains("不是有效的 JSON"), "{chinese}");
    }
}

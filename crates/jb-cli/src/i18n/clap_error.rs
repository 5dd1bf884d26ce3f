//! Chinese rendering of clap's command-line errors.
//!
//! clap writes its errors in English. For the kinds a person meets most (an unknown
//! subcommand or argument, a missing argument or value, an invalid value, two conflicting
//! arguments) this module writes the same facts in Chinese from the error's context. Rarer
//! kinds keep clap's English rendering.

use clap::error::{ContextKind, ContextValue, Error, ErrorKind};

/// Renders `error` in Chinese, or returns `None` for a kind this module does not cover.
pub(crate) fn render_zh(error: &Error) -> Option<String> {
    let arg = text(error, ContextKind::InvalidArg);
    let value = text(error, ContextKind::InvalidValue);
    let mut lines = Vec::new();

    match error.kind() {
        ErrorKind::InvalidSubcommand => {
            lines.push(format!(
                "错误：没有名为 '{}' 的子命令",
                text(error, ContextKind::InvalidSubcommand)
            ));
            if let Some(suggested) = list(error, ContextKind::SuggestedSubcommand) {
                lines.push(String::new());
                lines.push(format!("  提示：相近的子命令有 {suggested}"));
            }
        }
        ErrorKind::UnknownArgument => {
            lines.push(format!("错误：无法识别的参数 '{arg}'"));
            if let Some(suggested) = list(error, ContextKind::SuggestedArg) {
                lines.push(String::new());
                lines.push(format!("  提示：相近的参数有 {suggested}"));
            }
        }
        ErrorKind::MissingRequiredArgument => {
            lines.push("错误：缺少必需的参数：".to_owned());
            for missing in strings(error.get(ContextKind::InvalidArg)) {
                lines.push(format!("  {missing}"));
            }
        }
        ErrorKind::InvalidValue if value.is_empty() => {
            lines.push(format!("错误：参数 '{arg}' 需要一个值，但没有给出"));
            push_valid_values(error, &mut lines);
        }
        ErrorKind::InvalidValue => {
            lines.push(format!("错误：'{value}' 不是参数 '{arg}' 的有效值"));
            push_valid_values(error, &mut lines);
            if let Some(suggested) = list(error, ContextKind::SuggestedValue) {
                lines.push(format!("  提示：相近的取值有 {suggested}"));
            }
        }
        ErrorKind::ArgumentConflict => {
            let prior = strings(error.get(ContextKind::PriorArg));
            match prior.is_empty() {
                true => lines.push(format!("错误：参数 '{arg}' 不能重复使用")),
                false => lines.push(format!(
                    "错误：参数 '{arg}' 不能与 {} 同时使用",
                    quoted(&prior)
                )),
            }
        }
        ErrorKind::ValueValidation => {
            let reason = std::error::Error::source(error)
                .map(|source| format!("：{source}"))
                .unwrap_or_default();
            lines.push(format!("错误：参数 '{arg}' 的值 '{value}' 无效{reason}"));
        }
        _ => return None,
    }

    if let Some(usage) = error.get(ContextKind::Usage) {
        let usage = usage.to_string();
        let usage = usage.trim().strip_prefix("Usage:").unwrap_or(&usage).trim();
        lines.push(String::new());
        lines.push(format!("用法: {}", translate_usage(usage)));
    }
    lines.push(String::new());
    lines.push("运行时加上 --help 可查看更多说明".to_owned());
    Some(lines.join("\n"))
}

/// Replaces clap's `[OPTIONS]` placeholder in a usage line with its Chinese heading.
pub(crate) fn translate_usage(usage: &str) -> String {
    usage.replace("[OPTIONS]", "[选项]")
}

fn push_valid_values(error: &Error, lines: &mut Vec<String>) {
    let valid = strings(error.get(ContextKind::ValidValue));
    if !valid.is_empty() {
        lines.push(format!("  可选值：{}", valid.join("、")));
    }
}

/// Returns the context of `kind` as one string, empty when absent.
fn text(error: &Error, kind: ContextKind) -> String {
    error.get(kind).map(ToString::to_string).unwrap_or_default()
}

/// Returns the values of `kind` quoted and joined, or `None` when there are none.
fn list(error: &Error, kind: ContextKind) -> Option<String> {
    let values = strings(error.get(kind));
    (!values.is_empty()).then(|| quoted(&values))
}

fn quoted(values: &[String]) -> String {
    values
        .iter()
        .map(|value| format!("'{value}'"))
        .collect::<Vec<_>>()
        .join("、")
}

fn strings(value: Option<&ContextValue>) -> Vec<String> {
    match value {
        Some(ContextValue::String(single)) => vec![single.clone()],
        Some(ContextValue::Strings(many)) => many.clone(),
        Some(ContextValue::StyledStr(single)) => vec![single.to_string()],
        Some(ContextValue::StyledStrs(many)) => many.iter().map(ToString::to_string).collect(),
        _ => Vec::new(),
    }
}

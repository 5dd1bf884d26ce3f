//! `jb dict [TABLE] [--json]`: the platform's code tables.

use jb_model::{Table, table, tables};
use serde_json::json;

use crate::failure::Failure;
use crate::i18n::Lang;
use crate::stdio::print_line;

/// Arguments of `jb dict`.
#[derive(Debug, clap::Args)]
pub(crate) struct DictArgs {
    /// Table key such as plate-type, or Rust name such as PlateType (default: list the tables)
    #[arg(value_name = "TABLE")]
    pub(crate) table: Option<String>,

    /// Print JSON instead of text
    #[arg(long)]
    pub(crate) json: bool,
}

/// Prints one table, or the list of tables when none is named.
pub(crate) fn run(args: &DictArgs, lang: Lang) -> Result<(), Failure> {
    let Some(name) = &args.table else {
        return list(args.json, lang);
    };
    let found = table(name).ok_or_else(|| {
        let keys: Vec<&str> = tables().iter().map(|table| table.key).collect();
        Failure::usage(lang.pick(
            format!("没有名为 {name:?} 的代码表；可用的有：{}", keys.join(", ")),
            format!(
                "no code table named {name:?}; available: {}",
                keys.join(", ")
            ),
        ))
    })?;

    if args.json {
        return print_line(&table_json(found).to_string(), lang);
    }
    print_line(&table_text(found, lang), lang)
}

fn list(as_json: bool, lang: Lang) -> Result<(), Failure> {
    if as_json {
        let all: Vec<serde_json::Value> = tables().iter().map(table_json).collect();
        return print_line(&serde_json::Value::Array(all).to_string(), lang);
    }
    let mut text = String::new();
    for table in tables() {
        let title = lang.pick(table.title_zh, table.title_en);
        text.push_str(&format!(
            "{:<20} {:>3}  {title}\n",
            table.key,
            table.rows.len()
        ));
    }
    text.push_str(lang.pick(
        "用 jb dict <表名> 查看某张表的全部代码",
        "run jb dict <TABLE> to see every code of one table",
    ));
    print_line(&text, lang)
}

fn table_text(table: &Table, lang: Lang) -> String {
    let headings = lang.pick(table.headings_zh, table.headings_en);
    let fields: Vec<String> = table
        .fields
        .iter()
        .map(|field| field_text(field, lang))
        .collect();
    let mut text = format!(
        "{}\n{}{}\n{}\n",
        lang.pick(table.title_zh, table.title_en),
        lang.pick("用于字段：", "used by: "),
        fields.join(lang.pick("、", ", ")),
        headings.join("\t")
    );
    for row in table.rows {
        text.push_str(&row.join("\t"));
        text.push('\n');
    }
    text.trim_end().to_owned()
}

/// Writes a field of a table's field list for a person. The list marks a field that contains
/// several codes as `name (comma-separated)`.
fn field_text(field: &str, lang: Lang) -> String {
    match field.strip_suffix(" (comma-separated)") {
        Some(name) => lang.pick(
            format!("{name}（可填多个代码，以英文逗号分隔）"),
            format!("{name} (several codes, separated by commas)"),
        ),
        None => field.to_owned(),
    }
}

/// Turns a column heading such as `cause, level 1` into a JSON key such as `cause_level_1`:
/// lowercase ASCII letters and digits, with every run of other characters written as one `_`.
fn json_key(heading: &str) -> String {
    let mut key = String::with_capacity(heading.len());
    for character in heading.chars() {
        if character.is_ascii_alphanumeric() {
            key.push(character.to_ascii_lowercase());
        } else if !key.is_empty() && !key.ends_with('_') {
            key.push('_');
        }
    }
    key.trim_end_matches('_').to_owned()
}

fn table_json(table: &Table) -> serde_json::Value {
    let rows: Vec<serde_json::Value> = table
        .rows
        .iter()
        .map(|row| {
            let cells: serde_json::Map<String, serde_json::Value> = table
                .headings_en
                .iter()
                .zip(row.iter())
                .map(|(heading, cell)| (json_key(heading), json!(cell)))
                .collect();
            serde_json::Value::Object(cells)
        })
        .collect();
    json!({
        "key": table.key,
        "title_zh": table.title_zh,
        "title_en": table.title_en,
        "fields": table.fields,
        "rows": rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_key_joins_words_with_one_underscore() {
        assert_eq!(json_key("cause, level 1"), "cause_level_1");
        assert_eq!(json_key("code"), "code");
        assert_eq!(json_key("Photo type (front)"), "photo_type_front");
    }

    #[test]
    fn field_text_explains_comma_separated_list() {
        assert_eq!(field_text("insuranceCode", Lang::En), "insuranceCode");
        let english = field_text("channelTypes (comma-separated)", Lang::En);
        assert_eq!(english, "channelTypes (several codes, separated by commas)");
        let chinese = field_text("channelTypes (comma-separated)", Lang::Zh);
        assert!(chinese.starts_with("channelTypes（"), "{chinese}");
        assert!(!chinese.contains("comma"), "{chinese}");
    }
}

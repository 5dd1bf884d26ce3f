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
    let mut text = format!(
        "{} ({})\n{}\n",
        lang.pick(table.title_zh, table.title_en),
        table.fields.join(", "),
        headings.join("\t")
    );
    for row in table.rows {
        text.push_str(&row.join("\t"));
        text.push('\n');
    }
    text.trim_end().to_owned()
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
                .map(|(heading, cell)| (heading.to_lowercase().replace(' ', "_"), json!(cell)))
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

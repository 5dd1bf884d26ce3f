//! Loading and checking the dictionary sources: `tables.toml` and one CSV file per table.

use std::collections::HashSet;
use std::fs;
use std::path::Path;

use serde::Deserialize;

/// The `tables.toml` index.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Index {
    table: Vec<TableSpec>,
}

/// One `[[table]]` entry of the index.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TableSpec {
    key: String,
    file: String,
    rust_name: String,
    kind: Kind,
    title_zh: String,
    title_en: String,
    fields: Vec<String>,
    #[serde(default)]
    name_heading_zh: Option<String>,
    #[serde(default)]
    name_heading_en: Option<String>,
    #[serde(default)]
    extra_headings_zh: Vec<String>,
    #[serde(default)]
    extra_headings_en: Vec<String>,
}

/// Whether codes outside the table may be accepted on upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Kind {
    Dictionary,
    Values,
}

/// A loaded, checked table.
#[derive(Debug)]
pub(crate) struct Table {
    pub(crate) key: String,
    pub(crate) rust_name: String,
    pub(crate) kind: Kind,
    pub(crate) title_zh: String,
    pub(crate) title_en: String,
    pub(crate) fields: Vec<String>,
    /// Headings: code, name, then the extra columns.
    pub(crate) headings_zh: Vec<String>,
    pub(crate) headings_en: Vec<String>,
    /// Names of the extra columns, as in the CSV header; each becomes an accessor.
    pub(crate) extra_columns: Vec<String>,
    pub(crate) rows: Vec<Row>,
}

/// One row of a table.
#[derive(Debug)]
pub(crate) struct Row {
    pub(crate) code: String,
    pub(crate) variant: String,
    pub(crate) name: String,
    pub(crate) extra: Vec<String>,
}

/// Reads `tables.toml` and every CSV file it lists from `dir`.
pub(crate) fn load(dir: &Path) -> Result<Vec<Table>, String> {
    let index_path = dir.join("tables.toml");
    let index_text = fs::read_to_string(&index_path)
        .map_err(|error| format!("cannot read {}: {error}", index_path.display()))?;
    let index: Index = toml::from_str(&index_text)
        .map_err(|error| format!("invalid {}: {error}", index_path.display()))?;

    let mut tables = Vec::new();
    for spec in index.table {
        let csv_path = dir.join(&spec.file);
        let csv = fs::read_to_string(&csv_path)
            .map_err(|error| format!("cannot read {}: {error}", csv_path.display()))?;
        let table =
            build(spec, &csv).map_err(|error| format!("{}: {error}", csv_path.display()))?;
        tables.push(table);
    }
    Ok(tables)
}

/// Parses one CSV file and checks it against its index entry.
fn build(spec: TableSpec, csv: &str) -> Result<Table, String> {
    let mut lines = csv
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty());
    let (_, header) = lines
        .next()
        .ok_or("the file is empty; expected a header line")?;
    let columns: Vec<&str> = header.split(',').collect();
    if columns.get(..3) != Some(&["code", "variant", "name"][..]) {
        return Err(format!(
            "header `{header}` must start with `code,variant,name`"
        ));
    }
    let extra_columns: Vec<String> = columns[3..]
        .iter()
        .map(|column| (*column).to_owned())
        .collect();
    if spec.extra_headings_zh.len() != extra_columns.len()
        || spec.extra_headings_en.len() != extra_columns.len()
    {
        return Err(format!(
            "{} extra columns in the header but {} Chinese and {} English headings in tables.toml",
            extra_columns.len(),
            spec.extra_headings_zh.len(),
            spec.extra_headings_en.len()
        ));
    }

    let mut rows = Vec::new();
    let mut codes = HashSet::new();
    let mut variants = HashSet::new();
    for (number, line) in lines {
        let cells: Vec<&str> = line.split(',').collect();
        if cells.len() != columns.len() {
            return Err(format!(
                "line {}: {} cells, expected {}",
                number + 1,
                cells.len(),
                columns.len()
            ));
        }
        if cells
            .iter()
            .any(|cell| cell.is_empty() || cell.trim() != *cell || cell.contains('"'))
        {
            return Err(format!(
                "line {}: cells must be non-empty, unquoted and without surrounding spaces",
                number + 1
            ));
        }
        let variant = cells[1];
        if !is_rust_variant(variant) || variant == "Unknown" {
            return Err(format!(
                "line {}: `{variant}` is not a usable enum variant name",
                number + 1
            ));
        }
        if !codes.insert(cells[0]) || !variants.insert(variant) {
            return Err(format!("line {}: duplicate code or variant", number + 1));
        }
        rows.push(Row {
            code: cells[0].to_owned(),
            variant: variant.to_owned(),
            name: cells[2].to_owned(),
            extra: cells[3..].iter().map(|cell| (*cell).to_owned()).collect(),
        });
    }
    if rows.is_empty() {
        return Err("the table has no rows".to_owned());
    }

    let mut headings_zh = vec![
        "代码".to_owned(),
        spec.name_heading_zh.unwrap_or_else(|| "名称".to_owned()),
    ];
    headings_zh.extend(spec.extra_headings_zh);
    let mut headings_en = vec![
        "code".to_owned(),
        spec.name_heading_en.unwrap_or_else(|| "name".to_owned()),
    ];
    headings_en.extend(spec.extra_headings_en);

    Ok(Table {
        key: spec.key,
        rust_name: spec.rust_name,
        kind: spec.kind,
        title_zh: spec.title_zh,
        title_en: spec.title_en,
        fields: spec.fields,
        headings_zh,
        headings_en,
        extra_columns,
        rows,
    })
}

/// Checks that `name` is an upper camel case Rust identifier.
fn is_rust_variant(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|first| first.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> TableSpec {
        TableSpec {
            key: "t".to_owned(),
            file: "t.csv".to_owned(),
            rust_name: "T".to_owned(),
            kind: Kind::Dictionary,
            title_zh: "表".to_owned(),
            title_en: "table".to_owned(),
            fields: Vec::new(),
            name_heading_zh: None,
            name_heading_en: None,
            extra_headings_zh: Vec::new(),
            extra_headings_en: Vec::new(),
        }
    }

    #[test]
    fn build_reads_rows() {
        let table = build(spec(), "code,variant,name\n01,First,一\n02,Second,二\n").unwrap();
        assert_eq!(table.rows.len(), 2);
        assert_eq!(table.rows[1].code, "02");
        assert_eq!(table.rows[1].variant, "Second");
        assert_eq!(table.rows[1].name, "二");
    }

    #[test]
    fn build_rejects_duplicate_code() {
        let error = build(spec(), "code,variant,name\n01,First,一\n01,Second,二\n").unwrap_err();
        assert!(error.contains("duplicate"), "{error}");
    }

    #[test]
    fn build_rejects_wrong_cell_count() {
        let error = build(spec(), "code,variant,name\n01,First\n").unwrap_err();
        assert!(error.contains("2 cells"), "{error}");
    }

    #[test]
    fn build_rejects_lowercase_variant() {
        let error = build(spec(), "code,variant,name\n01,first,一\n").unwrap_err();
        assert!(error.contains("variant"), "{error}");
    }

    #[test]
    fn build_rejects_missing_extra_headings() {
        let error = build(spec(), "code,variant,name,level\n01,First,一,甲\n").unwrap_err();
        assert!(error.contains("extra columns"), "{error}");
    }
}

//! Code tables: the platform's dictionaries and the closed value sets of single fields.
//!
//! The enums and tables live in `generated.rs`, written by `cargo xtask codegen` from the CSV
//! files under `dictionaries/`. This module contains what they share.

mod code_list;
mod generated;

use std::fmt;
use std::marker::PhantomData;

use serde::Serialize;
use serde::de::{self, Visitor};

pub use code_list::CodeList;
pub use generated::{
    AccidentCause, AccidentType, CertificateType, CoordinateSystem, DispatchType, DutyProportion,
    Flag, InsuranceType, Insurer, LossType, PhotoType, PlateType, ReportMode, TaskType, YesNo,
};

/// Whether a code outside a table may be accepted on upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum TableKind {
    /// A published dictionary: the platform may add codes, so the caller of upload validation can
    /// choose to accept a code it does not list.
    Dictionary,
    /// The closed value set of a field (Y/N, 0/1, duty proportion, ...): anything else is
    /// always invalid on upload.
    Values,
}

/// One code table as data, for listing and documentation; serializes with camelCase keys.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Table {
    /// Stable key such as `plate-type`.
    pub key: &'static str,
    /// Name of the Rust enum generated from the table.
    pub rust_name: &'static str,
    /// Whether unknown codes can be accepted on upload.
    pub kind: TableKind,
    /// Chinese title, as the platform names the table.
    pub title_zh: &'static str,
    /// English title.
    pub title_en: &'static str,
    /// Wire fields whose values come from this table.
    pub fields: &'static [&'static str],
    /// Column headings in Chinese: code, name, then any extra columns.
    pub headings_zh: &'static [&'static str],
    /// Column headings in English, in the same order.
    pub headings_en: &'static [&'static str],
    /// Rows in table order, one cell per heading.
    pub rows: &'static [&'static [&'static str]],
}

/// Returns every code table, dictionaries first.
pub fn tables() -> &'static [Table] {
    generated::TABLES
}

/// Finds a table by its key (`plate-type`) or its Rust name (`PlateType`), ignoring case.
pub fn table(name: &str) -> Option<&'static Table> {
    let name = name.trim();
    tables().iter().find(|table| {
        table.key.eq_ignore_ascii_case(name) || table.rust_name.eq_ignore_ascii_case(name)
    })
}

/// A value taken from a code table, which keeps a code the table does not list.
///
/// Every generated enum implements this trait; validation uses it to check any coded field.
pub trait Code: Sized + Clone + fmt::Debug + 'static {
    /// The table the enum is generated from.
    const TABLE: &'static Table;

    /// Parses a code after trimming surrounding spaces; a code outside the table is kept
    /// as unknown, never rejected.
    fn from_code(code: &str) -> Self;

    /// The code as sent on the wire.
    fn code(&self) -> &str;

    /// The Chinese name of a known code, `None` for an unknown one.
    fn name(&self) -> Option<&'static str>;

    /// Every known code, in table order.
    fn all() -> &'static [Self];

    /// Whether the code is listed in the table.
    fn is_known(&self) -> bool {
        self.name().is_some()
    }
}

/// Deserializes any [`Code`] from a JSON string, from a number written as its text (`100` for a
/// duty proportion) or from `null` (an empty code). Other JSON types are rejected.
pub(crate) fn deserialize_code<'de, D, C>(deserializer: D) -> Result<C, D::Error>
where
    D: de::Deserializer<'de>,
    C: Code,
{
    deserializer.deserialize_any(CodeVisitor(PhantomData))
}

struct CodeVisitor<C>(PhantomData<C>);

impl<C: Code> Visitor<'_> for CodeVisitor<C> {
    type Value = C;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "a code of table `{}` as a string", C::TABLE.key)
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<C, E> {
        Ok(C::from_code(value))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<C, E> {
        Ok(C::from_code(&value.to_string()))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<C, E> {
        Ok(C::from_code(&value.to_string()))
    }

    fn visit_unit<E: de::Error>(self) -> Result<C, E> {
        Ok(C::from_code(""))
    }
}

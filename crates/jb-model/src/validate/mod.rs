//! Validation of records against the platform's field rules.
//!
//! Uploads are checked strictly before they are sent. Downloads are checked with the
//! tolerances the platform needs (unknown codes, either date-time precision), and their
//! violations are reported beside the decoded record.

mod checker;

use std::fmt;

use rust_decimal::Decimal;

use crate::dict;

pub(crate) use checker::{Checker, Field, Personal};

/// Options of a validation run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ValidationOptions {
    /// Accept a code missing from its dictionary (a new insurer or plate type). Values
    /// outside the closed set of a field (Y/N, 0/1, ...) are rejected even so.
    pub accept_unknown_codes: bool,
    /// Accept a date-time with or without seconds whatever the field's own format.
    pub accept_either_time_precision: bool,
}

impl ValidationOptions {
    /// Strict options for uploads: every rule applies.
    pub const fn upload() -> Self {
        Self {
            accept_unknown_codes: false,
            accept_either_time_precision: false,
        }
    }

    /// Options for downloads: unknown codes and either date-time precision are accepted,
    /// because the platform sends both.
    pub const fn download() -> Self {
        Self {
            accept_unknown_codes: true,
            accept_either_time_precision: true,
        }
    }

    /// Sets whether codes missing from their dictionary are accepted.
    pub const fn with_unknown_codes(mut self, accept: bool) -> Self {
        self.accept_unknown_codes = accept;
        self
    }
}

/// A record type whose field rules can be checked.
pub trait Validate {
    /// Checks every rule with `options` and returns every violation, in field order.
    fn validate_with(&self, options: &ValidationOptions) -> Vec<Violation>;

    /// Checks every rule strictly, as for an upload, and returns every violation.
    fn validate(&self) -> Vec<Violation> {
        self.validate_with(&ValidationOptions::upload())
    }

    /// Checks strictly and turns any violation into an error, for code that must stop.
    fn ensure_valid(&self) -> Result<(), InvalidRecord> {
        let violations = self.validate();
        if violations.is_empty() {
            Ok(())
        } else {
            Err(InvalidRecord { violations })
        }
    }
}

/// One broken rule.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Violation {
    /// JSON path of the field, such as `payData[1].payUnitAcount`.
    pub path: String,
    /// The platform's Chinese name of the field, such as `款项金额`.
    pub field_zh: &'static str,
    /// The rule broken.
    pub rule: Rule,
    /// The offending value, with personal data masked; `None` when the field is empty or the
    /// rule concerns several fields.
    pub value: Option<String>,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.path, self.field_zh, self.rule)?;
        if let Some(value) = &self.value {
            write!(f, "; value `{value}`")?;
        }
        Ok(())
    }
}

/// A field rule of the platform.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rule {
    /// A required field is missing or blank, or a required list is empty.
    Required,
    /// The value is longer than the field's size, counted in UTF-16 code units as the
    /// platform's Java `String.length()` counts.
    TooLong {
        /// The field's size.
        max: usize,
        /// The value's length in UTF-16 code units.
        length: usize,
    },
    /// The date or date-time is not written in the field's format.
    DateFormat {
        /// The expected pattern, such as `yyyy-MM-dd HH:mm`.
        expected: &'static str,
    },
    /// The amount has more than 12 integer digits or more than 2 decimals.
    MoneyFormat,
    /// The code is not in its dictionary.
    UnknownCode {
        /// Key of the dictionary, such as `plate-type`.
        table: &'static str,
    },
    /// The value is not one of the field's allowed values.
    NotAllowed {
        /// Key of the value set, such as `yes-no`.
        table: &'static str,
    },
    /// The total differs from the exact sum of its parts (`payAmout` against the
    /// `payUnitAcount` of every payment).
    SumMismatch {
        /// The total as given.
        total: Decimal,
        /// The exact sum of the parts.
        sum: Decimal,
    },
    /// A certificate number is given without its type, or a type without a number.
    CertificateIncomplete,
    /// A cancelled task (`taskType` 100) has no cancel reason.
    CancelReasonMissing,
    /// The detailed address starts with its own province, city or district, which the
    /// platform wants only in the separate fields.
    AddressRepeatsRegion {
        /// The repeated part, such as `广东省`.
        part: String,
    },
    /// The value is not a decimal number (a coordinate).
    NotANumber,
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Required => f.write_str("required; give a value"),
            Self::TooLong { max, length } => {
                write!(
                    f,
                    "too long: {length} UTF-16 code units, at most {max} allowed"
                )
            }
            Self::DateFormat { expected } => write!(f, "invalid format; write it as {expected}"),
            Self::MoneyFormat => {
                f.write_str("invalid amount; use at most 12 integer digits and 2 decimals")
            }
            Self::UnknownCode { table } => write!(
                f,
                "code not in table `{table}`; use a listed code, or accept unknown codes explicitly"
            ),
            Self::NotAllowed { table } => {
                let allowed: Vec<&str> = dict::table(table)
                    .map(|table| {
                        table
                            .rows
                            .iter()
                            .filter_map(|row| row.first().copied())
                            .collect()
                    })
                    .unwrap_or_default();
                write!(f, "invalid value; use one of {}", allowed.join(", "))
            }
            Self::SumMismatch { total, sum } => write!(
                f,
                "total {total} differs from the sum of the payments {sum}; make them equal"
            ),
            Self::CertificateIncomplete => {
                f.write_str("certificateType and certificateNo go together; give both or neither")
            }
            Self::CancelReasonMissing => {
                f.write_str("required when taskType is 100 (cancelled); give the reason")
            }
            Self::AddressRepeatsRegion { part } => write!(
                f,
                "starts with `{part}`, which belongs in its own field; remove it from the address"
            ),
            Self::NotANumber => {
                f.write_str("not a decimal number; write degrees such as 114.062016")
            }
        }
    }
}

/// A record that broke at least one rule, with every violation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("record breaks {} rule(s): {}", violations.len(), summary(violations))]
#[non_exhaustive]
pub struct InvalidRecord {
    /// Every violation, in field order.
    pub violations: Vec<Violation>,
}

fn summary(violations: &[Violation]) -> String {
    let lines: Vec<String> = violations.iter().map(ToString::to_string).collect();
    lines.join("; ")
}

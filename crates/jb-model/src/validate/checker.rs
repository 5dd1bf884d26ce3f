//! The field-by-field checks that every record's `validate_with` is built from.

use crate::date::{Precision, WireDate, WireDateTime};
use crate::dict::{Code, TableKind};
use crate::mask;
use crate::money::Money;

use super::{Rule, ValidationOptions, Violation};

/// Maximum length, in characters, of an offending free-text value shown in a violation.
const MAX_SHOWN_CHARS: usize = 40;

/// Kind of personal data in a field, which decides how its value is masked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Personal {
    /// Not personal: shown as it is.
    None,
    Name,
    Phone,
    IdNumber,
    BankAccount,
    Plate,
    /// Free text that may contain numbers of any kind: long digit runs are masked and the
    /// value is shortened.
    Text,
}

/// A field's wire name, Chinese name, size and kind of data.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Field {
    pub(crate) name: &'static str,
    pub(crate) zh: &'static str,
    /// Size in UTF-16 code units; `None` when the platform gives none.
    pub(crate) max: Option<usize>,
    pub(crate) personal: Personal,
}

impl Field {
    pub(crate) const fn new(name: &'static str, zh: &'static str, max: usize) -> Self {
        Self {
            name,
            zh,
            max: Some(max),
            personal: Personal::None,
        }
    }

    /// Creates a field the platform gives no size for.
    pub(crate) const fn without_size(name: &'static str, zh: &'static str) -> Self {
        Self {
            name,
            zh,
            max: None,
            personal: Personal::None,
        }
    }

    pub(crate) const fn personal(mut self, personal: Personal) -> Self {
        self.personal = personal;
        self
    }

    fn mask(&self, value: &str) -> String {
        match self.personal {
            Personal::None => value.to_owned(),
            Personal::Name => mask::name(value),
            Personal::Phone => mask::phone(value),
            Personal::IdNumber => mask::id_number(value),
            Personal::BankAccount => mask::bank_account(value),
            Personal::Plate => mask::plate(value),
            Personal::Text => shorten(&mask::free_text(value)),
        }
    }
}

fn shorten(value: &str) -> String {
    let count = value.chars().count();
    if count <= MAX_SHOWN_CHARS {
        return value.to_owned();
    }
    let head: String = value.chars().take(MAX_SHOWN_CHARS).collect();
    format!("{head}… ({count} characters)")
}

/// Length as the platform's Java `String.length()` counts it: UTF-16 code units.
pub(crate) fn utf16_len(value: &str) -> usize {
    value.encode_utf16().count()
}

/// Collects violations while walking a record; nested lists extend the path prefix.
#[derive(Debug)]
pub(crate) struct Checker<'a> {
    options: &'a ValidationOptions,
    prefix: String,
    violations: Vec<Violation>,
}

impl<'a> Checker<'a> {
    pub(crate) fn new(options: &'a ValidationOptions) -> Self {
        Self {
            options,
            prefix: String::new(),
            violations: Vec::new(),
        }
    }

    pub(crate) fn finish(self) -> Vec<Violation> {
        self.violations
    }

    /// Records a violation of `field`, masking `value`.
    pub(crate) fn report(&mut self, field: &Field, rule: Rule, value: Option<&str>) {
        self.violations.push(Violation {
            path: format!("{}{}", self.prefix, field.name),
            field_zh: field.zh,
            rule,
            value: value
                .filter(|value| !value.is_empty())
                .map(|value| field.mask(value)),
        });
    }

    /// Checks a required text field: present, not blank, within its size.
    pub(crate) fn text(&mut self, field: &Field, value: &str) {
        if value.trim().is_empty() {
            self.report(field, Rule::Required, None);
            return;
        }
        self.length(field, value);
    }

    /// Checks an optional text field: within its size when given.
    pub(crate) fn opt_text(&mut self, field: &Field, value: Option<&str>) {
        if let Some(value) = value {
            self.length(field, value);
        }
    }

    fn length(&mut self, field: &Field, value: &str) {
        let Some(max) = field.max else { return };
        let length = utf16_len(value);
        if length > max {
            self.report(field, Rule::TooLong { max, length }, Some(value));
        }
    }

    /// Checks a required coded field: given, in its table (or accepted as unknown), within its
    /// size.
    pub(crate) fn code<C: Code>(&mut self, field: &Field, value: &C) {
        if value.code().trim().is_empty() {
            self.report(field, Rule::Required, None);
            return;
        }
        self.known(field, value);
    }

    /// Checks an optional coded field, where an empty code counts as absent.
    pub(crate) fn opt_code<C: Code>(&mut self, field: &Field, value: Option<&C>) {
        if let Some(value) = value.filter(|value| !value.code().trim().is_empty()) {
            self.known(field, value);
        }
    }

    fn known<C: Code>(&mut self, field: &Field, value: &C) {
        self.length(field, value.code());
        if value.is_known() {
            return;
        }
        let table = C::TABLE;
        match table.kind {
            TableKind::Dictionary if self.options.accept_unknown_codes => {}
            TableKind::Dictionary => {
                self.report(
                    field,
                    Rule::UnknownCode { table: table.key },
                    Some(value.code()),
                );
            }
            _ => self.report(
                field,
                Rule::NotAllowed { table: table.key },
                Some(value.code()),
            ),
        }
    }

    /// Checks that a date-time is written in the field's own precision (either one for downloads).
    pub(crate) fn date_time(&mut self, field: &Field, value: &WireDateTime, precision: Precision) {
        let accepted = value.is_written_as(precision)
            || (self.options.accept_either_time_precision
                && (value.is_written_as(Precision::Minutes)
                    || value.is_written_as(Precision::Seconds)));
        if !accepted {
            self.report(
                field,
                Rule::DateFormat {
                    expected: precision.pattern(),
                },
                Some(value.as_str()),
            );
        }
    }

    /// Checks that a date is written as `yyyy-MM-dd`.
    pub(crate) fn date(&mut self, field: &Field, value: &WireDate) {
        if !value.is_well_formed() {
            self.report(
                field,
                Rule::DateFormat {
                    expected: "yyyy-MM-dd",
                },
                Some(value.as_str()),
            );
        }
    }

    /// Checks that an amount fits decimal(14,2) and, once written, its field size.
    pub(crate) fn money(&mut self, field: &Field, value: &Money) {
        if !value.fits_wire_format() {
            self.report(field, Rule::MoneyFormat, Some(&value.to_wire()));
            return;
        }
        self.length(field, &value.to_wire());
    }

    /// Checks a required coordinate: a decimal number of degrees within its size.
    pub(crate) fn coordinate(&mut self, field: &Field, value: &str) {
        if value.trim().is_empty() {
            self.report(field, Rule::Required, None);
            return;
        }
        self.length(field, value);
        let plain = value
            .trim()
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-');
        if !plain || value.trim().parse::<f64>().is_err() {
            self.report(field, Rule::NotANumber, Some(value));
        }
    }

    /// Checks a required nested list: non-empty, with each item checked under `field[index].`.
    pub(crate) fn list<T>(
        &mut self,
        field: &Field,
        items: &[T],
        mut check: impl FnMut(&mut Self, &T),
    ) {
        if items.is_empty() {
            self.report(field, Rule::Required, None);
            return;
        }
        let saved = self.prefix.len();
        for (index, item) in items.iter().enumerate() {
            self.prefix.push_str(&format!("{}[{index}].", field.name));
            check(self, item);
            self.prefix.truncate(saved);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_len_counts_code_units() {
        assert_eq!(utf16_len("粤B12345"), 7);
        assert_eq!(utf16_len("𠀀"), 2);
    }

    #[test]
    fn shorten_limits_long_text() {
        let long = "字".repeat(100);
        let shown = shorten(&long);
        assert!(shown.ends_with("(100 characters)"), "{shown}");
        assert_eq!(
            shown.chars().filter(|c| *c == '字').count(),
            MAX_SHOWN_CHARS
        );
    }

    #[test]
    fn list_paths_name_index() {
        let options = ValidationOptions::upload();
        let mut checker = Checker::new(&options);
        let field = Field::new("payData", "赔款信息", 0);
        let inner = Field::new("payDesc", "款项支付说明", 1);
        checker.list(&field, &["", "ab"], |checker, item| {
            checker.text(&inner, item)
        });
        let paths: Vec<String> = checker.finish().into_iter().map(|v| v.path).collect();
        assert_eq!(paths, ["payData[0].payDesc", "payData[1].payDesc"]);
    }
}

//! Money: yuan as an exact decimal, sent as a string with two decimals (`2000.00`).

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Most integer digits the platform accepts in an amount: decimal(14,2) leaves 12.
pub const MAX_INTEGER_DIGITS: u32 = 12;
/// Most decimal places the platform accepts in an amount.
pub const MAX_DECIMAL_PLACES: u32 = 2;

/// An amount in yuan (元), exact; never a floating-point number.
///
/// Serialized as a string with at least two decimals (`2000.00`). An amount with more decimals
/// is serialized as it is, not rounded, so validation can reject it instead of a silent change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Money(Decimal);

/// An amount that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MoneyError {
    /// The text is not a plain decimal number.
    #[error("invalid amount `{text}`: write yuan as a decimal number such as 2000.00")]
    Invalid {
        /// The text as received.
        text: String,
    },
}

impl Money {
    /// Wraps an exact decimal amount.
    pub const fn new(amount: Decimal) -> Self {
        Self(amount)
    }

    /// Builds an amount from a whole number of fen (分, 0.01 yuan).
    pub fn from_fen(fen: i64) -> Self {
        Self(Decimal::new(fen, 2))
    }

    /// The amount as an exact decimal.
    pub const fn amount(&self) -> Decimal {
        self.0
    }

    /// Parses a decimal number after trimming surrounding spaces. Exponents, thousands
    /// separators and more precision than a decimal can store (28 digits) are rejected.
    pub fn parse(text: &str) -> Result<Self, MoneyError> {
        let trimmed = text.trim();
        let plain = !trimmed.is_empty()
            && trimmed.chars().enumerate().all(|(index, c)| {
                c.is_ascii_digit() || c == '.' || (index == 0 && (c == '-' || c == '+'))
            });
        if !plain {
            return Err(MoneyError::Invalid {
                text: text.to_owned(),
            });
        }
        Decimal::from_str_exact(trimmed)
            .map(Self)
            .map_err(|_| MoneyError::Invalid {
                text: text.to_owned(),
            })
    }

    /// Checks that the amount fits decimal(14,2): at most 12 integer digits and 2 decimals.
    pub fn fits_wire_format(&self) -> bool {
        let normalized = self.0.normalize();
        let integer_digits = normalized
            .trunc()
            .abs()
            .to_string()
            .trim_start_matches('0')
            .len();
        normalized.scale() <= MAX_DECIMAL_PLACES && integer_digits <= MAX_INTEGER_DIGITS as usize
    }

    /// Adds two amounts, `None` on overflow of the decimal type.
    pub fn checked_add(self, other: Self) -> Option<Self> {
        self.0.checked_add(other.0).map(Self)
    }

    /// Formats the amount for the wire, with at least two decimals.
    pub fn to_wire(&self) -> String {
        let mut amount = self.0;
        if amount.scale() < MAX_DECIMAL_PLACES {
            amount.rescale(MAX_DECIMAL_PLACES);
        }
        amount.to_string()
    }
}

impl From<Decimal> for Money {
    fn from(amount: Decimal) -> Self {
        Self(amount)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_wire())
    }
}

impl FromStr for Money {
    type Err = MoneyError;

    fn from_str(text: &str) -> Result<Self, MoneyError> {
        Self::parse(text)
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_wire())
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(MoneyVisitor)
    }
}

struct MoneyVisitor;

impl Visitor<'_> for MoneyVisitor {
    type Value = Money;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("an amount in yuan such as \"2000.00\"")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Money, E> {
        Money::parse(value).map_err(E::custom)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Money, E> {
        Ok(Money(Decimal::from(value)))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Money, E> {
        Ok(Money(Decimal::from(value)))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Money, E> {
        // An unquoted amount has already been read as binary floating point. Its shortest
        // decimal text is what the sender wrote, for any amount with up to 15 digits.
        Money::parse(&value.to_string()).map_err(E::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn money(text: &str) -> Money {
        Money::parse(text).unwrap()
    }

    #[test]
    fn money_serializes_two_decimals() {
        assert_eq!(money("2000").to_wire(), "2000.00");
        assert_eq!(money("0.1").to_wire(), "0.10");
        assert_eq!(
            serde_json::to_string(&money("500.00")).unwrap(),
            "\"500.00\""
        );
    }

    #[test]
    fn money_keeps_extra_decimals() {
        assert_eq!(money("1.005").to_wire(), "1.005");
    }

    #[test]
    fn money_sums_exactly() {
        let sum = money("0.10").checked_add(money("0.20")).unwrap();
        assert_eq!(sum, money("0.30"));
    }

    #[test]
    fn money_parse_trims_and_rejects_garbage() {
        assert_eq!(money(" 12.50 "), Money::from_fen(1250));
        for bad in ["", "abc", "1e3", "1,000.00", "12.5.0", "--1", "1-"] {
            assert!(Money::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn money_fits_wire_format_limits() {
        assert!(money("999999999999.99").fits_wire_format());
        assert!(money("-999999999999.99").fits_wire_format());
        assert!(money("0.00").fits_wire_format());
        assert!(money("1.500").fits_wire_format());
        assert!(!money("1000000000000.00").fits_wire_format());
        assert!(!money("1.001").fits_wire_format());
    }

    #[test]
    fn money_decodes_numbers() {
        assert_eq!(
            serde_json::from_str::<Money>("2000").unwrap(),
            money("2000")
        );
        assert_eq!(serde_json::from_str::<Money>("0.3").unwrap(), money("0.3"));
        assert!(serde_json::from_str::<Money>("\"x\"").is_err());
    }
}

//! Building field values from fuzzer input: codes, dates, amounts and coordinates.

use arbitrary::Arbitrary;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use jb_model::{Code, Money, Precision, WireDate, WireDateTime};
use rust_decimal::Decimal;

/// A coded field: a code of the table, picked by position, or any text.
#[derive(Debug, Arbitrary)]
pub(crate) enum CodeInput {
    Known(u8),
    Text(String),
}

impl CodeInput {
    pub(crate) fn build<C: Code>(&self) -> C {
        match self {
            Self::Known(position) => {
                let known = C::all();
                match known.len() {
                    0 => C::from_code(""),
                    len => known[usize::from(*position) % len].clone(),
                }
            }
            Self::Text(text) => C::from_code(text),
        }
    }
}

/// A date-time: days since the common era and seconds of the day at either precision, or any
/// text that parses as one (a fixed time otherwise).
#[derive(Debug, Arbitrary)]
pub(crate) enum DateTimeInput {
    Value {
        days: i32,
        seconds: u32,
        with_seconds: bool,
    },
    Text(String),
}

impl DateTimeInput {
    pub(crate) fn build(&self) -> WireDateTime {
        match self {
            Self::Value {
                days,
                seconds,
                with_seconds,
            } => {
                let precision = if *with_seconds {
                    Precision::Seconds
                } else {
                    Precision::Minutes
                };
                WireDateTime::new(date_time(*days, *seconds), precision)
            }
            Self::Text(text) => WireDateTime::parse(text)
                .unwrap_or_else(|_| WireDateTime::new(date_time(0, 0), Precision::Minutes)),
        }
    }
}

/// A date, as days since the common era.
#[derive(Debug, Arbitrary)]
pub(crate) struct DateInput(i32);

impl DateInput {
    pub(crate) fn build(&self) -> WireDate {
        WireDate::new(date(self.0))
    }
}

/// An amount: an integer mantissa and a decimal scale, both unrestricted.
#[derive(Debug, Arbitrary)]
pub(crate) struct MoneyInput {
    mantissa: i64,
    scale: u8,
}

impl MoneyInput {
    pub(crate) fn build(&self) -> Money {
        let scale = u32::from(self.scale % 29);
        Money::new(
            Decimal::try_from_i128_with_scale(i128::from(self.mantissa), scale).unwrap_or_default(),
        )
    }
}

/// A coordinate: degrees written by Rust, or any text.
#[derive(Debug, Arbitrary)]
pub(crate) enum CoordinateInput {
    Degrees(f64),
    Text(String),
}

impl CoordinateInput {
    pub(crate) fn build(&self) -> String {
        match self {
            Self::Degrees(degrees) => degrees.to_string(),
            Self::Text(text) => text.clone(),
        }
    }
}

fn date(days: i32) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt(days).unwrap_or_default()
}

fn date_time(days: i32, seconds: u32) -> NaiveDateTime {
    let time =
        NaiveTime::from_num_seconds_from_midnight_opt(seconds % 86_400, 0).unwrap_or_default();
    date(days).and_time(time)
}

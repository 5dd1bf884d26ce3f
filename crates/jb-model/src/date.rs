//! Dates and date-times as the platform writes them, keeping the received text.

use std::fmt;

use chrono::{NaiveDate, NaiveDateTime};
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Wire format of a date-time to the minute.
pub(crate) const MINUTES_FORMAT: &str = "%Y-%m-%d %H:%M";
/// Wire format of a date-time to the second.
pub(crate) const SECONDS_FORMAT: &str = "%Y-%m-%d %H:%M:%S";
/// Wire format of a date.
pub(crate) const DATE_FORMAT: &str = "%Y-%m-%d";

/// Precision of a date-time field on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Precision {
    /// `yyyy-MM-dd HH:mm`
    Minutes,
    /// `yyyy-MM-dd HH:mm:ss`
    Seconds,
}

impl Precision {
    /// Returns the pattern as the platform documents it, such as `yyyy-MM-dd HH:mm`.
    pub const fn pattern(self) -> &'static str {
        match self {
            Self::Minutes => "yyyy-MM-dd HH:mm",
            Self::Seconds => "yyyy-MM-dd HH:mm:ss",
        }
    }

    const fn chrono_format(self) -> &'static str {
        match self {
            Self::Minutes => MINUTES_FORMAT,
            Self::Seconds => SECONDS_FORMAT,
        }
    }
}

/// A date or date-time that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DateError {
    /// The text matches none of the accepted formats.
    #[error("invalid date-time `{text}`: write it as yyyy-MM-dd HH:mm or yyyy-MM-dd HH:mm:ss")]
    InvalidDateTime {
        /// The text as received.
        text: String,
    },
    /// The text is not a `yyyy-MM-dd` date.
    #[error("invalid date `{text}`: write it as yyyy-MM-dd")]
    InvalidDate {
        /// The text as received.
        text: String,
    },
}

/// A local (Beijing) date-time with the text it was received as.
///
/// Downloads send a date-time with or without seconds whatever the field's documented format,
/// so both are accepted and the text is kept: serializing writes it back unchanged. Validation
/// checks the text against the field's own format.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct WireDateTime {
    value: NaiveDateTime,
    text: String,
}

impl WireDateTime {
    /// Parses `yyyy-MM-dd HH:mm` or `yyyy-MM-dd HH:mm:ss` after trimming surrounding spaces.
    pub fn parse(text: &str) -> Result<Self, DateError> {
        let trimmed = text.trim();
        [Precision::Seconds, Precision::Minutes]
            .into_iter()
            .find_map(|precision| {
                NaiveDateTime::parse_from_str(trimmed, precision.chrono_format()).ok()
            })
            .map(|value| Self {
                value,
                text: trimmed.to_owned(),
            })
            .ok_or_else(|| DateError::InvalidDateTime {
                text: text.to_owned(),
            })
    }

    /// Formats `value` at `precision`; seconds are dropped at minute precision.
    pub fn new(value: NaiveDateTime, precision: Precision) -> Self {
        let text = value.format(precision.chrono_format()).to_string();
        // Re-read the text so that `value` is exactly what is sent.
        let value =
            NaiveDateTime::parse_from_str(&text, precision.chrono_format()).unwrap_or(value);
        Self { value, text }
    }

    /// The date-time.
    pub const fn value(&self) -> NaiveDateTime {
        self.value
    }

    /// Returns the text as received or formatted.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Checks that the text is exactly in the format of `precision` (zero-padded, no extra parts).
    pub fn is_written_as(&self, precision: Precision) -> bool {
        self.value.format(precision.chrono_format()).to_string() == self.text
    }
}

impl fmt::Display for WireDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Serialize for WireDateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for WireDateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(DateTimeVisitor)
    }
}

struct DateTimeVisitor;

impl Visitor<'_> for DateTimeVisitor {
    type Value = WireDateTime;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a date-time string such as \"2018-08-10 01:30\"")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<WireDateTime, E> {
        WireDateTime::parse(value).map_err(E::custom)
    }
}

/// A date (`yyyy-MM-dd`) with the text it was received as.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct WireDate {
    value: NaiveDate,
    text: String,
}

impl WireDate {
    /// Parses `yyyy-MM-dd` after trimming surrounding spaces.
    pub fn parse(text: &str) -> Result<Self, DateError> {
        let trimmed = text.trim();
        NaiveDate::parse_from_str(trimmed, DATE_FORMAT)
            .map(|value| Self {
                value,
                text: trimmed.to_owned(),
            })
            .map_err(|_| DateError::InvalidDate {
                text: text.to_owned(),
            })
    }

    /// Formats `value` as `yyyy-MM-dd`.
    pub fn new(value: NaiveDate) -> Self {
        Self {
            value,
            text: value.format(DATE_FORMAT).to_string(),
        }
    }

    /// The date.
    pub const fn value(&self) -> NaiveDate {
        self.value
    }

    /// Returns the text as received or formatted.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Checks that the text is exactly `yyyy-MM-dd`, zero-padded.
    pub fn is_well_formed(&self) -> bool {
        self.value.format(DATE_FORMAT).to_string() == self.text
    }
}

impl fmt::Display for WireDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Serialize for WireDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for WireDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(DateVisitor)
    }
}

struct DateVisitor;

impl Visitor<'_> for DateVisitor {
    type Value = WireDate;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a date string such as \"2018-08-23\"")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<WireDate, E> {
        WireDate::parse(value).map_err(E::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_time_accepts_both_precisions() {
        let minutes = WireDateTime::parse("2018-08-10 01:30").unwrap();
        let seconds = WireDateTime::parse(" 2018-08-10 01:30:00 ").unwrap();
        assert_eq!(minutes.value(), seconds.value());
        assert_eq!(seconds.as_str(), "2018-08-10 01:30:00");
        assert!(minutes.is_written_as(Precision::Minutes));
        assert!(!minutes.is_written_as(Precision::Seconds));
        assert!(seconds.is_written_as(Precision::Seconds));
    }

    #[test]
    fn date_time_round_trips_text() {
        for text in ["\"2018-08-10 01:30\"", "\"2018-07-02 11:22:49\""] {
            let parsed: WireDateTime = serde_json::from_str(text).unwrap();
            assert_eq!(serde_json::to_string(&parsed).unwrap(), text);
        }
    }

    #[test]
    fn date_time_rejects_other_formats() {
        for bad in [
            "2018/08/10 01:30",
            "2018-08-10",
            "2018-13-10 01:30",
            "",
            "x",
        ] {
            assert!(WireDateTime::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn date_time_new_drops_seconds_at_minutes() {
        let value = NaiveDateTime::parse_from_str("2019-03-07 12:01:59", SECONDS_FORMAT).unwrap();
        let minutes = WireDateTime::new(value, Precision::Minutes);
        assert_eq!(minutes.as_str(), "2019-03-07 12:01");
        assert_eq!(
            minutes.value().format(SECONDS_FORMAT).to_string(),
            "2019-03-07 12:01:00"
        );
    }

    #[test]
    fn date_unpadded_is_not_well_formed() {
        assert!(WireDate::parse("2018-08-23").unwrap().is_well_formed());
        assert!(!WireDate::parse("2018-8-3").unwrap().is_well_formed());
        let loose = WireDateTime::parse("2018-8-3 1:02").unwrap();
        assert!(!loose.is_written_as(Precision::Minutes));
        assert!(WireDate::parse("2018-08-23 10:00").is_err());
    }
}

//! timeStamp (时间戳): `yyyyMMddHHmmss` in Beijing time.

use std::fmt;
use std::str::FromStr;

use chrono::{
    DateTime, Datelike as _, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Timelike as _, Utc,
};

use crate::error::truncate_for_message;

/// Offset of Beijing time from UTC. China has used UTC+8 all year, without daylight saving
/// time, since 1992 (IANA tz database, zone Asia/Shanghai).
const BEIJING_OFFSET_HOURS: i64 = 8;

/// Length of a timeStamp: `yyyyMMddHHmmss`.
const TIME_STAMP_LEN: usize = 14;

/// A real time written as `yyyyMMddHHmmss` in Beijing time (UTC+8).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TimeStamp {
    text: String,
    beijing_time: NaiveDateTime,
}

impl TimeStamp {
    /// Returns the current time, in Beijing time whatever the host's time zone.
    ///
    /// A clock set past the year 9999, which the format cannot write, gives
    /// `99991231235959`.
    pub fn now() -> Self {
        Self::from_utc(Utc::now()).unwrap_or_else(|_| Self::from_beijing_time(NaiveDateTime::MAX))
    }

    /// Converts a UTC instant to Beijing time.
    ///
    /// # Errors
    ///
    /// [`TimeStampError::OutOfRange`] when the Beijing year is not between 0 and 9999.
    pub fn from_utc(instant: DateTime<Utc>) -> Result<Self, TimeStampError> {
        let beijing_time = instant
            .naive_utc()
            .checked_add_signed(TimeDelta::hours(BEIJING_OFFSET_HOURS))
            .filter(|time| (0..=9999).contains(&time.year()))
            .ok_or(TimeStampError::OutOfRange)?;

        Ok(Self::from_beijing_time(beijing_time))
    }

    /// Parses a timeStamp and checks that it names a real time: `20190230120000` (30 February)
    /// and `20190101240000` (hour 24) are rejected, and so is a leap second `...60`.
    ///
    /// # Errors
    ///
    /// [`TimeStampError::InvalidFormat`] when `text` is not 14 ASCII digits,
    /// [`TimeStampError::NotARealTime`] when the digits name no time.
    pub fn parse(text: &str) -> Result<Self, TimeStampError> {
        let bytes = text.as_bytes();
        if bytes.len() != TIME_STAMP_LEN || !bytes.iter().all(u8::is_ascii_digit) {
            return Err(TimeStampError::InvalidFormat {
                value: truncate_for_message(text),
            });
        }

        let number = |start: usize, end: usize| {
            bytes[start..end]
                .iter()
                .fold(0_u32, |total, digit| total * 10 + u32::from(digit - b'0'))
        };
        let year = i32::try_from(number(0, 4)).unwrap_or(i32::MAX);
        let date = NaiveDate::from_ymd_opt(year, number(4, 6), number(6, 8));
        let time = NaiveTime::from_hms_opt(number(8, 10), number(10, 12), number(12, 14));

        match (date, time) {
            (Some(date), Some(time)) => Ok(Self {
                text: text.to_owned(),
                beijing_time: date.and_time(time),
            }),
            _ => Err(TimeStampError::NotARealTime {
                value: text.to_owned(),
            }),
        }
    }

    /// Returns the text, `yyyyMMddHHmmss`.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Returns the time as Beijing wall-clock time.
    pub fn beijing_time(&self) -> NaiveDateTime {
        self.beijing_time
    }

    /// Returns the instant in UTC.
    pub fn to_utc(&self) -> DateTime<Utc> {
        // Years 0 to 9999 are far inside chrono's range, so subtracting 8 hours cannot fail.
        let utc = self
            .beijing_time
            .checked_sub_signed(TimeDelta::hours(BEIJING_OFFSET_HOURS))
            .unwrap_or(self.beijing_time);
        utc.and_utc()
    }

    fn from_beijing_time(beijing_time: NaiveDateTime) -> Self {
        // The text has whole seconds, so the time drops its fraction too: a timeStamp made from
        // an instant must equal the same timeStamp parsed back from its text.
        let whole_seconds = beijing_time.with_nanosecond(0).unwrap_or(beijing_time);
        let beijing_time = whole_seconds.min(last_writable_time());
        Self {
            text: beijing_time.format("%Y%m%d%H%M%S").to_string(),
            beijing_time,
        }
    }
}

/// Returns 9999-12-31 23:59:59, the last time `yyyyMMddHHmmss` can write.
fn last_writable_time() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(9999, 12, 31)
        .and_then(|date| date.and_hms_opt(23, 59, 59))
        .unwrap_or(NaiveDateTime::MAX)
}

impl fmt::Display for TimeStamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl AsRef<str> for TimeStamp {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

impl FromStr for TimeStamp {
    type Err = TimeStampError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

/// A timeStamp that is not a real `yyyyMMddHHmmss` time.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TimeStampError {
    /// The text is not 14 ASCII digits.
    #[error("timeStamp {value:?} is not 14 digits yyyyMMddHHmmss; send Beijing time in that form")]
    InvalidFormat {
        /// Rejected value, shortened if long.
        value: String,
    },

    /// The digits name no calendar time, such as month 13 or 30 February.
    #[error(
        "timeStamp {value:?} is not a real date and time; check month, day, hour, minute and second"
    )]
    NotARealTime {
        /// Rejected value.
        value: String,
    },

    /// The Beijing year of an instant is outside 0 to 9999, which four digits cannot write.
    #[error("time is outside the years 0 to 9999 that a timeStamp can write; check the clock")]
    OutOfRange,
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone as _, Utc};

    use super::{TimeStamp, TimeStampError};

    #[test]
    fn from_utc_adds_eight_hours() {
        let instant = Utc.with_ymd_and_hms(2016, 12, 1, 6, 10, 0).single();
        let stamp = TimeStamp::from_utc(instant.expect("valid instant")).expect("in range");

        assert_eq!(stamp.as_str(), "20161201141000");
    }

    #[test]
    fn from_utc_crosses_midnight_and_year() {
        let instant = Utc.with_ymd_and_hms(2023, 12, 31, 16, 0, 0).single();
        let stamp = TimeStamp::from_utc(instant.expect("valid instant")).expect("in range");

        assert_eq!(stamp.as_str(), "20240101000000");
    }

    #[test]
    fn from_utc_rejects_year_10000() {
        let instant = Utc.with_ymd_and_hms(9999, 12, 31, 16, 0, 0).single();

        assert_eq!(
            TimeStamp::from_utc(instant.expect("valid instant")),
            Err(TimeStampError::OutOfRange)
        );
    }

    #[test]
    fn to_utc_inverts_from_utc() {
        let stamp = TimeStamp::parse("20240101000000").expect("valid");

        assert_eq!(stamp.to_utc().to_rfc3339(), "2023-12-31T16:00:00+00:00");
    }

    #[test]
    fn parse_accepts_real_times() {
        for text in [
            "20161201141000",
            "20240229235959",
            "00000101000000",
            "99991231235959",
        ] {
            let stamp = TimeStamp::parse(text).expect(text);

            assert_eq!(stamp.as_str(), text);
        }
    }

    #[test]
    fn parse_rejects_bad_format() {
        let cases = [
            "",
            "2016120114100",
            "201612011410000",
            "2016-12-01 14:10",
            "2016120114100a",
            "２０１６１２０１１４１０",
            " 20161201141000",
        ];

        for text in cases {
            let error = TimeStamp::parse(text).expect_err(text);

            assert!(
                matches!(error, TimeStampError::InvalidFormat { .. }),
                "{text:?}: {error}"
            );
        }
    }

    #[test]
    fn parse_rejects_impossible_times() {
        let cases = [
            "20161301141000",
            "20160001141000",
            "20160100141000",
            "20190229120000",
            "20160431120000",
            "20161201241000",
            "20161201146000",
            "20161201141060",
        ];

        for text in cases {
            let error = TimeStamp::parse(text).expect_err(text);

            assert!(
                matches!(error, TimeStampError::NotARealTime { .. }),
                "{text:?}: {error}"
            );
        }
    }
}

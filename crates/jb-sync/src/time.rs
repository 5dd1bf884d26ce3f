//! Timestamps as the store writes them: UTC text whose text order is time order.

use chrono::{DateTime, SecondsFormat, Utc};

/// Formats a time as `2024-05-01T08:00:00.000Z`, the only form the store writes.
pub(crate) fn format_time(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// The current time in the store's form.
pub(crate) fn now_text() -> String {
    format_time(Utc::now())
}

/// Parses a time the store wrote; `None` when the text is not RFC 3339.
pub(crate) fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|time| time.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn format_time_fixed_width_utc() {
        let time = Utc.with_ymd_and_hms(2024, 5, 1, 8, 0, 0).single();
        assert_eq!(
            time.map(format_time).as_deref(),
            Some("2024-05-01T08:00:00.000Z")
        );
    }

    #[test]
    fn format_time_text_order_is_time_order() {
        let earlier = Utc.with_ymd_and_hms(2024, 5, 1, 9, 59, 59).single();
        let later = Utc.with_ymd_and_hms(2024, 5, 1, 10, 0, 0).single();
        assert!(earlier.map(format_time) < later.map(format_time));
    }

    #[test]
    fn parse_time_round_trips() {
        let text = "2024-05-01T08:00:00.123Z";
        assert_eq!(parse_time(text).map(format_time).as_deref(), Some(text));
        assert_eq!(parse_time("yesterday"), None);
    }
}

//! Timestamps as the store writes them: UTC text whose text order is time order; and the
//! same instants in Beijing time, as people read them.

use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};

/// Offset of Beijing time from UTC, in seconds. China keeps UTC+8 all year, with no daylight
/// saving time.
const BEIJING_OFFSET_SECONDS: i32 = 8 * 3600;

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

/// Renders a time the store wrote (UTC, RFC 3339, such as `2026-12-04T20:52:04.120Z`) in
/// Beijing time, the time of the platform and of its serialNos, whatever the host's time
/// zone: `2026-12-05 04:52:04 +08:00`, to the second.
///
/// `None` when `stored` is not an RFC 3339 time.
///
/// ```
/// assert_eq!(
///     jb_sync::beijing_time("2026-12-04T20:52:04.120Z").as_deref(),
///     Some("2026-12-05 04:52:04 +08:00")
/// );
/// assert_eq!(jb_sync::beijing_time("-"), None);
/// ```
pub fn beijing_time(stored: &str) -> Option<String> {
    let offset = FixedOffset::east_opt(BEIJING_OFFSET_SECONDS)?;
    let time = DateTime::parse_from_rfc3339(stored.trim()).ok()?;
    Some(
        time.with_timezone(&offset)
            .format("%Y-%m-%d %H:%M:%S %:z")
            .to_string(),
    )
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
    fn beijing_time_crosses_midnight_and_drops_fraction() {
        assert_eq!(
            beijing_time("2026-12-04T20:52:04.999Z").as_deref(),
            Some("2026-12-05 04:52:04 +08:00")
        );
        assert_eq!(
            beijing_time("2024-02-28T16:00:00Z").as_deref(),
            Some("2024-02-29 00:00:00 +08:00")
        );
    }

    #[test]
    fn beijing_time_converts_other_offsets() {
        assert_eq!(
            beijing_time("2024-05-01T10:00:00+02:00").as_deref(),
            Some("2024-05-01 16:00:00 +08:00")
        );
    }

    #[test]
    fn beijing_time_rejects_non_time() {
        for text in ["", "-", "2024-05-01", "yesterday"] {
            assert_eq!(beijing_time(text), None, "{text:?}");
        }
    }

    #[test]
    fn parse_time_round_trips() {
        let text = "2024-05-01T08:00:00.123Z";
        assert_eq!(parse_time(text).map(format_time).as_deref(), Some(text));
        assert_eq!(parse_time("yesterday"), None);
    }
}

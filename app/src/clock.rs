//! Timestamps and dates as the database stores them: ISO 8601 text in UTC.

use time::{format_description::well_known::Rfc3339, Date, OffsetDateTime};

/// Now, as stored: `2026-11-28T08:19:35.123456Z` (fixed width, so text order is time order).
pub fn now() -> String {
    format_timestamp(OffsetDateTime::now_utc())
}

/// A timestamp as stored.
pub fn format_timestamp(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.microsecond()
    )
}

/// Parses a stored timestamp.
pub fn parse_timestamp(s: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(s, &Rfc3339).ok()
}

/// Parses a `YYYY-MM-DD` date, as sent by `<input type="date">`.
pub fn parse_date(s: &str) -> Option<Date> {
    Date::parse(
        s.trim(),
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()
}

/// Today in UTC as `YYYY-MM-DD`.
pub fn today() -> String {
    let d = OffsetDateTime::now_utc().date();
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// A stored timestamp for people: `2026-11-28 08:19 UTC`.
pub fn display(ts: &str) -> String {
    match parse_timestamp(ts) {
        Some(t) => format!(
            "{:04}-{:02}-{:02} {:02}:{:02} UTC",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute()
        ),
        None => ts.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_timestamps_sort_as_text_in_time_order() {
        let a = format_timestamp(OffsetDateTime::from_unix_timestamp(1_000_000_000).unwrap());
        let b = format_timestamp(OffsetDateTime::from_unix_timestamp(1_000_000_001).unwrap());
        assert!(a < b);
        assert_eq!(a, "2001-09-09T01:46:40.000000Z");
        assert_eq!(
            parse_timestamp(&a).map(|t| t.unix_timestamp()),
            Some(1_000_000_000)
        );
    }

    #[test]
    fn dates_must_be_real_calendar_days() {
        assert!(parse_date("2026-02-28").is_some());
        assert!(parse_date("2026-02-30").is_none());
        assert!(parse_date("28/02/2026").is_none());
    }

    #[test]
    fn display_is_minutes_in_utc() {
        assert_eq!(
            display("2026-11-28T08:19:35.123456Z"),
            "2026-11-28 08:19 UTC"
        );
    }
}

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

/// Parses a date written exactly `YYYY-MM-DD`, as sent by `<input type="date">` (no sign, no
/// wider year: `time` alone would take `+2099-12-31`).
pub fn parse_date(s: &str) -> Option<Date> {
    if !is_iso_date(s.trim()) {
        return None;
    }
    Date::parse(
        s.trim(),
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()
}

/// Is `s` a real calendar date written exactly `YYYY-MM-DD` (four-digit year, no sign, no
/// spaces)? Written out rather than parsed with `time`, because the report form's island
/// checks dates with it and the browser bundle should not carry a date-parsing library.
pub fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let number = |digits: &[u8]| {
        digits.iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let (Some(year), Some(month), Some(day)) =
        (number(&b[0..4]), number(&b[5..7]), number(&b[8..10]))
    else {
        return false;
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    year >= 1 && (1..=days).contains(&day)
}

/// Today in UTC as `YYYY-MM-DD`.
pub fn today() -> String {
    let d = OffsetDateTime::now_utc().date();
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// The latest "as of" date accepted, `YYYY-MM-DD`: tomorrow in UTC, so that someone east of
/// UTC (all of Europe but the UK, Ireland, Portugal and Iceland) can date something today in
/// their own time zone just after midnight.
pub fn latest_as_of() -> String {
    let d = OffsetDateTime::now_utc().date();
    let d = d.next_day().unwrap_or(d);
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
    fn the_latest_as_of_date_is_tomorrow_in_utc() {
        let tomorrow = OffsetDateTime::now_utc().date().next_day().unwrap();
        assert_eq!(parse_date(&latest_as_of()), Some(tomorrow));
        assert!(latest_as_of() > today());
    }

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
    fn iso_dates_are_exactly_four_two_two_digits_of_a_real_day() {
        for ok in [
            "2026-02-28",
            "2024-02-29",
            "2000-02-29",
            "0001-01-01",
            "2026-12-31",
        ] {
            assert!(is_iso_date(ok), "{ok}");
        }
        for bad in [
            "2026-02-29",
            "1900-02-29",
            "2026-02-30",
            "2026-13-01",
            "2026-00-10",
            "2026-01-00",
            "+2099-12-31",
            "+099-12-31",
            "2026-1-05",
            "28/02/2026",
            " 2026-02-28",
            "0000-01-01",
            "20２6-02-28",
            "",
        ] {
            assert!(!is_iso_date(bad), "{bad}");
        }
    }

    #[test]
    fn display_is_minutes_in_utc() {
        assert_eq!(
            display("2026-11-28T08:19:35.123456Z"),
            "2026-11-28 08:19 UTC"
        );
    }
}

//! Calamine's values to the grid's cells, and cells to rows from A1.

use calamine::{Data, DataRef, ExcelDateTime};
use time::{Date, Month, PrimitiveDateTime, Time};

use crate::spreadsheet::grid::Cell;

/// A value of an XLS or ODS range.
pub(super) fn cell_from_data(data: &Data) -> Cell {
    match data {
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::String(s) => Cell::Text(s.clone()),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => excel_date_time(dt),
        Data::DateTimeIso(s) => iso_date_time(s),
        Data::DurationIso(s) => iso_duration(s),
        Data::Error(e) => Cell::Error(e.to_string()),
        Data::Empty => Cell::Empty,
    }
}

/// A value streamed from an XLSX sheet.
pub(super) fn cell_from_ref(data: DataRef<'_>) -> Cell {
    match data {
        DataRef::Int(i) => Cell::Number(i as f64),
        DataRef::Float(f) => Cell::Number(f),
        DataRef::String(s) => Cell::Text(s),
        DataRef::SharedString(s) => Cell::Text(s.to_owned()),
        DataRef::Bool(b) => Cell::Bool(b),
        DataRef::DateTime(dt) => excel_date_time(&dt),
        DataRef::DateTimeIso(s) => iso_date_time(&s),
        DataRef::DurationIso(s) => iso_duration(&s),
        DataRef::Error(e) => Cell::Error(e.to_string()),
        DataRef::Empty => Cell::Empty,
    }
}

/// `HH:MM:SS` for a number of days (hours past 24 for durations).
fn clock(days: f64) -> String {
    let seconds = (days.abs() * 86_400.0).round() as u64;
    let sign = if days < 0.0 && seconds > 0 { "-" } else { "" };
    format!(
        "{sign}{:02}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

/// An Excel serial date (1900 or 1904 system, as the file says): a date, a date and time, or,
/// for a time of day alone (below 1) or a duration, its clock text.
fn excel_date_time(dt: &ExcelDateTime) -> Cell {
    let serial = dt.as_f64();
    if dt.is_duration() || (0.0..1.0).contains(&serial) {
        return Cell::Text(clock(serial));
    }
    if serial < 0.0 {
        return Cell::Number(serial);
    }
    let (year, month, day, hour, minute, second, milli) = dt.to_ymd_hms_milli();
    let date = Month::try_from(month)
        .ok()
        .and_then(|m| Date::from_calendar_date(i32::from(year), m, day).ok());
    match date {
        // 29 February 1900, which Excel counts and the calendar does not: the number it is.
        None => Cell::Number(serial),
        Some(date) if (hour, minute, second, milli) == (0, 0, 0, 0) => Cell::Date(date),
        Some(date) => match Time::from_hms_milli(hour, minute, second, milli) {
            Ok(time) => Cell::DateTime(PrimitiveDateTime::new(date, time)),
            Err(_) => Cell::Date(date),
        },
    }
}

fn two_digits(s: &str, at: usize) -> Option<u8> {
    let digits = s.get(at..at + 2)?;
    digits
        .bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| digits.parse().ok())
        .flatten()
}

/// An ODS date value: `2026-03-01` or `2026-03-01T12:30:00[.fff]`; anything else is text.
fn iso_date_time(s: &str) -> Cell {
    let text = || Cell::Text(s.to_string());
    let date = s.get(..10).and_then(|d| {
        let year: i32 = d.get(..4)?.parse().ok()?;
        let month = Month::try_from(two_digits(d, 5)?).ok()?;
        (d.as_bytes().get(4) == Some(&b'-') && d.as_bytes().get(7) == Some(&b'-'))
            .then(|| Date::from_calendar_date(year, month, two_digits(d, 8)?).ok())
            .flatten()
    });
    let Some(date) = date else { return text() };
    let rest = &s[10..];
    if rest.is_empty() {
        return Cell::Date(date);
    }
    let time = rest.strip_prefix('T').and_then(|t| {
        let milli = match t.get(8..) {
            Some("") | None => 0,
            Some(f) => {
                let digits = f.strip_prefix('.')?;
                let digits = digits.get(..3.min(digits.len()))?;
                let n: u16 = digits.parse().ok()?;
                n * 10u16.pow(3 - digits.len() as u32)
            }
        };
        Time::from_hms_milli(
            two_digits(t, 0)?,
            two_digits(t, 3)?,
            two_digits(t, 6)?,
            milli,
        )
        .ok()
    });
    match time {
        Some(time) if time == Time::MIDNIGHT => Cell::Date(date),
        Some(time) => Cell::DateTime(PrimitiveDateTime::new(date, time)),
        None => text(),
    }
}

/// An ODS time value (`PT12H30M00S`) as its clock text; anything else is text as written.
fn iso_duration(s: &str) -> Cell {
    let parsed = (|| {
        let (negative, rest) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let mut rest = rest.strip_prefix("PT")?;
        let mut seconds = 0.0;
        while !rest.is_empty() {
            let end = rest.find(|c: char| c.is_ascii_alphabetic())?;
            let n: f64 = rest[..end].parse().ok()?;
            seconds += n * match rest.as_bytes()[end] {
                b'H' => 3600.0,
                b'M' => 60.0,
                b'S' => 1.0,
                _ => return None,
            };
            rest = &rest[end + 1..];
        }
        Some(if negative { -seconds } else { seconds })
    })();
    match parsed {
        Some(seconds) => Cell::Text(clock(seconds / 86_400.0)),
        None => Cell::Text(s.to_string()),
    }
}

/// Cells gathered in any order, laid out as rows from A1 of one width.
#[derive(Debug, Default)]
pub(super) struct SheetBuilder {
    cells: Vec<(u32, u32, Cell)>,
    rows: u32,
    columns: u32,
}

impl SheetBuilder {
    /// Extends the sheet to `(row, column)`, 0-based, without a value there.
    pub(super) fn touch(&mut self, row: u32, column: u32) {
        self.rows = self.rows.max(row.saturating_add(1));
        self.columns = self.columns.max(column.saturating_add(1));
    }

    /// The cell at `(row, column)`, 0-based.
    pub(super) fn push(&mut self, row: u32, column: u32, cell: Cell) {
        self.touch(row, column);
        if cell != Cell::Empty {
            self.cells.push((row, column, cell));
        }
    }

    /// The number of cells the rows will hold.
    pub(super) fn area(&self) -> u64 {
        u64::from(self.rows) * u64::from(self.columns)
    }

    /// The rows; call after [`Self::area`] was checked against the limit.
    pub(super) fn into_rows(self) -> Vec<Vec<Cell>> {
        let mut rows = vec![vec![Cell::Empty; self.columns as usize]; self.rows as usize];
        for (row, column, cell) in self.cells {
            if let Some(slot) = rows
                .get_mut(row as usize)
                .and_then(|r| r.get_mut(column as usize))
            {
                *slot = cell;
            }
        }
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::ExcelDateTimeType;
    use time::macros::{date, datetime};

    fn serial(value: f64) -> Cell {
        excel_date_time(&ExcelDateTime::new(
            value,
            ExcelDateTimeType::DateTime,
            false,
        ))
    }

    #[test]
    fn excel_serials_are_dates_or_date_times_or_clock_times() {
        assert_eq!(serial(46082.0), Cell::Date(date!(2026 - 03 - 01)));
        assert_eq!(
            serial(46082.5),
            Cell::DateTime(datetime!(2026 - 03 - 01 12:00))
        );
        assert_eq!(serial(0.75), Cell::Text("18:00:00".into()));
        // Excel's 29 February 1900 does not exist: the number stays.
        assert_eq!(serial(60.0), Cell::Number(60.0));
        let duration = ExcelDateTime::new(1.5, ExcelDateTimeType::TimeDelta, false);
        assert_eq!(excel_date_time(&duration), Cell::Text("36:00:00".into()));
        let in_1904 = ExcelDateTime::new(0.0 + 44620.0, ExcelDateTimeType::DateTime, true);
        assert_eq!(excel_date_time(&in_1904), Cell::Date(date!(2026 - 03 - 01)));
    }

    #[test]
    fn ods_dates_and_times_are_parsed_or_kept_as_text() {
        assert_eq!(
            iso_date_time("2026-03-01"),
            Cell::Date(date!(2026 - 03 - 01))
        );
        assert_eq!(
            iso_date_time("2026-03-01T00:00:00"),
            Cell::Date(date!(2026 - 03 - 01))
        );
        assert_eq!(
            iso_date_time("2026-03-01T12:30:05.25"),
            Cell::DateTime(datetime!(2026 - 03 - 01 12:30:05.25))
        );
        assert_eq!(iso_date_time("2026-02-30"), Cell::Text("2026-02-30".into()));
        assert_eq!(iso_date_time("soon"), Cell::Text("soon".into()));
        assert_eq!(iso_duration("PT12H30M00S"), Cell::Text("12:30:00".into()));
        assert_eq!(iso_duration("PT1H0M1.4S"), Cell::Text("01:00:01".into()));
        assert_eq!(iso_duration("P1D"), Cell::Text("P1D".into()));
    }

    #[test]
    fn rows_start_at_a1_whatever_the_first_cell() {
        let mut b = SheetBuilder::default();
        b.push(2, 1, Cell::Number(1.0));
        b.push(1, 3, Cell::Text("x".into()));
        b.touch(3, 0);
        assert_eq!(b.area(), 16);
        let rows = b.into_rows();
        assert_eq!(rows.len(), 4);
        assert!(rows.iter().all(|r| r.len() == 4));
        assert_eq!(rows[2][1], Cell::Number(1.0));
        assert_eq!(rows[1][3], Cell::Text("x".into()));
        assert_eq!(rows[0][0], Cell::Empty);
    }
}

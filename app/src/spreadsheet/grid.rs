//! A workbook as importers read it: sheets of plain cells, with where each cell is, so that
//! every problem can name its sheet, row and column the way the spreadsheet shows them.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize};

/// A place in a workbook: a sheet, and when known a row (1 = the first, as the spreadsheet
/// numbers them) and a column (0 = column A).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Place {
    pub sheet: String,
    pub row: Option<u32>,
    pub column: Option<u32>,
}

impl Place {
    pub fn sheet(sheet: &str) -> Self {
        Self {
            sheet: sheet.into(),
            row: None,
            column: None,
        }
    }

    pub fn row(sheet: &str, row: u32) -> Self {
        Self {
            row: Some(row),
            ..Self::sheet(sheet)
        }
    }

    pub fn column(sheet: &str, column: u32) -> Self {
        Self {
            column: Some(column),
            ..Self::sheet(sheet)
        }
    }

    pub fn cell(sheet: &str, row: u32, column: u32) -> Self {
        Self {
            row: Some(row),
            column: Some(column),
            ..Self::sheet(sheet)
        }
    }

    /// The column's letters (`A`, `Z`, `AA`), when the place has a column.
    pub fn column_letters(&self) -> Option<String> {
        self.column.map(column_letters)
    }
}

/// `A` for 0, `Z` for 25, `AA` for 26.
pub fn column_letters(column: u32) -> String {
    let mut n = column as u64 + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        letters.push((b'A' + rem) as char);
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// English form for logs and the command line: `Sheet "Report", row 4, column C`. Pages
/// translate the parts themselves.
impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "sheet \"{}\"", self.sheet)?;
        match (self.row, self.column_letters()) {
            (Some(r), Some(c)) => write!(f, ", cell {c}{r} (row {r}, column {c})"),
            (Some(r), None) => write!(f, ", row {r}"),
            (None, Some(c)) => write!(f, ", column {c}"),
            (None, None) => Ok(()),
        }
    }
}

/// A problem found in a file: where (when it is somewhere in particular) and what, as a
/// sentence in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub place: Option<Place>,
    pub message: String,
}

impl Problem {
    pub fn file(message: impl Into<String>) -> Self {
        Self {
            place: None,
            message: message.into(),
        }
    }

    pub fn at(place: Place, message: impl Into<String>) -> Self {
        Self {
            place: Some(place),
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.place {
            Some(p) => write!(f, "{p}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// One cell's value, as stored in the file (for a formula: the value it had when the file
/// was last saved).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    /// A date (a date-time at midnight is a date).
    Date(time::Date),
    DateTime(time::PrimitiveDateTime),
    /// An error value such as `#DIV/0!`.
    Error(String),
}

impl Cell {
    /// Empty, or text that is only spaces.
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as a person reads it, trimmed: whole numbers without `.0`, dates as
    /// `YYYY-MM-DD`, booleans as `TRUE`/`FALSE`. `None` when blank.
    pub fn text(&self) -> Option<Cow<'_, str>> {
        match self {
            Cell::Empty => None,
            Cell::Text(t) => {
                let t = t.trim();
                (!t.is_empty()).then_some(Cow::Borrowed(t))
            }
            Cell::Number(n) => Some(Cow::Owned(number_text(*n))),
            Cell::Bool(b) => Some(Cow::Borrowed(if *b { "TRUE" } else { "FALSE" })),
            Cell::Date(d) => Some(Cow::Owned(iso_date(*d))),
            Cell::DateTime(dt) => Some(Cow::Owned(format!(
                "{} {:02}:{:02}:{:02}",
                iso_date(dt.date()),
                dt.hour(),
                dt.minute(),
                dt.second()
            ))),
            Cell::Error(e) => Some(Cow::Borrowed(e)),
        }
    }
}

/// `YYYY-MM-DD`.
pub fn iso_date(d: time::Date) -> String {
    let year = d.year();
    if !(0..=9999).contains(&year) {
        return format!("{:04}-{:02}-{:02}", year, u8::from(d.month()), d.day());
    }
    // Digit by digit: importers write one per date cell of every row.
    let digit = |n: i32| char::from(b'0' + (n % 10) as u8);
    let (month, day) = (i32::from(u8::from(d.month())), i32::from(d.day()));
    let mut out = String::with_capacity(10);
    for n in [year / 1000, year / 100, year / 10, year] {
        out.push(digit(n));
    }
    out.push('-');
    out.push(digit(month / 10));
    out.push(digit(month));
    out.push('-');
    out.push(digit(day / 10));
    out.push(digit(day));
    out
}

/// A number as a person typed it: `12`, not `12.0`; `0.1`, not `0.1000000000000000055`.
pub fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        (n as i64).to_string()
    } else {
        format!("{n}")
    }
}

/// One sheet: its rows from row 1 and column A (empty cells before the used range are
/// [`Cell::Empty`]), which cells held formulas, which areas are merged, and whether it is
/// hidden.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Vec<Cell>>,
    /// `(row, column)` of every cell that holds a formula, rows from 1, columns from 0.
    pub formulas: BTreeSet<(u32, u32)>,
    /// Merged areas as `(first row, first column, last row, last column)`, same numbering.
    pub merged: Vec<(u32, u32, u32, u32)>,
    pub hidden: bool,
}

const EMPTY: Cell = Cell::Empty;

impl Sheet {
    /// The cell at `row` (from 1) and `column` (from 0); [`Cell::Empty`] outside the data.
    pub fn cell(&self, row: u32, column: u32) -> &Cell {
        row.checked_sub(1)
            .and_then(|r| self.rows.get(r as usize))
            .and_then(|cells| cells.get(column as usize))
            .unwrap_or(&EMPTY)
    }

    /// The number of the last row that holds anything (0 for an empty sheet).
    pub fn last_row(&self) -> u32 {
        self.rows
            .iter()
            .rposition(|r| r.iter().any(|c| !c.is_blank()))
            .map_or(0, |i| i as u32 + 1)
    }

    /// The place of a cell of this sheet.
    pub fn place(&self, row: u32, column: u32) -> Place {
        Place::cell(&self.name, row, column)
    }
}

/// The file formats read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Format {
    Xlsx,
    Xls,
    Ods,
}

/// A workbook read from a file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Workbook {
    pub format: Format,
    pub sheets: Vec<Sheet>,
}

impl Workbook {
    /// The sheet named `name`, ignoring case and surrounding spaces.
    pub fn sheet(&self, name: &str) -> Option<&Sheet> {
        let name = name.trim();
        self.sheets
            .iter()
            .find(|s| s.name.trim().eq_ignore_ascii_case(name))
    }
}

/// A sheet's columns found by their headers in `header_row`: headers compared ignoring case
/// and surrounding spaces. Missing required headers and duplicated headers are problems at
/// the header row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    /// `(header as written in the file, column)`, left to right.
    pub found: Vec<(String, u32)>,
}

impl Columns {
    /// Reads the headers of `sheet` at `header_row`. `required` are the headers that must be
    /// there; `message_missing(header)` and `message_duplicated(header)` phrase the problems.
    pub fn read(
        sheet: &Sheet,
        header_row: u32,
        required: &[&str],
        message_missing: impl Fn(&str) -> String,
        message_duplicated: impl Fn(&str) -> String,
    ) -> Result<Self, Vec<Problem>> {
        let mut found: Vec<(String, u32)> = vec![];
        let mut problems = vec![];
        let width = header_row
            .checked_sub(1)
            .and_then(|r| sheet.rows.get(r as usize))
            .map_or(0, Vec::len);
        for column in 0..width as u32 {
            let Some(header) = sheet.cell(header_row, column).text() else {
                continue;
            };
            let header = header.into_owned();
            if found.iter().any(|(h, _)| h.eq_ignore_ascii_case(&header)) {
                problems.push(Problem::at(
                    sheet.place(header_row, column),
                    message_duplicated(&header),
                ));
                continue;
            }
            found.push((header, column));
        }
        for name in required {
            if !found.iter().any(|(h, _)| h.eq_ignore_ascii_case(name)) {
                problems.push(Problem::at(
                    Place::row(&sheet.name, header_row),
                    message_missing(name),
                ));
            }
        }
        if problems.is_empty() {
            Ok(Self { found })
        } else {
            Err(problems)
        }
    }

    /// The column headed `name`, ignoring case.
    pub fn get(&self, name: &str) -> Option<u32> {
        self.found
            .iter()
            .find(|(h, _)| h.eq_ignore_ascii_case(name))
            .map(|(_, c)| *c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_lettered_as_spreadsheets_letter_them() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn a_place_names_its_sheet_row_and_column() {
        assert_eq!(
            Place::cell("Report", 4, 2).to_string(),
            "sheet \"Report\", cell C4 (row 4, column C)"
        );
        assert_eq!(
            Place::row("choices", 9).to_string(),
            "sheet \"choices\", row 9"
        );
    }

    #[test]
    fn cells_read_as_a_person_typed_them() {
        assert_eq!(Cell::Number(12.0).text().as_deref(), Some("12"));
        assert_eq!(Cell::Number(0.25).text().as_deref(), Some("0.25"));
        assert_eq!(Cell::Text("  x ".into()).text().as_deref(), Some("x"));
        assert_eq!(Cell::Text("   ".into()).text(), None);
        let d = time::macros::date!(2026 - 03 - 01);
        assert_eq!(Cell::Date(d).text().as_deref(), Some("2026-03-01"));
        assert_eq!(Cell::Number(-7.0).text().as_deref(), Some("-7"));
    }

    #[test]
    fn dates_are_written_year_month_day_with_their_zeros() {
        use time::macros::date;
        assert_eq!(iso_date(date!(2026 - 12 - 31)), "2026-12-31");
        assert_eq!(iso_date(date!(0987 - 01 - 09)), "0987-01-09");
        assert_eq!(iso_date(date!(1900 - 10 - 20)), "1900-10-20");
        assert_eq!(iso_date(date!(-0044 - 03 - 15)), "-044-03-15");
    }

    fn sheet(rows: &[&[&str]]) -> Sheet {
        Sheet {
            name: "survey".into(),
            rows: rows
                .iter()
                .map(|r| {
                    r.iter()
                        .map(|t| {
                            if t.is_empty() {
                                Cell::Empty
                            } else {
                                Cell::Text(t.to_string())
                            }
                        })
                        .collect()
                })
                .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn headers_are_found_ignoring_case_and_missing_or_doubled_ones_are_named() {
        let s = sheet(&[&["Type", "", "name", "label"], &["text", "", "q1", "Q"]]);
        let cols =
            Columns::read(&s, 1, &["type", "name"], |h| h.into(), |h| h.into()).expect("headers");
        assert_eq!(cols.get("TYPE"), Some(0));
        assert_eq!(cols.get("label"), Some(3));
        assert_eq!(cols.get("hint"), None);

        let s = sheet(&[&["type", "label", "Label"]]);
        let problems = Columns::read(
            &s,
            1,
            &["type", "name"],
            |h| format!("missing {h}"),
            |h| format!("twice {h}"),
        )
        .expect_err("problems");
        assert_eq!(
            problems,
            [
                Problem::at(Place::cell("survey", 1, 2), "twice Label"),
                Problem::at(Place::row("survey", 1), "missing name"),
            ]
        );
    }

    #[test]
    fn the_last_row_ignores_trailing_blank_rows() {
        let s = sheet(&[&["a"], &["b"], &["", " "]]);
        assert_eq!(s.last_row(), 2);
        assert_eq!(s.cell(2, 0), &Cell::Text("b".into()));
        assert_eq!(s.cell(9, 9), &Cell::Empty);
        assert_eq!(s.cell(0, 0), &Cell::Empty);
    }
}

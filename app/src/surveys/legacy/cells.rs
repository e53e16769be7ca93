//! One cell of a legacy workbook read as an answer's value: a choice found by its code or its
//! label, a chosen / not chosen flag, a date written in any of the ways spreadsheets keep
//! them, a text as it was written before an export neutralised it.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::spreadsheet::grid::{iso_date, Cell};
use crate::spreadsheet::unneutralise;
use crate::surveys::model::Choice;

/// A cell as text, trimmed, with the apostrophe an export puts before a formula start
/// removed; `None` when blank.
pub(super) fn text(cell: &Cell) -> Option<Cow<'_, str>> {
    match cell.text()? {
        Cow::Borrowed(t) => Some(Cow::Borrowed(unneutralise(t))),
        Cow::Owned(t) => Some(Cow::Owned(unneutralise(&t).to_string())),
    }
}

/// A label or code as compared: trimmed, lower case, runs of spaces as one, typographic
/// apostrophes as straight ones ("Pas d’accord" = "pas d'accord").
pub(super) fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in word.chars() {
            match c {
                '\u{2019}' | '\u{2018}' => out.push('\''),
                c => out.extend(c.to_lowercase()),
            }
        }
    }
    out
}

/// Why a value is not one of the choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Miss {
    Unknown,
    /// The value is the label of several choices (in different languages, say).
    Ambiguous,
}

/// Finds a choice by its code (exactly, then ignoring case) or by its label in any of the
/// survey's languages (ignoring case and spacing). A code wins over a label, so a file of
/// codes is read the same whatever the labels say.
#[derive(Debug, Clone, Default)]
pub(super) struct Matcher {
    codes: Vec<String>,
    /// Normalised code → index (`None`: two codes differ only by case).
    by_code: HashMap<String, Option<usize>>,
    /// Normalised label → index (`None`: the label of several choices).
    by_label: HashMap<String, Option<usize>>,
    /// Every code and label exactly as written (trimmed) → what [`Matcher::find`] gives for
    /// it: most cells repeat one of them, and are then found without being normalised.
    exact: HashMap<String, Result<usize, Miss>>,
}

fn insert(map: &mut HashMap<String, Option<usize>>, key: String, index: usize) {
    if key.is_empty() {
        return;
    }
    map.entry(key)
        .and_modify(|found| {
            if *found != Some(index) {
                *found = None;
            }
        })
        .or_insert(Some(index));
}

impl Matcher {
    pub(super) fn new(choices: &[Choice]) -> Self {
        let mut m = Self::default();
        for (i, c) in choices.iter().enumerate() {
            m.codes.push(c.code.clone());
            insert(&mut m.by_code, normalise(&c.code), i);
            for label in c.label.0.values() {
                insert(&mut m.by_label, normalise(label), i);
            }
        }
        let written = choices
            .iter()
            .flat_map(|c| std::iter::once(&c.code).chain(c.label.0.values()))
            .map(|w| w.trim().to_string())
            .collect();
        m.index_exact(written);
        m
    }

    /// Fills [`Matcher::exact`] for `written` (once every code and label is known).
    fn index_exact(&mut self, written: Vec<String>) {
        self.exact.clear();
        for w in written {
            let found = self.find_slow(&w);
            self.exact.insert(w, found);
        }
    }

    /// Adds a code that has no label (a multiple choice's "Other").
    pub(super) fn with_code(mut self, code: &str) -> Self {
        let i = self.codes.len();
        self.codes.push(code.to_string());
        insert(&mut self.by_code, normalise(code), i);
        // A new code can change what a label finds (a code wins): every entry again.
        let written = self
            .exact
            .keys()
            .cloned()
            .chain(std::iter::once(code.trim().to_string()))
            .collect();
        self.index_exact(written);
        self
    }

    /// The code of the choice `value` names.
    pub(super) fn find(&self, value: &str) -> Result<&str, Miss> {
        let value = value.trim();
        match self.exact.get(value) {
            Some(Ok(i)) => Ok(&self.codes[*i]),
            Some(Err(miss)) => Err(*miss),
            None => self.find_slow(value).map(|i| self.codes[i].as_str()),
        }
    }

    /// [`Matcher::find`] without [`Matcher::exact`]: the index of the choice.
    fn find_slow(&self, value: &str) -> Result<usize, Miss> {
        let value = value.trim();
        if let Some(i) = self.codes.iter().position(|c| c == value) {
            return Ok(i);
        }
        let key = normalise(value);
        let found = match self.by_code.get(&key) {
            Some(found) => *found,
            None => *self.by_label.get(&key).ok_or(Miss::Unknown)?,
        };
        found
            .filter(|i| *i < self.codes.len())
            .ok_or(Miss::Ambiguous)
    }

    /// The codes, for messages: the first few, then "…".
    pub(super) fn hint(&self) -> String {
        const SHOWN: usize = 8;
        let mut out = self
            .codes
            .iter()
            .take(SHOWN)
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(", ");
        if self.codes.len() > SHOWN {
            out.push_str(", …");
        }
        out
    }

    /// The codes of a multiple choice's cell: one choice, or several separated by `;` (what
    /// this application writes when it lists choices in one cell) or, when no `;` is there and
    /// every part is a choice, by `,`. A label holding a `,` or `;` is still found whole.
    pub(super) fn find_many<'a>(&'a self, value: &'a str) -> Result<Vec<&'a str>, (Miss, &'a str)> {
        if let Ok(one) = self.find(value) {
            return Ok(vec![one]);
        }
        let parts = |sep: char| {
            value
                .split(sep)
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(|p| self.find(p).map_err(|miss| (miss, p)))
                .collect::<Result<Vec<_>, _>>()
        };
        if value.contains(';') {
            return parts(';');
        }
        match parts(',') {
            Ok(codes) => Ok(codes),
            // Not every part is a choice: report the cell as a whole, not a fragment.
            Err((miss, _)) => Err((miss, value.trim())),
        }
    }
}

/// A "chosen" cell of a multiple choice's column: 1 (or TRUE, x, yes…) when chosen, 0 (or
/// FALSE, no…) or blank when not; `None` for anything else.
pub(super) fn flag(cell: &Cell) -> Option<bool> {
    match cell {
        Cell::Empty => Some(false),
        Cell::Bool(b) => Some(*b),
        Cell::Number(n) if *n == 1.0 => Some(true),
        Cell::Number(n) if *n == 0.0 => Some(false),
        Cell::Text(t) => match normalise(t).as_str() {
            "" | "0" | "false" | "no" | "non" | "nein" | "faux" | "falsch" => Some(false),
            "1" | "x" | "true" | "yes" | "oui" | "ja" | "vrai" | "wahr" | "✓" | "✔" => {
                Some(true)
            }
            _ => None,
        },
        _ => None,
    }
}

/// The first day of Excel's 1900 date system as spreadsheets count it: serial 1 is
/// 1900-01-01 and serial 60 the 29 February 1900 that never was (Lotus 1-2-3's error, kept
/// by Excel), so from serial 61 on a serial counts days from 1899-12-30.
fn serial_date(n: f64) -> Option<time::Date> {
    // 2958465 is 9999-12-31, the last date Excel shows.
    if !(61.0..2_958_466.0).contains(&n) {
        return None;
    }
    let start = time::Date::from_calendar_date(1899, time::Month::December, 30).ok()?;
    start.checked_add(time::Duration::days(n.floor() as i64))
}

/// A date written `YYYY-MM-DD` (also the start of a timestamp `YYYY-MM-DDThh:mm…`), or
/// day first as `DD/MM/YYYY` or `DD.MM.YYYY` (the European order; never month first).
fn text_date(s: &str) -> Option<String> {
    let s = s.trim();
    if let Some(d) = crate::surveys::model::answers::parse_date(s) {
        return Some(d);
    }
    if s.len() > 10 && s.is_char_boundary(10) && matches!(s.as_bytes()[10], b'T' | b' ') {
        return crate::surveys::model::answers::parse_date(&s[..10]);
    }
    let parts: Vec<&str> = s.split(['/', '.']).collect();
    let [day, month, year] = parts.as_slice() else {
        return None;
    };
    let digits = |p: &str, len: std::ops::RangeInclusive<usize>| {
        len.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
    };
    if !(digits(day, 1..=2) && digits(month, 1..=2) && digits(year, 4..=4)) {
        return None;
    }
    let month = time::Month::try_from(month.parse::<u8>().ok()?).ok()?;
    let date = time::Date::from_calendar_date(year.parse().ok()?, month, day.parse().ok()?).ok()?;
    Some(iso_date(date))
}

/// A date cell, a date-time cell (the day is kept), an Excel serial number or a text date,
/// as `YYYY-MM-DD`.
pub(super) fn date(cell: &Cell) -> Option<String> {
    match cell {
        Cell::Date(d) => Some(iso_date(*d)),
        Cell::DateTime(dt) => Some(iso_date(dt.date())),
        Cell::Number(n) => serial_date(*n).map(iso_date),
        Cell::Text(t) => text_date(t),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::surveys::model::Text;
    use std::collections::BTreeMap;

    fn choice(code: &str, labels: &[(&str, &str)]) -> Choice {
        Choice {
            code: code.into(),
            label: Text(
                labels
                    .iter()
                    .map(|(l, t)| (l.to_string(), t.to_string()))
                    .collect::<BTreeMap<_, _>>(),
            ),
        }
    }

    #[test]
    fn choices_are_found_by_code_first_then_by_label_in_any_language() {
        let m = Matcher::new(&[
            choice("yes", &[("en", "Yes"), ("fr", "Oui")]),
            choice("no", &[("en", "No"), ("fr", "Non")]),
            choice("d", &[("en", "Pas d’accord")]),
            // A label that is another choice's code: the code wins.
            choice("other", &[("en", "yes")]),
        ]);
        assert_eq!(m.find("yes"), Ok("yes"));
        assert_eq!(m.find(" YES "), Ok("yes"));
        assert_eq!(m.find("oui"), Ok("yes"));
        assert_eq!(m.find("NON"), Ok("no"));
        assert_eq!(m.find("pas  d'accord"), Ok("d"));
        assert_eq!(m.find("maybe"), Err(Miss::Unknown));
        let twice = Matcher::new(&[
            choice("a", &[("en", "Same")]),
            choice("b", &[("fr", "same")]),
        ]);
        assert_eq!(twice.find("Same"), Err(Miss::Ambiguous));
        assert_eq!(twice.find("b"), Ok("b"));
    }

    #[test]
    fn codes_and_labels_found_as_written_give_what_comparing_them_gives() {
        let m = Matcher::new(&[
            choice("a", &[("en", "Other"), ("fr", "Autre")]),
            choice("b", &[("en", "B")]),
        ])
        .with_code("other");
        // A code added later still wins over a label.
        assert_eq!(m.find("Other"), Ok("other"));
        assert_eq!(m.find(" Autre "), Ok("a"));
        assert_eq!(m.find("B"), Ok("b"));
        assert_eq!(m.find("autre"), Ok("a"));
        assert!(m.exact.len() >= 5);
        for (written, found) in &m.exact {
            assert_eq!(*found, m.find_slow(written), "{written}");
        }
    }

    #[test]
    fn a_cell_lists_several_choices_separated_by_semicolons_or_else_commas() {
        let m = Matcher::new(&[
            choice("a", &[("en", "Apples")]),
            choice("b", &[("en", "Bread, white")]),
            choice("c", &[("en", "Cheese")]),
        ]);
        assert_eq!(m.find_many("a; c"), Ok(vec!["a", "c"]));
        assert_eq!(m.find_many("Apples;Bread, white"), Ok(vec!["a", "b"]));
        assert_eq!(m.find_many("Bread, white"), Ok(vec!["b"]));
        assert_eq!(m.find_many("a, c"), Ok(vec!["a", "c"]));
        assert_eq!(m.find_many("a; x"), Err((Miss::Unknown, "x")));
        assert_eq!(m.find_many("a, x"), Err((Miss::Unknown, "a, x")));
    }

    #[test]
    fn flags_read_ones_crosses_and_booleans() {
        assert_eq!(flag(&Cell::Number(1.0)), Some(true));
        assert_eq!(flag(&Cell::Text(" X ".into())), Some(true));
        assert_eq!(flag(&Cell::Bool(false)), Some(false));
        assert_eq!(flag(&Cell::Text("0".into())), Some(false));
        assert_eq!(flag(&Cell::Number(2.0)), None);
        assert_eq!(flag(&Cell::Text("maybe".into())), None);
    }

    #[test]
    fn dates_are_read_from_date_cells_serials_and_text() {
        let d = time::macros::date!(2024 - 03 - 01);
        assert_eq!(date(&Cell::Date(d)).as_deref(), Some("2024-03-01"));
        assert_eq!(
            date(&Cell::DateTime(d.with_hms(10, 30, 0).unwrap())).as_deref(),
            Some("2024-03-01")
        );
        // 45352 is 2024-03-01 in Excel's 1900 system; 61 is 1900-03-01.
        assert_eq!(date(&Cell::Number(45352.0)).as_deref(), Some("2024-03-01"));
        assert_eq!(date(&Cell::Number(61.0)).as_deref(), Some("1900-03-01"));
        assert_eq!(date(&Cell::Number(-3.0)), None);
        for text in [
            "2024-03-01",
            "2024-03-01T10:00:00Z",
            "2024-03-01 10:00",
            "01/03/2024",
            "1/3/2024",
            "01.03.2024",
        ] {
            assert_eq!(
                date(&Cell::Text(text.into())).as_deref(),
                Some("2024-03-01"),
                "{text}"
            );
        }
        for text in [
            "2024-02-30",
            "31/02/2024",
            "03/2024",
            "2024/03/01",
            "tomorrow",
        ] {
            assert_eq!(date(&Cell::Text(text.into())), None, "{text}");
        }
        assert_eq!(date(&Cell::Bool(true)), None);
    }

    #[test]
    fn texts_lose_the_apostrophe_an_export_put_before_a_formula() {
        assert_eq!(
            text(&Cell::Text(" '=SUM(1,2) ".into())).as_deref(),
            Some("=SUM(1,2)")
        );
        assert_eq!(
            text(&Cell::Text("'quoted".into())).as_deref(),
            Some("'quoted")
        );
        assert_eq!(text(&Cell::Number(12.0)).as_deref(), Some("12"));
        assert_eq!(text(&Cell::Text("  ".into())), None);
    }

    #[test]
    fn labels_compare_ignoring_case_spacing_and_apostrophes() {
        assert_eq!(normalise("  Pas   D’Accord "), "pas d'accord");
        assert_eq!(normalise("ÉTÉ"), "été");
    }
}

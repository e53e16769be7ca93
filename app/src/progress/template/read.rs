//! An uploaded progress workbook read back: which period and countries it was made for, and
//! per country the values its rows set, each with the cell it came from. Values are taken as
//! typed; the form's checks run on them later (`preview`), and their refusals are placed on
//! these cells. Rows of the file may be in any order; a country × recommendation without a
//! row keeps its values.

use std::collections::HashSet;

use strum::VariantArray;

use super::{Column, Identity, RowKey, MARK, META_SHEET, TEMPLATE_VERSION};
use crate::i18n::*;
use crate::indicators::model::{Indicator, IndicatorKind};
use crate::lang::Locale;
use crate::progress::workflow::Status;
use crate::spreadsheet::grid::{column_letters, iso_date, Cell, Place, Problem, Sheet, Workbook};

/// A value read from a cell, with its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Read {
    pub value: String,
    pub place: Place,
}

/// One recommendation's row of one country, and its indicator rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntryRows {
    pub recommendation: i64,
    /// `None`: the file has no row for the entry itself (its fields keep their values).
    pub status: Option<Read>,
    pub narrative: Option<Read>,
    pub evidence: Option<Read>,
    pub as_of: Option<Read>,
    /// (indicator id, value) for each indicator row.
    pub indicators: Vec<(i64, Read)>,
}

/// One country's rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountryRows {
    pub iso2: String,
    /// The report's version when the workbook was made.
    pub version: i64,
    pub entries: Vec<EntryRows>,
}

/// What an uploaded workbook says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uploaded {
    pub identity: Identity,
    pub countries: Vec<CountryRows>,
}

/// What the workbook must have been made for.
pub struct Expected<'a> {
    pub period_id: i64,
    /// The one country of a focal point's template; `None` for the bulk workbook.
    pub country: Option<&'a str>,
    /// The recommendations' numbers.
    pub recommendations: &'a [i64],
    /// The active indicators.
    pub indicators: &'a [Indicator],
}

fn meta_value<'a>(meta: &'a Sheet, key: &str) -> Option<std::borrow::Cow<'a, str>> {
    (1..=meta.last_row())
        .find(|r| meta.cell(*r, 0).text().as_deref() == Some(key))
        .and_then(|r| meta.cell(r, 1).text())
}

/// Reads the hidden sheet that says what the workbook is.
pub fn identity(wb: &Workbook, locale: Locale) -> Result<Identity, Problem> {
    let not_ours = || {
        Problem::file(td_string!(
            locale,
            imports.not_a_template,
            sheet = META_SHEET
        ))
    };
    let meta = wb.sheet(META_SHEET).ok_or_else(not_ours)?;
    if meta.cell(1, 0).text().as_deref() != Some(MARK) {
        return Err(not_ours());
    }
    let number = |key| meta_value(meta, key).and_then(|v| v.parse::<i64>().ok());
    let template_version = number("template_version").ok_or_else(not_ours)?;
    if template_version != TEMPLATE_VERSION {
        return Err(Problem::file(td_string!(
            locale,
            imports.template_version,
            found = template_version,
            expected = TEMPLATE_VERSION
        )));
    }
    let reports = (1..=meta.last_row())
        .filter(|r| meta.cell(*r, 0).text().as_deref() == Some("report"))
        .filter_map(|r| {
            let iso2 = meta.cell(r, 1).text()?.to_string();
            let version = meta.cell(r, 2).text()?.parse().ok()?;
            Some((iso2, version))
        })
        .collect();
    Ok(Identity {
        template_version,
        period_id: number("period_id").ok_or_else(not_ours)?,
        period_name: meta_value(meta, "period").unwrap_or_default().into_owned(),
        language: meta_value(meta, "language")
            .unwrap_or_default()
            .into_owned(),
        sheet: meta_value(meta, "sheet").ok_or_else(not_ours)?.into_owned(),
        reports,
    })
}

/// A status typed as its label in any language, or as its code.
fn status(text: &str) -> Option<Status> {
    let t = text.trim();
    let lower = t.to_lowercase();
    Status::VARIANTS.iter().copied().find(|s| {
        s.as_str().eq_ignore_ascii_case(t)
            || Locale::all()
                .iter()
                .any(|l| s.label(*l).to_lowercase() == lower)
    })
}

/// A yes/no typed in any language (or a TRUE/FALSE cell).
fn yes_no(text: &str) -> Option<&'static str> {
    let t = text.trim().to_lowercase();
    let matches = |word: fn(Locale) -> &'static str| {
        Locale::all().iter().any(|l| word(*l).to_lowercase() == t)
    };
    if t == "yes" || t == "true" || matches(|l| td_string!(l, common.yes)) {
        Some("yes")
    } else if t == "no" || t == "false" || matches(|l| td_string!(l, common.no)) {
        Some("no")
    } else {
        None
    }
}

/// A date cell, an Excel serial number, or `YYYY-MM-DD`, `DD/MM/YYYY`, `DD.MM.YYYY` as text:
/// `YYYY-MM-DD`. Anything else is returned as typed (the checks refuse it).
pub fn date_text(cell: &Cell) -> Option<String> {
    match cell {
        Cell::Date(d) => Some(iso_date(*d)),
        Cell::DateTime(dt) => Some(iso_date(dt.date())),
        Cell::Number(n) if n.fract() == 0.0 && (1.0..2_958_466.0).contains(n) => {
            let base = time::macros::date!(1899 - 12 - 30);
            base.checked_add(time::Duration::days(*n as i64))
                .map(iso_date)
        }
        other => {
            let t = other.text()?;
            let parts: Vec<&str> = t.split(['/', '.']).collect();
            if let [d, m, y] = parts.as_slice() {
                if let (Ok(d), Ok(m), Ok(y)) = (d.parse::<u8>(), m.parse::<u8>(), y.parse::<i32>())
                {
                    if let Ok(month) = time::Month::try_from(m) {
                        if let Ok(date) = time::Date::from_calendar_date(y, month, d) {
                            return Some(iso_date(date));
                        }
                    }
                }
            }
            Some(t.into_owned())
        }
    }
}

/// Reads an uploaded workbook made for `expected`. Every problem found is returned, each at
/// its sheet, row and column.
pub fn read(
    wb: &Workbook,
    expected: &Expected<'_>,
    locale: Locale,
) -> Result<Uploaded, Vec<Problem>> {
    let identity = identity(wb, locale).map_err(|p| vec![p])?;
    if identity.period_id != expected.period_id {
        return Err(vec![Problem::file(td_string!(
            locale,
            imports.wrong_period,
            period = &identity.period_name
        ))]);
    }
    if let Some(iso2) = expected.country {
        if identity.reports.len() != 1 || identity.reports[0].0 != iso2 {
            let found: Vec<&str> = identity.reports.iter().map(|(c, _)| c.as_str()).collect();
            return Err(vec![Problem::file(td_string!(
                locale,
                imports.wrong_country,
                found = found.join(", "),
                expected = iso2
            ))]);
        }
    }
    let Some(sheet) = wb.sheet(&identity.sheet) else {
        return Err(vec![Problem::file(td_string!(
            locale,
            imports.sheet_missing,
            sheet = &identity.sheet
        ))]);
    };
    let language = Locale::from_tag(&identity.language).unwrap_or(locale);
    let mut problems = check_headers(sheet, language, locale);
    problems.extend(merged(sheet, locale));
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut countries: Vec<CountryRows> = identity
        .reports
        .iter()
        .map(|(iso2, version)| CountryRows {
            iso2: iso2.clone(),
            version: *version,
            entries: vec![],
        })
        .collect();
    let mut seen: HashSet<String> = HashSet::new();
    let col = |c: Column| c.index();
    for row in 2..=sheet.last_row() {
        let key_cell = sheet.cell(row, col(Column::Key));
        let Some(key_text) = key_cell.text() else {
            let filled = Column::VARIANTS
                .iter()
                .any(|c| !sheet.cell(row, c.index()).is_blank());
            if filled {
                problems.push(Problem::at(
                    sheet.place(row, col(Column::Key)),
                    td_string!(locale, imports.row_without_key),
                ));
            }
            continue;
        };
        let key_place = sheet.place(row, col(Column::Key));
        let Some(key) = RowKey::parse(&key_text) else {
            problems.push(Problem::at(
                key_place,
                td_string!(locale, imports.bad_key, key = key_text.as_ref()),
            ));
            continue;
        };
        if !seen.insert(key.to_string()) {
            problems.push(Problem::at(
                key_place,
                td_string!(locale, imports.duplicate_key, key = key_text.as_ref()),
            ));
            continue;
        }
        let Some(country) = countries.iter_mut().find(|c| c.iso2 == key.iso2) else {
            problems.push(Problem::at(
                key_place,
                td_string!(locale, imports.key_other_country, key = key_text.as_ref()),
            ));
            continue;
        };
        if !expected.recommendations.contains(&key.recommendation) {
            problems.push(Problem::at(
                key_place,
                td_string!(
                    locale,
                    imports.unknown_recommendation,
                    key = key_text.as_ref()
                ),
            ));
            continue;
        }
        let entry = match country
            .entries
            .iter()
            .position(|e| e.recommendation == key.recommendation)
        {
            Some(i) => &mut country.entries[i],
            None => {
                country.entries.push(EntryRows {
                    recommendation: key.recommendation,
                    ..Default::default()
                });
                let last = country.entries.len() - 1;
                &mut country.entries[last]
            }
        };
        let read = |c: Column, value: Option<String>| Read {
            value: value.unwrap_or_default(),
            place: sheet.place(row, c.index()),
        };
        let text = |c: Column| sheet.cell(row, c.index()).text().map(|t| t.into_owned());
        match key.indicator {
            None => {
                let raw = text(Column::Status);
                let code = match raw.as_deref() {
                    None => None,
                    Some(t) => match status(t) {
                        Some(s) => Some(s.as_str().to_string()),
                        None => {
                            let labels: Vec<&str> =
                                Status::VARIANTS.iter().map(|s| s.label(locale)).collect();
                            problems.push(Problem::at(
                                sheet.place(row, col(Column::Status)),
                                td_string!(
                                    locale,
                                    imports.unknown_status,
                                    found = t,
                                    allowed = labels.join(", ")
                                ),
                            ));
                            None
                        }
                    },
                };
                entry.status = Some(read(Column::Status, code));
                entry.narrative = Some(read(Column::Narrative, text(Column::Narrative)));
                entry.evidence = Some(read(Column::Evidence, text(Column::Evidence)));
                entry.as_of = Some(read(
                    Column::AsOf,
                    date_text(sheet.cell(row, col(Column::AsOf))),
                ));
            }
            Some(id) => {
                let Some(ind) = expected
                    .indicators
                    .iter()
                    .find(|i| i.id == id && i.recommendation == key.recommendation)
                else {
                    problems.push(Problem::at(
                        key_place,
                        td_string!(locale, imports.unknown_indicator, key = key_text.as_ref()),
                    ));
                    continue;
                };
                let cell = sheet.cell(row, col(Column::Value));
                let value = match (ind.kind, cell) {
                    (IndicatorKind::YesNo, Cell::Bool(b)) => {
                        Some(if *b { "yes" } else { "no" }.to_string())
                    }
                    (IndicatorKind::YesNo, c) => c.text().map(|t| {
                        yes_no(&t)
                            .map(str::to_string)
                            .unwrap_or_else(|| t.into_owned())
                    }),
                    (_, c) => c.text().map(|t| t.into_owned()),
                };
                entry.indicators.push((id, read(Column::Value, value)));
            }
        }
    }
    if problems.is_empty() {
        Ok(Uploaded {
            identity,
            countries,
        })
    } else {
        Err(problems)
    }
}

/// Each column must keep its header (in the workbook's language, or the reader's).
fn check_headers(sheet: &Sheet, language: Locale, locale: Locale) -> Vec<Problem> {
    let mut problems = vec![];
    for column in Column::VARIANTS {
        let found = sheet.cell(1, column.index()).text();
        let expected = super::header(*column, language);
        let ok = found.as_deref().is_some_and(|f| {
            f.eq_ignore_ascii_case(expected)
                || f.eq_ignore_ascii_case(super::header(*column, locale))
        });
        if !ok {
            problems.push(Problem::at(
                sheet.place(1, column.index()),
                td_string!(
                    locale,
                    imports.wrong_header,
                    column = column_letters(column.index()),
                    expected = expected,
                    found = found.as_deref().unwrap_or_default()
                ),
            ));
        }
    }
    problems
}

/// Merged cells below the header cannot be read as one value per cell.
fn merged(sheet: &Sheet, locale: Locale) -> Vec<Problem> {
    sheet
        .merged
        .iter()
        .filter(|(r1, _, r2, _)| *r2 >= 2 || *r1 >= 2)
        .map(|(r1, c1, r2, c2)| {
            let area = format!("{}{r1}:{}{r2}", column_letters(*c1), column_letters(*c2));
            Problem::at(
                sheet.place(*r1, *c1),
                td_string!(locale, imports.merged_cells, area = area),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_read_in_every_language_and_as_codes() {
        assert_eq!(status("In progress"), Some(Status::InProgress));
        assert_eq!(status("in-progress"), Some(Status::InProgress));
        assert_eq!(
            status(Status::Planned.label(Locale::fr)),
            Some(Status::Planned)
        );
        assert_eq!(
            status(Status::Planned.label(Locale::de)),
            Some(Status::Planned)
        );
        assert_eq!(status("maybe"), None);
    }

    #[test]
    fn dates_are_read_from_date_cells_serial_numbers_and_text() {
        let d = time::macros::date!(2026 - 06 - 30);
        assert_eq!(date_text(&Cell::Date(d)).as_deref(), Some("2026-06-30"));
        assert_eq!(
            date_text(&Cell::Number(46203.0)).as_deref(),
            Some("2026-06-30")
        );
        assert_eq!(
            date_text(&Cell::Text("30/06/2026".into())).as_deref(),
            Some("2026-06-30")
        );
        assert_eq!(
            date_text(&Cell::Text("30.06.2026".into())).as_deref(),
            Some("2026-06-30")
        );
        assert_eq!(
            date_text(&Cell::Text("2026-06-30".into())).as_deref(),
            Some("2026-06-30")
        );
        assert_eq!(
            date_text(&Cell::Text("soon".into())).as_deref(),
            Some("soon")
        );
        assert_eq!(date_text(&Cell::Empty), None);
    }

    #[test]
    fn yes_and_no_are_read_in_every_language() {
        assert_eq!(yes_no("Yes"), Some("yes"));
        assert_eq!(yes_no("oui"), Some("yes"));
        assert_eq!(yes_no("Nein"), Some("no"));
        assert_eq!(yes_no("peut-être"), None);
    }
}

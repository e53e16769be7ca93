//! The dry run of an uploaded workbook: its values put over the reports as they are now,
//! checked by the form's own checks (each refusal placed on its cell), and compared field by
//! field (`diff`). What it finds is what applying would write: applying runs the same steps
//! again inside its transaction.

use std::collections::HashMap;

use super::read::{EntryRows, Read, Uploaded};
use crate::i18n::*;
use crate::imports::model::{ChangeGroup, ChangeLine, Preview};
use crate::indicators::model::Indicator;
use crate::lang::Locale;
use crate::progress::checks::{check_entries, EntryInput, EntryValues, IndicatorInput};
use crate::progress::diff::entry_changes;
use crate::progress::fields::FieldName;
use crate::progress::view::{HistoryItem, SavedValue};
use crate::progress::workflow::ReportState;
use crate::spreadsheet::grid::{Place, Problem};

/// A country's report as it is now.
#[derive(Debug, Clone, PartialEq)]
pub struct CurrentReport {
    pub iso2: String,
    /// The country's name in the reader's language.
    pub country: String,
    /// 0: not started.
    pub version: i64,
    pub state: Option<ReportState>,
    /// May the importer change it now (its state and the period)?
    pub editable: bool,
    /// Every recommendation: number, title, the entry as stored, its stored values.
    pub entries: Vec<(i64, String, EntryValues, Vec<SavedValue>)>,
}

/// What applying writes to one country's report: the entries that change, as the form
/// would send them, over the version the workbook was made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub iso2: String,
    pub version: i64,
    pub entries: Vec<EntryInput>,
}

fn input_of(values: &EntryValues, recommendation: i64, indicators: &[Indicator]) -> EntryInput {
    EntryInput {
        recommendation,
        status: values
            .status
            .map(|s| s.as_str().to_string())
            .unwrap_or_default(),
        narrative: values.narrative.clone(),
        evidence: values.evidence.join("\n"),
        as_of: values.as_of.clone().unwrap_or_default(),
        indicators: indicators
            .iter()
            .filter(|i| i.recommendation == recommendation)
            .map(|i| IndicatorInput {
                id: i.id,
                value: values
                    .indicators
                    .iter()
                    .find(|(id, _)| *id == i.id)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default(),
            })
            .collect(),
    }
}

/// The file's rows put over the entry as it is: `input` as the form would send it, and where
/// each of its fields came from.
fn overlay(
    rows: &EntryRows,
    input: &mut EntryInput,
    index: usize,
    places: &mut HashMap<String, Place>,
) {
    use crate::progress::fields::EntryField;
    let mut set = |target: &mut String, read: &Option<Read>, field: EntryField| {
        if let Some(r) = read {
            *target = r.value.clone();
            places.insert(FieldName::entry(index, field).to_string(), r.place.clone());
        }
    };
    set(&mut input.status, &rows.status, EntryField::Status);
    set(&mut input.narrative, &rows.narrative, EntryField::Narrative);
    set(&mut input.evidence, &rows.evidence, EntryField::Evidence);
    set(&mut input.as_of, &rows.as_of, EntryField::AsOf);
    for (id, read) in &rows.indicators {
        if let Some(j) = input.indicators.iter().position(|i| i.id == *id) {
            input.indicators[j].value = read.value.clone();
            places.insert(
                FieldName::indicator_value(index, j).to_string(),
                read.place.clone(),
            );
        }
    }
}

fn line(change: &crate::progress::diff::Change, locale: Locale) -> ChangeLine {
    let (field, indicator) = change.field.history_field();
    let item = HistoryItem {
        at: String::new(),
        by: String::new(),
        field,
        indicator: indicator.map(str::to_string),
        old: change.old.clone(),
        new: change.new.clone(),
        version: 0,
    };
    ChangeLine {
        // The history's words run inside sentences ("narrative"); a table row starts with a
        // capital, as the workbook's column does.
        field: capitalised(&item.field_label(locale)),
        old: item.shown(locale, change.old.as_deref()),
        new: item.shown(locale, change.new.as_deref()),
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The dry run of `uploaded` over `current` (a report for each country of the workbook), and
/// what applying would write. `bulk` titles each group with its country.
pub fn preview(
    uploaded: &Uploaded,
    current: &[CurrentReport],
    indicators: &[Indicator],
    today: &str,
    bulk: bool,
    locale: Locale,
) -> (Preview, Vec<Plan>) {
    let mut out = Preview::default();
    let mut plans = vec![];
    for rows in &uploaded.countries {
        let Some(now) = current.iter().find(|c| c.iso2 == rows.iso2) else {
            out.problems.push(Problem::file(td_string!(
                locale,
                imports.unknown_country,
                country = &rows.iso2
            )));
            continue;
        };
        let mut inputs = vec![];
        let mut places = HashMap::new();
        for entry in &rows.entries {
            let Some((number, _, values, _)) =
                now.entries.iter().find(|e| e.0 == entry.recommendation)
            else {
                continue;
            };
            let mut input = input_of(values, *number, indicators);
            overlay(entry, &mut input, inputs.len(), &mut places);
            inputs.push(input);
        }
        let checked = match check_entries(&inputs, indicators, today, locale) {
            Ok(v) => v,
            Err(errors) => {
                out.problems
                    .extend(errors.into_iter().map(|e| match places.get(&e.field) {
                        Some(place) => Problem::at(place.clone(), e.message),
                        None => Problem::file(e.message),
                    }));
                continue;
            }
        };
        let mut changed = vec![];
        for (input, after) in inputs.into_iter().zip(checked) {
            let Some((number, title, before, saved)) =
                now.entries.iter().find(|e| e.0 == after.recommendation)
            else {
                continue;
            };
            let changes = entry_changes(before, saved, &after, indicators);
            if changes.is_empty() {
                continue;
            }
            let title = if bulk {
                format!("{} — {number}. {title}", now.country)
            } else {
                format!("{number}. {title}")
            };
            out.groups.push(ChangeGroup {
                title,
                lines: changes.iter().map(|c| line(c, locale)).collect(),
            });
            changed.push(input);
        }
        if changed.is_empty() {
            continue;
        }
        if !now.editable {
            out.problems.push(Problem::file(td_string!(
                locale,
                imports.not_editable,
                country = &now.country
            )));
            continue;
        }
        if now.version != rows.version {
            out.conflict.push(
                td_string!(
                    locale,
                    imports.conflict_line,
                    country = &now.country,
                    then = rows.version,
                    now = now.version
                )
                .to_string(),
            );
        }
        plans.push(Plan {
            iso2: rows.iso2.clone(),
            version: rows.version,
            entries: changed,
        });
    }
    let entries = out.groups.len();
    out.summary = if !out.problems.is_empty() {
        td_string!(locale, imports.summary_problems, count = out.problems.len()).to_string()
    } else if entries == 0 {
        td_string!(locale, imports.summary_no_changes).to_string()
    } else {
        td_string!(
            locale,
            imports.summary_changes,
            count = out.change_count(),
            entries = entries
        )
        .to_string()
    };
    (out, plans)
}

//! A survey written as an XLSForm, in the dialect the importer reads, so that exporting and
//! importing gives the same definition: every section a group (`field-list`: a section is
//! one page), introductions as notes, every text in a `label::Language (code)` column, each
//! question's choices in a list named after the question, a matrix as a `table-list` group
//! of `select_one` rows, bounds as a `constraint`, conditions as `relevant`.
//!
//! Text cells are written as text, never as formulas, and without the apostrophe the other
//! exports put before `=`, `+`, `-` or `@`: a typed string cell is not evaluated by
//! spreadsheets, the texts were written by the survey's admins, and XLSForm tools (and the
//! importer) would keep the apostrophe as part of the text.

use super::dialect::{self, language_header, language_spec};
use super::expr::{bounds_text, relevant_text, Unwritable};
use crate::spreadsheet::grid::{Cell, Format, Sheet, Workbook};
use crate::surveys::model::{Choice, Definition, Kind, Question, Text};

/// One row of the survey sheet.
#[derive(Default)]
struct Row<'d> {
    kind: String,
    name: String,
    label: Option<&'d Text>,
    hint: Option<&'d Text>,
    required: bool,
    relevant: Option<String>,
    constraint: Option<String>,
    appearance: &'static str,
    hidden: bool,
}

/// The three sheets as a grid (what [`to_xlsx`] writes, and what the importer reads).
pub fn to_workbook(def: &Definition, form_id: &str) -> Result<Workbook, Unwritable> {
    let default = def.default_language.as_str();
    let mut langs: Vec<&str> = vec![default];
    langs.extend(
        def.languages
            .iter()
            .map(String::as_str)
            .filter(|l| *l != default),
    );
    let kind_of = |code: &str| def.question(code).map(|q| &q.kind);
    let condition = |c: &Option<_>| match c {
        Some(c) => relevant_text(c, &kind_of),
        None => Ok(None),
    };

    let mut rows: Vec<Row> = Vec::new();
    let mut lists: Vec<(&str, Vec<Choice>)> = Vec::new();
    if !def.intro.is_empty() {
        rows.push(Row {
            kind: "note".into(),
            name: "_intro".into(),
            label: Some(&def.intro),
            ..Row::default()
        });
    }
    for s in &def.sections {
        rows.push(Row {
            kind: "begin_group".into(),
            name: s.code.clone(),
            label: Some(&s.title),
            relevant: condition(&s.show_if)?,
            appearance: "field-list",
            ..Row::default()
        });
        if !s.intro.is_empty() {
            rows.push(Row {
                kind: "note".into(),
                name: format!("_{}_intro", s.code),
                label: Some(&s.intro),
                ..Row::default()
            });
        }
        for q in &s.questions {
            question(q, condition(&q.show_if)?, &mut rows, &mut lists);
        }
        rows.push(Row {
            kind: "end_group".into(),
            ..Row::default()
        });
    }

    let text_cells = |t: Option<&Text>| -> Vec<String> {
        langs
            .iter()
            .map(|l| {
                t.and_then(|t| t.exact(l))
                    .map(str::to_string)
                    .unwrap_or_default()
            })
            .collect()
    };
    let headers = |prefix: &str| -> Vec<String> {
        langs.iter().map(|l| language_header(prefix, l)).collect()
    };
    let yes = |b: bool| if b { "yes".to_string() } else { String::new() };

    let mut survey = vec![[
        vec![dialect::TYPE.to_string(), dialect::NAME.to_string()],
        headers(dialect::LABEL),
        headers(dialect::HINT),
        [
            dialect::REQUIRED,
            dialect::RELEVANT,
            dialect::CONSTRAINT,
            dialect::APPEARANCE,
            dialect::HIDDEN,
        ]
        .map(str::to_string)
        .to_vec(),
    ]
    .concat()];
    for r in &rows {
        survey.push(
            [
                vec![r.kind.clone(), r.name.clone()],
                text_cells(r.label),
                text_cells(r.hint),
                vec![
                    yes(r.required),
                    r.relevant.clone().unwrap_or_default(),
                    r.constraint.clone().unwrap_or_default(),
                    r.appearance.to_string(),
                    yes(r.hidden),
                ],
            ]
            .concat(),
        );
    }

    let mut choices = vec![[
        vec![dialect::LIST_NAME.to_string(), dialect::NAME.to_string()],
        headers(dialect::LABEL),
    ]
    .concat()];
    for (list, items) in &lists {
        for c in items {
            choices.push(
                [
                    vec![list.to_string(), c.code.clone()],
                    text_cells(Some(&c.label)),
                ]
                .concat(),
            );
        }
    }

    let others: Vec<&str> = langs[1..].to_vec();
    let mut settings_head = vec![dialect::FORM_TITLE.to_string()];
    let mut settings_row = vec![def.title.exact(default).unwrap_or_default().to_string()];
    for l in &others {
        settings_head.push(language_header(dialect::FORM_TITLE, l));
        settings_row.push(def.title.exact(l).unwrap_or_default().to_string());
    }
    settings_head.extend([
        dialect::FORM_ID.to_string(),
        dialect::DEFAULT_LANGUAGE.to_string(),
    ]);
    settings_row.extend([form_id.to_string(), language_spec(default)]);

    Ok(Workbook {
        format: Format::Xlsx,
        sheets: vec![
            sheet(dialect::SURVEY, survey),
            sheet(dialect::CHOICES, choices),
            sheet(dialect::SETTINGS, vec![settings_head, settings_row]),
        ],
    })
}

/// The rows of one question, and its choice list if it has one.
fn question<'d>(
    q: &'d Question,
    relevant: Option<String>,
    rows: &mut Vec<Row<'d>>,
    lists: &mut Vec<(&'d str, Vec<Choice>)>,
) {
    let code = q.code.as_str();
    let mut row = Row {
        kind: String::new(),
        name: q.code.clone(),
        label: Some(&q.text),
        hint: Some(&q.help),
        required: q.required,
        relevant,
        hidden: q.hidden,
        ..Row::default()
    };
    match &q.kind {
        Kind::Single { choices } => {
            row.kind = format!("select_one {code}");
            lists.push((code, choices.clone()));
        }
        Kind::Multiple { choices, other } => {
            row.kind = format!(
                "select_multiple {code}{}",
                if *other { " or_other" } else { "" }
            );
            lists.push((code, choices.clone()));
        }
        Kind::Likert { scale } => {
            row.kind = format!("select_one {code}");
            row.appearance = "likert";
            lists.push((
                code,
                crate::surveys::model::definition::likert_choices(scale),
            ));
        }
        Kind::Number { min, max, integer } => {
            row.kind = if *integer { "integer" } else { "decimal" }.into();
            row.constraint = bounds_text(*min, *max);
        }
        Kind::ShortText => row.kind = "text".into(),
        Kind::LongText => {
            row.kind = "text".into();
            row.appearance = "multiline";
        }
        Kind::Date => row.kind = "date".into(),
        Kind::Matrix { rows: items, scale } => {
            // The group carries the question; its rows carry "required", as XLSForm asks
            // each row.
            row.kind = "begin_group".into();
            row.appearance = "table-list";
            row.required = false;
            rows.push(row);
            for item in items {
                rows.push(Row {
                    kind: format!("select_one {code}"),
                    name: item.code.clone(),
                    label: Some(&item.label),
                    required: q.required,
                    ..Row::default()
                });
            }
            rows.push(Row {
                kind: "end_group".into(),
                ..Row::default()
            });
            lists.push((code, scale.clone()));
            return;
        }
    }
    rows.push(row);
}

fn sheet(name: &str, rows: Vec<Vec<String>>) -> Sheet {
    Sheet {
        name: name.into(),
        rows: rows
            .into_iter()
            .map(|r| {
                r.into_iter()
                    .map(|v| {
                        if v.is_empty() {
                            Cell::Empty
                        } else {
                            Cell::Text(v)
                        }
                    })
                    .collect()
            })
            .collect(),
        ..Sheet::default()
    }
}

/// The survey as an XLSX file: `survey`, `choices` and `settings` sheets, headers in bold.
#[cfg(feature = "ssr")]
pub fn to_xlsx(
    def: &Definition,
    form_id: &str,
    locale: crate::lang::Locale,
) -> Result<Vec<u8>, crate::error::AppError> {
    use crate::error::AppError;
    use crate::i18n::*;
    let grid = to_workbook(def, form_id).map_err(|u| {
        AppError::Rejected(
            td_string!(
                locale,
                xlsform.export_unwritable,
                question = u.question,
                value = u.value
            )
            .to_string(),
        )
    })?;
    let failed = |e: rust_xlsxwriter::XlsxError| {
        tracing::error!(error = %e, "XLSForm writing failed");
        AppError::Internal
    };
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let mut book = rust_xlsxwriter::Workbook::new();
    for s in &grid.sheets {
        let ws = book.add_worksheet();
        ws.set_name(&s.name).map_err(failed)?;
        for (r, row) in s.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                if let Cell::Text(t) = cell {
                    if r == 0 {
                        ws.write_string_with_format(r as u32, c as u16, t, &bold)
                    } else {
                        ws.write_string(r as u32, c as u16, t)
                    }
                    .map_err(failed)?;
                }
            }
        }
        ws.set_freeze_panes(1, 0).map_err(failed)?;
    }
    book.save_to_buffer().map_err(failed)
}

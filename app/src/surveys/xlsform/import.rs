//! An XLSForm workbook read into a survey definition: the `settings` sheet (title, default
//! language), the `choices` sheet (lists), then the `survey` sheet row by row (`rows.rs`).
//! Every problem is collected, named by sheet, row and column; any problem and nothing is
//! imported. What is left out without changing the survey (interview metadata, display
//! appearances) is reported as a notice.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::dialect::{self, language_code, split_header};
use crate::i18n::*;
use crate::lang::Locale;
use crate::spreadsheet::grid::{Columns, Place, Problem, Sheet, Workbook};
use crate::surveys::model::definition::{is_code, language_name};
use crate::surveys::model::{Choice, Definition, Text};

/// The longest survey title, in characters (as the builder allows).
pub const TITLE_MAX: usize = 200;

/// A definition read from an XLSForm, ready to become a draft survey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Imported {
    pub definition: Definition,
    /// The title in the survey's default language.
    pub title: String,
    /// What was left out or read in a particular way (nothing that stops the import).
    pub notices: Vec<Problem>,
}

/// Reads `wb` as an XLSForm. `locale` is the reader's language, for the messages (and the
/// language assumed for texts in columns without one, when the settings do not say).
pub fn from_workbook(wb: &Workbook, locale: Locale) -> Result<Imported, Vec<Problem>> {
    let Some(survey) = wb.sheet(dialect::SURVEY) else {
        return Err(vec![Problem::at(
            Place::sheet(dialect::SURVEY),
            td_string!(locale, xlsform.no_survey_sheet),
        )]);
    };
    let mut cx = Cx {
        locale,
        problems: Vec::new(),
        notices: Vec::new(),
    };
    let survey_cols = match cx.columns(survey, &[dialect::TYPE, dialect::NAME]) {
        Some(c) => c,
        None => return Err(cx.problems),
    };
    let settings = wb
        .sheet(dialect::SETTINGS)
        .map(|s| Settings::read(s, &mut cx));
    let choices = wb.sheet(dialect::CHOICES).and_then(|s| {
        cx.columns(s, &[dialect::LIST_NAME, dialect::NAME])
            .map(|cols| (s, cols))
    });

    let survey_text = TextColumns::read(survey, &survey_cols, &mut cx);
    let choice_text = choices
        .as_ref()
        .map(|(s, cols)| TextColumns::read(s, cols, &mut cx));
    if survey_text.label.is_none() {
        cx.problem(
            Place::row(&survey.name, 1),
            td_string!(locale, xlsform.no_label_column),
        );
    }
    if let Some((s, _)) = &choices {
        if choice_text.as_ref().is_some_and(|t| t.label.is_none()) {
            cx.problem(
                Place::row(&s.name, 1),
                td_string!(locale, xlsform.no_label_column),
            );
        }
    }

    // The languages: the default first, then as the columns name them, left to right.
    let mut named: Vec<String> = Vec::new();
    let mut has_base = false;
    for t in [Some(&survey_text), choice_text.as_ref()]
        .into_iter()
        .flatten()
    {
        for cols in [&t.label, &t.hint].into_iter().flatten() {
            has_base |= cols.base.is_some();
            named.extend(cols.langs.iter().map(|(code, _)| code.clone()));
        }
    }
    if let Some(s) = &settings {
        has_base |= s.title.base.is_some();
        named.extend(s.title.langs.iter().map(|(code, _)| code.clone()));
    }
    let default = match settings.as_ref().and_then(|s| s.default_language.clone()) {
        Some(code) => code,
        None if has_base => {
            // Texts without a language: the reader's, unless a column already names it.
            let free = std::iter::once(locale)
                .chain(Locale::all().iter().copied())
                .map(Locale::tag)
                .find(|tag| !named.iter().any(|n| n == tag))
                .unwrap_or(locale.tag())
                .to_string();
            cx.notice(
                Place::sheet(dialect::SETTINGS),
                td_string!(
                    locale,
                    xlsform.default_language_assumed,
                    language = language_name(&free)
                )
                .to_string(),
            );
            free
        }
        None => named
            .first()
            .cloned()
            .unwrap_or_else(|| locale.tag().to_string()),
    };
    let mut languages = vec![default.clone()];
    for code in named {
        if !languages.contains(&code) {
            languages.push(code);
        }
    }

    let lists = match (&choices, &choice_text) {
        (Some((sheet, cols)), Some(text)) => Some(read_lists(sheet, cols, text, &default, &mut cx)),
        _ => None,
    };

    let built = super::rows::Rows::new(
        &mut cx,
        survey,
        &survey_cols,
        &survey_text,
        lists.as_ref(),
        // A choices sheet whose headers are wrong is already reported: not again as missing.
        wb.sheet(dialect::CHOICES).is_some(),
        &default,
    )
    .read();

    let title = settings
        .as_ref()
        .map(|s| s.title(&default, &mut cx))
        .unwrap_or_default();
    if title.is_empty() {
        cx.problem(
            Place::sheet(dialect::SETTINGS),
            td_string!(locale, xlsform.no_title),
        );
    }
    let plain_title = title.get(&default, &default).to_string();
    if plain_title.chars().count() > TITLE_MAX {
        cx.problem(
            Place::sheet(dialect::SETTINGS),
            td_string!(locale, xlsform.title_too_long, max = TITLE_MAX).to_string(),
        );
    }

    let definition = Definition {
        default_language: default,
        languages,
        title,
        intro: built.intro,
        sections: built.sections,
    };
    if cx.problems.is_empty() {
        // Whatever the checks above missed, the survey's own rules catch (in English: they
        // are the builder's sentences), placed at the row of the question they name.
        for (at, message) in definition.problems() {
            let place = built
                .rows_of
                .get(&at)
                .map(|row| Place::row(&survey.name, *row))
                .unwrap_or_else(|| Place::sheet(&survey.name));
            cx.problem(
                place,
                td_string!(locale, xlsform.not_valid, detail = message).to_string(),
            );
        }
    }
    if cx.problems.is_empty() {
        Ok(Imported {
            definition,
            title: plain_title,
            notices: cx.notices,
        })
    } else {
        Err(cx.problems)
    }
}

/// The problems and notices collected.
pub(super) struct Cx {
    pub locale: Locale,
    pub problems: Vec<Problem>,
    pub notices: Vec<Problem>,
}

impl Cx {
    pub fn problem(&mut self, place: Place, message: impl Into<String>) {
        self.problems.push(Problem::at(place, message));
    }

    pub fn notice(&mut self, place: Place, message: impl Into<String>) {
        self.notices.push(Problem::at(place, message));
    }

    /// The headers of row 1, or `None` (with the problems) when required ones are missing.
    fn columns(&mut self, sheet: &Sheet, required: &[&str]) -> Option<Columns> {
        let l = self.locale;
        match Columns::read(
            sheet,
            1,
            required,
            |c| td_string!(l, xlsform.column_missing, column = c).to_string(),
            |c| td_string!(l, xlsform.column_twice, column = c).to_string(),
        ) {
            Ok(c) => Some(c),
            Err(p) => {
                self.problems.extend(p);
                None
            }
        }
    }
}

/// The trimmed text of a cell, if any.
pub(super) fn cell(sheet: &Sheet, row: u32, column: Option<u32>) -> Option<String> {
    column.and_then(|c| sheet.cell(row, c).text().map(|t| t.into_owned()))
}

/// One text in several languages: the column without a language, and one per language.
#[derive(Debug, Default)]
pub(super) struct LangColumns {
    pub base: Option<u32>,
    pub langs: Vec<(String, u32)>,
}

impl LangColumns {
    /// The columns of `prefix` (`label`, `hint`, `form_title`) among `cols`.
    fn read(sheet: &Sheet, cols: &Columns, prefix: &str, cx: &mut Cx) -> Option<Self> {
        let mut out = LangColumns::default();
        let mut any = false;
        for (header, column) in &cols.found {
            let (base, lang) = split_header(header);
            if base != prefix {
                continue;
            }
            any = true;
            match lang.map(|l| (l, language_code(l))) {
                None => out.base = Some(*column),
                Some((_, Some(code))) => out.langs.push((code, *column)),
                Some((_, None)) => cx.problem(
                    sheet.place(1, *column),
                    td_string!(cx.locale, xlsform.bad_language, header = header).to_string(),
                ),
            }
        }
        any.then_some(out)
    }

    /// The text of `row`; the column without a language gives the default language's text
    /// where its own column is blank.
    pub fn text(&self, sheet: &Sheet, row: u32, default: &str) -> Text {
        let mut t = Text::default();
        for (code, column) in &self.langs {
            if let Some(v) = cell(sheet, row, Some(*column)) {
                t.set(code, &v);
            }
        }
        if t.exact(default).is_none() {
            if let Some(v) = cell(sheet, row, self.base) {
                t.set(default, &v);
            }
        }
        t
    }

    /// The first column, for problems about a missing text.
    pub fn first(&self) -> Option<u32> {
        self.base.or_else(|| self.langs.first().map(|(_, c)| *c))
    }
}

/// A sheet's label and hint columns.
pub(super) struct TextColumns {
    pub label: Option<LangColumns>,
    pub hint: Option<LangColumns>,
}

impl TextColumns {
    fn read(sheet: &Sheet, cols: &Columns, cx: &mut Cx) -> Self {
        Self {
            label: LangColumns::read(sheet, cols, dialect::LABEL, cx),
            hint: LangColumns::read(sheet, cols, dialect::HINT, cx),
        }
    }
}

/// The settings sheet: headers in row 1, values in row 2.
struct Settings {
    sheet_name: String,
    title: LangColumns,
    title_cells: Vec<(String, Option<String>)>,
    base_title: Option<String>,
    form_id: Option<String>,
    default_language: Option<String>,
}

impl Settings {
    fn read(sheet: &Sheet, cx: &mut Cx) -> Self {
        let cols = cx.columns(sheet, &[]).unwrap_or(Columns { found: vec![] });
        let title = LangColumns::read(sheet, &cols, dialect::FORM_TITLE, cx).unwrap_or_default();
        let value = |name: &str| cell(sheet, 2, cols.get(name));
        let default_language = value(dialect::DEFAULT_LANGUAGE).and_then(|v| {
            let code = language_code(&v);
            if code.is_none() {
                cx.problem(
                    sheet.place(2, cols.get(dialect::DEFAULT_LANGUAGE).unwrap_or(0)),
                    td_string!(cx.locale, xlsform.bad_default_language, value = v).to_string(),
                );
            }
            code
        });
        Self {
            sheet_name: sheet.name.clone(),
            title_cells: title
                .langs
                .iter()
                .map(|(code, c)| (code.clone(), cell(sheet, 2, Some(*c))))
                .collect(),
            base_title: cell(sheet, 2, title.base),
            title,
            form_id: value(dialect::FORM_ID),
            default_language,
        }
    }

    /// The title: `form_title` (per language), else the `form_id` (said in a notice).
    fn title(&self, default: &str, cx: &mut Cx) -> Text {
        let mut t = Text::default();
        for (code, v) in &self.title_cells {
            if let Some(v) = v {
                t.set(code, v);
            }
        }
        if t.exact(default).is_none() {
            if let Some(v) = &self.base_title {
                t.set(default, v);
            }
        }
        if t.is_empty() {
            if let Some(id) = &self.form_id {
                cx.notice(
                    Place::sheet(&self.sheet_name),
                    td_string!(cx.locale, xlsform.title_from_form_id, id = id).to_string(),
                );
                t.set(default, id);
            }
        }
        t
    }
}

/// A choice list of the choices sheet.
#[derive(Debug, Clone)]
pub(super) struct List {
    pub choices: Vec<Choice>,
}

/// The choices sheet's lists by name.
fn read_lists(
    sheet: &Sheet,
    cols: &Columns,
    text: &TextColumns,
    default: &str,
    cx: &mut Cx,
) -> HashMap<String, List> {
    let l = cx.locale;
    let list_col = cols.get(dialect::LIST_NAME);
    let name_col = cols.get(dialect::NAME);
    let mut lists: HashMap<String, List> = HashMap::new();
    // (list, name) → row, to name the first row when a name comes twice.
    let mut seen: HashMap<(String, String), u32> = HashMap::new();
    for row in 2..=sheet.last_row() {
        let list = cell(sheet, row, list_col);
        let name = cell(sheet, row, name_col);
        let label = text
            .label
            .as_ref()
            .map(|c| c.text(sheet, row, default))
            .unwrap_or_default();
        let (list, name) = match (list, name) {
            (None, None) if label.is_empty() => continue,
            (None, _) => {
                cx.problem(
                    sheet.place(row, list_col.unwrap_or(0)),
                    td_string!(l, xlsform.choice_no_list),
                );
                continue;
            }
            (Some(_), None) => {
                cx.problem(
                    sheet.place(row, name_col.unwrap_or(0)),
                    td_string!(l, xlsform.no_name),
                );
                continue;
            }
            (Some(list), Some(name)) => (list, name),
        };
        if !is_code(&name) {
            cx.problem(
                sheet.place(row, name_col.unwrap_or(0)),
                td_string!(l, xlsform.bad_name, name = &name).to_string(),
            );
        }
        if let Some(first) = seen.insert((list.clone(), name.clone()), row) {
            cx.problem(
                sheet.place(row, name_col.unwrap_or(0)),
                td_string!(
                    l,
                    xlsform.choice_duplicate,
                    name = &name,
                    list = &list,
                    row = first
                )
                .to_string(),
            );
            // The first keeps its place (so the lists stay usable for the other checks).
            seen.insert((list.clone(), name.clone()), first);
            continue;
        }
        if label.is_empty() {
            cx.problem(
                sheet.place(
                    row,
                    text.label
                        .as_ref()
                        .and_then(LangColumns::first)
                        .unwrap_or(0),
                ),
                td_string!(l, xlsform.no_label),
            );
        }
        lists
            .entry(list)
            .or_insert_with(|| List {
                choices: Vec::new(),
            })
            .choices
            .push(Choice { code: name, label });
    }
    lists
}

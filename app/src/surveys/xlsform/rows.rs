//! The survey sheet read row by row: groups become sections (questions outside any group go
//! into sections of their own), `table-list` groups become matrix questions, notes become
//! introductions, and each question row becomes a question of the surveys' kinds.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::dialect::{self, split_header};
use super::expr::{self, Earlier};
use super::import::{cell, Cx, List, TextColumns};
use super::msg::{self, Reason};
use crate::i18n::*;
use crate::spreadsheet::grid::{Columns, Place, Sheet};
use crate::surveys::model::definition::is_code;
use crate::surveys::model::{Choice, Condition, Kind, Question, Section, Text};

/// What the survey sheet gave.
pub(super) struct Built {
    pub intro: Text,
    pub sections: Vec<Section>,
    /// The row of each question and section code, to place later problems.
    pub rows_of: HashMap<String, u32>,
}

/// Interview metadata: recorded by data-collection apps, not answered; left out.
const METADATA: [&str; 10] = [
    "start",
    "end",
    "today",
    "deviceid",
    "subscriberid",
    "simserial",
    "phonenumber",
    "username",
    "email",
    "audit",
];

/// Columns whose content surveys have no place for: said once each, in a notice.
const IGNORED_COLUMNS: [&str; 7] = [
    "default",
    "image",
    "audio",
    "video",
    "big-image",
    "media",
    "read_only",
];

fn reason_for(kind: &str) -> Reason {
    match kind {
        "begin_repeat" | "end_repeat" => Reason::Repeat,
        "calculate" => Reason::Calculate,
        "geopoint" | "geotrace" | "geoshape" | "start-geopoint" | "background-geopoint" => {
            Reason::Gps
        }
        "image" | "audio" | "video" | "file" | "barcode" | "photo" | "background-audio"
        | "background-video" => Reason::Media,
        "select_one_from_file"
        | "select_multiple_from_file"
        | "select_one_external"
        | "select_multiple_external"
        | "csv-external"
        | "xml-external"
        | "osm" => Reason::External,
        "rank" => Reason::Rank,
        "range" => Reason::Range,
        "acknowledge" | "trigger" => Reason::Acknowledge,
        "hidden" => Reason::Hidden,
        "time" | "datetime" => Reason::Time,
        _ => Reason::Unknown,
    }
}

/// The type's first word, lower case (`begin group` and `select one` read as `begin_group`
/// and `select_one`), and the words after it as written (list names keep their case).
fn type_words(text: &str) -> (String, Vec<&str>) {
    let words: Vec<&str> = text.split_whitespace().collect();
    let first = words.first().map(|w| w.to_lowercase()).unwrap_or_default();
    match words.get(1) {
        Some(second) if matches!(first.as_str(), "begin" | "end" | "select") => (
            format!("{first}_{}", second.to_lowercase()),
            words[2..].to_vec(),
        ),
        _ => (first, words.get(1..).unwrap_or_default().to_vec()),
    }
}

/// A section being read; `code` is `None` for questions outside any group (coded at the end).
struct Draft {
    code: Option<String>,
    title: Text,
    intro: Vec<Text>,
    show_if: Option<Condition>,
    questions: Vec<Question>,
}

/// A `table-list` group being read into a matrix question.
struct Matrix {
    row: u32,
    code: Option<String>,
    text: Text,
    help: Text,
    required: bool,
    hidden: bool,
    show_if: Option<Condition>,
    list: Option<String>,
    rows: Vec<Choice>,
    row_names: HashMap<String, u32>,
    required_rows: usize,
}

/// An open group.
enum Frame {
    Section {
        row: u32,
    },
    Matrix(Box<Matrix>),
    /// A group or repeat already reported as not importable; its rows are still checked.
    Skipped {
        row: u32,
        repeat: bool,
    },
}

impl Frame {
    fn row(&self) -> u32 {
        match self {
            Frame::Section { row } | Frame::Skipped { row, .. } => *row,
            Frame::Matrix(m) => m.row,
        }
    }
}

/// The survey sheet's columns.
struct Cols {
    kind: Option<u32>,
    name: Option<u32>,
    required: Option<u32>,
    relevant: Option<u32>,
    constraint: Option<u32>,
    appearance: Option<u32>,
    choice_filter: Option<u32>,
    hidden: Option<u32>,
}

pub(super) struct Rows<'a> {
    cx: &'a mut Cx,
    sheet: &'a Sheet,
    all_cols: &'a Columns,
    cols: Cols,
    text: &'a TextColumns,
    lists: Option<&'a HashMap<String, List>>,
    choices_exist: bool,
    default: &'a str,
    intro: Vec<Text>,
    sections: Vec<Draft>,
    stack: Vec<Frame>,
    /// The last section is one of questions outside groups, still taking them.
    implicit_open: bool,
    question_rows: HashMap<String, u32>,
    section_rows: HashMap<String, u32>,
    earlier: HashMap<String, (Kind, Option<Vec<String>>)>,
    rows_of: HashMap<String, u32>,
    told_no_choices: bool,
}

impl<'a> Rows<'a> {
    pub fn new(
        cx: &'a mut Cx,
        sheet: &'a Sheet,
        all_cols: &'a Columns,
        text: &'a TextColumns,
        lists: Option<&'a HashMap<String, List>>,
        choices_exist: bool,
        default: &'a str,
    ) -> Self {
        let cols = Cols {
            kind: all_cols.get(dialect::TYPE),
            name: all_cols.get(dialect::NAME),
            required: all_cols.get(dialect::REQUIRED),
            relevant: all_cols.get(dialect::RELEVANT),
            constraint: all_cols.get(dialect::CONSTRAINT),
            appearance: all_cols.get(dialect::APPEARANCE),
            choice_filter: all_cols.get(dialect::CHOICE_FILTER),
            hidden: all_cols.get(dialect::HIDDEN),
        };
        Self {
            cx,
            sheet,
            all_cols,
            cols,
            text,
            lists,
            choices_exist,
            default,
            intro: Vec::new(),
            sections: Vec::new(),
            stack: Vec::new(),
            implicit_open: false,
            question_rows: HashMap::new(),
            section_rows: HashMap::new(),
            earlier: HashMap::new(),
            rows_of: HashMap::new(),
            told_no_choices: false,
        }
    }

    fn place(&self, row: u32, column: Option<u32>) -> Place {
        match column {
            Some(c) => self.sheet.place(row, c),
            None => Place::row(&self.sheet.name, row),
        }
    }

    fn problem(&mut self, row: u32, column: Option<u32>, message: impl Into<String>) {
        let place = self.place(row, column);
        self.cx.problem(place, message);
    }

    fn notice(&mut self, row: u32, column: Option<u32>, message: impl Into<String>) {
        let place = self.place(row, column);
        self.cx.notice(place, message);
    }

    fn get(&self, row: u32, column: Option<u32>) -> Option<String> {
        cell(self.sheet, row, column)
    }

    fn label(&self, row: u32) -> Text {
        self.text
            .label
            .as_ref()
            .map(|c| c.text(self.sheet, row, self.default))
            .unwrap_or_default()
    }

    fn hint(&self, row: u32) -> Text {
        self.text
            .hint
            .as_ref()
            .map(|c| c.text(self.sheet, row, self.default))
            .unwrap_or_default()
    }

    fn label_column(&self) -> Option<u32> {
        self.text.label.as_ref().and_then(|c| c.first())
    }

    /// Reads every row.
    pub fn read(mut self) -> Built {
        self.ignored_columns();
        for row in 2..=self.sheet.last_row() {
            self.row(row);
        }
        for frame in std::mem::take(&mut self.stack) {
            let l = self.cx.locale;
            self.problem(
                frame.row(),
                self.cols.kind,
                td_string!(l, xlsform.unclosed_group),
            );
        }
        if self.sections.iter().all(|s| s.questions.is_empty()) {
            let place = Place::sheet(&self.sheet.name);
            self.cx
                .problem(place, td_string!(self.cx.locale, xlsform.no_questions));
        }
        let mut used: HashSet<String> = self
            .sections
            .iter()
            .filter_map(|s| s.code.clone())
            .collect();
        let mut n = 0;
        let sections = self
            .sections
            .into_iter()
            .map(|d| {
                let code = d.code.unwrap_or_else(|| loop {
                    n += 1;
                    let c = format!("S{n}");
                    if used.insert(c.clone()) {
                        break c;
                    }
                });
                Section {
                    code,
                    title: d.title,
                    intro: join(&d.intro),
                    show_if: d.show_if,
                    questions: d.questions,
                }
            })
            .collect();
        Built {
            intro: join(&self.intro),
            sections,
            rows_of: self.rows_of,
        }
    }

    /// A notice for each column whose content is dropped, when a row uses it.
    fn ignored_columns(&mut self) {
        let last = self.sheet.last_row();
        for (header, column) in &self.all_cols.found {
            let (base, _) = split_header(header);
            let used = (2..=last).any(|r| !self.sheet.cell(r, *column).is_blank());
            if used && IGNORED_COLUMNS.contains(&base.as_str()) {
                let place = self.sheet.place(1, *column);
                let m = td_string!(self.cx.locale, xlsform.column_ignored, column = header);
                self.cx.notice(place, m.to_string());
            }
        }
    }

    fn row(&mut self, row: u32) {
        let l = self.cx.locale;
        let Some(type_text) = self.get(row, self.cols.kind) else {
            if self.get(row, self.cols.name).is_some() || !self.label(row).is_empty() {
                self.problem(row, self.cols.kind, td_string!(l, xlsform.no_type));
            }
            return;
        };
        let (kind, rest) = type_words(&type_text);
        match kind.as_str() {
            "begin_group" => self.begin_group(row),
            "end_group" => self.end(row, false, &type_text),
            "end_repeat" => self.end(row, true, &type_text),
            "begin_repeat" => {
                self.unsupported(row, &type_text, Reason::Repeat);
                self.stack.push(Frame::Skipped { row, repeat: true });
            }
            "note" => self.note(row),
            k if METADATA.contains(&k) => {
                let m = td_string!(l, xlsform.metadata_ignored, kind = type_text);
                self.notice(row, self.cols.kind, m.to_string());
            }
            "text" | "integer" | "decimal" | "date" if !rest.is_empty() => {
                self.unsupported(row, &type_text, Reason::Unknown)
            }
            "text" | "integer" | "decimal" | "date" | "select_one" | "select_multiple" => {
                if self.in_matrix() {
                    self.matrix_row(row, &kind, &rest);
                } else {
                    self.question(row, &kind, &rest, &type_text);
                }
            }
            other => self.unsupported(row, &type_text, reason_for(other)),
        }
    }

    fn unsupported(&mut self, row: u32, type_text: &str, reason: Reason) {
        let m = msg::unsupported_type(self.cx.locale, type_text, reason);
        self.problem(row, self.cols.kind, m);
    }

    fn in_matrix(&self) -> bool {
        self.stack.iter().any(|f| matches!(f, Frame::Matrix(_)))
    }

    fn in_section(&self) -> bool {
        self.stack
            .iter()
            .any(|f| matches!(f, Frame::Section { .. }))
    }

    fn matrix_mut(&mut self) -> Option<&mut Matrix> {
        self.stack.iter_mut().rev().find_map(|f| match f {
            Frame::Matrix(m) => Some(m.as_mut()),
            _ => None,
        })
    }

    /// The section a question or note outside a table goes into: the open group's, else a
    /// section of questions outside groups.
    fn current_section(&mut self) -> &mut Draft {
        if !self.in_section() && !self.implicit_open {
            self.sections.push(Draft {
                code: None,
                title: Text::default(),
                intro: Vec::new(),
                show_if: None,
                questions: Vec::new(),
            });
            self.implicit_open = true;
        }
        // Pushed just above when there was none.
        let last = self.sections.len() - 1;
        &mut self.sections[last]
    }

    fn appearance(&self, row: u32) -> Vec<String> {
        self.get(row, self.cols.appearance)
            .map(|a| a.split_whitespace().map(str::to_lowercase).collect())
            .unwrap_or_default()
    }

    fn appearance_ignored(&mut self, row: u32, words: &[String]) {
        for w in words {
            let m = td_string!(self.cx.locale, xlsform.appearance_ignored, appearance = w);
            self.notice(row, self.cols.appearance, m.to_string());
        }
    }

    /// The row's name, checked: a valid code, not used before in `rows` (questions or
    /// sections).
    fn name(&mut self, row: u32, section: bool) -> Option<String> {
        let l = self.cx.locale;
        let Some(name) = self.get(row, self.cols.name) else {
            self.problem(row, self.cols.name, td_string!(l, xlsform.no_name));
            return None;
        };
        if !is_code(&name) {
            let m = td_string!(l, xlsform.bad_name, name = name).to_string();
            self.problem(row, self.cols.name, m);
            return None;
        }
        let seen = if section {
            &mut self.section_rows
        } else {
            &mut self.question_rows
        };
        if let Some(first) = seen.get(&name).copied() {
            let m = td_string!(l, xlsform.duplicate_name, name = name, row = first).to_string();
            self.problem(row, self.cols.name, m);
            return None;
        }
        seen.insert(name.clone(), row);
        self.rows_of.insert(name.clone(), row);
        Some(name)
    }

    /// The row's label, which must be given.
    fn required_label(&mut self, row: u32) -> Text {
        let text = self.label(row);
        if text.is_empty() {
            let l = self.cx.locale;
            self.problem(row, self.label_column(), td_string!(l, xlsform.no_label));
        }
        self.piping(row, &text);
        text
    }

    /// Answers inserted in texts (`${q}`) are not: said once per row.
    fn piping(&mut self, row: u32, text: &Text) {
        let reference = text.0.values().find_map(|t| {
            let start = t.find("${")?;
            let end = t[start..].find('}')?;
            Some(t[start..start + end + 1].to_string())
        });
        if let Some(reference) = reference {
            let m = td_string!(self.cx.locale, xlsform.piping, reference = reference);
            self.notice(row, self.label_column(), m.to_string());
        }
    }

    fn yes_no(&mut self, row: u32, column: Option<u32>) -> bool {
        let value = self.get(row, column);
        match dialect::yes_no(value.as_deref()) {
            Some(b) => b,
            None => {
                let m = td_string!(
                    self.cx.locale,
                    xlsform.bad_yes_no,
                    value = value.unwrap_or_default()
                );
                self.problem(row, column, m.to_string());
                false
            }
        }
    }

    /// The row's `relevant` as a condition on the questions read so far.
    fn relevant(&mut self, row: u32) -> Option<Condition> {
        let src = self.get(row, self.cols.relevant)?;
        let known = &self.earlier;
        let lookup = |code: &str| {
            known.get(code).map(|(kind, names)| Earlier {
                kind,
                names: names.as_deref(),
            })
        };
        match expr::relevant(&src, &lookup) {
            Ok(r) => {
                for q in r.multiple_equals {
                    let m = td_string!(
                        self.cx.locale,
                        xlsform.multiple_equals,
                        question = format!("${{{q}}}")
                    );
                    let place = self.place(row, self.cols.relevant);
                    self.cx.notice(place, m.to_string());
                }
                Some(r.condition)
            }
            Err(e) => {
                let m = msg::relevant(self.cx.locale, &e);
                self.problem(row, self.cols.relevant, m);
                None
            }
        }
    }

    fn no_choice_filter(&mut self, row: u32) {
        if self.get(row, self.cols.choice_filter).is_some() {
            let l = self.cx.locale;
            self.problem(
                row,
                self.cols.choice_filter,
                td_string!(l, xlsform.choice_filter),
            );
        }
    }

    /// The choice list named on a select row.
    fn list(&mut self, row: u32, name: &str) -> Option<&'a List> {
        let l = self.cx.locale;
        let Some(lists) = self.lists else {
            if !self.choices_exist && !self.told_no_choices {
                self.told_no_choices = true;
                self.cx.problem(
                    Place::sheet(dialect::CHOICES),
                    td_string!(l, xlsform.no_choices_sheet),
                );
            }
            return None;
        };
        let found = lists.get(name);
        if found.is_none() {
            let m = td_string!(l, xlsform.unknown_list, list = name).to_string();
            self.problem(row, self.cols.kind, m);
        }
        found
    }

    fn begin_group(&mut self, row: u32) {
        let l = self.cx.locale;
        let mut appearance = self.appearance(row);
        let table = appearance.iter().any(|a| a == "table-list");
        if self.in_matrix() || (!table && !self.stack.is_empty()) {
            self.problem(row, self.cols.kind, td_string!(l, xlsform.nested_group));
            self.stack.push(Frame::Skipped { row, repeat: false });
            return;
        }
        // Sections are pages already: `field-list` says nothing more.
        appearance.retain(|a| a != "field-list" && a != "table-list");
        self.appearance_ignored(row, &appearance);
        if table {
            let code = self.name(row, false);
            let text = self.required_label(row);
            let matrix = Matrix {
                row,
                code,
                text,
                help: self.hint(row),
                required: self.yes_no(row, self.cols.required),
                hidden: self.yes_no(row, self.cols.hidden),
                show_if: self.relevant(row),
                list: None,
                rows: Vec::new(),
                row_names: HashMap::new(),
                required_rows: 0,
            };
            self.stack.push(Frame::Matrix(Box::new(matrix)));
            return;
        }
        let code = self.name(row, true).unwrap_or_default();
        let title = self.label(row);
        let hint = self.hint(row);
        let show_if = self.relevant(row);
        self.sections.push(Draft {
            code: Some(code),
            title,
            intro: if hint.is_empty() { vec![] } else { vec![hint] },
            show_if,
            questions: Vec::new(),
        });
        self.implicit_open = false;
        self.stack.push(Frame::Section { row });
    }

    fn end(&mut self, row: u32, repeat: bool, type_text: &str) {
        match self.stack.pop() {
            Some(Frame::Section { .. }) if !repeat => self.implicit_open = false,
            Some(Frame::Matrix(m)) if !repeat => self.finish_matrix(*m),
            Some(Frame::Skipped { repeat: r, .. }) if r == repeat => {}
            other => {
                if let Some(f) = other {
                    self.stack.push(f);
                }
                let m = td_string!(self.cx.locale, xlsform.end_without_begin, kind = type_text);
                self.problem(row, self.cols.kind, m.to_string());
            }
        }
    }

    fn note(&mut self, row: u32) {
        let l = self.cx.locale;
        if self.in_matrix() {
            self.problem(row, self.cols.kind, td_string!(l, xlsform.table_row_kind));
            return;
        }
        let text = self.required_label(row);
        if text.is_empty() {
            return;
        }
        if !self.in_section() && self.sections.is_empty() {
            self.intro.push(text);
            return;
        }
        let section = self.current_section();
        let after_questions = !section.questions.is_empty();
        section.intro.push(text);
        if after_questions {
            self.notice(row, self.cols.kind, td_string!(l, xlsform.note_moved));
        }
    }

    fn question(&mut self, row: u32, kind_word: &str, rest: &[&str], type_text: &str) {
        let l = self.cx.locale;
        let code = self.name(row, false);
        let text = self.required_label(row);
        let help = self.hint(row);
        let required = self.yes_no(row, self.cols.required);
        let hidden = self.yes_no(row, self.cols.hidden);
        let show_if = self.relevant(row);
        self.no_choice_filter(row);
        let mut appearance = self.appearance(row);
        let mut take = |word: &str| {
            let had = appearance.iter().any(|a| a == word);
            appearance.retain(|a| a != word);
            had
        };
        let constraint = self.get(row, self.cols.constraint);
        let (kind, names) = match kind_word {
            "text" if take("multiline") => (Some(Kind::LongText), None),
            "text" => (Some(Kind::ShortText), None),
            "date" => (Some(Kind::Date), None),
            "integer" | "decimal" => {
                let (min, max) = match constraint.as_deref().map(expr::bounds) {
                    None => (None, None),
                    Some(Ok(b)) => b,
                    Some(Err(e)) => {
                        let m = msg::constraint(l, &e);
                        self.problem(row, self.cols.constraint, m);
                        (None, None)
                    }
                };
                if let (Some(a), Some(b)) = (min, max) {
                    if a > b {
                        let m = td_string!(l, xlsform.min_above_max);
                        self.problem(row, self.cols.constraint, m);
                    }
                }
                let integer = kind_word == "integer";
                (Some(Kind::Number { min, max, integer }), None)
            }
            _ => {
                let likert = kind_word == "select_one" && take("likert");
                match self.select(row, kind_word, rest, likert, type_text) {
                    Some((kind, names)) => (Some(kind), names),
                    None => (None, None),
                }
            }
        };
        if constraint.is_some() && !matches!(kind, Some(Kind::Number { .. })) {
            let m = td_string!(l, xlsform.constraint_not_number);
            self.problem(row, self.cols.constraint, m);
        }
        self.appearance_ignored(row, &appearance);
        let (Some(code), Some(kind)) = (code, kind) else {
            return;
        };
        self.earlier.insert(code.clone(), (kind.clone(), names));
        self.current_section().questions.push(Question {
            code,
            kind,
            text,
            help,
            required,
            hidden,
            show_if,
        });
    }

    /// A select's kind: one or several of a list's choices, or a Likert scale of its choices
    /// (with their names, which conditions may use).
    fn select(
        &mut self,
        row: u32,
        kind_word: &str,
        rest: &[&str],
        likert: bool,
        type_text: &str,
    ) -> Option<(Kind, Option<Vec<String>>)> {
        let l = self.cx.locale;
        let Some(list_name) = rest.first() else {
            let m = td_string!(l, xlsform.no_list, kind = kind_word).to_string();
            self.problem(row, self.cols.kind, m);
            return None;
        };
        if list_name.eq_ignore_ascii_case("from") {
            self.unsupported(row, type_text, Reason::External);
            return None;
        }
        let other = match rest.get(1) {
            None => false,
            Some(w) if w.eq_ignore_ascii_case("or_other") && rest.len() == 2 => true,
            Some(_) => {
                self.unsupported(row, type_text, Reason::Unknown);
                return None;
            }
        };
        if other && kind_word == "select_one" {
            let m = td_string!(l, xlsform.other_only_multiple);
            self.problem(row, self.cols.kind, m);
        }
        let list = self.list(row, list_name)?;
        let n = list.choices.len();
        if likert {
            if !(2..=11).contains(&n) {
                let m = td_string!(l, xlsform.likert_points, list = list_name, n = n);
                self.problem(row, self.cols.kind, m.to_string());
            }
            let names: Vec<String> = list.choices.iter().map(|c| c.code.clone()).collect();
            if names
                .iter()
                .enumerate()
                .any(|(i, name)| *name != (i + 1).to_string())
            {
                let m = td_string!(l, xlsform.likert_renumbered, list = list_name, n = n);
                self.notice(row, self.cols.kind, m.to_string());
            }
            let scale = list.choices.iter().map(|c| c.label.clone()).collect();
            return Some((Kind::Likert { scale }, Some(names)));
        }
        if n < 2 {
            let m = td_string!(l, xlsform.list_too_short, list = list_name).to_string();
            self.problem(row, self.cols.kind, m);
        }
        let choices = list.choices.clone();
        Some((
            if kind_word == "select_one" {
                Kind::Single { choices }
            } else {
                Kind::Multiple { choices, other }
            },
            None,
        ))
    }

    /// A question inside a `table-list` group: one row of the matrix.
    fn matrix_row(&mut self, row: u32, kind_word: &str, rest: &[&str]) {
        let l = self.cx.locale;
        let [list_name] = rest else {
            self.problem(row, self.cols.kind, td_string!(l, xlsform.table_row_kind));
            return;
        };
        if kind_word != "select_one" {
            self.problem(row, self.cols.kind, td_string!(l, xlsform.table_row_kind));
            return;
        }
        // The old idiom's header row (`label` appearance) shows the choices; it asks nothing.
        if self.appearance(row).iter().any(|a| a == "label") {
            return;
        }
        self.list(row, list_name);
        for (column, header) in [
            (self.cols.relevant, dialect::RELEVANT),
            (self.cols.constraint, dialect::CONSTRAINT),
            (self.cols.choice_filter, dialect::CHOICE_FILTER),
        ] {
            if self.get(row, column).is_some() {
                let m = td_string!(l, xlsform.table_row_setting, column = header);
                self.problem(row, column, m.to_string());
            }
        }
        if !self.hint(row).is_empty() {
            let column = self.text.hint.as_ref().and_then(|c| c.first());
            self.notice(row, column, td_string!(l, xlsform.table_hint_ignored));
        }
        let name = self.get(row, self.cols.name);
        let label = self.required_label(row);
        let required = self.yes_no(row, self.cols.required);
        let (name_col, kind_col) = (self.cols.name, self.cols.kind);
        let mut problems = Vec::new();
        let Some(m) = self.matrix_mut() else {
            return;
        };
        match &m.list {
            None => m.list = Some(list_name.to_string()),
            Some(first) if first != list_name => problems.push((
                row,
                kind_col,
                td_string!(l, xlsform.table_row_kind).to_string(),
            )),
            Some(_) => {}
        }
        match name {
            None => problems.push((row, name_col, td_string!(l, xlsform.no_name).to_string())),
            Some(name) if !is_code(&name) => problems.push((
                row,
                name_col,
                td_string!(l, xlsform.bad_name, name = name).to_string(),
            )),
            Some(name) => {
                if let Some(first) = m.row_names.get(&name) {
                    problems.push((
                        row,
                        name_col,
                        td_string!(l, xlsform.duplicate_name, name = name, row = first).to_string(),
                    ));
                } else {
                    m.row_names.insert(name.clone(), row);
                    m.required_rows += usize::from(required);
                    m.rows.push(Choice { code: name, label });
                }
            }
        }
        for (row, column, message) in problems {
            self.problem(row, column, message);
        }
    }

    fn finish_matrix(&mut self, m: Matrix) {
        let l = self.cx.locale;
        if m.rows.is_empty() {
            self.problem(m.row, self.cols.kind, td_string!(l, xlsform.empty_table));
        }
        let scale = m
            .list
            .as_ref()
            .and_then(|name| self.lists.and_then(|lists| lists.get(name)))
            .map(|list| list.choices.clone())
            .unwrap_or_default();
        if let Some(name) = &m.list {
            if scale.len() < 2 && self.lists.is_some_and(|lists| lists.contains_key(name)) {
                let msg = td_string!(l, xlsform.list_too_short, list = name).to_string();
                self.problem(m.row, self.cols.kind, msg);
            }
        }
        if m.required_rows > 0 && m.required_rows < m.rows.len() {
            self.notice(
                m.row,
                self.cols.required,
                td_string!(l, xlsform.table_required_mixed),
            );
        }
        let Some(code) = m.code else {
            return;
        };
        let kind = Kind::Matrix {
            rows: m.rows,
            scale,
        };
        self.earlier.insert(code.clone(), (kind.clone(), None));
        self.current_section().questions.push(Question {
            code,
            kind,
            text: m.text,
            help: m.help,
            required: m.required || m.required_rows > 0,
            hidden: m.hidden,
            show_if: m.show_if,
        });
    }
}

/// Several texts as one, paragraph after paragraph, in each language.
fn join(pieces: &[Text]) -> Text {
    let mut out: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for piece in pieces {
        for (lang, text) in &piece.0 {
            if !text.trim().is_empty() {
                out.entry(lang.clone()).or_default().push(text);
            }
        }
    }
    Text(
        out.into_iter()
            .map(|(lang, parts)| (lang, parts.join("\n\n")))
            .collect(),
    )
}

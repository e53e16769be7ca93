//! Legacy responses (admins): past answers collected elsewhere — on paper, in another tool, in
//! an export of this application — imported from a workbook into a survey, checked as a
//! respondent's answers are, shown as a dry run, then written all or nothing.
//!
//! [`plan`] reads the workbook (pure, no database) and either refuses it with every problem,
//! each naming its sheet, row and column, or gives the [`Plan`]: the responses to write and
//! notices (the dry run). `service` (server only) applies a plan in one transaction, or, as
//! applying a checked file does, reads, checks and writes the file at once
//! (`service::import_file`: the same reader on rows streamed from the file, chunk by chunk
//! on several threads, taken back in the rows' order).
//!
//! **The file.** The sheet named "Responses" (what the export writes), else the first visible
//! sheet. Row 1 names the columns (see `columns`: question codes, `Q2.a` per choice of a
//! multiple choice, `Q3.r1` per matrix row, and the export's response columns), compared
//! ignoring case; a column that names nothing known is a problem at its name; a question
//! without a column is not answered. When row 2 repeats the columns in words (as the export
//! writes them), it is skipped. Blank rows are skipped. So an export imported into an empty
//! copy of its survey gives the same answers.
//!
//! **Cells.** Choices by code or by label in any of the survey's languages (ignoring case and
//! spacing; a code wins over a label); a multiple choice's own cell lists choices separated by
//! `;` (or `,` when every part is a choice), its per-choice columns hold 1 or nothing; dates as
//! date cells, Excel serial numbers or text (`YYYY-MM-DD`, `DD/MM/YYYY`); numbers as number
//! cells or text (`12,5` too); texts lose the apostrophe an export put before a formula start.
//! `submitted_on` (or `submitted_at`, a date or a timestamp: the day is kept, as for every
//! response) is kept when given, otherwise the day of the import; `language` is kept when it is
//! a language code, else the survey's default; `country` (code or name: checked against the
//! database by [`Plan::countries`]) and `member_type` are kept as the results filter on them.
//!
//! **Checks, decided.** Each row goes through the survey's own checks (`answers::walk`:
//! choices, bounds, lengths, dates, conditions), with three decisions for past data:
//! - *Required* questions are not enforced: past responses were collected under other rules
//!   and a missing column means "not answered". A notice counts, per question, the responses
//!   without an answer.
//! - An answer to a question its *condition* hides for that response is dropped, as the
//!   answering form drops it (a hidden answer never counts); a notice counts them per question.
//!   Refusing would block whole archives for a condition added later.
//! - Answers to questions the admin *hid* (kept because they have answers) are imported,
//!   checked but never required: those questions were asked once, and the exports keep them.
//!
//! Every problem is collected (the list stops at [`MAX_PROBLEMS`], then counts the rest);
//! any problem refuses the whole file.

mod cells;
mod columns;
mod messages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use self::cells::Matcher;
use self::columns::{Column, Meta};
use crate::auth::model::MemberType;
use crate::countries::model::Country;
use crate::lang::Locale;
use crate::spreadsheet::grid::{column_letters, Cell, Place, Problem, Sheet, Workbook};

/// A row's cells from column A.
const NO_CELLS: &[Cell] = &[];
const EMPTY: Cell = Cell::Empty;

/// The cell in column `c` of a row.
fn cell(cells: &[Cell], c: u32) -> &Cell {
    cells.get(c as usize).unwrap_or(&EMPTY)
}
use crate::surveys::model::answers::{self, AnswerError, Raw, OTHER};
use crate::surveys::model::definition::{is_language_code, KNOWN_LANGUAGES};
use crate::surveys::model::{Answers, Definition, Kind, Question};

/// The most problems listed; the others are counted in a last line.
pub const MAX_PROBLEMS: usize = 200;
/// The rows a notice names (then "…").
const ROWS_NAMED: usize = 5;

/// One response read from the file and checked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Planned {
    /// The sheet's row it comes from.
    pub row: u32,
    pub language: String,
    /// `YYYY-MM-DD`, when the file says.
    pub submitted_on: Option<String>,
    /// The country as written (a code or a name): see [`Plan::countries`].
    pub country: Option<String>,
    /// A [`MemberType`]'s stored name.
    pub member_type: Option<String>,
    pub answers: Answers,
}

/// What an import would write: shown as the dry run, then applied as it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// The survey's questions the file was checked against: a plan is not applied to a survey
    /// whose questions changed since.
    pub definition: Definition,
    /// The sheet read.
    pub sheet: String,
    pub rows: Vec<Planned>,
    /// What the person should know but does not stop the import.
    pub notices: Vec<Problem>,
    /// The column of the countries, if any (to name their cells).
    pub country_column: Option<u32>,
}

/// Problems, the first [`MAX_PROBLEMS`] kept and the others counted.
#[derive(Debug, Default)]
pub(crate) struct Problems {
    list: Vec<Problem>,
    more: usize,
}

impl Problems {
    pub(crate) fn push(&mut self, p: Problem) {
        if self.list.len() < MAX_PROBLEMS {
            self.list.push(p);
        } else {
            self.more += 1;
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Adds `later`'s problems after these (those of later rows).
    fn join(&mut self, later: Problems) {
        for p in later.list {
            self.push(p);
        }
        self.more += later.more;
    }

    /// The list, with "… and N more" last when some were left out.
    pub(crate) fn finish(mut self, locale: Locale) -> Vec<Problem> {
        if self.more > 0 {
            self.list
                .push(Problem::file(messages::more_problems(locale, self.more)));
        }
        self.list
    }
}

/// How many rows, and the first few.
#[derive(Debug, Default)]
struct Tally {
    count: usize,
    rows: Vec<u32>,
}

impl Tally {
    fn add(&mut self, row: u32) {
        self.count += 1;
        if self.rows.len() < ROWS_NAMED {
            self.rows.push(row);
        }
    }

    /// Adds `later`'s rows after these.
    fn join(&mut self, later: Tally) {
        self.count += later.count;
        let room = ROWS_NAMED.saturating_sub(self.rows.len());
        self.rows.extend(later.rows.into_iter().take(room));
    }

    fn rows(&self) -> String {
        let mut s = self
            .rows
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        if self.count > self.rows.len() {
            s.push_str(", …");
        }
        s
    }
}

/// What reading some of the data rows found: they are read in chunks on several threads
/// (each row on its own: a 50,000-row archive is checked in a fraction of the time), the
/// chunks joined in the rows' order.
#[derive(Debug, Default)]
pub(crate) struct Found {
    problems: Problems,
    pub(crate) rows: Vec<Planned>,
    dropped: BTreeMap<usize, Tally>,
    unanswered: BTreeMap<usize, Tally>,
    /// Columns without a name in row 1 that hold a value.
    unnamed: BTreeSet<usize>,
    /// Rows with data.
    seen: usize,
}

impl Found {
    /// Whether these rows have problems (an unnamed column with values is one).
    #[cfg(feature = "ssr")]
    pub(crate) fn has_problems(&self) -> bool {
        !self.problems.is_empty() || !self.unnamed.is_empty()
    }

    fn join(&mut self, later: Found) {
        self.problems.join(later.problems);
        self.rows.extend(later.rows);
        self.unnamed.extend(later.unnamed);
        self.seen += later.seen;
        for (q, tally) in later.dropped {
            self.dropped.entry(q).or_default().join(tally);
        }
        for (q, tally) in later.unanswered {
            self.unanswered.entry(q).or_default().join(tally);
        }
    }
}

/// Below this many rows, one thread reads them all.
const ROWS_PER_THREAD: usize = 2_000;

/// The sheet read, among sheets given as `(name, hidden)`: "Responses" (the export's; case
/// and surrounding spaces ignored), else the first visible one, else the first.
pub fn pick_sheet<'s>(sheets: impl Iterator<Item = (&'s str, bool)> + Clone) -> Option<usize> {
    sheets
        .clone()
        .position(|(name, _)| name.trim().eq_ignore_ascii_case("responses"))
        .or_else(|| sheets.clone().position(|(_, hidden)| !hidden))
        .or_else(|| sheets.clone().next().map(|_| 0))
}

fn pick_grid_sheet(wb: &Workbook) -> Option<&Sheet> {
    pick_sheet(wb.sheets.iter().map(|s| (s.name.as_str(), s.hidden))).map(|i| &wb.sheets[i])
}

/// Reads the responses of `wb` for the survey `def`; `Err` with every problem (in `locale`)
/// when any row or column cannot be imported.
pub fn plan(def: &Definition, wb: &Workbook, locale: Locale) -> Result<Plan, Vec<Problem>> {
    let Some(sheet) = pick_grid_sheet(wb) else {
        return Err(vec![Problem::file(messages::no_sheet(locale))]);
    };
    let row = |r: usize| sheet.rows.get(r).map_or(NO_CELLS, Vec::as_slice);
    let mut reader = Reader::new(def, &sheet.name, locale);
    reader.read_header(row(0), row(1), &sheet.merged);
    let rows: Vec<(u32, &[Cell])> = (reader.first_row..=sheet.last_row())
        .map(|r| (r, row(r as usize - 1)))
        .collect();
    // The rows in chunks on as many threads as the machine has (one in the browser, and for
    // small files).
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(rows.len() / ROWS_PER_THREAD)
        .max(1);
    let chunk = rows.len().div_ceil(threads).max(1);
    let this = &reader;
    let found: Vec<Found> = if threads == 1 {
        vec![this.read_some(rows.iter().copied())]
    } else {
        std::thread::scope(|scope| {
            let readers: Vec<_> = rows
                .chunks(chunk)
                .map(|some| scope.spawn(move || this.read_some(some.iter().copied())))
                .collect();
            readers
                .into_iter()
                .map(|r| r.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        })
    };
    for f in found {
        reader.add(f);
    }
    reader.finish()
}

/// What is known of one question while reading.
struct Prepared {
    field: String,
    other_field: String,
    /// Its choices (a Likert scale's points; a multiple choice's with "Other"), or a matrix's
    /// scale.
    matcher: Matcher,
}

/// The reading of one sheet: [`Reader::read_header`] with its first two rows, then
/// [`Reader::read_some`] for the rows below in any number of chunks (on any threads), each
/// chunk's [`Found`] given back in the rows' order to [`Reader::add`], then
/// [`Reader::finish`].
pub(crate) struct Reader<'a> {
    def: &'a Definition,
    /// The definition with no question required (see the module's decisions).
    relaxed: Definition,
    /// The questions hidden by the admin, not required, by index (checked one by one: the
    /// walk skips them).
    hidden: HashMap<usize, Question>,
    questions: Vec<&'a Question>,
    index: HashMap<&'a str, usize>,
    prepared: Vec<Prepared>,
    sheet: &'a str,
    locale: Locale,
    /// `(column, name, what it holds)`, left to right.
    columns: Vec<(u32, String, Column)>,
    /// Columns with a name in row 1 (known or not).
    named: Vec<bool>,
    /// The column a form field's value was read from (to place a check's problem).
    field_columns: HashMap<String, u32>,
    /// The first row of responses (3 when row 2 repeats the columns in words).
    pub(crate) first_row: u32,
    /// The header's problems and those of unnamed columns (the rows' are in `found`).
    problems: Problems,
    notices: Vec<Problem>,
    found: Found,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(def: &'a Definition, sheet: &'a str, locale: Locale) -> Self {
        let questions: Vec<&Question> = def.questions().collect();
        let prepared = questions
            .iter()
            .map(|q| Prepared {
                field: answers::field(&q.code),
                other_field: answers::other_field(&q.code),
                matcher: match &q.kind {
                    Kind::Multiple { choices, other } if *other => {
                        Matcher::new(choices).with_code(OTHER)
                    }
                    Kind::Matrix { scale, .. } => Matcher::new(scale),
                    kind => Matcher::new(&kind.options()),
                },
            })
            .collect();
        let mut relaxed = def.clone();
        for q in relaxed
            .sections
            .iter_mut()
            .flat_map(|s| s.questions.iter_mut())
        {
            q.required = false;
        }
        let hidden = questions
            .iter()
            .enumerate()
            .filter(|(_, q)| q.hidden)
            .map(|(i, q)| {
                let relaxed = Question {
                    required: false,
                    ..(*q).clone()
                };
                (i, relaxed)
            })
            .collect();
        Self {
            def,
            relaxed,
            hidden,
            index: questions
                .iter()
                .enumerate()
                .map(|(i, q)| (q.code.as_str(), i))
                .collect(),
            questions,
            prepared,
            sheet,
            locale,
            columns: Vec::new(),
            named: Vec::new(),
            field_columns: HashMap::new(),
            first_row: 2,
            problems: Problems::default(),
            notices: Vec::new(),
            found: Found::default(),
        }
    }

    fn at(&self, row: u32, column: u32) -> Place {
        Place::cell(self.sheet, row, column)
    }

    /// Row 1: what each column holds; row 2, whether it repeats them in words; the merged
    /// areas, those reaching the rows of responses.
    pub(crate) fn read_header(
        &mut self,
        header: &[Cell],
        second: &[Cell],
        merged: &[(u32, u32, u32, u32)],
    ) {
        let l = self.locale;
        let width = header.len() as u32;
        self.named = vec![false; width as usize];
        for c in 0..width {
            let Some(name) = cell(header, c).text() else {
                continue;
            };
            let name = name.into_owned();
            self.named[c as usize] = true;
            if self
                .columns
                .iter()
                .any(|(_, n, _)| n.eq_ignore_ascii_case(&name))
            {
                self.problems
                    .push(Problem::at(self.at(1, c), messages::column_twice(l, &name)));
                continue;
            }
            match columns::classify(&self.questions, &name) {
                Ok(col) => {
                    if let Some((_, first, _)) = self.columns.iter().find(|(_, _, x)| *x == col) {
                        let message = messages::same_as(l, first);
                        self.problems.push(Problem::at(self.at(1, c), message));
                        continue;
                    }
                    match col {
                        Column::Meta(Meta::ResponseId) => self.notices.push(Problem::at(
                            Place::column(self.sheet, c),
                            messages::response_id_ignored(l),
                        )),
                        Column::Meta(Meta::Respondent) => self.notices.push(Problem::at(
                            Place::column(self.sheet, c),
                            messages::respondent_ignored(l),
                        )),
                        _ => {}
                    }
                    self.columns.push((c, name, col));
                }
                Err(why) => {
                    let message = messages::refused(l, &self.questions, &name, &why);
                    self.problems.push(Problem::at(self.at(1, c), message));
                }
            }
        }
        if self.named.iter().all(|n| !n) {
            self.problems.push(Problem::at(
                Place::row(self.sheet, 1),
                messages::no_header(l),
            ));
            return;
        }
        if !self
            .columns
            .iter()
            .any(|(_, _, col)| col.question().is_some())
        {
            let message = messages::no_question_columns(l, &self.questions);
            self.problems
                .push(Problem::at(Place::row(self.sheet, 1), message));
        }
        for (c, _, col) in &self.columns {
            let field = match col {
                Column::Meta(_) => continue,
                Column::Answer(q) | Column::Chosen(q, _) => self.prepared[*q].field.clone(),
                Column::Other(q) => self.prepared[*q].other_field.clone(),
                Column::Row(q, row) => answers::row_field(&self.questions[*q].code, row),
            };
            // A multiple choice's own column, when given, is where its problems show.
            if matches!(col, Column::Answer(_)) {
                self.field_columns.insert(field, *c);
            } else {
                self.field_columns.entry(field).or_insert(*c);
            }
        }
        if self.words_row(second) {
            self.first_row = 3;
            self.notices.push(Problem::at(
                Place::row(self.sheet, 2),
                messages::words_row(l),
            ));
        }
        self.note_merged(merged);
    }

    /// The merged areas reaching the rows of responses are problems (called by
    /// [`Reader::read_header`]; a stream learns its sheet's areas after the rows).
    pub(crate) fn note_merged(&mut self, merged: &[(u32, u32, u32, u32)]) {
        for &(r1, c1, r2, c2) in merged {
            if r2 >= self.first_row {
                let range = format!("{}{}:{}{}", column_letters(c1), r1, column_letters(c2), r2);
                let message = messages::merged(self.locale, &range);
                self.problems.push(Problem::at(self.at(r1, c1), message));
            }
        }
    }

    /// Does row 2 name the question columns in words, as the export writes it (each cell
    /// begins with its question's text)?
    fn words_row(&self, second: &[Cell]) -> bool {
        let mut any = false;
        for (c, _, col) in &self.columns {
            let Some(q) = col.question() else {
                continue;
            };
            let texts: Vec<&str> = self.questions[q]
                .text
                .0
                .values()
                .map(|t| t.trim())
                .filter(|t| !t.is_empty())
                .collect();
            if texts.is_empty() {
                continue;
            }
            let Some(words) = cells::text(cell(second, *c)) else {
                return false;
            };
            if !texts.iter().any(|t| words.starts_with(t)) {
                return false;
            }
            any = true;
        }
        any
    }

    /// Reads `rows` (numbers from 1, cells from column A; blank rows are skipped), all at or
    /// below [`Reader::first_row`].
    pub(crate) fn read_some<'r>(&self, rows: impl Iterator<Item = (u32, &'r [Cell])>) -> Found {
        let mut found = Found {
            rows: Vec::with_capacity(rows.size_hint().0),
            ..Found::default()
        };
        // One map of posted values for all the rows: its fields are kept and their values
        // emptied between rows (an empty field is an unanswered one to the checks).
        let mut raw = Raw::new();
        for (r, cells) in rows {
            if r < self.first_row || cells.iter().all(Cell::is_blank) {
                continue;
            }
            found.seen += 1;
            for (c, value) in cells.iter().enumerate() {
                if !self.named.get(c).copied().unwrap_or(false) && !value.is_blank() {
                    found.unnamed.insert(c);
                }
            }
            raw.values_mut().for_each(Vec::clear);
            self.read_row(r, cells, &mut raw, &mut found);
        }
        found
    }

    /// Adds what a chunk of rows found, chunks in the rows' order.
    pub(crate) fn add(&mut self, found: Found) {
        self.found.join(found);
    }

    /// One response: its cells as posted values, then the survey's checks.
    fn read_row(&self, r: u32, cells: &[Cell], raw: &mut Raw, found: &mut Found) {
        let mut answered: Vec<usize> = Vec::new();
        // Questions with a cell already refused: the checks would only repeat it (a grid's row
        // refused, then the grid "answered in part").
        let mut refused: Vec<usize> = Vec::new();
        let mut planned = Planned {
            row: r,
            language: self.def.default_language.clone(),
            submitted_on: None,
            country: None,
            member_type: None,
            answers: Answers::new(),
        };
        for i in 0..self.columns.len() {
            let (c, col) = (self.columns[i].0, &self.columns[i].2);
            let value = cell(cells, c);
            if value.is_blank() {
                continue;
            }
            let read = match value {
                Cell::Error(e) => Err(messages::error_value(self.locale, e)),
                value => self.read_cell(raw, &mut planned, col, value),
            };
            match read {
                Ok(()) => answered.extend(col.question()),
                Err(message) => {
                    refused.extend(col.question());
                    found.problems.push(Problem::at(self.at(r, c), message));
                }
            }
        }
        let walk = answers::walk(&self.relaxed, raw);
        for e in &walk.errors {
            if !self
                .index
                .get(e.question.as_str())
                .is_some_and(|q| refused.contains(q))
            {
                self.answer_problem(r, cells, e, &mut found.problems);
            }
        }
        let shown = self.shown(&walk.shown);
        let mut checked = walk.answers;
        answered.sort_unstable();
        answered.dedup();
        for q in answered {
            let question = self.questions[q];
            if let Some(relaxed) = self.hidden.get(&q) {
                // Hidden by the admin: imported, checked, never required.
                match answers::check(relaxed, raw) {
                    Ok(Some(a)) => {
                        checked.insert(question.code.clone(), a);
                    }
                    Ok(None) => {}
                    Err(_) if refused.contains(&q) => {}
                    Err(e) => self.answer_problem(r, cells, &e, &mut found.problems),
                }
            } else if !shown[q] {
                found.dropped.entry(q).or_default().add(r);
            }
        }
        for (q, question) in self.questions.iter().enumerate() {
            if shown[q] && question.required && !checked.contains_key(&question.code) {
                found.unanswered.entry(q).or_default().add(r);
            }
        }
        planned.answers = checked;
        found.rows.push(planned);
    }

    /// Which questions (by index) the walk showed. It lists their codes in the definition's
    /// order, so one pass over both finds them (a row asks this for every question).
    fn shown(&self, codes: &[String]) -> Vec<bool> {
        let mut shown = vec![false; self.questions.len()];
        let mut next = codes.iter().peekable();
        for (q, question) in self.questions.iter().enumerate() {
            if next.next_if(|code| **code == question.code).is_some() {
                shown[q] = true;
            }
        }
        if next.peek().is_some() {
            // Not in order after all: each code on its own.
            for code in codes {
                if let Some(&q) = self.index.get(code.as_str()) {
                    shown[q] = true;
                }
            }
        }
        shown
    }

    /// One cell into the posted values (answers) or the response's own fields.
    fn read_cell(
        &self,
        raw: &mut Raw,
        planned: &mut Planned,
        col: &Column,
        cell: &Cell,
    ) -> Result<(), String> {
        let l = self.locale;
        let value = cells::text(cell).unwrap_or_default();
        let push = |raw: &mut Raw, field: &str, v: &str| match raw.get_mut(field) {
            Some(values) => values.push(v.to_string()),
            None => {
                raw.insert(field.to_string(), vec![v.to_string()]);
            }
        };
        match col {
            Column::Answer(q) => {
                let (question, p) = (self.questions[*q], &self.prepared[*q]);
                match &question.kind {
                    Kind::Single { .. } | Kind::Likert { .. } => {
                        let code = p
                            .matcher
                            .find(&value)
                            .map_err(|m| messages::miss(l, question, &value, m, &p.matcher))?;
                        push(raw, &p.field, code);
                    }
                    Kind::Multiple { .. } => {
                        let codes = p.matcher.find_many(&value).map_err(|(m, part)| {
                            messages::miss(l, question, part, m, &p.matcher)
                        })?;
                        for code in codes {
                            push(raw, &p.field, code);
                        }
                    }
                    Kind::Number { .. } => match cell {
                        Cell::Date(_) | Cell::DateTime(_) | Cell::Bool(_) => {
                            return Err(messages::not_a_number(l, &value));
                        }
                        _ => push(raw, &p.field, &value),
                    },
                    Kind::Date => {
                        let date =
                            cells::date(cell).ok_or_else(|| messages::not_a_date(l, &value))?;
                        push(raw, &p.field, &date);
                    }
                    Kind::ShortText | Kind::LongText => push(raw, &p.field, &value),
                    // Refused with the header (one column per row).
                    Kind::Matrix { .. } => {}
                }
            }
            Column::Chosen(q, code) => match cells::flag(cell) {
                Some(true) => push(raw, &self.prepared[*q].field, code),
                Some(false) => {}
                None => return Err(messages::flag(l, &value)),
            },
            Column::Other(q) => {
                let p = &self.prepared[*q];
                push(raw, &p.other_field, &value);
                push(raw, &p.field, OTHER);
            }
            Column::Row(q, row) => {
                let (question, p) = (self.questions[*q], &self.prepared[*q]);
                let code = p
                    .matcher
                    .find(&value)
                    .map_err(|m| messages::miss(l, question, &value, m, &p.matcher))?;
                push(raw, &answers::row_field(&question.code, row), code);
            }
            Column::Meta(meta) => self.read_meta(planned, *meta, cell, &value)?,
        }
        Ok(())
    }

    fn read_meta(
        &self,
        planned: &mut Planned,
        meta: Meta,
        cell: &Cell,
        value: &str,
    ) -> Result<(), String> {
        let l = self.locale;
        match meta {
            Meta::ResponseId | Meta::Respondent => {}
            Meta::Submitted => {
                planned.submitted_on =
                    Some(cells::date(cell).ok_or_else(|| messages::not_a_date(l, value))?);
            }
            Meta::Language => {
                planned.language =
                    language(self.def, value).ok_or_else(|| messages::bad_language(l, value))?
            }
            Meta::Country => planned.country = Some(value.to_string()),
            Meta::MemberType => {
                planned.member_type = Some(member_type(value).ok_or_else(|| {
                    let kinds = <MemberType as strum::VariantArray>::VARIANTS
                        .iter()
                        .map(|k| k.as_str())
                        .collect::<Vec<_>>()
                        .join(", ");
                    messages::bad_member_type(l, value, &kinds)
                })?);
            }
        }
        Ok(())
    }

    /// A problem the survey's checks found, at the cell the value came from.
    fn answer_problem(&self, r: u32, cells: &[Cell], e: &AnswerError, problems: &mut Problems) {
        let Some(&q) = self.index.get(e.question.as_str()) else {
            return;
        };
        let column = self.field_columns.get(&e.field).copied();
        let value = column
            .and_then(|c| cells::text(cell(cells, c)).map(|v| v.into_owned()))
            .unwrap_or_default();
        let message = messages::answer(self.locale, self.questions[q], e, &value);
        let place = match column {
            Some(c) => self.at(r, c),
            None => Place::row(self.sheet, r),
        };
        problems.push(Problem::at(place, message));
    }

    /// The column where question `q` begins, for notices about it.
    fn question_place(&self, q: usize) -> Place {
        self.columns
            .iter()
            .find(|(_, _, col)| col.question() == Some(q))
            .map_or_else(
                || Place::sheet(self.sheet),
                |(c, _, _)| Place::column(self.sheet, *c),
            )
    }

    /// The column of the countries, if any (to name their cells).
    pub(crate) fn country_column(&self) -> Option<u32> {
        self.columns
            .iter()
            .find(|(_, _, col)| *col == Column::Meta(Meta::Country))
            .map(|(c, _, _)| *c)
    }

    /// Whether the header or the rows given back have problems: then nothing will be
    /// imported.
    #[cfg(feature = "ssr")]
    pub(crate) fn has_problems(&self) -> bool {
        !self.problems.is_empty() || self.found.has_problems()
    }

    /// The plan (its rows those given back to [`Reader::add`]), or every problem.
    pub(crate) fn finish(mut self) -> Result<Plan, Vec<Problem>> {
        let found = std::mem::take(&mut self.found);
        for &c in &found.unnamed {
            let message = messages::unnamed(self.locale, &column_letters(c as u32));
            self.problems
                .push(Problem::at(self.at(1, c as u32), message));
        }
        if found.seen == 0 {
            let message = messages::no_rows(self.locale);
            self.problems
                .push(Problem::at(Place::sheet(self.sheet), message));
        }
        self.problems.join(found.problems);
        if !self.problems.is_empty() {
            return Err(self.problems.finish(self.locale));
        }
        let l = self.locale;
        for (q, tally) in &found.dropped {
            let message =
                messages::hidden_dropped(l, &self.questions[*q].code, tally.count, &tally.rows());
            self.notices
                .push(Problem::at(self.question_place(*q), message));
        }
        for (q, tally) in &found.unanswered {
            let message = messages::required_unanswered(
                l,
                &self.questions[*q].code,
                tally.count,
                &tally.rows(),
            );
            self.notices
                .push(Problem::at(self.question_place(*q), message));
        }
        let country_column = self.country_column();
        Ok(Plan {
            definition: self.def.clone(),
            sheet: self.sheet.to_string(),
            rows: found.rows,
            notices: self.notices,
            country_column,
        })
    }
}

/// A response's language: one the survey offers (ignoring case), a known language's name
/// ("Français"), or any language code.
fn language(def: &Definition, value: &str) -> Option<String> {
    let value = value.trim();
    if let Some(l) = def.languages.iter().find(|l| l.eq_ignore_ascii_case(value)) {
        return Some(l.clone());
    }
    if let Some((code, _)) = KNOWN_LANGUAGES.iter().find(|(code, name)| {
        code.eq_ignore_ascii_case(value) || cells::normalise(name) == cells::normalise(value)
    }) {
        return Some(code.to_string());
    }
    let lower = value.to_ascii_lowercase();
    [value.to_string(), lower]
        .into_iter()
        .find(|v| is_language_code(v))
}

/// A member type by its stored name or its name in any interface language.
fn member_type(value: &str) -> Option<String> {
    let key = cells::normalise(value);
    <MemberType as strum::VariantArray>::VARIANTS
        .iter()
        .find(|k| {
            k.as_str() == key
                || Locale::all()
                    .iter()
                    .any(|l| cells::normalise(k.label(*l)) == key)
        })
        .map(|k| k.as_str().to_string())
}

/// The countries a file may name: by code (`IT`, `ITA`) or by name (in English, French or
/// German), compared as labels are.
pub(crate) struct Countries<'k> {
    by_key: HashMap<String, &'k str>,
}

impl<'k> Countries<'k> {
    pub(crate) fn new(known: &'k [Country]) -> Self {
        let mut by_key: HashMap<String, &str> = HashMap::new();
        for c in known {
            by_key.insert(cells::normalise(&c.iso2), &c.iso2);
            by_key.insert(cells::normalise(&c.iso3), &c.iso2);
            by_key.insert(cells::normalise(&c.name), &c.iso2);
            for l in Locale::all() {
                by_key.insert(cells::normalise(&c.name_in(*l)), &c.iso2);
            }
        }
        Self { by_key }
    }

    /// The ISO code of `row`'s country (`Ok(None)` when it names none); a problem at its cell
    /// (in `column` of `sheet`) when it names one not known.
    pub(crate) fn of(
        &self,
        row: &Planned,
        sheet: &str,
        column: Option<u32>,
        locale: Locale,
    ) -> Result<Option<&'k str>, Problem> {
        let Some(written) = &row.country else {
            return Ok(None);
        };
        match self.by_key.get(&cells::normalise(written)) {
            Some(iso2) => Ok(Some(iso2)),
            None => {
                let place = match column {
                    Some(c) => Place::cell(sheet, row.row, c),
                    None => Place::row(sheet, row.row),
                };
                Err(Problem::at(place, messages::bad_country(locale, written)))
            }
        }
    }
}

impl Plan {
    /// The rows' countries as ISO codes (in the order of [`Plan::rows`]), each found by its
    /// code or its name among `known` ([`Countries`]); the cells of any other are problems.
    pub fn countries(
        &self,
        known: &[Country],
        locale: Locale,
    ) -> Result<Vec<Option<String>>, Vec<Problem>> {
        let index = Countries::new(known);
        let mut problems = Problems::default();
        let mut out = Vec::with_capacity(self.rows.len());
        for row in &self.rows {
            match index.of(row, &self.sheet, self.country_column, locale) {
                Ok(iso2) => out.push(iso2.map(str::to_string)),
                Err(problem) => {
                    problems.push(problem);
                    out.push(None);
                }
            }
        }
        if problems.is_empty() {
            Ok(out)
        } else {
            Err(problems.finish(locale))
        }
    }
}

//! The exports: one row per response, as CSV or XLSX, streamed.
//!
//! **Layout (stable: scripts may rely on it).** Row 1 holds stable column codes, row 2 the
//! same columns in words (questions in the survey's default language); responses follow, one
//! per row, oldest first. Scripts read row 1 as the header and skip row 2.
//!
//! | code | what |
//! |---|---|
//! | `response_id`, `submitted_on`, `language`, `country`, `member_type` | the response |
//! | `respondent` | the member's name: admins only, named surveys only |
//! | `Q1` | single choice: the choice's label; Likert: the point, a number 1…n; number: a number; date `YYYY-MM-DD`; texts as written |
//! | `Q2.a` | multiple choice: one column per choice, `1` when chosen, blank otherwise |
//! | `Q2._other` | multiple choice: the "Other, please specify" text |
//! | `Q3.r1` | matrix: one column per row, the scale's label |
//!
//! Every text cell passes through [`crate::spreadsheet::neutralise`]; numbers are numbers.
//!
//! **Streaming.** A task reads the responses one by one from the database
//! ([`repo::stream_responses`]) and sends each row down a small bounded channel: the CSV body
//! writes each row as it comes (memory does not grow with the number of responses); the XLSX
//! writer (rust_xlsxwriter in constant-memory mode, rows to its temporary file as written) runs
//! in a blocking thread, saves the workbook into an anonymous temporary file (the system
//! removes it once closed), which is then sent in chunks.

use std::io::{Read, Seek, SeekFrom};
use std::sync::Arc;

use axum::body::{Body, Bytes};
use futures_util::StreamExt;
use tokio::sync::mpsc;

use crate::db::Db;
use crate::error::AppError;
use crate::spreadsheet::neutralise;
use crate::surveys::model::answers::OTHER;
use crate::surveys::model::{Answer, Definition, Kind};
use crate::surveys::repo::{self, Response, ResponseFilter};

/// One exported cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
}

/// Where a column's value comes from.
#[derive(Debug, Clone, PartialEq)]
enum Source {
    Id,
    Submitted,
    Language,
    Country,
    MemberType,
    Respondent,
    /// The whole answer to question `q` (its index in the survey's order).
    Answer(usize),
    /// Choice `code` of multiple choice `q`: 1 or blank.
    Chosen(usize, String),
    /// The "Other" text of multiple choice `q`.
    OtherText(usize),
    /// Row `code` of matrix `q`.
    Row(usize, String),
}

/// The words of the fixed columns' second header row, in the reader's language.
#[derive(Debug, Clone)]
pub struct FixedLabels {
    pub response: String,
    pub submitted_on: String,
    pub language: String,
    pub country: String,
    pub member_type: String,
    pub respondent: String,
    pub other: String,
}

/// The columns of one export.
#[derive(Debug, Clone)]
pub struct Layout {
    def: Definition,
    columns: Vec<(String, String, Source)>,
}

impl Layout {
    /// The columns for `def`; `with_respondent` adds the member's name.
    pub fn new(def: &Definition, with_respondent: bool, labels: &FixedLabels) -> Self {
        let lang = def.default_language.as_str();
        let mut columns: Vec<(String, String, Source)> = vec![
            ("response_id".into(), labels.response.clone(), Source::Id),
            (
                "submitted_on".into(),
                labels.submitted_on.clone(),
                Source::Submitted,
            ),
            ("language".into(), labels.language.clone(), Source::Language),
            ("country".into(), labels.country.clone(), Source::Country),
            (
                "member_type".into(),
                labels.member_type.clone(),
                Source::MemberType,
            ),
        ];
        if with_respondent {
            columns.push((
                "respondent".into(),
                labels.respondent.clone(),
                Source::Respondent,
            ));
        }
        for (i, q) in def.questions().enumerate() {
            let text = q.text.get(lang, lang).to_string();
            match &q.kind {
                Kind::Multiple { choices, other } => {
                    for c in choices {
                        columns.push((
                            format!("{}.{}", q.code, c.code),
                            format!("{text} — {}", c.label.get(lang, lang)),
                            Source::Chosen(i, c.code.clone()),
                        ));
                    }
                    if *other {
                        columns.push((
                            format!("{}.{OTHER}", q.code),
                            format!("{text} — {}", labels.other),
                            Source::OtherText(i),
                        ));
                    }
                }
                Kind::Matrix { rows, .. } => {
                    for r in rows {
                        columns.push((
                            format!("{}.{}", q.code, r.code),
                            format!("{text} — {}", r.label.get(lang, lang)),
                            Source::Row(i, r.code.clone()),
                        ));
                    }
                }
                Kind::Likert { scale } => {
                    let points: Vec<String> = scale
                        .iter()
                        .enumerate()
                        .map(|(p, l)| format!("{} = {}", p + 1, l.get(lang, lang)))
                        .collect();
                    columns.push((
                        q.code.clone(),
                        format!("{text} ({})", points.join(", ")),
                        Source::Answer(i),
                    ));
                }
                _ => columns.push((q.code.clone(), text, Source::Answer(i))),
            }
        }
        Self {
            def: def.clone(),
            columns,
        }
    }

    /// Row 1: the stable codes.
    pub fn codes(&self) -> Vec<&str> {
        self.columns.iter().map(|(c, _, _)| c.as_str()).collect()
    }

    /// Row 2: the columns in words.
    pub fn headers(&self) -> Vec<&str> {
        self.columns.iter().map(|(_, h, _)| h.as_str()).collect()
    }

    /// One response's row.
    pub fn row(&self, r: &Response) -> Vec<Cell> {
        let questions: Vec<_> = self.def.questions().collect();
        let lang = self.def.default_language.as_str();
        let text = |s: Option<&str>| {
            s.filter(|s| !s.is_empty())
                .map_or(Cell::Empty, |s| Cell::Text(s.to_string()))
        };
        let answer = |i: usize| {
            questions
                .get(i)
                .and_then(|q| r.answers.get(&q.code).map(|a| (*q, a)))
        };
        self.columns
            .iter()
            .map(|(_, _, source)| match source {
                Source::Id => Cell::Number(r.id as f64),
                Source::Submitted => text(Some(&r.submitted_on)),
                Source::Language => text(Some(&r.language)),
                Source::Country => text(r.country.as_deref()),
                Source::MemberType => text(r.member_type.as_deref()),
                Source::Respondent => text(r.respondent.as_deref()),
                Source::Answer(i) => match answer(*i) {
                    None => Cell::Empty,
                    Some((q, a)) => match (a, &q.kind) {
                        (Answer::Choice(code), Kind::Likert { .. }) => code
                            .parse::<f64>()
                            .map_or_else(|_| Cell::Text(code.clone()), Cell::Number),
                        (Answer::Choice(code), _) => {
                            Cell::Text(super::answer_text::option_label(&self.def, q, code, lang))
                        }
                        (Answer::Number(n), _) => Cell::Number(*n),
                        (Answer::Text(t) | Answer::Date(t), _) => text(Some(t)),
                        (other, _) => Cell::Text(crate::surveys::model::answers::display(
                            q, other, lang, lang,
                        )),
                    },
                },
                Source::Chosen(i, code) => match answer(*i) {
                    Some((_, Answer::Choices { codes, .. })) if codes.contains(code) => {
                        Cell::Number(1.0)
                    }
                    _ => Cell::Empty,
                },
                Source::OtherText(i) => match answer(*i) {
                    Some((_, Answer::Choices { other, .. })) => text(other.as_deref()),
                    _ => Cell::Empty,
                },
                Source::Row(i, row) => match answer(*i) {
                    Some((q, Answer::Matrix(given))) => given.get(row).map_or(Cell::Empty, |v| {
                        Cell::Text(super::answer_text::option_label(&self.def, q, v, lang))
                    }),
                    _ => Cell::Empty,
                },
            })
            .collect()
    }
}

/// A cell as CSV text (neutralised).
fn csv_text(cell: &Cell) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(t) => neutralise(t).into_owned(),
        Cell::Number(n) => crate::surveys::model::answers::fmt_number(*n),
    }
}

/// One CSV record of text cells (with its line end), each neutralised.
pub fn csv_record<S: AsRef<str>>(cells: impl IntoIterator<Item = S>) -> Result<Bytes, AppError> {
    csv_line(
        cells
            .into_iter()
            .map(|c| neutralise(c.as_ref()).into_owned()),
    )
}

/// One CSV record of cells already made safe.
fn csv_line(cells: impl IntoIterator<Item = String>) -> Result<Bytes, AppError> {
    let failed = |e: &dyn std::fmt::Display| {
        tracing::error!(error = %e, "csv writing failed");
        AppError::Internal
    };
    let mut w = csv::Writer::from_writer(Vec::with_capacity(256));
    w.write_record(cells).map_err(|e| failed(&e))?;
    w.into_inner().map(Bytes::from).map_err(|e| failed(&e))
}

/// Rows of the selected responses, read one by one by a task of their own; the channel holds
/// a few rows at most, so a slow client slows the reading instead of filling memory. The task
/// ends when the client goes away (the receiver is dropped).
fn spawn_rows(
    db: Db,
    survey: i64,
    filter: ResponseFilter,
    layout: Arc<Layout>,
) -> mpsc::Receiver<Result<Vec<Cell>, AppError>> {
    let (tx, rx) = mpsc::channel(32);
    tokio::spawn(async move {
        let mut responses = std::pin::pin!(repo::stream_responses(&db.pool, survey, &filter));
        while let Some(r) = responses.next().await {
            let row = r.map(|r| layout.row(&r));
            let failed = row.is_err();
            if tx.send(row).await.is_err() || failed {
                break;
            }
        }
    });
    rx
}

fn io_error(e: AppError) -> std::io::Error {
    std::io::Error::other(e.to_string())
}

/// The CSV export as a streamed body: the two header rows, then a row per response.
pub fn csv_body(
    db: Db,
    survey: i64,
    filter: ResponseFilter,
    layout: Layout,
) -> Result<Body, AppError> {
    let mut head = csv_record(layout.codes())?.to_vec();
    head.extend_from_slice(&csv_record(layout.headers())?);
    let rows = spawn_rows(db, survey, filter, Arc::new(layout));
    let body =
        futures_util::stream::once(async move { Ok::<_, std::io::Error>(Bytes::from(head)) })
            .chain(futures_util::stream::unfold(rows, |mut rows| async move {
                let row = rows.recv().await?;
                let bytes = row
                    .and_then(|cells| csv_line(cells.iter().map(csv_text)))
                    .map_err(|e| {
                        tracing::error!(error = %e, "CSV export stopped");
                        io_error(e)
                    });
                Some((bytes, rows))
            }));
    // Fused: a layer may poll again after the end (compression did, and `unfold` panics).
    Ok(Body::from_stream(body.fuse()))
}

/// The most rows a worksheet holds (with the two header rows).
const XLSX_MAX_ROWS: u32 = 1_048_576;

fn xlsx_failed(e: rust_xlsxwriter::XlsxError) -> AppError {
    tracing::error!(error = %e, "XLSX writing failed");
    AppError::Internal
}

/// Writes the workbook from the rows as they come; returns the file it was saved in, rewound.
fn write_xlsx(
    layout: &Layout,
    mut rows: mpsc::Receiver<Result<Vec<Cell>, AppError>>,
) -> Result<std::fs::File, AppError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book
        .add_worksheet_with_constant_memory()
        .map_err(xlsx_failed)?;
    sheet.set_name("Responses").map_err(xlsx_failed)?;
    for (r, header) in [layout.codes(), layout.headers()].into_iter().enumerate() {
        for (c, text) in header.into_iter().enumerate() {
            sheet
                .write_string(r as u32, c as u16, neutralise(text).as_ref())
                .map_err(xlsx_failed)?;
        }
    }
    let mut r: u32 = 2;
    while let Some(row) = rows.blocking_recv() {
        let row = row?;
        if r >= XLSX_MAX_ROWS {
            return Err(AppError::Rejected(
                "Too many responses for one worksheet: filter them, or export CSV.".into(),
            ));
        }
        for (c, cell) in row.iter().enumerate() {
            let written = match cell {
                Cell::Empty => continue,
                Cell::Text(t) => sheet.write_string(r, c as u16, neutralise(t).as_ref()),
                Cell::Number(n) => sheet.write_number(r, c as u16, *n),
            };
            written.map_err(xlsx_failed)?;
        }
        r += 1;
    }
    let mut file = tempfile::tempfile().map_err(|e| {
        tracing::error!(error = %e, "no temporary file for the XLSX export");
        AppError::Internal
    })?;
    book.save_to_writer(&mut file).map_err(xlsx_failed)?;
    file.seek(SeekFrom::Start(0))
        .map_err(|_| AppError::Internal)?;
    Ok(file)
}

/// The XLSX export: written completely (a zip's directory comes last), then streamed from
/// its temporary file in chunks.
pub async fn xlsx_body(
    db: Db,
    survey: i64,
    filter: ResponseFilter,
    layout: Layout,
) -> Result<Body, AppError> {
    let layout = Arc::new(layout);
    let rows = spawn_rows(db, survey, filter, layout.clone());
    let file = tokio::task::spawn_blocking(move || write_xlsx(&layout, rows))
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "XLSX writer failed");
            AppError::Internal
        })??;
    let (tx, rx) = mpsc::channel::<std::io::Result<Bytes>>(4);
    tokio::task::spawn_blocking(move || {
        let mut file = file;
        loop {
            let mut chunk = vec![0u8; 64 * 1024];
            let sent = match file.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => {
                    chunk.truncate(n);
                    tx.blocking_send(Ok(Bytes::from(chunk)))
                }
                Err(e) => tx.blocking_send(Err(e)),
            };
            if sent.is_err() {
                break;
            }
        }
    });
    let body =
        futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|c| (c, rx)) });
    // Fused: a layer may poll again after the end (compression did, and `unfold` panics).
    Ok(Body::from_stream(body.fuse()))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::surveys::model::definition::default_likert_scale;
    use crate::surveys::model::{Choice, Question, Text};

    fn labels() -> FixedLabels {
        FixedLabels {
            response: "Response".into(),
            submitted_on: "Submitted on".into(),
            language: "Language".into(),
            country: "Country".into(),
            member_type: "Member type".into(),
            respondent: "Respondent".into(),
            other: "Other".into(),
        }
    }

    fn choices(codes: &[&str]) -> Vec<Choice> {
        codes
            .iter()
            .map(|c| Choice {
                code: c.to_string(),
                label: Text::new("en", format!("{c}!")),
            })
            .collect()
    }

    fn def() -> Definition {
        let q = |code: &str, kind| Question {
            code: code.into(),
            kind,
            text: Text::new("en", format!("Text of {code}")),
            help: Text::default(),
            required: false,
            hidden: false,
            show_if: None,
        };
        let mut d = Definition::new("en", "T");
        d.sections[0].questions = vec![
            q(
                "S",
                Kind::Single {
                    choices: choices(&["yes", "no"]),
                },
            ),
            q(
                "M",
                Kind::Multiple {
                    choices: choices(&["a", "b"]),
                    other: true,
                },
            ),
            q(
                "L",
                Kind::Likert {
                    scale: default_likert_scale(),
                },
            ),
            q(
                "G",
                Kind::Matrix {
                    rows: choices(&["r1", "r2"]),
                    scale: choices(&["lo", "hi"]),
                },
            ),
            q(
                "N",
                Kind::Number {
                    min: None,
                    max: None,
                    integer: false,
                },
            ),
            q("T", Kind::ShortText),
        ];
        d
    }

    fn response() -> Response {
        Response {
            id: 7,
            survey_id: 1,
            country: Some("IT".into()),
            member_type: None,
            language: "fr".into(),
            answers: BTreeMap::from([
                ("S".to_string(), Answer::Choice("no".into())),
                (
                    "M".to_string(),
                    Answer::Choices {
                        codes: vec!["b".into(), OTHER.into()],
                        other: Some("=HYPERLINK(1)".into()),
                    },
                ),
                ("L".to_string(), Answer::Choice("4".into())),
                (
                    "G".to_string(),
                    Answer::Matrix(BTreeMap::from([("r2".into(), "hi".into())])),
                ),
                ("N".to_string(), Answer::Number(-2.5)),
            ]),
            submitted_on: "2026-05-01".into(),
            respondent: Some("Ada".into()),
        }
    }

    #[test]
    fn every_choice_and_matrix_row_has_a_column_of_its_own_with_a_stable_code() {
        let l = Layout::new(&def(), false, &labels());
        assert_eq!(
            l.codes(),
            vec![
                "response_id",
                "submitted_on",
                "language",
                "country",
                "member_type",
                "S",
                "M.a",
                "M.b",
                "M._other",
                "L",
                "G.r1",
                "G.r2",
                "N",
                "T",
            ]
        );
        assert_eq!(l.headers()[6], "Text of M — a!");
        assert!(
            l.headers()[9].starts_with("Text of L (1 = Strongly disagree"),
            "{}",
            l.headers()[9]
        );
        assert!(Layout::new(&def(), true, &labels())
            .codes()
            .contains(&"respondent"));
    }

    #[test]
    fn a_row_writes_labels_flags_points_and_numbers() {
        let l = Layout::new(&def(), true, &labels());
        let row = l.row(&response());
        use Cell::*;
        assert_eq!(
            row,
            vec![
                Number(7.0),
                Text("2026-05-01".into()),
                Text("fr".into()),
                Text("IT".into()),
                Empty,
                Text("Ada".into()),
                Text("no!".into()),
                Empty,
                Number(1.0),
                Text("=HYPERLINK(1)".into()),
                Number(4.0),
                Empty,
                Text("hi!".into()),
                Number(-2.5),
                Empty,
            ]
        );
    }

    #[test]
    fn csv_cells_that_would_be_formulas_are_neutralised_and_numbers_stay_numbers() {
        let row = Layout::new(&def(), false, &labels()).row(&response());
        let line = csv_line(row.iter().map(csv_text)).unwrap();
        let line = String::from_utf8(line.to_vec()).unwrap();
        assert!(line.contains(",'=HYPERLINK(1),"), "{line}");
        assert!(line.contains(",-2.5,"), "{line}");
        assert_eq!(
            String::from_utf8(csv_record(["@SUM(A1)", "ok"]).unwrap().to_vec()).unwrap(),
            "'@SUM(A1),ok\n"
        );
    }
}

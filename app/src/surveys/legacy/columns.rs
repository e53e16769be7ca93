//! What a column holds, from its name in row 1: the columns of this application's export
//! (see `surveys::results::export`), read back.
//!
//! | name | holds |
//! |---|---|
//! | `Q1` | the answer to question Q1; for a multiple choice, its choices in one cell |
//! | `Q2.a` | multiple choice Q2: choice `a` chosen (1) or not (blank) |
//! | `Q2._other` (or `Q2.other`) | multiple choice Q2: the "Other, please specify" text |
//! | `Q3.r1` | matrix Q3: the answer of row `r1` |
//! | `submitted_on` (or `submitted_at`), `language`, `country`, `member_type` | the response |
//! | `response_id`, `respondent` | known, not imported |
//!
//! Names are compared ignoring case. A question code wins over a response column of the same
//! name (a survey may have a question coded `country`).

use crate::surveys::model::answers::OTHER;
use crate::surveys::model::{Choice, Kind, Question};

/// A column about the response rather than one of its answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Meta {
    /// The export's response number: not kept (imported responses are numbered anew).
    ResponseId,
    Submitted,
    Language,
    Country,
    MemberType,
    /// The export's member name: not kept (imported responses are linked to no member).
    Respondent,
}

/// What one column holds. Question numbers are indexes in the survey's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Column {
    Meta(Meta),
    /// The whole answer to a question.
    Answer(usize),
    /// One choice of a multiple choice: chosen or not.
    Chosen(usize, String),
    /// The "Other" text of a multiple choice.
    Other(usize),
    /// One row of a matrix.
    Row(usize, String),
}

impl Column {
    /// The question the column answers, if it is an answer column.
    pub(super) fn question(&self) -> Option<usize> {
        match self {
            Column::Meta(_) => None,
            Column::Answer(q) | Column::Chosen(q, _) | Column::Other(q) | Column::Row(q, _) => {
                Some(*q)
            }
        }
    }
}

/// Why a column's name is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Refused {
    /// Neither a question nor a response column.
    Unknown,
    /// `Q.x` where multiple choice Q has no choice `x`.
    NoSuchChoice(usize, String),
    /// `Q.x` where matrix Q has no row `x`.
    NoSuchRow(usize, String),
    /// `Q.x` where Q is answered in one column.
    SingleColumn(usize),
    /// `Q` where Q is a matrix (one column per row).
    MatrixColumn(usize),
}

fn meta(name: &str) -> Option<Meta> {
    Some(match name.to_ascii_lowercase().as_str() {
        "response_id" => Meta::ResponseId,
        "submitted_on" | "submitted_at" => Meta::Submitted,
        "language" => Meta::Language,
        "country" => Meta::Country,
        "member_type" => Meta::MemberType,
        "respondent" => Meta::Respondent,
        _ => return None,
    })
}

/// The position of the code `name`: exactly, else ignoring case.
fn find_code<'a>(codes: impl Iterator<Item = &'a str> + Clone, name: &str) -> Option<usize> {
    codes
        .clone()
        .position(|c| c == name)
        .or_else(|| codes.into_iter().position(|c| c.eq_ignore_ascii_case(name)))
}

fn choice_code(choices: &[Choice], name: &str) -> Option<String> {
    find_code(choices.iter().map(|c| c.code.as_str()), name).map(|i| choices[i].code.clone())
}

/// What the column named `name` holds.
pub(super) fn classify(questions: &[&Question], name: &str) -> Result<Column, Refused> {
    let name = name.trim();
    let question = |code: &str| find_code(questions.iter().map(|q| q.code.as_str()), code);
    if let Some(q) = question(name) {
        return match questions[q].kind {
            Kind::Matrix { .. } => Err(Refused::MatrixColumn(q)),
            _ => Ok(Column::Answer(q)),
        };
    }
    if let Some(m) = meta(name) {
        return Ok(Column::Meta(m));
    }
    // Codes hold no `.` (see `definition::is_code`): the first one splits question and part.
    let Some((code, part)) = name.split_once('.') else {
        return Err(Refused::Unknown);
    };
    let Some(q) = question(code.trim()) else {
        return Err(Refused::Unknown);
    };
    let part = part.trim();
    match &questions[q].kind {
        Kind::Multiple { choices, other } => {
            if let Some(code) = choice_code(choices, part) {
                Ok(Column::Chosen(q, code))
            } else if *other
                && (part.eq_ignore_ascii_case(OTHER) || part.eq_ignore_ascii_case("other"))
            {
                Ok(Column::Other(q))
            } else {
                Err(Refused::NoSuchChoice(q, part.to_string()))
            }
        }
        Kind::Matrix { rows, .. } => choice_code(rows, part)
            .map(|row| Column::Row(q, row))
            .ok_or_else(|| Refused::NoSuchRow(q, part.to_string())),
        _ => Err(Refused::SingleColumn(q)),
    }
}

//! The import's sentences, in the reader's language.

use super::cells::{Matcher, Miss};
use super::columns::Refused;
use crate::i18n::*;
use crate::lang::Locale;
use crate::surveys::model::answers::{AnswerError, Problem as Why, LONG_TEXT_MAX, SHORT_TEXT_MAX};
use crate::surveys::model::{answers::fmt_number, Kind, Question};

pub(super) fn no_sheet(l: Locale) -> String {
    td_string!(l, imports.legacy_no_sheet).to_string()
}

pub(super) fn no_header(l: Locale) -> String {
    td_string!(l, imports.legacy_no_header).to_string()
}

pub(super) fn column_twice(l: Locale, column: &str) -> String {
    td_string!(l, imports.legacy_column_twice, column = column).to_string()
}

pub(super) fn same_as(l: Locale, other: &str) -> String {
    td_string!(l, imports.legacy_same_as, other = other).to_string()
}

pub(super) fn unnamed(l: Locale, column: &str) -> String {
    td_string!(l, imports.legacy_unnamed_column, column = column).to_string()
}

pub(super) fn no_question_columns(l: Locale, questions: &[&Question]) -> String {
    let mut codes: Vec<&str> = questions.iter().take(3).map(|q| q.code.as_str()).collect();
    if questions.len() > 3 {
        codes.push("…");
    }
    td_string!(
        l,
        imports.legacy_no_question_columns,
        codes = codes.join(", ")
    )
    .to_string()
}

pub(super) fn no_rows(l: Locale) -> String {
    td_string!(l, imports.legacy_no_rows).to_string()
}

pub(super) fn words_row(l: Locale) -> String {
    td_string!(l, imports.legacy_words_row).to_string()
}

pub(super) fn response_id_ignored(l: Locale) -> String {
    td_string!(l, imports.legacy_response_id_ignored).to_string()
}

pub(super) fn respondent_ignored(l: Locale) -> String {
    td_string!(l, imports.legacy_respondent_ignored).to_string()
}

pub(super) fn merged(l: Locale, range: &str) -> String {
    td_string!(l, imports.legacy_merged, range = range).to_string()
}

pub(super) fn error_value(l: Locale, value: &str) -> String {
    td_string!(l, imports.legacy_error_value, value = value).to_string()
}

pub(super) fn flag(l: Locale, value: &str) -> String {
    td_string!(l, imports.legacy_flag, value = value).to_string()
}

pub(super) fn not_a_date(l: Locale, value: &str) -> String {
    td_string!(l, imports.legacy_not_a_date, value = value).to_string()
}

pub(super) fn not_a_number(l: Locale, value: &str) -> String {
    td_string!(l, imports.legacy_not_a_number, value = value).to_string()
}

pub(super) fn bad_language(l: Locale, value: &str) -> String {
    td_string!(l, imports.legacy_bad_language, value = value).to_string()
}

pub(super) fn bad_country(l: Locale, value: &str) -> String {
    td_string!(l, imports.legacy_bad_country, value = value).to_string()
}

pub(super) fn bad_member_type(l: Locale, value: &str, kinds: &str) -> String {
    td_string!(
        l,
        imports.legacy_bad_member_type,
        value = value,
        kinds = kinds
    )
    .to_string()
}

pub(super) fn hidden_dropped(l: Locale, question: &str, count: usize, rows: &str) -> String {
    td_string!(
        l,
        imports.legacy_hidden_dropped,
        question = question,
        count = count,
        rows = rows
    )
    .to_string()
}

pub(super) fn required_unanswered(l: Locale, question: &str, count: usize, rows: &str) -> String {
    td_string!(
        l,
        imports.legacy_required_unanswered,
        question = question,
        count = count,
        rows = rows
    )
    .to_string()
}

pub(super) fn more_problems(l: Locale, count: usize) -> String {
    td_string!(l, imports.legacy_more_problems, count = count).to_string()
}

/// Why a column's name is refused.
pub(super) fn refused(l: Locale, questions: &[&Question], name: &str, why: &Refused) -> String {
    let code = |q: usize| questions.get(q).map_or("", |q| q.code.as_str());
    // The first part's code, to show what a valid column name looks like.
    let example = |q: usize| {
        let first = questions.get(q).and_then(|q| match &q.kind {
            Kind::Multiple { choices, .. } => choices.first(),
            Kind::Matrix { rows, .. } => rows.first(),
            _ => None,
        });
        first.map_or_else(String::new, |c| format!("{}.{}", code(q), c.code))
    };
    match why {
        Refused::Unknown => td_string!(l, imports.legacy_unknown_column, column = name).to_string(),
        Refused::NoSuchChoice(q, choice) => td_string!(
            l,
            imports.legacy_no_such_choice,
            question = code(*q),
            choice = choice,
            example = example(*q)
        )
        .to_string(),
        Refused::NoSuchRow(q, row) => td_string!(
            l,
            imports.legacy_no_such_row,
            question = code(*q),
            row = row,
            example = example(*q)
        )
        .to_string(),
        Refused::SingleColumn(q) => {
            td_string!(l, imports.legacy_single_column, question = code(*q)).to_string()
        }
        Refused::MatrixColumn(q) => td_string!(
            l,
            imports.legacy_matrix_column,
            question = code(*q),
            example = example(*q)
        )
        .to_string(),
    }
}

/// A value that is not one of a question's choices.
pub(super) fn miss(l: Locale, q: &Question, value: &str, miss: Miss, m: &Matcher) -> String {
    match miss {
        Miss::Unknown => td_string!(
            l,
            imports.legacy_unknown_choice,
            value = value,
            question = q.code.as_str(),
            choices = m.hint()
        )
        .to_string(),
        Miss::Ambiguous => td_string!(
            l,
            imports.legacy_ambiguous_choice,
            value = value,
            question = q.code.as_str()
        )
        .to_string(),
    }
}

/// An answer the survey's checks refused; `value` is the cell as written.
pub(super) fn answer(l: Locale, q: &Question, e: &AnswerError, value: &str) -> String {
    let question = q.code.as_str();
    let bound = |b: Option<f64>| b.map(fmt_number).unwrap_or_default();
    let (min, max) = match q.kind {
        Kind::Number { min, max, .. } => (bound(min), bound(max)),
        _ => (String::new(), String::new()),
    };
    match e.problem {
        Why::Required => td_string!(l, imports.legacy_required, question = question).to_string(),
        Why::UnknownChoice => td_string!(
            l,
            imports.legacy_unknown_choice,
            value = value,
            question = question,
            choices = Matcher::new(&q.kind.options()).hint()
        )
        .to_string(),
        Why::OtherNeedsText => {
            td_string!(l, imports.legacy_other_needs_text, question = question).to_string()
        }
        Why::NotANumber => not_a_number(l, value),
        Why::NotAnInteger => td_string!(
            l,
            imports.legacy_not_an_integer,
            value = value,
            question = question
        )
        .to_string(),
        Why::BelowMin => td_string!(
            l,
            imports.legacy_below_min,
            value = value,
            question = question,
            min = min
        )
        .to_string(),
        Why::AboveMax => td_string!(
            l,
            imports.legacy_above_max,
            value = value,
            question = question,
            max = max
        )
        .to_string(),
        Why::NotADate => not_a_date(l, value),
        Why::TooLong => {
            let long = matches!(q.kind, Kind::LongText) && !e.field.ends_with(".other");
            let max = if long { LONG_TEXT_MAX } else { SHORT_TEXT_MAX };
            td_string!(l, imports.legacy_too_long, max = max).to_string()
        }
        Why::ControlCharacters => td_string!(l, imports.legacy_control_characters).to_string(),
        Why::RowMissing => {
            td_string!(l, imports.legacy_row_missing, question = question).to_string()
        }
    }
}

//! The importer's sentences, in the reader's language (namespace `xlsform`).

use super::expr::ExprError;
use crate::i18n::*;
use crate::lang::Locale;

/// Why a row's type cannot be imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    Repeat,
    Calculate,
    Gps,
    Media,
    External,
    Rank,
    Range,
    Acknowledge,
    Hidden,
    Time,
    Unknown,
}

pub fn reason(l: Locale, r: Reason) -> &'static str {
    match r {
        Reason::Repeat => td_string!(l, xlsform.reason_repeat),
        Reason::Calculate => td_string!(l, xlsform.reason_calculate),
        Reason::Gps => td_string!(l, xlsform.reason_gps),
        Reason::Media => td_string!(l, xlsform.reason_media),
        Reason::External => td_string!(l, xlsform.reason_external),
        Reason::Rank => td_string!(l, xlsform.reason_rank),
        Reason::Range => td_string!(l, xlsform.reason_range),
        Reason::Acknowledge => td_string!(l, xlsform.reason_acknowledge),
        Reason::Hidden => td_string!(l, xlsform.reason_hidden),
        Reason::Time => td_string!(l, xlsform.reason_time),
        Reason::Unknown => td_string!(l, xlsform.reason_unknown),
    }
}

pub fn unsupported_type(l: Locale, kind: &str, r: Reason) -> String {
    td_string!(
        l,
        xlsform.unsupported_type,
        kind = kind,
        reason = reason(l, r)
    )
    .to_string()
}

/// A `relevant` or `constraint` expression's problem, as the end of a sentence.
pub fn expr_detail(l: Locale, e: &ExprError) -> String {
    let q = |code: &str| format!("${{{code}}}");
    match e {
        ExprError::Unexpected { at, found } => {
            td_string!(l, xlsform.expr_unexpected, found = found, at = at).to_string()
        }
        ExprError::End => td_string!(l, xlsform.expr_end).to_string(),
        ExprError::UnclosedString { at } => {
            td_string!(l, xlsform.expr_unclosed_string, at = at).to_string()
        }
        ExprError::UnknownFunction { name, .. } => {
            td_string!(l, xlsform.expr_unknown_function, name = name).to_string()
        }
        ExprError::NotComparison { at } => {
            td_string!(l, xlsform.expr_not_comparison, at = at).to_string()
        }
        ExprError::Negation => td_string!(l, xlsform.expr_negation).to_string(),
        ExprError::UnknownQuestion(code) => {
            td_string!(l, xlsform.expr_unknown_question, question = q(code)).to_string()
        }
        ExprError::NotAChoice { question, value } => td_string!(
            l,
            xlsform.expr_not_a_choice,
            question = q(question),
            value = value
        )
        .to_string(),
        ExprError::NotANumber { question, value } => td_string!(
            l,
            xlsform.expr_not_a_number,
            question = q(question),
            value = value
        )
        .to_string(),
        ExprError::NotADate { question, value } => td_string!(
            l,
            xlsform.expr_not_a_date,
            question = q(question),
            value = value
        )
        .to_string(),
        ExprError::OpNotForKind { question, op } => {
            td_string!(l, xlsform.expr_op_kind, question = q(question), op = op).to_string()
        }
        ExprError::AnsweredTest { question } => {
            td_string!(l, xlsform.expr_answered, question = q(question)).to_string()
        }
        ExprError::Matrix { question } => {
            td_string!(l, xlsform.expr_matrix, question = q(question)).to_string()
        }
        ExprError::NotBounds => td_string!(l, xlsform.constraint_not_bounds).to_string(),
        ExprError::TooDeep => {
            td_string!(l, xlsform.expr_too_deep, max = super::expr::MAX_DEPTH).to_string()
        }
    }
}

/// The sentence for a `relevant` that cannot be read or cannot be expressed.
pub fn relevant(l: Locale, e: &ExprError) -> String {
    let detail = expr_detail(l, e);
    match e {
        ExprError::Unexpected { .. }
        | ExprError::End
        | ExprError::UnclosedString { .. }
        | ExprError::NotComparison { .. }
        | ExprError::TooDeep => {
            td_string!(l, xlsform.relevant_unreadable, detail = detail).to_string()
        }
        _ => td_string!(l, xlsform.relevant_unsupported, detail = detail).to_string(),
    }
}

/// The sentence for a `constraint` that is not bounds.
pub fn constraint(l: Locale, e: &ExprError) -> String {
    match e {
        ExprError::NotBounds => td_string!(l, xlsform.constraint_not_bounds).to_string(),
        other => td_string!(
            l,
            xlsform.constraint_unreadable,
            detail = expr_detail(l, other)
        )
        .to_string(),
    }
}

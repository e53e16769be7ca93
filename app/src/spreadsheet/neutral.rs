//! Cells written into files people open in a spreadsheet (CSV and XLSX exports).
//!
//! A cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is read by Excel,
//! LibreOffice and Google Sheets as a formula ("CSV injection", OWASP). Every export passes
//! its text cells through [`neutralise`], which puts an apostrophe in front: the spreadsheet
//! shows the text as written and evaluates nothing. Numbers are written as numbers, not text,
//! so a negative value keeps its sign.
//!
//! Importers that read such a file back (a survey export imported into another survey) undo
//! it with [`unneutralise`].

use std::borrow::Cow;

/// The characters that make a spreadsheet read a cell as a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `text` made safe to open in a spreadsheet: prefixed with `'` when it would be a formula,
/// and when it already looks neutralised (apostrophes, then a formula start: `'=…`), so that
/// [`unneutralise`] gives back exactly what was written.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    if formula_after_apostrophes(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

fn formula_after_apostrophes(text: &str) -> bool {
    text.trim_start_matches('\'').starts_with(FORMULA_STARTS)
}

/// A CSV field made safe: a number (`-3`, `1.5`, `-2e3`) is left as it is — it is never read as
/// a formula, and a negative value keeps its sign — and any other text is [`neutralise`]d.
pub fn neutralise_field(text: &str) -> Cow<'_, str> {
    if text.trim().parse::<f64>().is_ok_and(f64::is_finite) {
        Cow::Borrowed(text)
    } else {
        neutralise(text)
    }
}

/// The text [`neutralise`] was given: the apostrophe it put in front of a formula start is
/// removed (any other text is left as it is, so this undoes exactly what `neutralise` did).
pub fn unneutralise(text: &str) -> &str {
    if text.starts_with('\'') && formula_after_apostrophes(text) {
        &text[1..]
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_formula_start_is_prefixed_with_an_apostrophe() {
        for text in ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx"] {
            assert_eq!(neutralise(text), format!("'{text}"), "{text:?}");
        }
    }

    #[test]
    fn ordinary_text_is_left_as_it_is() {
        for text in ["", "Yes", "1 = 1", "a-b", "email@example.org", "'quoted"] {
            assert!(
                matches!(neutralise(text), Cow::Borrowed(t) if t == text),
                "{text:?}"
            );
        }
    }

    #[test]
    fn csv_fields_that_are_numbers_keep_their_sign() {
        for number in ["-3", "1.5", "-2e3", "+4"] {
            assert_eq!(neutralise_field(number), number);
        }
        for text in ["-2+3", "=1", "-inf", "+NaN", "@x"] {
            assert_eq!(neutralise_field(text), format!("'{text}"), "{text:?}");
        }
    }

    #[test]
    fn unneutralise_gives_back_what_neutralise_was_given() {
        for text in [
            "=1+1", "'=1+1", "''=1", "-2", "'quoted", "plain", "", "'", "'@",
        ] {
            assert_eq!(unneutralise(&neutralise(text)), text, "{text:?}");
        }
    }
}

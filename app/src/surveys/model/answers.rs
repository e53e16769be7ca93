//! Answers: as posted (raw text per form field, kept in the draft so that save-and-resume
//! and error messages work from what the person typed), and as checked (typed values per
//! question code, what a submitted response stores).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::condition::Seen;
use super::definition::{Definition, Kind, Question};

/// What the form posted: field name → values (several for check boxes).
pub type Raw = BTreeMap<String, Vec<String>>;

/// The form field of a question (`q.Q3`), of its "other" text (`q.Q3.other`) and of one
/// matrix row (`q.Q3.r2`).
pub fn field(code: &str) -> String {
    joined(&["q.", code])
}
pub fn other_field(code: &str) -> String {
    joined(&["q.", code, ".other"])
}
pub fn row_field(code: &str, row: &str) -> String {
    joined(&["q.", code, ".", row])
}

/// `parts` end to end (form fields are named for every question of every response checked:
/// without the formatting machinery of `format!`).
fn joined(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        out.push_str(p);
    }
    out
}

/// The code of the "Other, please specify" choice of a multiple choice.
pub const OTHER: &str = "_other";

/// The longest short text, and long text, in characters.
pub const SHORT_TEXT_MAX: usize = 500;
pub const LONG_TEXT_MAX: usize = 10_000;

/// A checked answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Answer {
    /// A single choice's or a Likert point's code.
    Choice(String),
    /// A multiple choice's codes, and the "other" text if that was chosen.
    Choices {
        codes: Vec<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        other: Option<String>,
    },
    Number(f64),
    Text(String),
    /// `YYYY-MM-DD`.
    Date(String),
    /// Row code → scale code.
    Matrix(BTreeMap<String, String>),
}

/// Checked answers by question code.
pub type Answers = BTreeMap<String, Answer>;

impl Answer {
    /// The answer as conditions see it.
    pub fn seen(&self) -> Option<Seen<'_>> {
        match self {
            Answer::Choice(c) | Answer::Text(c) | Answer::Date(c) => Some(Seen::One(c.into())),
            Answer::Choices { codes, .. } => {
                Some(Seen::Many(codes.iter().map(String::as_str).collect()))
            }
            Answer::Number(n) => Some(Seen::One(fmt_number(*n).into())),
            // Conditions cannot read a matrix (the builder does not offer it).
            Answer::Matrix(_) => None,
        }
    }
}

/// A number written for people and for conditions: no trailing `.0`.
pub fn fmt_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// Parses a strict `YYYY-MM-DD` date (no sign, no other layout), returned re-formatted.
pub fn parse_date(s: &str) -> Option<String> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    if !b
        .iter()
        .enumerate()
        .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
    {
        return None;
    }
    let year: i32 = s[0..4].parse().ok()?;
    let month: u8 = s[5..7].parse().ok()?;
    let day: u8 = s[8..10].parse().ok()?;
    let month = time::Month::try_from(month).ok()?;
    let date = time::Date::from_calendar_date(year, month, day).ok()?;
    Some(crate::spreadsheet::grid::iso_date(date))
}

fn has_control(s: &str, multiline: bool) -> bool {
    let allowed = |c: char| multiline && matches!(c, '\n' | '\r' | '\t');
    if s.is_ascii() {
        // Byte by byte: the control characters of ASCII are its only ones below 0x80.
        return s
            .bytes()
            .any(|b| (b < 0x20 || b == 0x7f) && !allowed(char::from(b)));
    }
    s.chars().any(|c| c.is_control() && !allowed(c))
}

/// Whether `s` is longer than `limit` characters (no count needed when its bytes fit).
fn too_long(s: &str, limit: usize) -> bool {
    s.len() > limit && s.chars().count() > limit
}

/// Why an answer was refused (the page words it in the respondent's language).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Problem {
    Required,
    /// Not one of the choices (a tampered form).
    UnknownChoice,
    OtherNeedsText,
    NotANumber,
    NotAnInteger,
    BelowMin,
    AboveMax,
    NotADate,
    TooLong,
    ControlCharacters,
    /// A matrix with a row not answered.
    RowMissing,
}

/// One problem at one form field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerError {
    /// The form field (see [`field`]).
    pub field: String,
    /// The question's code.
    pub question: String,
    pub problem: Problem,
}

fn first<'a>(raw: &'a Raw, name: &str) -> &'a str {
    raw.get(name)
        .and_then(|v| v.iter().find(|s| !s.trim().is_empty()))
        .map(|s| s.trim())
        .unwrap_or("")
}

/// Checks one question's posted values: `Ok(None)` when not answered (and not required).
pub fn check(q: &Question, raw: &Raw) -> Result<Option<Answer>, AnswerError> {
    let name = field(&q.code);
    let err = |field: String, problem| AnswerError {
        field,
        question: q.code.clone(),
        problem,
    };
    let required = |a: Option<Answer>| match a {
        None if q.required => Err(err(field(&q.code), Problem::Required)),
        a => Ok(a),
    };
    match &q.kind {
        Kind::Single { .. } | Kind::Likert { .. } => {
            let v = first(raw, &name);
            if v.is_empty() {
                return required(None);
            }
            if !q.kind.has_option(v) {
                return Err(err(name, Problem::UnknownChoice));
            }
            Ok(Some(Answer::Choice(v.to_string())))
        }
        Kind::Multiple { choices, other } => {
            let mut codes: Vec<String> = Vec::new();
            for v in raw.get(&name).into_iter().flatten().map(|s| s.trim()) {
                if v.is_empty() || codes.iter().any(|c| c == v) {
                    continue;
                }
                let known = choices.iter().any(|c| c.code == v) || (*other && v == OTHER);
                if !known {
                    return Err(err(name, Problem::UnknownChoice));
                }
                codes.push(v.to_string());
            }
            // In the definition's order, whatever order the browser posted.
            codes.sort_by_key(|c| {
                choices
                    .iter()
                    .position(|x| &x.code == c)
                    .unwrap_or(usize::MAX)
            });
            let other_text = first(raw, &other_field(&q.code));
            let other = if codes.iter().any(|c| c == OTHER) {
                if other_text.is_empty() {
                    return Err(err(other_field(&q.code), Problem::OtherNeedsText));
                }
                if too_long(other_text, SHORT_TEXT_MAX) {
                    return Err(err(other_field(&q.code), Problem::TooLong));
                }
                if has_control(other_text, false) {
                    return Err(err(other_field(&q.code), Problem::ControlCharacters));
                }
                Some(other_text.to_string())
            } else {
                None
            };
            if codes.is_empty() {
                return required(None);
            }
            Ok(Some(Answer::Choices { codes, other }))
        }
        Kind::Number { min, max, integer } => {
            let v = first(raw, &name);
            if v.is_empty() {
                return required(None);
            }
            // Spaces (also non-breaking) between thousands and a decimal comma are accepted.
            let written = ['\u{a0}', '\u{202f}', ' ', ','];
            let n = if v.contains(written) {
                v.replace(['\u{a0}', '\u{202f}', ' '], "")
                    .replace(',', ".")
                    .parse::<f64>()
            } else {
                v.parse::<f64>()
            };
            let n = n
                .ok()
                .filter(|n| n.is_finite())
                .ok_or_else(|| err(name.clone(), Problem::NotANumber))?;
            if *integer && n.fract() != 0.0 {
                return Err(err(name, Problem::NotAnInteger));
            }
            if min.is_some_and(|m| n < m) {
                return Err(err(name, Problem::BelowMin));
            }
            if max.is_some_and(|m| n > m) {
                return Err(err(name, Problem::AboveMax));
            }
            Ok(Some(Answer::Number(n)))
        }
        Kind::ShortText | Kind::LongText => {
            let long = matches!(q.kind, Kind::LongText);
            let v = first(raw, &name);
            if v.is_empty() {
                return required(None);
            }
            let limit = if long { LONG_TEXT_MAX } else { SHORT_TEXT_MAX };
            if too_long(v, limit) {
                return Err(err(name, Problem::TooLong));
            }
            if has_control(v, long) {
                return Err(err(name, Problem::ControlCharacters));
            }
            Ok(Some(Answer::Text(v.to_string())))
        }
        Kind::Date => {
            let v = first(raw, &name);
            if v.is_empty() {
                return required(None);
            }
            let d = parse_date(v).ok_or_else(|| err(name, Problem::NotADate))?;
            Ok(Some(Answer::Date(d)))
        }
        Kind::Matrix { rows, scale } => {
            let mut out = BTreeMap::new();
            let mut missing = None;
            for r in rows {
                let f = row_field(&q.code, &r.code);
                let v = first(raw, &f);
                if v.is_empty() {
                    missing.get_or_insert(f);
                    continue;
                }
                if !scale.iter().any(|c| c.code == v) {
                    return Err(err(f, Problem::UnknownChoice));
                }
                out.insert(r.code.clone(), v.to_string());
            }
            match missing {
                // Partly answered, or required: every row is needed.
                Some(f) if q.required || !out.is_empty() => Err(err(f, Problem::RowMissing)),
                _ if out.is_empty() => Ok(None),
                _ => Ok(Some(Answer::Matrix(out))),
            }
        }
    }
}

/// What the conditions make of a set of posted answers: which sections and questions are
/// shown, the checked answers of the shown questions, and the problems.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Walk {
    /// Indexes of the sections shown.
    pub sections: Vec<usize>,
    /// Codes of the questions shown.
    pub shown: Vec<String>,
    /// Checked answers of shown questions (answers to hidden ones are dropped).
    pub answers: Answers,
    pub errors: Vec<AnswerError>,
}

impl Walk {
    pub fn is_shown(&self, code: &str) -> bool {
        self.shown.iter().any(|c| c == code)
    }

    /// Problems of the questions of section `index`.
    pub fn errors_in(&self, def: &Definition, index: usize) -> Vec<&AnswerError> {
        self.errors
            .iter()
            .filter(|e| def.section_of(&e.question) == Some(index))
            .collect()
    }
}

/// Walks the survey in order: a section or question is shown when its condition holds on
/// the answers of the questions shown before it; hidden ones are never required and their
/// answers never count.
pub fn walk(def: &Definition, raw: &Raw) -> Walk {
    let mut w = Walk::default();
    for (i, s) in def.sections.iter().enumerate() {
        let lookup = |code: &str| w.answers.get(code).and_then(Answer::seen);
        if s.show_if.as_ref().is_some_and(|c| !c.holds(&lookup)) {
            continue;
        }
        w.sections.push(i);
        for q in &s.questions {
            if q.hidden {
                continue;
            }
            let lookup = |code: &str| w.answers.get(code).and_then(Answer::seen);
            if q.show_if.as_ref().is_some_and(|c| !c.holds(&lookup)) {
                continue;
            }
            w.shown.push(q.code.clone());
            match check(q, raw) {
                Ok(Some(a)) => {
                    w.answers.insert(q.code.clone(), a);
                }
                Ok(None) => {}
                Err(e) => w.errors.push(e),
            }
        }
    }
    w
}

/// Posted values of `answers`, to fill a form again (a submitted copy shown as a form, a
/// legacy import…).
pub fn to_raw(def: &Definition, answers: &Answers) -> Raw {
    let mut raw = Raw::new();
    for q in def.questions() {
        let Some(a) = answers.get(&q.code) else {
            continue;
        };
        match a {
            Answer::Choice(v) | Answer::Text(v) | Answer::Date(v) => {
                raw.insert(field(&q.code), vec![v.clone()]);
            }
            Answer::Number(n) => {
                raw.insert(field(&q.code), vec![fmt_number(*n)]);
            }
            Answer::Choices { codes, other } => {
                raw.insert(field(&q.code), codes.clone());
                if let Some(o) = other {
                    raw.insert(other_field(&q.code), vec![o.clone()]);
                }
            }
            Answer::Matrix(rows) => {
                for (r, v) in rows {
                    raw.insert(row_field(&q.code, r), vec![v.clone()]);
                }
            }
        }
    }
    raw
}

/// An answer in words, in `lang` (choice labels, not codes): the review page, the copy a
/// respondent keeps, the results' free-text lists.
pub fn display(q: &Question, a: &Answer, lang: &str, default: &str) -> String {
    let label = |choices: &[super::definition::Choice], code: &str| {
        choices
            .iter()
            .find(|c| c.code == code)
            .map(|c| c.label.get(lang, default).to_string())
            .unwrap_or_else(|| code.to_string())
    };
    match (a, &q.kind) {
        (Answer::Choice(code), kind) => label(&kind.options(), code),
        (Answer::Choices { codes, other }, kind) => {
            let options = kind.options();
            codes
                .iter()
                .map(|c| {
                    if c == OTHER {
                        other.clone().unwrap_or_default()
                    } else {
                        label(&options, c)
                    }
                })
                .collect::<Vec<_>>()
                .join("; ")
        }
        (Answer::Number(n), _) => fmt_number(*n),
        (Answer::Text(t) | Answer::Date(t), _) => t.clone(),
        (Answer::Matrix(rows), Kind::Matrix { rows: defs, scale }) => defs
            .iter()
            .filter_map(|r| {
                rows.get(&r.code)
                    .map(|v| format!("{}: {}", r.label.get(lang, default), label(scale, v)))
            })
            .collect::<Vec<_>>()
            .join("; "),
        (Answer::Matrix(rows), _) => rows
            .iter()
            .map(|(r, v)| format!("{r}: {v}"))
            .collect::<Vec<_>>()
            .join("; "),
    }
}

#[cfg(test)]
mod tests {
    use super::super::condition::{Comparison, Condition, Op};
    use super::super::definition::{Choice, Section, Text};
    use super::*;

    fn q(code: &str, kind: Kind, required: bool) -> Question {
        Question {
            code: code.into(),
            kind,
            text: Text::new("en", code),
            help: Text::default(),
            required,
            hidden: false,
            show_if: None,
        }
    }
    fn choices(codes: &[&str]) -> Vec<Choice> {
        codes
            .iter()
            .map(|c| Choice {
                code: c.to_string(),
                label: Text::new("en", *c),
            })
            .collect()
    }
    fn raw(pairs: &[(&str, &str)]) -> Raw {
        let mut r = Raw::new();
        for (k, v) in pairs {
            r.entry(k.to_string()).or_default().push(v.to_string());
        }
        r
    }
    fn problem(q: &Question, pairs: &[(&str, &str)]) -> Problem {
        check(q, &raw(pairs)).unwrap_err().problem
    }

    #[test]
    fn single_choice_takes_one_known_code() {
        let s = q(
            "Q1",
            Kind::Single {
                choices: choices(&["yes", "no"]),
            },
            true,
        );
        assert_eq!(
            check(&s, &raw(&[("q.Q1", "no")])).unwrap(),
            Some(Answer::Choice("no".into()))
        );
        assert_eq!(problem(&s, &[]), Problem::Required);
        assert_eq!(problem(&s, &[("q.Q1", "maybe")]), Problem::UnknownChoice);
    }

    #[test]
    fn multiple_choice_keeps_the_definitions_order_and_needs_the_other_text() {
        let m = q(
            "Q2",
            Kind::Multiple {
                choices: choices(&["a", "b", "c"]),
                other: true,
            },
            false,
        );
        assert_eq!(
            check(&m, &raw(&[("q.Q2", "c"), ("q.Q2", "a"), ("q.Q2", "a")])).unwrap(),
            Some(Answer::Choices {
                codes: vec!["a".into(), "c".into()],
                other: None
            })
        );
        assert_eq!(problem(&m, &[("q.Q2", OTHER)]), Problem::OtherNeedsText);
        assert_eq!(
            check(&m, &raw(&[("q.Q2", OTHER), ("q.Q2.other", "Radiotherapy")])).unwrap(),
            Some(Answer::Choices {
                codes: vec![OTHER.into()],
                other: Some("Radiotherapy".into())
            })
        );
        assert_eq!(check(&m, &raw(&[])).unwrap(), None);
        assert_eq!(problem(&m, &[("q.Q2", "z")]), Problem::UnknownChoice);
    }

    #[test]
    fn likert_takes_a_point_of_its_scale() {
        let l = q(
            "L",
            Kind::Likert {
                scale: super::super::definition::default_likert_scale(),
            },
            false,
        );
        assert_eq!(
            check(&l, &raw(&[("q.L", "5")])).unwrap(),
            Some(Answer::Choice("5".into()))
        );
        assert_eq!(problem(&l, &[("q.L", "6")]), Problem::UnknownChoice);
    }

    #[test]
    fn numbers_are_parsed_bounded_and_integers_refuse_decimals() {
        let n = q(
            "N",
            Kind::Number {
                min: Some(0.0),
                max: Some(100.0),
                integer: true,
            },
            false,
        );
        assert_eq!(
            check(&n, &raw(&[("q.N", " 42 ")])).unwrap(),
            Some(Answer::Number(42.0))
        );
        assert_eq!(problem(&n, &[("q.N", "4.5")]), Problem::NotAnInteger);
        assert_eq!(problem(&n, &[("q.N", "-1")]), Problem::BelowMin);
        assert_eq!(problem(&n, &[("q.N", "101")]), Problem::AboveMax);
        assert_eq!(problem(&n, &[("q.N", "ten")]), Problem::NotANumber);
        assert_eq!(problem(&n, &[("q.N", "NaN")]), Problem::NotANumber);
        let d = q(
            "D",
            Kind::Number {
                min: None,
                max: None,
                integer: false,
            },
            false,
        );
        assert_eq!(
            check(&d, &raw(&[("q.D", "12,5")])).unwrap(),
            Some(Answer::Number(12.5))
        );
    }

    #[test]
    fn texts_are_limited_and_refuse_control_characters() {
        let s = q("S", Kind::ShortText, false);
        let l = q("L", Kind::LongText, false);
        assert_eq!(
            problem(&s, &[("q.S", &"x".repeat(SHORT_TEXT_MAX + 1))]),
            Problem::TooLong
        );
        assert_eq!(
            problem(&s, &[("q.S", "a\u{0}b")]),
            Problem::ControlCharacters
        );
        assert_eq!(problem(&s, &[("q.S", "a\nb")]), Problem::ControlCharacters);
        assert_eq!(
            check(&l, &raw(&[("q.L", "a\nb")])).unwrap(),
            Some(Answer::Text("a\nb".into()))
        );
        assert_eq!(
            problem(&l, &[("q.L", "a\u{7}b")]),
            Problem::ControlCharacters
        );
        // Beyond ASCII: C1 controls refused, accented letters and other scripts kept; a
        // limit counts characters, not bytes.
        assert_eq!(
            problem(&l, &[("q.L", "é\u{85}b")]),
            Problem::ControlCharacters
        );
        assert_eq!(
            problem(&s, &[("q.S", "x\u{7f}")]),
            Problem::ControlCharacters
        );
        let accented = "é".repeat(SHORT_TEXT_MAX);
        assert_eq!(
            check(&s, &raw(&[("q.S", &accented)])).unwrap(),
            Some(Answer::Text(accented.clone()))
        );
        assert_eq!(
            problem(&s, &[("q.S", &format!("{accented}é"))]),
            Problem::TooLong
        );
    }

    #[test]
    fn dates_must_be_real_and_written_year_month_day() {
        let d = q("D", Kind::Date, false);
        assert_eq!(
            check(&d, &raw(&[("q.D", "2026-02-28")])).unwrap(),
            Some(Answer::Date("2026-02-28".into()))
        );
        for bad in [
            "2026-02-30",
            "+2099-12-31",
            "28/02/2026",
            "2026-2-28",
            "20260228",
        ] {
            assert_eq!(problem(&d, &[("q.D", bad)]), Problem::NotADate, "{bad}");
        }
    }

    #[test]
    fn a_matrix_needs_every_row_once_started_or_when_required() {
        let m = q(
            "M",
            Kind::Matrix {
                rows: choices(&["r1", "r2"]),
                scale: choices(&["lo", "hi"]),
            },
            false,
        );
        assert_eq!(check(&m, &raw(&[])).unwrap(), None);
        assert_eq!(problem(&m, &[("q.M.r1", "lo")]), Problem::RowMissing);
        assert_eq!(
            check(&m, &raw(&[("q.M.r1", "lo"), ("q.M.r2", "hi")])).unwrap(),
            Some(Answer::Matrix(BTreeMap::from([
                ("r1".into(), "lo".into()),
                ("r2".into(), "hi".into())
            ])))
        );
        assert_eq!(
            problem(&m, &[("q.M.r1", "lo"), ("q.M.r2", "mid")]),
            Problem::UnknownChoice
        );
    }

    fn conditional() -> Definition {
        let mut d = Definition::new("en", "T");
        let mut follow = q("Q2", Kind::ShortText, true);
        follow.show_if = Some(Condition::Compare(Comparison {
            question: "Q1".into(),
            op: Op::Equals,
            value: "yes".into(),
        }));
        d.sections[0].questions = vec![
            q(
                "Q1",
                Kind::Single {
                    choices: choices(&["yes", "no"]),
                },
                true,
            ),
            follow,
        ];
        d.sections.push(Section {
            code: "S2".into(),
            title: Text::new("en", "More"),
            intro: Text::default(),
            show_if: Some(Condition::Compare(Comparison {
                question: "Q1".into(),
                op: Op::NotEquals,
                value: "no".into(),
            })),
            questions: vec![q(
                "Q3",
                Kind::Number {
                    min: None,
                    max: None,
                    integer: false,
                },
                true,
            )],
        });
        d
    }

    #[test]
    fn hidden_questions_are_never_required_and_their_answers_never_count() {
        let d = conditional();
        let w = walk(&d, &raw(&[("q.Q1", "no"), ("q.Q2", "should be dropped")]));
        assert_eq!(w.shown, vec!["Q1"]);
        assert_eq!(w.sections, vec![0]);
        assert!(w.errors.is_empty(), "{:?}", w.errors);
        assert!(!w.answers.contains_key("Q2"));
        let w = walk(&d, &raw(&[("q.Q1", "yes")]));
        assert_eq!(w.shown, vec!["Q1", "Q2", "Q3"]);
        assert_eq!(
            w.errors
                .iter()
                .map(|e| e.question.as_str())
                .collect::<Vec<_>>(),
            vec!["Q2", "Q3"]
        );
        assert_eq!(w.errors_in(&d, 1).len(), 1);
    }

    #[test]
    fn a_condition_on_a_number_answer_compares_the_number() {
        let mut d = conditional();
        let mut big = q("Q4", Kind::ShortText, true);
        big.show_if = Some(Condition::Compare(Comparison {
            question: "Q3".into(),
            op: Op::Greater,
            value: "10".into(),
        }));
        d.sections[1].questions.push(big);
        let w = walk(
            &d,
            &raw(&[("q.Q1", "yes"), ("q.Q2", "x"), ("q.Q3", "12,5")]),
        );
        assert!(w.is_shown("Q4"), "12.5 > 10");
        let w = walk(&d, &raw(&[("q.Q1", "yes"), ("q.Q2", "x"), ("q.Q3", "7")]));
        assert!(!w.is_shown("Q4"));
        assert!(
            w.errors.is_empty(),
            "a hidden required question is no problem: {:?}",
            w.errors
        );
    }

    #[test]
    fn answers_turn_back_into_the_forms_values() {
        let d = conditional();
        let r = raw(&[("q.Q1", "yes"), ("q.Q2", "x"), ("q.Q3", "2.5")]);
        let w = walk(&d, &r);
        assert!(w.errors.is_empty());
        assert_eq!(walk(&d, &to_raw(&d, &w.answers)).answers, w.answers);
    }
}

//! The builder's forms as a browser posts them, read into the definition's types (pure, so
//! tested here): lists of choices written one per line as `code = label`, texts per language,
//! a condition as up to three comparisons joined by one "and" or "or". Problems are typed and
//! tied to the form field that caused them; the pages word them in the reader's language.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::surveys::model::definition::{default_likert_scale, is_code, likert_choices};
use crate::surveys::model::{
    Choice, Comparison, Condition, Definition, Kind, KindName, Op, Question, Text,
};

/// How many comparisons a condition form offers.
pub const MAX_COMPARISONS: usize = 3;

/// One comparison row of a condition form (`conditions[0][question]`…); an empty question
/// means the row is not used.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComparisonInput {
    #[serde(default)]
    pub question: String,
    #[serde(default)]
    pub op: String,
    #[serde(default)]
    pub value: String,
}

/// What is wrong with one posted field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Problem {
    /// The text in the survey's default language is empty.
    TextMissing,
    /// Line `line` of a list has a code that is not 1 to 32 letters, digits, `-` or `_`.
    BadCode {
        line: usize,
        code: String,
    },
    /// Line `line` repeats a code.
    DuplicateCode {
        line: usize,
        code: String,
    },
    /// A translation names a code the default language's list does not have.
    UnknownCode {
        line: usize,
        code: String,
    },
    /// A translation has more lines than the list has entries.
    TooManyLines {
        lines: usize,
        entries: usize,
    },
    /// Line `line` of a list has a code but no label.
    LabelMissing {
        line: usize,
    },
    /// Not a language code (`fr`, `pt-BR`).
    BadLanguage {
        code: String,
    },
    /// A list needs at least `min` entries (and at most `max`).
    Count {
        min: usize,
        max: usize,
    },
    NotANumber,
    MinAboveMax,
    UnknownKind,
    /// The question (or section) code is not well-formed.
    BadQuestionCode,
    /// The code is already used by another question (or section).
    CodeTaken,
    /// A comparison reads a question that is not earlier in the survey.
    NotEarlier,
    UnknownOperator,
    ValueMissing,
    /// The value does not fit the question compared (a choice it does not have…).
    ConditionDoesNotFit,
    /// A question or section at the first (last) place cannot move up (down).
    CannotMove,
    /// A survey keeps at least one section.
    LastSection,
    /// Another problem of the survey's structure, in English (from `Definition::problems`).
    Structure(String),
}

/// A problem at a form field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldProblem {
    pub field: String,
    pub problem: Problem,
}

impl Problem {
    /// The problem in the reader's language.
    pub fn message(&self, locale: crate::lang::Locale) -> String {
        use crate::i18n::*;
        match self {
            Problem::TextMissing => {
                td_string!(locale, survey_builder.problem_text_missing).to_string()
            }
            Problem::BadCode { line, code } => td_string!(
                locale,
                survey_builder.problem_bad_code,
                line = line,
                code = code
            )
            .to_string(),
            Problem::DuplicateCode { line, code } => td_string!(
                locale,
                survey_builder.problem_duplicate_code,
                line = line,
                code = code
            )
            .to_string(),
            Problem::UnknownCode { line, code } => td_string!(
                locale,
                survey_builder.problem_unknown_code,
                line = line,
                code = code
            )
            .to_string(),
            Problem::TooManyLines { lines, entries } => td_string!(
                locale,
                survey_builder.problem_too_many_lines,
                lines = lines,
                entries = entries
            )
            .to_string(),
            Problem::LabelMissing { line } => {
                td_string!(locale, survey_builder.problem_label_missing, line = line).to_string()
            }
            Problem::BadLanguage { code } => {
                td_string!(locale, survey_builder.problem_bad_language, code = code).to_string()
            }
            Problem::Count { min, max } => {
                td_string!(locale, survey_builder.problem_count, min = min, max = max).to_string()
            }
            Problem::NotANumber => {
                td_string!(locale, survey_builder.problem_not_a_number).to_string()
            }
            Problem::MinAboveMax => {
                td_string!(locale, survey_builder.problem_min_above_max).to_string()
            }
            Problem::UnknownKind => {
                td_string!(locale, survey_builder.problem_unknown_kind).to_string()
            }
            Problem::BadQuestionCode => {
                td_string!(locale, survey_builder.problem_bad_question_code).to_string()
            }
            Problem::CodeTaken => td_string!(locale, survey_builder.problem_code_taken).to_string(),
            Problem::NotEarlier => {
                td_string!(locale, survey_builder.problem_not_earlier).to_string()
            }
            Problem::UnknownOperator => {
                td_string!(locale, survey_builder.problem_unknown_operator).to_string()
            }
            Problem::ValueMissing => {
                td_string!(locale, survey_builder.problem_value_missing).to_string()
            }
            Problem::ConditionDoesNotFit => {
                td_string!(locale, survey_builder.problem_condition_does_not_fit).to_string()
            }
            Problem::CannotMove => {
                td_string!(locale, survey_builder.problem_cannot_move).to_string()
            }
            Problem::LastSection => {
                td_string!(locale, survey_builder.problem_last_section).to_string()
            }
            Problem::Structure(message) => message.clone(),
        }
    }
}

/// The problems as the error a form shows: each at its field, in the reader's language.
pub fn invalid(problems: Vec<FieldProblem>, locale: crate::lang::Locale) -> crate::error::AppError {
    crate::error::AppError::Invalid(
        problems
            .into_iter()
            .map(|p| crate::error::FieldError::new(p.field, p.problem.message(locale)))
            .collect(),
    )
}

fn at(field: impl Into<String>, problem: Problem) -> FieldProblem {
    FieldProblem {
        field: field.into(),
        problem,
    }
}

/// The form field of a text in one language: `text[fr]`.
pub fn lang_field(name: &str, lang: &str) -> String {
    format!("{name}[{lang}]")
}

/// The form field of one part of a comparison row: `conditions[1][value]`.
pub fn comparison_field(row: usize, part: &str) -> String {
    format!("conditions[{row}][{part}]")
}

/// A list line read: its code (if written) and its label.
fn split_line(line: &str) -> (Option<&str>, &str) {
    match line.split_once('=') {
        Some((code, label)) if is_code(code.trim()) => (Some(code.trim()), label.trim()),
        _ => (None, line.trim()),
    }
}

fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty())
}

/// A list in the default language: one entry per line, `code = label`; a line without a code
/// gets the smallest free number. Returns (code, label) in order.
pub fn parse_list(text: &str) -> Result<Vec<(String, String)>, Problem> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut uncoded: Vec<usize> = Vec::new();
    for (line, l) in lines(text) {
        match split_line(l) {
            (Some(_), "") => return Err(Problem::LabelMissing { line }),
            (Some(code), label) => {
                if out.iter().any(|(c, _)| c == code) {
                    return Err(Problem::DuplicateCode {
                        line,
                        code: code.into(),
                    });
                }
                out.push((code.to_string(), label.to_string()));
            }
            (None, label) => {
                // A single word before `=` was meant as a code.
                if let Some((code, _)) = l
                    .split_once('=')
                    .filter(|(c, _)| !c.trim().is_empty() && !c.trim().contains(' '))
                {
                    return Err(Problem::BadCode {
                        line,
                        code: code.trim().into(),
                    });
                }
                uncoded.push(out.len());
                out.push((String::new(), label.to_string()));
            }
        }
    }
    let mut n = 0;
    for i in uncoded {
        let code = loop {
            n += 1;
            let c = n.to_string();
            if !out.iter().any(|(x, _)| *x == c) {
                break c;
            }
        };
        out[i].0 = code;
    }
    Ok(out)
}

/// A translation of a list: lines `code = label` (or, without codes, labels in the list's
/// order); an empty label leaves that entry untranslated. Returns code → label.
pub fn parse_translation(
    text: &str,
    codes: &[String],
) -> Result<BTreeMap<String, String>, Problem> {
    let mut out = BTreeMap::new();
    let mut count = 0;
    for (line, l) in text.lines().enumerate().map(|(i, l)| (i + 1, l.trim())) {
        if l.is_empty() {
            continue;
        }
        count += 1;
        let (code, label) = match split_line(l) {
            (Some(code), label) => {
                if !codes.iter().any(|c| c == code) {
                    return Err(Problem::UnknownCode {
                        line,
                        code: code.into(),
                    });
                }
                (code.to_string(), label)
            }
            (None, label) => match codes.get(count - 1) {
                Some(code) => (code.clone(), label),
                None => {
                    return Err(Problem::TooManyLines {
                        lines: count,
                        entries: codes.len(),
                    })
                }
            },
        };
        if !label.is_empty() {
            out.insert(code, label.to_string());
        }
    }
    Ok(out)
}

/// A list as its textarea shows it in `lang`: `code = label` per line (an empty label where
/// it is not translated).
pub fn format_list(choices: &[Choice], lang: &str) -> String {
    choices
        .iter()
        .map(|c| match c.label.exact(lang) {
            Some(label) => format!("{} = {label}", c.code),
            None => format!("{} = ", c.code),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A list posted in several languages (`choices[en]`, `choices[fr]`…): the default
/// language's defines the entries. `None` when the default language's textarea was not
/// posted.
fn choices_from(
    name: &str,
    posted: &BTreeMap<String, String>,
    def: &Definition,
    count: (usize, usize),
    problems: &mut Vec<FieldProblem>,
) -> Option<Vec<Choice>> {
    let default = &def.default_language;
    let text = posted.get(default)?;
    let list = match parse_list(text) {
        Ok(list) => list,
        Err(p) => {
            problems.push(at(lang_field(name, default), p));
            return Some(Vec::new());
        }
    };
    if list.len() < count.0 || list.len() > count.1 {
        problems.push(at(
            lang_field(name, default),
            Problem::Count {
                min: count.0,
                max: count.1,
            },
        ));
    }
    let codes: Vec<String> = list.iter().map(|(c, _)| c.clone()).collect();
    let mut choices: Vec<Choice> = list
        .into_iter()
        .map(|(code, label)| Choice {
            code,
            label: Text::new(default, label),
        })
        .collect();
    for lang in def.languages.iter().filter(|l| *l != default) {
        let Some(text) = posted.get(lang) else {
            continue;
        };
        match parse_translation(text, &codes) {
            Ok(labels) => {
                for c in &mut choices {
                    c.label
                        .set(lang, labels.get(&c.code).map(String::as_str).unwrap_or(""));
                }
            }
            Err(p) => problems.push(at(lang_field(name, lang), p)),
        }
    }
    Some(choices)
}

/// Texts posted per language set on `text`; languages not posted keep their text.
fn set_texts(text: &mut Text, posted: &BTreeMap<String, String>, languages: &[String]) {
    for lang in languages {
        if let Some(t) = posted.get(lang) {
            text.set(lang, t);
        }
    }
}

/// The word for "Option" and "Row" in a survey's default language, for the entries a new
/// question starts with (the admin replaces them).
fn placeholder(lang: &str) -> (&'static str, &'static str) {
    match lang {
        "fr" => ("Option", "Ligne"),
        "de" => ("Option", "Zeile"),
        _ => ("Option", "Row"),
    }
}

/// The default scale in the survey's languages (English where the default language has no
/// label of its own).
fn seed_scale(def: &Definition) -> Vec<Text> {
    default_likert_scale()
        .into_iter()
        .map(|t| {
            let mut out = Text::default();
            for lang in &def.languages {
                if let Some(label) = t.exact(lang) {
                    out.set(lang, label);
                }
            }
            if out.exact(&def.default_language).is_none() {
                out.set(&def.default_language, t.get("en", "en"));
            }
            out
        })
        .collect()
}

/// What a new question of `kind` starts with: two options, the default scale, one row.
pub fn seed(kind: KindName, def: &Definition) -> Kind {
    let lang = &def.default_language;
    let (option, row) = placeholder(lang);
    let options = || {
        (1..=2)
            .map(|n| Choice {
                code: n.to_string(),
                label: Text::new(lang, format!("{option} {n}")),
            })
            .collect::<Vec<_>>()
    };
    match kind {
        KindName::Single => Kind::Single { choices: options() },
        KindName::Multiple => Kind::Multiple {
            choices: options(),
            other: false,
        },
        KindName::Likert => Kind::Likert {
            scale: seed_scale(def),
        },
        KindName::Number => Kind::Number {
            min: None,
            max: None,
            integer: false,
        },
        KindName::ShortText => Kind::ShortText,
        KindName::LongText => Kind::LongText,
        KindName::Date => Kind::Date,
        KindName::Matrix => Kind::Matrix {
            rows: vec![Choice {
                code: "r1".into(),
                label: Text::new(lang, format!("{row} 1")),
            }],
            scale: likert_choices(&seed_scale(def)),
        },
    }
}

/// A new question `code` of `kind` asking `text` (in the default language).
pub fn new_question(
    def: &Definition,
    kind: &str,
    text: &str,
) -> Result<Question, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let kind = KindName::parse(kind);
    if kind.is_none() {
        problems.push(at("kind", Problem::UnknownKind));
    }
    if text.trim().is_empty() {
        problems.push(at("text", Problem::TextMissing));
    }
    match kind {
        Some(kind) if problems.is_empty() => Ok(Question {
            code: def.next_question_code(),
            kind: seed(kind, def),
            text: Text::new(&def.default_language, text),
            help: Text::default(),
            required: false,
            hidden: false,
            show_if: None,
        }),
        _ => Err(problems),
    }
}

fn parse_number(s: &str) -> Result<Option<f64>, Problem> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    s.replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|n| n.is_finite())
        .map(Some)
        .ok_or(Problem::NotANumber)
}

/// A condition posted as comparison rows joined by `join` (`any` for "or", anything else
/// "and"); rows without a question are skipped. `earlier`: the codes of the questions that
/// come before what the condition guards.
pub fn parse_condition(
    join: &str,
    rows: &[ComparisonInput],
    earlier: &[&str],
) -> Result<Option<Condition>, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let mut list = Vec::new();
    for (i, row) in rows.iter().enumerate().take(MAX_COMPARISONS) {
        let question = row.question.trim();
        if question.is_empty() {
            continue;
        }
        if !earlier.contains(&question) {
            problems.push(at(comparison_field(i, "question"), Problem::NotEarlier));
        }
        let op = Op::parse(row.op.trim());
        if op.is_none() {
            problems.push(at(comparison_field(i, "op"), Problem::UnknownOperator));
        }
        if row.value.trim().is_empty() {
            problems.push(at(comparison_field(i, "value"), Problem::ValueMissing));
        }
        if let Some(op) = op {
            list.push(Comparison {
                question: question.into(),
                op,
                value: row.value.trim().into(),
            });
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Condition::join(join != "any", list))
}

/// The rows a condition form shows (always [`MAX_COMPARISONS`], unused ones empty) and
/// whether they are joined by "and".
pub fn condition_rows(c: Option<&Condition>) -> (bool, Vec<ComparisonInput>) {
    let (all, list) = c.map(Condition::flat).unwrap_or((true, Vec::new()));
    let mut rows: Vec<ComparisonInput> = list
        .into_iter()
        .map(|c| ComparisonInput {
            question: c.question.clone(),
            op: c.op.as_str().into(),
            value: c.value.clone(),
        })
        .collect();
    rows.resize(MAX_COMPARISONS.max(rows.len()), ComparisonInput::default());
    (all, rows)
}

/// A question's form as posted.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QuestionInput {
    /// The code to give the question (empty: keep it).
    pub new_code: String,
    pub kind: String,
    pub text: BTreeMap<String, String>,
    pub help: BTreeMap<String, String>,
    /// Choices (single and multiple choice).
    pub choices: BTreeMap<String, String>,
    /// Scale points (Likert, matrix).
    pub scale: BTreeMap<String, String>,
    /// Matrix rows.
    pub rows: BTreeMap<String, String>,
    pub min: String,
    pub max: String,
    pub integer: bool,
    pub other: bool,
    pub required: bool,
    pub hidden: bool,
    pub join: String,
    pub conditions: Vec<ComparisonInput>,
}

/// The kind a question gets from its form: lists not posted (the form of another kind was
/// on screen) start as a new question's would.
fn kind_from(
    input: &QuestionInput,
    name: KindName,
    def: &Definition,
    problems: &mut Vec<FieldProblem>,
) -> Kind {
    let seeded = seed(name, def);
    match seeded {
        Kind::Single { choices } => Kind::Single {
            choices: choices_from("choices", &input.choices, def, (2, 200), problems)
                .unwrap_or(choices),
        },
        Kind::Multiple { choices, .. } => Kind::Multiple {
            choices: choices_from("choices", &input.choices, def, (2, 200), problems)
                .unwrap_or(choices),
            other: input.other,
        },
        Kind::Likert { scale } => Kind::Likert {
            // Points are numbered by their order: codes written in the default language are
            // read, then renumbered.
            scale: choices_from("scale", &input.scale, def, (2, 11), problems)
                .map(|points| points.into_iter().map(|p| p.label).collect())
                .unwrap_or(scale),
        },
        Kind::Number { .. } => {
            let mut bound = |field: &str, s: &str| {
                parse_number(s).unwrap_or_else(|p| {
                    problems.push(at(field, p));
                    None
                })
            };
            let (min, max) = (bound("min", &input.min), bound("max", &input.max));
            if let (Some(a), Some(b)) = (min, max) {
                if a > b {
                    problems.push(at("max", Problem::MinAboveMax));
                }
            }
            Kind::Number {
                min,
                max,
                integer: input.integer,
            }
        }
        Kind::Matrix { rows, scale } => Kind::Matrix {
            rows: choices_from("rows", &input.rows, def, (1, 100), problems).unwrap_or(rows),
            scale: choices_from("scale", &input.scale, def, (2, 11), problems).unwrap_or(scale),
        },
        other => other,
    }
}

/// Renames question `from` to `to` where conditions read it.
fn rename_in_conditions(def: &mut Definition, from: &str, to: &str) {
    fn rename(c: &mut Condition, from: &str, to: &str) {
        match c {
            Condition::Compare(cmp) if cmp.question == from => cmp.question = to.to_string(),
            Condition::Compare(_) => {}
            Condition::All(list) | Condition::Any(list) => {
                list.iter_mut().for_each(|c| rename(c, from, to))
            }
        }
    }
    for s in &mut def.sections {
        if let Some(c) = &mut s.show_if {
            rename(c, from, to);
        }
        for q in &mut s.questions {
            if let Some(c) = &mut q.show_if {
                rename(c, from, to);
            }
        }
    }
}

/// The codes of the questions before question `code` (or before section `section`).
fn earlier_questions(def: &Definition, before: impl Fn(&str, Option<&str>) -> bool) -> Vec<String> {
    let mut out = Vec::new();
    for s in &def.sections {
        if before(&s.code, None) {
            return out;
        }
        for q in &s.questions {
            if before(&s.code, Some(&q.code)) {
                return out;
            }
            out.push(q.code.clone());
        }
    }
    out
}

/// The questions a condition of question `code` may read.
pub fn earlier_than_question(def: &Definition, code: &str) -> Vec<String> {
    earlier_questions(def, |_, q| q == Some(code))
}

/// The questions a condition of section `code` may read.
pub fn earlier_than_section(def: &Definition, code: &str) -> Vec<String> {
    earlier_questions(def, |s, q| q.is_none() && s == code)
}

/// The problems `Definition::problems` finds at `code`, as field problems: those that go
/// away without the condition are the condition's.
fn structure_problems(
    def: &Definition,
    code: &str,
    clear: impl Fn(&mut Definition),
) -> Vec<FieldProblem> {
    let at_code = |d: &Definition| -> Vec<String> {
        d.problems()
            .into_iter()
            .filter(|(a, _)| a == code)
            .map(|(_, m)| m)
            .collect()
    };
    let with = at_code(def);
    if with.is_empty() {
        return Vec::new();
    }
    let mut without_condition = def.clone();
    clear(&mut without_condition);
    let without = at_code(&without_condition);
    with.into_iter()
        .map(|m| {
            if without.contains(&m) {
                at("code", Problem::Structure(m))
            } else {
                at("conditions", Problem::ConditionDoesNotFit)
            }
        })
        .collect()
}

/// Applies a question's form to the definition. `code` is the question's code now.
pub fn apply_question(
    def: &mut Definition,
    code: &str,
    input: &QuestionInput,
) -> Result<(), Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let Some(old) = def.question(code).cloned() else {
        return Err(vec![at(
            "code",
            Problem::Structure(format!("There is no question {code}.")),
        )]);
    };
    let name = KindName::parse(&input.kind).unwrap_or_else(|| {
        problems.push(at("kind", Problem::UnknownKind));
        old.kind.name()
    });
    let kind = kind_from(input, name, def, &mut problems);
    let mut text = old.text.clone();
    set_texts(&mut text, &input.text, &def.languages);
    if text.exact(&def.default_language).is_none() {
        problems.push(at(
            lang_field("text", &def.default_language),
            Problem::TextMissing,
        ));
    }
    let mut help = old.help.clone();
    set_texts(&mut help, &input.help, &def.languages);
    let earlier = earlier_than_question(def, code);
    let earlier: Vec<&str> = earlier.iter().map(String::as_str).collect();
    let show_if = match parse_condition(&input.join, &input.conditions, &earlier) {
        Ok(c) => c,
        Err(p) => {
            problems.extend(p);
            None
        }
    };
    let new_code = input.new_code.trim();
    let new_code = if new_code.is_empty() { code } else { new_code };
    if new_code != code {
        if !is_code(new_code) {
            problems.push(at("new_code", Problem::BadQuestionCode));
        } else if def.question(new_code).is_some() {
            problems.push(at("new_code", Problem::CodeTaken));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    if let Some(q) = def.question_mut(code) {
        *q = Question {
            code: new_code.to_string(),
            kind,
            text,
            help,
            required: input.required,
            hidden: input.hidden,
            show_if,
        };
    }
    if new_code != code {
        rename_in_conditions(def, code, new_code);
    }
    let problems = structure_problems(def, new_code, |d| {
        if let Some(q) = d.question_mut(new_code) {
            q.show_if = None;
        }
    });
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// A section's form as posted.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SectionInput {
    pub title: BTreeMap<String, String>,
    pub intro: BTreeMap<String, String>,
    pub join: String,
    pub conditions: Vec<ComparisonInput>,
}

/// Applies a section's form to the definition.
pub fn apply_section(
    def: &mut Definition,
    code: &str,
    input: &SectionInput,
) -> Result<(), Vec<FieldProblem>> {
    let earlier = earlier_than_section(def, code);
    let earlier: Vec<&str> = earlier.iter().map(String::as_str).collect();
    let show_if = parse_condition(&input.join, &input.conditions, &earlier)?;
    let languages = def.languages.clone();
    let Some(s) = def.sections.iter_mut().find(|s| s.code == code) else {
        return Err(vec![at(
            "code",
            Problem::Structure(format!("There is no section {code}.")),
        )]);
    };
    set_texts(&mut s.title, &input.title, &languages);
    set_texts(&mut s.intro, &input.intro, &languages);
    s.show_if = show_if;
    let problems = structure_problems(def, code, |d| {
        if let Some(s) = d.sections.iter_mut().find(|s| s.code == code) {
            s.show_if = None;
        }
    });
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// Up or down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
}

impl Direction {
    pub fn parse(s: &str) -> Option<Direction> {
        match s {
            "up" => Some(Direction::Up),
            "down" => Some(Direction::Down),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Up => "up",
            Direction::Down => "down",
        }
    }
}

/// Moves question `code` one place: within its section, or from its first (last) place to
/// the end (start) of the section before (after). False when it cannot move further.
pub fn move_question(def: &mut Definition, code: &str, direction: Direction) -> bool {
    let Some(s) = def.section_of(code) else {
        return false;
    };
    let Some(i) = def.sections[s]
        .questions
        .iter()
        .position(|q| q.code == code)
    else {
        return false;
    };
    let len = def.sections[s].questions.len();
    match direction {
        Direction::Up if i > 0 => def.sections[s].questions.swap(i, i - 1),
        Direction::Down if i + 1 < len => def.sections[s].questions.swap(i, i + 1),
        Direction::Up if s > 0 => {
            let q = def.sections[s].questions.remove(i);
            def.sections[s - 1].questions.push(q);
        }
        Direction::Down if s + 1 < def.sections.len() => {
            let q = def.sections[s].questions.remove(i);
            def.sections[s + 1].questions.insert(0, q);
        }
        _ => return false,
    }
    true
}

/// Moves section `code` one place; false when it cannot move further.
pub fn move_section(def: &mut Definition, code: &str, direction: Direction) -> bool {
    let Some(i) = def.sections.iter().position(|s| s.code == code) else {
        return false;
    };
    let j = match direction {
        Direction::Up if i > 0 => i - 1,
        Direction::Down if i + 1 < def.sections.len() => i + 1,
        _ => return false,
    };
    def.sections.swap(i, j);
    true
}

/// The survey's title, introduction and languages as posted.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TextsInput {
    pub title: BTreeMap<String, String>,
    pub intro: BTreeMap<String, String>,
    /// The languages ticked.
    pub languages: Vec<String>,
    /// A language to add, by code (`pt`, `pt-BR`).
    pub add_language: String,
    pub default_language: String,
}

/// Applies the survey texts' form: languages first (the default one always offered), then
/// the texts in the languages offered.
pub fn apply_texts(def: &mut Definition, input: &TextsInput) -> Result<(), Vec<FieldProblem>> {
    use crate::surveys::model::definition::is_language_code;
    let mut problems = Vec::new();
    let mut languages: Vec<String> = Vec::new();
    let add = input.add_language.trim();
    for l in input
        .languages
        .iter()
        .map(|l| l.trim())
        .chain((!add.is_empty()).then_some(add))
    {
        if !is_language_code(l) {
            problems.push(at(
                if l == add {
                    "add_language"
                } else {
                    "languages"
                },
                Problem::BadLanguage { code: l.into() },
            ));
        } else if !languages.iter().any(|x| x == l) {
            languages.push(l.to_string());
        }
    }
    let default = input.default_language.trim();
    let default = if default.is_empty() {
        def.default_language.clone()
    } else {
        default.to_string()
    };
    if !is_language_code(&default) {
        problems.push(at(
            "default_language",
            Problem::BadLanguage {
                code: default.clone(),
            },
        ));
    }
    if !languages.contains(&default) {
        languages.insert(0, default.clone());
    }
    // The default first, the others in the order ticked.
    languages.sort_by_key(|l| *l != default);
    let mut title = def.title.clone();
    set_texts(&mut title, &input.title, &languages);
    if title.exact(&default).is_none() {
        problems.push(at(lang_field("title", &default), Problem::TextMissing));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    def.title = title;
    set_texts(&mut def.intro, &input.intro, &languages);
    def.languages = languages;
    def.default_language = default;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def() -> Definition {
        let mut d = Definition::new("en", "Workforce");
        d.languages = vec!["en".into(), "fr".into()];
        d
    }

    fn posted(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_list_reads_code_equals_label_and_numbers_lines_without_a_code() {
        let list = parse_list("yes = Yes\n\n  no=No  \nNot sure\n2 + 2 = 4").unwrap();
        assert_eq!(
            list,
            vec![
                ("yes".to_string(), "Yes".to_string()),
                ("no".into(), "No".into()),
                ("1".into(), "Not sure".into()),
                ("2".into(), "2 + 2 = 4".into()),
            ]
        );
        assert_eq!(
            parse_list("a = A\na = B"),
            Err(Problem::DuplicateCode {
                line: 2,
                code: "a".into()
            })
        );
        assert_eq!(
            parse_list("_x = A"),
            Err(Problem::BadCode {
                line: 1,
                code: "_x".into()
            })
        );
        assert_eq!(
            parse_list("a = A\nb ="),
            Err(Problem::LabelMissing { line: 2 })
        );
        // A number written as a code is not taken twice.
        assert_eq!(parse_list("Low\n1 = One").unwrap()[0].0, "2");
    }

    #[test]
    fn a_translation_is_keyed_by_code_or_read_in_order() {
        let codes = vec!["yes".to_string(), "no".to_string()];
        let t = parse_translation("no = Non\nyes = Oui", &codes).unwrap();
        assert_eq!(t.get("yes").map(String::as_str), Some("Oui"));
        let t = parse_translation("Oui\nNon", &codes).unwrap();
        assert_eq!(t.get("no").map(String::as_str), Some("Non"));
        let t = parse_translation("yes = \nno = Non", &codes).unwrap();
        assert!(!t.contains_key("yes"));
        assert_eq!(
            parse_translation("maybe = Peut-être", &codes),
            Err(Problem::UnknownCode {
                line: 1,
                code: "maybe".into()
            })
        );
        assert_eq!(
            parse_translation("a\nb\nc", &codes),
            Err(Problem::TooManyLines {
                lines: 3,
                entries: 2
            })
        );
    }

    #[test]
    fn a_list_formatted_for_its_textarea_reads_back_the_same() {
        let choices = vec![
            Choice {
                code: "yes".into(),
                label: Text::new("en", "Yes"),
            },
            Choice {
                code: "no".into(),
                label: Text::new("en", "No"),
            },
        ];
        assert_eq!(format_list(&choices, "en"), "yes = Yes\nno = No");
        assert_eq!(format_list(&choices, "fr"), "yes = \nno = ");
        let back = parse_list(&format_list(&choices, "en")).unwrap();
        assert_eq!(back[1], ("no".to_string(), "No".to_string()));
    }

    #[test]
    fn a_condition_reads_up_to_three_comparisons_on_earlier_questions() {
        let rows = vec![
            ComparisonInput {
                question: "Q1".into(),
                op: "equals".into(),
                value: "yes".into(),
            },
            ComparisonInput::default(),
            ComparisonInput {
                question: "Q2".into(),
                op: "greater".into(),
                value: "3".into(),
            },
        ];
        let c = parse_condition("any", &rows, &["Q1", "Q2"])
            .unwrap()
            .unwrap();
        let (all, list) = c.flat();
        assert!(!all);
        assert_eq!(list.len(), 2);
        assert_eq!(
            parse_condition("all", &[ComparisonInput::default()], &[]),
            Ok(None)
        );
        let bad = parse_condition("all", &rows, &["Q1"]).unwrap_err();
        assert_eq!(
            bad,
            vec![at("conditions[2][question]", Problem::NotEarlier)]
        );
        let (all, shown) = condition_rows(Some(&c));
        assert!(!all);
        assert_eq!(shown.len(), MAX_COMPARISONS);
        assert_eq!(shown[1].question, "Q2");
    }

    fn yes_no_question(d: &mut Definition) {
        let q = new_question(d, "single", "Shortages?").unwrap();
        d.sections[0].questions.push(q);
    }

    #[test]
    fn a_question_form_sets_choices_in_every_language_and_its_condition() {
        let mut d = def();
        yes_no_question(&mut d);
        let q2 = new_question(&d, "number", "How many?").unwrap();
        d.sections[0].questions.push(q2);
        let input = QuestionInput {
            kind: "single".into(),
            text: posted(&[("en", "Shortages?"), ("fr", "Pénuries ?")]),
            choices: posted(&[("en", "yes = Yes\nno = No"), ("fr", "yes = Oui\nno =")]),
            required: true,
            ..Default::default()
        };
        apply_question(&mut d, "Q1", &input).unwrap();
        let q = d.question("Q1").unwrap();
        assert!(q.required);
        assert_eq!(q.kind.options()[0].label.exact("fr"), Some("Oui"));
        assert_eq!(q.kind.options()[1].label.exact("fr"), None);
        assert_eq!(
            d.untranslated()[0].missing,
            vec!["title", "Q1: choice no", "Q2: text"]
        );
        let input = QuestionInput {
            kind: "number".into(),
            min: "0".into(),
            max: "10,5".into(),
            integer: true,
            join: "all".into(),
            conditions: vec![ComparisonInput {
                question: "Q1".into(),
                op: "equals".into(),
                value: "yes".into(),
            }],
            ..Default::default()
        };
        apply_question(&mut d, "Q2", &input).unwrap();
        let q = d.question("Q2").unwrap();
        assert_eq!(
            q.kind,
            Kind::Number {
                min: Some(0.0),
                max: Some(10.5),
                integer: true
            }
        );
        assert_eq!(q.show_if.as_ref().map(|c| c.questions()), Some(vec!["Q1"]));
        assert_eq!(
            q.text.exact("en"),
            Some("How many?"),
            "texts not posted stay"
        );
    }

    #[test]
    fn a_question_form_names_the_fields_to_fix_and_changes_nothing() {
        let mut d = def();
        yes_no_question(&mut d);
        let before = d.clone();
        let input = QuestionInput {
            kind: "single".into(),
            text: posted(&[("en", " ")]),
            choices: posted(&[("en", "only = One")]),
            ..Default::default()
        };
        let problems = apply_question(&mut d, "Q1", &input).unwrap_err();
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, vec!["choices[en]", "text[en]"]);
        assert_eq!(d, before);
        let input = QuestionInput {
            kind: "number".into(),
            min: "5".into(),
            max: "1".into(),
            ..Default::default()
        };
        assert_eq!(
            apply_question(&mut d, "Q1", &input).unwrap_err(),
            vec![at("max", Problem::MinAboveMax)]
        );
    }

    #[test]
    fn a_condition_value_the_question_cannot_take_is_the_conditions_problem() {
        let mut d = def();
        yes_no_question(&mut d);
        let q2 = new_question(&d, "short-text", "Why?").unwrap();
        d.sections[0].questions.push(q2);
        let input = QuestionInput {
            kind: "short-text".into(),
            conditions: vec![ComparisonInput {
                question: "Q1".into(),
                op: "equals".into(),
                value: "maybe".into(),
            }],
            ..Default::default()
        };
        assert_eq!(
            apply_question(&mut d, "Q2", &input).unwrap_err(),
            vec![at("conditions", Problem::ConditionDoesNotFit)]
        );
    }

    #[test]
    fn a_new_kind_starts_with_the_entries_a_new_question_has() {
        let mut d = def();
        yes_no_question(&mut d);
        let input = QuestionInput {
            kind: "matrix".into(),
            ..Default::default()
        };
        apply_question(&mut d, "Q1", &input).unwrap();
        let Kind::Matrix { rows, scale } = &d.question("Q1").unwrap().kind else {
            panic!("not a matrix")
        };
        assert_eq!((rows.len(), scale.len()), (1, 5));
        assert_eq!(scale[0].label.exact("fr"), Some("Pas du tout d’accord"));
        let input = QuestionInput {
            kind: "likert".into(),
            ..Default::default()
        };
        apply_question(&mut d, "Q1", &input).unwrap();
        let input = QuestionInput {
            kind: "likert".into(),
            scale: posted(&[("en", "Never\nSometimes\nOften"), ("fr", "2 = Parfois")]),
            ..Default::default()
        };
        apply_question(&mut d, "Q1", &input).unwrap();
        let Kind::Likert { scale } = &d.question("Q1").unwrap().kind else {
            panic!("not a scale")
        };
        assert_eq!(scale.len(), 3);
        assert_eq!(scale[1].exact("fr"), Some("Parfois"));
        assert_eq!(scale[0].exact("fr"), None);
    }

    #[test]
    fn renaming_a_question_renames_it_in_conditions() {
        let mut d = def();
        yes_no_question(&mut d);
        let mut q2 = new_question(&d, "short-text", "Why?").unwrap();
        q2.show_if = Condition::join(
            true,
            vec![Comparison {
                question: "Q1".into(),
                op: Op::Equals,
                value: "1".into(),
            }],
        );
        d.sections[0].questions.push(q2);
        let input = QuestionInput {
            new_code: "shortage".into(),
            kind: "single".into(),
            ..Default::default()
        };
        apply_question(&mut d, "Q1", &input).unwrap();
        assert_eq!(
            d.question("Q2")
                .unwrap()
                .show_if
                .as_ref()
                .unwrap()
                .questions(),
            vec!["shortage"]
        );
        let input = QuestionInput {
            new_code: "Q2".into(),
            kind: "single".into(),
            ..Default::default()
        };
        assert_eq!(
            apply_question(&mut d, "shortage", &input).unwrap_err(),
            vec![at("new_code", Problem::CodeTaken)]
        );
    }

    #[test]
    fn questions_move_within_and_across_sections() {
        let mut d = def();
        yes_no_question(&mut d);
        let q2 = new_question(&d, "date", "When?").unwrap();
        d.sections[0].questions.push(q2);
        d.sections.push(crate::surveys::model::Section {
            code: "S2".into(),
            title: Text::default(),
            intro: Text::default(),
            show_if: None,
            questions: vec![],
        });
        assert!(move_question(&mut d, "Q1", Direction::Down));
        assert_eq!(d.sections[0].questions[1].code, "Q1");
        assert!(move_question(&mut d, "Q1", Direction::Down));
        assert_eq!(d.sections[1].questions[0].code, "Q1");
        assert!(!move_question(&mut d, "Q1", Direction::Down));
        assert!(move_question(&mut d, "Q1", Direction::Up));
        assert_eq!(d.section_of("Q1"), Some(0));
        assert!(move_section(&mut d, "S2", Direction::Up));
        assert_eq!(d.sections[0].code, "S2");
        assert!(!move_section(&mut d, "S2", Direction::Up));
    }

    #[test]
    fn the_texts_form_adds_and_removes_languages_and_keeps_the_default_first() {
        let mut d = def();
        let input = TextsInput {
            title: posted(&[("en", "Workforce"), ("de", "Personal")]),
            languages: vec!["en".into()],
            add_language: "de".into(),
            default_language: "en".into(),
            ..Default::default()
        };
        apply_texts(&mut d, &input).unwrap();
        assert_eq!(d.languages, vec!["en", "de"]);
        assert_eq!(d.title.exact("de"), Some("Personal"));
        let input = TextsInput {
            languages: vec!["de".into()],
            default_language: "de".into(),
            ..Default::default()
        };
        apply_texts(&mut d, &input).unwrap();
        assert_eq!(d.languages, vec!["de"]);
        let input = TextsInput {
            add_language: "French!".into(),
            default_language: "de".into(),
            ..Default::default()
        };
        assert_eq!(
            apply_texts(&mut d, &input).unwrap_err()[0].field,
            "add_language"
        );
    }
}

//! An answer in words, in a language of the survey: what a response's page, a member's own
//! data and the exports' text cells show.

use crate::surveys::model::answers::{fmt_number, OTHER};
use crate::surveys::model::{Answer, Definition, Kind, Question};

/// The label of the option `code` of `q`, in `lang` (or the default language), else the code.
pub fn option_label(def: &Definition, q: &Question, code: &str, lang: &str) -> String {
    let options = match &q.kind {
        Kind::Matrix { scale, .. } => scale.clone(),
        k => k.options(),
    };
    options
        .iter()
        .find(|o| o.code == code)
        .map(|o| o.label.get(lang, &def.default_language).to_string())
        .unwrap_or_else(|| code.to_string())
}

/// `answer` to `q` in words; `other` names the "Other" choice ("Other: …").
pub fn answer_text(
    def: &Definition,
    q: &Question,
    answer: &Answer,
    lang: &str,
    other: &str,
) -> String {
    match answer {
        Answer::Choice(code) => option_label(def, q, code, lang),
        Answer::Choices { codes, other: text } => codes
            .iter()
            .map(|c| {
                if c == OTHER {
                    format!("{other}: {}", text.as_deref().unwrap_or_default())
                } else {
                    option_label(def, q, c, lang)
                }
            })
            .collect::<Vec<_>>()
            .join("; "),
        Answer::Number(n) => fmt_number(*n),
        Answer::Text(t) | Answer::Date(t) => t.clone(),
        Answer::Matrix(given) => {
            let Kind::Matrix { rows, .. } = &q.kind else {
                return String::new();
            };
            rows.iter()
                .filter_map(|r| {
                    given.get(&r.code).map(|v| {
                        format!(
                            "{}: {}",
                            r.label.get(lang, &def.default_language),
                            option_label(def, q, v, lang)
                        )
                    })
                })
                .collect::<Vec<_>>()
                .join("; ")
        }
    }
}

/// Every answered question of `answers` in the survey's order: (question text, answer).
pub fn answer_lines(
    def: &Definition,
    answers: &crate::surveys::model::Answers,
    lang: &str,
    other: &str,
) -> Vec<super::AnswerLine> {
    def.questions()
        .filter_map(|q| {
            answers.get(&q.code).map(|a| super::AnswerLine {
                question: q.text.get(lang, &def.default_language).to_string(),
                answer: answer_text(def, q, a, lang, other),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::surveys::model::{Choice, Text};

    fn def() -> Definition {
        let mut d = Definition::new("en", "T");
        let c = |code: &str, en: &str, fr: &str| Choice {
            code: code.into(),
            label: Text(BTreeMap::from([
                ("en".into(), en.into()),
                ("fr".into(), fr.into()),
            ])),
        };
        let q = |code: &str, kind| Question {
            code: code.into(),
            kind,
            text: Text::new("en", code),
            help: Text::default(),
            required: false,
            hidden: false,
            show_if: None,
        };
        d.sections[0].questions = vec![
            q(
                "M",
                Kind::Multiple {
                    choices: vec![c("a", "Staff", "Personnel")],
                    other: true,
                },
            ),
            q(
                "G",
                Kind::Matrix {
                    rows: vec![c("r1", "Access", "Accès")],
                    scale: vec![c("1", "Low", "Bas")],
                },
            ),
        ];
        d
    }

    #[test]
    fn answers_read_in_the_language_asked_with_other_texts_and_matrix_rows() {
        let d = def();
        let m = Answer::Choices {
            codes: vec!["a".into(), OTHER.into()],
            other: Some("Beds".into()),
        };
        assert_eq!(
            answer_text(&d, &d.sections[0].questions[0], &m, "fr", "Autre"),
            "Personnel; Autre: Beds"
        );
        let g = Answer::Matrix(BTreeMap::from([("r1".into(), "1".into())]));
        assert_eq!(
            answer_text(&d, &d.sections[0].questions[1], &g, "de", "Other"),
            "Access: Low"
        );
        let lines = answer_lines(&d, &BTreeMap::from([("G".to_string(), g)]), "en", "Other");
        assert_eq!(
            lines,
            vec![crate::surveys::results::AnswerLine {
                question: "G".into(),
                answer: "Access: Low".into()
            }]
        );
    }
}

//! Answers in words, in a language of the survey (through [`answers::display`], which the
//! answering pages use too): what a response's page, a member's own data and the exports'
//! text cells show.

use crate::surveys::model::answers;
use crate::surveys::model::{Definition, Kind, Question};

/// The label of the option `code` of `q` (a choice, a Likert point, a matrix's scale point),
/// in `lang` (or the default language), else the code.
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

/// Every answered question of `given` in the survey's order: (question text, answer).
pub fn answer_lines(
    def: &Definition,
    given: &crate::surveys::model::Answers,
    lang: &str,
) -> Vec<super::AnswerLine> {
    def.questions()
        .filter_map(|q| {
            given.get(&q.code).map(|a| super::AnswerLine {
                question: q.text.get(lang, &def.default_language).to_string(),
                answer: answers::display(q, a, lang, &def.default_language),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::surveys::model::answers::OTHER;
    use crate::surveys::model::{Answer, Choice, Text};

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
    fn answers_read_in_the_language_asked_in_the_surveys_order() {
        let d = def();
        let given = BTreeMap::from([
            (
                "G".to_string(),
                Answer::Matrix(BTreeMap::from([("r1".into(), "1".into())])),
            ),
            (
                "M".to_string(),
                Answer::Choices {
                    codes: vec!["a".into(), OTHER.into()],
                    other: Some("Beds".into()),
                },
            ),
        ]);
        let lines = answer_lines(&d, &given, "fr");
        assert_eq!(
            lines.iter().map(|l| l.answer.as_str()).collect::<Vec<_>>(),
            vec!["Personnel; Beds", "Accès: Bas"]
        );
        assert_eq!(
            option_label(&d, &d.sections[0].questions[1], "1", "de"),
            "Low"
        );
        assert_eq!(
            option_label(&d, &d.sections[0].questions[1], "9", "en"),
            "9"
        );
    }
}

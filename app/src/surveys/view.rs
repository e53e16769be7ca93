//! What the answering pages show, built from a link's survey and saved answers (server only;
//! the page components render it).

use super::api::answering::{
    AnswerView, CopyView, ReviewLine, ReviewSection, SectionPage, ShownError, Step, Unavailable,
};
use super::model::answers::{self, Raw, Walk};
use super::model::{Definition, NotAccepting, Survey};
use super::repo::Response;
use super::service::Respondent;
use crate::clock;

fn base(survey: &Survey, token: &str, language: &str, step: Step) -> AnswerView {
    let def = &survey.definition;
    let language = def.language(language).to_string();
    AnswerView {
        token: token.to_string(),
        title: def.title.get(&language, &def.default_language).to_string(),
        intro: def.intro.get(&language, &def.default_language).to_string(),
        default_language: def.default_language.clone(),
        languages: def.languages.clone(),
        language,
        anonymous: survey.anonymous,
        closes_on: survey.closes_on.clone(),
        preview: false,
        step,
    }
}

/// The page of a link.
pub fn answer_view(
    r: &Respondent,
    section: Option<usize>,
    review: bool,
    check: bool,
    asked: &str,
) -> AnswerView {
    let token = r
        .draft
        .as_ref()
        .map(|d| d.token.clone())
        .unwrap_or_default();
    let language = r.language(asked).to_string();
    let step = if r.answered() {
        Step::Unavailable(Unavailable::Answered)
    } else if let Err(why) = r.survey.accepting(&clock::today()) {
        Step::Unavailable(match why {
            NotAccepting::Draft | NotAccepting::NotYetOpen => Unavailable::NotYetOpen,
            NotAccepting::Closed => Unavailable::Closed,
        })
    } else if let Some(draft) = &r.draft {
        let walk = r.walk();
        if review {
            Step::Review(review_sections(
                &r.survey.definition,
                &walk,
                &language,
                true,
            ))
        } else {
            section_step(
                &r.survey.definition,
                &draft.raw,
                &walk,
                section,
                check,
                false,
            )
        }
    } else {
        Step::Start
    };
    AnswerView {
        token,
        ..base(&r.survey, "", &language, step)
    }
}

/// A section's page: the one asked for if it is shown, else the next one shown (or the
/// review when none is left).
fn section_step(
    def: &Definition,
    raw: &Raw,
    walk: &Walk,
    asked: Option<usize>,
    check: bool,
    preview: bool,
) -> Step {
    let shown = &walk.sections;
    let index = match asked {
        Some(i) if preview && i < def.sections.len() => i,
        Some(i) => match shown.iter().find(|s| **s >= i) {
            Some(s) => *s,
            None => return Step::Review(Vec::new()),
        },
        None => match shown.first() {
            Some(s) => *s,
            None => return Step::Review(Vec::new()),
        },
    };
    let section = def.sections[index].clone();
    let position = shown
        .iter()
        .position(|s| *s == index)
        .map_or(index + 1, |p| p + 1);
    let total = if preview {
        def.sections.len()
    } else {
        shown.len()
    };
    let errors = if check {
        walk.errors_in(def, index)
            .into_iter()
            .map(|e| ShownError {
                field: e.field.clone(),
                question: e.question.clone(),
                problem: e.problem,
            })
            .collect()
    } else {
        Vec::new()
    };
    let rules: Vec<(String, super::model::Condition)> = section
        .questions
        .iter()
        .filter(|q| !q.hidden)
        .filter_map(|q| q.show_if.clone().map(|c| (q.code.clone(), c)))
        .collect();
    let mut earlier: Vec<(String, Vec<String>)> = Vec::new();
    for (_, c) in &rules {
        for code in c.questions() {
            let in_section = section.questions.iter().any(|q| q.code == code);
            if !in_section && !earlier.iter().any(|(e, _)| e == code) {
                let values = if walk.is_shown(code) {
                    raw.get(&answers::field(code)).cloned().unwrap_or_default()
                } else {
                    Vec::new()
                };
                earlier.push((code.to_string(), values));
            }
        }
    }
    let shown_here: Vec<String> = section
        .questions
        .iter()
        .filter(|q| walk.is_shown(&q.code))
        .map(|q| q.code.clone())
        .collect();
    Step::Section(SectionPage {
        index,
        position,
        total,
        section,
        shown: shown_here,
        raw: raw.clone(),
        errors,
        rules,
        earlier,
    })
}

/// The shown sections with their shown questions and answers in words.
fn review_sections(
    def: &Definition,
    walk: &Walk,
    lang: &str,
    with_unanswered: bool,
) -> Vec<ReviewSection> {
    let default = &def.default_language;
    walk.sections
        .iter()
        .map(|&i| {
            let s = &def.sections[i];
            let lines = s
                .questions
                .iter()
                .filter(|q| walk.is_shown(&q.code))
                .filter_map(|q| {
                    let answer = walk
                        .answers
                        .get(&q.code)
                        .map(|a| answers::display(q, a, lang, default))
                        .unwrap_or_default();
                    (with_unanswered || !answer.is_empty()).then(|| ReviewLine {
                        code: q.code.clone(),
                        question: q.text.get(lang, default).to_string(),
                        answer,
                    })
                })
                .collect();
            ReviewSection {
                index: i,
                title: s.title.get(lang, default).to_string(),
                lines,
                has_errors: !walk.errors_in(def, i).is_empty(),
            }
        })
        .collect()
}

/// An admin's preview: any section, no answers, conditions live in the browser.
pub fn preview(survey: &Survey, section: Option<usize>, language: &str) -> AnswerView {
    let raw = Raw::new();
    let mut walk = answers::walk(&survey.definition, &raw);
    // Every section and question can be previewed, whatever the conditions say.
    walk.sections = (0..survey.definition.sections.len()).collect();
    walk.shown = survey
        .definition
        .questions()
        .filter(|q| !q.hidden && q.show_if.is_none())
        .map(|q| q.code.clone())
        .collect();
    let step = section_step(
        &survey.definition,
        &raw,
        &walk,
        Some(section.unwrap_or(0)),
        false,
        true,
    );
    AnswerView {
        preview: true,
        ..base(survey, "", language, step)
    }
}

/// The copy of a submitted response, in the language it was given in.
pub fn copy(survey: &Survey, response: &Response) -> CopyView {
    let def = &survey.definition;
    let lang = def.language(&response.language).to_string();
    let raw = answers::to_raw(def, &response.answers);
    let walk = answers::walk(def, &raw);
    CopyView {
        title: def.title.get(&lang, &def.default_language).to_string(),
        submitted_on: response.submitted_on.clone(),
        sections: review_sections(def, &walk, &lang, false)
            .into_iter()
            .filter(|s| !s.lines.is_empty())
            .collect(),
        language: lang,
    }
}

//! What a survey asks: sections of questions, every text in several languages. Stored as one
//! JSON document per survey (the structure is read and written whole; answers refer to
//! questions by their stable codes).

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

use super::condition::Condition;

/// A text in several languages (language code → text).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Text(pub BTreeMap<String, String>);

impl Text {
    /// A text in one language.
    pub fn new(lang: &str, text: impl Into<String>) -> Self {
        let mut map = BTreeMap::new();
        let text = text.into();
        if !text.trim().is_empty() {
            map.insert(lang.to_string(), text);
        }
        Self(map)
    }

    /// The text in `lang`, else in the survey's default language `fallback`, else in any
    /// language, else "".
    pub fn get<'a>(&'a self, lang: &str, fallback: &str) -> &'a str {
        self.0
            .get(lang)
            .or_else(|| self.0.get(fallback))
            .or_else(|| self.0.values().next())
            .map(String::as_str)
            .unwrap_or("")
    }

    /// The text in exactly `lang`, if given.
    pub fn exact(&self, lang: &str) -> Option<&str> {
        self.0
            .get(lang)
            .map(String::as_str)
            .filter(|t| !t.trim().is_empty())
    }

    /// Sets (or, with an empty text, removes) the text in `lang`.
    pub fn set(&mut self, lang: &str, text: &str) {
        let text = text.trim();
        if text.is_empty() {
            self.0.remove(lang);
        } else {
            self.0.insert(lang.to_string(), text.to_string());
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.values().all(|t| t.trim().is_empty())
    }
}

/// One answer option: a stable code and its label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub code: String,
    pub label: Text,
}

/// The kind of a question, with what it needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "type")]
pub enum Kind {
    /// One of the choices (radio buttons).
    Single {
        choices: Vec<Choice>,
    },
    /// Any of the choices (check boxes), with an optional "Other, please specify".
    Multiple {
        choices: Vec<Choice>,
        #[serde(default)]
        other: bool,
    },
    /// One point of a scale (codes `1`…`n`).
    Likert {
        scale: Vec<Text>,
    },
    /// A number, optionally bounded; `integer` refuses decimals.
    Number {
        min: Option<f64>,
        max: Option<f64>,
        #[serde(default)]
        integer: bool,
    },
    ShortText,
    LongText,
    /// A date, `YYYY-MM-DD`.
    Date,
    /// Rows answered on one scale: one choice per row.
    Matrix {
        rows: Vec<Choice>,
        scale: Vec<Choice>,
    },
}

/// The kinds as the builder lists them (stored and posted names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum KindName {
    Single,
    Multiple,
    Likert,
    Number,
    ShortText,
    LongText,
    Date,
    Matrix,
}

impl KindName {
    pub const ALL: [KindName; 8] = [
        KindName::Single,
        KindName::Multiple,
        KindName::Likert,
        KindName::Number,
        KindName::ShortText,
        KindName::LongText,
        KindName::Date,
        KindName::Matrix,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            KindName::Single => "single",
            KindName::Multiple => "multiple",
            KindName::Likert => "likert",
            KindName::Number => "number",
            KindName::ShortText => "short-text",
            KindName::LongText => "long-text",
            KindName::Date => "date",
            KindName::Matrix => "matrix",
        }
    }

    pub fn parse(s: &str) -> Option<KindName> {
        KindName::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl Kind {
    pub fn name(&self) -> KindName {
        match self {
            Kind::Single { .. } => KindName::Single,
            Kind::Multiple { .. } => KindName::Multiple,
            Kind::Likert { .. } => KindName::Likert,
            Kind::Number { .. } => KindName::Number,
            Kind::ShortText => KindName::ShortText,
            Kind::LongText => KindName::LongText,
            Kind::Date => KindName::Date,
            Kind::Matrix { .. } => KindName::Matrix,
        }
    }

    /// The choices an answer is one (or some) of: choices, or a Likert scale's points.
    pub fn options(&self) -> Vec<Choice> {
        match self {
            Kind::Single { choices } | Kind::Multiple { choices, .. } => choices.clone(),
            Kind::Likert { scale } => likert_choices(scale),
            _ => Vec::new(),
        }
    }

    /// Is `code` one of [`Kind::options`]' codes? (Without building them: answers are checked
    /// by the ten thousand in an import.)
    pub fn has_option(&self, code: &str) -> bool {
        match self {
            Kind::Single { choices } | Kind::Multiple { choices, .. } => {
                choices.iter().any(|c| c.code == code)
            }
            // `1`…`n`, written as `likert_choices` writes them (no sign, no leading zero).
            Kind::Likert { scale } => {
                !code.starts_with('0')
                    && code.bytes().all(|b| b.is_ascii_digit())
                    && code
                        .parse::<usize>()
                        .is_ok_and(|n| (1..=scale.len()).contains(&n))
            }
            _ => false,
        }
    }
}

/// A Likert scale's points as choices coded `1`…`n`.
pub fn likert_choices(scale: &[Text]) -> Vec<Choice> {
    scale
        .iter()
        .enumerate()
        .map(|(i, label)| Choice {
            code: (i + 1).to_string(),
            label: label.clone(),
        })
        .collect()
}

/// The default five-point agreement scale, in the interface languages.
pub fn default_likert_scale() -> Vec<Text> {
    const POINTS: [[&str; 3]; 5] = [
        [
            "Strongly disagree",
            "Pas du tout d’accord",
            "Stimme überhaupt nicht zu",
        ],
        ["Disagree", "Pas d’accord", "Stimme nicht zu"],
        [
            "Neither agree nor disagree",
            "Ni d’accord ni pas d’accord",
            "Weder noch",
        ],
        ["Agree", "D’accord", "Stimme zu"],
        [
            "Strongly agree",
            "Tout à fait d’accord",
            "Stimme voll und ganz zu",
        ],
    ];
    POINTS
        .iter()
        .map(|[en, fr, de]| {
            Text(BTreeMap::from([
                ("de".to_string(), de.to_string()),
                ("en".to_string(), en.to_string()),
                ("fr".to_string(), fr.to_string()),
            ]))
        })
        .collect()
}

/// One question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    /// Stable, unique in the survey: answers, exports and conditions refer to it.
    pub code: String,
    pub kind: Kind,
    pub text: Text,
    #[serde(default)]
    pub help: Text,
    #[serde(default)]
    pub required: bool,
    /// Hidden by the admin (a question with answers cannot be deleted): never shown, never
    /// required, still in the exports.
    #[serde(default)]
    pub hidden: bool,
    #[serde(default)]
    pub show_if: Option<Condition>,
}

/// A page of questions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// Stable, unique in the survey.
    pub code: String,
    pub title: Text,
    #[serde(default)]
    pub intro: Text,
    #[serde(default)]
    pub show_if: Option<Condition>,
    pub questions: Vec<Question>,
}

/// A survey's content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Definition {
    /// The language texts fall back to.
    pub default_language: String,
    /// The languages respondents may choose, the default first.
    pub languages: Vec<String>,
    pub title: Text,
    #[serde(default)]
    pub intro: Text,
    pub sections: Vec<Section>,
}

/// The languages the builder offers by name; others may be added by code.
pub const KNOWN_LANGUAGES: [(&str, &str); 6] = [
    ("en", "English"),
    ("fr", "Français"),
    ("de", "Deutsch"),
    ("it", "Italiano"),
    ("es", "Español"),
    ("pl", "Polski"),
];

/// A language's own name ("Français"), or its code.
pub fn language_name(code: &str) -> &str {
    KNOWN_LANGUAGES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, name)| *name)
        .unwrap_or(code)
}

/// Is `code` a plausible language code (`fr`, `pt-BR`)?
pub fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let first = parts.next().unwrap_or_default();
    (2..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_lowercase())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Is `code` a valid question, section or choice code: a letter or digit first, then
/// letters, digits, `_` or `-`, at most 32 characters?
pub fn is_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 32
        && code
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// What is missing in one language: the places whose text is not translated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Untranslated {
    pub language: String,
    /// "Title", "Q3: text", "Q3: choice yes"… (codes, so the builder can point at them).
    pub missing: Vec<String>,
}

impl Definition {
    /// A new survey with one empty section.
    pub fn new(language: &str, title: &str) -> Self {
        Self {
            default_language: language.to_string(),
            languages: vec![language.to_string()],
            title: Text::new(language, title),
            intro: Text::default(),
            sections: vec![Section {
                code: "S1".into(),
                title: Text::new(language, ""),
                intro: Text::default(),
                show_if: None,
                questions: Vec::new(),
            }],
        }
    }

    /// Every question in order.
    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.sections.iter().flat_map(|s| s.questions.iter())
    }

    /// The question with `code`.
    pub fn question(&self, code: &str) -> Option<&Question> {
        self.questions().find(|q| q.code == code)
    }

    pub fn question_mut(&mut self, code: &str) -> Option<&mut Question> {
        self.sections
            .iter_mut()
            .flat_map(|s| s.questions.iter_mut())
            .find(|q| q.code == code)
    }

    /// The section holding question `code`, by index.
    pub fn section_of(&self, code: &str) -> Option<usize> {
        self.sections
            .iter()
            .position(|s| s.questions.iter().any(|q| q.code == code))
    }

    /// A language respondents may choose: `lang` if offered, else the default.
    pub fn language<'a>(&'a self, lang: &'a str) -> &'a str {
        if self.languages.iter().any(|l| l == lang) {
            lang
        } else {
            &self.default_language
        }
    }

    /// The next free question code (`Q1`, `Q2`…).
    pub fn next_question_code(&self) -> String {
        next_code("Q", self.questions().map(|q| q.code.as_str()))
    }

    /// The next free section code (`S1`, `S2`…).
    pub fn next_section_code(&self) -> String {
        next_code("S", self.sections.iter().map(|s| s.code.as_str()))
    }

    /// Per language other than the default, every text that is not given in it.
    pub fn untranslated(&self) -> Vec<Untranslated> {
        let default = &self.default_language;
        self.languages
            .iter()
            .filter(|l| *l != default)
            .map(|lang| {
                let mut missing = Vec::new();
                let mut check = |text: &Text, place: String| {
                    if text.exact(default).is_some() && text.exact(lang).is_none() {
                        missing.push(place);
                    }
                };
                check(&self.title, "title".into());
                check(&self.intro, "introduction".into());
                for s in &self.sections {
                    check(&s.title, format!("{}: title", s.code));
                    check(&s.intro, format!("{}: introduction", s.code));
                    for q in &s.questions {
                        check(&q.text, format!("{}: text", q.code));
                        check(&q.help, format!("{}: help", q.code));
                        for (i, label) in match &q.kind {
                            Kind::Likert { scale } => scale.iter().collect::<Vec<_>>(),
                            _ => Vec::new(),
                        }
                        .into_iter()
                        .enumerate()
                        {
                            check(label, format!("{}: scale point {}", q.code, i + 1));
                        }
                        let (choices, rows): (&[Choice], &[Choice]) = match &q.kind {
                            Kind::Single { choices } | Kind::Multiple { choices, .. } => {
                                (choices, &[])
                            }
                            Kind::Matrix { rows, scale } => (scale, rows),
                            _ => (&[], &[]),
                        };
                        for c in choices {
                            check(&c.label, format!("{}: choice {}", q.code, c.code));
                        }
                        for r in rows {
                            check(&r.label, format!("{}: row {}", q.code, r.code));
                        }
                    }
                }
                Untranslated {
                    language: lang.clone(),
                    missing,
                }
            })
            .collect()
    }

    /// Checks the structure: codes unique and well-formed, every choice list usable, bounds
    /// in order, conditions reading only earlier questions with values they can take.
    /// Returns the problems as "where: what" sentences (English; the builder shows them
    /// beside the question).
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        if self.languages.is_empty() || !self.languages.contains(&self.default_language) {
            out.push((
                "languages".into(),
                "The default language must be offered.".into(),
            ));
        }
        if self.title.is_empty() {
            out.push(("title".into(), "The survey needs a title.".into()));
        }
        let mut seen_sections = HashSet::new();
        let mut earlier: Vec<&Question> = Vec::new();
        for s in &self.sections {
            if !is_code(&s.code) || !seen_sections.insert(s.code.as_str()) {
                out.push((s.code.clone(), "Section codes must be unique.".into()));
            }
            if let Some(c) = &s.show_if {
                check_condition(c, &earlier, &s.code, &mut out);
            }
            for q in &s.questions {
                if !is_code(&q.code) {
                    out.push((
                        q.code.clone(),
                        "A question code is 1 to 32 letters, digits, - or _.".into(),
                    ));
                }
                if earlier.iter().any(|e| e.code == q.code) {
                    out.push((
                        q.code.clone(),
                        format!("The code {} is used twice.", q.code),
                    ));
                }
                if q.text.is_empty() {
                    out.push((q.code.clone(), "The question needs a text.".into()));
                }
                check_kind(q, &mut out);
                if let Some(c) = &q.show_if {
                    check_condition(c, &earlier, &q.code, &mut out);
                }
                earlier.push(q);
            }
        }
        out
    }
}

fn next_code<'a>(prefix: &str, used: impl Iterator<Item = &'a str>) -> String {
    let used: HashSet<&str> = used.collect();
    (1..)
        .map(|n| format!("{prefix}{n}"))
        .find(|c| !used.contains(c.as_str()))
        .unwrap_or_default()
}

fn check_choices(code: &str, what: &str, choices: &[Choice], out: &mut Vec<(String, String)>) {
    if choices.len() < 2 && what != "row" {
        out.push((code.into(), format!("Give at least two {what}s.")));
    }
    if choices.is_empty() {
        out.push((code.into(), format!("Give at least one {what}.")));
    }
    let mut seen = HashSet::new();
    for c in choices {
        if !is_code(&c.code) || !seen.insert(c.code.as_str()) {
            out.push((
                code.into(),
                format!("The {what} code {:?} is invalid or used twice.", c.code),
            ));
        }
        if c.label.is_empty() {
            out.push((code.into(), format!("The {what} {} needs a label.", c.code)));
        }
    }
}

fn check_kind(q: &Question, out: &mut Vec<(String, String)>) {
    match &q.kind {
        Kind::Single { choices } | Kind::Multiple { choices, .. } => {
            check_choices(&q.code, "choice", choices, out)
        }
        Kind::Likert { scale } if !(2..=11).contains(&scale.len()) => {
            out.push((q.code.clone(), "A scale has 2 to 11 points.".into()));
        }
        Kind::Number {
            min: Some(a),
            max: Some(b),
            ..
        } if a > b => {
            out.push((q.code.clone(), "The minimum is above the maximum.".into()));
        }
        Kind::Matrix { rows, scale } => {
            check_choices(&q.code, "row", rows, out);
            check_choices(&q.code, "scale point", scale, out);
        }
        _ => {}
    }
}

fn check_condition(
    c: &Condition,
    earlier: &[&Question],
    at: &str,
    out: &mut Vec<(String, String)>,
) {
    use super::condition::Op;
    let (_, list) = c.flat();
    for cmp in list {
        let Some(q) = earlier.iter().find(|q| q.code == cmp.question) else {
            out.push((
                at.into(),
                format!(
                    "The condition reads {}, which is not an earlier question.",
                    cmp.question
                ),
            ));
            continue;
        };
        let options = q.kind.options();
        let ok = match (&q.kind, cmp.op) {
            (Kind::Matrix { .. }, _) => false,
            (Kind::Multiple { .. }, Op::Includes | Op::NotEquals | Op::Equals) => {
                options.iter().any(|o| o.code == cmp.value)
            }
            (
                Kind::Single { .. } | Kind::Likert { .. },
                Op::Equals | Op::NotEquals | Op::Includes,
            ) => options.iter().any(|o| o.code == cmp.value),
            (Kind::Likert { .. } | Kind::Number { .. }, Op::Greater | Op::Less) => {
                cmp.value.trim().replace(',', ".").parse::<f64>().is_ok()
            }
            (Kind::Number { .. }, Op::Equals | Op::NotEquals) => {
                cmp.value.trim().replace(',', ".").parse::<f64>().is_ok()
            }
            (Kind::Date, Op::Equals | Op::NotEquals | Op::Greater | Op::Less) => {
                super::answers::parse_date(&cmp.value).is_some()
            }
            (Kind::ShortText | Kind::LongText, Op::Equals | Op::NotEquals) => true,
            _ => false,
        };
        if !ok {
            out.push((
                at.into(),
                format!(
                    "The condition on {} cannot be checked: {} {:?} does not fit that question.",
                    cmp.question,
                    cmp.op.as_str(),
                    cmp.value
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_option_is_known_exactly_as_the_options_list_it() {
        let likert = Kind::Likert {
            scale: default_likert_scale(),
        };
        let single = Kind::Single {
            choices: vec![Choice {
                code: "yes".into(),
                label: Text::new("en", "Yes"),
            }],
        };
        for kind in [&likert, &single] {
            for code in [
                "1", "5", "6", "0", "01", "+1", "-1", " 1", "", "yes", "Yes", "no",
            ] {
                let listed = kind.options().iter().any(|c| c.code == code);
                assert_eq!(kind.has_option(code), listed, "{code:?} in {kind:?}");
            }
        }
        assert!(likert.has_option("5") && !likert.has_option("6"));
        assert!(!Kind::ShortText.has_option(""));
    }

    #[test]
    fn a_missing_translation_falls_back_to_the_default_language() {
        let mut t = Text::new("en", "How many?");
        assert_eq!(t.get("fr", "en"), "How many?");
        t.set("fr", "Combien ?");
        assert_eq!(t.get("fr", "en"), "Combien ?");
        assert_eq!(t.get("de", "en"), "How many?");
        t.set("fr", "  ");
        assert_eq!(t.exact("fr"), None);
    }

    #[test]
    fn the_builder_lists_what_is_untranslated_per_language() {
        let mut d = Definition::new("en", "Workforce");
        d.languages = vec!["en".into(), "fr".into(), "de".into()];
        d.title.set("fr", "Main-d’œuvre");
        d.sections[0].questions.push(Question {
            code: "Q1".into(),
            kind: Kind::Single {
                choices: vec![
                    Choice {
                        code: "yes".into(),
                        label: Text::new("en", "Yes"),
                    },
                    Choice {
                        code: "no".into(),
                        label: Text::new("en", "No"),
                    },
                ],
            },
            text: Text::new("en", "Shortages?"),
            help: Text::default(),
            required: true,
            hidden: false,
            show_if: None,
        });
        let u = d.untranslated();
        assert_eq!(u.len(), 2);
        assert_eq!(u[0].language, "fr");
        assert_eq!(
            u[0].missing,
            vec!["Q1: text", "Q1: choice yes", "Q1: choice no"]
        );
        assert_eq!(u[1].missing[0], "title");
        assert!(d.problems().is_empty(), "{:?}", d.problems());
    }

    #[test]
    fn conditions_may_only_read_earlier_questions_with_fitting_values() {
        use crate::surveys::model::condition::{Comparison, Op};
        let mut d = Definition::new("en", "T");
        let q = |code: &str, kind: Kind| Question {
            code: code.into(),
            kind,
            text: Text::new("en", "?"),
            help: Text::default(),
            required: false,
            hidden: false,
            show_if: None,
        };
        let yes_no = Kind::Single {
            choices: vec![
                Choice {
                    code: "yes".into(),
                    label: Text::new("en", "Yes"),
                },
                Choice {
                    code: "no".into(),
                    label: Text::new("en", "No"),
                },
            ],
        };
        let mut later = q("Q2", Kind::ShortText);
        later.show_if = Some(Condition::Compare(Comparison {
            question: "Q1".into(),
            op: Op::Equals,
            value: "yes".into(),
        }));
        d.sections[0].questions = vec![q("Q1", yes_no.clone()), later.clone()];
        assert!(d.problems().is_empty());
        // A value the question cannot take.
        later.show_if = Some(Condition::Compare(Comparison {
            question: "Q1".into(),
            op: Op::Equals,
            value: "maybe".into(),
        }));
        d.sections[0].questions[1] = later.clone();
        assert_eq!(d.problems().len(), 1);
        // A later question.
        d.sections[0].questions = vec![later, q("Q1", yes_no)];
        assert!(d
            .problems()
            .iter()
            .any(|(_, m)| m.contains("not an earlier question")));
    }

    #[test]
    fn codes_and_language_codes_are_checked() {
        assert!(is_code("Q1") && is_code("work_force-2"));
        assert!(!is_code("") && !is_code("_x") && !is_code("a b") && !is_code(&"x".repeat(33)));
        assert!(is_language_code("fr") && is_language_code("pt-BR"));
        assert!(!is_language_code("F") && !is_language_code("french!"));
        let d = Definition::new("en", "T");
        assert_eq!(d.next_question_code(), "Q1");
        assert_eq!(d.next_section_code(), "S2");
    }
}

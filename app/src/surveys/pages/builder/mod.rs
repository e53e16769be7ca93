//! Pages of the survey builder, admins only: the list of surveys (`/admin/surveys`), a
//! survey's builder (settings, lifecycle, texts and languages, sections and questions,
//! translation status), and the forms of one section and of one question with every text in
//! every language of the survey. Rendered on the server; every form posts without JavaScript.

mod fields;
mod list;
mod question;
mod section;
mod sections;
mod survey;

pub use list::SurveysPage;
pub use question::SurveyQuestionPage;
pub use section::SurveySectionPage;
pub use survey::SurveyBuilderPage;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::i18n::*;
use crate::lang::Locale;
use crate::surveys::model::{Condition, Definition, KindName, Op, SurveyStatus};

/// A survey's status in words (the badge repeats it, colour never tells it alone).
pub fn status_word(locale: Locale, status: SurveyStatus) -> &'static str {
    match status {
        SurveyStatus::Draft => td_string!(locale, survey_builder.status_draft),
        SurveyStatus::Open => td_string!(locale, survey_builder.status_open),
        SurveyStatus::Closed => td_string!(locale, survey_builder.status_closed),
    }
}

/// A status as a badge.
#[component]
pub fn SurveyStatusBadge(status: SurveyStatus) -> impl IntoView {
    let locale = crate::lang::use_locale();
    let class = match status {
        SurveyStatus::Draft => "badge badge-draft",
        SurveyStatus::Open => "badge badge-active",
        SurveyStatus::Closed => "badge badge-inactive",
    };
    view! { <span class=class>{status_word(locale, status)}</span> }
}

/// A question kind's name.
pub fn kind_label(locale: Locale, kind: KindName) -> &'static str {
    match kind {
        KindName::Single => td_string!(locale, survey_builder.kind_single),
        KindName::Multiple => td_string!(locale, survey_builder.kind_multiple),
        KindName::Likert => td_string!(locale, survey_builder.kind_likert),
        KindName::Number => td_string!(locale, survey_builder.kind_number),
        KindName::ShortText => td_string!(locale, survey_builder.kind_short_text),
        KindName::LongText => td_string!(locale, survey_builder.kind_long_text),
        KindName::Date => td_string!(locale, survey_builder.kind_date),
        KindName::Matrix => td_string!(locale, survey_builder.kind_matrix),
    }
}

/// The kinds as select options.
pub fn kind_options(locale: Locale) -> Vec<(String, String)> {
    KindName::ALL
        .iter()
        .map(|k| (k.as_str().to_string(), kind_label(locale, *k).to_string()))
        .collect()
}

/// An operator in words ("is greater than").
pub fn op_words(locale: Locale, op: Op) -> &'static str {
    match op {
        Op::Equals => td_string!(locale, survey_builder.op_equals),
        Op::NotEquals => td_string!(locale, survey_builder.op_not_equals),
        Op::Includes => td_string!(locale, survey_builder.op_includes),
        Op::Greater => td_string!(locale, survey_builder.op_greater),
        Op::Less => td_string!(locale, survey_builder.op_less),
    }
}

/// A condition in words: "Shown if Q1 is “yes” and Q2 is greater than “3”".
pub fn condition_words(locale: Locale, c: &Condition) -> String {
    let (all, list) = c.flat();
    let join = if all {
        td_string!(locale, survey_builder.join_and)
    } else {
        td_string!(locale, survey_builder.join_or)
    };
    let parts: Vec<String> = list
        .iter()
        .map(|c| format!("{} {} “{}”", c.question, op_words(locale, c.op), c.value))
        .collect();
    td_string!(
        locale,
        survey_builder.shown_if,
        condition = parts.join(&format!(" {join} "))
    )
    .to_string()
}

/// The survey id in the URL.
fn survey_id() -> Option<i64> {
    use_params_map()
        .read_untracked()
        .get("id")
        .and_then(|v| v.parse().ok())
}

/// A path parameter (`code`).
fn param(name: &str) -> String {
    use_params_map()
        .read_untracked()
        .get(name)
        .unwrap_or_default()
}

/// The survey's title in the reader's language, or its default language's.
fn title_in(locale: Locale, def: &Definition) -> String {
    def.title
        .get(locale.tag(), &def.default_language)
        .to_string()
}

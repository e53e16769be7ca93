//! Fields the builder's forms share: a checkbox, the texts of one language, and a condition
//! (up to three comparisons on earlier questions, with the values each can be compared
//! with).

use leptos::prelude::*;

use super::{kind_label, op_words};
use crate::error::AppError;
use crate::i18n::*;
use crate::lang::use_locale;
use crate::surveys::api::builder::form::{comparison_field, condition_rows, lang_field};
use crate::surveys::model::definition::language_name;
use crate::surveys::model::{Condition, Definition, Kind, Op, Text};
use crate::ui::{field_id, SelectField, TextField};

/// The message for field `name` in the last error of a form.
pub fn field_error(
    errors: Signal<Option<AppError>>,
    name: impl Into<String>,
) -> Signal<Option<String>> {
    let name = name.into();
    Signal::derive(move || errors.get().and_then(|e| e.message_for(&name)))
}

/// The field of a survey text in one language (`title[fr]`), filled with that language's
/// text (empty where it is not translated).
#[component]
pub fn LangTextField(
    name: &'static str,
    #[prop(into)] lang: String,
    #[prop(into)] label: String,
    text: Text,
    #[prop(optional)] multiline: bool,
    errors: Signal<Option<AppError>>,
) -> impl IntoView {
    let field = lang_field(name, &lang);
    let value = text.exact(&lang).unwrap_or_default().to_string();
    view! { <TextField name=field.clone() label value multiline error=field_error(errors, field)/> }
}

/// A labelled checkbox (posts `true` when ticked).
#[component]
pub fn CheckField(
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    checked: bool,
    #[prop(into, optional)] hint: Option<String>,
    /// Overrides the id derived from the name (several forms on a page).
    #[prop(into, optional)]
    id: Option<String>,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| field_id(&name));
    let hint_id = format!("{id}-hint");
    let described = hint.as_ref().map(|_| hint_id.clone());
    let label_for = id.clone();
    view! {
        <div class="field">
            <label for=label_for>
                <input type="checkbox" id=id name=name value="true" checked=checked aria-describedby=described/>
                " "{label}
            </label>
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
        </div>
    }
}

/// A language's legend: "Français (fr), default language".
pub fn language_legend(lang: &str, def: &Definition) -> String {
    let locale = use_locale();
    let name = format!("{} ({lang})", language_name(lang));
    if lang == def.default_language {
        td_string!(
            locale,
            survey_builder.default_language_legend,
            language = name
        )
        .to_string()
    } else {
        name
    }
}

/// What is not yet translated into `lang`, as a hint (nothing when all is).
#[component]
pub fn UntranslatedHint(
    lang: String,
    def: Definition,
    #[prop(optional)] only: Option<String>,
) -> impl IntoView {
    let locale = use_locale();
    let missing: Vec<String> = def
        .untranslated()
        .into_iter()
        .filter(|u| u.language == lang)
        .flat_map(|u| u.missing)
        .filter(|m| {
            only.as_ref()
                .is_none_or(|code| m.starts_with(&format!("{code}: ")))
        })
        .collect();
    (!missing.is_empty()).then(|| {
        view! {
            <p class="notice notice-warning">
                {td_string!(locale, survey_builder.untranslated_here, count = missing.len(), list = missing.join(", "))}
            </p>
        }
    })
}

/// What a comparison on question `code` can compare with, in words.
fn values_of(def: &Definition, code: &str) -> String {
    let locale = use_locale();
    let Some(q) = def.question(code) else {
        return String::new();
    };
    let lang = locale.tag();
    let options = |list: Vec<crate::surveys::model::Choice>| {
        list.iter()
            .map(|c| format!("{} ({})", c.code, c.label.get(lang, &def.default_language)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match &q.kind {
        Kind::Single { .. } | Kind::Multiple { .. } | Kind::Likert { .. } => {
            options(q.kind.options())
        }
        Kind::Number { .. } => td_string!(locale, survey_builder.values_number).to_string(),
        Kind::Date => td_string!(locale, survey_builder.values_date).to_string(),
        Kind::ShortText | Kind::LongText => {
            td_string!(locale, survey_builder.values_text).to_string()
        }
        Kind::Matrix { .. } => td_string!(locale, survey_builder.values_matrix).to_string(),
    }
}

/// The condition of a question or section: "and"/"or", then up to three rows of question,
/// operator and value. `earlier`: the questions it may read.
#[component]
pub fn ConditionFields(
    condition: Option<Condition>,
    earlier: Vec<String>,
    def: Definition,
    errors: Signal<Option<AppError>>,
) -> impl IntoView {
    let locale = use_locale();
    let (all, rows) = condition_rows(condition.as_ref());
    let question_options: Vec<(String, String)> = std::iter::once((
        String::new(),
        td_string!(locale, survey_builder.condition_no_question).to_string(),
    ))
    .chain(earlier.iter().map(|code| {
        let text = def
            .question(code)
            .map(|q| q.text.get(locale.tag(), &def.default_language).to_string())
            .unwrap_or_default();
        (code.clone(), format!("{code}: {text}"))
    }))
    .collect();
    let op_options: Vec<(String, String)> = Op::ALL
        .iter()
        .map(|op| (op.as_str().to_string(), op_words(locale, *op).to_string()))
        .collect();
    let join_options = vec![
        (
            "all".to_string(),
            td_string!(locale, survey_builder.join_all).to_string(),
        ),
        (
            "any".to_string(),
            td_string!(locale, survey_builder.join_any).to_string(),
        ),
    ];
    let whole = Signal::derive(move || errors.get().and_then(|e| e.message_for("conditions")));
    let prefix = td_string!(locale, common.error_prefix).to_string();
    view! {
        <fieldset id="f-conditions" tabindex="-1" aria-describedby="f-conditions-hint">
            <legend>{td_string!(locale, survey_builder.condition_legend)}</legend>
            <p class="hint" id="f-conditions-hint">{td_string!(locale, survey_builder.condition_hint)}</p>
            {move || whole.get().map(|e| view! { <p class="error-message"><span class="visually-hidden">{prefix.clone()}</span>{e}</p> })}
            {if earlier.is_empty() {
                view! { <p>{td_string!(locale, survey_builder.condition_none_earlier)}</p> }.into_any()
            } else {
                view! {
                    <SelectField name="join" label=td_string!(locale, survey_builder.condition_join) options=join_options
                        selected=if all { "all" } else { "any" }/>
                    {rows.into_iter().enumerate().map(|(i, row)| {
                        let n = i + 1;
                        view! {
                            <fieldset class="comparison">
                                <legend>{td_string!(locale, survey_builder.comparison_legend, n = n)}</legend>
                                <SelectField name=comparison_field(i, "question") label=td_string!(locale, survey_builder.comparison_question)
                                    options=question_options.clone() selected=row.question.clone() error=field_error(errors, comparison_field(i, "question"))/>
                                <SelectField name=comparison_field(i, "op") label=td_string!(locale, survey_builder.comparison_op)
                                    options=op_options.clone() selected=row.op.clone() error=field_error(errors, comparison_field(i, "op"))/>
                                <TextField name=comparison_field(i, "value") label=td_string!(locale, survey_builder.comparison_value)
                                    value=row.value.clone() error=field_error(errors, comparison_field(i, "value"))/>
                            </fieldset>
                        }
                    }).collect_view()}
                    <details>
                        <summary>{td_string!(locale, survey_builder.values_heading)}</summary>
                        <dl>
                            {earlier.iter().map(|code| {
                                let kind = def.question(code).map(|q| kind_label(locale, q.kind.name())).unwrap_or_default();
                                view! {
                                    <dt>{format!("{code} ({kind})")}</dt>
                                    <dd>{values_of(&def, code)}</dd>
                                }
                            }).collect_view()}
                        </dl>
                    </details>
                }.into_any()
            }}
        </fieldset>
    }
}

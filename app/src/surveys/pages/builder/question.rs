//! `/admin/surveys/{id}/questions/{code}`: one question's form — its code and kind, then per
//! language of the survey its text, help and lists (choices, scale points, rows), then the
//! kind's settings, the flags and the condition.

use leptos::prelude::*;
use leptos_meta::Title;

use super::fields::{
    field_error, language_legend, CheckField, ConditionFields, LangTextField, UntranslatedHint,
};
use super::{kind_options, param, title_in};
use crate::error::AppError;
use crate::i18n::*;
use crate::lang::use_locale;
use crate::routes;
use crate::surveys::api::builder::form::{earlier_than_question, format_list, lang_field};
use crate::surveys::api::builder::{get_survey, SaveQuestion};
use crate::surveys::model::answers::fmt_number;
use crate::surveys::model::definition::likert_choices;
use crate::surveys::model::{Definition, Kind, Question, Survey};
use crate::ui::{last_error, FormError, Loaded, SelectField, TextField};

/// `/admin/surveys/{id}/questions/{code}`: edit one question.
#[component]
pub fn SurveyQuestionPage() -> impl IntoView {
    let locale = use_locale();
    let id = super::survey_id();
    let code = param("code");
    let data = Resource::new(
        || (),
        move |_| async move { get_survey(id.ok_or(AppError::NotFound)?).await },
    );
    let page = move |survey: Survey| {
        let Some(q) = survey.definition.question(&code).cloned() else {
            return view! { <crate::ui::ErrorPage error=AppError::NotFound/> }.into_any();
        };
        let title = title_in(locale, &survey.definition);
        view! {
            <Title text=format!("{} — {title} — Recovery Tracker", q.code)/>
            <p><a href=format!("{}#question-{}", routes::admin_survey(survey.id), q.code)>
                {td_string!(locale, survey_builder.back_to_survey, title = title.clone())}
            </a></p>
            <h1>{td_string!(locale, survey_builder.question_title, code = q.code.clone())}</h1>
            <QuestionForm survey q/>
        }
        .into_any()
    };
    view! { <Loaded resource=data view=page/> }
}

/// The list fields of a kind in one language: (field, label, hint, value).
fn list_fields(
    q: &Question,
    lang: &str,
    def: &Definition,
) -> Vec<(&'static str, &'static str, &'static str, String)> {
    let locale = use_locale();
    let default = lang == def.default_language;
    let hint = if default {
        td_string!(locale, survey_builder.list_hint_default)
    } else {
        td_string!(locale, survey_builder.list_hint_translation)
    };
    match &q.kind {
        Kind::Single { choices } | Kind::Multiple { choices, .. } => {
            vec![(
                "choices",
                td_string!(locale, survey_builder.field_choices),
                hint,
                format_list(choices, lang),
            )]
        }
        Kind::Likert { scale } => {
            vec![(
                "scale",
                td_string!(locale, survey_builder.field_scale),
                hint,
                format_list(&likert_choices(scale), lang),
            )]
        }
        Kind::Matrix { rows, scale } => vec![
            (
                "rows",
                td_string!(locale, survey_builder.field_rows),
                hint,
                format_list(rows, lang),
            ),
            (
                "scale",
                td_string!(locale, survey_builder.field_matrix_scale),
                hint,
                format_list(scale, lang),
            ),
        ],
        _ => Vec::new(),
    }
}

#[component]
fn QuestionForm(survey: Survey, q: Question) -> impl IntoView {
    let locale = use_locale();
    let save = ServerAction::<SaveQuestion>::new();
    let errors = last_error(move || save.value().get());
    let def = survey.definition.clone();
    let kind_hint = if survey.responses > 0 {
        td_string!(locale, survey_builder.kind_locked)
    } else {
        td_string!(locale, survey_builder.kind_hint)
    };
    let kind_settings = match &q.kind {
        Kind::Number { min, max, integer } => view! {
            <TextField name="min" label=td_string!(locale, survey_builder.field_min) value=min.map(fmt_number).unwrap_or_default() error=field_error(errors, "min")/>
            <TextField name="max" label=td_string!(locale, survey_builder.field_max) value=max.map(fmt_number).unwrap_or_default() error=field_error(errors, "max")/>
            <CheckField name="integer" label=td_string!(locale, survey_builder.field_integer) checked=*integer/>
        }
        .into_any(),
        Kind::Multiple { other, .. } => view! {
            <CheckField name="other" label=td_string!(locale, survey_builder.field_other) checked=*other/>
        }
        .into_any(),
        _ => ().into_any(),
    };
    let earlier = earlier_than_question(&def, &q.code);
    view! {
        <FormError error=errors/>
        <ActionForm action=save attr:novalidate="true">
            <input type="hidden" name="id" value=survey.id/>
            <input type="hidden" name="version" value=survey.version/>
            <input type="hidden" name="code" value=q.code.clone()/>
            <TextField name="new_code" label=td_string!(locale, survey_builder.field_code) value=q.code.clone()
                hint=td_string!(locale, survey_builder.field_code_hint) error=field_error(errors, "new_code")/>
            <SelectField name="kind" label=td_string!(locale, survey_builder.field_kind) options=kind_options(locale)
                selected=q.kind.name().as_str() hint=kind_hint error=field_error(errors, "kind")/>
            {def.languages.iter().map(|lang| {
                view! {
                    <fieldset lang=lang.clone()>
                        <legend>{language_legend(lang, &def)}</legend>
                        <UntranslatedHint lang=lang.clone() def=def.clone() only=q.code.clone()/>
                        <LangTextField name="text" lang=lang.clone() label=td_string!(locale, survey_builder.field_question_text) text=q.text.clone() errors/>
                        <LangTextField name="help" lang=lang.clone() label=td_string!(locale, survey_builder.field_help) text=q.help.clone() multiline=true errors/>
                        {list_fields(&q, lang, &def).into_iter().map(|(name, label, hint, value)| {
                            let name = lang_field(name, lang);
                            view! { <TextField name=name.clone() label multiline=true value hint error=field_error(errors, name)/> }
                        }).collect_view()}
                    </fieldset>
                }
            }).collect_view()}
            {kind_settings}
            <CheckField name="required" label=td_string!(locale, survey_builder.field_required) checked=q.required/>
            <CheckField name="hidden" label=td_string!(locale, survey_builder.field_hidden) checked=q.hidden
                hint=td_string!(locale, survey_builder.field_hidden_hint)/>
            <ConditionFields condition=q.show_if.clone() earlier def=def.clone() errors/>
            <div class="actions"><button type="submit">{td_string!(locale, survey_builder.save_question)}</button></div>
        </ActionForm>
    }
}

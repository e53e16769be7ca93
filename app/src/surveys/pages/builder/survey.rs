//! `/admin/surveys/{id}`: a survey's builder — where it stands and the buttons that move it
//! (open, close, reopen, delete), its settings, its texts and languages, what is not yet
//! translated, and its sections and questions (`sections.rs`).

use leptos::prelude::*;
use leptos_meta::Title;

use super::fields::{field_error, language_legend, CheckField, LangTextField};
use super::sections::Sections;
use super::{status_word, title_in, SurveyStatusBadge};
use crate::error::AppError;
use crate::i18n::*;
use crate::lang::{format, use_locale};
use crate::recommendations::{api::list_recommendations, model::Recommendation};
use crate::routes;
use crate::surveys::api::builder::{
    get_survey, DeleteSurvey, SaveSurveySettings, SaveSurveyTexts, SetSurveyStatus,
};
use crate::surveys::model::definition::{language_name, KNOWN_LANGUAGES};
use crate::surveys::model::{NotAccepting, Survey, SurveyStatus};
use crate::ui::{last_error, CheckboxGroup, FormError, Loaded, SelectField, TextField};

/// `/admin/surveys/{id}`: the builder.
#[component]
pub fn SurveyBuilderPage() -> impl IntoView {
    let locale = use_locale();
    let id = super::survey_id();
    let data = Resource::new(
        || (),
        move |_| async move {
            let id = id.ok_or(AppError::NotFound)?;
            let survey = get_survey(id).await?;
            let recommendations = list_recommendations().await?;
            Ok((survey, recommendations))
        },
    );
    let page = move |(survey, recommendations): (Survey, Vec<Recommendation>)| {
        let title = title_in(locale, &survey.definition);
        view! {
            <Title text=format!("{title} — {} — Recovery Tracker", td_string!(locale, survey_builder.title))/>
            <p><a href=routes::ADMIN_SURVEYS>{td_string!(locale, survey_builder.all_surveys)}</a></p>
            <h1>{title}</h1>
            <Lifecycle survey=survey.clone()/>
            <nav aria-label=td_string!(locale, survey_builder.survey_pages)>
                <ul class="inline-list">
                    {survey.definition.languages.iter().map(|lang| view! {
                        <li><a href=routes::survey_preview(survey.id, lang)>
                            {td_string!(locale, survey_builder.preview_in, language = language_name(lang))}
                        </a></li>
                    }).collect_view()}
                    <li><a href=routes::survey_invitations(survey.id)>{td_string!(locale, survey_builder.invitations)}</a></li>
                    <li><a href=routes::survey_results(survey.id)>{td_string!(locale, survey_builder.results)}</a></li>
                    <li><a href=routes::survey_xlsform(survey.id) download="">{td_string!(locale, xlsform.download)}</a></li>
                </ul>
            </nav>
            {(survey.status != SurveyStatus::Draft).then(|| view! {
                <crate::imports::pages::ExcelBox kind="responses" survey=survey.id
                    download=routes::survey_export(survey.id, "xlsx", "")
                    download_label=td_string!(locale, imports.responses_download).to_string()
                    heading=td_string!(locale, imports.responses_box_heading).to_string()
                    intro=td_string!(locale, imports.responses_box_intro).to_string()/>
            })}
            <SettingsForm survey=survey.clone() recommendations/>
            <TextsForm survey=survey.clone()/>
            <TranslationStatus survey=survey.clone()/>
            <Sections survey/>
        }
    };
    view! { <Loaded resource=data view=page/> }
}

/// Where the survey stands, in words, and the buttons that move it on.
#[component]
fn Lifecycle(survey: Survey) -> impl IntoView {
    let locale = use_locale();
    let status = ServerAction::<SetSurveyStatus>::new();
    let delete = ServerAction::<DeleteSurvey>::new();
    let date = |d: &Option<String>| {
        d.as_deref()
            .map(|d| format::date(locale, d))
            .unwrap_or_else(|| "…".into())
    };
    let state = match (survey.status, survey.accepting(&crate::clock::today())) {
        (SurveyStatus::Draft, _) => td_string!(locale, survey_builder.state_draft).to_string(),
        (SurveyStatus::Closed, _) => td_string!(locale, survey_builder.state_closed).to_string(),
        (SurveyStatus::Open, Ok(())) => td_string!(locale, survey_builder.state_open).to_string(),
        (SurveyStatus::Open, Err(NotAccepting::NotYetOpen)) => td_string!(
            locale,
            survey_builder.state_not_yet_open,
            date = date(&survey.opens_on)
        )
        .to_string(),
        (SurveyStatus::Open, Err(_)) => td_string!(
            locale,
            survey_builder.state_past_closing,
            date = date(&survey.closes_on)
        )
        .to_string(),
    };
    let dates = (survey.opens_on.is_some() || survey.closes_on.is_some()).then(|| {
        td_string!(
            locale,
            survey_builder.dates_range,
            from = date(&survey.opens_on),
            to = date(&survey.closes_on)
        )
        .to_string()
    });
    let (next, button) = match survey.status {
        SurveyStatus::Draft => (
            SurveyStatus::Open,
            td_string!(locale, survey_builder.open_survey),
        ),
        SurveyStatus::Open => (
            SurveyStatus::Closed,
            td_string!(locale, survey_builder.close_survey),
        ),
        SurveyStatus::Closed => (
            SurveyStatus::Open,
            td_string!(locale, survey_builder.reopen_survey),
        ),
    };
    let delete_result = move || delete.value().get();
    view! {
        <section class="section" aria-labelledby="state-heading">
            <h2 id="state-heading">{td_string!(locale, survey_builder.state_heading)}</h2>
            <p>
                <SurveyStatusBadge status=survey.status/>" "{state}
                {dates.map(|d| format!(" {d}."))}" "
                {td_string!(locale, survey_builder.responses_count, count = survey.responses)}
            </p>
            <FormError error=last_error(move || status.value().get())/>
            <ActionForm action=status>
                <input type="hidden" name="id" value=survey.id/>
                <input type="hidden" name="status" value=next.as_str()/>
                <button type="submit">{button}</button>
            </ActionForm>
            {(survey.responses == 0).then(|| view! {
                <FormError error=last_error(delete_result)/>
                <ActionForm action=delete attr:novalidate="true">
                    <input type="hidden" name="id" value=survey.id/>
                    <CheckField name="confirm" label=td_string!(locale, survey_builder.delete_confirm, status = status_word(locale, survey.status)) checked=false/>
                    <button type="submit" class="secondary">{td_string!(locale, survey_builder.delete_survey)}</button>
                </ActionForm>
            })}
        </section>
    }
}

/// Dates, anonymity, the open link and the linked recommendations.
#[component]
fn SettingsForm(survey: Survey, recommendations: Vec<Recommendation>) -> impl IntoView {
    let locale = use_locale();
    let save = ServerAction::<SaveSurveySettings>::new();
    let errors = last_error(move || save.value().get());
    let options: Vec<(String, String)> = recommendations
        .iter()
        .map(|r| {
            (
                r.number.to_string(),
                format!(
                    "{}. {}",
                    r.number,
                    crate::recommendations::pages::title(locale, r)
                ),
            )
        })
        .collect();
    let linked: Vec<String> = survey
        .recommendations
        .iter()
        .map(|n| n.to_string())
        .collect();
    let open_link = survey.open_token.as_ref().map(|t| {
        td_string!(
            locale,
            survey_builder.open_link_is,
            link = routes::survey_answer(t)
        )
        .to_string()
    });
    let anonymous_hint = if survey.responses > 0 {
        td_string!(locale, survey_builder.anonymous_locked)
    } else {
        td_string!(locale, survey_builder.anonymous_hint)
    };
    view! {
        <section class="section" id="settings" aria-labelledby="settings-heading">
            <h2 id="settings-heading">{td_string!(locale, survey_builder.settings_heading)}</h2>
            <FormError error=errors/>
            <ActionForm action=save attr:novalidate="true">
                <input type="hidden" name="id" value=survey.id/>
                <TextField name="opens_on" kind="date" label=td_string!(locale, survey_builder.field_opens_on) value=survey.opens_on.clone().unwrap_or_default()
                    hint=td_string!(locale, survey_builder.field_date_hint) error=field_error(errors, "opens_on")/>
                <TextField name="closes_on" kind="date" label=td_string!(locale, survey_builder.field_closes_on) value=survey.closes_on.clone().unwrap_or_default()
                    hint=td_string!(locale, survey_builder.field_date_hint) error=field_error(errors, "closes_on")/>
                <CheckField name="anonymous" label=td_string!(locale, survey_builder.field_anonymous) checked=survey.anonymous hint=anonymous_hint/>
                <CheckField name="open_link" label=td_string!(locale, survey_builder.field_open_link) checked=survey.open_token.is_some()
                    hint=open_link.unwrap_or_else(|| td_string!(locale, survey_builder.field_open_link_hint).to_string())/>
                <CheckField name="one_per_browser" label=td_string!(locale, survey_builder.field_one_per_browser) checked=survey.one_per_browser
                    hint=td_string!(locale, survey_builder.field_one_per_browser_hint)/>
                <CheckboxGroup name="recommendations" legend=td_string!(locale, survey_builder.field_recommendations) options checked=linked
                    hint=td_string!(locale, survey_builder.field_recommendations_hint) error=field_error(errors, "recommendations")/>
                <div class="actions"><button type="submit">{td_string!(locale, survey_builder.save_settings)}</button></div>
            </ActionForm>
        </section>
    }
}

/// The title and introduction in every language, and which languages the survey offers.
#[component]
fn TextsForm(survey: Survey) -> impl IntoView {
    let locale = use_locale();
    let save = ServerAction::<SaveSurveyTexts>::new();
    let errors = last_error(move || save.value().get());
    let def = survey.definition.clone();
    let mut offered: Vec<(String, String)> = KNOWN_LANGUAGES
        .iter()
        .map(|(c, n)| (c.to_string(), format!("{n} ({c})")))
        .collect();
    for l in &def.languages {
        if !offered.iter().any(|(c, _)| c == l) {
            offered.push((l.clone(), format!("{} ({l})", language_name(l))));
        }
    }
    let defaults: Vec<(String, String)> = def
        .languages
        .iter()
        .map(|l| (l.clone(), format!("{} ({l})", language_name(l))))
        .collect();
    view! {
        <section class="section" id="texts" aria-labelledby="texts-heading">
            <h2 id="texts-heading">{td_string!(locale, survey_builder.texts_heading)}</h2>
            <FormError error=errors/>
            <ActionForm action=save attr:novalidate="true">
                <input type="hidden" name="id" value=survey.id/>
                <input type="hidden" name="version" value=survey.version/>
                <CheckboxGroup name="languages" legend=td_string!(locale, survey_builder.field_languages) options=offered checked=def.languages.clone()
                    hint=td_string!(locale, survey_builder.field_languages_hint) error=field_error(errors, "languages")/>
                <TextField name="add_language" label=td_string!(locale, survey_builder.field_add_language)
                    hint=td_string!(locale, survey_builder.field_add_language_hint) error=field_error(errors, "add_language")/>
                <SelectField name="default_language" label=td_string!(locale, survey_builder.field_default_language) options=defaults
                    selected=def.default_language.clone() hint=td_string!(locale, survey_builder.field_default_language_hint) error=field_error(errors, "default_language")/>
                {def.languages.iter().map(|lang| {
                    view! {
                        <fieldset lang=lang.clone()>
                            <legend>{language_legend(lang, &def)}</legend>
                            <LangTextField name="title" lang=lang.clone() label=td_string!(locale, survey_builder.field_survey_title) text=def.title.clone() errors/>
                            <LangTextField name="intro" lang=lang.clone() label=td_string!(locale, survey_builder.field_intro) text=def.intro.clone() multiline=true errors/>
                        </fieldset>
                    }
                }).collect_view()}
                <div class="actions"><button type="submit">{td_string!(locale, survey_builder.save_texts)}</button></div>
            </ActionForm>
        </section>
    }
}

/// Per language other than the default, how many texts are untranslated, and which (each a
/// link to where it is edited).
#[component]
fn TranslationStatus(survey: Survey) -> impl IntoView {
    let locale = use_locale();
    let def = &survey.definition;
    let untranslated = def.untranslated();
    let link = |place: &str| -> String {
        let owner = place.split(':').next().unwrap_or_default();
        if def.question(owner).is_some() {
            routes::admin_survey_question(survey.id, owner)
        } else if def.sections.iter().any(|s| s.code == owner) {
            routes::admin_survey_section(survey.id, owner)
        } else {
            format!("{}#texts", routes::admin_survey(survey.id))
        }
    };
    view! {
        <section class="section" id="translations" aria-labelledby="translations-heading">
            <h2 id="translations-heading">{td_string!(locale, survey_builder.translations_heading)}</h2>
            {if untranslated.is_empty() {
                view! { <p>{td_string!(locale, survey_builder.one_language)}</p> }.into_any()
            } else {
                untranslated.iter().map(|u| {
                    let name = format!("{} ({})", language_name(&u.language), u.language);
                    view! {
                        <h3>{name}</h3>
                        {if u.missing.is_empty() {
                            view! { <p>{td_string!(locale, survey_builder.all_translated)}</p> }.into_any()
                        } else {
                            view! {
                                <p>{td_string!(locale, survey_builder.untranslated_count, count = u.missing.len())}</p>
                                <ul>{u.missing.iter().map(|m| view! { <li><a href=link(m)>{m.clone()}</a></li> }).collect_view()}</ul>
                            }.into_any()
                        }}
                    }
                }).collect_view().into_any()
            }}
        </section>
    }
}

//! `/admin/surveys`: every survey with its status, dates and answers, and the form that
//! creates one.

use leptos::prelude::*;
use leptos_meta::Title;

use super::SurveyStatusBadge;
use crate::i18n::*;
use crate::lang::{format, use_locale};
use crate::routes;
use crate::surveys::api::builder::{list_surveys, CreateSurvey};
use crate::surveys::model::definition::KNOWN_LANGUAGES;
use crate::surveys::model::SurveySummary;
use crate::ui::{error_for, last_error, FormError, Loaded, SelectField, TextField};

/// `/admin/surveys`: the surveys, newest first, and a new one.
#[component]
pub fn SurveysPage() -> impl IntoView {
    let locale = use_locale();
    let create = ServerAction::<CreateSurvey>::new();
    let surveys = Resource::new(|| (), |_| list_surveys());
    let result = move || create.value().get();
    let languages: Vec<(String, String)> = KNOWN_LANGUAGES
        .iter()
        .map(|(c, n)| (c.to_string(), n.to_string()))
        .collect();
    let page = move |list: Vec<SurveySummary>| {
        let languages = languages.clone();
        let dates = move |s: &SurveySummary| match (&s.opens_on, &s.closes_on) {
            (None, None) => "—".to_string(),
            (a, b) => td_string!(
                locale,
                survey_builder.dates_range,
                from = a
                    .as_deref()
                    .map(|d| format::date(locale, d))
                    .unwrap_or_else(|| "…".into()),
                to = b
                    .as_deref()
                    .map(|d| format::date(locale, d))
                    .unwrap_or_else(|| "…".into())
            )
            .to_string(),
        };
        view! {
            {if list.is_empty() {
                view! { <p>{td_string!(locale, survey_builder.no_surveys)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap"><table>
                        <caption>{td_string!(locale, survey_builder.list_caption)}</caption>
                        <thead><tr>
                            <th scope="col">{td_string!(locale, survey_builder.col_survey)}</th>
                            <th scope="col">{td_string!(locale, survey_builder.col_status)}</th>
                            <th scope="col">{td_string!(locale, survey_builder.col_dates)}</th>
                            <th scope="col">{td_string!(locale, survey_builder.col_responses)}</th>
                            <th scope="col">{td_string!(locale, survey_builder.col_invited)}</th>
                        </tr></thead>
                        <tbody>
                            {list.iter().map(|s| view! {
                                <tr>
                                    <td><a href=routes::admin_survey(s.id)>{s.title.clone()}</a></td>
                                    <td><SurveyStatusBadge status=s.status/></td>
                                    <td>{dates(s)}</td>
                                    <td class="num">{format::number(locale, &s.responses.to_string())}</td>
                                    <td>{td_string!(locale, survey_builder.answered_of_invited, answered = s.answered_invitations, invited = s.invited)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table></div>
                }.into_any()
            }}
            <section class="section" aria-labelledby="new-survey-heading">
                <h2 id="new-survey-heading">{td_string!(locale, survey_builder.new_survey)}</h2>
                <FormError error=last_error(result)/>
                <ActionForm action=create attr:novalidate="true">
                    <TextField name="title" label=td_string!(locale, survey_builder.field_title) required=true error=error_for(result, "title")/>
                    <SelectField name="language" label=td_string!(locale, survey_builder.field_language) options=languages
                        selected=locale.tag() hint=td_string!(locale, survey_builder.field_language_hint) error=error_for(result, "language")/>
                    <div class="actions"><button type="submit">{td_string!(locale, survey_builder.create_survey)}</button></div>
                </ActionForm>
            </section>
            <crate::imports::pages::ExcelBox kind="xlsform"
                heading=td_string!(locale, imports.xlsform_box_heading).to_string()
                intro=td_string!(locale, imports.xlsform_box_intro).to_string()/>
        }
    };
    view! {
        <Title text=format!("{} — Recovery Tracker", td_string!(locale, survey_builder.title))/>
        <h1>{td_string!(locale, survey_builder.title)}</h1>
        <p>{td_string!(locale, survey_builder.intro)}</p>
        <Loaded resource=surveys view=page/>
    }
}

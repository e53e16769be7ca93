//! `/admin/surveys/{id}/responses` (one line per response) and
//! `/admin/surveys/{id}/responses/{response}` (its answers, and deleting it: a form with a
//! confirmation box, so it works without JavaScript and never by one stray click).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::{query_value, search, survey_id, SurveyNav};
use crate::i18n::*;
use crate::lang::use_locale;
use crate::surveys::api::results::{survey_response, survey_responses, DeleteSurveyResponse};
use crate::surveys::results::{ResponseView, ResponsesView};
use crate::ui::{error_for, last_error, FormError, Loaded};

/// The list of responses.
#[component]
pub fn SurveyResponsesPage() -> impl IntoView {
    let id = survey_id();
    let query = search();
    let list = Resource::new(id, survey_responses);
    view! { <Loaded resource=list view=move |v| list_view(v, query_value(&query(), "deleted").is_some())/> }
}

fn list_view(v: ResponsesView, deleted: bool) -> impl IntoView {
    let l = use_locale();
    let title = td_string!(l, survey_results.responses_title, title = v.title.clone()).to_string();
    let named = !v.anonymous;
    view! {
        <Title text=format!("{title} — Recovery Tracker")/>
        <h1>{title.clone()}</h1>
        <SurveyNav id=v.survey_id manage=true/>
        {deleted.then(|| view! { <p class="notice notice-success" role="status">{td_string!(l, survey_results.deleted)}</p> })}
        {v.anonymous.then(|| view! { <p class="hint">{td_string!(l, survey_results.anonymous_hint)}</p> })}
        {if v.responses.is_empty() {
            view! { <p class="hint">{td_string!(l, survey_results.no_responses)}</p> }.into_any()
        } else {
            let id = v.survey_id;
            view! {
                <div class="table-wrap"><table>
                    <caption>{td_string!(l, survey_results.responses_caption, n = v.responses.len())}</caption>
                    <thead><tr>
                        <th scope="col">{td_string!(l, survey_results.col_response)}</th>
                        <th scope="col">{td_string!(l, survey_results.col_submitted_on)}</th>
                        <th scope="col">{td_string!(l, survey_results.col_country)}</th>
                        <th scope="col">{td_string!(l, survey_results.col_member_type)}</th>
                        <th scope="col">{td_string!(l, survey_results.col_language)}</th>
                        {named.then(|| view! { <th scope="col">{td_string!(l, survey_results.col_respondent)}</th> })}
                        <th scope="col"><span class="visually-hidden">{td_string!(l, survey_results.col_actions)}</span></th>
                    </tr></thead>
                    <tbody>
                        {v.responses.into_iter().map(|r| {
                            let href = crate::routes::survey_response(id, r.id);
                            view! { <tr>
                                <th scope="row">{r.id}</th>
                                <td>{r.submitted_on.clone()}</td>
                                <td>{r.country.clone()}</td>
                                <td>{r.member_type.clone()}</td>
                                <td>{r.language.clone()}</td>
                                {named.then(|| view! { <td>{r.respondent.clone().unwrap_or_default()}</td> })}
                                <td class="actions">
                                    <a href=href.clone() aria-label=td_string!(l, survey_results.view_named, n = r.id).to_string()>{td_string!(l, survey_results.view)}</a>
                                    <a href=format!("{href}#delete") aria-label=td_string!(l, survey_results.delete_named, n = r.id).to_string()>{td_string!(l, survey_results.delete)}</a>
                                </td>
                            </tr> }
                        }).collect_view()}
                    </tbody>
                </table></div>
            }.into_any()
        }}
    }
}

/// One response.
#[component]
pub fn SurveyResponsePage() -> impl IntoView {
    let id = survey_id();
    let params = use_params_map();
    let response = move || {
        params
            .read()
            .get("response")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let delete = ServerAction::<DeleteSurveyResponse>::new();
    let one = Resource::new(move || (id(), response()), |(id, r)| survey_response(id, r));
    view! { <Loaded resource=one view=move |v| one_view(v, delete)/> }
}

fn one_view(v: ResponseView, delete: ServerAction<DeleteSurveyResponse>) -> impl IntoView {
    let l = use_locale();
    let result = move || delete.value().get();
    let title = td_string!(
        l,
        survey_results.response_title,
        n = v.line.id,
        title = v.title.clone()
    )
    .to_string();
    view! {
        <Title text=format!("{title} — Recovery Tracker")/>
        <p><a href=crate::routes::survey_responses(v.survey_id)>{td_string!(l, survey_results.all_responses)}</a></p>
        <h1>{title.clone()}</h1>
        <dl class="facts">
            <dt>{td_string!(l, survey_results.col_submitted_on)}</dt><dd>{v.line.submitted_on.clone()}</dd>
            <dt>{td_string!(l, survey_results.col_country)}</dt><dd>{v.line.country.clone()}</dd>
            <dt>{td_string!(l, survey_results.col_member_type)}</dt><dd>{v.line.member_type.clone()}</dd>
            <dt>{td_string!(l, survey_results.col_language)}</dt><dd>{v.line.language.clone()}</dd>
            {v.line.respondent.clone().map(|r| view! { <dt>{td_string!(l, survey_results.col_respondent)}</dt><dd>{r}</dd> })}
        </dl>
        <h2>{td_string!(l, survey_results.answers_heading)}</h2>
        <super::my_data::Answers answers=v.answers.clone()/>
        <section aria-labelledby="delete-heading" id="delete">
            <h2 id="delete-heading">{td_string!(l, survey_results.delete_heading)}</h2>
            <p>{td_string!(l, survey_results.delete_explained)}</p>
            <FormError error=last_error(result)/>
            <ActionForm action=delete attr:novalidate="true">
                <input type="hidden" name="id" value=v.survey_id/>
                <input type="hidden" name="response" value=v.line.id/>
                <div class="field checkbox-field" class:field-error=move || error_for(result, "confirm").get().is_some()>
                    {move || error_for(result, "confirm").get().map(|e| view! { <p class="error-message" id="f-confirm-error">{e}</p> })}
                    <input type="checkbox" id="f-confirm" name="confirm" value="yes" required=true aria-describedby=move || error_for(result, "confirm").get().map(|_| "f-confirm-error")/>
                    <label for="f-confirm">{td_string!(l, survey_results.delete_confirm)}</label>
                </div>
                <div class="actions"><button type="submit" class="danger">{td_string!(l, survey_results.delete_button)}</button></div>
            </ActionForm>
        </section>
    }
}

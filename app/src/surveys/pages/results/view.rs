//! `/admin/surveys/{id}/results`: filters (a GET form: every view is a URL), the exports,
//! the response rate, and each question's chart, table and written answers.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{search, survey_id, SurveyNav};
use crate::dashboard::bundle::ChartsScript;
use crate::dashboard::pages::FigureView;
use crate::i18n::*;
use crate::lang::{format, use_locale};
use crate::surveys::api::results::survey_results;
use crate::surveys::results::{QuestionResult, ResultsView};
use crate::ui::{DataTable, Loaded, SelectField, TextField};

/// The results page.
#[component]
pub fn SurveyResultsPage() -> impl IntoView {
    let id = survey_id();
    let query = search();
    let results = Resource::new(move || (id(), query()), |(id, q)| survey_results(id, q));
    view! { <Loaded resource=results view=page/> }
}

fn page(v: ResultsView) -> impl IntoView {
    let l = use_locale();
    let title = td_string!(l, survey_results.results_title, title = v.title.clone()).to_string();
    let action = crate::routes::survey_results(v.survey_id);
    let clear = action.clone();
    let f = v.filters.clone();
    let has_charts = v.questions.iter().any(|q| q.figure.is_some());
    view! {
        <Title text=format!("{title} — Recovery Tracker")/>
        <h1>{title.clone()}</h1>
        <SurveyNav id=v.survey_id manage=v.may_manage/>
        <p>
            {td_string!(l, survey_results.selected_of, selected = format::count(l, v.selected as i64), total = format::count(l, v.total as i64))}
            {v.anonymous.then(|| view! { " " <span class="badge">{td_string!(l, survey_results.anonymous)}</span> })}
        </p>
        <form method="get" action=action class="inline-form filters" aria-label=td_string!(l, survey_results.filters_label)>
            <SelectField name="country" id="filter-country" label=td_string!(l, survey_results.col_country) options=v.countries.clone() selected=f.country.clone()/>
            <SelectField name="member_type" id="filter-member-type" label=td_string!(l, survey_results.col_member_type) options=v.member_types.clone() selected=f.member_type.clone()/>
            <SelectField name="language" id="filter-language" label=td_string!(l, survey_results.col_language) options=v.languages.clone() selected=f.language.clone()/>
            <TextField name="q" id="filter-q" kind="search" label=td_string!(l, survey_results.search_label) value=f.q.clone()/>
            <button type="submit">{td_string!(l, survey_results.apply)}</button>
            <a href=clear>{td_string!(l, survey_results.clear_filters)}</a>
        </form>
        <p class="chart-downloads">
            {td_string!(l, survey_results.export_intro)}" "
            <a href=v.export_csv.clone() download="">{td_string!(l, survey_results.export_csv)}</a>" "
            <a href=v.export_xlsx.clone() download="">{td_string!(l, survey_results.export_xlsx)}</a>
        </p>
        <section aria-labelledby="rate-heading">
            <h2 id="rate-heading">{td_string!(l, survey_results.rate_heading)}</h2>
            <p class="hint">{td_string!(l, survey_results.rate_hint)}</p>
            {v.rates.into_iter().map(|t| view! { <DataTable table=t/> }).collect_view()}
        </section>
        {v.questions.into_iter().map(question).collect_view()}
        {has_charts.then(|| view! { <ChartsScript/> })}
    }
}

fn question(q: QuestionResult) -> impl IntoView {
    let l = use_locale();
    let heading_id = format!("q-{}-heading", q.code);
    let labelled = heading_id.clone();
    view! {
        <section class="section" aria-labelledby=labelled>
            <h2 id=heading_id>{format!("{}. {}", q.code, q.text)}</h2>
            <p class="hint">
                {q.kind.clone()}
                {q.hidden.then(|| view! { " " <span class="badge badge-inactive">{td_string!(l, survey_results.hidden_question)}</span> })}
            </p>
            {q.summary.iter().map(|s| view! { <p>{s.clone()}</p> }).collect_view()}
            {q.figure.map(|f| view! { <FigureView figure=f/> })}
            {q.written.map(|w| view! {
                <h3>{td_string!(l, survey_results.written_heading)}</h3>
                <p role="status">{td_string!(l, survey_results.written_count, matching = w.matching, total = w.total)}</p>
                {(w.matching > w.shown.len()).then(|| view! {
                    <p class="hint">{td_string!(l, survey_results.written_truncated, shown = w.shown.len())}</p>
                })}
                <ul class="written-answers">
                    {w.shown.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}
                </ul>
            })}
        </section>
    }
}

//! Pages of indicator definitions (admins only).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::api::{list_indicators, ArchiveIndicator, SaveIndicator};
use super::model::{fmt_number, Indicator, IndicatorKind};
use crate::auth::pages::Auth;
use crate::caller::Role;
use crate::error::AppError;
use crate::i18n::*;
use crate::lang::{format, use_locale, Locale};
use crate::recommendations::{api::list_recommendations, model::Recommendation};
use crate::ui::{error_for, last_error, ErrorPage, FormError, SelectField, TextField};

/// `Ok(())` for an admin; the error page's error otherwise.
async fn admin_only(
    user: Resource<Result<Option<crate::caller::CurrentUser>, AppError>>,
) -> Result<(), AppError> {
    match user.await.ok().flatten() {
        Some(u) if u.role == Role::Admin => Ok(()),
        Some(_) => Err(AppError::Forbidden),
        None => Err(AppError::Unauthorized),
    }
}

#[component]
fn IndicatorFields<T: Clone + Send + Sync + 'static>(
    recommendations: Vec<Recommendation>,
    #[prop(optional)] indicator: Option<Indicator>,
    result: Signal<Option<Result<T, AppError>>>,
) -> impl IntoView {
    let locale = use_locale();
    let r = move || result.get();
    let i = indicator.clone();
    let rec_options: Vec<(String, String)> = std::iter::once((
        String::new(),
        td_string!(locale, indicators.choose_recommendation).to_string(),
    ))
    .chain(
        recommendations
            .iter()
            .map(|r| (r.number.to_string(), recommendation_heading(locale, r))),
    )
    .collect();
    let kind_options = crate::ui::enum_options(
        td_string!(locale, indicators.choose_kind),
        |k: IndicatorKind| k.label_in(locale),
    );
    let bound = |b: Option<f64>| b.map(fmt_number).unwrap_or_default();
    let required = i.as_ref().is_some_and(|i| i.required);
    view! {
        <SelectField name="recommendation" label=td_string!(locale, indicators.field_recommendation) options=rec_options required=true
            selected=i.as_ref().map(|i| i.recommendation.to_string()).unwrap_or_default() error=error_for(r, "recommendation")/>
        <TextField name="name" label=td_string!(locale, indicators.field_name) required=true value=i.as_ref().map(|i| i.name.clone()).unwrap_or_default()
            hint=td_string!(locale, indicators.field_name_hint) error=error_for(r, "name")/>
        <SelectField name="kind" label=td_string!(locale, indicators.field_kind) options=kind_options required=true
            selected=i.as_ref().map(|i| i.kind.as_str().to_string()).unwrap_or_default() error=error_for(r, "kind")/>
        <TextField name="unit" label=td_string!(locale, indicators.field_unit) value=i.as_ref().and_then(|i| i.unit.clone()).unwrap_or_default()
            hint=td_string!(locale, indicators.field_unit_hint) error=error_for(r, "unit")/>
        <TextField name="min" label=td_string!(locale, indicators.field_min) value=bound(i.as_ref().and_then(|i| i.min)) error=error_for(r, "min")/>
        <TextField name="max" label=td_string!(locale, indicators.field_max) value=bound(i.as_ref().and_then(|i| i.max)) error=error_for(r, "max")/>
        <TextField name="help" label=td_string!(locale, indicators.field_help) multiline=true
            value=i.as_ref().and_then(|i| i.help.clone()).unwrap_or_default() error=error_for(r, "help")/>
        <div class="field">
            <label for="f-required"><input type="checkbox" id="f-required" name="required" value="true" checked=required/>" "{td_string!(locale, indicators.field_required)}</label>
        </div>
    }
}

/// `/admin/indicators`: every indicator by recommendation, and the form for a new one.
#[component]
pub fn IndicatorsPage() -> impl IntoView {
    let locale = use_locale();
    let user = expect_context::<Auth>().user();
    let save = ServerAction::<SaveIndicator>::new();
    let archive = ServerAction::<ArchiveIndicator>::new();
    let indicators = Resource::new(
        move || (save.version().get(), archive.version().get()),
        |_| list_indicators(),
    );
    let recommendations = Resource::new(|| (), |_| list_recommendations());
    let save_result = Signal::derive(move || save.value().get());
    view! {
        <Title text=format!("{} — Recovery Tracker", td_string!(locale, indicators.title))/>
        <Suspense fallback=move || view! { <p>{td_string!(locale, common.loading)}</p> }>
            {move || Suspend::new(async move {
                if let Err(e) = admin_only(user).await {
                    return view! { <ErrorPage error=e/> }.into_any();
                }
                let (list, recs) = match (indicators.await, recommendations.await) {
                    (Ok(l), Ok(r)) => (l, r),
                    (Err(e), _) | (_, Err(e)) => return view! { <ErrorPage error=e/> }.into_any(),
                };
                view! {
                    <h1>{td_string!(locale, indicators.title)}</h1>
                    <p>{td_string!(locale, indicators.intro)}</p>
                    <FormError error=last_error(move || archive.value().get())/>
                    {recs.iter().map(|rec| {
                        let mine: Vec<Indicator> = list.iter().filter(|i| i.recommendation == rec.number).cloned().collect();
                        view! {
                            <h2>{recommendation_heading(locale, rec)}</h2>
                            {if mine.is_empty() { view! { <p class="hint">{td_string!(locale, indicators.none)}</p> }.into_any() } else { view! {
                                <div class="table-wrap"><table>
                                    <caption class="visually-hidden">{td_string!(locale, indicators.table_caption, n = rec.number)}</caption>
                                    <thead><tr>
                                        <th scope="col">{td_string!(locale, indicators.col_indicator)}</th>
                                        <th scope="col">{td_string!(locale, indicators.col_kind)}</th>
                                        <th scope="col">{td_string!(locale, indicators.col_bounds)}</th>
                                        <th scope="col">{td_string!(locale, indicators.col_required)}</th>
                                        <th scope="col">{td_string!(locale, indicators.col_status)}</th>
                                        <th scope="col"><span class="visually-hidden">{td_string!(locale, indicators.col_actions)}</span></th>
                                    </tr></thead>
                                    <tbody>
                                        {mine.into_iter().map(|i| {
                                            let bounds = bounds(locale, i.min, i.max);
                                            let (toggle, toggle_named) = if i.archived {
                                                (td_string!(locale, indicators.restore), td_string!(locale, indicators.restore_named, name = i.name.clone()).to_string())
                                            } else {
                                                (td_string!(locale, indicators.archive), td_string!(locale, indicators.archive_named, name = i.name.clone()).to_string())
                                            };
                                            view! { <tr>
                                                <td>{i.name.clone()}{i.unit.clone().map(|u| format!(" ({u})"))}</td>
                                                <td>{i.kind.label_in(locale)}</td>
                                                <td>{bounds}</td>
                                                <td>{if i.required { td_string!(locale, common.yes) } else { td_string!(locale, common.no) }}</td>
                                                <td>{if i.archived {
                                                    view! { <span class="badge badge-inactive">{td_string!(locale, indicators.archived)}</span> }
                                                } else {
                                                    view! { <span class="badge badge-active">{td_string!(locale, indicators.active)}</span> }
                                                }}</td>
                                                <td class="actions">
                                                    <a href=crate::routes::indicator(i.id) aria-label=td_string!(locale, indicators.edit_named, name = i.name.clone()).to_string()>{td_string!(locale, indicators.edit)}</a>
                                                    <ActionForm action=archive>
                                                        <input type="hidden" name="id" value=i.id/>
                                                        <input type="hidden" name="archived" value=(!i.archived).to_string()/>
                                                        <button type="submit" class="secondary" aria-label=toggle_named>
                                                            {toggle}
                                                        </button>
                                                    </ActionForm>
                                                </td>
                                            </tr> }
                                        }).collect_view()}
                                    </tbody>
                                </table></div>
                            }.into_any() }}
                        }
                    }).collect_view()}
                    <section class="section" aria-labelledby="new-indicator-heading">
                        <h2 id="new-indicator-heading">{td_string!(locale, indicators.new_indicator)}</h2>
                        <FormError error=last_error(move || save_result.get())/>
                        <ActionForm action=save attr:novalidate="true">
                            <IndicatorFields recommendations=recs result=save_result/>
                            <div class="actions"><button type="submit">{td_string!(locale, indicators.create_indicator)}</button></div>
                        </ActionForm>
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}

/// `/admin/indicators/{id}`: edit one indicator.
#[component]
pub fn IndicatorPage() -> impl IntoView {
    let locale = use_locale();
    let user = expect_context::<Auth>().user();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok());
    let save = ServerAction::<SaveIndicator>::new();
    let indicators = Resource::new(|| (), |_| list_indicators());
    let recommendations = Resource::new(|| (), |_| list_recommendations());
    let save_result = Signal::derive(move || save.value().get());
    view! {
        <Suspense fallback=move || view! { <p>{td_string!(locale, common.loading)}</p> }>
            {move || Suspend::new(async move {
                if let Err(e) = admin_only(user).await {
                    return view! { <ErrorPage error=e/> }.into_any();
                }
                let (list, recs) = match (indicators.await, recommendations.await) {
                    (Ok(l), Ok(r)) => (l, r),
                    (Err(e), _) | (_, Err(e)) => return view! { <ErrorPage error=e/> }.into_any(),
                };
                let Some(indicator) = list.into_iter().find(|i| Some(i.id) == id()) else {
                    return view! { <ErrorPage error=AppError::NotFound/> }.into_any();
                };
                view! {
                    <Title text=format!("{} — {} — Recovery Tracker", indicator.name, td_string!(locale, indicators.title))/>
                    <p><a href=crate::routes::ADMIN_INDICATORS>{td_string!(locale, indicators.all_indicators)}</a></p>
                    <h1>{indicator.name.clone()}</h1>
                    <FormError error=last_error(move || save_result.get())/>
                    <ActionForm action=save attr:novalidate="true">
                        <input type="hidden" name="id" value=indicator.id/>
                        <IndicatorFields recommendations=recs indicator=indicator.clone() result=save_result/>
                        <div class="actions"><button type="submit">{td_string!(locale, indicators.save_indicator)}</button></div>
                    </ActionForm>
                }.into_any()
            })}
        </Suspense>
    }
}

/// "1. Urgently address the cancer backlog", with the title in the reader's language.
fn recommendation_heading(locale: Locale, r: &Recommendation) -> String {
    format!(
        "{}. {}",
        r.number,
        crate::recommendations::pages::title(locale, r)
    )
}

/// An indicator's bounds for people: "0 to 1,000", "… to 100", or "—" for none.
fn bounds(locale: Locale, min: Option<f64>, max: Option<f64>) -> String {
    let bound = |b: Option<f64>| {
        b.map(|n| format::number(locale, &fmt_number(n)))
            .unwrap_or_else(|| "…".into())
    };
    match (min, max) {
        (None, None) => "—".to_string(),
        (a, b) => td_string!(
            locale,
            indicators.bounds_range,
            min = bound(a),
            max = bound(b)
        )
        .to_string(),
    }
}

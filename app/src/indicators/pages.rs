//! Pages of indicator definitions (admins only).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::api::{list_indicators, ArchiveIndicator, SaveIndicator};
use super::model::{fmt_number, Indicator, IndicatorKind};
use crate::auth::pages::Auth;
use crate::caller::Role;
use crate::error::AppError;
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
    let r = move || result.get();
    let i = indicator.clone();
    let rec_options: Vec<(String, String)> =
        std::iter::once((String::new(), "Choose a recommendation".to_string()))
            .chain(
                recommendations
                    .iter()
                    .map(|r| (r.number.to_string(), format!("{}. {}", r.number, r.title))),
            )
            .collect();
    let kind_options = crate::ui::enum_options("Choose a kind", IndicatorKind::label);
    let bound = |b: Option<f64>| b.map(fmt_number).unwrap_or_default();
    let required = i.as_ref().is_some_and(|i| i.required);
    view! {
        <SelectField name="recommendation" label="Recommendation" options=rec_options required=true
            selected=i.as_ref().map(|i| i.recommendation.to_string()).unwrap_or_default() error=error_for(r, "recommendation")/>
        <TextField name="name" label="Indicator name" required=true value=i.as_ref().map(|i| i.name.clone()).unwrap_or_default()
            hint="For example “Screening volume as % of 2019”." error=error_for(r, "name")/>
        <SelectField name="kind" label="Kind of value" options=kind_options required=true
            selected=i.as_ref().map(|i| i.kind.as_str().to_string()).unwrap_or_default() error=error_for(r, "kind")/>
        <TextField name="unit" label="Unit (numbers only)" value=i.as_ref().and_then(|i| i.unit.clone()).unwrap_or_default()
            hint="For example “patients” or “weeks”." error=error_for(r, "unit")/>
        <TextField name="min" label="Smallest allowed value (optional)" value=bound(i.as_ref().and_then(|i| i.min)) error=error_for(r, "min")/>
        <TextField name="max" label="Largest allowed value (optional)" value=bound(i.as_ref().and_then(|i| i.max)) error=error_for(r, "max")/>
        <TextField name="help" label="Help text for focal points (optional)" multiline=true
            value=i.as_ref().and_then(|i| i.help.clone()).unwrap_or_default() error=error_for(r, "help")/>
        <div class="field">
            <label for="f-required"><input type="checkbox" id="f-required" name="required" value="true" checked=required/>" Required before a report can be submitted"</label>
        </div>
    }
}

/// `/admin/indicators`: every indicator by recommendation, and the form for a new one.
#[component]
pub fn IndicatorsPage() -> impl IntoView {
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
        <Title text="Indicators — Recovery Tracker"/>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                if let Err(e) = admin_only(user).await {
                    return view! { <ErrorPage error=e/> }.into_any();
                }
                let (list, recs) = match (indicators.await, recommendations.await) {
                    (Ok(l), Ok(r)) => (l, r),
                    (Err(e), _) | (_, Err(e)) => return view! { <ErrorPage error=e/> }.into_any(),
                };
                view! {
                    <h1>"Indicators"</h1>
                    <p>"Focal points report these values with each recommendation’s status. Changing an indicator does not change values already reported; archiving it stops asking for it."</p>
                    <FormError error=last_error(move || archive.value().get())/>
                    {recs.iter().map(|rec| {
                        let mine: Vec<Indicator> = list.iter().filter(|i| i.recommendation == rec.number).cloned().collect();
                        view! {
                            <h2>{format!("{}. {}", rec.number, rec.title)}</h2>
                            {if mine.is_empty() { view! { <p class="hint">"No indicators."</p> }.into_any() } else { view! {
                                <div class="table-wrap"><table>
                                    <thead><tr>
                                        <th scope="col">"Indicator"</th><th scope="col">"Kind"</th><th scope="col">"Bounds"</th>
                                        <th scope="col">"Required"</th><th scope="col">"Status"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th>
                                    </tr></thead>
                                    <tbody>
                                        {mine.into_iter().map(|i| {
                                            let bounds = match (i.min, i.max) {
                                                (None, None) => "—".to_string(),
                                                (a, b) => format!("{} to {}", a.map(fmt_number).unwrap_or_else(|| "…".into()), b.map(fmt_number).unwrap_or_else(|| "…".into())),
                                            };
                                            view! { <tr>
                                                <td>{i.name.clone()}{i.unit.clone().map(|u| format!(" ({u})"))}</td>
                                                <td>{i.kind.label()}</td>
                                                <td>{bounds}</td>
                                                <td>{if i.required { "Yes" } else { "No" }}</td>
                                                <td>{if i.archived { view! { <span class="badge badge-inactive">"Archived"</span> } } else { view! { <span class="badge badge-active">"Active"</span> } }}</td>
                                                <td class="actions">
                                                    <a href=crate::routes::indicator(i.id) aria-label=format!("Edit {}", i.name)>"Edit"</a>
                                                    <ActionForm action=archive>
                                                        <input type="hidden" name="id" value=i.id/>
                                                        <input type="hidden" name="archived" value=(!i.archived).to_string()/>
                                                        <button type="submit" class="secondary" aria-label=format!("{} {}", if i.archived { "Restore" } else { "Archive" }, i.name)>
                                                            {if i.archived { "Restore" } else { "Archive" }}
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
                        <h2 id="new-indicator-heading">"New indicator"</h2>
                        <FormError error=last_error(move || save_result.get())/>
                        <ActionForm action=save attr:novalidate="true">
                            <IndicatorFields recommendations=recs result=save_result/>
                            <div class="actions"><button type="submit">"Create indicator"</button></div>
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
    let user = expect_context::<Auth>().user();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok());
    let save = ServerAction::<SaveIndicator>::new();
    let indicators = Resource::new(|| (), |_| list_indicators());
    let recommendations = Resource::new(|| (), |_| list_recommendations());
    let save_result = Signal::derive(move || save.value().get());
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
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
                    <Title text=format!("{} — Indicators — Recovery Tracker", indicator.name)/>
                    <p><a href=crate::routes::ADMIN_INDICATORS>"← All indicators"</a></p>
                    <h1>{indicator.name.clone()}</h1>
                    <FormError error=last_error(move || save_result.get())/>
                    <ActionForm action=save attr:novalidate="true">
                        <input type="hidden" name="id" value=indicator.id/>
                        <IndicatorFields recommendations=recs indicator=indicator.clone() result=save_result/>
                        <div class="actions"><button type="submit">"Save indicator"</button></div>
                    </ActionForm>
                }.into_any()
            })}
        </Suspense>
    }
}

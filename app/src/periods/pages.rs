//! Pages of reporting periods: the list (admins and viewers) and the period form (admins); each
//! period's completeness board, which also holds its settings, is a progress page.

use leptos::prelude::*;
use leptos_meta::Title;

use super::api::{list_periods, SavePeriod};
use super::model::Period;
use crate::auth::pages::Auth;
use crate::caller::Role;
use crate::error::AppError;
use crate::i18n::*;
use crate::lang::{format, use_locale};
use crate::ui::{error_for, last_error, ErrorPage, FormError, TextField};

/// The period fields, shared by "new period" and "edit period" (on the completeness board).
#[component]
pub fn PeriodFields<T: Clone + Send + Sync + 'static>(
    #[prop(optional)] period: Option<Period>,
    result: Signal<Option<Result<T, AppError>>>,
) -> impl IntoView {
    let locale = use_locale();
    let r = move || result.get();
    let p = period.unwrap_or(Period {
        id: 0,
        name: String::new(),
        starts_on: String::new(),
        ends_on: String::new(),
        opens_on: String::new(),
        closes_on: String::new(),
        closed_at: None,
        phase: super::model::Phase::Upcoming,
    });
    view! {
        <TextField name="name" label=td_string!(locale, periods.field_name) value=p.name
            hint=td_string!(locale, periods.field_name_hint) required=true error=error_for(r, "name")/>
        <TextField name="starts_on" label=td_string!(locale, periods.field_starts_on) kind="date" value=p.starts_on required=true error=error_for(r, "starts_on")/>
        <TextField name="ends_on" label=td_string!(locale, periods.field_ends_on) kind="date" value=p.ends_on required=true error=error_for(r, "ends_on")/>
        <TextField name="opens_on" label=td_string!(locale, periods.field_opens_on) kind="date" value=p.opens_on required=true error=error_for(r, "opens_on")/>
        <TextField name="closes_on" label=td_string!(locale, periods.field_closes_on) kind="date" value=p.closes_on required=true
            hint=td_string!(locale, periods.field_closes_on_hint) error=error_for(r, "closes_on")/>
    }
}

/// `/admin/periods`: all periods; admins also get the form for a new one. Admins and viewers.
#[component]
pub fn PeriodsPage() -> impl IntoView {
    let locale = use_locale();
    let user = expect_context::<Auth>().user();
    let save = ServerAction::<SavePeriod>::new();
    let periods = Resource::new(move || save.version().get(), |_| list_periods());
    let save_result = Signal::derive(move || save.value().get());
    view! {
        <Title text=format!("{} — Recovery Tracker", td_string!(locale, periods.title))/>
        <Suspense fallback=move || view! { <p>{td_string!(locale, common.loading)}</p> }>
            {move || Suspend::new(async move {
                let user = user.await.ok().flatten();
                let role = user.as_ref().map(|u| u.role);
                if !matches!(role, Some(Role::Admin | Role::Viewer)) {
                    let e = if user.is_none() { AppError::Unauthorized } else { AppError::Forbidden };
                    return view! { <ErrorPage error=e/> }.into_any();
                }
                let list = match periods.await {
                    Ok(l) => l,
                    Err(e) => return view! { <ErrorPage error=e/> }.into_any(),
                };
                view! {
                    <h1>{td_string!(locale, periods.title)}</h1>
                    {if list.is_empty() { view! { <p>{td_string!(locale, periods.empty)}</p> }.into_any() } else { view! {
                        <div class="table-wrap"><table>
                            <caption>{td_string!(locale, periods.caption)}</caption>
                            <thead><tr>
                                <th scope="col">{td_string!(locale, periods.col_period)}</th>
                                <th scope="col">{td_string!(locale, periods.col_covers)}</th>
                                <th scope="col">{td_string!(locale, periods.col_submissions)}</th>
                                <th scope="col">{td_string!(locale, periods.col_status)}</th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|p| {
                                    let phase = p.phase;
                                    view! { <tr>
                                        <td><a href=crate::routes::period(p.id)>{p.name.clone()}</a></td>
                                        <td>{date_range(locale, &p.starts_on, &p.ends_on)}</td>
                                        <td>{date_range(locale, &p.opens_on, &p.closes_on)}</td>
                                        <td>{phase.label_in(locale)}</td>
                                    </tr> }
                                }).collect_view()}
                            </tbody>
                        </table></div>
                    }.into_any() }}
                    {(role == Some(Role::Admin)).then(|| view! {
                        <section class="section" aria-labelledby="new-period-heading">
                            <h2 id="new-period-heading">{td_string!(locale, periods.new_period)}</h2>
                            <FormError error=last_error(move || save_result.get())/>
                            <ActionForm action=save attr:novalidate="true">
                                <PeriodFields result=save_result/>
                                <div class="actions"><button type="submit">{td_string!(locale, periods.create_period)}</button></div>
                            </ActionForm>
                        </section>
                    })}
                }.into_any()
            })}
        </Suspense>
    }
}

/// Two stored dates as a range for people: "1 January 2026 to 30 June 2026",
/// "du 1 janvier 2026 au 30 juin 2026".
pub fn date_range(locale: crate::lang::Locale, start: &str, end: &str) -> String {
    td_string!(
        locale,
        periods.date_range,
        start = format::date(locale, start),
        end = format::date(locale, end)
    )
    .to_string()
}

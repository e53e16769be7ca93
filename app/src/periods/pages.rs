//! Pages of reporting periods: the list (admins and viewers) and the period form (admins); each
//! period's completeness board, which also holds its settings, is a progress page.

use leptos::prelude::*;
use leptos_meta::Title;

use super::api::{list_periods, SavePeriod};
use super::model::Period;
use crate::auth::pages::Auth;
use crate::caller::Role;
use crate::error::AppError;
use crate::ui::{error_for, last_error, ErrorPage, FormError, TextField};

/// The period fields, shared by "new period" and "edit period" (on the completeness board).
#[component]
pub fn PeriodFields<T: Clone + Send + Sync + 'static>(
    #[prop(optional)] period: Option<Period>,
    result: Signal<Option<Result<T, AppError>>>,
) -> impl IntoView {
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
        <TextField name="name" label="Name" value=p.name hint="For example 2026 H1." required=true error=error_for(r, "name")/>
        <TextField name="starts_on" label="Period starts" kind="date" value=p.starts_on required=true error=error_for(r, "starts_on")/>
        <TextField name="ends_on" label="Period ends" kind="date" value=p.ends_on required=true error=error_for(r, "ends_on")/>
        <TextField name="opens_on" label="Submissions open" kind="date" value=p.opens_on required=true error=error_for(r, "opens_on")/>
        <TextField name="closes_on" label="Submissions close" kind="date" value=p.closes_on required=true
            hint="Included: submissions are accepted until the end of this day (UTC)." error=error_for(r, "closes_on")/>
    }
}

/// `/admin/periods`: all periods; admins also get the form for a new one. Admins and viewers.
#[component]
pub fn PeriodsPage() -> impl IntoView {
    let user = expect_context::<Auth>().user();
    let save = ServerAction::<SavePeriod>::new();
    let periods = Resource::new(move || save.version().get(), |_| list_periods());
    let save_result = Signal::derive(move || save.value().get());
    view! {
        <Title text="Reporting periods — Recovery Tracker"/>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
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
                    <h1>"Reporting periods"</h1>
                    {if list.is_empty() { view! { <p>"No periods yet."</p> }.into_any() } else { view! {
                        <div class="table-wrap"><table>
                            <caption>"Periods, newest first"</caption>
                            <thead><tr>
                                <th scope="col">"Period"</th><th scope="col">"Covers"</th>
                                <th scope="col">"Submissions"</th><th scope="col">"Status"</th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|p| {
                                    let phase = p.phase;
                                    view! { <tr>
                                        <td><a href=crate::routes::period(p.id)>{p.name.clone()}</a></td>
                                        <td>{format!("{} to {}", p.starts_on, p.ends_on)}</td>
                                        <td>{format!("{} to {}", p.opens_on, p.closes_on)}</td>
                                        <td>{phase.label()}</td>
                                    </tr> }
                                }).collect_view()}
                            </tbody>
                        </table></div>
                    }.into_any() }}
                    {(role == Some(Role::Admin)).then(|| view! {
                        <section class="section" aria-labelledby="new-period-heading">
                            <h2 id="new-period-heading">"New period"</h2>
                            <FormError error=last_error(move || save_result.get())/>
                            <ActionForm action=save attr:novalidate="true">
                                <PeriodFields result=save_result/>
                                <div class="actions"><button type="submit">"Create period"</button></div>
                            </ActionForm>
                        </section>
                    })}
                }.into_any()
            })}
        </Suspense>
    }
}

//! Pages of reporting periods: the list (admins and viewers), the period form (admins), and
//! each period's completeness board.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{list_periods, ClosePeriod, SavePeriod};
use super::model::{Period, Phase};
use crate::auth::model::Role;
use crate::auth::pages::Auth;
use crate::clock;
use crate::countries::model::CountryGroup;
use crate::error::AppError;
use crate::progress::api::get_board;
use crate::progress::model::ReportState;
use crate::progress::pages::StateBadge;
use crate::ui::{error_for, last_error, ErrorPage, FormError, TextField};

/// The period fields, shared by "new period" and "edit period".
#[component]
fn PeriodFields<T: Clone + Send + Sync + 'static>(
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
                                        <td><a href=format!("/admin/periods/{}", p.id)>{p.name.clone()}</a></td>
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

/// `/admin/periods/{id}`: the completeness board (admins and viewers), filterable by group;
/// admins can also edit the period and close submissions.
#[component]
pub fn PeriodBoardPage() -> impl IntoView {
    let user = expect_context::<Auth>().user();
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok());
    let group = move || {
        query
            .read()
            .get("group")
            .and_then(|g| CountryGroup::parse(&g))
            .unwrap_or_default()
    };
    let save = ServerAction::<SavePeriod>::new();
    let close = ServerAction::<ClosePeriod>::new();
    let board = Resource::new(
        move || (id(), group(), save.version().get(), close.version().get()),
        |(id, group, ..)| async move {
            match id {
                Some(id) => get_board(id, group.as_str().to_string()).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let save_result = Signal::derive(move || save.value().get());
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let is_admin = user.await.ok().flatten().is_some_and(|u| u.role == Role::Admin);
                let board = match board.await {
                    Ok(b) => b,
                    Err(e) => return view! { <ErrorPage error=e/> }.into_any(),
                };
                let selected = group();
                let period = board.period.clone();
                let closed = board.phase == Phase::Closed;
                let closing_date_passed = board.closing_date_passed;
                view! {
                    <Title text=format!("{} — completeness — Recovery Tracker", period.name)/>
                    <p><a href="/admin/periods">"← All periods"</a></p>
                    <h1>{format!("{}: completeness", period.name)}</h1>
                    <p>{format!("Covers {} to {}. Submissions {} to {}: {}.", period.starts_on, period.ends_on, period.opens_on, period.closes_on, board.phase.label().to_lowercase())}</p>
                    <nav aria-label="Country group" class="actions">
                        {[CountryGroup::All, CountryGroup::Eu27, CountryGroup::NonEu].into_iter().map(|g| {
                            let href = format!("/admin/periods/{}?group={}", period.id, g.as_str());
                            let current = (g == selected).then_some("page");
                            view! { <a href=href aria-current=current>{g.label()}</a> }
                        }).collect_view()}
                    </nav>
                    <div class="table-wrap"><table>
                        <caption>{format!("Reports by state ({})", selected.label())}</caption>
                        <thead><tr><th scope="col">"State"</th><th scope="col" class="num">"Countries"</th></tr></thead>
                        <tbody>
                            {board.counts.iter().map(|(label, n)| view! { <tr><th scope="row">{label.clone()}</th><td class="num">{*n}</td></tr> }).collect_view()}
                        </tbody>
                    </table></div>
                    <div class="table-wrap"><table>
                        <caption>{format!("{} countries", board.rows.len())}</caption>
                        <thead><tr>
                            <th scope="col">"Country"</th><th scope="col">"Group"</th><th scope="col">"Report"</th>
                            <th scope="col">"Last change"</th><th scope="col">"Submitted"</th>
                        </tr></thead>
                        <tbody>
                            {board.rows.into_iter().map(|r| {
                                // Viewers read submitted and approved reports only: no link to a draft they may not open.
                                let readable = is_admin || matches!(r.state, Some(ReportState::Submitted | ReportState::Approved));
                                let link = (r.state.is_some() && readable).then(|| format!("/report/{}/{}", r.iso2, period.id));
                                view! { <tr>
                                    <td>{match link { Some(href) => view! { <a href=href>{r.name.clone()}</a> }.into_any(), None => view! { {r.name.clone()} }.into_any() }}</td>
                                    <td>{if r.eu_member { "EU27" } else { "Non-EU" }}</td>
                                    <td><StateBadge state=r.state/></td>
                                    <td>{r.updated_at.map(|u| clock::display(&u)).unwrap_or_else(|| "—".into())}</td>
                                    <td>{r.submitted_at.map(|u| clock::display(&u)).unwrap_or_else(|| "—".into())}</td>
                                </tr> }
                            }).collect_view()}
                        </tbody>
                    </table></div>
                    {is_admin.then(|| view! {
                        <section class="section" aria-labelledby="period-settings-heading">
                            <h2 id="period-settings-heading">"Period settings"</h2>
                            <FormError error=last_error(move || close.value().get())/>
                            {if closed && closing_date_passed {
                                view! { <p>{format!("Submissions closed; they were due by {}. To take submissions again, set a later “Submissions close” date below.", period.closes_on)}</p> }.into_any()
                            } else {
                                view! {
                                    <ActionForm action=close>
                                        <input type="hidden" name="id" value=period.id/>
                                        <input type="hidden" name="closed" value=(!closed).to_string()/>
                                        <button type="submit" class=if closed { "secondary" } else { "danger" }>
                                            {if closed { "Open submissions again" } else { "Close submissions now" }}
                                        </button>
                                    </ActionForm>
                                }.into_any()
                            }}
                            <FormError error=last_error(move || save_result.get())/>
                            <ActionForm action=save attr:novalidate="true">
                                <input type="hidden" name="id" value=period.id/>
                                <PeriodFields period=period.clone() result=save_result/>
                                <div class="actions"><button type="submit">"Save period"</button></div>
                            </ActionForm>
                        </section>
                    })}
                }.into_any()
            })}
        </Suspense>
    }
}

//! `/admin/periods/{id}`: a period's completeness board, beside its data (`progress::board`).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use strum::VariantArray;

use super::StateBadge;
use crate::auth::pages::Auth;
use crate::caller::Role;
use crate::countries::model::CountryGroup;
use crate::error::AppError;
use crate::periods::api::{ClosePeriod, SavePeriod};
use crate::periods::model::Phase;
use crate::periods::pages::PeriodFields;
use crate::progress::api::get_board;
use crate::progress::policy;
use crate::ui::{last_error, Column, DataTable, ErrorPage, FormError, Table};
use crate::{clock, routes};

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
            .and_then(|g| g.parse::<CountryGroup>().ok())
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
                let user = user.await.ok().flatten();
                let is_admin = user.as_ref().is_some_and(|u| u.role == Role::Admin);
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
                    <p><a href=routes::ADMIN_PERIODS>"← All periods"</a></p>
                    <h1>{format!("{}: completeness", period.name)}</h1>
                    <p>{format!("Covers {} to {}. Submissions {} to {}: {}.", period.starts_on, period.ends_on, period.opens_on, period.closes_on, board.phase.label().to_lowercase())}</p>
                    <nav aria-label="Country group" class="actions">
                        {CountryGroup::VARIANTS.iter().copied().map(|g| {
                            let href = routes::period_group(period.id, g.as_str());
                            let current = (g == selected).then_some("page");
                            view! { <a href=href aria-current=current>{g.label()}</a> }
                        }).collect_view()}
                    </nav>
                    <DataTable table=counts_table(&board.counts, selected)/>
                    <div class="table-wrap"><table>
                        <caption>{format!("{} countries", board.rows.len())}</caption>
                        <thead><tr>
                            <th scope="col">"Country"</th><th scope="col">"Group"</th><th scope="col">"Report"</th>
                            <th scope="col">"Last change"</th><th scope="col">"Submitted"</th>
                        </tr></thead>
                        <tbody>
                            {board.rows.into_iter().map(|r| {
                                // No link to a report the caller may not open (a viewer and a draft).
                                let readable = policy::may_read(user.as_ref(), &r.iso2, r.state).is_ok();
                                let link = (r.state.is_some() && readable).then(|| routes::report(&r.iso2, period.id));
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

/// How many countries' reports are in each state (of the countries in `group`).
fn counts_table(counts: &[(String, usize)], group: CountryGroup) -> Table {
    Table {
        caption: format!("Reports by state ({})", group.label()),
        columns: vec![
            Column::text("state", "State").row_header(),
            Column::number("countries", "Countries"),
        ],
        rows: counts
            .iter()
            .map(|(label, n)| vec![label.as_str().into(), (*n).into()])
            .collect(),
    }
}

//! `/admin/periods/{id}`: a period's completeness board, beside its data (`progress::board`).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use strum::VariantArray;

use super::{group_label, when, StateBadge};
use crate::auth::pages::Auth;
use crate::caller::Role;
use crate::countries::model::CountryGroup;
use crate::error::AppError;
use crate::i18n::*;
use crate::lang::{format, use_locale, Locale};
use crate::periods::api::{ClosePeriod, SavePeriod};
use crate::periods::model::Phase;
use crate::periods::pages::PeriodFields;
use crate::progress::api::get_board;
use crate::progress::policy;
use crate::progress::view::BoardRow;
use crate::routes;
use crate::ui::{last_error, Column, DataTable, ErrorPage, FormError, Table};

/// `/admin/periods/{id}`: the completeness board (admins and viewers), filterable by group;
/// admins can also edit the period and close submissions.
#[component]
pub fn PeriodBoardPage() -> impl IntoView {
    let locale = use_locale();
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
        <Suspense fallback=move || view! { <p>{td_string!(locale, common.loading)}</p> }>
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
                let date = |d: &str| format::date(locale, d);
                let covers = td_string!(locale, progress.board_covers, starts = date(&period.starts_on), ends = date(&period.ends_on)).to_string();
                let (opens, closes) = (date(&period.opens_on), date(&period.closes_on));
                let submissions = match board.phase {
                    Phase::Upcoming => td_string!(locale, progress.board_submissions_upcoming, opens = opens, closes = closes).to_string(),
                    Phase::Open => td_string!(locale, progress.board_submissions_open, opens = opens, closes = closes).to_string(),
                    Phase::Closed => td_string!(locale, progress.board_submissions_closed, opens = opens, closes = closes).to_string(),
                };
                let rows = in_name_order(locale, board.rows);
                view! {
                    <Title text=format!("{} — Recovery Tracker", td_string!(locale, progress.board_title, period = &period.name))/>
                    <p><a href=routes::ADMIN_PERIODS>{td_string!(locale, progress.back_to_periods)}</a></p>
                    <h1>{td_string!(locale, progress.board_heading, period = &period.name).to_string()}</h1>
                    <p>{format!("{covers} {submissions}")}</p>
                    <nav aria-label=td_string!(locale, progress.country_group) class="actions">
                        {CountryGroup::VARIANTS.iter().copied().map(|g| {
                            let href = routes::period_group(period.id, g.as_str());
                            let current = (g == selected).then_some("page");
                            view! { <a href=href aria-current=current>{group_label(locale, g)}</a> }
                        }).collect_view()}
                    </nav>
                    <DataTable table=counts_table(locale, &board.counts, selected)/>
                    <div class="table-wrap"><table>
                        <caption>{td_string!(locale, progress.countries_count, count = rows.len()).to_string()}</caption>
                        <thead><tr>
                            <th scope="col">{td_string!(locale, progress.country)}</th>
                            <th scope="col">{td_string!(locale, progress.group)}</th>
                            <th scope="col">{td_string!(locale, progress.report)}</th>
                            <th scope="col">{td_string!(locale, progress.last_change)}</th>
                            <th scope="col">{td_string!(locale, progress.submitted)}</th>
                        </tr></thead>
                        <tbody>
                            {rows.into_iter().map(|(name, r)| {
                                // No link to a report the caller may not open (a viewer and a draft).
                                let readable = policy::may_read(user.as_ref(), &r.iso2, r.state).is_ok();
                                let link = (r.state.is_some() && readable).then(|| routes::report(&r.iso2, period.id));
                                let group = if r.eu_member { CountryGroup::Eu27 } else { CountryGroup::NonEu };
                                view! { <tr>
                                    <td>{match link { Some(href) => view! { <a href=href>{name}</a> }.into_any(), None => view! { {name} }.into_any() }}</td>
                                    <td>{group_label(locale, group)}</td>
                                    <td><StateBadge state=r.state/></td>
                                    <td>{when(locale, r.updated_at.as_deref())}</td>
                                    <td>{when(locale, r.submitted_at.as_deref())}</td>
                                </tr> }
                            }).collect_view()}
                        </tbody>
                    </table></div>
                    {(is_admin && board.phase == Phase::Open).then(|| view! {
                        <crate::imports::pages::ExcelBox kind="bulk" period=period.id
                            download=routes::bulk_workbook(period.id)
                            heading=td_string!(locale, imports.bulk_box_heading).to_string()
                            intro=td_string!(locale, imports.bulk_box_intro).to_string()/>
                    })}
                    {is_admin.then(|| view! {
                        <section class="section" aria-labelledby="period-settings-heading">
                            <h2 id="period-settings-heading">{td_string!(locale, progress.period_settings)}</h2>
                            <FormError error=last_error(move || close.value().get())/>
                            {if closed && closing_date_passed {
                                view! { <p>{td_string!(locale, progress.closed_past_due, date = date(&period.closes_on)).to_string()}</p> }.into_any()
                            } else {
                                view! {
                                    <ActionForm action=close>
                                        <input type="hidden" name="id" value=period.id/>
                                        <input type="hidden" name="closed" value=(!closed).to_string()/>
                                        <button type="submit" class=if closed { "secondary" } else { "danger" }>
                                            {if closed { td_string!(locale, progress.open_again) } else { td_string!(locale, progress.close_now) }}
                                        </button>
                                    </ActionForm>
                                }.into_any()
                            }}
                            <FormError error=last_error(move || save_result.get())/>
                            <ActionForm action=save attr:novalidate="true">
                                <input type="hidden" name="id" value=period.id/>
                                <PeriodFields period=period.clone() result=save_result/>
                                <div class="actions"><button type="submit">{td_string!(locale, progress.save_period)}</button></div>
                            </ActionForm>
                        </section>
                    })}
                }.into_any()
            })}
        </Suspense>
    }
}

/// The rows with each country's name in `locale`, in that language's alphabetical order.
fn in_name_order(locale: Locale, rows: Vec<BoardRow>) -> Vec<(String, BoardRow)> {
    let mut named: Vec<(String, BoardRow)> = rows
        .into_iter()
        .map(|r| (format::country_name_or(locale, &r.iso2, &r.name), r))
        .collect();
    named.sort_by(|(a, _), (b, _)| format::compare(locale, a, b));
    named
}

/// How many countries' reports are in each state (of the countries in `group`).
fn counts_table(locale: Locale, counts: &[(String, usize)], group: CountryGroup) -> Table {
    Table {
        caption: td_string!(
            locale,
            progress.counts_caption,
            group = group_label(locale, group)
        )
        .to_string(),
        columns: vec![
            Column::text("state", td_string!(locale, progress.state)).row_header(),
            Column::number("countries", td_string!(locale, progress.countries)),
        ],
        rows: counts
            .iter()
            .map(|(label, n)| vec![label.as_str().into(), (*n).into()])
            .collect(),
    }
}

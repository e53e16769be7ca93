//! `/report`: a focal point's reports, every period.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{phase_label, when, StateBadge};
use crate::i18n::*;
use crate::lang::{format, use_locale};
use crate::progress::api::list_my_reports;
use crate::progress::view::MyReport;
use crate::routes;
use crate::ui::Loaded;

/// `/report`: a focal point's reports, every period.
#[component]
pub fn MyReportsPage() -> impl IntoView {
    let locale = use_locale();
    let reports = Resource::new(|| (), |_| list_my_reports());
    let table = move |list: Vec<MyReport>| {
        if list.is_empty() {
            return view! { <p>{td_string!(locale, progress.no_periods)}</p> }.into_any();
        }
        view! {
            <div class="table-wrap">
                <table>
                    <caption>{td_string!(locale, progress.my_reports_caption)}</caption>
                    <thead><tr>
                        <th scope="col">{td_string!(locale, progress.period)}</th>
                        <th scope="col">{td_string!(locale, progress.country)}</th>
                        <th scope="col">{td_string!(locale, progress.submissions)}</th>
                        <th scope="col">{td_string!(locale, progress.report)}</th>
                        <th scope="col">{td_string!(locale, progress.last_change)}</th>
                    </tr></thead>
                    <tbody>
                        {list.into_iter().map(|r| {
                            let country = format::country_name_or(locale, &r.iso2, &r.country);
                            let link = td_string!(locale, progress.report_link, country = country, period = &r.period).to_string();
                            view! {
                                <tr>
                                    <td>{r.period.clone()}</td>
                                    <td><a href=routes::report(&r.iso2, r.period_id)>{link}</a></td>
                                    <td>{phase_label(locale, r.phase)}</td>
                                    <td><StateBadge state=r.state/></td>
                                    <td>{when(locale, r.updated_at.as_deref())}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <Title text=format!("{} — Recovery Tracker", td_string!(locale, progress.my_reports_title))/>
        <h1>{td_string!(locale, progress.my_reports_title)}</h1>
        <Loaded resource=reports view=table/>
    }
}

//! `/report`: a focal point's reports, every period.

use leptos::prelude::*;
use leptos_meta::Title;

use super::StateBadge;
use crate::progress::api::list_my_reports;
use crate::progress::view::MyReport;
use crate::ui::Loaded;
use crate::{clock, routes};

/// `/report`: a focal point's reports, every period.
#[component]
pub fn MyReportsPage() -> impl IntoView {
    let reports = Resource::new(|| (), |_| list_my_reports());
    let table = |list: Vec<MyReport>| {
        if list.is_empty() {
            return view! { <p>"There are no reporting periods yet."</p> }.into_any();
        }
        view! {
            <div class="table-wrap">
                <table>
                    <caption>"Your countries’ reports by period"</caption>
                    <thead><tr>
                        <th scope="col">"Period"</th><th scope="col">"Country"</th><th scope="col">"Submissions"</th>
                        <th scope="col">"Report"</th><th scope="col">"Last change"</th>
                    </tr></thead>
                    <tbody>
                        {list.into_iter().map(|r| view! {
                            <tr>
                                <td>{r.period.clone()}</td>
                                <td><a href=routes::report(&r.iso2, r.period_id)>{format!("{} — {}", r.country, r.period)}</a></td>
                                <td>{r.phase.label()}</td>
                                <td><StateBadge state=r.state/></td>
                                <td>{r.updated_at.map(|u| clock::display(&u)).unwrap_or_else(|| "—".into())}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <Title text="My reports — Recovery Tracker"/>
        <h1>"My reports"</h1>
        <Loaded resource=reports view=table/>
    }
}

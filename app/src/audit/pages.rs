use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::api::list_audit;
use super::model::AuditPage;
use crate::{clock, routes, ui::Loaded};

/// `/admin/audit`: who did what, when, from where. Admins only.
#[component]
pub fn AuditLogPage() -> impl IntoView {
    let query = use_query_map();
    let filter = move || {
        let q = query.read();
        (
            q.get("action").filter(|a| !a.is_empty()),
            q.get("older_than").and_then(|v| v.parse::<i64>().ok()),
        )
    };
    let page = Resource::new(filter, |(action, older)| list_audit(action, older));
    view! {
        <Title text="Audit log — Recovery Tracker"/>
        <Loaded resource=page view=move |p: AuditPage| {
            let selected = filter().0.unwrap_or_default();
            view! {
                <h1>"Audit log"</h1>
                <form method="get" action=routes::ADMIN_AUDIT class="inline-form">
                    <div class="field">
                        <label for="f-action">"Action"</label>
                        <select id="f-action" name="action">
                            <option value="">"All actions"</option>
                            {p.actions.iter().map(|a| {
                                let is = a.code() == selected;
                                view! { <option value=a.code() selected=is>{a.code()}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <button type="submit">"Filter"</button>
                </form>
                <div class="table-wrap">
                    <table>
                        <caption>{format!("{} entries, newest first", p.entries.len())}</caption>
                        <thead><tr>
                            <th scope="col">"When"</th><th scope="col">"Who"</th><th scope="col">"Action"</th>
                            <th scope="col">"Subject"</th><th scope="col">"Details"</th><th scope="col">"From"</th>
                        </tr></thead>
                        <tbody>
                            {p.entries.into_iter().map(|e| view! {
                                <tr>
                                    <td>{clock::display(&e.at)}</td>
                                    <td>{e.actor.unwrap_or_else(|| "—".into())}</td>
                                    <td>{e.action.code()}</td>
                                    <td>{e.subject.unwrap_or_default()}</td>
                                    <td>{e.details.unwrap_or_default()}</td>
                                    <td>{e.ip.unwrap_or_default()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                {p.older_than.map(|id| {
                    let href = if selected.is_empty() {
                        format!("{}?older_than={id}", routes::ADMIN_AUDIT)
                    } else {
                        format!("{}?action={}&older_than={id}", routes::ADMIN_AUDIT, routes::urlencode(&selected))
                    };
                    view! { <p><a href=href>"Older entries"</a></p> }
                })}
            }
        }/>
    }
}

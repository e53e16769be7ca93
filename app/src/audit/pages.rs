use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::api::list_audit;
use super::model::{AuditEvent, AuditPage};
use crate::i18n::*;
use crate::lang::{format, use_locale};
use crate::{routes, ui::Loaded};

/// `/admin/audit`: who did what, when, from where. Admins only.
#[component]
pub fn AuditLogPage() -> impl IntoView {
    let locale = use_locale();
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
        <Title text=format!("{} — Recovery Tracker", td_string!(locale, audit.title))/>
        <Loaded resource=page view=move |p: AuditPage| {
            let selected = filter().0.unwrap_or_default();
            // The filter lists the actions by their label, alphabetically for the language.
            let mut actions: Vec<AuditEvent> = p.actions.clone();
            actions.sort_by(|a, b| format::compare(locale, a.label(locale), b.label(locale)));
            view! {
                <h1>{td_string!(locale, audit.title)}</h1>
                <form method="get" action=routes::ADMIN_AUDIT class="inline-form">
                    <div class="field">
                        <label for="f-action">{td_string!(locale, audit.field_action)}</label>
                        <select id="f-action" name="action">
                            <option value="">{td_string!(locale, audit.all_actions)}</option>
                            {actions.into_iter().map(|a| {
                                let is = a.code() == selected;
                                view! { <option value=a.code() selected=is>{a.label(locale)}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <button type="submit">{td_string!(locale, audit.filter)}</button>
                </form>
                <div class="table-wrap">
                    <table class="audit-log">
                        <caption>{td_string!(locale, audit.caption, count = p.entries.len())}</caption>
                        <thead><tr>
                            <th scope="col">{td_string!(locale, audit.col_when)}</th>
                            <th scope="col">{td_string!(locale, audit.col_who)}</th>
                            <th scope="col">{td_string!(locale, audit.col_action)}</th>
                            <th scope="col">{td_string!(locale, audit.col_subject)}</th>
                            <th scope="col">{td_string!(locale, audit.col_details)}</th>
                            <th scope="col">{td_string!(locale, audit.col_from)}</th>
                        </tr></thead>
                        <tbody>
                            {p.entries.into_iter().map(|e| view! {
                                <tr>
                                    <td>{format::timestamp(locale, &e.at)}</td>
                                    <td>{e.actor.unwrap_or_else(|| "—".into())}</td>
                                    <td>{e.action.label(locale)}" "<span class="code">{e.action.code()}</span></td>
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
                    view! { <p><a href=href>{td_string!(locale, audit.older)}</a></p> }
                })}
            }
        }/>
    }
}

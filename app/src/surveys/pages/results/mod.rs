//! Pages of invitations (admins), results (admins and viewers), responses (admins), a
//! member's own data (`/account/data`), and the evidence section of a recommendation's page.
//! Server-rendered; filters are GET forms (every view is a URL), changes are plain form posts.

mod evidence;
mod invitations;
mod my_data;
mod responses;
mod view;

pub use evidence::SurveyEvidence;
pub use invitations::SurveyInvitationsPage;
pub use my_data::{MyDataLink, MyDataPage};
pub use responses::{SurveyResponsePage, SurveyResponsesPage};
pub use view::SurveyResultsPage;

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_params_map};

/// The survey id of the route (`:id`), or 0 (no such survey: the server answers not found).
fn survey_id() -> impl Fn() -> i64 + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    }
}

/// The page's query string (without `?`).
fn search() -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let location = use_location();
    move || location.search.get()
}

/// The value of `key` in a query string.
fn query_value(query: &str, key: &str) -> Option<String> {
    url::form_urlencoded::parse(query.trim_start_matches('?').as_bytes())
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

/// Links between a survey's invitations, results and responses.
#[component]
fn SurveyNav(id: i64, #[prop(optional)] manage: bool) -> impl IntoView {
    use crate::i18n::*;
    let l = crate::lang::use_locale();
    view! {
        <nav class="board-nav" aria-label=td_string!(l, survey_results.nav_label)>
            <ul>
                {manage.then(|| view! { <li><a href=crate::routes::survey_invitations(id)>{td_string!(l, survey_results.nav_invitations)}</a></li> })}
                <li><a href=crate::routes::survey_results(id)>{td_string!(l, survey_results.nav_results)}</a></li>
                {manage.then(|| view! { <li><a href=crate::routes::survey_responses(id)>{td_string!(l, survey_results.nav_responses)}</a></li> })}
            </ul>
        </nav>
    }
}

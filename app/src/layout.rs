//! The frame around every page: header with navigation and account menu, footer.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::auth::pages::{AccountMenu, Auth};
use crate::caller::Role;
use crate::routes;

/// Site header: the name, the main navigation (with the signed-in role's own pages), and
/// the account menu.
#[component]
pub fn Header() -> impl IntoView {
    let user = expect_context::<Auth>().user();
    let role_links = move || {
        Suspend::new(async move {
            let role = user.await.ok().flatten().map(|u| u.role);
            match role {
                Some(Role::Admin) => view! {
                    <li><A href=routes::ADMIN_PERIODS>"Periods"</A></li>
                    <li><A href=routes::ADMIN_INDICATORS>"Indicators"</A></li>
                    <li><A href=routes::ADMIN_USERS>"Users"</A></li>
                    <li><A href=routes::ADMIN_AUDIT>"Audit log"</A></li>
                }
                .into_any(),
                Some(Role::Viewer) => {
                    view! { <li><A href=routes::ADMIN_PERIODS>"Periods"</A></li> }.into_any()
                }
                Some(Role::FocalPoint) => {
                    view! { <li><A href=routes::MY_REPORTS>"My reports"</A></li> }.into_any()
                }
                _ => ().into_any(),
            }
        })
    };
    view! {
        <header class="site-header">
            <div class="site-header-inner">
                <a class="site-name" href=routes::HOME>"Recovery Tracker"</a>
                <nav aria-label="Main">
                    <ul>
                        <li><A href=routes::HOME>"Recommendations"</A></li>
                        <li><A href=routes::COUNTRIES>"Countries"</A></li>
                        <Transition fallback=|| ()>{role_links}</Transition>
                    </ul>
                </nav>
                <AccountMenu/>
            </div>
        </header>
    }
}

/// Site footer: who runs it, where the open data is.
#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <p>
                "Recovery Tracker follows up the recommendations of the European Cancer Organisation's "
                "Special Network on the Impact of COVID-19 on Cancer."
            </p>
            <p>
                "Open data: "
                <a href=routes::API_RECOMMENDATIONS>"recommendations (JSON)"</a>", "
                <a href=routes::API_RECOMMENDATIONS_CSV>"(CSV)"</a>"; "
                <a href=routes::API_COUNTRIES>"countries (JSON)"</a>", "
                <a href=routes::API_COUNTRIES_CSV>"(CSV)"</a>"; "
                <a href=routes::API_PERIODS>"reporting periods (JSON)"</a>"; "
                <a href=routes::API_PROGRESS>"approved progress reports (JSON)"</a>", "
                <a href=routes::API_PROGRESS_CSV>"(CSV)"</a>"."
            </p>
        </footer>
    }
}

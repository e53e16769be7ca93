//! The frame around every page: header with navigation and account menu, footer.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::auth::pages::{AccountMenu, Auth};
use crate::caller::Role;

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
                    <li><A href="/admin/periods">"Periods"</A></li>
                    <li><A href="/admin/indicators">"Indicators"</A></li>
                    <li><A href="/admin/users">"Users"</A></li>
                    <li><A href="/admin/audit">"Audit log"</A></li>
                }
                .into_any(),
                Some(Role::Viewer) => {
                    view! { <li><A href="/admin/periods">"Periods"</A></li> }.into_any()
                }
                Some(Role::FocalPoint) => {
                    view! { <li><A href="/report">"My reports"</A></li> }.into_any()
                }
                _ => ().into_any(),
            }
        })
    };
    view! {
        <header class="site-header">
            <div class="site-header-inner">
                <a class="site-name" href="/">"Recovery Tracker"</a>
                <nav aria-label="Main">
                    <ul>
                        <li><A href="/">"Recommendations"</A></li>
                        <li><A href="/countries">"Countries"</A></li>
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
                <a href="/api/v1/recommendations">"recommendations (JSON)"</a>", "
                <a href="/api/v1/recommendations.csv">"(CSV)"</a>"; "
                <a href="/api/v1/countries">"countries (JSON)"</a>", "
                <a href="/api/v1/countries.csv">"(CSV)"</a>"; "
                <a href="/api/v1/periods">"reporting periods (JSON)"</a>"; "
                <a href="/api/v1/progress">"approved progress reports (JSON)"</a>", "
                <a href="/api/v1/progress.csv">"(CSV)"</a>"."
            </p>
        </footer>
    }
}

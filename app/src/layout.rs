//! The frame around every page: header with navigation, footer.

use leptos::prelude::*;
use leptos_router::components::A;

/// Site header: the name, the main navigation.
#[component]
pub fn Header() -> impl IntoView {
    view! {
        <header class="site-header">
            <div class="site-header-inner">
                <a class="site-name" href="/">"Recovery Tracker"</a>
                <nav aria-label="Main">
                    <ul>
                        <li><A href="/">"Recommendations"</A></li>
                        <li><A href="/countries">"Countries"</A></li>
                    </ul>
                </nav>
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
                <a href="/api/v1/countries.csv">"(CSV)"</a>"."
            </p>
        </footer>
    }
}

//! The frame around every page: header with navigation, language switcher and account menu,
//! footer.

use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_location};

use crate::auth::pages::{AccountMenu, Auth};
use crate::caller::Role;
use crate::i18n::*;
use crate::lang::{use_locale, Locale};
use crate::routes;

/// Site header: the name, the main navigation (with the signed-in role's own pages), the
/// language switcher and the account menu.
#[component]
pub fn Header() -> impl IntoView {
    let locale = use_locale();
    let user = expect_context::<Auth>().user();
    let role_links = move || {
        Suspend::new(async move {
            let role = user.await.ok().flatten().map(|u| u.role);
            match role {
                Some(Role::Admin) => view! {
                    <li><A href=routes::ADMIN_PERIODS>{td_string!(locale, common.nav_periods)}</A></li>
                    <li><A href=routes::ADMIN_INDICATORS>{td_string!(locale, common.nav_indicators)}</A></li>
                    <li><A href=routes::ADMIN_SURVEYS>{td_string!(locale, survey_builder.nav_surveys)}</A></li>
                    <li><A href=routes::ADMIN_USERS>{td_string!(locale, common.nav_users)}</A></li>
                    <li><A href=routes::ADMIN_AUDIT>{td_string!(locale, common.nav_audit)}</A></li>
                }
                .into_any(),
                Some(Role::Viewer) => view! {
                    <li><A href=routes::ADMIN_PERIODS>{td_string!(locale, common.nav_periods)}</A></li>
                }
                .into_any(),
                Some(Role::FocalPoint) => view! {
                    <li><A href=routes::MY_REPORTS>{td_string!(locale, common.nav_my_reports)}</A></li>
                }
                .into_any(),
                _ => ().into_any(),
            }
        })
    };
    view! {
        <header class="site-header">
            <div class="site-header-inner">
                <a class="site-name" href=routes::HOME>"Recovery Tracker"</a>
                <nav aria-label=td_string!(locale, common.nav_main)>
                    <ul>
                        <li><A href=routes::HOME>{td_string!(locale, common.nav_recommendations)}</A></li>
                        <li><A href=routes::COUNTRIES>{td_string!(locale, common.nav_countries)}</A></li>
                        <li><A href=routes::DASHBOARD>{td_string!(locale, common.nav_dashboard)}</A></li>
                        <Transition fallback=|| ()>{role_links}</Transition>
                        <crate::surveys::pages::results::MyDataLink/>
                    </ul>
                </nav>
                <LanguageSwitcher/>
                <AccountMenu/>
            </div>
        </header>
    }
}

/// Plain links to this page in every language (`?lang=fr`, which the server remembers in a
/// cookie): works without JavaScript, and each name is written in its own language.
#[component]
fn LanguageSwitcher() -> impl IntoView {
    let current = use_locale();
    let location = use_location();
    let path = location.pathname.get_untracked();
    let query = location.search.get_untracked();
    let links = Locale::all()
        .iter()
        .map(|&l| {
            let href = routes::with_language(&path, &query, l.tag());
            let is_current = l == current;
            view! {
                <li>
                    <a
                        href=href
                        hreflang=l.tag()
                        lang=l.tag()
                        aria-current=is_current.then_some("true")
                    >
                        {td_string!(l, common.language_name)}
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <nav class="languages" aria-label=td_string!(current, common.language)>
            <ul>{links}</ul>
        </nav>
    }
}

/// Site footer: who runs it, where the open data is.
#[component]
pub fn Footer() -> impl IntoView {
    let locale = use_locale();
    view! {
        <footer class="site-footer">
            <p>{td_string!(locale, common.footer_about)}</p>
            <p>
                {td_string!(locale, common.footer_open_data)}" "
                <a href=routes::API_RECOMMENDATIONS>{td_string!(locale, common.footer_recommendations_json)}</a>", "
                <a href=routes::API_RECOMMENDATIONS_CSV>{td_string!(locale, common.csv)}</a>"; "
                <a href=routes::API_COUNTRIES>{td_string!(locale, common.footer_countries_json)}</a>", "
                <a href=routes::API_COUNTRIES_CSV>{td_string!(locale, common.csv)}</a>"; "
                <a href=routes::API_PERIODS>{td_string!(locale, common.footer_periods_json)}</a>"; "
                <a href=routes::API_PROGRESS>{td_string!(locale, common.footer_progress_json)}</a>", "
                <a href=routes::API_PROGRESS_CSV>{td_string!(locale, common.csv)}</a>"."
            </p>
        </footer>
    }
}

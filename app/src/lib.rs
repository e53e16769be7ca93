//! Recovery Tracker: the Leptos application (pages, server functions, data layer).
//!
//! Built twice: with `ssr` into the server (pages rendered on the server, server functions,
//! SQL) and with `hydrate` into the browser bundle, which holds only the `#[island]`
//! components (Leptos islands): every page is server-rendered and works without JavaScript.
//! See `docs/architecture.md`.
#![recursion_limit = "256"]

// The interface texts of every language (`app/locales`), compiled by `build.rs`.
include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

pub mod audit;
pub mod auth;
pub mod caller;
pub mod clock;
pub mod countries;
pub mod dashboard;
pub mod error;
pub mod imports;
pub mod indicators;
pub mod lang;
pub mod layout;
pub mod periods;
pub mod progress;
pub mod recommendations;
pub mod routes;
pub mod spreadsheet;
pub mod surveys;
pub mod ui;
pub mod users;

#[cfg(feature = "ssr")]
pub mod assets;
#[cfg(feature = "ssr")]
pub mod context;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod http;
#[cfg(feature = "ssr")]
pub mod open_data;
#[cfg(feature = "ssr")]
pub mod page_cache;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

use crate::i18n::*;
use crate::layout::{Footer, Header};
use crate::ui::NotFoundPage;

/// The HTML document around the app. On the server it also sets the Content-Security-Policy
/// with this response's nonce, which the islands' loader script carries. The loader is not in
/// the head: pages with an island place it themselves ([`ui::IslandsScript`]), so the others
/// download no script at all.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    http::set_page_csp();
    // Islands mode renders the page as "not hydrating" (nothing serialised for the browser)
    // except inside islands. `HydrationScripts` switches that on; it sits in the body of the
    // pages with islands only, so the shell does it for every page.
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    ui::provide_islands_bundle(options);
    let locale = lang::use_locale();
    provide_context(locale);
    #[cfg(feature = "ssr")]
    let stylesheet = assets::stylesheet_href();
    #[cfg(not(feature = "ssr"))]
    let stylesheet = "/pkg/recovery-tracker.css";
    view! {
        <!DOCTYPE html>
        <html lang=locale.tag()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <link rel="stylesheet" href=stylesheet/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The application: layout and the one route table. Every route renders fully on the server
/// before the response starts (`SsrMode::Async`), so pages work without JavaScript and can set
/// their status code (404, 403) or redirect. Navigation is plain page loads (no client-side
/// router): only islands run in the browser.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title text="Recovery Tracker"/>
        <Router>
            <Shell/>
        </Router>
    }
}

/// Everything inside the router: the auth actions live here so that a plain form post that
/// failed comes back to them.
#[component]
fn Shell() -> impl IntoView {
    auth::pages::Auth::provide();
    view! {
            <a class="skip-link" href="#main">{td_string!(lang::use_locale(), common.skip_to_main)}</a>
            <Header/>
            <main id="main" tabindex="-1">
                <Routes fallback=|| view! { <NotFoundPage/> }>
                    <Route path=path!("/") view=recommendations::pages::HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/recommendations/:number") view=recommendations::pages::RecommendationPage ssr=SsrMode::Async/>
                    <Route path=path!("/countries") view=countries::pages::CountriesPage ssr=SsrMode::Async/>
                    <Route path=path!("/countries/:iso2") view=dashboard::pages::CountryProfilePage ssr=SsrMode::Async/>
                    <Route path=path!("/dashboard") view=dashboard::pages::OverviewPage ssr=SsrMode::Async/>
                    <Route path=path!("/dashboard/movement") view=dashboard::pages::MovementPage ssr=SsrMode::Async/>
                    <Route path=path!("/dashboard/indicators") view=dashboard::pages::IndicatorsPage ssr=SsrMode::Async/>
                    <Route path=path!("/login") view=auth::pages::LoginPage ssr=SsrMode::Async/>
                    <Route path=path!("/invitation/:token") view=|| view! { <auth::pages::LinkPage purpose=auth::model::LinkPurpose::Invitation/> } ssr=SsrMode::Async/>
                    <Route path=path!("/reset-password/:token") view=|| view! { <auth::pages::LinkPage purpose=auth::model::LinkPurpose::PasswordReset/> } ssr=SsrMode::Async/>
                    <Route path=path!("/admin/users") view=users::pages::AdminUsersPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/users/:id") view=users::pages::AdminUserPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/audit") view=audit::pages::AuditLogPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/periods") view=periods::pages::PeriodsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/periods/:id") view=progress::pages::PeriodBoardPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/indicators") view=indicators::pages::IndicatorsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/indicators/:id") view=indicators::pages::IndicatorPage ssr=SsrMode::Async/>
                    <Route path=path!("/report") view=progress::pages::MyReportsPage ssr=SsrMode::Async/>
                    <Route path=path!("/report/:country/:period") view=progress::pages::ReportPage ssr=SsrMode::Async/>
                    // Surveys: the builder.
                    <Route path=path!("/admin/surveys") view=surveys::pages::builder::SurveysPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/surveys/:id") view=surveys::pages::builder::SurveyBuilderPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/surveys/:id/sections/:code") view=surveys::pages::builder::SurveySectionPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/surveys/:id/questions/:code") view=surveys::pages::builder::SurveyQuestionPage ssr=SsrMode::Async/>

                    // (end of the builder's routes)
                    // Surveys: invitations, results, responses, a member's data.
                    <Route path=path!("/admin/surveys/:id/invitations") view=surveys::pages::results::SurveyInvitationsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/surveys/:id/results") view=surveys::pages::results::SurveyResultsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/surveys/:id/responses") view=surveys::pages::results::SurveyResponsesPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/surveys/:id/responses/:response") view=surveys::pages::results::SurveyResponsePage ssr=SsrMode::Async/>
                    <Route path=path!("/account/data") view=surveys::pages::results::MyDataPage ssr=SsrMode::Async/>

                    // (end of the results' routes)
                    // Surveys: answering.
                    <Route path=path!("/s/:token") view=surveys::pages::answer::AnswerPage ssr=SsrMode::Async/>
                    <Route path=path!("/s/copy/:receipt") view=surveys::pages::answer::CopyPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/surveys/:id/preview") view=surveys::pages::answer::PreviewPage ssr=SsrMode::Async/>
                    // (end of the answering routes)
                    // Imports from Excel: the dry run and what applying did.
                    <Route path=path!("/imports/:id") view=imports::pages::ImportPage ssr=SsrMode::Async/>
                </Routes>
            </main>
            <Footer/>
    }
}

//! Shared widgets: error pages, form fields tied to their errors, the error summary, and the
//! browser-side helpers islands use to enhance server-rendered forms.

#[cfg(feature = "hydrate")]
pub mod dom;
mod form;
mod islands;
mod leave_guard;
mod table;
pub use form::{
    described_by, enum_options, error_for, field_id, last_error, CheckboxGroup, ErrorSummary,
    FormError, SelectField, TextField,
};
pub use islands::{provide_islands_bundle, IslandsScript};
pub use leave_guard::{guard_leaving, set_unsaved};
pub use table::{Cell, Column, ColumnKind, DataTable, Table};

use leptos::prelude::*;
use leptos_meta::Title;

/// A character no text field may hold: a control character other than a line break or a tab
/// (PostgreSQL refuses U+0000, which SQLite stores; the others are invisible).
pub fn is_refused_char(c: char) -> bool {
    c.is_control() && !matches!(c, '\n' | '\r' | '\t')
}
use leptos_router::hooks::use_location;

use crate::error::AppError;
use crate::i18n::*;
use crate::lang::use_locale;

/// Sets the HTTP status of the page being rendered on the server; does nothing in the browser.
pub fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(options), Ok(status)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        axum::http::StatusCode::from_u16(code),
    ) {
        options.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

/// A page's data, once loaded: `view` renders it, or the error page (with its status) shows
/// why it could not be. Rendered on the server before the response starts (`SsrMode::Async`),
/// so the "Loading…" fallback only shows if a page streams.
#[component]
pub fn Loaded<T, F, V>(resource: Resource<Result<T, AppError>>, view: F) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    F: Fn(T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    view! {
        <Suspense fallback=move || view! { <p>{td_string!(use_locale(), common.loading)}</p> }>
            {move || {
                let view = view.clone();
                Suspend::new(async move {
                    match resource.await {
                        Ok(value) => view(value).into_any(),
                        Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// What a page shows when its data could not be loaded: the sign-in link for signed-out
/// callers (and a redirect on the server), 403, 404, or a message. Sets the HTTP status.
#[component]
pub fn ErrorPage(error: AppError) -> impl IntoView {
    set_status(error.status_code());
    #[cfg(feature = "ssr")]
    if error == AppError::Unavailable {
        if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
            options.insert_header(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from_static(crate::error::RETRY_AFTER_UNAVAILABLE),
            );
        }
    }
    let locale = use_locale();
    match error {
        AppError::NotFound => view! { <NotFoundPage/> }.into_any(),
        AppError::Unauthorized => {
            let location = use_location();
            let here = format!("{}{}", location.pathname.get_untracked(), {
                let q = location.search.get_untracked();
                if q.is_empty() {
                    String::new()
                } else {
                    format!("?{q}")
                }
            });
            let login = crate::routes::login_then(&here);
            // A page load (not a server function call): always a real redirect.
            #[cfg(feature = "ssr")]
            if let (Some(options), Ok(location)) = (
                use_context::<leptos_axum::ResponseOptions>(),
                axum::http::HeaderValue::from_str(&login),
            ) {
                options.set_status(axum::http::StatusCode::FOUND);
                options.insert_header(axum::http::header::LOCATION, location);
            }
            view! {
                <Title text=format!("{} — Recovery Tracker", td_string!(locale, common.sign_in_required))/>
                <h1>{td_string!(locale, common.sign_in_required)}</h1>
                <p>
                    {td_string!(locale, common.sign_in_required_before)}
                    <a href=login>{td_string!(locale, common.sign_in)}</a>
                    {td_string!(locale, common.sign_in_required_after)}
                </p>
            }
            .into_any()
        }
        AppError::Forbidden => view! {
            <Title text=format!("{} — Recovery Tracker", td_string!(locale, common.not_allowed))/>
            <h1>{td_string!(locale, common.not_allowed)}</h1>
            <p>{td_string!(locale, common.not_allowed_text)}</p>
            <p><a href=crate::routes::HOME>{td_string!(locale, common.go_home)}</a></p>
        }
        .into_any(),
        other => view! {
            <Title text=format!("{} — Recovery Tracker", td_string!(locale, common.error_title))/>
            <h1>{td_string!(locale, common.something_went_wrong)}</h1>
            <p role="alert">{other.message(locale)}</p>
        }
        .into_any(),
    }
}

/// The 404 page (also the router's fallback).
#[component]
pub fn NotFoundPage() -> impl IntoView {
    set_status(404);
    let locale = use_locale();
    view! {
        <Title text=format!("{} — Recovery Tracker", td_string!(locale, common.page_not_found))/>
        <h1>{td_string!(locale, common.page_not_found)}</h1>
        <p>{td_string!(locale, common.page_not_found_text)}</p>
        <p>
            <a href=crate::routes::HOME>{td_string!(locale, common.go_home)}</a>
            {td_string!(locale, common.or_see)}
            <a href=crate::routes::COUNTRIES>{td_string!(locale, common.all_countries)}</a>"."
        </p>
    }
}

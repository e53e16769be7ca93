//! Server functions of the dashboards: public, like the open data — the caller is still
//! checked, because "include submitted" is for viewers and admins only (`policy`).

use leptos::prelude::*;

use super::model::{DashboardView, ProfileView};
use crate::error::AppError;

/// A dashboard (`overview`, `movement` or `indicators`) for the filters of `query` (the page's
/// query string).
#[server(endpoint = "dashboard")]
pub async fn dashboard(page: String, query: String) -> Result<DashboardView, AppError> {
    use super::service::{self, Page};
    let db = crate::context::db()?;
    let caller = crate::context::public_caller();
    let locale = crate::lang::use_locale();
    let page = match page.as_str() {
        "overview" => Page::Overview,
        "movement" => Page::Movement,
        "indicators" => Page::Indicators,
        _ => return Err(AppError::NotFound),
    };
    let filters = super::model::Filters::from_query(&query);
    Ok(service::page(&db, caller.as_ref(), &page, filters, locale)
        .await?
        .view)
}

/// A country's profile: its seven statuses with narratives and evidence, its timeline and its
/// indicators beside the European median.
#[server(endpoint = "country_profile")]
pub async fn country_profile(iso2: String, query: String) -> Result<ProfileView, AppError> {
    let db = crate::context::db()?;
    let caller = crate::context::public_caller();
    let locale = crate::lang::use_locale();
    let iso2 = crate::countries::model::normalize_iso2(&iso2).ok_or(AppError::NotFound)?;
    let filters = super::model::Filters::from_query(&query);
    super::service::profile(&db, caller.as_ref(), &iso2, filters, locale).await
}

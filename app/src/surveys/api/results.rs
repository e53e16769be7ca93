//! Server functions of invitations, results, responses, a member's own data and the
//! evidence on recommendations. Each reads the caller first; `results::service` asks the
//! policy before touching data.

use leptos::prelude::*;

use crate::error::AppError;
use crate::surveys::results::{
    Evidence, InvitationsView, MyDataView, ResponseView, ResponsesView, ResultsView,
};

/// The invitations page of survey `id`, for the member filter in `query`. Admins only.
#[server(endpoint = "survey_invitations")]
pub async fn survey_invitations(
    id: i64,
    #[server(default)] query: String,
) -> Result<InvitationsView, AppError> {
    let caller = crate::context::caller();
    let filter = crate::surveys::results::service::MemberFilter::from_query(&query);
    crate::surveys::results::service::invitations(
        &crate::context::db()?,
        caller.as_ref(),
        id,
        &filter,
        &crate::context::base_url()?,
        crate::lang::use_locale(),
    )
    .await
}

/// Creates personal links for the members chosen (`members`), or with `scope=all` for every
/// member the page showed (`shown`). Admins only. Returns how many links were made.
#[server(endpoint = "invite_members")]
pub async fn invite_members(
    id: i64,
    #[server(default)] members: Vec<i64>,
    #[server(default)] shown: Vec<i64>,
    #[server(default)] scope: String,
    #[server(default)] query: String,
) -> Result<usize, AppError> {
    let caller = crate::context::caller();
    let n = crate::surveys::results::service::invite(
        &crate::context::db()?,
        caller.as_ref(),
        &crate::context::client_ip(),
        id,
        &members,
        &shown,
        scope == "all",
    )
    .await?;
    let back = crate::routes::survey_invitations(id);
    let sep = if query.is_empty() { "?" } else { "&" };
    let query = if query.is_empty() {
        String::new()
    } else {
        format!("?{query}")
    };
    leptos_axum::redirect(&format!("{back}{query}{sep}invited={n}"));
    Ok(n)
}

/// The results of survey `id` for the filters in `query`. Admins and viewers.
#[server(endpoint = "survey_results")]
pub async fn survey_results(
    id: i64,
    #[server(default)] query: String,
) -> Result<ResultsView, AppError> {
    let caller = crate::context::caller();
    let query = crate::surveys::results::ResultsQuery::from_query(&query);
    crate::surveys::results::service::results(
        &crate::context::db()?,
        caller.as_ref(),
        id,
        &query,
        crate::lang::use_locale(),
    )
    .await
}

/// The responses of survey `id`, one line each. Admins only.
#[server(endpoint = "survey_responses")]
pub async fn survey_responses(id: i64) -> Result<ResponsesView, AppError> {
    let caller = crate::context::caller();
    crate::surveys::results::service::responses(
        &crate::context::db()?,
        caller.as_ref(),
        id,
        crate::lang::use_locale(),
    )
    .await
}

/// One response of survey `id` with its answers. Admins only.
#[server(endpoint = "survey_response")]
pub async fn survey_response(id: i64, response: i64) -> Result<ResponseView, AppError> {
    let caller = crate::context::caller();
    crate::surveys::results::service::response(
        &crate::context::db()?,
        caller.as_ref(),
        id,
        response,
        crate::lang::use_locale(),
    )
    .await
}

/// Deletes one response once `confirm` is ticked. Admins only; audited without the answers.
#[server(endpoint = "delete_survey_response")]
pub async fn delete_survey_response(
    id: i64,
    response: i64,
    #[server(default)] confirm: Option<String>,
) -> Result<(), AppError> {
    let caller = crate::context::caller();
    crate::surveys::results::service::delete_response(
        &crate::context::db()?,
        caller.as_ref(),
        &crate::context::client_ip(),
        id,
        response,
        confirm.is_some_and(|c| !c.is_empty()),
        crate::lang::use_locale(),
    )
    .await?;
    leptos_axum::redirect(&crate::routes::with_flag(
        &crate::routes::survey_responses(id),
        "deleted",
    ));
    Ok(())
}

/// Everything stored about the signed-in user. Any signed-in user, about themselves only.
#[server(endpoint = "my_data")]
pub async fn my_data() -> Result<MyDataView, AppError> {
    let caller = crate::context::require_user()?;
    crate::surveys::results::service::my_data(
        &crate::context::db()?,
        Some(&caller),
        &crate::context::base_url()?,
        crate::lang::use_locale(),
    )
    .await
}

/// The headline results of the closed surveys linked to recommendation `number`. Public:
/// counts and percentages only.
#[server(endpoint = "survey_evidence")]
pub async fn survey_evidence(number: i64) -> Result<Vec<Evidence>, AppError> {
    let _anyone = crate::context::public_caller();
    crate::surveys::results::service::evidence(
        &crate::context::db()?,
        number,
        crate::lang::use_locale(),
    )
    .await
}

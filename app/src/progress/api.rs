//! Server functions of progress reporting, thin: who is calling, parse, call the `service`,
//! redirect. Focal points write only their own countries, admins review, viewers and the
//! public read what `policy::may_read` allows.

use leptos::prelude::*;

use super::checks::EntryInput;
use super::view::{Board, CommentInput, MyReport, ReportView, SaveOutcome};
use crate::error::AppError;

#[cfg(feature = "ssr")]
mod server {
    use crate::context;
    use crate::error::AppError;
    use crate::progress::checks::EntryInput;
    use crate::progress::view::Notice;

    /// The session key of a refused plain-form save's values.
    pub fn unsaved_key(iso2: &str, period: i64) -> String {
        format!("unsaved:{iso2}:{period}")
    }

    /// Keeps a refused plain-form save's values (every save from the report page, with or
    /// without JavaScript), so the page can show them again; a script calling the function
    /// gets the errors as JSON and needs nothing kept.
    pub async fn keep_unsaved(iso2: &str, period: i64, entries: &[EntryInput]) {
        if !context::is_plain_form_post() {
            return;
        }
        if let Ok(session) = context::session() {
            let _ = session.insert(&unsaved_key(iso2, period), entries).await;
        }
    }

    /// The values of a refused plain-form save, once. Removed only when there are some: a
    /// removal marks the session changed, to be written again.
    pub async fn take_unsaved(iso2: &str, period: i64) -> Option<Vec<EntryInput>> {
        let session = context::session().ok()?;
        let key = unsaved_key(iso2, period);
        let kept = session.get::<Vec<EntryInput>>(&key).await.ok().flatten()?;
        let _ = session.remove::<Vec<EntryInput>>(&key).await;
        Some(kept)
    }

    pub fn parse_country(iso2: &str) -> Result<String, AppError> {
        crate::countries::model::normalize_iso2(iso2).ok_or(AppError::NotFound)
    }

    /// Back to the report, saying what happened.
    pub fn back_to_report(iso2: &str, period: i64, notice: Notice) {
        let url = crate::routes::with_flag(&crate::routes::report(iso2, period), notice.as_str());
        leptos_axum::redirect(&url);
    }
}

/// A country's report for a period, with what the caller may do. Readable by admins and the
/// country's focal points always, by viewers once submitted, by anyone once approved.
#[server(endpoint = "get_report")]
pub async fn get_report(country: String, period: i64) -> Result<ReportView, AppError> {
    use server::*;
    let caller = crate::context::public_caller();
    let iso2 = parse_country(&country)?;
    let db = crate::context::db()?;
    let locale = crate::lang::use_locale();
    let mut view = super::service::load_report(&db, caller.as_ref(), &iso2, period, locale).await?;
    if view.can_edit {
        view.unsaved = take_unsaved(&iso2, period).await;
    }
    Ok(view)
}

/// Saves a country's report as a draft; with `intent` = `submit`, also submits it when
/// nothing is missing. Focal points of the country only, while the period is open and the
/// report is a draft or returned. `version` is the version the form was loaded at: if someone
/// saved since, nothing is written and the answer lists their changes.
#[server(endpoint = "save_report")]
pub async fn save_report(
    country: String,
    period: i64,
    version: i64,
    #[server(default)] entries: Vec<EntryInput>,
    #[server(default)] intent: String,
) -> Result<SaveOutcome, AppError> {
    use super::view::Notice;
    use super::workflow::{Intent, ReportState};
    use crate::caller::Role;
    use server::*;
    let user = crate::context::require_role(&[Role::FocalPoint])?;
    let iso2 = parse_country(&country)?;
    // A form sent without the button's value (Enter pressed in a field) saves a draft.
    let intent = intent.parse::<Intent>().unwrap_or_default();
    let input = super::service::SaveInput {
        version,
        entries,
        intent,
    };
    let (db, ip) = (crate::context::db()?, crate::context::client_ip());
    let locale = crate::lang::use_locale();
    let outcome = super::service::save_report(&db, &user, &ip, &iso2, period, &input, locale).await;
    // The caller's values are kept when they could be saved once fixed or re-based.
    if let Err(
        AppError::Invalid(_)
        | AppError::Conflict {
            version: Some(_), ..
        },
    ) = &outcome
    {
        keep_unsaved(&iso2, period, &input.entries).await;
    }
    let outcome = outcome?;
    let notice = match (intent, outcome.state) {
        (_, ReportState::Submitted) => Notice::Submitted,
        (Intent::Submit, _) => Notice::Incomplete,
        (Intent::Save, _) => Notice::Saved,
    };
    back_to_report(&iso2, period, notice);
    Ok(outcome)
}

/// Starts a period's report from the country's last approved report. Focal points of the
/// country only, while the period is open and before the report is started.
#[server(endpoint = "copy_forward")]
pub async fn copy_forward(country: String, period: i64) -> Result<(), AppError> {
    use crate::caller::Role;
    use server::*;
    let user = crate::context::require_role(&[Role::FocalPoint])?;
    let iso2 = parse_country(&country)?;
    let (db, ip) = (crate::context::db()?, crate::context::client_ip());
    let locale = crate::lang::use_locale();
    super::service::copy_forward(&db, &user, &ip, &iso2, period, locale).await?;
    back_to_report(&iso2, period, super::view::Notice::Copied);
    Ok(())
}

/// Returns a submitted report to its focal point with comments per entry (at least one), or
/// approves it. Admins only. `version` must be the version the reviewer saw.
#[server(endpoint = "review_report")]
pub async fn review_report(
    country: String,
    period: i64,
    version: i64,
    decision: String,
    #[server(default)] comments: Vec<CommentInput>,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    use super::view::Notice;
    use super::workflow::{Decision, ReportState};
    use crate::caller::Role;
    use crate::i18n::*;
    use server::*;
    let admin = crate::context::require_role(&[Role::Admin])?;
    let iso2 = parse_country(&country)?;
    let locale = crate::lang::use_locale();
    let decision: Decision = decision
        .parse()
        .map_err(|_| AppError::invalid("decision", td_string!(locale, progress.choose_decision)))?;
    let input = super::service::ReviewInput {
        version,
        decision,
        comments,
        note,
    };
    let (db, ip) = (crate::context::db()?, crate::context::client_ip());
    let state =
        super::service::review_report(&db, &admin, &ip, &iso2, period, input, locale).await?;
    let notice = match state {
        ReportState::Approved => Notice::Approved,
        _ => Notice::Returned,
    };
    back_to_report(&iso2, period, notice);
    Ok(())
}

/// Reopens an approved report for its focal point, with a reason. Admins only.
#[server(endpoint = "reopen_report")]
pub async fn reopen_report(country: String, period: i64, reason: String) -> Result<(), AppError> {
    use crate::caller::Role;
    use server::*;
    let admin = crate::context::require_role(&[Role::Admin])?;
    let iso2 = parse_country(&country)?;
    let (db, ip) = (crate::context::db()?, crate::context::client_ip());
    let locale = crate::lang::use_locale();
    super::service::reopen_report(&db, &admin, &ip, &iso2, period, &reason, locale).await?;
    back_to_report(&iso2, period, super::view::Notice::Reopened);
    Ok(())
}

/// The completeness board of a period: every country's report state (counted under labels in
/// the caller's language). Admins and viewers. `group` is `all`, `eu27` or `non-eu`.
#[server(endpoint = "get_board")]
pub async fn get_board(period: i64, #[server(default)] group: String) -> Result<Board, AppError> {
    use crate::caller::Role;
    crate::context::require_role(&[Role::Admin, Role::Viewer])?;
    // An unknown group (a hand-edited URL) shows every country.
    let group = group.parse().unwrap_or_default();
    let locale = crate::lang::use_locale();
    super::board::board(&crate::context::db()?, period, group, locale).await
}

/// The caller's countries' reports, every period. Focal points only.
#[server(endpoint = "list_my_reports")]
pub async fn list_my_reports() -> Result<Vec<MyReport>, AppError> {
    use crate::caller::Role;
    let user = crate::context::require_role(&[Role::FocalPoint])?;
    super::board::my_reports(&crate::context::db()?, &user).await
}

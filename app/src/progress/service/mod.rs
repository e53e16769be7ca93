//! The operations of progress reporting, server only: load a report, save (and submit) it,
//! copy it forward, review it, reopen it. Plain async functions taking the database, the
//! caller and typed input, so a server function, an Excel import or the command line call them
//! alike. Each checks again who may do it (see `policy`) and writes in one transaction, with
//! its audit entry inside it.

use sqlx::AnyConnection;

mod import;
mod review;
mod save;

pub use import::{apply_plans, current_reports, require_scope, template, Scope};

pub use review::{reopen_report, review_report, ReviewInput};
pub(crate) use save::write_entries;
pub use save::{copy_forward, save_report, SaveInput};

use super::checks::EntryValues;
use super::missing::missing;
use super::policy;
use super::repo;
use super::view::{EntryView, ReportView};
use crate::caller::CurrentUser;
use crate::db::Db;
use crate::error::AppError;
use crate::i18n::*;
use crate::indicators::model::Indicator;
use crate::lang::Locale;
use crate::periods::model::{Period, Phase};
use crate::{clock, countries, indicators, periods, recommendations};

/// The audit log's name for a report.
pub(super) fn subject(iso2: &str, period: &Period) -> String {
    format!("report:{iso2}/{}", period.name)
}

/// The period, if it takes submissions now (if not, says so in `locale`).
pub(super) async fn open_period(
    c: &mut AnyConnection,
    period_id: i64,
    locale: Locale,
) -> Result<Period, AppError> {
    let period = periods::repo::get(&mut *c, period_id).await?;
    if period.phase != Phase::Open {
        return Err(AppError::Rejected(
            td_string!(locale, progress.period_closed, period = &period.name).to_string(),
        ));
    }
    Ok(period)
}

/// A country's report for a period as `caller` may see it (`None`: the public). The working
/// record (history, reviewer's notes, who edited) only for insiders (`policy::Audience`).
/// What is still missing is said in `locale`.
pub async fn load_report(
    db: &Db,
    caller: Option<&CurrentUser>,
    iso2: &str,
    period_id: i64,
    locale: Locale,
) -> Result<ReportView, AppError> {
    let mut conn = db.conn().await?;
    let report = repo::find(&mut conn, iso2, period_id).await?;
    policy::may_read(caller, iso2, report.as_ref().map(|r| r.state))?;

    let country = countries::repo::get(&mut conn, iso2).await?;
    let recommendations = recommendations::repo::list(&mut conn).await?;
    let period = periods::repo::get(&mut conn, period_id).await?;
    let all_indicators = indicators::repo::list(&mut conn).await?;
    let (stored, history) = match &report {
        Some(r) => (
            repo::entries(&mut conn, r.id).await?,
            repo::history(&mut conn, r.id, None).await?,
        ),
        None => (vec![], vec![]),
    };
    let insider = policy::Audience::of(caller, iso2).sees_working_record();
    let entries: Vec<EntryView> = recommendations
        .into_iter()
        .map(|rec| {
            let s = stored
                .iter()
                .find(|e| e.values.recommendation == rec.number);
            EntryView {
                number: rec.number,
                title: rec.title,
                values: s.map(|s| s.values.clone()).unwrap_or(EntryValues {
                    recommendation: rec.number,
                    ..Default::default()
                }),
                stored_values: s.map(|s| s.stored_values.clone()).unwrap_or_default(),
                review_comment: s.and_then(|s| s.review_comment.clone()).filter(|_| insider),
                history: history
                    .iter()
                    .filter(|h| insider && h.recommendation == rec.number)
                    .map(|h| h.item.clone())
                    .collect(),
            }
        })
        .collect();
    let values: Vec<EntryValues> = entries.iter().map(|e| e.values.clone()).collect();
    let indicators: Vec<Indicator> = all_indicators.into_iter().filter(|i| !i.archived).collect();
    let missing = missing(&values, &indicators, locale);

    let state = report.as_ref().map(|r| r.state);
    let is_focal_point = caller.is_some_and(|u| u.reports_for(iso2));
    let open = period.phase == Phase::Open;
    let copy_forward_from = if is_focal_point && open && report.is_none() {
        repo::last_approved_before(&mut conn, iso2, &period.starts_on)
            .await?
            .map(|r| r.period_name)
    } else {
        None
    };
    let report = report.as_ref();
    Ok(ReportView {
        country,
        phase: period.phase,
        state,
        version: report.map(|r| r.version).unwrap_or(0),
        review_note: report
            .and_then(|r| r.review_note.clone())
            .filter(|_| insider),
        updated_at: report.map(|r| r.updated_at.clone()),
        updated_by: report
            .and_then(|r| r.updated_by.clone())
            .filter(|_| insider),
        submitted_at: report.and_then(|r| r.submitted_at.clone()),
        approved_at: report.and_then(|r| r.approved_at.clone()),
        copied_from: report.and_then(|r| r.copied_from.clone()),
        entries,
        indicators,
        missing,
        can_edit: policy::may_edit(caller, iso2, period.phase, state),
        can_review: policy::may_review(caller, state),
        can_reopen: policy::may_reopen(caller, period.phase, state),
        copy_forward_from,
        unsaved: None,
        period,
        today: clock::latest_as_of(),
    })
}

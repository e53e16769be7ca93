//! SQL of country reports, server only: the report row and its workflow here, entries with
//! their values and history in `entries`, what the open-data API reads in `published`.
//!
//! Every function takes a connection first (`&mut AnyConnection`), so it runs on a pooled
//! connection or inside the caller's transaction alike. Rows are read into `FromRow` records;
//! a stored code that is not one of its enum's is an internal error (`db::decode`).

mod entries;
mod published;

pub use entries::*;
pub use published::published;

use sqlx::AnyConnection;

use super::view::BoardRow;
use super::workflow::ReportState;
use crate::caller::CurrentUser;
use crate::i18n::*;
use crate::lang::Locale;
use crate::{
    clock,
    db::{decode, decode_opt, flag},
    error::AppError,
};

/// A report's own row.
#[derive(Debug, Clone)]
pub struct ReportRow {
    pub id: i64,
    pub state: ReportState,
    pub version: i64,
    pub review_note: Option<String>,
    pub updated_at: String,
    pub updated_by: Option<String>,
    pub submitted_at: Option<String>,
    pub approved_at: Option<String>,
    /// The name of the period whose approved report this one was started from.
    pub copied_from: Option<String>,
}

#[derive(sqlx::FromRow)]
struct ReportRecord {
    id: i64,
    state: String,
    version: i64,
    review_note: Option<String>,
    updated_at: String,
    updated_by: Option<String>,
    submitted_at: Option<String>,
    approved_at: Option<String>,
    copied_from: Option<String>,
}

impl TryFrom<ReportRecord> for ReportRow {
    type Error = AppError;

    fn try_from(r: ReportRecord) -> Result<Self, AppError> {
        Ok(Self {
            id: r.id,
            state: decode("reports.state", &r.state)?,
            version: r.version,
            review_note: r.review_note,
            updated_at: r.updated_at,
            updated_by: r.updated_by,
            submitted_at: r.submitted_at,
            approved_at: r.approved_at,
            copied_from: r.copied_from,
        })
    }
}

/// The report of `iso2` for `period_id`, if one was started.
pub async fn find(
    c: &mut AnyConnection,
    iso2: &str,
    period_id: i64,
) -> Result<Option<ReportRow>, AppError> {
    let row: Option<ReportRecord> = sqlx::query_as(
        "SELECT r.id, r.state, r.version, r.review_note, r.updated_at, u.display_name AS updated_by, \
         r.submitted_at, r.approved_at, p.name AS copied_from \
         FROM reports r LEFT JOIN users u ON u.id = r.updated_by \
         LEFT JOIN reports src ON src.id = r.copied_from \
         LEFT JOIN reporting_periods p ON p.id = src.period_id \
         WHERE r.country_iso2 = $1 AND r.period_id = $2",
    )
    .bind(iso2.to_string())
    .bind(period_id)
    .fetch_optional(&mut *c)
    .await?;
    row.map(ReportRow::try_from).transpose()
}

/// Starts a report (version 0, draft). A second start of the same report is a conflict,
/// explained in `locale`.
pub async fn create(
    c: &mut AnyConnection,
    iso2: &str,
    period_id: i64,
    actor: &CurrentUser,
    copied_from: Option<i64>,
    locale: Locale,
) -> Result<i64, AppError> {
    let now = clock::now();
    let row: Result<(i64,), sqlx::Error> = sqlx::query_as(
        "INSERT INTO reports (country_iso2, period_id, state, version, copied_from, created_at, updated_at, updated_by) \
         VALUES ($1, $2, $3, 0, $4, $5, $5, $6) RETURNING id",
    )
    .bind(iso2.to_string())
    .bind(period_id)
    .bind(ReportState::Draft.as_str().to_string())
    .bind(copied_from)
    .bind(now)
    .bind(actor.id)
    .fetch_one(&mut *c)
    .await;
    match row {
        Ok((id,)) => Ok(id),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(AppError::Conflict {
            message: td_string!(locale, progress.started_concurrently).into(),
            current: vec![],
            version: None,
        }),
        Err(e) => Err(e.into()),
    }
}

/// Moves a report from `from` to `to`, bumping its version; `expected_version` (when given)
/// must still be current (if not: a conflict, explained in `locale`). Sets the submission or
/// approval time, and the review note.
pub async fn transition(
    c: &mut AnyConnection,
    report_id: i64,
    expected_version: Option<i64>,
    from: ReportState,
    to: ReportState,
    review_note: Option<&str>,
    actor: &CurrentUser,
    locale: Locale,
) -> Result<i64, AppError> {
    let row: Option<(i64,)> = sqlx::query_as(
        "UPDATE reports SET state = $1, version = version + 1, updated_at = $2, updated_by = $3, \
         submitted_at = CASE WHEN $1 = $8 THEN $2 ELSE submitted_at END, \
         approved_at = CASE WHEN $1 = $9 THEN $2 ELSE approved_at END, \
         review_note = $4 \
         WHERE id = $5 AND state = $6 AND ($7 < 0 OR version = $7) RETURNING version",
    )
    .bind(to.as_str().to_string())
    .bind(clock::now())
    .bind(actor.id)
    .bind(review_note.map(str::to_string))
    .bind(report_id)
    .bind(from.as_str().to_string())
    .bind(expected_version.unwrap_or(-1))
    .bind(ReportState::Submitted.as_str().to_string())
    .bind(ReportState::Approved.as_str().to_string())
    .fetch_optional(&mut *c)
    .await?;
    row.map(|r| r.0).ok_or(AppError::Conflict {
        message: td_string!(locale, progress.changed_concurrently).into(),
        current: vec![],
        version: None,
    })
}

/// Sets (or clears, with `None`) the reviewer's comment on one entry.
pub async fn set_review_comment(
    c: &mut AnyConnection,
    report_id: i64,
    recommendation: i64,
    comment: Option<&str>,
) -> Result<(), AppError> {
    sqlx::query("UPDATE report_entries SET review_comment = $1 WHERE report_id = $2 AND recommendation_number = $3")
        .bind(comment.map(str::to_string))
        .bind(report_id)
        .bind(recommendation)
        .execute(&mut *c)
        .await?;
    Ok(())
}

/// Clears every reviewer comment of a report (on approval).
pub async fn clear_review_comments(c: &mut AnyConnection, report_id: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE report_entries SET review_comment = NULL WHERE report_id = $1")
        .bind(report_id)
        .execute(&mut *c)
        .await?;
    Ok(())
}

/// An approved report a new one can start from.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ApprovedReport {
    pub id: i64,
    pub period_name: String,
}

/// The latest approved report of `iso2` in a period that started before `starts_on`.
pub async fn last_approved_before(
    c: &mut AnyConnection,
    iso2: &str,
    starts_on: &str,
) -> Result<Option<ApprovedReport>, AppError> {
    let row = sqlx::query_as(
        "SELECT r.id, p.name AS period_name FROM reports r JOIN reporting_periods p ON p.id = r.period_id \
         WHERE r.country_iso2 = $1 AND r.state = $3 AND p.starts_on < $2 \
         ORDER BY p.starts_on DESC LIMIT 1",
    )
    .bind(iso2.to_string())
    .bind(starts_on.to_string())
    .bind(ReportState::Approved.as_str().to_string())
    .fetch_optional(&mut *c)
    .await?;
    Ok(row)
}

#[derive(sqlx::FromRow)]
struct BoardRecord {
    iso2: String,
    name: String,
    eu_member: i64,
    state: Option<String>,
    updated_at: Option<String>,
    submitted_at: Option<String>,
    approved_at: Option<String>,
}

/// Every country with its report state for a period, by name.
pub async fn board(c: &mut AnyConnection, period_id: i64) -> Result<Vec<BoardRow>, AppError> {
    let rows: Vec<BoardRecord> = sqlx::query_as(
        "SELECT c.iso2, c.name, c.eu_member, r.state, r.updated_at, r.submitted_at, r.approved_at \
         FROM countries c LEFT JOIN reports r ON r.country_iso2 = c.iso2 AND r.period_id = $1 \
         ORDER BY c.name",
    )
    .bind(period_id)
    .fetch_all(&mut *c)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(BoardRow {
                iso2: r.iso2,
                name: r.name,
                eu_member: flag(r.eu_member),
                state: decode_opt("reports.state", r.state.as_deref())?,
                updated_at: r.updated_at,
                submitted_at: r.submitted_at,
                approved_at: r.approved_at,
            })
        })
        .collect()
}

/// Where one report stands.
#[derive(Debug, Clone)]
pub struct ReportSummary {
    pub iso2: String,
    pub period_id: i64,
    pub state: ReportState,
    pub updated_at: String,
}

#[derive(sqlx::FromRow)]
struct SummaryRecord {
    country_iso2: String,
    period_id: i64,
    state: String,
    updated_at: String,
}

/// Where every report stands.
pub async fn all_states(c: &mut AnyConnection) -> Result<Vec<ReportSummary>, AppError> {
    let rows: Vec<SummaryRecord> =
        sqlx::query_as("SELECT country_iso2, period_id, state, updated_at FROM reports")
            .fetch_all(&mut *c)
            .await?;
    rows.into_iter()
        .map(|r| {
            Ok(ReportSummary {
                iso2: r.country_iso2,
                period_id: r.period_id,
                state: decode("reports.state", &r.state)?,
                updated_at: r.updated_at,
            })
        })
        .collect()
}

//! SQL of the demo data set: the few statements no feature repo has, because only synthetic
//! data needs them (report and history times set in the past, counts of what was written).

use sqlx::AnyConnection;

use crate::error::AppError;
use crate::progress::workflow::ReportState;

/// How many reports exist (the demo data set only goes into a database with none).
pub async fn report_count(c: &mut AnyConnection) -> Result<i64, AppError> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM reports")
        .fetch_one(&mut *c)
        .await?;
    Ok(n)
}

/// A report's times as the plan has them: the repos stamp "now", but a demo report of a past
/// period was started, submitted and approved during that period's submission window.
pub async fn set_report_times(
    c: &mut AnyConnection,
    report_id: i64,
    created_at: &str,
    updated_at: &str,
    submitted_at: Option<&str>,
    approved_at: Option<&str>,
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE reports SET created_at = $1, updated_at = $2, submitted_at = $3, approved_at = $4 \
         WHERE id = $5",
    )
    .bind(created_at.to_string())
    .bind(updated_at.to_string())
    .bind(submitted_at.map(str::to_string))
    .bind(approved_at.map(str::to_string))
    .bind(report_id)
    .execute(&mut *c)
    .await?;
    Ok(())
}

/// The change history of a report's entries at the times of its saves: version 1 (started)
/// at `first`, later versions at `later`.
pub async fn set_history_times(
    c: &mut AnyConnection,
    report_id: i64,
    first: &str,
    later: &str,
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE entry_history SET changed_at = CASE WHEN report_version = 1 THEN $1 ELSE $2 END \
         WHERE entry_id IN (SELECT id FROM report_entries WHERE report_id = $3)",
    )
    .bind(first.to_string())
    .bind(later.to_string())
    .bind(report_id)
    .execute(&mut *c)
    .await?;
    Ok(())
}

/// Rows in the tables the data set fills.
#[derive(Debug, Clone, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct Counts {
    pub periods: i64,
    pub indicators: i64,
    pub users: i64,
    pub reports: i64,
    pub approved: i64,
    pub submitted: i64,
    pub drafts: i64,
    pub entries: i64,
    pub indicator_values: i64,
    pub history: i64,
    pub audit: i64,
    pub surveys: i64,
    pub survey_responses: i64,
    pub members: i64,
}

/// Counts the rows of every table the data set fills.
pub async fn counts(c: &mut AnyConnection) -> Result<Counts, AppError> {
    let counts = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM reporting_periods) AS periods, \
         (SELECT COUNT(*) FROM indicators) AS indicators, \
         (SELECT COUNT(*) FROM users) AS users, \
         (SELECT COUNT(*) FROM reports) AS reports, \
         (SELECT COUNT(*) FROM reports WHERE state = $1) AS approved, \
         (SELECT COUNT(*) FROM reports WHERE state = $2) AS submitted, \
         (SELECT COUNT(*) FROM reports WHERE state = $3) AS drafts, \
         (SELECT COUNT(*) FROM report_entries) AS entries, \
         (SELECT COUNT(*) FROM indicator_values) AS indicator_values, \
         (SELECT COUNT(*) FROM entry_history) AS history, \
         (SELECT COUNT(*) FROM audit_log) AS audit, \
         (SELECT COUNT(*) FROM surveys) AS surveys, \
         (SELECT COUNT(*) FROM survey_responses) AS survey_responses, \
         (SELECT COUNT(*) FROM users WHERE role = 'member') AS members",
    )
    .bind(ReportState::Approved.as_str().to_string())
    .bind(ReportState::Submitted.as_str().to_string())
    .bind(ReportState::Draft.as_str().to_string())
    .fetch_one(&mut *c)
    .await?;
    Ok(counts)
}

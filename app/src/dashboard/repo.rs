//! SQL of the dashboards: the statuses and indicator values of the reports a view may show.

use sqlx::AnyConnection;

use crate::db::decode_opt;
use crate::error::AppError;
use crate::progress::workflow::{ReportState, Status};

/// One entry's status in a visible report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusRecord {
    pub period_id: i64,
    pub iso2: String,
    pub recommendation: i64,
    pub status: Option<Status>,
}

#[derive(sqlx::FromRow)]
struct StatusRow {
    period_id: i64,
    country_iso2: String,
    recommendation_number: i64,
    status: Option<String>,
}

/// The states as two bind values (the second repeats the first when there is one).
fn two(states: &[ReportState]) -> (String, String) {
    let first = states.first().copied().unwrap_or(ReportState::Approved);
    let second = states.get(1).copied().unwrap_or(first);
    (first.as_str().to_string(), second.as_str().to_string())
}

/// The statuses of every report in `states`, of every period.
pub async fn statuses(
    c: &mut AnyConnection,
    states: &[ReportState],
) -> Result<Vec<StatusRecord>, AppError> {
    let (a, b) = two(states);
    let rows: Vec<StatusRow> = sqlx::query_as(
        "SELECT r.period_id, r.country_iso2, e.recommendation_number, e.status \
         FROM report_entries e JOIN reports r ON r.id = e.report_id \
         WHERE r.state IN ($1, $2)",
    )
    .bind(a)
    .bind(b)
    .fetch_all(&mut *c)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(StatusRecord {
                period_id: r.period_id,
                iso2: r.country_iso2,
                recommendation: r.recommendation_number,
                status: decode_opt("report_entries.status", r.status.as_deref())?,
            })
        })
        .collect()
}

/// An indicator value of a visible report.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ValueRecord {
    pub indicator_id: i64,
    pub country_iso2: String,
    pub value: String,
}

/// The indicator values of one period's reports in `states`.
pub async fn values(
    c: &mut AnyConnection,
    period_id: i64,
    states: &[ReportState],
) -> Result<Vec<ValueRecord>, AppError> {
    let (a, b) = two(states);
    Ok(sqlx::query_as(
        "SELECT v.indicator_id, r.country_iso2, v.value \
         FROM indicator_values v JOIN report_entries e ON e.id = v.entry_id \
         JOIN reports r ON r.id = e.report_id \
         WHERE r.period_id = $1 AND r.state IN ($2, $3) ORDER BY v.indicator_id, r.country_iso2",
    )
    .bind(period_id)
    .bind(a)
    .bind(b)
    .fetch_all(&mut *c)
    .await?)
}

/// A visible entry of one country, with its texts (the country profile).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryRecord {
    pub recommendation: i64,
    pub status: Option<Status>,
    pub narrative: String,
    pub evidence: Vec<String>,
    pub as_of: Option<String>,
    /// The report is submitted, not yet approved.
    pub submitted: bool,
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    recommendation_number: i64,
    status: Option<String>,
    narrative: String,
    evidence: String,
    as_of: Option<String>,
    state: String,
}

/// One country's visible entries of one period, recommendation 1 first.
pub async fn entries(
    c: &mut AnyConnection,
    iso2: &str,
    period_id: i64,
    states: &[ReportState],
) -> Result<Vec<EntryRecord>, AppError> {
    let (a, b) = two(states);
    let rows: Vec<EntryRow> = sqlx::query_as(
        "SELECT e.recommendation_number, e.status, e.narrative, e.evidence, e.as_of, r.state \
         FROM report_entries e JOIN reports r ON r.id = e.report_id \
         WHERE r.country_iso2 = $1 AND r.period_id = $2 AND r.state IN ($3, $4) \
         ORDER BY e.recommendation_number",
    )
    .bind(iso2.to_string())
    .bind(period_id)
    .bind(a)
    .bind(b)
    .fetch_all(&mut *c)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(EntryRecord {
                recommendation: r.recommendation_number,
                status: decode_opt("report_entries.status", r.status.as_deref())?,
                narrative: r.narrative,
                evidence: crate::progress::repo::links(&r.evidence),
                as_of: r.as_of,
                submitted: r.state == ReportState::Submitted.as_str(),
            })
        })
        .collect()
}

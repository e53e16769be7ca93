//! SQL of reporting periods.

use sqlx::AnyConnection;

use super::model::{Period, PeriodInput};
use crate::{clock, error::AppError};

/// A `reporting_periods` row.
#[derive(sqlx::FromRow)]
struct PeriodRecord {
    id: i64,
    name: String,
    starts_on: String,
    ends_on: String,
    opens_on: String,
    closes_on: String,
    closed_at: Option<String>,
}

const COLUMNS: &str = "id, name, starts_on, ends_on, opens_on, closes_on, closed_at";

/// A period with its phase as of today.
impl From<PeriodRecord> for Period {
    fn from(r: PeriodRecord) -> Self {
        let mut p = Period {
            id: r.id,
            name: r.name,
            starts_on: r.starts_on,
            ends_on: r.ends_on,
            opens_on: r.opens_on,
            closes_on: r.closes_on,
            closed_at: r.closed_at,
            phase: super::model::Phase::Upcoming,
        };
        p.phase = p.phase_on(&clock::today());
        p
    }
}

/// All periods, newest first.
pub async fn list(c: &mut AnyConnection) -> Result<Vec<Period>, AppError> {
    let rows: Vec<PeriodRecord> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM reporting_periods ORDER BY starts_on DESC, id DESC"
    ))
    .fetch_all(&mut *c)
    .await?;
    Ok(rows.into_iter().map(Period::from).collect())
}

/// One period, or `NotFound`.
pub async fn get(c: &mut AnyConnection, id: i64) -> Result<Period, AppError> {
    let row: Option<PeriodRecord> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM reporting_periods WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut *c)
    .await?;
    row.map(Period::from).ok_or(AppError::NotFound)
}

/// A period by its name (as the open-data API takes it), or `NotFound`.
pub async fn get_by_name(c: &mut AnyConnection, name: &str) -> Result<Period, AppError> {
    let row: Option<PeriodRecord> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM reporting_periods WHERE name = $1"
    ))
    .bind(name.to_string())
    .fetch_optional(&mut *c)
    .await?;
    row.map(Period::from).ok_or(AppError::NotFound)
}

/// Another period whose submission window overlaps [opens_on, closes_on] and is not closed.
pub async fn overlapping(
    c: &mut AnyConnection,
    exclude: Option<i64>,
    input: &PeriodInput,
) -> Result<Option<String>, AppError> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT name FROM reporting_periods WHERE id <> $1 AND closed_at IS NULL \
         AND opens_on <= $2 AND closes_on >= $3",
    )
    .bind(exclude.unwrap_or(-1))
    .bind(input.closes_on.clone())
    .bind(input.opens_on.clone())
    .fetch_optional(&mut *c)
    .await?;
    Ok(row.map(|r| r.0))
}

/// Creates a period.
pub async fn create(c: &mut AnyConnection, input: &PeriodInput) -> Result<i64, AppError> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO reporting_periods (name, starts_on, ends_on, opens_on, closes_on, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(input.name.clone())
    .bind(input.starts_on.clone())
    .bind(input.ends_on.clone())
    .bind(input.opens_on.clone())
    .bind(input.closes_on.clone())
    .bind(clock::now())
    .fetch_one(&mut *c)
    .await?;
    Ok(id)
}

/// Changes a period's name and dates.
pub async fn update(c: &mut AnyConnection, id: i64, input: &PeriodInput) -> Result<(), AppError> {
    let r = sqlx::query(
        "UPDATE reporting_periods SET name = $1, starts_on = $2, ends_on = $3, opens_on = $4, closes_on = $5 WHERE id = $6",
    )
    .bind(input.name.clone())
    .bind(input.starts_on.clone())
    .bind(input.ends_on.clone())
    .bind(input.opens_on.clone())
    .bind(input.closes_on.clone())
    .bind(id)
    .execute(&mut *c)
    .await?;
    if r.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Closes submissions now, or opens them again (`closed` false).
pub async fn set_closed(c: &mut AnyConnection, id: i64, closed: bool) -> Result<(), AppError> {
    let r = sqlx::query("UPDATE reporting_periods SET closed_at = $1 WHERE id = $2")
        .bind(closed.then(clock::now))
        .bind(id)
        .execute(&mut *c)
        .await?;
    if r.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

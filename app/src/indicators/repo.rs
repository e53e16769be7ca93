//! SQL of indicator definitions.

use sqlx::AnyConnection;

use super::model::Indicator;
use crate::{
    clock,
    db::{decode, flag},
    error::AppError,
};

/// An `indicators` row.
#[derive(sqlx::FromRow)]
struct IndicatorRecord {
    id: i64,
    recommendation_number: i64,
    name: String,
    kind: String,
    unit: Option<String>,
    min_value: Option<f64>,
    max_value: Option<f64>,
    help: Option<String>,
    required: i64,
    archived: i64,
}

const COLUMNS: &str =
    "id, recommendation_number, name, kind, unit, min_value, max_value, help, required, archived";

impl TryFrom<IndicatorRecord> for Indicator {
    type Error = AppError;

    fn try_from(r: IndicatorRecord) -> Result<Self, AppError> {
        Ok(Indicator {
            id: r.id,
            recommendation: r.recommendation_number,
            name: r.name,
            kind: decode("indicators.kind", &r.kind)?,
            unit: r.unit,
            min: r.min_value,
            max: r.max_value,
            help: r.help,
            required: flag(r.required),
            archived: flag(r.archived),
        })
    }
}

/// Every indicator (archived too), by recommendation and creation.
pub async fn list(c: &mut AnyConnection) -> Result<Vec<Indicator>, AppError> {
    let rows: Vec<IndicatorRecord> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM indicators ORDER BY recommendation_number, id"
    ))
    .fetch_all(&mut *c)
    .await?;
    rows.into_iter().map(Indicator::try_from).collect()
}

/// One indicator, or `NotFound`.
pub async fn get(c: &mut AnyConnection, id: i64) -> Result<Indicator, AppError> {
    let row: Option<IndicatorRecord> =
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM indicators WHERE id = $1"))
            .bind(id)
            .fetch_optional(&mut *c)
            .await?;
    row.ok_or(AppError::NotFound)?.try_into()
}

/// Creates an indicator. A name the recommendation already has is a `Conflict`.
pub async fn create(c: &mut AnyConnection, i: &Indicator) -> Result<i64, AppError> {
    let now = clock::now();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO indicators (recommendation_number, name, kind, unit, min_value, max_value, help, required, \
         archived, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9, $9) RETURNING id",
    )
    .bind(i.recommendation)
    .bind(i.name.clone())
    .bind(i.kind.as_str().to_string())
    .bind(i.unit.clone())
    .bind(i.min)
    .bind(i.max)
    .bind(i.help.clone())
    .bind(i64::from(i.required))
    .bind(now)
    .fetch_one(&mut *c)
    .await?;
    Ok(id)
}

/// Changes an indicator's definition (values already reported keep theirs). A name the
/// recommendation already has is a `Conflict`.
pub async fn update(c: &mut AnyConnection, id: i64, i: &Indicator) -> Result<(), AppError> {
    let r = sqlx::query(
        "UPDATE indicators SET recommendation_number = $1, name = $2, kind = $3, unit = $4, min_value = $5, \
         max_value = $6, help = $7, required = $8, updated_at = $9 WHERE id = $10",
    )
    .bind(i.recommendation)
    .bind(i.name.clone())
    .bind(i.kind.as_str().to_string())
    .bind(i.unit.clone())
    .bind(i.min)
    .bind(i.max)
    .bind(i.help.clone())
    .bind(i64::from(i.required))
    .bind(clock::now())
    .bind(id)
    .execute(&mut *c)
    .await?;
    if r.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Archives (no longer offered) or restores an indicator.
pub async fn set_archived(c: &mut AnyConnection, id: i64, archived: bool) -> Result<(), AppError> {
    let r = sqlx::query("UPDATE indicators SET archived = $1, updated_at = $2 WHERE id = $3")
        .bind(i64::from(archived))
        .bind(clock::now())
        .bind(id)
        .execute(&mut *c)
        .await?;
    if r.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

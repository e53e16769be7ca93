//! SQL of the recommendations.

use super::model::Recommendation;
use crate::{db::Db, error::AppError};

type Row = (i64, String, String);

fn from_row((number, title, description): Row) -> Recommendation {
    Recommendation {
        number,
        title,
        description,
    }
}

/// All seven, in order.
pub async fn list(db: &Db) -> Result<Vec<Recommendation>, AppError> {
    let rows: Vec<Row> =
        sqlx::query_as("SELECT number, title, description FROM recommendations ORDER BY number")
            .fetch_all(&db.pool)
            .await?;
    Ok(rows.into_iter().map(from_row).collect())
}

/// One recommendation, or `NotFound`.
pub async fn get(db: &Db, number: i64) -> Result<Recommendation, AppError> {
    let row: Option<Row> =
        sqlx::query_as("SELECT number, title, description FROM recommendations WHERE number = $1")
            .bind(number)
            .fetch_optional(&db.pool)
            .await?;
    row.map(from_row).ok_or(AppError::NotFound)
}

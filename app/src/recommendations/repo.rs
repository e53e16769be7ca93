//! SQL of the recommendations.

use super::model::Recommendation;
use crate::{db::Db, error::AppError};

/// A `recommendations` row.
#[derive(sqlx::FromRow)]
struct RecommendationRecord {
    number: i64,
    title: String,
    description: String,
}

impl From<RecommendationRecord> for Recommendation {
    fn from(r: RecommendationRecord) -> Self {
        Recommendation {
            number: r.number,
            title: r.title,
            description: r.description,
        }
    }
}

/// All seven, in order.
pub async fn list(db: &Db) -> Result<Vec<Recommendation>, AppError> {
    let rows: Vec<RecommendationRecord> =
        sqlx::query_as("SELECT number, title, description FROM recommendations ORDER BY number")
            .fetch_all(&db.pool)
            .await?;
    Ok(rows.into_iter().map(Recommendation::from).collect())
}

/// One recommendation, or `NotFound`.
pub async fn get(db: &Db, number: i64) -> Result<Recommendation, AppError> {
    let row: Option<RecommendationRecord> =
        sqlx::query_as("SELECT number, title, description FROM recommendations WHERE number = $1")
            .bind(number)
            .fetch_optional(&db.pool)
            .await?;
    row.map(Recommendation::from).ok_or(AppError::NotFound)
}

//! SQL of the recommendations.

use sqlx::AnyConnection;

use super::model::Recommendation;
use crate::error::AppError;

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
pub async fn list(c: &mut AnyConnection) -> Result<Vec<Recommendation>, AppError> {
    let rows: Vec<RecommendationRecord> =
        sqlx::query_as("SELECT number, title, description FROM recommendations ORDER BY number")
            .fetch_all(&mut *c)
            .await?;
    Ok(rows.into_iter().map(Recommendation::from).collect())
}

/// One recommendation, or `NotFound`.
pub async fn get(c: &mut AnyConnection, number: i64) -> Result<Recommendation, AppError> {
    let row: Option<RecommendationRecord> =
        sqlx::query_as("SELECT number, title, description FROM recommendations WHERE number = $1")
            .bind(number)
            .fetch_optional(&mut *c)
            .await?;
    row.map(Recommendation::from).ok_or(AppError::NotFound)
}

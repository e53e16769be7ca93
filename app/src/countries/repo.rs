//! SQL of the countries.

use super::model::Country;
use crate::{
    db::{flag, Db},
    error::AppError,
};

type Row = (String, String, String, i64);

fn from_row((iso2, iso3, name, eu): Row) -> Country {
    Country {
        iso2,
        iso3,
        name,
        eu_member: flag(eu),
    }
}

/// All 53, by name.
pub async fn list(db: &Db) -> Result<Vec<Country>, AppError> {
    let rows: Vec<Row> =
        sqlx::query_as("SELECT iso2, iso3, name, eu_member FROM countries ORDER BY name")
            .fetch_all(&db.pool)
            .await?;
    Ok(rows.into_iter().map(from_row).collect())
}

/// One country by alpha-2 code, or `NotFound`.
pub async fn get(db: &Db, iso2: &str) -> Result<Country, AppError> {
    let row: Option<Row> =
        sqlx::query_as("SELECT iso2, iso3, name, eu_member FROM countries WHERE iso2 = $1")
            .bind(iso2.to_ascii_uppercase())
            .fetch_optional(&db.pool)
            .await?;
    row.map(from_row).ok_or(AppError::NotFound)
}

//! SQL of the countries.

use sqlx::AnyConnection;

use super::model::Country;
use crate::{db::flag, error::AppError};

/// A `countries` row.
#[derive(sqlx::FromRow)]
struct CountryRecord {
    iso2: String,
    iso3: String,
    name: String,
    eu_member: i64,
}

impl From<CountryRecord> for Country {
    fn from(r: CountryRecord) -> Self {
        Country {
            iso2: r.iso2,
            iso3: r.iso3,
            name: r.name,
            eu_member: flag(r.eu_member),
        }
    }
}

/// All 53, by name.
pub async fn list(c: &mut AnyConnection) -> Result<Vec<Country>, AppError> {
    let rows: Vec<CountryRecord> =
        sqlx::query_as("SELECT iso2, iso3, name, eu_member FROM countries ORDER BY name")
            .fetch_all(&mut *c)
            .await?;
    Ok(rows.into_iter().map(Country::from).collect())
}

/// One country by alpha-2 code, or `NotFound`.
pub async fn get(c: &mut AnyConnection, iso2: &str) -> Result<Country, AppError> {
    let row: Option<CountryRecord> =
        sqlx::query_as("SELECT iso2, iso3, name, eu_member FROM countries WHERE iso2 = $1")
            .bind(iso2.to_ascii_uppercase())
            .fetch_optional(&mut *c)
            .await?;
    row.map(Country::from).ok_or(AppError::NotFound)
}

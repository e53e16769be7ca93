//! The open-data API under `/api/v1/`: read-only JSON and CSV of the reference data (and, as
//! features add them, periods and approved progress). Public by design: no caller is needed,
//! and nothing here returns data that is not public.

use axum::{
    extract::{Path, Query, State},
    http::{header, HeaderValue},
    response::{IntoResponse, Response},
    routing::get,
    Json, Router,
};
use serde::{Deserialize, Serialize};
use tower_http::cors::{Any, CorsLayer};

use crate::context::AppState;
use crate::error::AppError;
use crate::progress::open_data::PublishedEntry;
use crate::{countries, periods, progress, recommendations};

/// The `/api/v1` routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/recommendations", get(recommendations_json))
        .route("/recommendations.csv", get(recommendations_csv))
        .route("/countries", get(countries_json))
        .route("/countries.csv", get(countries_csv))
        .route("/countries/{iso2}", get(country_json))
        .route("/periods", get(periods_json))
        .route("/periods.csv", get(periods_csv))
        .route("/progress", get(progress_json))
        .route("/progress.csv", get(progress_csv))
        .layer(
            CorsLayer::new()
                .allow_origin(Any)
                .allow_methods([axum::http::Method::GET]),
        )
}

async fn recommendations_json(State(state): State<AppState>) -> Result<Response, AppError> {
    Ok(Json(recommendations::repo::list(&mut *state.db.conn().await?).await?).into_response())
}

async fn recommendations_csv(State(state): State<AppState>) -> Result<Response, AppError> {
    csv_response(
        "recommendations.csv",
        &["number", "title", "description"],
        &recommendations::repo::list(&mut *state.db.conn().await?).await?,
    )
}

async fn countries_json(State(state): State<AppState>) -> Result<Response, AppError> {
    Ok(Json(countries::repo::list(&mut *state.db.conn().await?).await?).into_response())
}

async fn countries_csv(State(state): State<AppState>) -> Result<Response, AppError> {
    csv_response(
        "countries.csv",
        &["iso2", "iso3", "name", "eu_member"],
        &countries::repo::list(&mut *state.db.conn().await?).await?,
    )
}

async fn country_json(
    State(state): State<AppState>,
    Path(iso2): Path<String>,
) -> Result<Response, AppError> {
    let iso2 = countries::model::normalize_iso2(&iso2).ok_or(AppError::NotFound)?;
    Ok(Json(countries::repo::get(&mut *state.db.conn().await?, &iso2).await?).into_response())
}

const PERIOD_COLUMNS: &[&str] = &[
    "id",
    "name",
    "starts_on",
    "ends_on",
    "submissions_open_on",
    "submissions_close_on",
    "submissions",
];
/// A period as published.
#[derive(Serialize)]
struct PublishedPeriod {
    id: i64,
    name: String,
    starts_on: String,
    ends_on: String,
    submissions_open_on: String,
    submissions_close_on: String,
    submissions: crate::periods::model::Phase,
}

async fn published_periods(state: &AppState) -> Result<Vec<PublishedPeriod>, AppError> {
    Ok(periods::repo::list(&mut *state.db.conn().await?)
        .await?
        .into_iter()
        .map(|p| PublishedPeriod {
            id: p.id,
            name: p.name,
            starts_on: p.starts_on,
            ends_on: p.ends_on,
            submissions_open_on: p.opens_on,
            submissions_close_on: p.closes_on,
            submissions: p.phase,
        })
        .collect())
}

async fn periods_json(State(state): State<AppState>) -> Result<Response, AppError> {
    Ok(Json(published_periods(&state).await?).into_response())
}

async fn periods_csv(State(state): State<AppState>) -> Result<Response, AppError> {
    csv_response(
        "periods.csv",
        PERIOD_COLUMNS,
        &published_periods(&state).await?,
    )
}

/// `?period=` (a period's name or id) and `?country=` (alpha-2), both optional.
#[derive(Debug, Default, Deserialize)]
struct ProgressQuery {
    period: Option<String>,
    country: Option<String>,
}

/// What the public audience reads (`progress::policy::Audience::Public`: approved reports
/// only); drafts, submitted and returned reports are never published.
async fn approved_progress(
    state: &AppState,
    q: ProgressQuery,
) -> Result<Vec<PublishedEntry>, AppError> {
    let period_id = match q.period.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        None => None,
        Some(p) => Some(match p.parse::<i64>() {
            Ok(id) => {
                periods::repo::get(&mut *state.db.conn().await?, id)
                    .await?
                    .id
            }
            Err(_) => {
                periods::repo::get_by_name(&mut *state.db.conn().await?, p)
                    .await?
                    .id
            }
        }),
    };
    let iso2 = match q
        .country
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        None => None,
        Some(c) => {
            let code = countries::model::normalize_iso2(c).ok_or(AppError::NotFound)?;
            Some(
                countries::repo::get(&mut *state.db.conn().await?, &code)
                    .await?
                    .iso2,
            )
        }
    };
    let mut conn = state.db.conn().await?;
    progress::repo::published(&mut conn, period_id, iso2.as_deref()).await
}

async fn progress_json(
    State(state): State<AppState>,
    Query(q): Query<ProgressQuery>,
) -> Result<Response, AppError> {
    Ok(Json(approved_progress(&state, q).await?).into_response())
}

async fn progress_csv(
    State(state): State<AppState>,
    Query(q): Query<ProgressQuery>,
) -> Result<Response, AppError> {
    let table = progress::open_data::progress_table(approved_progress(&state, q).await?);
    csv_bytes_response("progress.csv", table.to_csv()?)
}

/// Serialises `rows` as CSV (a header row from the field names, then one row per item).
/// With no rows, the header is `header` (serde writes it only with the first row).
pub fn csv_response<T: Serialize>(
    filename: &str,
    header: &[&str],
    rows: &[T],
) -> Result<Response, AppError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    if rows.is_empty() {
        writer
            .write_record(header)
            .map_err(|_| AppError::Internal)?;
    }
    for row in rows {
        writer.serialize(row).map_err(|e| {
            tracing::error!(error = %e, "csv serialisation failed");
            AppError::Internal
        })?;
    }
    let bytes = writer.into_inner().map_err(|_| AppError::Internal)?;
    csv_bytes_response(filename, bytes)
}

/// CSV bytes as a response, named `filename`.
fn csv_bytes_response(filename: &str, bytes: Vec<u8>) -> Result<Response, AppError> {
    let disposition = HeaderValue::from_str(&format!("inline; filename=\"{filename}\""))
        .map_err(|_| AppError::Internal)?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

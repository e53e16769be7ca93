//! The open-data API under `/api/v1/`: read-only JSON and CSV of the reference data (and, as
//! features add them, periods and approved progress). Public by design: no caller is needed,
//! and nothing here returns data that is not public.

use axum::{
    extract::{Path, State},
    http::{header, HeaderValue},
    response::{IntoResponse, Response},
    routing::get,
    Json, Router,
};
use serde::Serialize;
use tower_http::cors::{Any, CorsLayer};

use crate::context::AppState;
use crate::error::AppError;
use crate::{countries, recommendations};

/// The `/api/v1` routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/recommendations", get(recommendations_json))
        .route("/recommendations.csv", get(recommendations_csv))
        .route("/countries", get(countries_json))
        .route("/countries.csv", get(countries_csv))
        .route("/countries/{iso2}", get(country_json))
        .layer(CorsLayer::new().allow_origin(Any).allow_methods([axum::http::Method::GET]))
}

async fn recommendations_json(State(state): State<AppState>) -> Result<Response, AppError> {
    Ok(Json(recommendations::repo::list(&state.db).await?).into_response())
}

async fn recommendations_csv(State(state): State<AppState>) -> Result<Response, AppError> {
    csv_response("recommendations.csv", &recommendations::repo::list(&state.db).await?)
}

async fn countries_json(State(state): State<AppState>) -> Result<Response, AppError> {
    Ok(Json(countries::repo::list(&state.db).await?).into_response())
}

async fn countries_csv(State(state): State<AppState>) -> Result<Response, AppError> {
    csv_response("countries.csv", &countries::repo::list(&state.db).await?)
}

async fn country_json(
    State(state): State<AppState>,
    Path(iso2): Path<String>,
) -> Result<Response, AppError> {
    let iso2 = countries::model::normalize_iso2(&iso2).ok_or(AppError::NotFound)?;
    Ok(Json(countries::repo::get(&state.db, &iso2).await?).into_response())
}

/// Serialises `rows` as CSV (a header row from the field names, then one row per item).
pub fn csv_response<T: Serialize>(filename: &str, rows: &[T]) -> Result<Response, AppError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in rows {
        writer.serialize(row).map_err(|e| {
            tracing::error!(error = %e, "csv serialisation failed");
            AppError::Internal
        })?;
    }
    let bytes = writer.into_inner().map_err(|_| AppError::Internal)?;
    let disposition = HeaderValue::from_str(&format!("inline; filename=\"{filename}\""))
        .map_err(|_| AppError::Internal)?;
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8")),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

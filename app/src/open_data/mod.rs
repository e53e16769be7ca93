//! The open-data API under `/api/v1/`: read-only JSON and CSV of the reference data (and, as
//! features add them, periods and approved progress). Public by design: no caller is needed,
//! and nothing here returns data that is not public.
//!
//! Columns and values are stable machine names and codes, in English. Texts for people come
//! in extra columns whose names end in `_label`, after the others, in the language of the
//! request (`?lang=fr`, the `rt_lang` cookie or `Accept-Language`; English by default), as
//! are error messages.

use axum::{
    extract::{FromRequestParts, Path, Query, State},
    http::{header, request::Parts, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Json, Router,
};
use serde::{Deserialize, Serialize};
use tower_http::cors::{Any, CorsLayer};

use crate::context::AppState;
use crate::error::AppError;
use crate::i18n::*;
use crate::lang::Locale;
use crate::progress::open_data::PublishedEntry;
use crate::progress::workflow::Status;
use crate::ui::Column;
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

/// The language of the request, which the language middleware put in its extensions
/// (English if it did not run).
struct Lang(Locale);

impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Lang(
            parts
                .extensions
                .get::<Locale>()
                .copied()
                .unwrap_or_default(),
        ))
    }
}

/// The response, or the error as JSON (`{"error": …, "status": …}`) with its message in the
/// request's language.
fn respond(locale: Locale, result: Result<Response, AppError>) -> Response {
    match result {
        Ok(res) => res,
        Err(e) => {
            let status =
                StatusCode::from_u16(e.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let body = serde_json::json!({ "error": e.message(locale), "status": status.as_u16() });
            (status, Json(body)).into_response()
        }
    }
}

const RECOMMENDATION_COLUMNS: &[&str] = &[
    "number",
    "title",
    "description",
    "title_label",
    "description_label",
];
/// A recommendation as published: the source text in English, and in the request's language.
#[derive(Serialize)]
struct PublishedRecommendation {
    number: i64,
    title: String,
    description: String,
    title_label: String,
    description_label: String,
}

async fn published_recommendations(
    state: &AppState,
    locale: Locale,
) -> Result<Vec<PublishedRecommendation>, AppError> {
    Ok(recommendations::repo::list(&mut *state.db.conn().await?)
        .await?
        .into_iter()
        .map(|r| PublishedRecommendation {
            title_label: recommendations::pages::title(locale, &r),
            description_label: recommendations::pages::description(locale, &r),
            number: r.number,
            title: r.title,
            description: r.description,
        })
        .collect())
}

async fn recommendations_json(State(state): State<AppState>, Lang(locale): Lang) -> Response {
    respond(
        locale,
        async { Ok(Json(published_recommendations(&state, locale).await?).into_response()) }.await,
    )
}

async fn recommendations_csv(State(state): State<AppState>, Lang(locale): Lang) -> Response {
    respond(
        locale,
        async {
            csv_response(
                "recommendations.csv",
                RECOMMENDATION_COLUMNS,
                &published_recommendations(&state, locale).await?,
            )
        }
        .await,
    )
}

const COUNTRY_COLUMNS: &[&str] = &["iso2", "iso3", "name", "eu_member", "name_label"];
/// A country as published: its English short name, and its name in the request's language.
#[derive(Serialize)]
struct PublishedCountry {
    iso2: String,
    iso3: String,
    name: String,
    eu_member: bool,
    name_label: String,
}

impl PublishedCountry {
    fn new(locale: Locale, c: countries::model::Country) -> Self {
        Self {
            name_label: c.name_in(locale),
            iso2: c.iso2,
            iso3: c.iso3,
            name: c.name,
            eu_member: c.eu_member,
        }
    }
}

async fn published_countries(
    state: &AppState,
    locale: Locale,
) -> Result<Vec<PublishedCountry>, AppError> {
    Ok(countries::repo::list(&mut *state.db.conn().await?)
        .await?
        .into_iter()
        .map(|c| PublishedCountry::new(locale, c))
        .collect())
}

async fn countries_json(State(state): State<AppState>, Lang(locale): Lang) -> Response {
    respond(
        locale,
        async { Ok(Json(published_countries(&state, locale).await?).into_response()) }.await,
    )
}

async fn countries_csv(State(state): State<AppState>, Lang(locale): Lang) -> Response {
    respond(
        locale,
        async {
            csv_response(
                "countries.csv",
                COUNTRY_COLUMNS,
                &published_countries(&state, locale).await?,
            )
        }
        .await,
    )
}

async fn country_json(
    State(state): State<AppState>,
    Lang(locale): Lang,
    Path(iso2): Path<String>,
) -> Response {
    respond(
        locale,
        async {
            let iso2 = countries::model::normalize_iso2(&iso2).ok_or(AppError::NotFound)?;
            let country = countries::repo::get(&mut *state.db.conn().await?, &iso2).await?;
            Ok(Json(PublishedCountry::new(locale, country)).into_response())
        }
        .await,
    )
}

const PERIOD_COLUMNS: &[&str] = &[
    "id",
    "name",
    "starts_on",
    "ends_on",
    "submissions_open_on",
    "submissions_close_on",
    "submissions",
    "submissions_label",
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
    /// `submissions` for people, in the request's language.
    submissions_label: &'static str,
}

async fn published_periods(
    state: &AppState,
    locale: Locale,
) -> Result<Vec<PublishedPeriod>, AppError> {
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
            submissions_label: p.phase.label_in(locale),
        })
        .collect())
}

async fn periods_json(State(state): State<AppState>, Lang(locale): Lang) -> Response {
    respond(
        locale,
        async { Ok(Json(published_periods(&state, locale).await?).into_response()) }.await,
    )
}

async fn periods_csv(State(state): State<AppState>, Lang(locale): Lang) -> Response {
    respond(
        locale,
        async {
            csv_response(
                "periods.csv",
                PERIOD_COLUMNS,
                &published_periods(&state, locale).await?,
            )
        }
        .await,
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

/// The texts for people of a published entry, in the request's language.
#[derive(Serialize)]
struct EntryLabels {
    country_label: String,
    recommendation_title_label: String,
    status_label: Option<&'static str>,
}

impl EntryLabels {
    fn of(locale: Locale, e: &PublishedEntry) -> Self {
        let recommendation = recommendations::model::Recommendation {
            number: e.recommendation,
            title: e.recommendation_title.clone(),
            description: String::new(),
        };
        Self {
            country_label: countries::model::name_in(locale, &e.country, &e.country_name),
            recommendation_title_label: recommendations::pages::title(locale, &recommendation),
            status_label: e.status.map(|s| status_label(locale, s)),
        }
    }
}

/// A published entry with its labels after its fields.
#[derive(Serialize)]
struct LabelledEntry {
    #[serde(flatten)]
    entry: PublishedEntry,
    #[serde(flatten)]
    labels: EntryLabels,
}

/// A recommendation's status for people.
fn status_label(locale: Locale, status: Status) -> &'static str {
    match status {
        Status::NotStarted => td_string!(locale, countries.open_data_status_not_started),
        Status::Planned => td_string!(locale, countries.open_data_status_planned),
        Status::InProgress => td_string!(locale, countries.open_data_status_in_progress),
        Status::PartiallyImplemented => {
            td_string!(locale, countries.open_data_status_partially_implemented)
        }
        Status::FullyImplemented => {
            td_string!(locale, countries.open_data_status_fully_implemented)
        }
        Status::NotApplicable => td_string!(locale, countries.open_data_status_not_applicable),
    }
}

async fn progress_json(
    State(state): State<AppState>,
    Lang(locale): Lang,
    Query(q): Query<ProgressQuery>,
) -> Response {
    respond(
        locale,
        async {
            let entries: Vec<LabelledEntry> = approved_progress(&state, q)
                .await?
                .into_iter()
                .map(|entry| LabelledEntry {
                    labels: EntryLabels::of(locale, &entry),
                    entry,
                })
                .collect();
            Ok(Json(entries).into_response())
        }
        .await,
    )
}

async fn progress_csv(
    State(state): State<AppState>,
    Lang(locale): Lang,
    Query(q): Query<ProgressQuery>,
) -> Response {
    respond(
        locale,
        async {
            let entries = approved_progress(&state, q).await?;
            let labels: Vec<EntryLabels> =
                entries.iter().map(|e| EntryLabels::of(locale, e)).collect();
            let mut table = progress::open_data::progress_table(entries);
            // The labels go after the machine columns, which stay as they were.
            table.columns.extend([
                Column::text(
                    "country_label",
                    td_string!(locale, countries.open_data_country),
                ),
                Column::text(
                    "recommendation_title_label",
                    td_string!(locale, countries.open_data_recommendation),
                ),
                Column::text(
                    "status_label",
                    td_string!(locale, countries.open_data_status),
                ),
            ]);
            for (row, l) in table.rows.iter_mut().zip(labels) {
                row.extend([
                    l.country_label.into(),
                    l.recommendation_title_label.into(),
                    l.status_label.unwrap_or_default().into(),
                ]);
            }
            csv_bytes_response("progress.csv", table.to_csv()?)
        }
        .await,
    )
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
    csv_bytes_response(filename, neutralised(&bytes)?)
}

/// The CSV with every field a spreadsheet would read as a formula neutralised (numbers are
/// left as they are). The rows are serde's, shared with the JSON: neutralised here, not in
/// the structures.
fn neutralised(csv: &[u8]) -> Result<Vec<u8>, AppError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv);
    let mut out = csv::Writer::from_writer(Vec::with_capacity(csv.len() + 64));
    for record in reader.records() {
        let record = record.map_err(|_| AppError::Internal)?;
        out.write_record(
            record
                .iter()
                .map(|f| crate::spreadsheet::neutralise_field(f).into_owned()),
        )
        .map_err(|_| AppError::Internal)?;
    }
    out.into_inner().map_err(|_| AppError::Internal)
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

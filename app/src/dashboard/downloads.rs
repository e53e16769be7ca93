//! `GET /dashboard/download/{figure}.csv|.svg?{filters}[&country=XX]`: a figure's table as
//! CSV and its chart as an SVG image, built by the same code as the page (`service::page`), so
//! each download is exactly what the page shows. The caller is checked like on the page: the
//! public gets approved data only; "include submitted" needs a viewer or an admin.

use axum::{
    extract::{Path, RawQuery, State},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Extension, Router,
};

use super::model::Filters;
use super::service::{self, Page};
use crate::context::{AppState, Caller};
use crate::error::AppError;
use crate::lang::Locale;

/// The download routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            &format!("{}/{{file}}", crate::routes::DASHBOARD_DOWNLOADS),
            get(download),
        )
        .route(crate::routes::MAP_GEOJSON, get(map_geojson))
}

/// The map's boundaries for ECharts: public, the same for everyone, cached for a day.
async fn map_geojson() -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/geo+json"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        super::geo::echarts_geojson(),
    )
        .into_response()
}

/// Which page a figure belongs to.
fn page_of(figure: &str, country: Option<String>) -> Option<Page> {
    match figure {
        "map" | "heatmap" | "distribution" | "ranking" => Some(Page::Overview),
        "movement" | "over-time" => Some(Page::Movement),
        "indicator" => Some(Page::Indicators),
        "timeline" | "indicator-values" => country.map(Page::Country),
        _ => None,
    }
}

async fn download(
    State(state): State<AppState>,
    caller: Option<Extension<Caller>>,
    locale: Option<Extension<Locale>>,
    Path(file): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let locale = locale.map(|l| l.0).unwrap_or_default();
    let caller = caller.and_then(|c| c.0 .0);
    let query = query.unwrap_or_default();
    match build(&state, caller.as_ref(), &file, &query, locale).await {
        Ok(res) => res,
        Err(e) => {
            let status =
                StatusCode::from_u16(e.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            (status, e.message(locale)).into_response()
        }
    }
}

async fn build(
    state: &AppState,
    caller: Option<&crate::caller::CurrentUser>,
    file: &str,
    query: &str,
    locale: Locale,
) -> Result<Response, AppError> {
    let (figure, ext) = file.rsplit_once('.').ok_or(AppError::NotFound)?;
    if !matches!(ext, "csv" | "svg") {
        return Err(AppError::NotFound);
    }
    let country = url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "country")
        .and_then(|(_, v)| crate::countries::model::normalize_iso2(&v));
    let page = page_of(figure, country).ok_or(AppError::NotFound)?;
    let filters = Filters::from_query(query);
    let built = service::page(&state.db, caller, &page, filters, locale).await?;
    let index = built
        .view
        .figures
        .iter()
        .position(|f| f.name == figure)
        .ok_or(AppError::NotFound)?;
    let period = built
        .view
        .period_name
        .as_deref()
        .unwrap_or("none")
        .replace(|c: char| !c.is_ascii_alphanumeric(), "-");
    let name = format!("recovery-tracker-{figure}-{period}");
    let (content_type, bytes, name) = if ext == "csv" {
        (
            "text/csv; charset=utf-8",
            built.view.figures[index].table.to_csv()?,
            format!("{name}.csv"),
        )
    } else {
        let svg = built.pictures[index].svg().ok_or(AppError::NotFound)?;
        ("image/svg+xml", svg.into_bytes(), format!("{name}.svg"))
    };
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
        .map_err(|_| AppError::Internal)?;
    // Approved data is public; anything with submitted reports is for the signed-in caller only.
    let cache = if built.view.filters.include_submitted || caller.is_some() {
        "private, no-store"
    } else {
        "no-cache"
    };
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
        ],
        bytes,
    )
        .into_response())
}

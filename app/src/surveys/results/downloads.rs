//! The results' plain GET routes (files, not pages): `/admin/surveys/{id}/export.csv|.xlsx`
//! (admins and viewers; streamed), `/admin/surveys/{id}/invitations.csv` (admins: the links
//! for a mail merge) and `/admin/surveys/{id}/results/{question}.csv|.svg` (one question's
//! table and chart, exactly as the results page shows them) and
//! `/admin/surveys/{id}/xlsform.xlsx` (admins: the survey's definition as an XLSForm). Each
//! checks the caller before reading anything; files are never cached.

use axum::{
    body::Body,
    extract::{MatchedPath, Path, RawQuery, State},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Extension, Router,
};

use super::export::{self, FixedLabels, Layout};
use super::ResultsQuery;
use crate::caller::CurrentUser;
use crate::context::{AppState, Caller};
use crate::error::AppError;
use crate::i18n::*;
use crate::lang::Locale;
use crate::surveys::{policy, repo};

/// The routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/surveys/{id}/export.csv", get(file))
        .route("/admin/surveys/{id}/export.xlsx", get(file))
        .route("/admin/surveys/{id}/invitations.csv", get(file))
        .route("/admin/surveys/{id}/xlsform.xlsx", get(file))
        .route("/admin/surveys/{id}/results/{file}", get(figure))
}

fn refused(e: AppError, locale: Locale) -> Response {
    let status = StatusCode::from_u16(e.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, e.message(locale)).into_response()
}

fn attachment(content_type: &'static str, name: &str, body: Body) -> Result<Response, AppError> {
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
        .map_err(|_| AppError::Internal)?;
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CONTENT_DISPOSITION, disposition),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            ),
        ],
        body,
    )
        .into_response())
}

async fn file(
    State(state): State<AppState>,
    caller: Option<Extension<Caller>>,
    locale: Option<Extension<Locale>>,
    matched: MatchedPath,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    // Which of the files: the route's last segment.
    let file = matched
        .as_str()
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string();
    let locale = locale.map(|l| l.0).unwrap_or_default();
    let caller = caller.and_then(|c| c.0 .0);
    let query = query.unwrap_or_default();
    // The links in the mail-merge file: on the public URL, never the request's `Host`.
    let base = state.settings.public_origin();
    match serve(&state, caller.as_ref(), &id, &file, &query, &base, locale).await {
        Ok(res) => res,
        Err(e) => refused(e, locale),
    }
}

async fn serve(
    state: &AppState,
    caller: Option<&CurrentUser>,
    id: &str,
    file: &str,
    query: &str,
    base: &str,
    l: Locale,
) -> Result<Response, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    match file {
        "export.csv" | "export.xlsx" => {
            policy::may_read_results(caller)?;
            let survey = repo::get(&mut *state.db.conn().await?, id).await?;
            let filter = ResultsQuery::from_query(query).filter();
            let named = policy::may_see_respondents(caller) && !survey.anonymous;
            let layout = Layout::new(&survey.definition, named, &fixed_labels(l));
            if file.ends_with(".csv") {
                let body = export::csv_body(state.db.clone(), id, filter, layout)?;
                attachment(
                    "text/csv; charset=utf-8",
                    &format!("survey-{id}-responses.csv"),
                    body,
                )
            } else {
                let body = export::xlsx_body(state.db.clone(), id, filter, layout).await?;
                attachment(
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    &format!("survey-{id}-responses.xlsx"),
                    body,
                )
            }
        }
        "xlsform.xlsx" => {
            policy::may_manage(caller)?;
            let survey = repo::get(&mut *state.db.conn().await?, id).await?;
            let bytes = crate::surveys::xlsform::export::to_xlsx(
                &survey.definition,
                &format!("survey_{id}"),
                l,
            )?;
            attachment(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                &format!("survey-{id}-xlsform.xlsx"),
                Body::from(bytes),
            )
        }
        "invitations.csv" => {
            let bytes = super::service::invitations_csv(&state.db, caller, id, base, l).await?;
            attachment(
                "text/csv; charset=utf-8",
                &format!("survey-{id}-links.csv"),
                Body::from(bytes),
            )
        }
        _ => Err(AppError::NotFound),
    }
}

/// The export's second header row in the reader's language.
fn fixed_labels(l: Locale) -> FixedLabels {
    FixedLabels {
        response: td_string!(l, survey_results.col_response).to_string(),
        submitted_on: td_string!(l, survey_results.col_submitted_on).to_string(),
        language: td_string!(l, survey_results.col_language).to_string(),
        country: td_string!(l, survey_results.col_country).to_string(),
        member_type: td_string!(l, survey_results.col_member_type).to_string(),
        respondent: td_string!(l, survey_results.col_respondent).to_string(),
        other: td_string!(l, survey_results.other_text).to_string(),
    }
}

async fn figure(
    State(state): State<AppState>,
    caller: Option<Extension<Caller>>,
    locale: Option<Extension<Locale>>,
    Path((id, file)): Path<(String, String)>,
    RawQuery(query): RawQuery,
) -> Response {
    let locale = locale.map(|l| l.0).unwrap_or_default();
    let caller = caller.and_then(|c| c.0 .0);
    let query = ResultsQuery::from_query(&query.unwrap_or_default());
    match figure_file(&state, caller.as_ref(), &id, &file, &query, locale).await {
        Ok(res) => res,
        Err(e) => refused(e, locale),
    }
}

async fn figure_file(
    state: &AppState,
    caller: Option<&CurrentUser>,
    id: &str,
    file: &str,
    query: &ResultsQuery,
    l: Locale,
) -> Result<Response, AppError> {
    policy::may_read_results(caller)?;
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let (code, ext) = file.rsplit_once('.').ok_or(AppError::NotFound)?;
    let view = super::service::results(&state.db, caller, id, query, l).await?;
    let figure = view
        .questions
        .into_iter()
        .find(|q| q.code == code)
        .and_then(|q| q.figure)
        .ok_or(AppError::NotFound)?;
    let name = format!(
        "survey-{id}-{}",
        code.replace(|c: char| !c.is_ascii_alphanumeric(), "-")
    );
    match ext {
        "csv" => attachment(
            "text/csv; charset=utf-8",
            &format!("{name}.csv"),
            Body::from(table_csv(&figure.table)?),
        ),
        "svg" => {
            let svg = figure.inline_svg.ok_or(AppError::NotFound)?;
            attachment("image/svg+xml", &format!("{name}.svg"), Body::from(svg))
        }
        _ => Err(AppError::NotFound),
    }
}

/// A figure's table as CSV: its column keys, then its rows, text cells neutralised (survey
/// labels are written by people).
fn table_csv(t: &crate::ui::Table) -> Result<Vec<u8>, AppError> {
    let mut out = export::csv_record(t.columns.iter().map(|c| c.key.as_ref()))?.to_vec();
    for row in &t.rows {
        out.extend_from_slice(&export::csv_record(row.iter().map(|c| c.text()))?);
    }
    Ok(out)
}

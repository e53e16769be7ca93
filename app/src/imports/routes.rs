//! The import routes (files and plain form posts, the same with and without JavaScript):
//! - `GET /report/{country}/{period}/template.xlsx`: a country's report as a workbook (its
//!   focal points);
//! - `GET /admin/periods/{period}/workbook.xlsx`: every country's (admins);
//! - `POST /imports` (multipart: `kind` — progress, bulk, xlsform or responses — then
//!   `country` and `period`, or `survey`, then `file`): the upload, answered with a redirect
//!   to the dry run (`/imports/{id}`);
//! - `POST /imports/{id}/apply` and `/imports/{id}/discard`, answered with a redirect to it.
//!
//! Each checks the caller before it reads anything: signed in first, then allowed for what
//! the file is for, and only then is the file read.

use axum::{
    extract::{DefaultBodyLimit, Multipart, Path, State},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
    Extension, Router,
};

use super::service::{self, Target, Upload, MAX_FILE_BYTES};
use crate::caller::CurrentUser;
use crate::context::{AppState, Caller, ClientIp};
use crate::error::AppError;
use crate::lang::Locale;
use crate::progress::service::{self as progress, Scope};

/// The routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/report/{country}/{period}/template.xlsx",
            get(country_template),
        )
        .route("/admin/periods/{period}/workbook.xlsx", get(bulk_workbook))
        .route(
            "/imports",
            // The form's other fields and the multipart framing on top of the file.
            post(upload).layer(DefaultBodyLimit::max(MAX_FILE_BYTES + 64 * 1024)),
        )
        .route("/imports/{id}/apply", post(apply))
        .route("/imports/{id}/discard", post(discard))
}

fn refused(e: AppError, locale: Locale) -> Response {
    let status = StatusCode::from_u16(e.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, e.message(locale)).into_response()
}

fn signed_in(caller: Option<Extension<Caller>>) -> Result<CurrentUser, AppError> {
    caller.and_then(|c| c.0 .0).ok_or(AppError::Unauthorized)
}

fn xlsx(bytes: Vec<u8>, name: &str) -> Result<Response, AppError> {
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
        .map_err(|_| AppError::Internal)?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ),
            ),
            (header::CONTENT_DISPOSITION, disposition),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            ),
        ],
        bytes,
    )
        .into_response())
}

async fn country_template(
    State(state): State<AppState>,
    caller: Option<Extension<Caller>>,
    locale: Option<Extension<Locale>>,
    Path((country, period)): Path<(String, String)>,
) -> Response {
    let locale = locale.map(|l| l.0).unwrap_or_default();
    let result = async {
        let user = signed_in(caller)?;
        let iso2 = crate::countries::model::normalize_iso2(&country).ok_or(AppError::NotFound)?;
        let period: i64 = period.parse().map_err(|_| AppError::NotFound)?;
        let (bytes, name) =
            progress::template(&state.db, &user, Scope::Country(&iso2), period, locale).await?;
        xlsx(bytes, &name)
    };
    result.await.unwrap_or_else(|e| refused(e, locale))
}

async fn bulk_workbook(
    State(state): State<AppState>,
    caller: Option<Extension<Caller>>,
    locale: Option<Extension<Locale>>,
    Path(period): Path<String>,
) -> Response {
    let locale = locale.map(|l| l.0).unwrap_or_default();
    let result = async {
        let user = signed_in(caller)?;
        let period: i64 = period.parse().map_err(|_| AppError::NotFound)?;
        let (bytes, name) =
            progress::template(&state.db, &user, Scope::Bulk, period, locale).await?;
        xlsx(bytes, &name)
    };
    result.await.unwrap_or_else(|e| refused(e, locale))
}

/// The upload form's fields before the file.
#[derive(Default)]
struct Fields {
    kind: String,
    country: String,
    period: String,
    survey: String,
}

impl Fields {
    fn target(&self) -> Result<Target, AppError> {
        let period = || {
            self.period
                .trim()
                .parse::<i64>()
                .map_err(|_| AppError::NotFound)
        };
        match self.kind.as_str() {
            "progress" => Ok(Target::Progress {
                country: crate::countries::model::normalize_iso2(&self.country)
                    .ok_or(AppError::NotFound)?,
                period: period()?,
            }),
            "bulk" => Ok(Target::Bulk { period: period()? }),
            "xlsform" => Ok(Target::Xlsform),
            "responses" => Ok(Target::Responses {
                survey: self.survey.trim().parse().map_err(|_| AppError::NotFound)?,
            }),
            _ => Err(AppError::NotFound),
        }
    }
}

/// Reads the file field, up to the limit: `None` past it.
async fn read_file(
    field: &mut axum::extract::multipart::Field<'_>,
) -> Result<Option<Vec<u8>>, AppError> {
    let mut bytes = Vec::new();
    loop {
        match field.chunk().await {
            Ok(Some(chunk)) => {
                if bytes.len() + chunk.len() > MAX_FILE_BYTES {
                    return Ok(None);
                }
                bytes.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(Some(bytes)),
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Ok(None),
            Err(e) => return Err(AppError::Transport(e.body_text())),
        }
    }
}

async fn upload(
    State(state): State<AppState>,
    caller: Option<Extension<Caller>>,
    locale: Option<Extension<Locale>>,
    mut form: Multipart,
) -> Response {
    let locale = locale.map(|l| l.0).unwrap_or_default();
    let result = async {
        let user = signed_in(caller)?;
        let mut fields = Fields::default();
        let mut file: Option<Upload> = None;
        while let Some(mut field) = form
            .next_field()
            .await
            .map_err(|e| AppError::Transport(e.body_text()))?
        {
            let name = field.name().unwrap_or_default().to_string();
            if name == "file" {
                // The caller must be allowed before the file is read.
                fields.target()?.authorize(&user)?;
                let file_name = field.file_name().unwrap_or_default().to_string();
                let bytes = read_file(&mut field).await?;
                file = Some(Upload { file_name, bytes });
                break;
            }
            let value = field
                .text()
                .await
                .map_err(|e| AppError::Transport(e.body_text()))?;
            match name.as_str() {
                "kind" => fields.kind = value,
                "country" => fields.country = value,
                "period" => fields.period = value,
                "survey" => fields.survey = value,
                _ => {}
            }
        }
        let target = fields.target()?;
        let file = match file {
            Some(f) if f.file_name.is_empty() && f.bytes.as_ref().is_some_and(Vec::is_empty) => {
                None
            }
            other => other,
        };
        let Some(file) = file else {
            return Err(AppError::invalid(
                "file",
                crate::i18n::td_string!(locale, imports.choose_file),
            ));
        };
        let id = service::upload(&state.db, &user, &target, &file, locale).await?;
        Ok(Redirect::to(&crate::routes::import(id)).into_response())
    };
    match result.await {
        Ok(r) => r,
        Err(e) => refused(e, locale),
    }
}

async fn apply(
    State(state): State<AppState>,
    caller: Option<Extension<Caller>>,
    locale: Option<Extension<Locale>>,
    ip: Option<Extension<ClientIp>>,
    Path(id): Path<String>,
) -> Response {
    let locale = locale.map(|l| l.0).unwrap_or_default();
    let ip = ip.map(|i| i.0 .0).unwrap_or_default();
    let result = async {
        let user = signed_in(caller)?;
        let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
        service::apply_from_page(&state.db, &user, &ip, id, locale).await?;
        Ok::<_, AppError>(Redirect::to(&crate::routes::import(id)).into_response())
    };
    result.await.unwrap_or_else(|e| refused(e, locale))
}

async fn discard(
    State(state): State<AppState>,
    caller: Option<Extension<Caller>>,
    locale: Option<Extension<Locale>>,
    Path(id): Path<String>,
) -> Response {
    let locale = locale.map(|l| l.0).unwrap_or_default();
    let result = async {
        let user = signed_in(caller)?;
        let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
        service::discard(&state.db, &user, id).await?;
        Ok::<_, AppError>(Redirect::to(&crate::routes::import(id)).into_response())
    };
    result.await.unwrap_or_else(|e| refused(e, locale))
}

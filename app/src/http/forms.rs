//! Every form posted to a server function is checked before it is decoded: the body's size
//! (per function), each field's length, and control characters — PostgreSQL refuses U+0000,
//! which SQLite stores, so the same input must be the same field error on both engines. A
//! refusal is answered as the server function would answer it (a field error).

use axum::{
    body::Body,
    extract::Request,
    http::{header, request::Parts, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use server_fn::error::{FromServerFnError, ServerFnUrlError, SERVER_FN_ERROR_HEADER};

use crate::error::{AppError, FieldError};
use crate::i18n::*;

/// A form: a few hundred KB.
pub const FORM_BODY_MAX: usize = 256 * 1024;
/// The report (seven narratives of 10,000 characters, percent-encoded: up to 12 bytes a
/// character) and the survey builder's texts.
pub const LARGE_FORM_BODY_MAX: usize = 1024 * 1024;
/// The longest value of any field, in characters (the longest texts allowed are 10,000).
pub const FIELD_MAX_CHARS: usize = 20_000;
/// The most field errors listed for one form.
const ERRORS_MAX: usize = 20;

fn body_max(path: &str) -> usize {
    match path {
        "/api/save_report"
        | "/api/save_question"
        | "/api/save_section"
        | "/api/save_survey_texts" => LARGE_FORM_BODY_MAX,
        _ => FORM_BODY_MAX,
    }
}

fn too_large() -> Response {
    (StatusCode::PAYLOAD_TOO_LARGE, "Request too large.\n").into_response()
}

/// Middleware (outside the caller's lookup: a refused form costs no database work).
pub async fn check(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    if req.method() != Method::POST || !path.starts_with("/api/") || path.starts_with("/api/v1/") {
        return next.run(req).await;
    }
    let max = body_max(&path);
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > max) {
        return too_large();
    }
    let form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let locale = crate::lang::negotiate::choose_for(&req).locale;
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, max).await else {
        return too_large();
    };
    if form {
        let mut errors: Vec<FieldError> = Vec::new();
        for (name, value) in url::form_urlencoded::parse(&bytes) {
            if value.chars().count() > FIELD_MAX_CHARS {
                errors.push(FieldError::new(
                    name,
                    td_string!(locale, common.error_field_too_long, max = FIELD_MAX_CHARS)
                        .to_string(),
                ));
            } else if value.chars().any(crate::ui::is_refused_char) {
                errors.push(FieldError::new(
                    name,
                    td_string!(locale, common.error_control_characters),
                ));
            }
            if errors.len() >= ERRORS_MAX {
                break;
            }
        }
        if !errors.is_empty() {
            return refuse(&parts, &path, AppError::Invalid(errors));
        }
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// The refusal as the server function would answer it: a redirect back to the form with the
/// error for a plain form post (kept in the session by `form_errors`), JSON otherwise.
fn refuse(parts: &Parts, path: &str, error: AppError) -> Response {
    let plain = parts
        .headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    if plain {
        let referer = parts
            .headers
            .get(header::REFERER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("/");
        if let Ok(url) = ServerFnUrlError::new(path, error.clone()).to_url(referer) {
            if let Ok(location) = HeaderValue::from_str(url.as_str()) {
                return (StatusCode::FOUND, [(header::LOCATION, location)]).into_response();
            }
        }
    }
    let mut res = (
        StatusCode::UNPROCESSABLE_ENTITY,
        [(header::CONTENT_TYPE, "application/json")],
        error.ser(),
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(path) {
        res.headers_mut().insert(SERVER_FN_ERROR_HEADER, v);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_and_the_builder_may_send_more_than_other_forms() {
        assert_eq!(body_max("/api/save_report"), LARGE_FORM_BODY_MAX);
        assert_eq!(body_max("/api/save_period"), FORM_BODY_MAX);
    }
}

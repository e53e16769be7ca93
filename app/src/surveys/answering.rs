//! The answering routes: `POST /s/{token}/answers` takes every form of the answering pages
//! (start, save, next, back, review, submit, change language) as a plain form post and
//! answers with a redirect (303) to the page to show next — the same with and without
//! JavaScript. Problems are not carried in the URL: the page shows the problems of the saved
//! answers (`?check=1`), so no text of the request can be echoed into a page.
//! `GET /s/copy/{receipt}/answers.csv` is the respondent's copy as a spreadsheet.

use axum::{
    extract::{Path, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
    Form, Router,
};

use super::model::answers::{self, Raw};
use super::service;
use crate::context::AppState;
use crate::error::AppError;

/// The answering routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/s/{token}/answers", post(post_answers))
        .route("/s/copy/{receipt}/answers.csv", get(copy_csv))
}

/// The cookie that says this browser answered survey `id` (surveys with "one response per
/// browser").
fn answered_cookie(id: i64) -> String {
    format!("rt_survey_{id}")
}

fn has_cookie(headers: &HeaderMap, name: &str) -> bool {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .any(|c| c.trim().split('=').next() == Some(name))
}

fn see_other(to: String) -> Response {
    Redirect::to(&to).into_response()
}

fn page(token: &str, query: &str) -> String {
    if query.is_empty() {
        crate::routes::survey_answer(token)
    } else {
        format!("{}?{query}", crate::routes::survey_answer(token))
    }
}

fn refused(e: AppError) -> Response {
    let status = StatusCode::from_u16(e.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    // A short page in the reader's words is the answering page itself; a refusal here means
    // the link is unknown (404) or something failed.
    (status, e.message(crate::lang::Locale::default())).into_response()
}

async fn post_answers(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let mut raw = Raw::new();
    let mut action = String::new();
    let mut section: Option<usize> = None;
    let mut shown: Vec<String> = Vec::new();
    let mut language: Option<String> = None;
    for (k, v) in pairs {
        match k.as_str() {
            "_action" => action = v,
            "_section" => section = v.parse().ok(),
            "_shown" => {
                shown = v
                    .split(',')
                    .filter(|c| !c.is_empty())
                    .map(str::to_string)
                    .collect()
            }
            "_lang" => language = Some(v),
            _ if k.starts_with("q.") => raw.entry(k).or_default().push(v),
            _ => {}
        }
    }
    let db = &state.db;
    match action.as_str() {
        "start" => {
            let survey_id = match service::respondent(db, &token).await {
                Ok(r) => r.survey.id,
                Err(e) => return refused(e),
            };
            let lang = language.unwrap_or_default();
            let answered = has_cookie(&headers, &answered_cookie(survey_id));
            match service::start(db, &token, &lang, answered).await {
                Ok(own) => see_other(page(
                    &own,
                    &format!("lang={}", crate::routes::urlencode(&lang)),
                )),
                Err(AppError::Rejected(_)) => see_other(page(&token, "refused=1")),
                Err(e) => refused(e),
            }
        }
        "language" => match service::save(db, &token, None, &raw, language.as_deref()).await {
            Ok((r, _)) => {
                let lang = r
                    .draft
                    .as_ref()
                    .map(|d| d.language.clone())
                    .unwrap_or_default();
                let at = section.map(|s| format!("section={s}&")).unwrap_or_default();
                see_other(page(
                    &token,
                    &format!("{at}lang={}", crate::routes::urlencode(&lang)),
                ))
            }
            Err(AppError::Rejected(_)) => see_other(page(&token, "")),
            Err(e) => refused(e),
        },
        "save" | "next" | "back" | "review" => {
            let Some(index) = section else {
                return refused(AppError::NotFound);
            };
            let (r, walk) = match service::save(db, &token, Some(index), &raw, None).await {
                Ok(saved) => saved,
                Err(AppError::Rejected(_)) => return see_other(page(&token, "")),
                Err(e) => return refused(e),
            };
            let query = match action.as_str() {
                "save" => format!("section={index}&saved=1"),
                "back" => match walk.sections.iter().rev().find(|s| **s < index) {
                    Some(prev) => format!("section={prev}"),
                    None => format!("section={index}"),
                },
                "review" => "review=1".to_string(),
                _ => next_after(&walk, index, &shown, &r.survey.definition),
            };
            // The interface follows the survey's language where it has it.
            let lang = r
                .draft
                .as_ref()
                .map(|d| d.language.as_str())
                .unwrap_or_default();
            see_other(page(
                &token,
                &format!("{query}&lang={}", crate::routes::urlencode(lang)),
            ))
        }
        "submit" => match service::submit(db, &token).await {
            Ok(done) => {
                let mut res = see_other(format!(
                    "{}?submitted=1",
                    crate::routes::survey_copy(&done.receipt)
                ));
                if done.one_per_browser {
                    let secure = if state.settings.cookies_secure() {
                        "; Secure"
                    } else {
                        ""
                    };
                    let cookie = format!(
                        "{}=1; Path=/s; Max-Age=31536000; HttpOnly; SameSite=Lax{secure}",
                        answered_cookie(done.survey_id)
                    );
                    if let Ok(v) = HeaderValue::from_str(&cookie) {
                        res.headers_mut().append(header::SET_COOKIE, v);
                    }
                }
                res
            }
            Err(AppError::Invalid(_)) => {
                // Back to the first section with a problem, problems shown.
                match service::respondent(db, &token).await {
                    Ok(r) => {
                        let walk = r.walk();
                        let first = walk
                            .sections
                            .iter()
                            .find(|i| !walk.errors_in(&r.survey.definition, **i).is_empty())
                            .copied()
                            .unwrap_or(0);
                        let lang = r
                            .draft
                            .as_ref()
                            .map(|d| d.language.clone())
                            .unwrap_or_default();
                        see_other(page(
                            &token,
                            &format!(
                                "section={first}&check=1&lang={}",
                                crate::routes::urlencode(&lang)
                            ),
                        ))
                    }
                    Err(e) => refused(e),
                }
            }
            Err(AppError::Rejected(_)) => see_other(page(&token, "")),
            Err(e) => refused(e),
        },
        _ => refused(AppError::Transport("unknown action".into())),
    }
}

/// Where "Next" leads from section `index`: back to it with the problems shown, back to it
/// when the answers made more of its questions appear (without JavaScript they could not
/// appear at once), or the next section shown, or the review.
fn next_after(
    walk: &answers::Walk,
    index: usize,
    shown_before: &[String],
    def: &super::model::Definition,
) -> String {
    let codes: Vec<&str> = def
        .sections
        .get(index)
        .map(|s| s.questions.iter().map(|q| q.code.as_str()).collect())
        .unwrap_or_default();
    // Problems of the questions the respondent saw; a question that only now appeared is not
    // a problem yet.
    let seen_problem = walk
        .errors
        .iter()
        .any(|e| codes.contains(&e.question.as_str()) && shown_before.contains(&e.question));
    if seen_problem {
        return format!("section={index}&check=1");
    }
    let appeared = codes
        .iter()
        .any(|code| walk.is_shown(code) && !shown_before.iter().any(|s| s == code));
    if appeared {
        return format!("section={index}&more=1");
    }
    match walk.sections.iter().find(|s| **s > index) {
        Some(next) => format!("section={next}"),
        None => "review=1".to_string(),
    }
}

async fn copy_csv(State(state): State<AppState>, Path(receipt): Path<String>) -> Response {
    let (survey, response) = match service::by_receipt(&state.db, &receipt).await {
        Ok(found) => found,
        Err(e) => return refused(e),
    };
    let view = super::view::copy(&survey, &response);
    let mut writer = csv::Writer::from_writer(Vec::new());
    let neutral = crate::spreadsheet::neutralise;
    let mut ok = writer
        .write_record(["section", "code", "question", "answer"])
        .is_ok();
    for s in &view.sections {
        for l in &s.lines {
            ok &= writer
                .write_record([
                    neutral(&s.title).as_ref(),
                    neutral(&l.code).as_ref(),
                    neutral(&l.question).as_ref(),
                    neutral(&l.answer).as_ref(),
                ])
                .is_ok();
        }
    }
    let body = match (ok, writer.into_inner()) {
        (true, Ok(body)) => body,
        _ => return refused(AppError::Internal),
    };
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"survey-{}-my-answers.csv\"",
                    survey.id
                ),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_named_cookie_counts() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; rt_survey_12=1"),
        );
        assert!(has_cookie(&h, "rt_survey_12"));
        assert!(!has_cookie(&h, "rt_survey_1"));
    }
}

//! What the answering pages show, by link: the start page (language, introduction), one
//! section of questions, the review before submitting, and the copy kept after. The answers
//! themselves are posted as plain forms to the answering route (`surveys::answering`), which
//! works the same with and without JavaScript.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::surveys::model::answers::{Problem, Raw};
use crate::surveys::model::{Condition, Section};

/// Why a link cannot be answered now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Unavailable {
    /// This personal link has been used.
    Answered,
    NotYetOpen,
    Closed,
}

/// One question's problem, at its form field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShownError {
    pub field: String,
    pub question: String,
    pub problem: Problem,
}

/// A section's page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectionPage {
    /// The section's index in the survey.
    pub index: usize,
    /// Its place among the sections shown (1-based), and how many are shown.
    pub position: usize,
    pub total: usize,
    pub section: Section,
    /// Questions of the section shown now (by the answers so far).
    pub shown: Vec<String>,
    /// What the respondent gave so far (the form's values).
    pub raw: Raw,
    /// Problems to show (after "Next" or "Submit" found some).
    pub errors: Vec<ShownError>,
    /// For the browser: questions of this section whose condition reads answers, with the
    /// condition, and the saved answers of earlier sections those conditions read.
    pub rules: Vec<(String, Condition)>,
    pub earlier: Vec<(String, Vec<String>)>,
}

/// One answered question on the review page or the copy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewLine {
    pub code: String,
    pub question: String,
    /// The answer in words; empty when not answered.
    pub answer: String,
}

/// A section on the review page or the copy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewSection {
    pub index: usize,
    pub title: String,
    pub lines: Vec<ReviewLine>,
    /// The section has problems (the review links back to it).
    pub has_errors: bool,
}

/// Where the respondent is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Step {
    /// Not started: choose a language and start.
    Start,
    Section(SectionPage),
    Review(Vec<ReviewSection>),
    Unavailable(Unavailable),
}

/// The answering page of one link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnswerView {
    pub token: String,
    /// The survey's language shown.
    pub language: String,
    pub default_language: String,
    pub languages: Vec<String>,
    pub title: String,
    pub intro: String,
    pub anonymous: bool,
    pub closes_on: Option<String>,
    /// An admin's preview: the forms do not post.
    pub preview: bool,
    pub step: Step,
}

/// The copy of a submitted response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CopyView {
    pub title: String,
    pub language: String,
    pub submitted_on: String,
    pub sections: Vec<ReviewSection>,
}

/// The page of link `token`: `section` (an index) or the `review`; `check` shows the
/// problems of the saved answers. Anyone holding the link may call it: the token is the
/// credential (unknown tokens are `NotFound`).
#[server(endpoint = "survey_answer_view")]
pub async fn load_answer_page(
    token: String,
    #[server(default)] section: Option<usize>,
    #[server(default)] review: bool,
    #[server(default)] check: bool,
    #[server(default)] language: String,
) -> Result<AnswerView, AppError> {
    let _anyone = crate::context::public_caller();
    let db = crate::context::db()?;
    let r = crate::surveys::service::respondent(&db, &token).await?;
    Ok(super::super::view::answer_view(
        &r, section, review, check, &language,
    ))
}

/// An admin's preview of a survey (any status), exactly as a respondent sees it, without
/// saving anything.
#[server(endpoint = "survey_preview_view")]
pub async fn load_preview(
    id: i64,
    #[server(default)] section: Option<usize>,
    #[server(default)] language: String,
) -> Result<AnswerView, AppError> {
    let caller = crate::context::caller();
    crate::surveys::policy::may_manage(caller.as_ref())?;
    let db = crate::context::db()?;
    let survey = crate::surveys::repo::get(&mut *db.conn().await?, id).await?;
    Ok(super::super::view::preview(&survey, section, &language))
}

/// The copy of the response whose receipt is `receipt` (the receipt is the credential).
#[server(endpoint = "survey_copy_view")]
pub async fn load_copy(receipt: String) -> Result<CopyView, AppError> {
    let _anyone = crate::context::public_caller();
    let db = crate::context::db()?;
    let (survey, response) = crate::surveys::service::by_receipt(&db, &receipt).await?;
    Ok(super::super::view::copy(&survey, &response))
}

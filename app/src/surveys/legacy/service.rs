//! Legacy imports on the database: the dry run ([`prepare`]: the plan, with the countries
//! checked against the database) and the import ([`import_responses`]: admins only, one
//! transaction, one audit entry).
//!
//! **Which surveys.** Open and closed surveys take imports; drafts do not. Past results
//! usually go into a closed survey (close a draft directly: it then shows its results without
//! ever taking answers), and paper answers can join an open one. A draft is refused because
//! its questions are still being built, and answers lock them (answered questions can no
//! longer be deleted or change kind), while a survey with responses cannot go back to draft.

use super::{Plan, Problem};
use crate::audit::{
    model::AuditEvent,
    repo::{Actor, AuditedTx},
};
use crate::auth::token;
use crate::caller::CurrentUser;
use crate::clock;
use crate::db::Db;
use crate::error::AppError;
use crate::i18n::*;
use crate::lang::Locale;
use crate::spreadsheet::grid::{column_letters, Workbook};
use crate::surveys::model::{Survey, SurveyStatus};
use crate::surveys::policy;
use crate::surveys::repo::{self, ImportedResponse};

fn refuse_draft(survey: &Survey, locale: Locale) -> Result<(), AppError> {
    if survey.status == SurveyStatus::Draft {
        return Err(AppError::Rejected(
            td_string!(locale, imports.legacy_draft).to_string(),
        ));
    }
    Ok(())
}

/// The dry run: reads `wb` for survey `survey_id` and checks the countries it names. `Ok(Err)`
/// lists the file's problems (nothing can be imported); `Ok(Ok(plan))` is what
/// [`import_responses`] would write. `plan` is CPU work (about a second for 50,000 rows): a
/// caller on a busy server may run this on a blocking thread.
pub async fn prepare(
    db: &Db,
    admin: &CurrentUser,
    survey_id: i64,
    wb: &Workbook,
    locale: Locale,
) -> Result<Result<Plan, Vec<Problem>>, AppError> {
    policy::may_manage(Some(admin))?;
    let mut c = db.conn().await?;
    let survey = repo::get(&mut c, survey_id).await?;
    refuse_draft(&survey, locale)?;
    let plan = match super::plan(&survey.definition, wb, locale) {
        Ok(plan) => plan,
        Err(problems) => return Ok(Err(problems)),
    };
    let known = crate::countries::repo::list(&mut c).await?;
    Ok(plan.countries(&known, locale).map(|_| plan))
}

/// Imports the plan's responses into survey `survey_id`, all or nothing; returns how many.
/// Messages in the language of the current request (English outside one).
pub async fn import_responses(
    db: &Db,
    admin: &CurrentUser,
    ip: &str,
    survey_id: i64,
    plan: &Plan,
) -> Result<usize, AppError> {
    let locale = crate::lang::use_locale();
    import_responses_with_progress(db, admin, ip, survey_id, plan, locale, &|_| {}).await
}

/// [`import_responses`], telling `progress` how many responses are written so far (every
/// [`repo::IMPORT_BATCH`] rows; they are committed together at the end), for a progress bar.
///
/// In one transaction: the survey is read again (and on PostgreSQL locked), must not be a
/// draft and must have the questions the plan was checked against (`Conflict` otherwise: check
/// the file again); the countries are checked; the responses are inserted in multi-row batches;
/// one audit entry records the import.
pub async fn import_responses_with_progress(
    db: &Db,
    admin: &CurrentUser,
    ip: &str,
    survey_id: i64,
    plan: &Plan,
    locale: Locale,
    progress: &(dyn Fn(usize) + Send + Sync),
) -> Result<usize, AppError> {
    policy::may_manage(Some(admin))?;
    if plan.rows.is_empty() {
        return Err(AppError::Rejected(
            td_string!(locale, imports.legacy_nothing).to_string(),
        ));
    }
    let mut w = AuditedTx::begin(db, Actor::of(admin, ip)).await?;
    let survey = repo::get_locked(&mut w.tx, db.engine, survey_id).await?;
    refuse_draft(&survey, locale)?;
    if survey.definition != plan.definition {
        return Err(AppError::Conflict {
            message: td_string!(locale, imports.legacy_changed).to_string(),
            current: vec![],
            version: Some(survey.version),
        });
    }
    let known = crate::countries::repo::list(&mut w.tx).await?;
    let countries = plan.countries(&known, locale).map_err(|problems| {
        let mut cells: Vec<String> = problems
            .iter()
            .filter_map(|p| p.place.as_ref())
            .take(5)
            .map(|p| match (p.column, p.row) {
                (Some(c), Some(r)) => format!("{}{r}", column_letters(c)),
                (_, Some(r)) => r.to_string(),
                _ => p.sheet.clone(),
            })
            .collect();
        if problems.len() > cells.len() {
            cells.push("…".into());
        }
        AppError::Rejected(
            td_string!(
                locale,
                imports.legacy_countries_refused,
                places = cells.join(", ")
            )
            .to_string(),
        )
    })?;
    let today = clock::today();
    let rows: Vec<ImportedResponse> = plan
        .rows
        .iter()
        .zip(&countries)
        .map(|(r, country)| ImportedResponse {
            country: country.as_deref(),
            member_type: r.member_type.as_deref(),
            language: &r.language,
            answers: &r.answers,
            receipt_hash: token::digest(&token::generate()),
            submitted_on: r.submitted_on.as_deref().unwrap_or(&today),
        })
        .collect();
    let mut done = 0;
    for batch in rows.chunks(repo::IMPORT_BATCH) {
        repo::insert_imported(&mut w.tx, db.engine, survey_id, batch).await?;
        done += batch.len();
        progress(done);
    }
    w.commit(
        AuditEvent::SurveyResponsesImported,
        format!("survey:{survey_id}"),
        Some(format!("{done} responses from sheet \"{}\"", plan.sheet)),
    )
    .await?;
    Ok(done)
}

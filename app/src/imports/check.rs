//! Checking an uploaded file for what it is for, without writing anything: read safely
//! (off the request threads), then checked as a progress workbook, an XLSForm or past
//! responses. The result is the dry run the page shows and what applying would write.

use std::collections::HashMap;

use super::model::{ChangeGroup, ChangeLine, Preview};
use super::service::Target;
use crate::caller::CurrentUser;
use crate::db::Db;
use crate::error::AppError;
use crate::i18n::*;
use crate::lang::{format, Locale};
use crate::progress::service::{self as progress, Scope};
use crate::progress::template::{preview, read as template};
use crate::spreadsheet::grid::{Problem, Workbook};
use crate::spreadsheet::read::{self as reader, Limits};
use crate::surveys::legacy;
use crate::surveys::model::Definition;
use crate::surveys::xlsform;

/// What applying a checked file writes.
pub(super) enum Payload {
    Nothing,
    Reports(Vec<preview::Plan>),
    Survey(Box<xlsform::Imported>),
    /// Past responses: applying reads the file again and writes it as it checks it
    /// (`legacy::service::import_file`).
    Responses,
}

/// What checking a file found: the dry run, and what applying would write.
pub(super) struct Checked {
    pub preview: Preview,
    pub payload: Payload,
}

pub(super) fn problems(problems: Vec<Problem>, notices: Vec<Problem>, locale: Locale) -> Checked {
    let summary = td_string!(locale, imports.summary_problems, count = problems.len()).to_string();
    Checked {
        preview: Preview {
            problems,
            notices,
            summary,
            ..Preview::default()
        },
        payload: Payload::Nothing,
    }
}

/// Reads and checks `bytes` for `target` as `user`.
pub(super) async fn check(
    db: &Db,
    user: &CurrentUser,
    target: &Target,
    bytes: &[u8],
    locale: Locale,
) -> Result<Checked, AppError> {
    // Reading is CPU work (a second for a large file): off the request threads.
    let owned = bytes.to_vec();
    let read =
        tokio::task::spawn_blocking(move || reader::read(&owned, &Limits::default(), locale))
            .await
            .map_err(|_| AppError::Internal)?;
    let read = match read {
        Ok(read) => read,
        Err(found) => return Ok(problems(found, vec![], locale)),
    };
    let wb = &read.workbook;
    let mut checked = match target {
        Target::Progress { country, period } => {
            check_reports(db, user, Scope::Country(country), *period, wb, locale).await?
        }
        Target::Bulk { period } => {
            check_reports(db, user, Scope::Bulk, *period, wb, locale).await?
        }
        Target::Xlsform => check_xlsform(wb, locale),
        Target::Responses { survey } => check_responses(db, user, *survey, wb, locale).await?,
    };
    checked.preview.notices.splice(0..0, read.notices);
    Ok(checked)
}

/// A section's or question's text in the survey's default language.
pub(super) fn text_of(def: &Definition, text: &crate::surveys::model::Text) -> String {
    text.get(&def.default_language, &def.default_language)
        .to_string()
}

/// An XLSForm's dry run: the new survey, section by section, question by question.
fn check_xlsform(wb: &Workbook, locale: Locale) -> Checked {
    let imported = match xlsform::from_workbook(wb, locale) {
        Ok(imported) => imported,
        Err(found) => return problems(found, vec![], locale),
    };
    let def = &imported.definition;
    let groups: Vec<ChangeGroup> = def
        .sections
        .iter()
        .map(|section| {
            let title = text_of(def, &section.title);
            ChangeGroup {
                title: if title.is_empty() {
                    section.code.clone()
                } else {
                    title
                },
                lines: section
                    .questions
                    .iter()
                    .map(|q| ChangeLine {
                        field: q.code.clone(),
                        old: None,
                        new: Some(
                            td_string!(
                                locale,
                                imports.xlsform_question,
                                kind = crate::surveys::pages::builder::kind_label(
                                    locale,
                                    q.kind.name()
                                ),
                                text = text_of(def, &q.text)
                            )
                            .to_string(),
                        ),
                    })
                    .collect(),
            }
        })
        .collect();
    let questions = def.questions().count();
    let languages = def
        .languages
        .iter()
        .map(|l| crate::surveys::model::definition::language_name(l).to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let summary = td_string!(
        locale,
        imports.xlsform_summary,
        title = &imported.title,
        questions = questions,
        sections = def.sections.len(),
        languages = languages
    )
    .to_string();
    Checked {
        preview: Preview {
            groups,
            notices: imported.notices.clone(),
            summary,
            records: questions,
            ..Preview::default()
        },
        payload: Payload::Survey(Box::new(imported)),
    }
}

/// Past responses' dry run: how many responses, and how many answers per question.
async fn check_responses(
    db: &Db,
    user: &CurrentUser,
    survey_id: i64,
    wb: &Workbook,
    locale: Locale,
) -> Result<Checked, AppError> {
    let plan = match legacy::service::prepare(db, user, survey_id, wb, locale).await? {
        Ok(plan) => plan,
        Err(found) => return Ok(problems(found, vec![], locale)),
    };
    let survey = crate::surveys::repo::get(&mut *db.conn().await?, survey_id).await?;
    let def = &survey.definition;
    let count = plan.rows.len();
    let mut answered: HashMap<&str, usize> = HashMap::new();
    for row in &plan.rows {
        for code in row.answers.keys() {
            *answered.entry(code.as_str()).or_default() += 1;
        }
    }
    let number = |n: usize| format::number(locale, &n.to_string());
    let mut groups = vec![ChangeGroup {
        title: td_string!(locale, imports.responses_group).to_string(),
        lines: vec![ChangeLine {
            field: td_string!(locale, imports.responses_field).to_string(),
            old: Some(number(survey.responses as usize)),
            new: Some(number(survey.responses as usize + count)),
        }],
    }];
    groups.push(ChangeGroup {
        title: td_string!(locale, imports.answers_group).to_string(),
        lines: def
            .questions()
            .filter_map(|q| {
                let n = answered.get(q.code.as_str()).copied()?;
                Some(ChangeLine {
                    field: format!("{} — {}", q.code, text_of(def, &q.text)),
                    old: None,
                    new: Some(
                        td_string!(locale, imports.answers_count, count = number(n)).to_string(),
                    ),
                })
            })
            .collect(),
    });
    let summary = td_string!(
        locale,
        imports.responses_summary,
        count = number(count),
        survey = text_of(def, &def.title),
        now = number(survey.responses as usize)
    )
    .to_string();
    Ok(Checked {
        preview: Preview {
            groups,
            notices: plan.notices.clone(),
            summary,
            records: count,
            ..Preview::default()
        },
        payload: Payload::Responses,
    })
}

async fn check_reports(
    db: &Db,
    user: &CurrentUser,
    scope: Scope<'_>,
    period: i64,
    wb: &Workbook,
    locale: Locale,
) -> Result<Checked, AppError> {
    let (_, current, active) = progress::current_reports(db, user, scope, period, locale).await?;
    let numbers: Vec<i64> = current
        .first()
        .map(|c| c.entries.iter().map(|e| e.0).collect())
        .unwrap_or_default();
    let expected = template::Expected {
        period_id: period,
        country: match scope {
            Scope::Country(iso2) => Some(iso2),
            Scope::Bulk => None,
        },
        recommendations: &numbers,
        indicators: &active,
    };
    let uploaded = match template::read(wb, &expected, locale) {
        Ok(u) => u,
        Err(found) => return Ok(problems(found, vec![], locale)),
    };
    let (preview, plans) = preview::preview(
        &uploaded,
        &current,
        &active,
        &crate::clock::latest_as_of(),
        scope == Scope::Bulk,
        locale,
    );
    Ok(Checked {
        preview,
        payload: Payload::Reports(plans),
    })
}

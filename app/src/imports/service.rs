//! The import flow, whatever the file is for: upload (the caller checked against what the
//! file is for, the file read safely, checked, its dry run kept with it), the dry run shown to
//! the person who uploaded it only, then applied all or nothing — or discarded. Applying reads
//! the kept file again and checks everything again: what was true at upload may not be now.

use serde::{Deserialize, Serialize};

use super::model::{ImportKind, ImportState, ImportView, Preview};
use super::repo::{self, ImportRow, NewImport};
use crate::caller::CurrentUser;
use crate::db::Db;
use crate::error::AppError;
use crate::i18n::*;
use crate::lang::{format, Locale};
use crate::progress::service::{self as progress, Scope};
use crate::progress::template::{preview, read as template};
use crate::spreadsheet::grid::{Problem, Workbook};
use crate::spreadsheet::read::{self as reader, Limits};

/// The largest file accepted.
pub const MAX_FILE_BYTES: usize = super::model::MAX_FILE_MB * 1024 * 1024;

/// What an uploaded file is for (kept with it as JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Target {
    /// One country's report (its focal points).
    Progress { country: String, period: i64 },
    /// Every country's report for a period (admins).
    Bulk { period: i64 },
}

impl Target {
    pub fn kind(&self) -> ImportKind {
        match self {
            Target::Progress { .. } => ImportKind::Progress,
            Target::Bulk { .. } => ImportKind::Bulk,
        }
    }

    /// Refuses a caller who may not import into this.
    pub fn authorize(&self, user: &CurrentUser) -> Result<(), AppError> {
        match self {
            Target::Progress { country, .. } => {
                progress::require_scope(user, Scope::Country(country))
            }
            Target::Bulk { .. } => progress::require_scope(user, Scope::Bulk),
        }
    }

    /// Where the person goes back to.
    pub fn back(&self) -> String {
        match self {
            Target::Progress { country, period } => crate::routes::report(country, *period),
            Target::Bulk { period } => crate::routes::period(*period),
        }
    }
}

/// The file as the person uploaded it: its bytes, or `None` when it was over the limit.
pub struct Upload {
    pub file_name: String,
    pub bytes: Option<Vec<u8>>,
}

/// What checking a file found: the dry run, and (for applying) whether it can be applied.
struct Checked {
    preview: Preview,
    plans: Vec<preview::Plan>,
}

fn problems(problems: Vec<Problem>, notices: Vec<Problem>, locale: Locale) -> Checked {
    let summary = td_string!(locale, imports.summary_problems, count = problems.len()).to_string();
    Checked {
        preview: Preview {
            problems,
            notices,
            summary,
            ..Preview::default()
        },
        plans: vec![],
    }
}

/// Reads and checks `bytes` for `target` as `user`.
async fn check(
    db: &Db,
    user: &CurrentUser,
    target: &Target,
    bytes: &[u8],
    locale: Locale,
) -> Result<Checked, AppError> {
    let read = match reader::read(bytes, &Limits::default(), locale) {
        Ok(read) => read,
        Err(found) => return Ok(problems(found, vec![], locale)),
    };
    let (scope, period) = match target {
        Target::Progress { country, period } => (Scope::Country(country), *period),
        Target::Bulk { period } => (Scope::Bulk, *period),
    };
    let mut checked = check_reports(db, user, scope, period, &read.workbook, locale).await?;
    checked.preview.notices.splice(0..0, read.notices);
    Ok(checked)
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
        &crate::clock::today(),
        scope == Scope::Bulk,
        locale,
    );
    Ok(Checked { preview, plans })
}

/// The dry run of a file for `target`, kept nowhere (the command line's `--dry-run`).
pub async fn dry_run(
    db: &Db,
    user: &CurrentUser,
    target: &Target,
    bytes: &[u8],
    locale: Locale,
) -> Result<Preview, AppError> {
    target.authorize(user)?;
    Ok(check(db, user, target, bytes, locale).await?.preview)
}

/// Keeps an uploaded file for `target` with its dry run, and returns the import's id. The
/// caller is checked first; a file that cannot be read is kept as a dry run that lists why
/// (nothing can be applied from it).
pub async fn upload(
    db: &Db,
    user: &CurrentUser,
    target: &Target,
    upload: &Upload,
    locale: Locale,
) -> Result<i64, AppError> {
    target.authorize(user)?;
    let checked = match &upload.bytes {
        Some(bytes) => check(db, user, target, bytes, locale).await?,
        None => problems(
            vec![Problem::file(td_string!(
                locale,
                imports.too_big,
                limit = super::model::MAX_FILE_MB
            ))],
            vec![],
            locale,
        ),
    };
    let scope = serde_json::to_string(target).map_err(|_| AppError::Internal)?;
    let mut c = db.conn().await?;
    let week_ago =
        crate::clock::format_timestamp(time::OffsetDateTime::now_utc() - time::Duration::days(7));
    repo::prune(&mut c, &week_ago).await?;
    repo::insert(
        &mut c,
        &NewImport {
            kind: target.kind(),
            scope: &scope,
            file_name: &upload.file_name,
            content: upload.bytes.as_deref().unwrap_or_default(),
            preview: &checked.preview,
            created_by: user.id,
        },
    )
    .await
}

/// An import, for the person who uploaded it only.
async fn own(db: &Db, user: &CurrentUser, id: i64) -> Result<(ImportRow, Target), AppError> {
    let row = repo::get(&mut *db.conn().await?, id).await?;
    if row.created_by != user.id {
        return Err(AppError::Forbidden);
    }
    let target: Target = serde_json::from_str(&row.scope).map_err(|_| AppError::Internal)?;
    target.authorize(user)?;
    Ok((row, target))
}

/// What the import's page shows, in `locale`.
pub async fn view(
    db: &Db,
    user: &CurrentUser,
    id: i64,
    locale: Locale,
) -> Result<ImportView, AppError> {
    let (row, target) = own(db, user, id).await?;
    let target_text = match &target {
        Target::Progress { country, period } => {
            let mut c = db.conn().await?;
            let country_row = crate::countries::repo::get(&mut c, country).await?;
            let period = crate::periods::repo::get(&mut c, *period).await?;
            td_string!(
                locale,
                imports.target_progress,
                country = format::country_name_or(locale, &country_row.iso2, &country_row.name),
                period = &period.name
            )
            .to_string()
        }
        Target::Bulk { period } => {
            let period = crate::periods::repo::get(&mut *db.conn().await?, *period).await?;
            td_string!(locale, imports.target_bulk, period = &period.name).to_string()
        }
    };
    Ok(ImportView {
        id: row.id,
        kind: row.kind,
        state: row.state,
        target: target_text,
        file_name: row.file_name,
        created_at: row.created_at,
        preview: row.preview,
        done: row.done,
        total: row.total,
        outcome: row.outcome,
        back: target.back(),
    })
}

/// Applies a checked import: the file read and checked again, then written all or nothing.
/// Whatever happens is kept with the import for its page (refusals too: nothing was
/// written).
pub async fn apply(
    db: &Db,
    user: &CurrentUser,
    ip: &str,
    id: i64,
    locale: Locale,
) -> Result<ImportState, AppError> {
    let (row, target) = own(db, user, id).await?;
    if row.state != ImportState::Checked {
        return Ok(row.state);
    }
    let bytes = repo::content(&mut *db.conn().await?, id).await?;
    let checked = check(db, user, &target, &bytes, locale).await?;
    let result = if !checked.preview.can_apply() {
        Err(AppError::Rejected(checked.preview.summary.clone()))
    } else {
        match &target {
            Target::Progress { country, period } => {
                progress::apply_plans(
                    db,
                    user,
                    ip,
                    Scope::Country(country),
                    *period,
                    &checked.plans,
                    &row.file_name,
                    locale,
                )
                .await
            }
            Target::Bulk { period } => {
                progress::apply_plans(
                    db,
                    user,
                    ip,
                    Scope::Bulk,
                    *period,
                    &checked.plans,
                    &row.file_name,
                    locale,
                )
                .await
            }
        }
    };
    let mut c = db.conn().await?;
    match result {
        Ok(_) => {
            let outcome =
                td_string!(locale, imports.applied, summary = &checked.preview.summary).to_string();
            repo::set_state(
                &mut c,
                id,
                ImportState::Checked,
                ImportState::Applied,
                Some(&outcome),
            )
            .await?;
            Ok(ImportState::Applied)
        }
        Err(AppError::Internal) => Err(AppError::Internal),
        Err(e) => {
            let mut outcome = e.message(locale);
            if let AppError::Conflict { current, .. } = &e {
                for line in current {
                    outcome.push('\n');
                    outcome.push_str(line);
                }
            }
            repo::set_state(
                &mut c,
                id,
                ImportState::Checked,
                ImportState::Failed,
                Some(&outcome),
            )
            .await?;
            Ok(ImportState::Failed)
        }
    }
}

/// Discards a checked import (its file is forgotten with it).
pub async fn discard(db: &Db, user: &CurrentUser, id: i64) -> Result<(), AppError> {
    let (row, _) = own(db, user, id).await?;
    if row.state == ImportState::Checked {
        let mut c = db.conn().await?;
        if repo::set_state(
            &mut c,
            id,
            ImportState::Checked,
            ImportState::Discarded,
            None,
        )
        .await?
        {
            repo::forget(&mut c, id).await?;
        }
    }
    Ok(())
}

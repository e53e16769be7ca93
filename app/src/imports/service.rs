//! The import flow, whatever the file is for: upload (the caller checked against what the
//! file is for, the file read safely, checked, its dry run kept with it), the dry run shown to
//! the person who uploaded it only, then applied all or nothing — or discarded. Applying reads
//! the kept file again and checks everything again: what was true at upload may not be now.
//!
//! Long imports (past survey responses: tens of thousands of rows) are applied in the
//! background from the page ([`apply_from_page`]): the import moves to "applying" at once, its
//! page refreshes itself and shows how many rows are written (kept in memory on the instance
//! that writes, and in the database on PostgreSQL, so every instance behind the load balancer
//! shows it), then what applying did. The command line applies in the foreground.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use serde::{Deserialize, Serialize};

use super::check::{check, problems, text_of, Checked, Payload};
use super::model::{ImportKind, ImportState, ImportView, Preview};
use super::repo::{self, ImportRow, NewImport};
use crate::caller::CurrentUser;
use crate::db::{Db, Engine};
use crate::error::AppError;
use crate::i18n::*;
use crate::lang::{format, Locale};
use crate::progress::service::{self as progress, Scope};
use crate::spreadsheet::grid::Problem;
use crate::surveys::legacy;
use crate::surveys::xlsform;

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
    /// A new draft survey from an XLSForm (admins).
    Xlsform,
    /// Past responses into a survey (admins).
    Responses { survey: i64 },
}

impl Target {
    pub fn kind(&self) -> ImportKind {
        match self {
            Target::Progress { .. } => ImportKind::Progress,
            Target::Bulk { .. } => ImportKind::Bulk,
            Target::Xlsform => ImportKind::Xlsform,
            Target::Responses { .. } => ImportKind::Responses,
        }
    }

    /// Refuses a caller who may not import into this.
    pub fn authorize(&self, user: &CurrentUser) -> Result<(), AppError> {
        match self {
            Target::Progress { country, .. } => {
                progress::require_scope(user, Scope::Country(country))
            }
            Target::Bulk { .. } => progress::require_scope(user, Scope::Bulk),
            Target::Xlsform | Target::Responses { .. } => {
                crate::surveys::policy::may_manage(Some(user))
            }
        }
    }

    /// Where the person goes back to.
    pub fn back(&self) -> String {
        match self {
            Target::Progress { country, period } => crate::routes::report(country, *period),
            Target::Bulk { period } => crate::routes::period(*period),
            Target::Xlsform => crate::routes::ADMIN_SURVEYS.to_string(),
            Target::Responses { survey } => crate::routes::admin_survey(*survey),
        }
    }

    /// Applied in the background from the page (long: the page shows its progress).
    fn is_long(&self) -> bool {
        matches!(self, Target::Responses { .. })
    }
}

/// The file as the person uploaded it: its bytes, or `None` when it was over the limit.
pub struct Upload {
    pub file_name: String,
    pub bytes: Option<Vec<u8>>,
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
        Target::Xlsform => td_string!(locale, imports.target_xlsform).to_string(),
        Target::Responses { survey } => {
            let survey = crate::surveys::repo::get(&mut *db.conn().await?, *survey).await?;
            let def = &survey.definition;
            td_string!(
                locale,
                imports.target_responses,
                survey = text_of(def, &def.title)
            )
            .to_string()
        }
    };
    let done = match row.state {
        ImportState::Applying => progress_of(row.id).map_or(row.done, |d| d.max(row.done)),
        _ => row.done,
    };
    let created = match (&target, row.created_id) {
        (Target::Xlsform, Some(survey)) => Some(crate::routes::admin_survey(survey)),
        _ => None,
    };
    Ok(ImportView {
        id: row.id,
        kind: row.kind,
        state: row.state,
        target: target_text,
        file_name: row.file_name,
        created_at: row.created_at,
        preview: row.preview,
        done,
        total: row.total,
        outcome: row.outcome,
        back: target.back(),
        created,
    })
}

/// Rows written so far by the imports being applied on this instance.
static PROGRESS: LazyLock<Mutex<HashMap<i64, i64>>> = LazyLock::new(Default::default);

fn progress_of(id: i64) -> Option<i64> {
    PROGRESS.lock().ok()?.get(&id).copied()
}

fn set_progress_of(id: i64, done: Option<i64>) {
    if let Ok(mut map) = PROGRESS.lock() {
        match done {
            Some(done) => map.insert(id, done),
            None => map.remove(&id),
        };
    }
}

/// Moves a checked import to "applying"; `Err(state)` when it is not checked (applied,
/// discarded or being applied from another tab).
async fn begin(
    db: &Db,
    user: &CurrentUser,
    id: i64,
) -> Result<Result<(ImportRow, Target), ImportState>, AppError> {
    let (row, target) = own(db, user, id).await?;
    if row.state != ImportState::Checked {
        return Ok(Err(row.state));
    }
    let mut c = db.conn().await?;
    if !repo::set_state(
        &mut c,
        id,
        ImportState::Checked,
        ImportState::Applying,
        None,
    )
    .await?
    {
        return Ok(Err(repo::get(&mut c, id).await?.state));
    }
    repo::set_progress(&mut c, id, 0, row.preview.records as i64).await?;
    Ok(Ok((row, target)))
}

/// Writes what `checked` holds, all or nothing; returns what was created, if anything.
async fn write(
    db: &Db,
    user: &CurrentUser,
    ip: &str,
    row: &ImportRow,
    target: &Target,
    checked: Checked,
    locale: Locale,
) -> Result<Option<i64>, AppError> {
    let file_name = row.file_name.as_str();
    match (target, checked.payload) {
        (Target::Progress { country, period }, Payload::Reports(plans)) => {
            let scope = Scope::Country(country);
            progress::apply_plans(db, user, ip, scope, *period, &plans, file_name, locale).await?;
            Ok(None)
        }
        (Target::Bulk { period }, Payload::Reports(plans)) => {
            progress::apply_plans(
                db,
                user,
                ip,
                Scope::Bulk,
                *period,
                &plans,
                file_name,
                locale,
            )
            .await?;
            Ok(None)
        }
        (Target::Xlsform, Payload::Survey(imported)) => Ok(Some(
            xlsform::service::import_xlsform(db, user, ip, &imported).await?,
        )),
        _ => Err(AppError::Internal),
    }
}

/// Tells the page of import `id` how many of its `total` records are written so far: this
/// instance keeps it in memory; on PostgreSQL it is also written to the database for the other
/// instances (SQLite has one writer, the import's own transaction, and one instance).
fn reporter(db: &Db, id: i64, total: i64) -> impl Fn(usize) + Send + Sync {
    let postgres = db.engine == Engine::Postgres;
    let tracker = db.clone();
    move |done: usize| {
        set_progress_of(id, Some(done as i64));
        if postgres {
            let db = tracker.clone();
            tokio::spawn(async move {
                if let Ok(mut c) = db.conn().await {
                    let _ = repo::set_progress(&mut c, id, done as i64, total).await;
                }
            });
        }
    }
}

/// Applies an import moved to "applying" by [`begin`]: the file read and checked again, then
/// written all or nothing. Whatever happens is kept with the import for its page (refusals
/// too: nothing was written), and it never stays "applying".
async fn finish(
    db: &Db,
    user: &CurrentUser,
    ip: &str,
    row: ImportRow,
    target: Target,
    locale: Locale,
) -> Result<ImportState, AppError> {
    let id = row.id;
    let result = async {
        let bytes = repo::content(&mut *db.conn().await?, id).await?;
        if let Target::Responses { survey } = target {
            // Read, checked and written at once (see `import_file`).
            let report = reporter(db, id, row.preview.records as i64);
            let imported =
                legacy::service::import_file(db, user, ip, survey, bytes, locale, &report).await;
            set_progress_of(id, None);
            return match imported? {
                Ok(count) => Ok((
                    td_string!(
                        locale,
                        imports.responses_applied,
                        count = format::number(locale, &count.to_string())
                    )
                    .to_string(),
                    None,
                    count,
                )),
                Err(found) => Err(AppError::Rejected(
                    problems(found, vec![], locale).preview.summary,
                )),
            };
        }
        let checked = check(db, user, &target, &bytes, locale).await?;
        if !checked.preview.can_apply() {
            return Err(AppError::Rejected(checked.preview.summary.clone()));
        }
        let summary = checked.preview.summary.clone();
        let records = checked.preview.records;
        let title = match &checked.payload {
            Payload::Survey(imported) => imported.title.clone(),
            _ => String::new(),
        };
        let created = write(db, user, ip, &row, &target, checked, locale).await?;
        let outcome = match target {
            Target::Progress { .. } | Target::Bulk { .. } => {
                td_string!(locale, imports.applied, summary = &summary).to_string()
            }
            Target::Xlsform => {
                td_string!(locale, imports.xlsform_applied, title = &title).to_string()
            }
            // Imported above.
            Target::Responses { .. } => String::new(),
        };
        Ok((outcome, created, records))
    }
    .await;
    let mut c = db.conn().await?;
    match result {
        Ok((outcome, created, records)) => {
            if let Some(created) = created {
                repo::set_created(&mut c, id, created).await?;
            }
            repo::set_progress(&mut c, id, records as i64, records as i64).await?;
            repo::set_state(
                &mut c,
                id,
                ImportState::Applying,
                ImportState::Applied,
                Some(&outcome),
            )
            .await?;
            Ok(ImportState::Applied)
        }
        Err(e) => {
            if e == AppError::Internal {
                tracing::error!("import {id} could not be applied");
            }
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
                ImportState::Applying,
                ImportState::Failed,
                Some(&outcome),
            )
            .await?;
            Ok(ImportState::Failed)
        }
    }
}

/// Applies a checked import in the foreground (the command line): the file read and checked
/// again, then written all or nothing. Returns the import's state after.
pub async fn apply(
    db: &Db,
    user: &CurrentUser,
    ip: &str,
    id: i64,
    locale: Locale,
) -> Result<ImportState, AppError> {
    match begin(db, user, id).await? {
        Ok((row, target)) => finish(db, user, ip, row, target, locale).await,
        Err(state) => Ok(state),
    }
}

/// Applies a checked import from its page: long imports in the background (the page shows
/// their progress), the others at once.
pub async fn apply_from_page(
    db: &Db,
    user: &CurrentUser,
    ip: &str,
    id: i64,
    locale: Locale,
) -> Result<ImportState, AppError> {
    let (row, target) = match begin(db, user, id).await? {
        Ok(begun) => begun,
        Err(state) => return Ok(state),
    };
    if !target.is_long() {
        return finish(db, user, ip, row, target, locale).await;
    }
    let (db, user, ip) = (db.clone(), user.clone(), ip.to_string());
    tokio::spawn(async move {
        if let Err(e) = finish(&db, &user, &ip, row, target, locale).await {
            tracing::error!("import {id}: {e:?}");
        }
    });
    Ok(ImportState::Applying)
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

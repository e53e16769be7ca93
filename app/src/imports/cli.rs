//! The imports from the command line (`server import …`), for scripting and bulk work: the
//! same reading, checks, dry run and all-or-nothing apply as the pages, acting as an
//! existing account (`--as`), whose rights are checked as on the pages. The report printed is
//! the page's: the changes, then every problem by sheet, row and column.

use std::fmt::Write;

use super::model::{ImportState, Preview};
use super::service::{self, Target, Upload};
use crate::caller::{CurrentUser, Role};
use crate::db::Db;
use crate::error::AppError;
use crate::lang::Locale;
use crate::spreadsheet::read::{self as reader, Limits};

/// What the command printed, and whether it succeeded (the exit code).
pub struct Outcome {
    pub text: String,
    pub ok: bool,
}

/// The account `email` as a signed-in user.
pub async fn account(db: &Db, email: &str) -> Result<CurrentUser, String> {
    let mut c = db.conn().await.map_err(|e| e.to_string())?;
    let id = crate::auth::repo::login_account(&mut c, &email.trim().to_lowercase())
        .await
        .map_err(|e| e.to_string())?
        .filter(|a| a.active)
        .ok_or_else(|| format!("no active account {email}"))?
        .id;
    crate::auth::repo::session_user(&mut c, id, "9999-12-31T23:59:59Z")
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("no active account {email}"))
}

/// The page's report as text.
pub fn report(preview: &Preview) -> String {
    let mut out = String::new();
    for group in &preview.groups {
        let _ = writeln!(out, "{}", group.title);
        for line in &group.lines {
            let _ = writeln!(
                out,
                "  {}: {} -> {}",
                line.field,
                line.old.as_deref().unwrap_or("(empty)"),
                line.new.as_deref().unwrap_or("(empty)")
            );
        }
    }
    for line in &preview.conflict {
        let _ = writeln!(out, "conflict: {line}");
    }
    for notice in &preview.notices {
        let _ = writeln!(out, "note: {notice}");
    }
    for problem in &preview.problems {
        let _ = writeln!(out, "error: {problem}");
    }
    let _ = writeln!(out, "{}", preview.summary);
    out
}

fn message(e: AppError) -> String {
    match e {
        AppError::Invalid(errors) => errors
            .iter()
            .map(|e| e.message.clone())
            .collect::<Vec<_>>()
            .join("\n"),
        other => other.message(Locale::en),
    }
}

/// The target of a progress workbook as `user` imports it: the secretariat's bulk import for
/// an admin, the country's report for its focal point.
fn progress_target(user: &CurrentUser, bytes: &[u8]) -> Result<Target, String> {
    let read = reader::read(bytes, &Limits::default(), Locale::en).map_err(|problems| {
        problems
            .iter()
            .map(|p| format!("error: {p}"))
            .collect::<Vec<_>>()
            .join("\n")
    })?;
    let identity = crate::progress::template::read::identity(&read.workbook, Locale::en)
        .map_err(|p| format!("error: {p}"))?;
    match (user.role, identity.reports.as_slice()) {
        (Role::Admin, _) => Ok(Target::Bulk {
            period: identity.period_id,
        }),
        (_, [(country, _)]) => Ok(Target::Progress {
            country: country.clone(),
            period: identity.period_id,
        }),
        _ => Err("error: this workbook holds several countries: only an admin imports it".into()),
    }
}

/// `server import progress FILE --as EMAIL [--dry-run]`.
pub async fn import_progress(
    db: &Db,
    email: &str,
    file_name: &str,
    bytes: Vec<u8>,
    dry_run: bool,
) -> Result<Outcome, String> {
    let user = account(db, email).await?;
    let target = progress_target(&user, &bytes)?;
    run(db, &user, &target, file_name, bytes, dry_run).await
}

/// `server import xlsform FILE --as EMAIL [--dry-run]`: a new draft survey (admins).
pub async fn import_xlsform(
    db: &Db,
    email: &str,
    file_name: &str,
    bytes: Vec<u8>,
    dry_run: bool,
) -> Result<Outcome, String> {
    let user = account(db, email).await?;
    run(db, &user, &Target::Xlsform, file_name, bytes, dry_run).await
}

/// `server import responses SURVEY FILE --as EMAIL [--dry-run]`: past responses into survey
/// SURVEY (its number, as in `/admin/surveys/{id}`; admins).
pub async fn import_responses(
    db: &Db,
    email: &str,
    survey: i64,
    file_name: &str,
    bytes: Vec<u8>,
    dry_run: bool,
) -> Result<Outcome, String> {
    let user = account(db, email).await?;
    run(
        db,
        &user,
        &Target::Responses { survey },
        file_name,
        bytes,
        dry_run,
    )
    .await
}

/// Checks (and without `dry_run`, applies) `bytes` for `target` as `user`.
pub async fn run(
    db: &Db,
    user: &CurrentUser,
    target: &Target,
    file_name: &str,
    bytes: Vec<u8>,
    dry_run: bool,
) -> Result<Outcome, String> {
    let locale = Locale::en;
    if dry_run {
        let preview = service::dry_run(db, user, target, &bytes, locale)
            .await
            .map_err(message)?;
        return Ok(Outcome {
            text: report(&preview),
            ok: preview.problems.is_empty() && preview.conflict.is_empty(),
        });
    }
    let upload = Upload {
        file_name: file_name.to_string(),
        bytes: Some(bytes),
    };
    let id = service::upload(db, user, target, &upload, locale)
        .await
        .map_err(message)?;
    let view = service::view(db, user, id, locale).await.map_err(message)?;
    let mut text = report(&view.preview);
    if !view.preview.can_apply() {
        // "No changes" is a success; problems and conflicts are not.
        let ok = view.preview.problems.is_empty() && view.preview.conflict.is_empty();
        return Ok(Outcome { text, ok });
    }
    let state = service::apply(db, user, "command line", id, locale)
        .await
        .map_err(message)?;
    let view = service::view(db, user, id, locale).await.map_err(message)?;
    if let Some(outcome) = &view.outcome {
        let _ = writeln!(text, "{outcome}");
    }
    if let Some(created) = &view.created {
        let _ = writeln!(text, "created: {created}");
    }
    Ok(Outcome {
        text,
        ok: state == ImportState::Applied,
    })
}

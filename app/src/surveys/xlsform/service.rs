//! Storing an imported XLSForm: a new draft survey, in one transaction with its audit entry.

use super::import::{Imported, TITLE_MAX};
use crate::audit::{
    model::AuditEvent,
    repo::{Actor, AuditedTx},
};
use crate::caller::{CurrentUser, Role};
use crate::db::Db;
use crate::error::AppError;
use crate::surveys::repo;

/// Creates a draft survey with the imported definition; returns its id. The definition is
/// checked again (an `Imported` may have travelled through a form between the dry run and
/// this call), and the audit log records the import with the survey's title.
pub async fn import_xlsform(
    db: &Db,
    admin: &CurrentUser,
    ip: &str,
    imported: &Imported,
) -> Result<i64, AppError> {
    crate::context::check_role(admin, &[Role::Admin])?;
    let def = &imported.definition;
    if let Some((at, message)) = def.problems().into_iter().next() {
        return Err(AppError::invalid(at, message));
    }
    let title = def.title.get(&def.default_language, &def.default_language);
    if title.chars().count() > TITLE_MAX {
        return Err(AppError::invalid(
            "title",
            "A title has at most 200 characters.",
        ));
    }
    let mut w = AuditedTx::begin(db, Actor::of(admin, ip)).await?;
    let id = repo::create(&mut w.tx, def, admin.id).await?;
    w.commit(
        AuditEvent::SurveyImported,
        format!("survey:{id}"),
        Some(title.to_string()),
    )
    .await?;
    Ok(id)
}

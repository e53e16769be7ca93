//! The SQL of imports: an uploaded file kept between its dry run and its application.

use sqlx::AnyConnection;

use super::model::{ImportKind, ImportState, Preview};
use crate::error::AppError;

#[derive(sqlx::FromRow)]
struct ImportRecord {
    id: i64,
    kind: String,
    scope: String,
    file_name: String,
    preview: String,
    state: String,
    done: i64,
    total: i64,
    outcome: Option<String>,
    created_id: Option<i64>,
    created_by: i64,
    created_at: String,
}

/// An import as stored, without its file.
#[derive(Debug, Clone)]
pub struct ImportRow {
    pub id: i64,
    pub kind: ImportKind,
    /// What it writes to (JSON of `service::Target`).
    pub scope: String,
    pub file_name: String,
    pub preview: Preview,
    pub state: ImportState,
    pub done: i64,
    pub total: i64,
    pub outcome: Option<String>,
    /// What applying created (an XLSForm's new survey).
    pub created_id: Option<i64>,
    pub created_by: i64,
    pub created_at: String,
}

fn decode(r: ImportRecord) -> Result<ImportRow, AppError> {
    let bad = |what: &str| {
        tracing::error!("import {}: unreadable {what}", r.id);
        AppError::Internal
    };
    Ok(ImportRow {
        id: r.id,
        kind: r.kind.parse().map_err(|_| bad("kind"))?,
        preview: serde_json::from_str(&r.preview).map_err(|_| bad("preview"))?,
        state: r.state.parse().map_err(|_| bad("state"))?,
        scope: r.scope,
        file_name: r.file_name,
        done: r.done,
        total: r.total,
        outcome: r.outcome,
        created_id: r.created_id,
        created_by: r.created_by,
        created_at: r.created_at,
    })
}

/// A new import, checked (its dry run shown).
pub struct NewImport<'a> {
    pub kind: ImportKind,
    pub scope: &'a str,
    pub file_name: &'a str,
    pub content: &'a [u8],
    pub preview: &'a Preview,
    pub created_by: i64,
}

pub async fn insert(c: &mut AnyConnection, new: &NewImport<'_>) -> Result<i64, AppError> {
    let preview = serde_json::to_string(new.preview).map_err(|_| AppError::Internal)?;
    let rows: Vec<(i64,)> = sqlx::query_as(
        "INSERT INTO imports (kind, scope, file_name, content, preview, state, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, 'checked', $6, $7) RETURNING id",
    )
    .bind(new.kind.as_str())
    .bind(new.scope)
    .bind(new.file_name)
    .bind(new.content.to_vec())
    .bind(preview)
    .bind(new.created_by)
    .bind(crate::clock::now())
    .fetch_all(&mut *c)
    .await?;
    rows.first().map(|r| r.0).ok_or(AppError::Internal)
}

pub async fn get(c: &mut AnyConnection, id: i64) -> Result<ImportRow, AppError> {
    let r: Option<ImportRecord> = sqlx::query_as(
        "SELECT id, kind, scope, file_name, preview, state, done, total, outcome, created_id, created_by, created_at \
         FROM imports WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *c)
    .await?;
    decode(r.ok_or(AppError::NotFound)?)
}

/// The file as uploaded.
pub async fn content(c: &mut AnyConnection, id: i64) -> Result<Vec<u8>, AppError> {
    let r: Option<(Vec<u8>,)> = sqlx::query_as("SELECT content FROM imports WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *c)
        .await?;
    Ok(r.ok_or(AppError::NotFound)?.0)
}

/// Moves an import from `from` to `to` (with what happened); `false` if it was not in `from`
/// (applied or discarded meanwhile, by another tab).
pub async fn set_state(
    c: &mut AnyConnection,
    id: i64,
    from: ImportState,
    to: ImportState,
    outcome: Option<&str>,
) -> Result<bool, AppError> {
    let applied_at = (to == ImportState::Applied).then(crate::clock::now);
    let done = sqlx::query(
        "UPDATE imports SET state = $1, outcome = $2, applied_at = COALESCE($3, applied_at) \
         WHERE id = $4 AND state = $5",
    )
    .bind(to.as_str())
    .bind(outcome)
    .bind(applied_at)
    .bind(id)
    .bind(from.as_str())
    .execute(&mut *c)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Forgets an import's file (discarded: nothing will be read from it again).
pub async fn forget(c: &mut AnyConnection, id: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE imports SET content = $1 WHERE id = $2")
        .bind(Vec::<u8>::new())
        .bind(id)
        .execute(&mut *c)
        .await?;
    Ok(())
}

/// Records what applying created.
pub async fn set_created(c: &mut AnyConnection, id: i64, created: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE imports SET created_id = $1 WHERE id = $2")
        .bind(created)
        .bind(id)
        .execute(&mut *c)
        .await?;
    Ok(())
}

/// How far a long import has got.
pub async fn set_progress(
    c: &mut AnyConnection,
    id: i64,
    done: i64,
    total: i64,
) -> Result<(), AppError> {
    sqlx::query("UPDATE imports SET done = $1, total = $2 WHERE id = $3")
        .bind(done)
        .bind(total)
        .bind(id)
        .execute(&mut *c)
        .await?;
    Ok(())
}

/// Forgets the files of imports older than `before` (a timestamp): they are kept for a few
/// days to be applied, not as an archive (the history and the audit log are the record).
pub async fn prune(c: &mut AnyConnection, before: &str) -> Result<(), AppError> {
    sqlx::query("DELETE FROM imports WHERE created_at < $1")
        .bind(before)
        .execute(&mut *c)
        .await?;
    Ok(())
}

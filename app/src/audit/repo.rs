//! SQL of the audit log.

use sqlx::Any;

use super::model::{AuditEntry, AuditPage};
use crate::{clock, db::Db, error::AppError};

/// What to record.
#[derive(Debug, Clone, Default)]
pub struct NewEntry<'a> {
    pub actor_id: Option<i64>,
    pub actor_email: Option<&'a str>,
    pub action: &'a str,
    pub subject: Option<String>,
    pub details: Option<String>,
    pub ip: Option<&'a str>,
}

/// Records one entry, on a pool or inside the caller's transaction.
pub async fn record<'e, E>(executor: E, entry: NewEntry<'_>) -> Result<(), AppError>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    insert(executor, entry).await.map(|_| ())
}

/// Records an attempt whose outcome is not known yet (as the outcome it is assumed to have),
/// and returns its id for [`settle`]. Sign-ins use it so that an attempt counts towards the
/// throttle before the password is checked.
pub async fn record_pending(db: &Db, entry: NewEntry<'_>) -> Result<i64, AppError> {
    insert(&db.pool, entry).await
}

async fn insert<'e, E>(executor: E, entry: NewEntry<'_>) -> Result<i64, AppError>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    // `fetch_all`, not `fetch_one`: on SQLite, an `INSERT … RETURNING` left unfinished keeps
    // its implicit transaction (and the write lock) open until the connection is used again
    // (sqlx issue #2099); reading every row finishes the statement.
    let rows: Vec<(i64,)> = sqlx::query_as(
        "INSERT INTO audit_log (at, actor_id, actor_email, action, subject, details, ip) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(clock::now())
    .bind(entry.actor_id)
    .bind(entry.actor_email.map(str::to_string))
    .bind(entry.action.to_string())
    .bind(entry.subject)
    .bind(entry.details)
    .bind(entry.ip.map(str::to_string))
    .fetch_all(executor)
    .await?;
    rows.first().map(|r| r.0).ok_or(AppError::Internal)
}

/// Gives an entry made by [`record_pending`] its real outcome, within the same request.
pub async fn settle(db: &Db, id: i64, action: &str, actor_id: Option<i64>) -> Result<(), AppError> {
    sqlx::query("UPDATE audit_log SET action = $1, actor_id = $2 WHERE id = $3")
        .bind(action.to_string())
        .bind(actor_id)
        .bind(id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

const PAGE: i64 = 100;

/// The newest entries (optionally of one action), older than `older_than` when given.
pub async fn list(
    db: &Db,
    action: Option<&str>,
    older_than: Option<i64>,
) -> Result<AuditPage, AppError> {
    let rows: Vec<(
        i64,
        String,
        Option<String>,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
    )> = sqlx::query_as(
        "SELECT id, at, actor_email, action, subject, details, ip FROM audit_log \
             WHERE ($1 = '' OR action = $1) AND id < $2 ORDER BY id DESC LIMIT $3",
    )
    .bind(action.unwrap_or_default().to_string())
    .bind(older_than.unwrap_or(i64::MAX))
    .bind(PAGE + 1)
    .fetch_all(&db.pool)
    .await?;
    let more = rows.len() as i64 > PAGE;
    let entries: Vec<AuditEntry> = rows
        .into_iter()
        .take(PAGE as usize)
        .map(|(id, at, actor, action, subject, details, ip)| AuditEntry {
            id,
            at,
            actor,
            action,
            subject,
            details,
            ip,
        })
        .collect();
    let older_than = if more {
        entries.last().map(|e| e.id)
    } else {
        None
    };
    let actions: Vec<(String,)> =
        sqlx::query_as("SELECT DISTINCT action FROM audit_log ORDER BY action")
            .fetch_all(&db.pool)
            .await?;
    Ok(AuditPage {
        entries,
        older_than,
        actions: actions.into_iter().map(|a| a.0).collect(),
    })
}

/// How many entries of `action` with this actor email, and with this address, since `since`.
pub async fn count_recent(
    db: &Db,
    action: &str,
    email: &str,
    ip: &str,
    since: &str,
) -> Result<(i64, i64), AppError> {
    let (by_email,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audit_log WHERE action = $1 AND actor_email = $2 AND at > $3",
    )
    .bind(action.to_string())
    .bind(email.to_string())
    .bind(since.to_string())
    .fetch_one(&db.pool)
    .await?;
    let (by_ip,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = $1 AND ip = $2 AND at > $3")
            .bind(action.to_string())
            .bind(ip.to_string())
            .bind(since.to_string())
            .fetch_one(&db.pool)
            .await?;
    Ok((by_email, by_ip))
}

//! SQL of the audit log.

use sqlx::AnyConnection;

use super::model::{AuditEntry, AuditEvent, AuditPage};
use crate::caller::CurrentUser;
use crate::{
    clock,
    db::{decode, Db, Tx},
    error::AppError,
};

/// What to record.
#[derive(Debug, Clone)]
pub struct NewEntry<'a> {
    pub actor_id: Option<i64>,
    pub actor_email: Option<&'a str>,
    pub action: AuditEvent,
    pub subject: Option<String>,
    pub details: Option<String>,
    pub ip: Option<&'a str>,
}

impl NewEntry<'_> {
    /// An entry of `action` with nothing else known yet.
    pub fn new(action: AuditEvent) -> Self {
        Self {
            actor_id: None,
            actor_email: None,
            action,
            subject: None,
            details: None,
            ip: None,
        }
    }
}

/// Who makes a change, as the audit log records them.
#[derive(Debug, Clone, Copy)]
pub struct Actor<'a> {
    /// `None` for the command line.
    pub id: Option<i64>,
    pub email: Option<&'a str>,
    /// The client's address (`local` from the command line).
    pub ip: &'a str,
}

impl<'a> Actor<'a> {
    /// A signed-in user, from `ip`.
    pub fn of(user: &'a CurrentUser, ip: &'a str) -> Self {
        Self {
            id: Some(user.id),
            email: Some(&user.email),
            ip,
        }
    }
}

/// A write transaction whose change is recorded in the audit log, inside the same
/// transaction, when it commits: begin, write through `tx`, then [`AuditedTx::commit`].
/// Dropping it without committing rolls everything back.
pub struct AuditedTx<'a> {
    pub tx: Tx,
    by: Actor<'a>,
}

impl<'a> AuditedTx<'a> {
    /// Starts the transaction (see [`Db::begin`]).
    pub async fn begin(db: &Db, by: Actor<'a>) -> Result<Self, AppError> {
        Ok(Self {
            tx: db.begin().await?,
            by,
        })
    }

    /// Records `event` on `subject` (with `details`) and commits.
    pub async fn commit(
        mut self,
        event: AuditEvent,
        subject: String,
        details: Option<String>,
    ) -> Result<(), AppError> {
        self.record(event, subject, details).await?;
        self.tx.commit().await?;
        Ok(())
    }
}

impl AuditedTx<'_> {
    /// Records `event` on `subject` inside the transaction, without committing: a write that
    /// touches several records logs each (an import into several countries' reports).
    pub async fn record(
        &mut self,
        event: AuditEvent,
        subject: String,
        details: Option<String>,
    ) -> Result<(), AppError> {
        record(
            &mut self.tx,
            NewEntry {
                actor_id: self.by.id,
                actor_email: self.by.email,
                subject: Some(subject),
                details,
                ip: Some(self.by.ip),
                ..NewEntry::new(event)
            },
        )
        .await
    }

    /// Commits a write the log does not record (a draft save: its entries' history keeps
    /// every change).
    pub async fn commit_unrecorded(self) -> Result<(), AppError> {
        self.tx.commit().await?;
        Ok(())
    }
}

/// Records one entry (inside the caller's transaction, when it has one).
pub async fn record(c: &mut AnyConnection, entry: NewEntry<'_>) -> Result<(), AppError> {
    insert(c, entry).await.map(|_| ())
}

/// Records an attempt whose outcome is not known yet (as the outcome it is assumed to have),
/// and returns its id for [`settle`]. Sign-ins use it so that an attempt counts towards the
/// throttle before the password is checked.
pub async fn record_pending(c: &mut AnyConnection, entry: NewEntry<'_>) -> Result<i64, AppError> {
    insert(c, entry).await
}

/// The longest email, subject and details kept: the log's strings are bounded whatever a
/// caller sends.
const EMAIL_MAX: usize = 254;
const SUBJECT_MAX: usize = 500;
const DETAILS_MAX: usize = 4000;

/// `s` cut to at most `max` characters, an ellipsis marking the cut.
fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut t: String = s.chars().take(max - 1).collect();
    t.push('…');
    t
}

async fn insert(c: &mut AnyConnection, entry: NewEntry<'_>) -> Result<i64, AppError> {
    // `fetch_all`, not `fetch_one`: on SQLite, an `INSERT … RETURNING` left unfinished keeps
    // its implicit transaction (and the write lock) open until the connection is used again
    // (sqlx issue #2099); reading every row finishes the statement.
    let rows: Vec<(i64,)> = sqlx::query_as(
        "INSERT INTO audit_log (at, actor_id, actor_email, action, subject, details, ip, ip_key) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(clock::now())
    .bind(entry.actor_id)
    .bind(entry.actor_email.map(|e| cut(e, EMAIL_MAX)))
    .bind(entry.action.code().to_string())
    .bind(entry.subject.map(|s| cut(&s, SUBJECT_MAX)))
    .bind(entry.details.map(|d| cut(&d, DETAILS_MAX)))
    .bind(entry.ip.map(str::to_string))
    // What throttling counts by: an IPv6 address's /64, or the address.
    .bind(entry.ip.map(crate::http::client::throttle_key))
    .fetch_all(&mut *c)
    .await?;
    rows.first().map(|r| r.0).ok_or(AppError::Internal)
}

/// Gives an entry made by [`record_pending`] its real outcome, within the same request.
pub async fn settle(
    c: &mut AnyConnection,
    id: i64,
    action: AuditEvent,
    actor_id: Option<i64>,
) -> Result<(), AppError> {
    sqlx::query("UPDATE audit_log SET action = $1, actor_id = $2 WHERE id = $3")
        .bind(action.code().to_string())
        .bind(actor_id)
        .bind(id)
        .execute(&mut *c)
        .await?;
    Ok(())
}

const PAGE: i64 = 100;

/// An `audit_log` row.
#[derive(sqlx::FromRow)]
struct AuditRecord {
    id: i64,
    at: String,
    actor_email: Option<String>,
    action: String,
    subject: Option<String>,
    details: Option<String>,
    ip: Option<String>,
}

/// The newest entries (optionally of one action), older than `older_than` when given.
pub async fn list(
    c: &mut AnyConnection,
    action: Option<&str>,
    older_than: Option<i64>,
) -> Result<AuditPage, AppError> {
    let rows: Vec<AuditRecord> = sqlx::query_as(
        "SELECT id, at, actor_email, action, subject, details, ip FROM audit_log \
             WHERE ($1 = '' OR action = $1) AND id < $2 ORDER BY id DESC LIMIT $3",
    )
    .bind(action.unwrap_or_default().to_string())
    .bind(older_than.unwrap_or(i64::MAX))
    .bind(PAGE + 1)
    .fetch_all(&mut *c)
    .await?;
    let more = rows.len() as i64 > PAGE;
    let entries: Vec<AuditEntry> = rows
        .into_iter()
        .take(PAGE as usize)
        .map(|r| {
            Ok(AuditEntry {
                id: r.id,
                at: r.at,
                actor: r.actor_email,
                action: decode("audit_log.action", &r.action)?,
                subject: r.subject,
                details: r.details,
                ip: r.ip,
            })
        })
        .collect::<Result<_, AppError>>()?;
    let older_than = if more {
        entries.last().map(|e| e.id)
    } else {
        None
    };
    let actions: Vec<(String,)> =
        sqlx::query_as("SELECT DISTINCT action FROM audit_log ORDER BY action")
            .fetch_all(&mut *c)
            .await?;
    Ok(AuditPage {
        entries,
        older_than,
        actions: actions
            .iter()
            .map(|a| decode("audit_log.action", &a.0))
            .collect::<Result<_, AppError>>()?,
    })
}

/// How many entries of `action` with this actor email, and from this address (compared by
/// [`throttle_key`](crate::http::client::throttle_key): an IPv6 /64 is one address), since
/// `since`.
pub async fn count_recent(
    c: &mut AnyConnection,
    action: AuditEvent,
    email: &str,
    ip: &str,
    since: &str,
) -> Result<(i64, i64), AppError> {
    let (by_email,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audit_log WHERE action = $1 AND actor_email = $2 AND at > $3",
    )
    .bind(action.code().to_string())
    .bind(email.to_string())
    .bind(since.to_string())
    .fetch_one(&mut *c)
    .await?;
    let (by_ip,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audit_log WHERE action = $1 AND ip_key = $2 AND at > $3",
    )
    .bind(action.code().to_string())
    .bind(crate::http::client::throttle_key(ip))
    .bind(since.to_string())
    .fetch_one(&mut *c)
    .await?;
    Ok((by_email, by_ip))
}

#[cfg(test)]
mod tests {
    use super::cut;

    #[test]
    fn long_strings_are_cut_with_a_mark() {
        assert_eq!(cut("short", 10), "short");
        let long = "é".repeat(300);
        let kept = cut(&long, 254);
        assert_eq!(kept.chars().count(), 254);
        assert!(kept.ends_with('…'));
    }
}

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

/// The sign-in attempt being throttled: who, from where, and the times its counts start at.
#[derive(Debug, Clone, Copy)]
pub struct SignInScope<'a> {
    pub email: &'a str,
    pub ip: &'a str,
    /// The start of the throttling window.
    pub window: &'a str,
    /// Where this account's failures start counting: the window's start, or an admin's
    /// "allow sign-in again" within it.
    pub account_since: &'a str,
    /// A sign-in to this account from this address after this time makes it a known one.
    pub known_since: &'a str,
}

/// Failed sign-ins that throttle one attempt (addresses compared by their throttling key, an
/// IPv6 /64 being one address).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInFailures {
    /// For this account from this address, since `pair_since`.
    pub pair: i64,
    /// `account_since`, or the account's last sign-in from this address if later.
    pub pair_since: String,
    /// For this account from anywhere since `account_since`, and when the last was.
    pub account: i64,
    pub last_for_account: Option<String>,
    /// From this address, for any account, since the window's start.
    pub address: i64,
    /// The account signed in from this address since `known_since`.
    pub known_address: bool,
}

/// Counts the failed sign-ins that throttle an attempt (three indexed reads).
pub async fn sign_in_failures(
    c: &mut AnyConnection,
    s: &SignInScope<'_>,
) -> Result<SignInFailures, AppError> {
    let key = crate::http::client::throttle_key(s.ip);
    let failed = AuditEvent::SignInFailed.code().to_string();
    let (last_here,): (Option<String>,) = sqlx::query_as(
        "SELECT MAX(at) FROM audit_log \
         WHERE action = $1 AND actor_email = $2 AND ip_key = $3 AND at > $4",
    )
    .bind(AuditEvent::SignIn.code().to_string())
    .bind(s.email.to_string())
    .bind(key.clone())
    .bind(s.known_since.to_string())
    .fetch_one(&mut *c)
    .await?;
    // A sign-in from this address ends the failures from it before (the owner got in).
    let pair_since = match &last_here {
        Some(at) if at.as_str() > s.account_since => at.clone(),
        _ => s.account_since.to_string(),
    };
    let (account, last_for_account, pair): (i64, Option<String>, i64) = sqlx::query_as(
        "SELECT COUNT(*), MAX(at), COUNT(CASE WHEN ip_key = $3 AND at > $4 THEN 1 END) \
         FROM audit_log WHERE action = $1 AND actor_email = $2 AND at > $5",
    )
    .bind(failed.clone())
    .bind(s.email.to_string())
    .bind(key.clone())
    .bind(pair_since.clone())
    .bind(s.account_since.to_string())
    .fetch_one(&mut *c)
    .await?;
    let (address,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audit_log WHERE action = $1 AND ip_key = $2 AND at > $3",
    )
    .bind(failed)
    .bind(key)
    .bind(s.window.to_string())
    .fetch_one(&mut *c)
    .await?;
    Ok(SignInFailures {
        pair,
        pair_since,
        account,
        last_for_account,
        address,
        known_address: last_here.is_some(),
    })
}

/// Records `event` for this account (and, for [`AuditEvent::SignInLocked`] and
/// [`AuditEvent::SignInThrottled`], this address) unless one was recorded since `since`: a
/// burst of attempts shows in the log without growing it with every attempt. Once recorded,
/// further calls only read (a flood of refusals takes no write lock).
pub async fn record_sign_in_limit_once(
    db: &Db,
    s: &SignInScope<'_>,
    since: &str,
    event: AuditEvent,
    details: String,
) -> Result<(), AppError> {
    let per_address = i64::from(matches!(
        event,
        AuditEvent::SignInLocked | AuditEvent::SignInThrottled
    ));
    let key = crate::http::client::throttle_key(s.ip);
    const RECORDED: &str = "FROM audit_log WHERE action = $1 AND actor_email = $2 \
         AND ($3 = 0 OR ip_key = $4) AND at > $5";
    let (found,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) {RECORDED}"))
        .bind(event.code().to_string())
        .bind(s.email.to_string())
        .bind(per_address)
        .bind(key.clone())
        .bind(since.to_string())
        .fetch_one(&mut *db.conn().await?)
        .await?;
    if found > 0 {
        return Ok(());
    }
    let mut tx = db.begin().await?;
    db.serialize_sign_in_limits(&mut tx).await?;
    sqlx::query(&format!(
        "INSERT INTO audit_log (at, actor_email, action, details, ip, ip_key) \
         SELECT $6, $2, $1, $7, $8, $4 WHERE NOT EXISTS (SELECT 1 {RECORDED})"
    ))
    .bind(event.code().to_string())
    .bind(cut(s.email, EMAIL_MAX))
    .bind(per_address)
    .bind(key)
    .bind(since.to_string())
    .bind(clock::now())
    .bind(cut(&details, DETAILS_MAX))
    .bind(s.ip.to_string())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Records the first sign-in refused unchecked for this account and address in the window.
pub async fn record_throttled_once(db: &Db, s: &SignInScope<'_>) -> Result<(), AppError> {
    let details = "sign-in attempts refused unchecked for the rest of the window".to_string();
    record_sign_in_limit_once(db, s, s.window, AuditEvent::SignInThrottled, details).await
}

/// Removes an attempt recorded by [`record_pending`] that was not made after all (overtaken
/// by attempts sent at the same time): it neither happened nor counts.
pub async fn discard_pending(c: &mut AnyConnection, id: i64) -> Result<(), AppError> {
    sqlx::query("DELETE FROM audit_log WHERE id = $1")
        .bind(id)
        .execute(&mut *c)
        .await?;
    Ok(())
}

/// Failed sign-ins for this account since `since` (for its admin page).
pub async fn sign_in_failures_since(
    c: &mut AnyConnection,
    email: &str,
    since: &str,
) -> Result<i64, AppError> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audit_log WHERE action = $1 AND actor_email = $2 AND at > $3",
    )
    .bind(AuditEvent::SignInFailed.code().to_string())
    .bind(email.to_string())
    .bind(since.to_string())
    .fetch_one(&mut *c)
    .await?;
    Ok(n)
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

//! SQL of signing in: sessions' users, single-use link tokens, passwords.

use sqlx::AnyConnection;

use super::model::LinkPurpose;
use super::token;
use crate::caller::{CurrentUser, Role};
use crate::{
    clock,
    db::{decode, flag},
    error::AppError,
};

/// The countries a focal point reports for.
pub async fn user_countries(c: &mut AnyConnection, user_id: i64) -> Result<Vec<String>, AppError> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT country_iso2 FROM user_countries WHERE user_id = $1 ORDER BY country_iso2",
    )
    .bind(user_id)
    .fetch_all(&mut *c)
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// The user of a session that began at `signed_in_at`, if the account is active and its
/// sessions were not revoked since.
pub async fn session_user(
    c: &mut AnyConnection,
    user_id: i64,
    signed_in_at: &str,
) -> Result<Option<CurrentUser>, AppError> {
    #[derive(sqlx::FromRow)]
    struct SessionUser {
        id: i64,
        email: String,
        display_name: String,
        role: String,
        active: i64,
        sessions_valid_after: String,
    }
    let row: Option<SessionUser> = sqlx::query_as(
        "SELECT id, email, display_name, role, active, sessions_valid_after FROM users WHERE id = $1",
    )
    .bind(user_id)
    .fetch_optional(&mut *c)
    .await?;
    let Some(u) = row else {
        return Ok(None);
    };
    if !flag(u.active) || signed_in_at < u.sessions_valid_after.as_str() {
        return Ok(None);
    }
    Ok(Some(CurrentUser {
        role: decode("users.role", &u.role)?,
        countries: user_countries(c, u.id).await?,
        id: u.id,
        email: u.email,
        display_name: u.display_name,
    }))
}

/// What signing in needs to know of an account.
pub struct LoginAccount {
    pub id: i64,
    pub password_hash: Option<String>,
    pub active: bool,
    /// When an admin last allowed sign-in again (failures before it no longer count).
    pub sign_in_unlocked_at: Option<String>,
}

/// The account with this (normalised) email, if any.
pub async fn login_account(
    c: &mut AnyConnection,
    email: &str,
) -> Result<Option<LoginAccount>, AppError> {
    #[derive(sqlx::FromRow)]
    struct Account {
        id: i64,
        password_hash: Option<String>,
        active: i64,
        sign_in_unlocked_at: Option<String>,
    }
    let row: Option<Account> = sqlx::query_as(
        "SELECT id, password_hash, active, sign_in_unlocked_at FROM users WHERE lower(email) = $1",
    )
    .bind(email.to_string())
    .fetch_optional(&mut *c)
    .await?;
    Ok(row.map(|a| LoginAccount {
        id: a.id,
        password_hash: a.password_hash,
        active: flag(a.active),
        sign_in_unlocked_at: a.sign_in_unlocked_at,
    }))
}

/// Is there at least one active admin with a password?
pub async fn any_admin(c: &mut AnyConnection) -> Result<bool, AppError> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM users WHERE role = $1 AND active = 1 AND password_hash IS NOT NULL",
    )
    .bind(Role::Admin.as_str().to_string())
    .fetch_one(&mut *c)
    .await?;
    Ok(n > 0)
}

/// Creates a single-use link token; earlier unused tokens of the same purpose for this user
/// stop working. Returns the token (to put in the link) and when it expires.
pub async fn create_token(
    c: &mut AnyConnection,
    user_id: i64,
    purpose: LinkPurpose,
    created_by: Option<i64>,
    ttl: time::Duration,
) -> Result<(String, String), AppError> {
    let now = clock::now();
    // Serialises link making per user: a second transaction waits here until the first
    // commits, then voids the token it made (a row lock on PostgreSQL, where two transactions
    // would otherwise each void what they see and insert; SQLite's BEGIN IMMEDIATE already
    // serialises writers). Callers run this inside a transaction.
    sqlx::query("UPDATE users SET id = id WHERE id = $1")
        .bind(user_id)
        .execute(&mut *c)
        .await?;
    sqlx::query("UPDATE user_tokens SET used_at = $1 WHERE user_id = $2 AND purpose = $3 AND used_at IS NULL")
        .bind(now.clone())
        .bind(user_id)
        .bind(purpose.as_str().to_string())
        .execute(&mut *c)
        .await?;
    let token = token::generate();
    let expires_at = clock::format_timestamp(time::OffsetDateTime::now_utc() + ttl);
    sqlx::query(
        "INSERT INTO user_tokens (user_id, purpose, token_hash, created_by, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(user_id)
    .bind(purpose.as_str().to_string())
    .bind(token::digest(&token))
    .bind(created_by)
    .bind(now)
    .bind(expires_at.clone())
    .execute(&mut *c)
    .await?;
    Ok((token, expires_at))
}

/// Who a still-valid link token belongs to.
#[derive(Debug, Clone)]
pub struct TokenOwner {
    pub user_id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
}

/// The owner of an unused, unexpired token of `purpose`, if any.
pub async fn token_owner(
    c: &mut AnyConnection,
    token: &str,
    purpose: LinkPurpose,
) -> Result<Option<TokenOwner>, AppError> {
    #[derive(sqlx::FromRow)]
    struct Owner {
        id: i64,
        email: String,
        display_name: String,
        role: String,
    }
    let row: Option<Owner> = sqlx::query_as(
        "SELECT u.id, u.email, u.display_name, u.role FROM user_tokens t JOIN users u ON u.id = t.user_id \
         WHERE t.token_hash = $1 AND t.purpose = $2 AND t.used_at IS NULL AND t.expires_at > $3 AND u.active = 1",
    )
    .bind(token::digest(token))
    .bind(purpose.as_str().to_string())
    .bind(clock::now())
    .fetch_optional(&mut *c)
    .await?;
    row.map(|o| {
        Ok(TokenOwner {
            user_id: o.id,
            email: o.email,
            display_name: o.display_name,
            role: decode("users.role", &o.role)?,
        })
    })
    .transpose()
}

/// Marks a token used, if it still may be; returns its user. Two concurrent uses: one wins.
pub async fn consume_token(
    c: &mut AnyConnection,
    token: &str,
    purpose: LinkPurpose,
) -> Result<Option<i64>, AppError> {
    let now = clock::now();
    let row: Option<(i64,)> = sqlx::query_as(
        "UPDATE user_tokens SET used_at = $1 \
         WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $1 \
           AND user_id IN (SELECT id FROM users WHERE active = 1) \
         RETURNING user_id",
    )
    .bind(now)
    .bind(token::digest(token))
    .bind(purpose.as_str().to_string())
    .fetch_optional(&mut *c)
    .await?;
    Ok(row.map(|r| r.0))
}

/// Sets a user's password (and, when given, their name) and voids their other sessions.
pub async fn set_password(
    c: &mut AnyConnection,
    user_id: i64,
    hash: &str,
    display_name: Option<&str>,
) -> Result<(), AppError> {
    let now = clock::now();
    sqlx::query(
        "UPDATE users SET password_hash = $1, display_name = COALESCE($2, display_name), \
         sessions_valid_after = $3, updated_at = $3 WHERE id = $4",
    )
    .bind(hash.to_string())
    .bind(display_name.map(str::to_string))
    .bind(now)
    .bind(user_id)
    .execute(&mut *c)
    .await?;
    Ok(())
}

//! SQL of user administration.

use sqlx::AnyConnection;

use super::model::{User, UserFilter, UserStatus, ValidUser};
use crate::auth::model::LinkPurpose;
use crate::caller::Role;
use crate::{
    clock,
    db::{decode, decode_opt, flag},
    error::AppError,
};

/// A `users` row as the admin pages read it.
#[derive(sqlx::FromRow)]
struct UserRecord {
    id: i64,
    email: String,
    display_name: String,
    role: String,
    active: i64,
    has_password: i64,
    organisation: Option<String>,
    member_type: Option<String>,
    member_country: Option<String>,
    created_at: String,
}

const COLUMNS: &str = "u.id, u.email, u.display_name, u.role, u.active, \
     CASE WHEN u.password_hash IS NULL THEN 0 ELSE 1 END AS has_password, \
     u.organisation, u.member_type, u.member_country, u.created_at";

impl UserRecord {
    fn into_user(self, countries: Vec<String>) -> Result<User, AppError> {
        let status = match (flag(self.active), flag(self.has_password)) {
            (false, _) => UserStatus::Deactivated,
            (true, false) => UserStatus::Invited,
            (true, true) => UserStatus::Active,
        };
        Ok(User {
            id: self.id,
            email: self.email,
            display_name: self.display_name,
            role: decode("users.role", &self.role)?,
            countries,
            status,
            organisation: self.organisation,
            member_type: decode_opt("users.member_type", self.member_type.as_deref())?,
            member_country: self.member_country,
            created_at: self.created_at,
        })
    }
}

/// Users matching the filter (role; country a focal point reports for or a member is from).
pub async fn list(c: &mut AnyConnection, filter: &UserFilter) -> Result<Vec<User>, AppError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM users u \
         WHERE ($1 = '' OR u.role = $1) \
           AND ($2 = '' OR u.member_country = $2 OR EXISTS \
                (SELECT 1 FROM user_countries uc WHERE uc.user_id = u.id AND uc.country_iso2 = $2)) \
         ORDER BY lower(u.display_name), lower(u.email)"
    );
    let rows: Vec<UserRecord> = sqlx::query_as(&sql)
        .bind(
            filter
                .role
                .map(|r| r.as_str().to_string())
                .unwrap_or_default(),
        )
        .bind(filter.country.clone().unwrap_or_default())
        .fetch_all(&mut *c)
        .await?;
    let links: Vec<(i64, String)> =
        sqlx::query_as("SELECT user_id, country_iso2 FROM user_countries ORDER BY country_iso2")
            .fetch_all(&mut *c)
            .await?;
    rows.into_iter()
        .map(|row| {
            let countries = links
                .iter()
                .filter(|(u, _)| *u == row.id)
                .map(|(_, c)| c.clone())
                .collect();
            row.into_user(countries)
        })
        .collect()
}

/// One user, or `NotFound`.
pub async fn get(c: &mut AnyConnection, id: i64) -> Result<User, AppError> {
    let sql = format!("SELECT {COLUMNS} FROM users u WHERE u.id = $1");
    let row: UserRecord = sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(&mut *c)
        .await?
        .ok_or(AppError::NotFound)?;
    let countries = crate::auth::repo::user_countries(c, id).await?;
    row.into_user(countries)
}

/// When the user's open invitation expires, if one is pending.
pub async fn pending_invitation(
    c: &mut AnyConnection,
    user_id: i64,
) -> Result<Option<String>, AppError> {
    let row: (Option<String>,) = sqlx::query_as(
        "SELECT MAX(expires_at) FROM user_tokens WHERE user_id = $1 AND purpose = $3 \
         AND used_at IS NULL AND expires_at > $2",
    )
    .bind(user_id)
    .bind(clock::now())
    .bind(LinkPurpose::Invitation.as_str().to_string())
    .fetch_one(&mut *c)
    .await?;
    Ok(row.0)
}

/// Lets the user sign in again at once: failed sign-ins until now no longer count for them.
pub async fn allow_sign_in(c: &mut AnyConnection, id: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET sign_in_unlocked_at = $1 WHERE id = $2")
        .bind(clock::now())
        .bind(id)
        .execute(&mut *c)
        .await?;
    Ok(())
}

/// Is this email taken (case-insensitively)?
pub async fn email_taken(c: &mut AnyConnection, email: &str) -> Result<bool, AppError> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM users WHERE lower(email) = $1")
        .bind(email.to_lowercase())
        .fetch_optional(&mut *c)
        .await?;
    Ok(row.is_some())
}

/// Creates a user (with a password hash, or none until they accept their invitation).
pub async fn create(
    c: &mut AnyConnection,
    user: &ValidUser,
    password_hash: Option<&str>,
) -> Result<i64, AppError> {
    let now = clock::now();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO users (email, display_name, role, active, password_hash, organisation, member_type, \
         member_country, sessions_valid_after, created_at, updated_at) \
         VALUES ($1, $2, $3, 1, $4, $5, $6, $7, $8, $8, $8) RETURNING id",
    )
    .bind(user.email.clone())
    .bind(user.display_name.clone())
    .bind(user.role.as_str().to_string())
    .bind(password_hash.map(str::to_string))
    .bind(user.organisation.clone())
    .bind(user.member_type.map(|m| m.as_str().to_string()))
    .bind(user.member_country.clone())
    .bind(now)
    .fetch_one(&mut *c)
    .await?;
    replace_countries(c, id, &user.countries).await?;
    Ok(id)
}

/// Changes a user's name, role, countries and member details (not the email).
pub async fn update(c: &mut AnyConnection, id: i64, user: &ValidUser) -> Result<(), AppError> {
    let result = sqlx::query(
        "UPDATE users SET display_name = $1, role = $2, organisation = $3, member_type = $4, \
         member_country = $5, updated_at = $6 WHERE id = $7",
    )
    .bind(user.display_name.clone())
    .bind(user.role.as_str().to_string())
    .bind(user.organisation.clone())
    .bind(user.member_type.map(|m| m.as_str().to_string()))
    .bind(user.member_country.clone())
    .bind(clock::now())
    .bind(id)
    .execute(&mut *c)
    .await?;
    if result.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    replace_countries(c, id, &user.countries).await
}

async fn replace_countries(
    c: &mut AnyConnection,
    id: i64,
    countries: &[String],
) -> Result<(), AppError> {
    sqlx::query("DELETE FROM user_countries WHERE user_id = $1")
        .bind(id)
        .execute(&mut *c)
        .await?;
    for iso2 in countries {
        sqlx::query("INSERT INTO user_countries (user_id, country_iso2) VALUES ($1, $2)")
            .bind(id)
            .bind(iso2.clone())
            .execute(&mut *c)
            .await?;
    }
    Ok(())
}

/// Activates or deactivates a user; deactivating voids every session they have and every
/// link not yet used (so reactivating them later does not bring an old link back to life).
pub async fn set_active(c: &mut AnyConnection, id: i64, active: bool) -> Result<(), AppError> {
    let now = clock::now();
    if !active {
        sqlx::query("UPDATE user_tokens SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL")
            .bind(now.clone())
            .bind(id)
            .execute(&mut *c)
            .await?;
    }
    let sql = if active {
        "UPDATE users SET active = 1, updated_at = $1 WHERE id = $2"
    } else {
        "UPDATE users SET active = 0, sessions_valid_after = $1, updated_at = $1 WHERE id = $2"
    };
    let result = sqlx::query(sql).bind(now).bind(id).execute(&mut *c).await?;
    if result.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Whether demoting or deactivating `user` would leave no administrator who can sign in
/// (active, with a password; an invitation not yet accepted does not count). Call it inside
/// the write's transaction, after [`Db::serialize_admin_changes`](crate::db::Db).
pub async fn is_last_admin(c: &mut AnyConnection, user: &User) -> Result<bool, AppError> {
    if user.role != Role::Admin || user.status != UserStatus::Active {
        return Ok(false);
    }
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM users WHERE role = $1 AND active = 1 AND password_hash IS NOT NULL",
    )
    .bind(Role::Admin.as_str().to_string())
    .fetch_one(&mut *c)
    .await?;
    Ok(n <= 1)
}

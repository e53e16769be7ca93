//! Server functions of signing in and out, and of the single-use links. These are the public
//! entry points of the account system: the caller proves who they are here (password or link
//! token), so there is no role to check yet; every attempt is audited or throttled.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use super::model::LinkPurpose;
use crate::caller::{CurrentUser, Role};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::i18n::*;

/// Failed sign-ins allowed per account, and per address, within [`THROTTLE_MINUTES`].
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
pub const MAX_FAILURES_PER_ADDRESS: i64 = 30;
pub const THROTTLE_MINUTES: i64 = 15;

/// Failures of `action` in the throttling window: (for this email, from this address).
#[cfg(feature = "ssr")]
async fn recent_failures(
    db: &crate::db::Db,
    action: crate::audit::model::AuditEvent,
    email: &str,
    ip: &str,
) -> Result<(i64, i64), AppError> {
    let since = crate::clock::format_timestamp(
        time::OffsetDateTime::now_utc() - time::Duration::minutes(THROTTLE_MINUTES),
    );
    crate::audit::repo::count_recent(&mut *db.conn().await?, action, email, ip, &since).await
}

/// Who is signed in on this request, if anyone. Public: it only tells callers about themselves.
#[server(endpoint = "get_current_user")]
pub async fn get_current_user() -> Result<Option<CurrentUser>, AppError> {
    Ok(crate::context::public_caller())
}

/// Only local paths are followed after sign-in (no open redirect).
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.starts_with("/\\")
                && n.bytes().all(|b| b.is_ascii_graphic()) =>
        {
            n.to_string()
        }
        _ => crate::routes::HOME.to_string(),
    }
}

/// Signs in with email and password, then goes to `next` (a local path). Public.
#[server(endpoint = "login")]
pub async fn login(
    email: String,
    password: String,
    #[server(default)] next: Option<String>,
) -> Result<(), AppError> {
    use super::model::normalize_email;
    use crate::audit::{model::AuditEvent, repo::NewEntry};

    let locale = crate::lang::use_locale();
    let email = normalize_email(&email);
    let mut errors = vec![];
    if email.is_empty() {
        errors.push(crate::error::FieldError::new(
            "email",
            td_string!(locale, auth.enter_email),
        ));
    } else if !crate::users::model::is_plausible_email(&email) {
        // No account has such an address (accounts are made through the same check): refused
        // before any database access, so nothing is counted or logged.
        errors.push(crate::error::FieldError::new(
            "email",
            td_string!(locale, users.invalid_email),
        ));
    }
    if password.is_empty() {
        errors.push(crate::error::FieldError::new(
            "password",
            td_string!(locale, auth.enter_password),
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let db = crate::context::db()?;
    let ip = crate::context::client_ip();
    let too_many = || {
        AppError::TooManyRequests(
            td_string!(locale, auth.too_many_sign_ins, minutes = THROTTLE_MINUTES).to_string(),
        )
    };
    // Already locked: refused without writing anything, so a locked-out client cannot grow
    // the audit log or take SQLite's write lock.
    let (by_account, by_address) =
        recent_failures(&db, AuditEvent::SignInFailed, &email, &ip).await?;
    if by_account >= MAX_FAILURES_PER_ACCOUNT || by_address >= MAX_FAILURES_PER_ADDRESS {
        return Err(too_many());
    }
    // Under the limit, the attempt is recorded as a failure before it is counted again and
    // before the (slow) password check, then corrected if it succeeds: guesses sent in parallel
    // each see the ones before them, so no burst gets more than the allowed number of tries.
    let attempt = crate::audit::repo::record_pending(
        &mut *db.conn().await?,
        NewEntry {
            actor_email: Some(&email),
            ip: Some(&ip),
            ..NewEntry::new(AuditEvent::SignInFailed)
        },
    )
    .await?;
    let (by_account, by_address) =
        recent_failures(&db, AuditEvent::SignInFailed, &email, &ip).await?;
    if by_account > MAX_FAILURES_PER_ACCOUNT || by_address > MAX_FAILURES_PER_ADDRESS {
        crate::audit::repo::settle(
            &mut *db.conn().await?,
            attempt,
            AuditEvent::SignInThrottled,
            None,
        )
        .await?;
        return Err(too_many());
    }
    let account = super::repo::login_account(&mut *db.conn().await?, &email).await?;
    let hash = account
        .as_ref()
        .filter(|a| a.active)
        .and_then(|a| a.password_hash.clone());
    let ok = super::password::verify(password, hash).await;
    let Some(account) = account.filter(|_| ok) else {
        // The one message for a wrong email or password: it does not say which.
        return Err(AppError::Rejected(
            td_string!(locale, auth.wrong_credentials).into(),
        ));
    };
    crate::audit::repo::settle(
        &mut *db.conn().await?,
        attempt,
        AuditEvent::SignIn,
        Some(account.id),
    )
    .await?;
    let session = crate::context::session()?;
    super::session::sign_in(&session, account.id).await?;
    leptos_axum::redirect(&safe_next(next.as_deref()));
    Ok(())
}

/// Signs out: ends the session on the server. Anyone may call it; it changes only the
/// caller's own session.
#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::audit::{model::AuditEvent, repo::NewEntry};
    let caller = crate::context::public_caller();
    let session = crate::context::session()?;
    super::session::sign_out(&session).await?;
    if let Some(user) = caller {
        let db = crate::context::db()?;
        let ip = crate::context::client_ip();
        crate::audit::repo::record(
            &mut *db.conn().await?,
            NewEntry {
                actor_id: Some(user.id),
                actor_email: Some(&user.email),
                ip: Some(&ip),
                ..NewEntry::new(AuditEvent::SignOut)
            },
        )
        .await?;
    }
    leptos_axum::redirect(crate::routes::HOME);
    Ok(())
}

/// What a link page shows before the user sets their password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkInfo {
    pub email: String,
    pub display_name: String,
    pub role: Role,
}

/// The refusal of a link that does not work (expired, used, or made up), in `locale`.
#[cfg(feature = "ssr")]
fn link_invalid(locale: crate::lang::Locale) -> AppError {
    AppError::Rejected(td_string!(locale, auth.link_invalid).into())
}

/// Who an invitation or password-reset link is for. Public: the token is the credential.
#[server(endpoint = "get_link")]
pub async fn get_link(token: String, purpose: String) -> Result<LinkInfo, AppError> {
    let purpose: LinkPurpose = purpose.parse().map_err(|_| AppError::NotFound)?;
    let db = crate::context::db()?;
    let owner = super::repo::token_owner(&mut *db.conn().await?, &token, purpose).await?;
    let owner = owner.ok_or_else(|| link_invalid(crate::lang::use_locale()))?;
    Ok(LinkInfo {
        email: owner.email,
        display_name: owner.display_name,
        role: owner.role,
    })
}

/// Accepts an invitation (sets name and password) or a reset link (sets the password), uses
/// the link up, and sends the user to sign in. Public: the token is the credential.
#[server(endpoint = "use_link")]
pub async fn use_link(
    token: String,
    purpose: String,
    #[server(default)] display_name: Option<String>,
    password: String,
    password_confirm: String,
) -> Result<(), AppError> {
    use crate::audit::{model::AuditEvent, repo::NewEntry};
    use crate::error::FieldError;
    use crate::users::model::MAX_NAME_CHARS;
    let locale = crate::lang::use_locale();
    let purpose: LinkPurpose = purpose.parse().map_err(|_| AppError::NotFound)?;
    let mut errors = vec![];
    let name = display_name.map(|n| n.trim().to_string());
    if purpose == LinkPurpose::Invitation {
        match name.as_deref() {
            None | Some("") => errors.push(FieldError::new(
                "display_name",
                td_string!(locale, auth.enter_your_name),
            )),
            Some(n) if n.chars().count() > MAX_NAME_CHARS => errors.push(FieldError::new(
                "display_name",
                td_string!(locale, auth.name_too_long, max = MAX_NAME_CHARS).to_string(),
            )),
            _ => {}
        }
    }
    errors.extend(super::password::validate_new(
        locale,
        &password,
        &password_confirm,
        "password",
        "password_confirm",
    ));
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let db = crate::context::db()?;
    let ip = crate::context::client_ip();
    // Check the link before the deliberately slow hashing, and throttle guessing.
    let (_, failures) = recent_failures(&db, AuditEvent::LinkFailed, "", &ip).await?;
    if failures >= MAX_FAILURES_PER_ADDRESS {
        return Err(AppError::TooManyRequests(
            td_string!(
                locale,
                auth.too_many_link_attempts,
                minutes = THROTTLE_MINUTES
            )
            .to_string(),
        ));
    }
    if super::repo::token_owner(&mut *db.conn().await?, &token, purpose)
        .await?
        .is_none()
    {
        crate::audit::repo::record(
            &mut *db.conn().await?,
            NewEntry {
                ip: Some(&ip),
                ..NewEntry::new(AuditEvent::LinkFailed)
            },
        )
        .await?;
        return Err(link_invalid(locale));
    }
    let hash = super::password::hash(password).await?;
    let mut tx = db.begin().await?;
    let user_id = super::repo::consume_token(&mut tx, &token, purpose)
        .await?
        .ok_or_else(|| link_invalid(locale))?;
    let name = if purpose == LinkPurpose::Invitation {
        name.as_deref()
    } else {
        None
    };
    super::repo::set_password(&mut tx, user_id, &hash, name).await?;
    let action = match purpose {
        LinkPurpose::Invitation => AuditEvent::InvitationAccepted,
        LinkPurpose::PasswordReset => AuditEvent::PasswordReset,
    };
    crate::audit::repo::record(
        &mut tx,
        NewEntry {
            actor_id: Some(user_id),
            subject: Some(format!("user:{user_id}")),
            ip: Some(&ip),
            ..NewEntry::new(action)
        },
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect(&crate::routes::with_flag(crate::routes::LOGIN, "welcome"));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(
            safe_next(Some("/admin/users?role=admin")),
            "/admin/users?role=admin"
        );
        assert_eq!(safe_next(Some("https://evil.example.com")), "/");
        assert_eq!(safe_next(Some("//evil.example.com")), "/");
        assert_eq!(safe_next(Some("/\\evil.example.com")), "/");
        assert_eq!(safe_next(None), "/");
        assert_eq!(safe_next(Some("/a\r\nSet-Cookie: x")), "/");
    }
}

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

/// Failed sign-ins for one account from one address (an IPv6 /64) within
/// [`THROTTLE_MINUTES`]: then that address may not sign in to that account, right password
/// included, until the window has passed or an admin allows sign-in again. Only the account's
/// owner and whoever shares their address can be kept out this way.
pub const MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS: i64 = 5;
/// Failed sign-ins from one address within [`THROTTLE_MINUTES`], whatever the accounts
/// (password spraying). Accounts that signed in from that address before are not held by it.
pub const MAX_FAILURES_PER_ADDRESS: i64 = 30;
/// From this many failed sign-ins for one account from anywhere within [`THROTTLE_MINUTES`],
/// each further attempt must wait after the last failure: a delay, never a lock.
pub const DELAY_AFTER_FAILURES: i64 = 5;
/// The longest such delay.
pub const MAX_DELAY_SECONDS: i64 = 60;
pub const THROTTLE_MINUTES: i64 = 15;
/// An address an account signed in from within this many days is its owner's: failures of
/// others there (per address) or elsewhere (the delay) do not hold the account back there.
pub const KNOWN_ADDRESS_DAYS: i64 = 30;

/// How long after its last failure an account with `failures` recent failed sign-ins takes
/// the next attempt: nothing under [`DELAY_AFTER_FAILURES`], then 1 s, doubling with each
/// further failure up to [`MAX_DELAY_SECONDS`].
pub fn account_delay(failures: i64) -> time::Duration {
    if failures < DELAY_AFTER_FAILURES {
        return time::Duration::ZERO;
    }
    let doublings = (failures - DELAY_AFTER_FAILURES).min(6) as u32;
    time::Duration::seconds((1i64 << doublings).min(MAX_DELAY_SECONDS))
}

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
    let now = time::OffsetDateTime::now_utc();
    let window = crate::clock::format_timestamp(now - time::Duration::minutes(THROTTLE_MINUTES));
    let account = super::repo::login_account(&mut *db.conn().await?, &email).await?;
    // Failures before an admin's "allow sign-in again" no longer count for this account; for
    // the rest of the window it is not held by its address's failures with other accounts.
    let unlocked = account
        .as_ref()
        .and_then(|a| a.sign_in_unlocked_at.clone())
        .filter(|u| *u > window);
    let scope = crate::audit::repo::SignInScope {
        email: &email,
        ip: &ip,
        window: &window,
        account_since: unlocked.as_deref().unwrap_or(&window),
        known_since: &crate::clock::format_timestamp(
            now - time::Duration::days(KNOWN_ADDRESS_DAYS),
        ),
    };
    let failures = crate::audit::repo::sign_in_failures(&mut *db.conn().await?, &scope).await?;
    // The owner at an address they signed in from, or an account an admin just allowed, is
    // not held back by other accounts' failures from there.
    let exempt = failures.known_address || unlocked.is_some();
    if failures.pair >= MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS
        || (!exempt && failures.address >= MAX_FAILURES_PER_ADDRESS)
    {
        // Refused unchecked; the log shows the first refusal per account and address in the
        // window (a burst shows without growing the log).
        crate::audit::repo::record_throttled_once(&db, &scope).await?;
        return Err(too_many());
    }
    // Failures from anywhere only slow the account down (never a lock the owner could be put
    // under from another address); the owner's known address is not slowed. Refused without
    // writing anything.
    if !failures.known_address {
        let last = failures
            .last_for_account
            .as_deref()
            .and_then(crate::clock::parse_timestamp);
        if let Some(last) = last {
            let wait = account_delay(failures.account) - (now - last);
            if wait.is_positive() {
                let seconds = ((wait.whole_milliseconds() + 999) / 1000).max(1) as i64;
                return Err(AppError::TooManyRequests(
                    td_string!(locale, auth.sign_in_wait, count = seconds).to_string(),
                ));
            }
        }
    }
    // Under the limits, the attempt is recorded as a failure before it is counted again and
    // before the (slow) password check, then corrected if it succeeds: guesses sent in
    // parallel from one address each see the ones before them, so no burst gets more than the
    // allowed number of tries. (The delay is checked before that: guesses sent at once from N
    // addresses get at most N tries per step of the delay.)
    let attempt = crate::audit::repo::record_pending(
        &mut *db.conn().await?,
        NewEntry {
            actor_email: Some(&email),
            ip: Some(&ip),
            ..NewEntry::new(AuditEvent::SignInFailed)
        },
    )
    .await?;
    let failures = crate::audit::repo::sign_in_failures(&mut *db.conn().await?, &scope).await?;
    if failures.pair > MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS
        || (!exempt && failures.address > MAX_FAILURES_PER_ADDRESS)
    {
        // Overtaken by parallel guesses: this one is not tried, and not counted.
        crate::audit::repo::discard_pending(&mut *db.conn().await?, attempt).await?;
        crate::audit::repo::record_throttled_once(&db, &scope).await?;
        return Err(too_many());
    }
    let hash = account
        .as_ref()
        .filter(|a| a.active)
        .and_then(|a| a.password_hash.clone());
    let ok = super::password::verify(password, hash).await;
    let Some(account) = account.filter(|_| ok) else {
        // A threshold crossed shows in the log once: this address is now locked out of the
        // account, or the account's attempts now wait.
        if failures.pair >= MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS {
            crate::audit::repo::record_sign_in_limit_once(
                &db,
                &scope,
                &failures.pair_since,
                AuditEvent::SignInLocked,
                format!(
                    "{} failed sign-ins from this address within {THROTTLE_MINUTES} minutes: \
                     it may not sign in to this account until the window has passed or an \
                     administrator allows it again",
                    failures.pair
                ),
            )
            .await?;
        }
        if failures.account >= DELAY_AFTER_FAILURES {
            crate::audit::repo::record_sign_in_limit_once(
                &db,
                &scope,
                scope.account_since,
                AuditEvent::SignInSlowed,
                format!(
                    "{} failed sign-ins from anywhere within {THROTTLE_MINUTES} minutes: each \
                     further attempt waits (1 s, doubling up to {MAX_DELAY_SECONDS} s)",
                    failures.account
                ),
            )
            .await?;
        }
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
    use super::{account_delay, safe_next};

    #[test]
    fn an_accounts_delay_doubles_from_its_fifth_failure_up_to_a_minute() {
        let delays: Vec<i64> = (0..14).map(|n| account_delay(n).whole_seconds()).collect();
        assert_eq!(delays, [0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 60, 60, 60]);
        assert_eq!(account_delay(10_000).whole_seconds(), 60);
    }

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

//! Server functions of user administration: admins only, checked first in each.

use leptos::prelude::*;

use super::model::{User, UserDetail};
#[cfg(feature = "ssr")]
use super::model::{UserFilter, UserInput};
#[cfg(feature = "ssr")]
use crate::auth::model::LinkPurpose;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::i18n::*;

/// Users, filtered by role and country. Admins only.
#[server(endpoint = "list_users")]
pub async fn list_users(
    #[server(default)] role: Option<String>,
    #[server(default)] country: Option<String>,
) -> Result<Vec<User>, AppError> {
    use crate::caller::Role;
    crate::context::require_role(&[Role::Admin])?;
    let db = crate::context::db()?;
    let filter = UserFilter {
        role: role.and_then(|r| r.parse::<Role>().ok()),
        country: country
            .as_deref()
            .and_then(crate::countries::model::normalize_iso2),
    };
    super::repo::list(&mut *db.conn().await?, &filter).await
}

/// One user, with the link just created for them (shown once). Admins only.
#[server(endpoint = "get_user")]
pub async fn get_user(id: i64) -> Result<UserDetail, AppError> {
    use crate::caller::Role;
    crate::context::require_role(&[Role::Admin])?;
    let db = crate::context::db()?;
    let user = super::repo::get(&mut *db.conn().await?, id).await?;
    let session = crate::context::session()?;
    let new_link = crate::auth::session::take_flash_link(&session, id)
        .await
        .map(|l| super::model::NewLink {
            purpose: l.purpose,
            url: l.url,
            expires_at: l.expires_at,
        });
    let invitation_expires_at = super::repo::pending_invitation(&mut *db.conn().await?, id).await?;
    let sign_in_failures = recent_sign_in_failures(&db, &user.email).await?;
    Ok(UserDetail {
        user,
        new_link,
        invitation_expires_at,
        sign_in_failures,
    })
}

/// The account's failed sign-ins that count now: in the throttling window, after an admin
/// last allowed sign-in again.
#[cfg(feature = "ssr")]
async fn recent_sign_in_failures(db: &crate::db::Db, email: &str) -> Result<i64, AppError> {
    let mut c = db.conn().await?;
    let window = crate::clock::format_timestamp(
        time::OffsetDateTime::now_utc()
            - time::Duration::minutes(crate::auth::api::THROTTLE_MINUTES),
    );
    let email = crate::auth::model::normalize_email(email);
    let unlocked = crate::auth::repo::login_account(&mut c, &email)
        .await?
        .and_then(|a| a.sign_in_unlocked_at)
        .filter(|u| *u > window);
    crate::audit::repo::sign_in_failures_since(
        &mut c,
        &email,
        unlocked.as_deref().unwrap_or(&window),
    )
    .await
}

#[cfg(feature = "ssr")]
async fn known_countries(db: &crate::db::Db) -> Result<Vec<String>, AppError> {
    Ok(crate::countries::repo::list(&mut *db.conn().await?)
        .await?
        .into_iter()
        .map(|c| c.iso2)
        .collect())
}

/// Creates a link for `user_id` inside the transaction; once it commits, [`show_link`] keeps
/// it for the admin's next page.
#[cfg(feature = "ssr")]
async fn issue_link(
    tx: &mut crate::db::Tx,
    user_id: i64,
    purpose: LinkPurpose,
    admin: &crate::caller::CurrentUser,
) -> Result<crate::auth::session::FlashLink, AppError> {
    let settings = crate::context::state()?.settings;
    let ttl = match purpose {
        LinkPurpose::Invitation => settings.invitation_ttl,
        LinkPurpose::PasswordReset => settings.reset_ttl,
    };
    let (token, expires_at) =
        crate::auth::repo::create_token(tx, user_id, purpose, Some(admin.id), ttl).await?;
    let base = crate::context::base_url()?;
    let url = match purpose {
        LinkPurpose::Invitation => crate::routes::invitation(&base, &token),
        LinkPurpose::PasswordReset => crate::routes::password_reset(&base, &token),
    };
    Ok(crate::auth::session::FlashLink {
        user_id,
        purpose,
        url,
        expires_at,
    })
}

/// Keeps a committed link for the admin's next page (shown once).
#[cfg(feature = "ssr")]
async fn show_link(link: crate::auth::session::FlashLink) -> Result<(), AppError> {
    crate::auth::session::put_flash_link(&crate::context::session()?, link).await
}

/// Invites a user: creates the account and a single-use invitation link, then shows the
/// user's page with the link to copy. Admins only.
#[server(endpoint = "invite_user")]
pub async fn invite_user(
    email: String,
    #[server(default)] display_name: String,
    role: String,
    #[server(default)] countries: Vec<String>,
    #[server(default)] organisation: String,
    #[server(default)] member_type: String,
    #[server(default)] member_country: String,
) -> Result<i64, AppError> {
    use crate::audit::{
        model::AuditEvent,
        repo::{Actor, AuditedTx},
    };
    use crate::caller::Role;
    let admin = crate::context::require_role(&[Role::Admin])?;
    let locale = crate::lang::use_locale();
    let db = crate::context::db()?;
    let input = UserInput {
        email,
        display_name,
        role,
        countries,
        organisation,
        member_type,
        member_country,
    };
    let valid = input
        .validate(locale, &known_countries(&db).await?, true)
        .map_err(AppError::Invalid)?;
    let ip = crate::context::client_ip();
    let mut w = AuditedTx::begin(&db, Actor::of(&admin, &ip)).await?;
    if super::repo::email_taken(&mut w.tx, &valid.email).await? {
        return Err(AppError::invalid(
            "email",
            td_string!(locale, users.email_taken),
        ));
    }
    let id = super::repo::create(&mut w.tx, &valid, None).await?;
    let link = issue_link(&mut w.tx, id, LinkPurpose::Invitation, &admin).await?;
    w.commit(
        AuditEvent::UserInvited,
        format!("user:{id} {}", valid.email),
        Some(describe(&valid)),
    )
    .await?;
    show_link(link).await?;
    leptos_axum::redirect(&crate::routes::admin_user(id));
    Ok(id)
}

#[cfg(feature = "ssr")]
fn describe(u: &super::model::ValidUser) -> String {
    let mut parts = vec![format!("role {}", u.role.as_str())];
    if !u.countries.is_empty() {
        parts.push(format!("countries {}", u.countries.join(", ")));
    }
    if let Some(org) = &u.organisation {
        parts.push(format!("organisation {org}"));
    }
    if let Some(c) = &u.member_country {
        parts.push(format!("country {c}"));
    }
    parts.join("; ")
}

/// Changes a user's name, role, countries and member details. Admins only; an admin cannot
/// take the admin role from themselves.
#[server(endpoint = "update_user")]
pub async fn update_user(
    id: i64,
    #[server(default)] display_name: String,
    role: String,
    #[server(default)] countries: Vec<String>,
    #[server(default)] organisation: String,
    #[server(default)] member_type: String,
    #[server(default)] member_country: String,
) -> Result<(), AppError> {
    use crate::audit::{
        model::AuditEvent,
        repo::{Actor, AuditedTx},
    };
    use crate::caller::Role;
    let admin = crate::context::require_role(&[Role::Admin])?;
    let locale = crate::lang::use_locale();
    let db = crate::context::db()?;
    let input = UserInput {
        email: String::new(),
        display_name,
        role,
        countries,
        organisation,
        member_type,
        member_country,
    };
    let valid = input
        .validate(locale, &known_countries(&db).await?, false)
        .map_err(AppError::Invalid)?;
    if id == admin.id && valid.role != Role::Admin {
        return Err(AppError::invalid(
            "role",
            td_string!(locale, users.cannot_remove_own_admin),
        ));
    }
    let before = super::repo::get(&mut *db.conn().await?, id).await?;
    let ip = crate::context::client_ip();
    let mut w = AuditedTx::begin(&db, Actor::of(&admin, &ip)).await?;
    db.serialize_admin_changes(&mut w.tx).await?;
    if valid.role != Role::Admin && super::repo::is_last_admin(&mut w.tx, &before).await? {
        return Err(AppError::invalid(
            "role",
            td_string!(locale, users.last_admin_role),
        ));
    }
    super::repo::update(&mut w.tx, id, &valid).await?;
    let details = format!(
        "role {} → {}; countries [{}] → [{}]; name {:?} → {:?}",
        before.role.as_str(),
        valid.role.as_str(),
        before.countries.join(", "),
        valid.countries.join(", "),
        before.display_name,
        valid.display_name
    );
    w.commit(
        AuditEvent::UserUpdated,
        format!("user:{id} {}", before.email),
        Some(details),
    )
    .await?;
    leptos_axum::redirect(&crate::routes::with_flag(
        &crate::routes::admin_user(id),
        "saved",
    ));
    Ok(())
}

/// Deactivates a user (ending all their sessions) or reactivates them. Admins only; an admin
/// cannot deactivate themselves.
#[server(endpoint = "set_user_active")]
pub async fn set_user_active(id: i64, active: bool) -> Result<(), AppError> {
    use crate::audit::{
        model::AuditEvent,
        repo::{Actor, AuditedTx},
    };
    use crate::caller::Role;
    let admin = crate::context::require_role(&[Role::Admin])?;
    let locale = crate::lang::use_locale();
    if id == admin.id && !active {
        return Err(AppError::Rejected(
            td_string!(locale, users.cannot_deactivate_self).into(),
        ));
    }
    let db = crate::context::db()?;
    let user = super::repo::get(&mut *db.conn().await?, id).await?;
    let ip = crate::context::client_ip();
    let mut w = AuditedTx::begin(&db, Actor::of(&admin, &ip)).await?;
    db.serialize_admin_changes(&mut w.tx).await?;
    if !active && super::repo::is_last_admin(&mut w.tx, &user).await? {
        return Err(AppError::Rejected(
            td_string!(locale, users.last_admin).into(),
        ));
    }
    super::repo::set_active(&mut w.tx, id, active).await?;
    w.commit(
        if active {
            AuditEvent::UserReactivated
        } else {
            AuditEvent::UserDeactivated
        },
        format!("user:{id} {}", user.email),
        None,
    )
    .await?;
    leptos_axum::redirect(&crate::routes::admin_user(id));
    Ok(())
}

/// Lets a user sign in again at once: their failed sign-ins until now no longer lock any
/// address out of the account nor make its attempts wait, and for the rest of the throttling
/// window it is not held back by its address's failures with other accounts. Admins only;
/// audited.
#[server(endpoint = "allow_sign_in")]
pub async fn allow_sign_in(id: i64) -> Result<(), AppError> {
    use crate::audit::{
        model::AuditEvent,
        repo::{Actor, AuditedTx},
    };
    use crate::caller::Role;
    let admin = crate::context::require_role(&[Role::Admin])?;
    let db = crate::context::db()?;
    let user = super::repo::get(&mut *db.conn().await?, id).await?;
    let failures = recent_sign_in_failures(&db, &user.email).await?;
    let ip = crate::context::client_ip();
    let mut w = AuditedTx::begin(&db, Actor::of(&admin, &ip)).await?;
    super::repo::allow_sign_in(&mut w.tx, id).await?;
    w.commit(
        AuditEvent::SignInUnlocked,
        format!("user:{id} {}", user.email),
        Some(format!(
            "{failures} failed sign-ins in the last {} minutes no longer count",
            crate::auth::api::THROTTLE_MINUTES
        )),
    )
    .await?;
    leptos_axum::redirect(&crate::routes::with_flag(
        &crate::routes::admin_user(id),
        "unlocked",
    ));
    Ok(())
}

/// Creates a single-use link: a new invitation for a user who has not accepted theirs, a
/// password-reset link for anyone else. Shown once on the user's page. Admins only.
#[server(endpoint = "create_user_link")]
pub async fn create_user_link(id: i64) -> Result<(), AppError> {
    use crate::audit::{
        model::AuditEvent,
        repo::{Actor, AuditedTx},
    };
    use crate::caller::Role;
    let admin = crate::context::require_role(&[Role::Admin])?;
    let db = crate::context::db()?;
    let user = super::repo::get(&mut *db.conn().await?, id).await?;
    let purpose = match user.status {
        super::model::UserStatus::Deactivated => {
            return Err(AppError::Rejected(
                td_string!(crate::lang::use_locale(), users.reactivate_first).into(),
            ))
        }
        super::model::UserStatus::Invited => LinkPurpose::Invitation,
        super::model::UserStatus::Active => LinkPurpose::PasswordReset,
    };
    let ip = crate::context::client_ip();
    let mut w = AuditedTx::begin(&db, Actor::of(&admin, &ip)).await?;
    let link = issue_link(&mut w.tx, id, purpose, &admin).await?;
    w.commit(
        match purpose {
            LinkPurpose::Invitation => AuditEvent::InvitationReissued,
            LinkPurpose::PasswordReset => AuditEvent::PasswordResetLinkCreated,
        },
        format!("user:{id} {}", user.email),
        None,
    )
    .await?;
    show_link(link).await?;
    leptos_axum::redirect(&crate::routes::admin_user(id));
    Ok(())
}

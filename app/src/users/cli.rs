//! Creating users outside the web app (`server user add`), e.g. the first administrator.

use super::model::UserInput;
use crate::audit::{
    model::AuditEvent,
    repo::{Actor, AuditedTx},
};
use crate::db::Db;
use crate::error::AppError;

/// Creates a user with a password, after the same checks as the admin page and the password
/// rules. Returns the new user's id.
pub async fn add_user(db: &Db, input: UserInput, password: String) -> Result<i64, AppError> {
    let known: Vec<String> = crate::countries::repo::list(&mut *db.conn().await?)
        .await?
        .into_iter()
        .map(|c| c.iso2)
        .collect();
    // The command line speaks English.
    let locale = crate::lang::Locale::en;
    let mut errors = match input.validate(locale, &known, true) {
        Ok(_) => vec![],
        Err(e) => e,
    };
    errors.extend(crate::auth::password::validate_new(
        locale, &password, &password, "password", "password",
    ));
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let valid = input
        .validate(locale, &known, true)
        .map_err(AppError::Invalid)?;
    let hash = crate::auth::password::hash(password).await?;
    // From the command line: the actor is the operating-system account that ran it.
    let os_user = std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .unwrap_or_else(|_| "unknown".into());
    let actor = format!("command line ({os_user})");
    let by = Actor {
        id: None,
        email: Some(&actor),
        ip: "local",
    };
    let mut w = AuditedTx::begin(db, by).await?;
    if super::repo::email_taken(&mut w.tx, &valid.email).await? {
        return Err(AppError::invalid(
            "email",
            crate::i18n::td_string!(locale, users.email_taken),
        ));
    }
    let id = super::repo::create(&mut w.tx, &valid, Some(&hash)).await?;
    w.commit(
        AuditEvent::UserCreatedCli,
        format!("user:{id} {}", valid.email),
        Some(format!("role {}", valid.role.as_str())),
    )
    .await?;
    Ok(id)
}

//! Server functions of indicator definitions.

use leptos::prelude::*;

use super::model::Indicator;
use crate::error::AppError;

/// Every indicator, archived ones too. Public: definitions are part of the open data.
#[server(endpoint = "list_indicators")]
pub async fn list_indicators() -> Result<Vec<Indicator>, AppError> {
    let _anyone = crate::context::public_caller();
    let db = crate::context::db()?;
    super::repo::list(&mut *db.conn().await?).await
}

/// Creates (no `id`) or changes an indicator. Admins only.
#[server(endpoint = "save_indicator")]
pub async fn save_indicator(
    #[server(default)] id: Option<i64>,
    recommendation: String,
    name: String,
    kind: String,
    #[server(default)] unit: String,
    #[server(default)] min: String,
    #[server(default)] max: String,
    #[server(default)] help: String,
    #[server(default)] required: Option<String>,
) -> Result<i64, AppError> {
    use crate::audit::{
        model::AuditEvent,
        repo::{Actor, AuditedTx},
    };
    use crate::caller::Role;
    use crate::i18n::*;
    let admin = crate::context::require_role(&[Role::Admin])?;
    let locale = crate::lang::use_locale();
    let form = super::model::IndicatorForm {
        recommendation,
        name,
        kind,
        unit,
        min,
        max,
        help,
        required: required.is_some_and(|r| r == "on" || r == "true"),
    };
    let indicator = form.validate(locale).map_err(AppError::Invalid)?;
    let db = crate::context::db()?;
    let ip = crate::context::client_ip();
    let mut w = AuditedTx::begin(&db, Actor::of(&admin, &ip)).await?;
    let name_taken = |e: AppError| match e {
        AppError::Conflict { .. } => {
            AppError::invalid("name", td_string!(locale, indicators.error_name_taken))
        }
        other => other,
    };
    let id = match id {
        Some(id) => {
            super::repo::update(&mut w.tx, id, &indicator)
                .await
                .map_err(name_taken)?;
            id
        }
        None => super::repo::create(&mut w.tx, &indicator)
            .await
            .map_err(name_taken)?,
    };
    w.commit(
        AuditEvent::IndicatorSaved,
        format!("indicator:{id} {}", indicator.name),
        Some(format!(
            "recommendation {}; {}",
            indicator.recommendation,
            indicator.kind.as_str()
        )),
    )
    .await?;
    leptos_axum::redirect(crate::routes::ADMIN_INDICATORS);
    Ok(id)
}

/// Archives an indicator (or restores it). Admins only.
#[server(endpoint = "archive_indicator")]
pub async fn archive_indicator(id: i64, archived: bool) -> Result<(), AppError> {
    use crate::audit::{
        model::AuditEvent,
        repo::{Actor, AuditedTx},
    };
    use crate::caller::Role;
    let admin = crate::context::require_role(&[Role::Admin])?;
    let db = crate::context::db()?;
    let ip = crate::context::client_ip();
    let mut w = AuditedTx::begin(&db, Actor::of(&admin, &ip)).await?;
    super::repo::set_archived(&mut w.tx, id, archived).await?;
    w.commit(
        if archived {
            AuditEvent::IndicatorArchived
        } else {
            AuditEvent::IndicatorRestored
        },
        format!("indicator:{id}"),
        None,
    )
    .await?;
    leptos_axum::redirect(crate::routes::ADMIN_INDICATORS);
    Ok(())
}

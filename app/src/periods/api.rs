//! Server functions of reporting periods.

use leptos::prelude::*;

use super::model::Period;
use crate::error::AppError;

/// All periods, newest first. Public (the open-data API lists them too).
#[server(endpoint = "list_periods")]
pub async fn list_periods() -> Result<Vec<Period>, AppError> {
    let _anyone = crate::context::public_caller();
    let db = crate::context::db()?;
    super::repo::list(&mut *db.conn().await?).await
}

/// Creates (no `id`) or changes a period. Admins only. Two periods may not take submissions
/// at the same time.
#[server(endpoint = "save_period")]
pub async fn save_period(
    #[server(default)] id: Option<i64>,
    name: String,
    starts_on: String,
    ends_on: String,
    opens_on: String,
    closes_on: String,
) -> Result<i64, AppError> {
    use crate::audit::{
        model::AuditEvent,
        repo::{Actor, AuditedTx},
    };
    use crate::caller::Role;
    use crate::i18n::*;
    let admin = crate::context::require_role(&[Role::Admin])?;
    let locale = crate::lang::use_locale();
    let input = super::model::PeriodInput {
        name,
        starts_on,
        ends_on,
        opens_on,
        closes_on,
    }
    .validate(locale)
    .map_err(AppError::Invalid)?;
    let db = crate::context::db()?;
    let ip = crate::context::client_ip();
    let mut w = AuditedTx::begin(&db, Actor::of(&admin, &ip)).await?;
    db.serialize_admin_changes(&mut w.tx).await?;
    if let Some(other) = super::repo::overlapping(&mut w.tx, id, &input).await? {
        return Err(AppError::invalid(
            "opens_on",
            td_string!(locale, periods.error_overlap, other = other),
        ));
    }
    let name_taken = |e: AppError| match e {
        AppError::Conflict { .. } => {
            AppError::invalid("name", td_string!(locale, periods.error_name_taken))
        }
        other => other,
    };
    let id = match id {
        Some(id) => {
            super::repo::update(&mut w.tx, id, &input)
                .await
                .map_err(name_taken)?;
            id
        }
        None => super::repo::create(&mut w.tx, &input)
            .await
            .map_err(name_taken)?,
    };
    w.commit(
        AuditEvent::PeriodSaved,
        format!("period:{id} {}", input.name),
        Some(format!(
            "{} to {}; submissions {} to {}",
            input.starts_on, input.ends_on, input.opens_on, input.closes_on
        )),
    )
    .await?;
    leptos_axum::redirect(&crate::routes::period(id));
    Ok(id)
}

/// Closes submissions of a period now (or opens them again). Admins only.
#[server(endpoint = "close_period")]
pub async fn close_period(id: i64, closed: bool) -> Result<(), AppError> {
    use crate::audit::{
        model::AuditEvent,
        repo::{Actor, AuditedTx},
    };
    use crate::caller::Role;
    use crate::i18n::*;
    let admin = crate::context::require_role(&[Role::Admin])?;
    let locale = crate::lang::use_locale();
    let db = crate::context::db()?;
    let ip = crate::context::client_ip();
    let mut w = AuditedTx::begin(&db, Actor::of(&admin, &ip)).await?;
    db.serialize_admin_changes(&mut w.tx).await?;
    if !closed {
        let p = super::repo::get(&mut w.tx, id).await?;
        if p.closes_on < crate::clock::today() {
            return Err(AppError::Rejected(
                td_string!(
                    locale,
                    periods.error_reopen_past_due,
                    name = p.name,
                    date = crate::lang::format::date(locale, &p.closes_on)
                )
                .to_string(),
            ));
        }
        let window = super::model::PeriodInput {
            name: p.name,
            starts_on: p.starts_on,
            ends_on: p.ends_on,
            opens_on: p.opens_on,
            closes_on: p.closes_on,
        };
        if let Some(other) = super::repo::overlapping(&mut w.tx, Some(id), &window).await? {
            return Err(AppError::Rejected(
                td_string!(locale, periods.error_reopen_overlap, other = other).to_string(),
            ));
        }
    }
    super::repo::set_closed(&mut w.tx, id, closed).await?;
    w.commit(
        if closed {
            AuditEvent::PeriodClosed
        } else {
            AuditEvent::PeriodReopened
        },
        format!("period:{id}"),
        None,
    )
    .await?;
    leptos_axum::redirect(&crate::routes::period(id));
    Ok(())
}

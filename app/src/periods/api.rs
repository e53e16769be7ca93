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
    let admin = crate::context::require_role(&[Role::Admin])?;
    let input = super::model::PeriodInput {
        name,
        starts_on,
        ends_on,
        opens_on,
        closes_on,
    }
    .validate()
    .map_err(AppError::Invalid)?;
    let db = crate::context::db()?;
    let ip = crate::context::client_ip();
    let mut w = AuditedTx::begin(&db, Actor::of(&admin, &ip)).await?;
    db.serialize_admin_changes(&mut w.tx).await?;
    if let Some(other) = super::repo::overlapping(&mut w.tx, id, &input).await? {
        return Err(AppError::invalid(
            "opens_on",
            format!("Submissions for {other} are open in these dates. Close them first, or choose other dates."),
        ));
    }
    let id = match id {
        Some(id) => {
            super::repo::update(&mut w.tx, id, &input)
                .await
                .map_err(|e| match e {
                    AppError::Conflict { .. } => {
                        AppError::invalid("name", "There is already a period with this name.")
                    }
                    other => other,
                })?;
            id
        }
        None => super::repo::create(&mut w.tx, &input)
            .await
            .map_err(|e| match e {
                AppError::Conflict { .. } => {
                    AppError::invalid("name", "There is already a period with this name.")
                }
                other => other,
            })?,
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
    let admin = crate::context::require_role(&[Role::Admin])?;
    let db = crate::context::db()?;
    let ip = crate::context::client_ip();
    let mut w = AuditedTx::begin(&db, Actor::of(&admin, &ip)).await?;
    db.serialize_admin_changes(&mut w.tx).await?;
    if !closed {
        let p = super::repo::get(&mut w.tx, id).await?;
        if p.closes_on < crate::clock::today() {
            return Err(AppError::Rejected(format!(
                "Submissions for {} were due by {}. To take submissions again, set a later \
                 “Submissions close” date in the period settings.",
                p.name, p.closes_on
            )));
        }
        let window = super::model::PeriodInput {
            name: p.name,
            starts_on: p.starts_on,
            ends_on: p.ends_on,
            opens_on: p.opens_on,
            closes_on: p.closes_on,
        };
        if let Some(other) = super::repo::overlapping(&mut w.tx, Some(id), &window).await? {
            return Err(AppError::Rejected(format!(
                "Submissions for {other} are open in the same dates. Close them first."
            )));
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

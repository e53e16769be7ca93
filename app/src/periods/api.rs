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
    use crate::audit::{model::AuditEvent, repo::NewEntry};
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
    let mut tx = db.begin().await?;
    db.serialize_admin_changes(&mut tx).await?;
    if let Some(other) = super::repo::overlapping(&mut tx, id, &input).await? {
        return Err(AppError::invalid(
            "opens_on",
            format!("Submissions for {other} are open in these dates. Close them first, or choose other dates."),
        ));
    }
    let id = match id {
        Some(id) => {
            super::repo::update(&mut tx, id, &input)
                .await
                .map_err(|e| match e {
                    AppError::Conflict { .. } => {
                        AppError::invalid("name", "There is already a period with this name.")
                    }
                    other => other,
                })?;
            id
        }
        None => super::repo::create(&mut tx, &input)
            .await
            .map_err(|e| match e {
                AppError::Conflict { .. } => {
                    AppError::invalid("name", "There is already a period with this name.")
                }
                other => other,
            })?,
    };
    crate::audit::repo::record(
        &mut tx,
        NewEntry {
            actor_id: Some(admin.id),
            actor_email: Some(&admin.email),
            action: AuditEvent::PeriodSaved,
            subject: Some(format!("period:{id} {}", input.name)),
            details: Some(format!(
                "{} to {}; submissions {} to {}",
                input.starts_on, input.ends_on, input.opens_on, input.closes_on
            )),
            ip: Some(&ip),
        },
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect(&crate::routes::period(id));
    Ok(id)
}

/// Closes submissions of a period now (or opens them again). Admins only.
#[server(endpoint = "close_period")]
pub async fn close_period(id: i64, closed: bool) -> Result<(), AppError> {
    use crate::audit::{model::AuditEvent, repo::NewEntry};
    use crate::caller::Role;
    let admin = crate::context::require_role(&[Role::Admin])?;
    let db = crate::context::db()?;
    let ip = crate::context::client_ip();
    let mut tx = db.begin().await?;
    db.serialize_admin_changes(&mut tx).await?;
    if !closed {
        let p = super::repo::get(&mut tx, id).await?;
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
        if let Some(other) = super::repo::overlapping(&mut tx, Some(id), &window).await? {
            return Err(AppError::Rejected(format!(
                "Submissions for {other} are open in the same dates. Close them first."
            )));
        }
    }
    super::repo::set_closed(&mut tx, id, closed).await?;
    crate::audit::repo::record(
        &mut tx,
        NewEntry {
            actor_id: Some(admin.id),
            actor_email: Some(&admin.email),
            subject: Some(format!("period:{id}")),
            ip: Some(&ip),
            ..NewEntry::new(if closed {
                AuditEvent::PeriodClosed
            } else {
                AuditEvent::PeriodReopened
            })
        },
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect(&crate::routes::period(id));
    Ok(())
}

//! Reports in and out of Excel: the workbook of one country's report (its focal points) or of
//! every country for a period (the secretariat), the reports as they are now for a dry run,
//! and applying an uploaded workbook: one transaction for every country it changes, through
//! the form's own checks and the same writes as a save (history per field), with an audit
//! entry per report naming the file; refused whole, with the others' changes, if any report
//! moved on since the workbook was made.

use super::save::{save_conflict, write_entries};
use super::{open_period, subject};
use crate::audit::model::AuditEvent;
use crate::audit::repo::{Actor, AuditedTx};
use crate::caller::{CurrentUser, Role};
use crate::db::Db;
use crate::error::AppError;
use crate::indicators::model::Indicator;
use crate::lang::{format, Locale};
use crate::periods::model::{Period, Phase};
use crate::progress::checks::check_entries;
use crate::progress::policy;
use crate::progress::repo;
use crate::progress::template::preview::{CurrentReport, Plan};
use crate::progress::template::{write, TemplateReport};
use crate::{clock, countries, indicators, periods, recommendations};

/// Whose reports a workbook holds: one country's (its focal points), or every country's
/// (admins: the secretariat's bulk workbook).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope<'a> {
    Country(&'a str),
    Bulk,
}

/// May `user` download or import the workbook of `scope`?
pub fn require_scope(user: &CurrentUser, scope: Scope<'_>) -> Result<(), AppError> {
    match scope {
        Scope::Country(iso2) => policy::require_country(user, iso2),
        Scope::Bulk if user.role == Role::Admin => Ok(()),
        Scope::Bulk => Err(AppError::Forbidden),
    }
}

/// May the importer of `scope` change a report in `state` during `phase`? Focal points as the
/// form allows; the secretariat the same states (it fills reports for countries that send
/// their data by e-mail; it does not overwrite what a country submitted).
fn editable(phase: Phase, state: Option<crate::progress::workflow::ReportState>) -> bool {
    phase == Phase::Open && state.is_none_or(|s| s.editable_by_focal_point())
}

/// The reports of `scope` for a period as they are now, in `locale` (countries by name).
pub async fn current_reports(
    db: &Db,
    user: &CurrentUser,
    scope: Scope<'_>,
    period_id: i64,
    locale: Locale,
) -> Result<(Period, Vec<CurrentReport>, Vec<Indicator>), AppError> {
    require_scope(user, scope)?;
    let mut c = db.conn().await?;
    let period = periods::repo::get(&mut c, period_id).await?;
    let recs = recommendations::repo::list(&mut c).await?;
    let all = countries::repo::list(&mut c).await?;
    let active: Vec<Indicator> = indicators::repo::list(&mut c)
        .await?
        .into_iter()
        .filter(|i| !i.archived)
        .collect();
    let chosen: Vec<_> = match scope {
        Scope::Country(iso2) => all.into_iter().filter(|c| c.iso2 == iso2).collect(),
        Scope::Bulk => all,
    };
    if chosen.is_empty() {
        return Err(AppError::NotFound);
    }
    let mut out = Vec::with_capacity(chosen.len());
    for country in chosen {
        let report = repo::find(&mut c, &country.iso2, period_id).await?;
        let stored = match &report {
            Some(r) => repo::entries(&mut c, r.id).await?,
            None => vec![],
        };
        let entries = recs
            .iter()
            .map(|rec| {
                let s = stored
                    .iter()
                    .find(|e| e.values.recommendation == rec.number);
                (
                    rec.number,
                    crate::recommendations::pages::title(locale, rec),
                    s.map(|s| s.values.clone()).unwrap_or_else(|| {
                        crate::progress::checks::EntryValues {
                            recommendation: rec.number,
                            ..Default::default()
                        }
                    }),
                    s.map(|s| s.stored_values.clone()).unwrap_or_default(),
                )
            })
            .collect();
        let state = report.as_ref().map(|r| r.state);
        out.push(CurrentReport {
            country: format::country_name_or(locale, &country.iso2, &country.name),
            iso2: country.iso2,
            version: report.as_ref().map_or(0, |r| r.version),
            state,
            editable: editable(period.phase, state),
            entries,
        });
    }
    Ok((period, out, active))
}

/// The workbook of `scope` for a period in `locale`, and its file name.
pub async fn template(
    db: &Db,
    user: &CurrentUser,
    scope: Scope<'_>,
    period_id: i64,
    locale: Locale,
) -> Result<(Vec<u8>, String), AppError> {
    let (period, current, active) = current_reports(db, user, scope, period_id, locale).await?;
    let reports: Vec<TemplateReport> = current
        .into_iter()
        .map(|r| TemplateReport {
            iso2: r.iso2,
            country: r.country,
            version: r.version,
            entries: r
                .entries
                .into_iter()
                .map(|(n, title, values, _)| (n, title, values))
                .collect(),
        })
        .collect();
    let bytes = write::workbook(&period, &reports, &active, locale)?;
    let stem = match scope {
        Scope::Country(iso2) => format!("progress-{iso2}-{}", period.name),
        Scope::Bulk => format!("progress-all-countries-{}", period.name),
    };
    let safe: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    Ok((bytes, format!("{safe}.xlsx")))
}

/// Applies the plans of a checked workbook (`source` names the file in the audit log): every
/// report in one transaction, each entry checked again and written as a save writes it. All
/// or nothing: a report that is no longer editable, or that changed since the workbook was
/// made, refuses the whole import (the conflict lists what changed).
pub async fn apply_plans(
    db: &Db,
    user: &CurrentUser,
    ip: &str,
    scope: Scope<'_>,
    period_id: i64,
    plans: &[Plan],
    source: &str,
    locale: Locale,
) -> Result<usize, AppError> {
    require_scope(user, scope)?;
    for plan in plans {
        match scope {
            Scope::Country(iso2) if plan.iso2 != iso2 => return Err(AppError::Forbidden),
            _ => {}
        }
    }
    // Refused early, without the write lock, when the period is closed already.
    open_period(&mut *db.conn().await?, period_id, locale).await?;
    let all_indicators = indicators::repo::list(&mut *db.conn().await?).await?;
    let today = clock::latest_as_of();
    let mut w = AuditedTx::begin(db, Actor::of(user, ip)).await?;
    // Again inside the transaction, under the lock a close takes: a period closed a moment
    // ago is seen, and nothing is written into it.
    db.share_admin_lock(&mut w.tx).await?;
    let period = open_period(&mut w.tx, period_id, locale).await?;
    let mut written = 0;
    for plan in plans {
        let values = check_entries(&plan.entries, &all_indicators, &today, locale)
            .map_err(AppError::Invalid)?;
        let report = repo::find(&mut w.tx, &plan.iso2, period_id).await?;
        if let Some(r) = &report {
            policy::require_editable(r.state, locale)?;
        }
        let report_id = match &report {
            Some(r) => r.id,
            None if plan.version == 0 => {
                repo::create(&mut w.tx, &plan.iso2, period_id, user, None, locale).await?
            }
            None => return Err(AppError::NotFound),
        };
        let saved = write_entries(
            &mut w.tx,
            report_id,
            &plan.iso2,
            plan.version,
            &values,
            &all_indicators,
            user,
        )
        .await?;
        if saved.is_none() {
            drop(w);
            return Err(
                save_conflict(db, &plan.iso2, period_id, report_id, plan.version, locale).await,
            );
        }
        w.record(
            AuditEvent::ReportImported,
            subject(&plan.iso2, &period),
            Some(format!("from {source}")),
        )
        .await?;
        written += values.len();
    }
    w.commit_unrecorded().await?;
    Ok(written)
}

//! Saving a report (and submitting it), and starting one from the last approved report.

use sqlx::AnyConnection;

use super::{open_period, subject};
use crate::audit::model::AuditEvent;
use crate::audit::repo::{Actor, AuditedTx};
use crate::caller::CurrentUser;
use crate::db::Db;
use crate::error::AppError;
use crate::i18n::*;
use crate::indicators::model::Indicator;
use crate::lang::{format, Locale};
use crate::progress::checks::{check_entries, EntryInput, EntryValues};
use crate::progress::diff::entry_changes;
use crate::progress::missing::{carried_forward, missing};
use crate::progress::policy;
use crate::progress::repo::{self, ReportRow};
use crate::progress::view::SaveOutcome;
use crate::progress::workflow::{Intent, ReportState, Transition};
use crate::{clock, indicators};

/// A save of the focal point's form.
#[derive(Debug, Clone)]
pub struct SaveInput {
    /// The version the form was loaded at (0: the report was not started).
    pub version: i64,
    pub entries: Vec<EntryInput>,
    pub intent: Intent,
}

/// Saves a country's report as a draft; with [`Intent::Submit`], also submits it when
/// nothing is missing. Refused unless `user` is a focal point of the country, the period is
/// open and the report editable; refused with the other saver's changes (a `Conflict` that
/// carries the report's current version) if someone saved since `input.version`. Every
/// message (invalid fields, what is missing, refusals) is in `locale`.
pub async fn save_report(
    db: &Db,
    user: &CurrentUser,
    ip: &str,
    iso2: &str,
    period_id: i64,
    input: &SaveInput,
    locale: Locale,
) -> Result<SaveOutcome, AppError> {
    policy::require_country(user, iso2)?;
    // Refused early, without the write lock, when the period is closed already.
    open_period(&mut *db.conn().await?, period_id, locale).await?;
    let all_indicators = indicators::repo::list(&mut *db.conn().await?).await?;
    let values = check_entries(
        &input.entries,
        &all_indicators,
        &clock::latest_as_of(),
        locale,
    )
    .map_err(AppError::Invalid)?;
    let mut w = AuditedTx::begin(db, Actor::of(user, ip)).await?;
    // Again inside the transaction, under the lock a close takes: a period closed a moment
    // ago is seen, and nothing is written into it.
    db.share_admin_lock(&mut w.tx).await?;
    let period = open_period(&mut w.tx, period_id, locale).await?;
    let report = repo::find(&mut w.tx, iso2, period_id).await?;
    if let Some(r) = &report {
        policy::require_editable(r.state, locale)?;
    }
    let report_id = match &report {
        Some(r) => r.id,
        None if input.version == 0 => {
            repo::create(&mut w.tx, iso2, period_id, user, None, locale).await?
        }
        None => return Err(AppError::NotFound),
    };
    let Some(saved_version) = write_entries(
        &mut w.tx,
        report_id,
        iso2,
        input.version,
        &values,
        &all_indicators,
        user,
    )
    .await?
    else {
        drop(w);
        return Err(save_conflict(db, iso2, period_id, report_id, input.version, locale).await);
    };
    let active: Vec<Indicator> = all_indicators.into_iter().filter(|i| !i.archived).collect();
    let still_missing = missing(&values, &active, locale);
    let state = report.map(|r| r.state).unwrap_or(ReportState::Draft);
    if input.intent == Intent::Submit && still_missing.is_empty() {
        let to = Transition::Submit.apply(state).ok_or(AppError::Internal)?;
        let version = repo::transition(
            &mut w.tx,
            report_id,
            Some(saved_version),
            state,
            to,
            None,
            user,
            locale,
        )
        .await?;
        w.commit(
            Transition::Submit.audit_event(),
            subject(iso2, &period),
            None,
        )
        .await?;
        return Ok(SaveOutcome {
            version,
            state: to,
            missing: vec![],
        });
    }
    w.commit_unrecorded().await?;
    Ok(SaveOutcome {
        version: saved_version,
        state,
        missing: match input.intent {
            Intent::Submit => still_missing,
            Intent::Save => vec![],
        },
    })
}

/// Writes `entries` over a report at `base_version`: bumps the version, then writes each
/// entry, its indicator values and its history. `None` (nothing written) when the report is no
/// longer at `base_version`. Also how the demo data set writes its reports.
pub(crate) async fn write_entries(
    c: &mut AnyConnection,
    report_id: i64,
    iso2: &str,
    base_version: i64,
    entries: &[EntryValues],
    indicators: &[Indicator],
    user: &CurrentUser,
) -> Result<Option<i64>, AppError> {
    if !repo::bump_version(c, report_id, iso2, base_version, user).await? {
        return Ok(None);
    }
    let version = base_version + 1;
    let old_entries = repo::entries(c, report_id).await?;
    for new in entries {
        let old = old_entries
            .iter()
            .find(|o| o.values.recommendation == new.recommendation);
        let before = old.map(|o| o.values.clone()).unwrap_or_default();
        let before_values = old.map(|o| o.stored_values.as_slice()).unwrap_or_default();
        let changes = entry_changes(&before, before_values, new, indicators);
        let entry_id = repo::write_entry(c, report_id, old.map(|o| o.id), new).await?;
        repo::write_values(c, entry_id, &changes, indicators).await?;
        repo::write_history(c, entry_id, version, user, &changes).await?;
    }
    Ok(Some(version))
}

/// The refusal of a save based on an old version: what the others changed since, as
/// sentences in `locale`, and the version a save must now be based on.
pub(super) async fn save_conflict(
    db: &Db,
    iso2: &str,
    period_id: i64,
    report_id: i64,
    base_version: i64,
    locale: Locale,
) -> AppError {
    let lines = async {
        let mut conn = db.conn().await?;
        let current = repo::find(&mut conn, iso2, period_id).await?;
        let changes = repo::history(&mut conn, report_id, Some(base_version)).await?;
        Ok::<_, AppError>((current, changes))
    };
    let (current, changes) = match lines.await {
        Ok(found) => found,
        Err(e) => return e,
    };
    // Values are cut at 200 characters: without JavaScript the refusal travels in the
    // redirect's URL, which proxies limit to a few kilobytes. The entry's change history, on
    // the reloaded page, has them in full.
    let quoted = |v: Option<String>| match v {
        None => td_string!(locale, progress.empty_value).to_string(),
        Some(v) if v.chars().count() > 200 => {
            let cut = format!("{}…", v.chars().take(200).collect::<String>());
            td_string!(locale, progress.quoted, value = cut).to_string()
        }
        Some(v) => td_string!(locale, progress.quoted, value = v).to_string(),
    };
    let mut current_lines: Vec<String> = changes
        .into_iter()
        .map(|change| {
            let h = &change.item;
            td_string!(
                locale,
                progress.conflict_change,
                who = &h.by,
                n = change.recommendation,
                field = h.field_label(locale),
                old = quoted(h.shown(locale, h.old.as_deref())),
                new = quoted(h.shown(locale, h.new.as_deref())),
                when = format::timestamp(locale, &h.at)
            )
            .to_string()
        })
        .collect();
    if let Some(c) = &current {
        let who = c
            .updated_by
            .clone()
            .unwrap_or_else(|| td_string!(locale, progress.someone).into());
        current_lines.push(
            td_string!(
                locale,
                progress.conflict_current,
                version = c.version,
                who = who,
                when = format::timestamp(locale, &c.updated_at)
            )
            .to_string(),
        );
    }
    AppError::Conflict {
        message: td_string!(locale, progress.conflict_message).into(),
        current: current_lines,
        version: current.map(|c: ReportRow| c.version),
    }
}

/// Starts a period's report from the country's last approved report, keeping the indicator
/// values still measured the same way. Focal points of the country, while the period is open
/// and before the report is started. Refusals are explained in `locale`.
pub async fn copy_forward(
    db: &Db,
    user: &CurrentUser,
    ip: &str,
    iso2: &str,
    period_id: i64,
    locale: Locale,
) -> Result<(), AppError> {
    policy::require_country(user, iso2)?;
    // Refused early, without the write lock, when the period is closed already.
    open_period(&mut *db.conn().await?, period_id, locale).await?;
    let indicators = indicators::repo::list(&mut *db.conn().await?).await?;
    let mut w = AuditedTx::begin(db, Actor::of(user, ip)).await?;
    // Again inside the transaction, under the lock a close takes: a period closed a moment
    // ago is seen, and nothing is written into it.
    db.share_admin_lock(&mut w.tx).await?;
    let period = open_period(&mut w.tx, period_id, locale).await?;
    if repo::find(&mut w.tx, iso2, period_id).await?.is_some() {
        return Err(AppError::Rejected(
            td_string!(locale, progress.copy_already_started).into(),
        ));
    }
    let source = repo::last_approved_before(&mut w.tx, iso2, &period.starts_on)
        .await?
        .ok_or_else(|| {
            AppError::Rejected(td_string!(locale, progress.copy_nothing_approved).into())
        })?;
    let values: Vec<EntryValues> = repo::entries(&mut w.tx, source.id)
        .await?
        .into_iter()
        .map(|e| EntryValues {
            indicators: carried_forward(&e.stored_values, &indicators),
            ..e.values
        })
        .collect();
    let report_id = repo::create(&mut w.tx, iso2, period_id, user, Some(source.id), locale).await?;
    write_entries(&mut w.tx, report_id, iso2, 0, &values, &indicators, user)
        .await?
        .ok_or(AppError::Internal)?;
    w.commit(
        AuditEvent::ReportCopiedForward,
        subject(iso2, &period),
        Some(format!("from {}", source.period_name)),
    )
    .await
}

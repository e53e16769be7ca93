//! The operations of progress reporting, server only: load a report, save (and submit) it,
//! copy it forward, review it, reopen it. Plain async functions taking the database, the
//! caller and typed input, so a server function, an Excel import or the command line call them
//! alike. Each checks again who may do it (see `policy`) and writes in one transaction, with
//! its audit entry inside it.

use sqlx::AnyConnection;

use super::checks::{carried_forward, check_entries, missing, EntryInput, EntryValues};
use super::diff::entry_changes;
use super::policy;
use super::repo::{self, ReportRow};
use super::view::{CommentInput, EntryView, ReportView, SaveOutcome};
use super::workflow::{Decision, Intent, ReportState, Transition};
use crate::audit::model::AuditEvent;
use crate::audit::repo::{Actor, AuditedTx};
use crate::auth::model::CurrentUser;
use crate::db::Db;
use crate::error::AppError;
use crate::indicators::model::Indicator;
use crate::periods::model::{Period, Phase};
use crate::{clock, countries, indicators, periods, recommendations};

fn actor<'a>(user: &'a CurrentUser, ip: &'a str) -> Actor<'a> {
    Actor {
        id: user.id,
        email: &user.email,
        ip,
    }
}

/// The audit log's name for a report.
fn subject(iso2: &str, period: &Period) -> String {
    format!("report:{iso2}/{}", period.name)
}

/// The period, if it takes submissions now.
async fn open_period(c: &mut AnyConnection, period_id: i64) -> Result<Period, AppError> {
    let period = periods::repo::get(&mut *c, period_id).await?;
    if period.phase != Phase::Open {
        return Err(AppError::Rejected(format!(
            "Submissions for {} are closed.",
            period.name
        )));
    }
    Ok(period)
}

/// A country's report for a period as `caller` may see it (`None`: the public). The working
/// record (history, reviewer's notes, who edited) only for insiders (`policy::is_insider`).
pub async fn load_report(
    db: &Db,
    caller: Option<&CurrentUser>,
    iso2: &str,
    period_id: i64,
) -> Result<ReportView, AppError> {
    let mut conn = db.pool.acquire().await?;
    let report = repo::find(&mut conn, iso2, period_id).await?;
    policy::may_read(caller, iso2, report.as_ref().map(|r| r.state))?;

    let country = countries::repo::get(db, iso2).await?;
    let recommendations = recommendations::repo::list(db).await?;
    let period = periods::repo::get(&mut *conn, period_id).await?;
    let all_indicators = indicators::repo::list(&mut *conn).await?;
    let (stored, history) = match &report {
        Some(r) => (
            repo::entries(&mut conn, r.id).await?,
            repo::history(&mut conn, r.id, None).await?,
        ),
        None => (vec![], vec![]),
    };
    let insider = policy::is_insider(caller, iso2);
    let entries: Vec<EntryView> = recommendations
        .into_iter()
        .map(|rec| {
            let s = stored
                .iter()
                .find(|e| e.values.recommendation == rec.number);
            EntryView {
                number: rec.number,
                title: rec.title,
                values: s.map(|s| s.values.clone()).unwrap_or(EntryValues {
                    recommendation: rec.number,
                    ..Default::default()
                }),
                stored_values: s.map(|s| s.stored_values.clone()).unwrap_or_default(),
                review_comment: s.and_then(|s| s.review_comment.clone()).filter(|_| insider),
                history: history
                    .iter()
                    .filter(|h| insider && h.recommendation_number == rec.number)
                    .map(|h| h.clone().into())
                    .collect(),
            }
        })
        .collect();
    let values: Vec<EntryValues> = entries.iter().map(|e| e.values.clone()).collect();
    let indicators: Vec<Indicator> = all_indicators.into_iter().filter(|i| !i.archived).collect();
    let missing = missing(&values, &indicators);

    let state = report.as_ref().map(|r| r.state);
    let is_focal_point = caller.is_some_and(|u| u.reports_for(iso2));
    let open = period.phase == Phase::Open;
    let copy_forward_from = if is_focal_point && open && report.is_none() {
        repo::last_approved_before(&mut conn, iso2, &period.starts_on)
            .await?
            .map(|r| r.period_name)
    } else {
        None
    };
    let report = report.as_ref();
    Ok(ReportView {
        country,
        phase: period.phase,
        state,
        version: report.map(|r| r.version).unwrap_or(0),
        review_note: report
            .and_then(|r| r.review_note.clone())
            .filter(|_| insider),
        updated_at: report.map(|r| r.updated_at.clone()),
        updated_by: report
            .and_then(|r| r.updated_by.clone())
            .filter(|_| insider),
        submitted_at: report.and_then(|r| r.submitted_at.clone()),
        approved_at: report.and_then(|r| r.approved_at.clone()),
        copied_from: report.and_then(|r| r.copied_from.clone()),
        entries,
        indicators,
        missing,
        can_edit: policy::may_edit(caller, iso2, period.phase, state),
        can_review: policy::may_review(caller, state),
        can_reopen: policy::may_reopen(caller, period.phase, state),
        copy_forward_from,
        unsaved: None,
        period,
        today: clock::today(),
    })
}

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
/// carries the report's current version) if someone saved since `input.version`.
pub async fn save_report(
    db: &Db,
    user: &CurrentUser,
    ip: &str,
    iso2: &str,
    period_id: i64,
    input: &SaveInput,
) -> Result<SaveOutcome, AppError> {
    policy::require_country(user, iso2)?;
    let period = open_period(&mut *db.pool.acquire().await?, period_id).await?;
    let all_indicators = indicators::repo::list(&db.pool).await?;
    let values = check_entries(&input.entries, &all_indicators, &clock::today())
        .map_err(AppError::Invalid)?;
    let mut w = AuditedTx::begin(db, actor(user, ip)).await?;
    let report = repo::find(&mut w.tx, iso2, period_id).await?;
    if let Some(r) = &report {
        policy::require_editable(r.state)?;
    }
    let report_id = match &report {
        Some(r) => r.id,
        None if input.version == 0 => repo::create(&mut w.tx, iso2, period_id, user, None).await?,
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
        return Err(save_conflict(db, iso2, period_id, report_id, input.version).await);
    };
    let active: Vec<Indicator> = all_indicators.into_iter().filter(|i| !i.archived).collect();
    let still_missing = missing(&values, &active);
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
/// longer at `base_version`.
async fn write_entries(
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
/// sentences, and the version a save must now be based on.
async fn save_conflict(
    db: &Db,
    iso2: &str,
    period_id: i64,
    report_id: i64,
    base_version: i64,
) -> AppError {
    let lines = async {
        let mut conn = db.pool.acquire().await?;
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
        None => "(empty)".to_string(),
        Some(v) if v.chars().count() > 200 => {
            format!("“{}…”", v.chars().take(200).collect::<String>())
        }
        Some(v) => format!("“{v}”"),
    };
    let mut current_lines: Vec<String> = changes
        .into_iter()
        .map(|h| {
            format!(
                "{} changed recommendation {}, {}: {} → {} ({})",
                h.changed_by_name,
                h.recommendation_number,
                h.field,
                quoted(h.old_value),
                quoted(h.new_value),
                clock::display(&h.changed_at)
            )
        })
        .collect();
    if let Some(c) = &current {
        current_lines.push(format!(
            "The report is now version {}, last saved by {} ({}).",
            c.version,
            c.updated_by.clone().unwrap_or_else(|| "someone".into()),
            clock::display(&c.updated_at)
        ));
    }
    AppError::Conflict {
        message:
            "Someone else saved this report after you opened it, so your changes were not saved. \
                  Their changes are listed below; check them, then save again to keep your version."
                .into(),
        current: current_lines,
        version: current.map(|c: ReportRow| c.version),
    }
}

/// Starts a period's report from the country's last approved report, keeping the indicator
/// values still measured the same way. Focal points of the country, while the period is open
/// and before the report is started.
pub async fn copy_forward(
    db: &Db,
    user: &CurrentUser,
    ip: &str,
    iso2: &str,
    period_id: i64,
) -> Result<(), AppError> {
    policy::require_country(user, iso2)?;
    let period = open_period(&mut *db.pool.acquire().await?, period_id).await?;
    let indicators = indicators::repo::list(&db.pool).await?;
    let mut w = AuditedTx::begin(db, actor(user, ip)).await?;
    if repo::find(&mut w.tx, iso2, period_id).await?.is_some() {
        return Err(AppError::Rejected(
            "This report is already started; copying forward would overwrite it.".into(),
        ));
    }
    let source = repo::last_approved_before(&mut w.tx, iso2, &period.starts_on)
        .await?
        .ok_or_else(|| {
            AppError::Rejected(
                "There is no approved report of an earlier period to copy from.".into(),
            )
        })?;
    let values: Vec<EntryValues> = repo::entries(&mut w.tx, source.id)
        .await?
        .into_iter()
        .map(|e| EntryValues {
            indicators: carried_forward(&e.stored_values, &indicators),
            ..e.values
        })
        .collect();
    let report_id = repo::create(&mut w.tx, iso2, period_id, user, Some(source.id)).await?;
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

/// A reviewer's decision on a submitted report.
#[derive(Debug, Clone)]
pub struct ReviewInput {
    /// The version the reviewer saw.
    pub version: i64,
    pub decision: Decision,
    pub comments: Vec<CommentInput>,
    pub note: String,
}

/// Returns a submitted report to its focal point with comments per entry (at least one), or
/// approves it. Admins only. Returns the report's new state.
pub async fn review_report(
    db: &Db,
    admin: &CurrentUser,
    ip: &str,
    iso2: &str,
    period_id: i64,
    input: ReviewInput,
) -> Result<ReportState, AppError> {
    policy::require_reviewer(admin)?;
    let transition = input.decision.transition();
    let comments: Vec<(i64, String)> = input
        .comments
        .into_iter()
        .filter(|c| (1..=7).contains(&c.recommendation))
        .map(|c| (c.recommendation, c.comment.trim().to_string()))
        .filter(|(_, c)| !c.is_empty())
        .collect();
    let note = Some(input.note.trim().to_string()).filter(|n| !n.is_empty());
    if input.decision == Decision::Return && comments.is_empty() {
        return Err(AppError::invalid(
            "comments[0][comment]",
            "Write a comment on at least one recommendation, so the focal point knows what to change.",
        ));
    }
    let period = periods::repo::get(&db.pool, period_id).await?;
    let mut w = AuditedTx::begin(db, actor(admin, ip)).await?;
    let report = repo::find(&mut w.tx, iso2, period_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let to = transition.apply(report.state).ok_or_else(|| {
        AppError::Rejected(format!(
            "Only a submitted report can be reviewed; this one is {}.",
            report.state.label().to_lowercase()
        ))
    })?;
    let (from, version) = (report.state, Some(input.version));
    repo::transition(
        &mut w.tx,
        report.id,
        version,
        from,
        to,
        note.as_deref(),
        admin,
    )
    .await?;
    match input.decision {
        Decision::Return => {
            for number in 1..=7 {
                let comment = comments
                    .iter()
                    .find(|(n, _)| *n == number)
                    .map(|(_, c)| c.as_str());
                repo::set_review_comment(&mut w.tx, report.id, number, comment).await?;
            }
        }
        Decision::Approve => repo::clear_review_comments(&mut w.tx, report.id).await?,
    }
    let details = (!comments.is_empty()).then(|| {
        comments
            .iter()
            .map(|(n, c)| format!("{n}: {c}"))
            .collect::<Vec<_>>()
            .join(" | ")
    });
    w.commit(transition.audit_event(), subject(iso2, &period), details)
        .await?;
    Ok(to)
}

/// Reopens an approved report for its focal point, with a reason they see. Admins only, while
/// the period takes submissions.
pub async fn reopen_report(
    db: &Db,
    admin: &CurrentUser,
    ip: &str,
    iso2: &str,
    period_id: i64,
    reason: &str,
) -> Result<(), AppError> {
    policy::require_reviewer(admin)?;
    let reason = reason.trim().to_string();
    if reason.is_empty() {
        return Err(AppError::invalid(
            "reason",
            "Give the reason for reopening; the focal point sees it.",
        ));
    }
    let mut w = AuditedTx::begin(db, actor(admin, ip)).await?;
    // In the transaction, serialized with `close_period`: a period closed a moment ago is seen.
    db.serialize_admin_changes(&mut w.tx).await?;
    let period = periods::repo::get(&mut *w.tx, period_id).await?;
    if period.phase != Phase::Open {
        return Err(AppError::Rejected(format!(
            "Submissions for {} are closed, so the focal point could not edit a reopened \
             report. Open the period's submissions again first, on its completeness board.",
            period.name
        )));
    }
    let report = repo::find(&mut w.tx, iso2, period_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let to = Transition::Reopen
        .apply(report.state)
        .ok_or_else(|| AppError::Rejected("Only an approved report can be reopened.".into()))?;
    repo::transition(
        &mut w.tx,
        report.id,
        None,
        report.state,
        to,
        Some(&reason),
        admin,
    )
    .await?;
    w.commit(
        Transition::Reopen.audit_event(),
        subject(iso2, &period),
        Some(reason),
    )
    .await
}

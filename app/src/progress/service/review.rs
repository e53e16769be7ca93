//! The secretariat's steps: return or approve a submitted report, reopen an approved one.

use super::subject;
use crate::audit::repo::{Actor, AuditedTx};
use crate::caller::CurrentUser;
use crate::db::Db;
use crate::error::AppError;
use crate::i18n::*;
use crate::lang::Locale;
use crate::periods;
use crate::periods::model::Phase;
use crate::progress::fields::{comment_field, CommentField};
use crate::progress::policy;
use crate::progress::repo;
use crate::progress::view::CommentInput;
use crate::progress::workflow::{Decision, ReportState, Transition};

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
/// approves it. Admins only. Returns the report's new state; refusals are explained in
/// `locale`.
pub async fn review_report(
    db: &Db,
    admin: &CurrentUser,
    ip: &str,
    iso2: &str,
    period_id: i64,
    input: ReviewInput,
    locale: Locale,
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
            comment_field(0, CommentField::Comment),
            td_string!(locale, progress.review_needs_comment),
        ));
    }
    let period = periods::repo::get(&mut *db.conn().await?, period_id).await?;
    let mut w = AuditedTx::begin(db, Actor::of(admin, ip)).await?;
    let report = repo::find(&mut w.tx, iso2, period_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let to = transition.apply(report.state).ok_or_else(|| {
        AppError::Rejected(
            match report.state {
                ReportState::Draft => td_string!(locale, progress.not_reviewable_draft),
                ReportState::Returned => td_string!(locale, progress.not_reviewable_returned),
                ReportState::Approved | ReportState::Submitted => {
                    td_string!(locale, progress.not_reviewable_approved)
                }
            }
            .into(),
        )
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
        locale,
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
/// the period takes submissions. Refusals are explained in `locale`.
pub async fn reopen_report(
    db: &Db,
    admin: &CurrentUser,
    ip: &str,
    iso2: &str,
    period_id: i64,
    reason: &str,
    locale: Locale,
) -> Result<(), AppError> {
    policy::require_reviewer(admin)?;
    let reason = reason.trim().to_string();
    if reason.is_empty() {
        return Err(AppError::invalid(
            "reason",
            td_string!(locale, progress.reopen_needs_reason),
        ));
    }
    let mut w = AuditedTx::begin(db, Actor::of(admin, ip)).await?;
    // In the transaction, serialized with `close_period`: a period closed a moment ago is seen.
    db.serialize_admin_changes(&mut w.tx).await?;
    let period = periods::repo::get(&mut w.tx, period_id).await?;
    if period.phase != Phase::Open {
        return Err(AppError::Rejected(
            td_string!(locale, progress.reopen_period_closed, period = &period.name).to_string(),
        ));
    }
    let report = repo::find(&mut w.tx, iso2, period_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let to = Transition::Reopen.apply(report.state).ok_or_else(|| {
        AppError::Rejected(td_string!(locale, progress.reopen_only_approved).into())
    })?;
    repo::transition(
        &mut w.tx,
        report.id,
        None,
        report.state,
        to,
        Some(&reason),
        admin,
        locale,
    )
    .await?;
    w.commit(
        Transition::Reopen.audit_event(),
        subject(iso2, &period),
        Some(reason),
    )
    .await
}

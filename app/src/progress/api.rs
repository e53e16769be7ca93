//! Server functions of progress reporting. Each one checks the caller first: focal points
//! write only their own countries (`require_country_scope`), admins review, viewers and the
//! public read what `model::may_read` allows.

use leptos::prelude::*;

use super::model::{Board, CommentInput, EntryInput, MyReport, ReportView, SaveOutcome};
use crate::error::AppError;

#[cfg(feature = "ssr")]
mod server {
    pub use crate::audit::repo::{record, NewEntry};
    pub use crate::auth::model::{CurrentUser, Role};
    pub use crate::context;
    pub use crate::error::AppError;
    pub use crate::progress::model::*;
    pub use crate::progress::repo;

    /// The session key of a refused plain-form save's values.
    pub fn unsaved_key(iso2: &str, period: i64) -> String {
        format!("unsaved:{iso2}:{period}")
    }

    /// Keeps a refused plain-form save's values, so the page can show them again; a hydrated
    /// page still has them in its inputs and needs nothing kept.
    pub async fn keep_unsaved(iso2: &str, period: i64, entries: &[EntryInput]) {
        if !context::is_plain_form_post() {
            return;
        }
        if let Ok(session) = context::session() {
            let _ = session.insert(&unsaved_key(iso2, period), entries).await;
        }
    }

    pub fn audit<'a>(
        user: &'a CurrentUser,
        action: &'a str,
        subject: String,
        details: Option<String>,
        ip: &'a str,
    ) -> NewEntry<'a> {
        NewEntry {
            actor_id: Some(user.id),
            actor_email: Some(&user.email),
            action,
            subject: Some(subject),
            details,
            ip: Some(ip),
        }
    }

    /// The calling focal point, for one of their own countries, in a period that takes
    /// submissions; refused otherwise.
    pub async fn focal_point_in_open_period(
        country: &str,
        period: i64,
    ) -> Result<
        (
            CurrentUser,
            String,
            crate::db::Db,
            crate::periods::model::Period,
        ),
        AppError,
    > {
        let user = context::require_role(&[Role::FocalPoint])?;
        let iso2 = parse_country(country)?;
        context::require_country_scope(&user, &iso2)?;
        let db = context::db()?;
        let period = crate::periods::repo::get(&db.pool, period).await?;
        if period.phase != crate::periods::model::Phase::Open {
            return Err(AppError::Rejected(format!(
                "Submissions for {} are closed.",
                period.name
            )));
        }
        Ok((user, iso2, db, period))
    }

    pub fn parse_country(iso2: &str) -> Result<String, AppError> {
        crate::countries::model::normalize_iso2(iso2).ok_or(AppError::NotFound)
    }
}

/// A country's report for a period, with what the caller may do. Readable by admins and the
/// country's focal points always, by viewers once submitted, by anyone once approved.
#[server(endpoint = "get_report")]
pub async fn get_report(country: String, period: i64) -> Result<ReportView, AppError> {
    use server::*;
    let caller = context::public_caller();
    let iso2 = parse_country(&country)?;
    let db = context::db()?;
    let report = {
        let mut conn = db.pool.acquire().await?;
        repo::find(&mut conn, &iso2, period).await?
    };
    may_read(caller.as_ref(), &iso2, report.as_ref().map(|r| r.state))?;

    let country = crate::countries::repo::get(&db, &iso2).await?;
    let recommendations = crate::recommendations::repo::list(&db).await?;
    let mut conn = db.pool.acquire().await?;
    let period = crate::periods::repo::get(&mut *conn, period).await?;
    let phase = period.phase;
    let all_indicators = crate::indicators::repo::list(&mut *conn).await?;
    let (stored, history) = match &report {
        Some(r) => (
            repo::entries(&mut conn, r.id).await?,
            repo::history(&mut conn, r.id).await?,
        ),
        None => (vec![], vec![]),
    };
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
                review_comment: s.and_then(|s| s.review_comment.clone()),
                history: history
                    .iter()
                    .filter(|(n, _)| *n == rec.number)
                    .map(|(_, h)| h.clone())
                    .collect(),
            }
        })
        .collect();
    let values: Vec<EntryValues> = entries.iter().map(|e| e.values.clone()).collect();
    let indicators: Vec<Indicator> = all_indicators.into_iter().filter(|i| !i.archived).collect();
    let missing = missing(&values, &indicators);

    let is_focal_point = caller.as_ref().is_some_and(|u| u.reports_for(&iso2));
    let is_admin = caller.as_ref().is_some_and(|u| u.role == Role::Admin);
    // The working record (draft history, who edited, the reviewer's notes) is for the
    // secretariat and the country's focal points; other readers get the published content.
    let insider = is_admin || is_focal_point;
    let mut entries = entries;
    if !insider {
        for e in &mut entries {
            e.history.clear();
            e.review_comment = None;
        }
    }
    let state = report.as_ref().map(|r| r.state);
    let open = phase == crate::periods::model::Phase::Open;
    let can_edit = is_focal_point && open && state.is_none_or(|s| s.editable_by_focal_point());
    let copy_forward_from = if is_focal_point && open && report.is_none() {
        repo::last_approved_before(&mut conn, &iso2, &period.starts_on)
            .await?
            .map(|(_, name)| name)
    } else {
        None
    };
    let unsaved = if can_edit {
        match context::session() {
            Ok(session) => session
                .remove::<Vec<EntryInput>>(&unsaved_key(&iso2, period.id))
                .await
                .ok()
                .flatten(),
            Err(_) => None,
        }
    } else {
        None
    };
    Ok(ReportView {
        country,
        phase,
        state,
        version: report.as_ref().map(|r| r.version).unwrap_or(0),
        review_note: report
            .as_ref()
            .and_then(|r| r.review_note.clone())
            .filter(|_| insider),
        updated_at: report.as_ref().map(|r| r.updated_at.clone()),
        updated_by: report
            .as_ref()
            .and_then(|r| r.updated_by.clone())
            .filter(|_| insider),
        submitted_at: report.as_ref().and_then(|r| r.submitted_at.clone()),
        approved_at: report.as_ref().and_then(|r| r.approved_at.clone()),
        copied_from: report.as_ref().and_then(|r| r.copied_from.clone()),
        entries,
        indicators,
        missing,
        can_edit,
        can_review: is_admin && state == Some(ReportState::Submitted),
        can_reopen: is_admin && open && state == Some(ReportState::Approved),
        copy_forward_from,
        unsaved,
        period,
        today: crate::clock::today(),
    })
}

/// Saves a country's report as a draft; with `intent` = `submit`, also submits it when
/// nothing is missing. Focal points of the country only, while the period is open and the
/// report is a draft or returned. `version` is the version the form was loaded at: if someone
/// saved since, nothing is written and the answer lists their changes.
#[server(endpoint = "save_report")]
pub async fn save_report(
    country: String,
    period: i64,
    version: i64,
    #[server(default)] entries: Vec<EntryInput>,
    #[server(default)] intent: String,
) -> Result<SaveOutcome, AppError> {
    use server::*;
    let (user, iso2, db, period_row) = focal_point_in_open_period(&country, period).await?;
    let all_indicators = crate::indicators::repo::list(&db.pool).await?;
    let values = match check_entries(&entries, &all_indicators, &crate::clock::today()) {
        Ok(v) => v,
        Err(errors) => {
            keep_unsaved(&iso2, period, &entries).await;
            return Err(AppError::Invalid(errors));
        }
    };
    let ip = context::client_ip();
    let mut tx = db.begin().await?;
    let report = repo::find(&mut tx, &iso2, period).await?;
    if let Some(r) = &report {
        if !r.state.editable_by_focal_point() {
            return Err(AppError::Rejected(format!(
                "This report is {} and locked. {}",
                r.state.label().to_lowercase(),
                if r.state == ReportState::Approved {
                    "Ask the secretariat to reopen it."
                } else {
                    "Wait for the review."
                }
            )));
        }
    }
    let report_id = match &report {
        Some(r) => r.id,
        None if version == 0 => repo::create(&mut tx, &iso2, period, &user, None).await?,
        None => return Err(AppError::NotFound),
    };
    let new_version = match repo::save(
        &mut tx,
        report_id,
        &iso2,
        version,
        &values,
        &all_indicators,
        &user,
    )
    .await?
    {
        Some(v) => v,
        None => {
            drop(tx);
            let mut conn = db.pool.acquire().await?;
            let current = repo::find(&mut conn, &iso2, period).await?;
            let mut lines = repo::changes_since(&mut conn, report_id, version).await?;
            if let Some(c) = &current {
                lines.push(format!(
                    "The report is now version {}, last saved by {} ({}).",
                    c.version,
                    c.updated_by.clone().unwrap_or_else(|| "someone".into()),
                    crate::clock::display(&c.updated_at)
                ));
            }
            keep_unsaved(&iso2, period, &entries).await;
            return Err(AppError::Conflict {
                message: "Someone else saved this report after you opened it, so your changes were not saved. \
                          Their changes are listed below; check them, then save again to keep your version."
                    .into(),
                current: lines,
                version: current.map(|c| c.version),
            });
        }
    };
    let active: Vec<Indicator> = all_indicators.into_iter().filter(|i| !i.archived).collect();
    let still_missing = missing(&values, &active);
    let mut state = report.map(|r| r.state).unwrap_or(ReportState::Draft);
    let mut final_version = new_version;
    if intent == "submit" && still_missing.is_empty() {
        let to = Transition::Submit.apply(state).ok_or(AppError::Internal)?;
        final_version = repo::transition(
            &mut tx,
            report_id,
            Some(new_version),
            state,
            to,
            None,
            &user,
        )
        .await?;
        state = to;
        record(
            &mut *tx,
            audit(
                &user,
                Transition::Submit.audit_action(),
                format!("report:{iso2}/{}", period_row.name),
                None,
                &ip,
            ),
        )
        .await?;
    }
    tx.commit().await?;
    let outcome = if intent == "submit" && state != ReportState::Submitted {
        "incomplete"
    } else if state == ReportState::Submitted {
        "submitted"
    } else {
        "saved"
    };
    leptos_axum::redirect(&format!("/report/{iso2}/{period}?{outcome}=1"));
    Ok(SaveOutcome {
        version: final_version,
        state,
        missing: if intent == "submit" {
            still_missing
        } else {
            vec![]
        },
    })
}

/// Starts a period's report from the country's last approved report. Focal points of the
/// country only, while the period is open and before the report is started.
#[server(endpoint = "copy_forward")]
pub async fn copy_forward(country: String, period: i64) -> Result<(), AppError> {
    use server::*;
    let (user, iso2, db, period_row) = focal_point_in_open_period(&country, period).await?;
    let indicators = crate::indicators::repo::list(&db.pool).await?;
    let ip = context::client_ip();
    let mut tx = db.begin().await?;
    if repo::find(&mut tx, &iso2, period).await?.is_some() {
        return Err(AppError::Rejected(
            "This report is already started; copying forward would overwrite it.".into(),
        ));
    }
    let (source_id, source_name) =
        repo::last_approved_before(&mut tx, &iso2, &period_row.starts_on)
            .await?
            .ok_or_else(|| {
                AppError::Rejected(
                    "There is no approved report of an earlier period to copy from.".into(),
                )
            })?;
    let source = repo::entries(&mut tx, source_id).await?;
    let values: Vec<EntryValues> = source
        .into_iter()
        .map(|e| {
            let mut v = e.values;
            v.indicators = carried_forward(&e.stored_values, &indicators);
            v
        })
        .collect();
    let report_id = repo::create(&mut tx, &iso2, period, &user, Some(source_id)).await?;
    repo::save(&mut tx, report_id, &iso2, 0, &values, &indicators, &user)
        .await?
        .ok_or(AppError::Internal)?;
    record(
        &mut *tx,
        audit(
            &user,
            "report-copied-forward",
            format!("report:{iso2}/{}", period_row.name),
            Some(format!("from {source_name}")),
            &ip,
        ),
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/report/{iso2}/{period}?copied=1"));
    Ok(())
}

/// Returns a submitted report to its focal point with comments per entry (at least one), or
/// approves it. Admins only. `version` must be the version the reviewer saw.
#[server(endpoint = "review_report")]
pub async fn review_report(
    country: String,
    period: i64,
    version: i64,
    decision: String,
    #[server(default)] comments: Vec<CommentInput>,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    use server::*;
    let admin = context::require_role(&[Role::Admin])?;
    let iso2 = parse_country(&country)?;
    let transition = match decision.as_str() {
        "return" => Transition::Return,
        "approve" => Transition::Approve,
        _ => {
            return Err(AppError::invalid(
                "decision",
                "Choose to return or approve the report.",
            ))
        }
    };
    let comments: Vec<(i64, String)> = comments
        .into_iter()
        .filter(|c| (1..=7).contains(&c.recommendation))
        .map(|c| (c.recommendation, c.comment.trim().to_string()))
        .filter(|(_, c)| !c.is_empty())
        .collect();
    let note = Some(note.trim().to_string()).filter(|n| !n.is_empty());
    if transition == Transition::Return && comments.is_empty() {
        return Err(AppError::invalid(
            "comments[0][comment]",
            "Write a comment on at least one recommendation, so the focal point knows what to change.",
        ));
    }
    let db = context::db()?;
    let period_row = crate::periods::repo::get(&db.pool, period).await?;
    let ip = context::client_ip();
    let mut tx = db.begin().await?;
    let report = repo::find(&mut tx, &iso2, period)
        .await?
        .ok_or(AppError::NotFound)?;
    let to = transition.apply(report.state).ok_or_else(|| {
        AppError::Rejected(format!(
            "Only a submitted report can be reviewed; this one is {}.",
            report.state.label().to_lowercase()
        ))
    })?;
    repo::transition(
        &mut tx,
        report.id,
        Some(version),
        report.state,
        to,
        note.as_deref(),
        &admin,
    )
    .await?;
    if transition == Transition::Return {
        for number in 1..=7 {
            let comment = comments
                .iter()
                .find(|(n, _)| *n == number)
                .map(|(_, c)| c.as_str());
            repo::set_review_comment(&mut tx, report.id, number, comment).await?;
        }
    } else {
        repo::clear_review_comments(&mut tx, report.id).await?;
    }
    let details = (!comments.is_empty()).then(|| {
        comments
            .iter()
            .map(|(n, c)| format!("{n}: {c}"))
            .collect::<Vec<_>>()
            .join(" | ")
    });
    record(
        &mut *tx,
        audit(
            &admin,
            transition.audit_action(),
            format!("report:{iso2}/{}", period_row.name),
            details,
            &ip,
        ),
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/report/{iso2}/{period}?{}=1", to.as_str()));
    Ok(())
}

/// Reopens an approved report for its focal point, with a reason. Admins only.
#[server(endpoint = "reopen_report")]
pub async fn reopen_report(country: String, period: i64, reason: String) -> Result<(), AppError> {
    use server::*;
    let admin = context::require_role(&[Role::Admin])?;
    let iso2 = parse_country(&country)?;
    let reason = reason.trim().to_string();
    if reason.is_empty() {
        return Err(AppError::invalid(
            "reason",
            "Give the reason for reopening; the focal point sees it.",
        ));
    }
    let db = context::db()?;
    let ip = context::client_ip();
    let mut tx = db.begin().await?;
    // In the transaction, serialized with `close_period`: a period closed a moment ago is seen.
    db.serialize_admin_changes(&mut tx).await?;
    let period_row = crate::periods::repo::get(&mut *tx, period).await?;
    if period_row.phase != crate::periods::model::Phase::Open {
        return Err(AppError::Rejected(format!(
            "Submissions for {} are closed, so the focal point could not edit a reopened \
             report. Open the period's submissions again first, on its completeness board.",
            period_row.name
        )));
    }
    let report = repo::find(&mut tx, &iso2, period)
        .await?
        .ok_or(AppError::NotFound)?;
    let to = Transition::Reopen
        .apply(report.state)
        .ok_or_else(|| AppError::Rejected("Only an approved report can be reopened.".into()))?;
    repo::transition(
        &mut tx,
        report.id,
        None,
        report.state,
        to,
        Some(&reason),
        &admin,
    )
    .await?;
    record(
        &mut *tx,
        audit(
            &admin,
            Transition::Reopen.audit_action(),
            format!("report:{iso2}/{}", period_row.name),
            Some(reason),
            &ip,
        ),
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/report/{iso2}/{period}?reopened=1"));
    Ok(())
}

/// The completeness board of a period: every country's report state. Admins and viewers.
/// `group` is `all`, `eu27` or `non-eu`.
#[server(endpoint = "get_board")]
pub async fn get_board(period: i64, #[server(default)] group: String) -> Result<Board, AppError> {
    use server::*;
    context::require_role(&[Role::Admin, Role::Viewer])?;
    let group = crate::countries::model::CountryGroup::parse(&group).unwrap_or_default();
    let db = context::db()?;
    let mut conn = db.pool.acquire().await?;
    let period = crate::periods::repo::get(&mut *conn, period).await?;
    let rows: Vec<BoardRow> = repo::board(&mut conn, period.id)
        .await?
        .into_iter()
        .filter(|r| match group {
            crate::countries::model::CountryGroup::All => true,
            crate::countries::model::CountryGroup::Eu27 => r.eu_member,
            crate::countries::model::CountryGroup::NonEu => !r.eu_member,
        })
        .collect();
    let mut counts = vec![(
        "Not started".to_string(),
        rows.iter().filter(|r| r.state.is_none()).count(),
    )];
    for s in ReportState::ALL {
        counts.push((
            s.label().to_string(),
            rows.iter().filter(|r| r.state == Some(s)).count(),
        ));
    }
    let phase = period.phase;
    let closing_date_passed = period.closes_on < crate::clock::today();
    Ok(Board {
        period,
        phase,
        rows,
        counts,
        closing_date_passed,
    })
}

/// The caller's countries' reports, every period. Focal points only.
#[server(endpoint = "list_my_reports")]
pub async fn list_my_reports() -> Result<Vec<MyReport>, AppError> {
    use server::*;
    let user = context::require_role(&[Role::FocalPoint])?;
    let db = context::db()?;
    let periods = crate::periods::repo::list(&db).await?;
    let countries = crate::countries::repo::list(&db).await?;
    let mut conn = db.pool.acquire().await?;
    let states = repo::all_states(&mut conn).await?;
    let mut out = vec![];
    for p in &periods {
        for iso2 in &user.countries {
            let state = states.iter().find(|(c, pid, ..)| c == iso2 && *pid == p.id);
            out.push(MyReport {
                iso2: iso2.clone(),
                country: countries
                    .iter()
                    .find(|c| &c.iso2 == iso2)
                    .map(|c| c.name.clone())
                    .unwrap_or_default(),
                period_id: p.id,
                period: p.name.clone(),
                phase: p.phase,
                state: state.map(|s| s.2),
                updated_at: state.map(|s| s.3.clone()),
            });
        }
    }
    Ok(out)
}

//! SQL of country reports: loading, saving with history and optimistic concurrency, workflow
//! transitions, the completeness board, copy forward, and what the open-data API publishes.
//!
//! Functions take a connection (`&mut AnyConnection`) so they run on a pooled connection or
//! inside the caller's transaction alike.

use std::collections::HashMap;

use sqlx::AnyConnection;

use super::model::{
    BoardRow, EntryValues, HistoryItem, Indicator, PublishedEntry, PublishedValue, ReportState,
    SavedValue, Status,
};
use crate::auth::model::CurrentUser;
use crate::{clock, db::flag, error::AppError};

/// A report's own row.
#[derive(Debug, Clone)]
pub struct ReportRow {
    pub id: i64,
    pub state: ReportState,
    pub version: i64,
    pub review_note: Option<String>,
    pub updated_at: String,
    pub updated_by: Option<String>,
    pub submitted_at: Option<String>,
    pub approved_at: Option<String>,
    pub copied_from: Option<String>,
}

type ReportTuple = (
    i64,
    String,
    i64,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// The report of `iso2` for `period_id`, if one was started.
pub async fn find(
    c: &mut AnyConnection,
    iso2: &str,
    period_id: i64,
) -> Result<Option<ReportRow>, AppError> {
    let row: Option<ReportTuple> = sqlx::query_as(
        "SELECT r.id, r.state, r.version, r.review_note, r.updated_at, u.display_name, r.submitted_at, \
         r.approved_at, p.name \
         FROM reports r LEFT JOIN users u ON u.id = r.updated_by \
         LEFT JOIN reports src ON src.id = r.copied_from \
         LEFT JOIN reporting_periods p ON p.id = src.period_id \
         WHERE r.country_iso2 = $1 AND r.period_id = $2",
    )
    .bind(iso2.to_string())
    .bind(period_id)
    .fetch_optional(&mut *c)
    .await?;
    Ok(row.map(
        |(
            id,
            state,
            version,
            review_note,
            updated_at,
            updated_by,
            submitted_at,
            approved_at,
            copied_from,
        )| {
            ReportRow {
                id,
                state: ReportState::parse(&state).unwrap_or(ReportState::Draft),
                version,
                review_note,
                updated_at,
                updated_by,
                submitted_at,
                approved_at,
                copied_from,
            }
        },
    ))
}

/// An entry as stored.
#[derive(Debug, Clone)]
pub struct StoredEntry {
    pub id: i64,
    pub values: EntryValues,
    pub stored_values: Vec<SavedValue>,
    pub review_comment: Option<String>,
}

type EntryTuple = (
    i64,
    i64,
    Option<String>,
    String,
    String,
    Option<String>,
    Option<String>,
);

/// The entries of a report, by recommendation.
pub async fn entries(c: &mut AnyConnection, report_id: i64) -> Result<Vec<StoredEntry>, AppError> {
    let rows: Vec<EntryTuple> = sqlx::query_as(
        "SELECT id, recommendation_number, status, narrative, evidence, as_of, review_comment \
         FROM report_entries WHERE report_id = $1 ORDER BY recommendation_number",
    )
    .bind(report_id)
    .fetch_all(&mut *c)
    .await?;
    let values: Vec<(i64, i64, String, String, Option<String>, String)> = sqlx::query_as(
        "SELECT v.entry_id, v.indicator_id, v.indicator_name, v.kind, v.unit, v.value \
         FROM indicator_values v JOIN report_entries e ON e.id = v.entry_id \
         WHERE e.report_id = $1 ORDER BY v.entry_id, v.indicator_id",
    )
    .bind(report_id)
    .fetch_all(&mut *c)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, number, status, narrative, evidence, as_of, review_comment)| {
                let stored_values: Vec<SavedValue> = values
                    .iter()
                    .filter(|v| v.0 == id)
                    .map(|v| SavedValue {
                        indicator_id: v.1,
                        name: v.2.clone(),
                        kind: v.3.clone(),
                        unit: v.4.clone(),
                        value: v.5.clone(),
                    })
                    .collect();
                StoredEntry {
                    id,
                    values: EntryValues {
                        recommendation: number,
                        status: status.as_deref().and_then(Status::parse),
                        narrative,
                        evidence: evidence
                            .lines()
                            .filter(|l| !l.is_empty())
                            .map(str::to_string)
                            .collect(),
                        as_of,
                        indicators: stored_values
                            .iter()
                            .map(|v| (v.indicator_id, v.value.clone()))
                            .collect(),
                    },
                    stored_values,
                    review_comment,
                }
            },
        )
        .collect())
}

/// The change history of a report's entries, newest first: (recommendation, change).
pub async fn history(
    c: &mut AnyConnection,
    report_id: i64,
) -> Result<Vec<(i64, HistoryItem)>, AppError> {
    let rows: Vec<(i64, String, String, String, Option<String>, Option<String>, i64)> = sqlx::query_as(
        "SELECT e.recommendation_number, h.changed_at, h.changed_by_name, h.field, h.old_value, h.new_value, \
         h.report_version FROM entry_history h JOIN report_entries e ON e.id = h.entry_id \
         WHERE e.report_id = $1 ORDER BY h.id DESC",
    )
    .bind(report_id)
    .fetch_all(&mut *c)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(n, at, by, field, old, new, version)| {
            (
                n,
                HistoryItem {
                    at,
                    by,
                    field,
                    old,
                    new,
                    version,
                },
            )
        })
        .collect())
}

/// Starts a report (version 0, draft). A second start of the same report is a conflict.
/// Only a focal point of the country writes reports (checked here again, as in the API).
pub async fn create(
    c: &mut AnyConnection,
    iso2: &str,
    period_id: i64,
    actor: &CurrentUser,
    copied_from: Option<i64>,
) -> Result<i64, AppError> {
    crate::context::require_country_scope(actor, iso2)?;
    let now = clock::now();
    let row: Result<(i64,), sqlx::Error> = sqlx::query_as(
        "INSERT INTO reports (country_iso2, period_id, state, version, copied_from, created_at, updated_at, updated_by) \
         VALUES ($1, $2, 'draft', 0, $3, $4, $4, $5) RETURNING id",
    )
    .bind(iso2.to_string())
    .bind(period_id)
    .bind(copied_from)
    .bind(now)
    .bind(actor.id)
    .fetch_one(&mut *c)
    .await;
    match row {
        Ok((id,)) => Ok(id),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(AppError::Conflict {
            message: "Someone else started this report a moment ago. Reload the page to see it."
                .into(),
            current: vec![],
            version: None,
        }),
        Err(e) => Err(e.into()),
    }
}

fn status_text(s: Option<Status>) -> Option<String> {
    s.map(|s| s.label().to_string())
}

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

/// Saves the entries of a report based on `base_version`: bumps the version (refusing with a
/// conflict when someone saved first), writes the entries, their indicator values and one
/// history row per changed field. Returns the new version, or `None` when the report is no
/// longer at `base_version` (nothing written). The report must be `iso2`'s, and the actor
/// one of its focal points (checked here again, as in the API).
pub async fn save(
    c: &mut AnyConnection,
    report_id: i64,
    iso2: &str,
    base_version: i64,
    new_entries: &[EntryValues],
    indicators: &[Indicator],
    actor: &CurrentUser,
) -> Result<Option<i64>, AppError> {
    crate::context::require_country_scope(actor, iso2)?;
    let now = clock::now();
    let bumped = sqlx::query(
        "UPDATE reports SET version = version + 1, updated_at = $1, updated_by = $2 \
         WHERE id = $3 AND version = $4 AND country_iso2 = $5",
    )
    .bind(now.clone())
    .bind(actor.id)
    .bind(report_id)
    .bind(base_version)
    .bind(iso2.to_string())
    .execute(&mut *c)
    .await?;
    if bumped.rows_affected() == 0 {
        return Ok(None);
    }
    let version = base_version + 1;
    let old_entries = entries(c, report_id).await?;
    let who = if actor.display_name.is_empty() {
        actor.email.clone()
    } else {
        actor.display_name.clone()
    };

    for new in new_entries {
        let old = old_entries
            .iter()
            .find(|o| o.values.recommendation == new.recommendation);
        let evidence = new.evidence.join("\n");
        let entry_id = match old {
            Some(o) => {
                sqlx::query(
                    "UPDATE report_entries SET status = $1, narrative = $2, evidence = $3, as_of = $4 WHERE id = $5",
                )
                .bind(new.status.map(|s| s.as_str().to_string()))
                .bind(new.narrative.clone())
                .bind(evidence.clone())
                .bind(new.as_of.clone())
                .bind(o.id)
                .execute(&mut *c)
                .await?;
                o.id
            }
            None => {
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO report_entries (report_id, recommendation_number, status, narrative, evidence, as_of) \
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                )
                .bind(report_id)
                .bind(new.recommendation)
                .bind(new.status.map(|s| s.as_str().to_string()))
                .bind(new.narrative.clone())
                .bind(evidence.clone())
                .bind(new.as_of.clone())
                .fetch_one(&mut *c)
                .await?;
                id
            }
        };

        let before = old.map(|o| o.values.clone()).unwrap_or_default();
        let mut changes: Vec<(String, Option<String>, Option<String>)> = vec![];
        if before.status != new.status {
            changes.push((
                "status".into(),
                status_text(before.status),
                status_text(new.status),
            ));
        }
        if before.narrative != new.narrative {
            changes.push((
                "narrative".into(),
                non_empty(&before.narrative),
                non_empty(&new.narrative),
            ));
        }
        let before_evidence = before.evidence.join("\n");
        if before_evidence != evidence {
            changes.push((
                "evidence links".into(),
                non_empty(&before_evidence),
                non_empty(&evidence),
            ));
        }
        if before.as_of != new.as_of {
            changes.push(("as of".into(), before.as_of.clone(), new.as_of.clone()));
        }

        // Indicator values: unchanged ones keep the definition they were entered under.
        let old_values = old.map(|o| o.stored_values.clone()).unwrap_or_default();
        for ov in &old_values {
            let new_value = new
                .indicators
                .iter()
                .find(|(id, _)| *id == ov.indicator_id)
                .map(|(_, v)| v.clone());
            if new_value.as_deref() != Some(ov.value.as_str()) {
                sqlx::query(
                    "DELETE FROM indicator_values WHERE entry_id = $1 AND indicator_id = $2",
                )
                .bind(entry_id)
                .bind(ov.indicator_id)
                .execute(&mut *c)
                .await?;
                if new_value.is_none() {
                    changes.push((
                        format!("indicator “{}”", ov.name),
                        Some(ov.value.clone()),
                        None,
                    ));
                }
            }
        }
        for (indicator_id, value) in &new.indicators {
            let old_value = old_values.iter().find(|v| v.indicator_id == *indicator_id);
            if old_value.is_some_and(|v| v.value == *value) {
                continue;
            }
            let Some(def) = indicators.iter().find(|d| d.id == *indicator_id) else {
                continue;
            };
            sqlx::query(
                "INSERT INTO indicator_values (entry_id, indicator_id, indicator_name, kind, unit, value) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(entry_id)
            .bind(*indicator_id)
            .bind(def.name.clone())
            .bind(def.kind.as_str().to_string())
            .bind(def.unit.clone())
            .bind(value.clone())
            .execute(&mut *c)
            .await?;
            changes.push((
                format!("indicator “{}”", def.name),
                old_value.map(|v| v.value.clone()),
                Some(value.clone()),
            ));
        }

        for (field, old_value, new_value) in changes {
            sqlx::query(
                "INSERT INTO entry_history (entry_id, report_version, changed_at, changed_by, changed_by_name, field, \
                 old_value, new_value) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(entry_id)
            .bind(version)
            .bind(now.clone())
            .bind(actor.id)
            .bind(who.clone())
            .bind(field)
            .bind(old_value)
            .bind(new_value)
            .execute(&mut *c)
            .await?;
        }
    }
    Ok(Some(version))
}

/// What changed in a report since `base_version`, as sentences for a conflict message.
pub async fn changes_since(
    c: &mut AnyConnection,
    report_id: i64,
    base_version: i64,
) -> Result<Vec<String>, AppError> {
    let rows: Vec<(String, String, i64, String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT h.changed_by_name, h.changed_at, e.recommendation_number, h.field, h.old_value, h.new_value \
         FROM entry_history h JOIN report_entries e ON e.id = h.entry_id \
         WHERE e.report_id = $1 AND h.report_version > $2 ORDER BY h.id",
    )
    .bind(report_id)
    .bind(base_version)
    .fetch_all(&mut *c)
    .await?;
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
    Ok(rows
        .into_iter()
        .map(|(by, at, n, field, old, new)| {
            format!(
                "{by} changed recommendation {n}, {field}: {} → {} ({})",
                quoted(old),
                quoted(new),
                clock::display(&at)
            )
        })
        .collect())
}

/// Moves a report from `from` to `to`, bumping its version; `expected_version` (when given)
/// must still be current. Sets the submission or approval time, and the review note.
pub async fn transition(
    c: &mut AnyConnection,
    report_id: i64,
    expected_version: Option<i64>,
    from: ReportState,
    to: ReportState,
    review_note: Option<&str>,
    actor: &CurrentUser,
) -> Result<i64, AppError> {
    let now = clock::now();
    let row: Option<(i64,)> = sqlx::query_as(
        "UPDATE reports SET state = $1, version = version + 1, updated_at = $2, updated_by = $3, \
         submitted_at = CASE WHEN $1 = 'submitted' THEN $2 ELSE submitted_at END, \
         approved_at = CASE WHEN $1 = 'approved' THEN $2 ELSE approved_at END, \
         review_note = $4 \
         WHERE id = $5 AND state = $6 AND ($7 < 0 OR version = $7) RETURNING version",
    )
    .bind(to.as_str().to_string())
    .bind(now)
    .bind(actor.id)
    .bind(review_note.map(str::to_string))
    .bind(report_id)
    .bind(from.as_str().to_string())
    .bind(expected_version.unwrap_or(-1))
    .fetch_optional(&mut *c)
    .await?;
    row.map(|r| r.0).ok_or(AppError::Conflict {
        message: "The report changed while you were looking at it. Reload the page and try again."
            .into(),
        current: vec![],
        version: None,
    })
}

/// Sets (or clears, with `None`) the reviewer's comment on one entry.
pub async fn set_review_comment(
    c: &mut AnyConnection,
    report_id: i64,
    recommendation: i64,
    comment: Option<&str>,
) -> Result<(), AppError> {
    sqlx::query("UPDATE report_entries SET review_comment = $1 WHERE report_id = $2 AND recommendation_number = $3")
        .bind(comment.map(str::to_string))
        .bind(report_id)
        .bind(recommendation)
        .execute(&mut *c)
        .await?;
    Ok(())
}

/// Clears every reviewer comment of a report (on approval).
pub async fn clear_review_comments(c: &mut AnyConnection, report_id: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE report_entries SET review_comment = NULL WHERE report_id = $1")
        .bind(report_id)
        .execute(&mut *c)
        .await?;
    Ok(())
}

/// The latest approved report of `iso2` in a period that started before `starts_on`:
/// (report id, period name).
pub async fn last_approved_before(
    c: &mut AnyConnection,
    iso2: &str,
    starts_on: &str,
) -> Result<Option<(i64, String)>, AppError> {
    let row: Option<(i64, String)> = sqlx::query_as(
        "SELECT r.id, p.name FROM reports r JOIN reporting_periods p ON p.id = r.period_id \
         WHERE r.country_iso2 = $1 AND r.state = 'approved' AND p.starts_on < $2 \
         ORDER BY p.starts_on DESC LIMIT 1",
    )
    .bind(iso2.to_string())
    .bind(starts_on.to_string())
    .fetch_optional(&mut *c)
    .await?;
    Ok(row)
}

/// Every country with its report state for a period, by name.
pub async fn board(c: &mut AnyConnection, period_id: i64) -> Result<Vec<BoardRow>, AppError> {
    let rows: Vec<(
        String,
        String,
        i64,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    )> = sqlx::query_as(
        "SELECT c.iso2, c.name, c.eu_member, r.state, r.updated_at, r.submitted_at, r.approved_at \
             FROM countries c LEFT JOIN reports r ON r.country_iso2 = c.iso2 AND r.period_id = $1 \
             ORDER BY c.name",
    )
    .bind(period_id)
    .fetch_all(&mut *c)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(iso2, name, eu, state, updated_at, submitted_at, approved_at)| BoardRow {
                iso2,
                name,
                eu_member: flag(eu),
                state: state.as_deref().and_then(ReportState::parse),
                updated_at,
                submitted_at,
                approved_at,
            },
        )
        .collect())
}

/// (country, period id, state, last change) of every report.
pub async fn all_states(
    c: &mut AnyConnection,
) -> Result<Vec<(String, i64, ReportState, String)>, AppError> {
    let rows: Vec<(String, i64, String, String)> =
        sqlx::query_as("SELECT country_iso2, period_id, state, updated_at FROM reports")
            .fetch_all(&mut *c)
            .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(c, p, s, u)| ReportState::parse(&s).map(|s| (c, p, s, u)))
        .collect())
}

type PublishedTuple = (
    i64,
    String,
    String,
    String,
    i64,
    String,
    Option<String>,
    String,
    Option<String>,
    String,
    Option<String>,
);

/// Approved entries, optionally of one period and one country, as published.
pub async fn published(
    c: &mut AnyConnection,
    period_id: Option<i64>,
    iso2: Option<&str>,
) -> Result<Vec<PublishedEntry>, AppError> {
    let filter = "r.state = 'approved' AND ($1 < 0 OR r.period_id = $1) AND ($2 = '' OR r.country_iso2 = $2)";
    let rows: Vec<PublishedTuple> = sqlx::query_as(&format!(
        "SELECT e.id, r.country_iso2, c.name, p.name, e.recommendation_number, rec.title, e.status, e.narrative, \
         e.as_of, e.evidence, r.approved_at \
         FROM report_entries e JOIN reports r ON r.id = e.report_id \
         JOIN countries c ON c.iso2 = r.country_iso2 \
         JOIN reporting_periods p ON p.id = r.period_id \
         JOIN recommendations rec ON rec.number = e.recommendation_number \
         WHERE {filter} ORDER BY p.starts_on, c.name, e.recommendation_number"
    ))
    .bind(period_id.unwrap_or(-1))
    .bind(iso2.unwrap_or_default().to_string())
    .fetch_all(&mut *c)
    .await?;
    let values: Vec<(i64, String, String, Option<String>, String)> = sqlx::query_as(&format!(
        "SELECT v.entry_id, v.indicator_name, v.kind, v.unit, v.value \
         FROM indicator_values v JOIN report_entries e ON e.id = v.entry_id JOIN reports r ON r.id = e.report_id \
         WHERE {filter} ORDER BY v.entry_id, v.indicator_id"
    ))
    .bind(period_id.unwrap_or(-1))
    .bind(iso2.unwrap_or_default().to_string())
    .fetch_all(&mut *c)
    .await?;
    let mut by_entry: HashMap<i64, Vec<PublishedValue>> = HashMap::new();
    for (entry_id, name, kind, unit, value) in values {
        by_entry.entry(entry_id).or_default().push(PublishedValue {
            name,
            kind,
            unit,
            value,
        });
    }
    Ok(rows
        .into_iter()
        .map(
            |(
                id,
                country,
                country_name,
                period,
                n,
                title,
                status,
                narrative,
                as_of,
                evidence,
                approved_at,
            )| {
                PublishedEntry {
                    country,
                    country_name,
                    period,
                    recommendation: n,
                    recommendation_title: title,
                    status: status.as_deref().and_then(Status::parse),
                    narrative,
                    as_of,
                    evidence: evidence
                        .lines()
                        .filter(|l| !l.is_empty())
                        .map(str::to_string)
                        .collect(),
                    indicators: by_entry.remove(&id).unwrap_or_default(),
                    approved_at,
                }
            },
        )
        .collect())
}

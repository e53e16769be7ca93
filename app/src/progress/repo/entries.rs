//! SQL of a report's entries: their values, indicator values (each stored with the definition
//! it was entered under) and change history.

use sqlx::AnyConnection;

use super::super::checks::EntryValues;
use super::super::diff::{Change, ChangedField};
use super::super::view::{HistoryItem, SavedValue};
use crate::caller::CurrentUser;
use crate::indicators::model::Indicator;
use crate::{
    clock,
    db::{decode, decode_opt},
    error::AppError,
};

/// An entry as stored.
#[derive(Debug, Clone)]
pub struct StoredEntry {
    pub id: i64,
    pub values: EntryValues,
    pub stored_values: Vec<SavedValue>,
    pub review_comment: Option<String>,
}

#[derive(sqlx::FromRow)]
struct EntryRecord {
    id: i64,
    recommendation_number: i64,
    status: Option<String>,
    narrative: String,
    evidence: String,
    as_of: Option<String>,
    review_comment: Option<String>,
}

#[derive(sqlx::FromRow)]
struct ValueRecord {
    entry_id: i64,
    indicator_id: i64,
    indicator_name: String,
    kind: String,
    unit: Option<String>,
    value: String,
}

impl TryFrom<ValueRecord> for SavedValue {
    type Error = AppError;

    fn try_from(v: ValueRecord) -> Result<Self, AppError> {
        Ok(SavedValue {
            indicator_id: v.indicator_id,
            name: v.indicator_name,
            kind: decode("indicator_values.kind", &v.kind)?,
            unit: v.unit,
            value: v.value,
        })
    }
}

/// Evidence links as stored: one per line.
pub fn links(evidence: &str) -> Vec<String> {
    evidence
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// The entries of a report, by recommendation.
pub async fn entries(c: &mut AnyConnection, report_id: i64) -> Result<Vec<StoredEntry>, AppError> {
    let rows: Vec<EntryRecord> = sqlx::query_as(
        "SELECT id, recommendation_number, status, narrative, evidence, as_of, review_comment \
         FROM report_entries WHERE report_id = $1 ORDER BY recommendation_number",
    )
    .bind(report_id)
    .fetch_all(&mut *c)
    .await?;
    let values: Vec<ValueRecord> = sqlx::query_as(
        "SELECT v.entry_id, v.indicator_id, v.indicator_name, v.kind, v.unit, v.value \
         FROM indicator_values v JOIN report_entries e ON e.id = v.entry_id \
         WHERE e.report_id = $1 ORDER BY v.entry_id, v.indicator_id",
    )
    .bind(report_id)
    .fetch_all(&mut *c)
    .await?;
    let mut values: Vec<(i64, SavedValue)> = values
        .into_iter()
        .map(|v| Ok((v.entry_id, SavedValue::try_from(v)?)))
        .collect::<Result<_, AppError>>()?;
    rows.into_iter()
        .map(|r| {
            let stored_values: Vec<SavedValue> = values
                .extract_if(.., |(entry, _)| *entry == r.id)
                .map(|(_, v)| v)
                .collect();
            Ok(StoredEntry {
                id: r.id,
                values: EntryValues {
                    recommendation: r.recommendation_number,
                    status: decode_opt("report_entries.status", r.status.as_deref())?,
                    narrative: r.narrative,
                    evidence: links(&r.evidence),
                    as_of: r.as_of,
                    indicators: stored_values
                        .iter()
                        .map(|v| (v.indicator_id, v.value.clone()))
                        .collect(),
                },
                stored_values,
                review_comment: r.review_comment,
            })
        })
        .collect()
}

#[derive(sqlx::FromRow)]
struct HistoryRecord {
    recommendation_number: i64,
    changed_at: String,
    changed_by_name: String,
    field: String,
    indicator_name: Option<String>,
    old_value: Option<String>,
    new_value: Option<String>,
    report_version: i64,
}

/// One change in a report's history, with the recommendation of its entry.
#[derive(Debug, Clone)]
pub struct ReportChange {
    pub recommendation: i64,
    pub item: HistoryItem,
}

impl TryFrom<HistoryRecord> for ReportChange {
    type Error = AppError;

    fn try_from(h: HistoryRecord) -> Result<Self, AppError> {
        let item = HistoryItem {
            at: h.changed_at,
            by: h.changed_by_name,
            field: decode("entry_history.field", &h.field)?,
            indicator: h.indicator_name,
            old: h.old_value,
            new: h.new_value,
            version: h.report_version,
        };
        Ok(Self {
            recommendation: h.recommendation_number,
            item,
        })
    }
}

/// The change history of a report's entries, newest first; with `since_version`, only the
/// changes of later versions, oldest first.
pub async fn history(
    c: &mut AnyConnection,
    report_id: i64,
    since_version: Option<i64>,
) -> Result<Vec<ReportChange>, AppError> {
    let order = if since_version.is_some() { "" } else { "DESC" };
    let rows: Vec<HistoryRecord> = sqlx::query_as(&format!(
        "SELECT e.recommendation_number, h.changed_at, h.changed_by_name, h.field, h.indicator_name, h.old_value, \
         h.new_value, h.report_version FROM entry_history h JOIN report_entries e ON e.id = h.entry_id \
         WHERE e.report_id = $1 AND h.report_version > $2 ORDER BY h.id {order}"
    ))
    .bind(report_id)
    .bind(since_version.unwrap_or(-1))
    .fetch_all(&mut *c)
    .await?;
    rows.into_iter().map(ReportChange::try_from).collect()
}

/// Bumps the version of `iso2`'s report from `base_version`, as `actor` saving it. `false`
/// (nothing written) when the report is no longer at `base_version`, or not `iso2`'s.
pub async fn bump_version(
    c: &mut AnyConnection,
    report_id: i64,
    iso2: &str,
    base_version: i64,
    actor: &CurrentUser,
) -> Result<bool, AppError> {
    let bumped = sqlx::query(
        "UPDATE reports SET version = version + 1, updated_at = $1, updated_by = $2 \
         WHERE id = $3 AND version = $4 AND country_iso2 = $5",
    )
    .bind(clock::now())
    .bind(actor.id)
    .bind(report_id)
    .bind(base_version)
    .bind(iso2.to_string())
    .execute(&mut *c)
    .await?;
    Ok(bumped.rows_affected() > 0)
}

/// Writes an entry's own values (inserting it if `existing` is `None`); returns its id.
pub async fn write_entry(
    c: &mut AnyConnection,
    report_id: i64,
    existing: Option<i64>,
    entry: &EntryValues,
) -> Result<i64, AppError> {
    let status = entry.status.map(|s| s.as_str().to_string());
    let evidence = entry.evidence.join("\n");
    if let Some(id) = existing {
        sqlx::query(
            "UPDATE report_entries SET status = $1, narrative = $2, evidence = $3, as_of = $4 WHERE id = $5",
        )
        .bind(status)
        .bind(entry.narrative.clone())
        .bind(evidence)
        .bind(entry.as_of.clone())
        .bind(id)
        .execute(&mut *c)
        .await?;
        return Ok(id);
    }
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO report_entries (report_id, recommendation_number, status, narrative, evidence, as_of) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(report_id)
    .bind(entry.recommendation)
    .bind(status)
    .bind(entry.narrative.clone())
    .bind(evidence)
    .bind(entry.as_of.clone())
    .fetch_one(&mut *c)
    .await?;
    Ok(id)
}

/// Applies the indicator-value changes of an entry: a changed or removed value's row goes, a
/// new value is stored with its indicator's definition of today. Unchanged values keep the
/// definition they were entered under.
pub async fn write_values(
    c: &mut AnyConnection,
    entry_id: i64,
    changes: &[Change],
    indicators: &[Indicator],
) -> Result<(), AppError> {
    for change in changes {
        let ChangedField::Indicator { id, .. } = &change.field else {
            continue;
        };
        if change.old.is_some() {
            sqlx::query("DELETE FROM indicator_values WHERE entry_id = $1 AND indicator_id = $2")
                .bind(entry_id)
                .bind(*id)
                .execute(&mut *c)
                .await?;
        }
        let (Some(value), Some(def)) = (&change.new, indicators.iter().find(|d| d.id == *id))
        else {
            continue;
        };
        sqlx::query(
            "INSERT INTO indicator_values (entry_id, indicator_id, indicator_name, kind, unit, value) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(entry_id)
        .bind(*id)
        .bind(def.name.clone())
        .bind(def.kind.as_str().to_string())
        .bind(def.unit.clone())
        .bind(value.clone())
        .execute(&mut *c)
        .await?;
    }
    Ok(())
}

/// Keeps an entry's changes in its history, as made by `actor` in report version `version`.
pub async fn write_history(
    c: &mut AnyConnection,
    entry_id: i64,
    version: i64,
    actor: &CurrentUser,
    changes: &[Change],
) -> Result<(), AppError> {
    let now = clock::now();
    let who = if actor.display_name.is_empty() {
        actor.email.clone()
    } else {
        actor.display_name.clone()
    };
    for change in changes {
        let (field, indicator) = change.field.history_field();
        sqlx::query(
            "INSERT INTO entry_history (entry_id, report_version, changed_at, changed_by, changed_by_name, field, \
             indicator_name, old_value, new_value) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(entry_id)
        .bind(version)
        .bind(now.clone())
        .bind(actor.id)
        .bind(who.clone())
        .bind(field.as_str().to_string())
        .bind(indicator.map(str::to_string))
        .bind(change.old.clone())
        .bind(change.new.clone())
        .execute(&mut *c)
        .await?;
    }
    Ok(())
}

//! SQL of what the open-data API publishes: approved entries, with their indicator values.

use std::collections::HashMap;

use sqlx::AnyConnection;

use super::super::open_data::{PublishedEntry, PublishedValue};
use super::super::policy::PUBLISHED;
use super::entries::links;
use crate::{
    db::{decode, decode_opt},
    error::AppError,
};

#[derive(sqlx::FromRow)]
struct PublishedRecord {
    id: i64,
    country_iso2: String,
    country_name: String,
    period_name: String,
    recommendation_number: i64,
    title: String,
    status: Option<String>,
    narrative: String,
    as_of: Option<String>,
    evidence: String,
    approved_at: Option<String>,
}

#[derive(sqlx::FromRow)]
struct PublishedValueRecord {
    entry_id: i64,
    indicator_name: String,
    kind: String,
    unit: Option<String>,
    value: String,
}

/// Only published reports, optionally of one period (`$2`, or -1) and one country (`$3`, or '').
const FILTER: &str =
    "r.state = $1 AND ($2 < 0 OR r.period_id = $2) AND ($3 = '' OR r.country_iso2 = $3)";

/// Approved entries, optionally of one period and one country, as published.
pub async fn published(
    c: &mut AnyConnection,
    period_id: Option<i64>,
    iso2: Option<&str>,
) -> Result<Vec<PublishedEntry>, AppError> {
    let rows: Vec<PublishedRecord> = sqlx::query_as(&format!(
        "SELECT e.id, r.country_iso2, c.name AS country_name, p.name AS period_name, \
         e.recommendation_number, rec.title, e.status, e.narrative, e.as_of, e.evidence, r.approved_at \
         FROM report_entries e JOIN reports r ON r.id = e.report_id \
         JOIN countries c ON c.iso2 = r.country_iso2 \
         JOIN reporting_periods p ON p.id = r.period_id \
         JOIN recommendations rec ON rec.number = e.recommendation_number \
         WHERE {FILTER} ORDER BY p.starts_on, c.name, e.recommendation_number"
    ))
    .bind(PUBLISHED.as_str().to_string())
    .bind(period_id.unwrap_or(-1))
    .bind(iso2.unwrap_or_default().to_string())
    .fetch_all(&mut *c)
    .await?;
    let values: Vec<PublishedValueRecord> = sqlx::query_as(&format!(
        "SELECT v.entry_id, v.indicator_name, v.kind, v.unit, v.value \
         FROM indicator_values v JOIN report_entries e ON e.id = v.entry_id JOIN reports r ON r.id = e.report_id \
         WHERE {FILTER} ORDER BY v.entry_id, v.indicator_id"
    ))
    .bind(PUBLISHED.as_str().to_string())
    .bind(period_id.unwrap_or(-1))
    .bind(iso2.unwrap_or_default().to_string())
    .fetch_all(&mut *c)
    .await?;
    let mut by_entry: HashMap<i64, Vec<PublishedValue>> = HashMap::new();
    for v in values {
        by_entry
            .entry(v.entry_id)
            .or_default()
            .push(PublishedValue {
                name: v.indicator_name,
                kind: decode("indicator_values.kind", &v.kind)?,
                unit: v.unit,
                value: v.value,
            });
    }
    rows.into_iter()
        .map(|r| {
            Ok(PublishedEntry {
                country: r.country_iso2,
                country_name: r.country_name,
                period: r.period_name,
                recommendation: r.recommendation_number,
                recommendation_title: r.title,
                status: decode_opt("report_entries.status", r.status.as_deref())?,
                narrative: r.narrative,
                as_of: r.as_of,
                evidence: links(&r.evidence),
                indicators: by_entry.remove(&r.id).unwrap_or_default(),
                approved_at: r.approved_at,
            })
        })
        .collect()
}

//! What the open-data API publishes of progress: what the public audience reads
//! (`policy::Audience::Public`, i.e. approved reports), read by `repo::published`; and the
//! table its CSV is written from.

use serde::{Deserialize, Serialize};

use super::workflow::Status;
use crate::indicators::model::IndicatorKind;
use crate::ui::{Column, Table};

/// One approved entry, as the open-data API publishes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedEntry {
    pub country: String,
    pub country_name: String,
    pub period: String,
    pub recommendation: i64,
    pub recommendation_title: String,
    pub status: Option<Status>,
    pub narrative: String,
    pub as_of: Option<String>,
    pub evidence: Vec<String>,
    pub indicators: Vec<PublishedValue>,
    pub approved_at: Option<String>,
}

/// An indicator value as published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedValue {
    pub name: String,
    pub kind: IndicatorKind,
    pub unit: Option<String>,
    pub value: String,
}

/// Approved entries as a table, one row per entry, lists joined with " | ": what
/// `/api/v1/progress.csv` serves.
pub fn progress_table(entries: Vec<PublishedEntry>) -> Table {
    let rows = entries
        .into_iter()
        .map(|e| {
            let indicators = e
                .indicators
                .iter()
                .map(|v| match &v.unit {
                    Some(u) => format!("{}: {} {u}", v.name, v.value),
                    None => format!("{}: {}", v.name, v.value),
                })
                .collect::<Vec<_>>()
                .join(" | ");
            vec![
                e.country.into(),
                e.country_name.into(),
                e.period.into(),
                e.recommendation.into(),
                e.recommendation_title.into(),
                e.status.map(|s| s.as_str()).unwrap_or_default().into(),
                e.narrative.into(),
                e.as_of.unwrap_or_default().into(),
                e.evidence.join(" | ").into(),
                indicators.into(),
                e.approved_at.unwrap_or_default().into(),
            ]
        })
        .collect();
    Table {
        caption: "Approved progress by country, period and recommendation".into(),
        columns: vec![
            Column::text("country", "Country"),
            Column::text("country_name", "Country name"),
            Column::text("period", "Period"),
            Column::number("recommendation", "Recommendation"),
            Column::text("recommendation_title", "Recommendation title"),
            Column::text("status", "Status"),
            Column::text("narrative", "Narrative"),
            Column::text("as_of", "As of"),
            Column::text("evidence", "Evidence"),
            Column::text("indicators", "Indicators"),
            Column::text("approved_at", "Approved"),
        ],
        rows,
    }
}

//! What the open-data API publishes of progress: approved entries only (the rule lives in
//! `policy::PUBLISHED`, the read in `repo`).

use serde::{Deserialize, Serialize};

use super::workflow::Status;
use crate::indicators::model::IndicatorKind;

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

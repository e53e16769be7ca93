//! What the progress pages show: a report with its entries and history, what a save did, the
//! completeness board, a focal point's list. Shared by server and browser (serde).

use serde::{Deserialize, Serialize};

use super::checks::{EntryInput, EntryValues};
use super::workflow::{ReportState, Status};
use crate::countries::model::Country;
use crate::error::FieldError;
use crate::i18n::*;
use crate::indicators::model::{Indicator, IndicatorKind};
use crate::lang::Locale;
use crate::periods::model::{Period, Phase};

/// A stored indicator value with the definition it was entered under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedValue {
    pub indicator_id: i64,
    pub name: String,
    pub kind: IndicatorKind,
    pub unit: Option<String>,
    pub value: String,
}

/// The fields of an entry whose changes are kept, by the code the history stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(strum::EnumString, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum HistoryField {
    Status,
    Narrative,
    Evidence,
    AsOf,
    /// An indicator's value; the item names the indicator.
    Indicator,
}

impl HistoryField {
    /// The stored code.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// One change to an entry: codes and raw values, as stored; the page renders the labels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryItem {
    pub at: String,
    pub by: String,
    pub field: HistoryField,
    /// The indicator's name as defined when the value was entered (indicator changes only).
    pub indicator: Option<String>,
    pub old: Option<String>,
    pub new: Option<String>,
    pub version: i64,
}

impl HistoryItem {
    /// What the field is called on the page, in `locale`.
    pub fn field_label(&self, locale: Locale) -> String {
        match self.field {
            HistoryField::Status => td_string!(locale, progress.field_status).to_string(),
            HistoryField::Narrative => td_string!(locale, progress.field_narrative).to_string(),
            HistoryField::Evidence => td_string!(locale, progress.field_evidence).to_string(),
            HistoryField::AsOf => td_string!(locale, progress.field_as_of).to_string(),
            HistoryField::Indicator => td_string!(
                locale,
                progress.field_indicator,
                name = self.indicator.as_deref().unwrap_or_default()
            )
            .to_string(),
        }
    }

    /// A value as the page shows it in `locale`: a status by its label, an "as of" date
    /// written out, anything else as it was entered.
    pub fn shown(&self, locale: Locale, value: Option<&str>) -> Option<String> {
        let value = value?;
        Some(match (self.field, value.parse::<Status>()) {
            (HistoryField::Status, Ok(status)) => status.label(locale).to_string(),
            (HistoryField::AsOf, _) => crate::lang::format::date(locale, value),
            _ => value.to_string(),
        })
    }
}

/// One recommendation's entry of a report, as pages show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntryView {
    pub number: i64,
    pub title: String,
    pub values: EntryValues,
    pub stored_values: Vec<SavedValue>,
    pub review_comment: Option<String>,
    pub history: Vec<HistoryItem>,
}

/// A country's report for a period, with what the caller may do with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportView {
    pub country: Country,
    pub period: Period,
    pub phase: Phase,
    /// `None` until the first save.
    pub state: Option<ReportState>,
    /// 0 until the first save.
    pub version: i64,
    pub review_note: Option<String>,
    pub updated_at: Option<String>,
    pub updated_by: Option<String>,
    pub submitted_at: Option<String>,
    pub approved_at: Option<String>,
    pub copied_from: Option<String>,
    pub entries: Vec<EntryView>,
    /// Active definitions, in order, per recommendation.
    pub indicators: Vec<Indicator>,
    /// What blocks submission.
    pub missing: Vec<FieldError>,
    pub can_edit: bool,
    pub can_review: bool,
    pub can_reopen: bool,
    /// The period a copy-forward would start from, when one is possible.
    pub copy_forward_from: Option<String>,
    /// The caller's own values from a save that was refused (plain form posts only).
    pub unsaved: Option<Vec<EntryInput>>,
    /// The latest "as of" date accepted (tomorrow in UTC: see `clock::latest_as_of`), for
    /// checks in the browser.
    pub today: String,
}

/// What a save did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaveOutcome {
    pub version: i64,
    pub state: ReportState,
    /// Not empty when "submit" was asked for but the report is incomplete (it was saved).
    pub missing: Vec<FieldError>,
}

/// A reviewer's comment on one entry, as the review form sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentInput {
    pub recommendation: i64,
    #[serde(default)]
    pub comment: String,
}

/// One row of the completeness board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardRow {
    pub iso2: String,
    pub name: String,
    pub eu_member: bool,
    pub state: Option<ReportState>,
    pub updated_at: Option<String>,
    pub submitted_at: Option<String>,
    pub approved_at: Option<String>,
}

/// The completeness board of a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Board {
    pub period: Period,
    pub phase: Phase,
    pub rows: Vec<BoardRow>,
    /// (state label in the caller's language, count), "Not started" first.
    pub counts: Vec<(String, usize)>,
    /// The period's closing date is past: opening submissions again needs a later date.
    pub closing_date_passed: bool,
}

/// A focal point's report of one country and period, for their list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyReport {
    pub iso2: String,
    pub country: String,
    pub period_id: i64,
    pub period: String,
    pub phase: Phase,
    pub state: Option<ReportState>,
    pub updated_at: Option<String>,
}

/// What the report page says after an action (carried in the redirect's query: `?saved=1`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, strum::EnumString, strum::IntoStaticStr, strum::VariantArray,
)]
#[strum(serialize_all = "kebab-case")]
pub enum Notice {
    Saved,
    Submitted,
    /// Saved, but "Submit" was refused: something is missing.
    Incomplete,
    Copied,
    Approved,
    Returned,
    Reopened,
}

impl Notice {
    /// The query key.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

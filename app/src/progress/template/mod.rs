//! The progress template: reports as an Excel workbook and back. One layout serves the focal
//! point's template (one country) and the secretariat's bulk workbook (every country of a
//! period): a row per country × recommendation, and under it a row per active indicator,
//! each keyed in column A (`FR.R3`, `FR.R3.I12`), so rows may be sorted or filtered without
//! losing what they are. A hidden, protected sheet (`_template`) says which period, which
//! countries at which report version, in which language and template version the workbook
//! was made; reading refuses a workbook made for something else.
//!
//! `write` makes the workbook (server), `read` turns an uploaded one back into the form's
//! input with the place of every value (pure), `preview` compares it with the reports as
//! they are now: the dry run (pure).

pub mod preview;
pub mod read;
#[cfg(feature = "ssr")]
pub mod write;

use serde::{Deserialize, Serialize};

use super::checks::EntryValues;
use crate::i18n::*;
use crate::lang::Locale;

/// The layout's version: a workbook of another version is refused.
pub const TEMPLATE_VERSION: i64 = 1;
/// The hidden sheet that identifies the workbook.
pub const META_SHEET: &str = "_template";
/// What the meta sheet's first row says.
pub const MARK: &str = "recovery-tracker/progress";

/// The data sheet's columns, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::VariantArray)]
pub enum Column {
    Key,
    Country,
    Item,
    Status,
    Narrative,
    Evidence,
    AsOf,
    Value,
    Rules,
}

impl Column {
    pub fn index(self) -> u32 {
        self as u32
    }
}

/// The data sheet's name in `locale`.
pub fn sheet_name(locale: Locale) -> &'static str {
    td_string!(locale, imports.sheet_reports)
}

/// The header of `column` in `locale`.
pub fn header(column: Column, locale: Locale) -> &'static str {
    match column {
        Column::Key => td_string!(locale, imports.col_key),
        Column::Country => td_string!(locale, imports.col_country),
        Column::Item => td_string!(locale, imports.col_item),
        Column::Status => td_string!(locale, imports.col_status),
        Column::Narrative => td_string!(locale, imports.col_narrative),
        Column::Evidence => td_string!(locale, imports.col_evidence),
        Column::AsOf => td_string!(locale, imports.col_as_of),
        Column::Value => td_string!(locale, imports.col_value),
        Column::Rules => td_string!(locale, imports.col_rules),
    }
}

/// One row's key: a country's entry for a recommendation, or one of its indicator values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RowKey<'a> {
    pub iso2: &'a str,
    pub recommendation: i64,
    pub indicator: Option<i64>,
}

impl<'a> RowKey<'a> {
    /// Reads `FR.R3` or `FR.R3.I12`.
    pub fn parse(key: &'a str) -> Option<Self> {
        let mut parts = key.trim().split('.');
        let iso2 = parts.next()?;
        if iso2.len() != 2 || !iso2.bytes().all(|b| b.is_ascii_uppercase()) {
            return None;
        }
        let recommendation = parts.next()?.strip_prefix('R')?.parse().ok()?;
        let indicator = match parts.next() {
            None => None,
            Some(i) => Some(i.strip_prefix('I')?.parse().ok()?),
        };
        if parts.next().is_some() {
            return None;
        }
        Some(Self {
            iso2,
            recommendation,
            indicator,
        })
    }
}

impl std::fmt::Display for RowKey<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.R{}", self.iso2, self.recommendation)?;
        if let Some(i) = self.indicator {
            write!(f, ".I{i}")?;
        }
        Ok(())
    }
}

/// One country's report as the workbook holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TemplateReport {
    pub iso2: String,
    /// The country's name in the workbook's language.
    pub country: String,
    /// The report's version when the workbook was made (0: not started).
    pub version: i64,
    /// Every recommendation: its number, its title, the entry as stored (empty if none).
    pub entries: Vec<(i64, String, EntryValues)>,
}

/// What the meta sheet records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    pub template_version: i64,
    pub period_id: i64,
    pub period_name: String,
    pub language: String,
    /// The data sheet's name (in the workbook's language).
    pub sheet: String,
    /// (country, report version) for each country in the workbook.
    pub reports: Vec<(String, i64)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_read_back_as_written() {
        for key in ["FR.R3", "DE.R7.I12"] {
            assert_eq!(
                RowKey::parse(key).map(|k| k.to_string()).as_deref(),
                Some(key)
            );
        }
        for bad in [
            "",
            "FR",
            "fr.R3",
            "FR.3",
            "FR.R3.12",
            "FR.R3.I1.X",
            "FRA.R1",
            "FR.Rx",
        ] {
            assert_eq!(RowKey::parse(bad), None, "{bad}");
        }
    }
}

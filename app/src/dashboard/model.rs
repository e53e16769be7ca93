//! What the dashboards show, as plain data shared by the server and the page: the filters of a
//! view (its URL), and figures — a chart's ECharts option, its data table, its downloads.

use serde::{Deserialize, Serialize};

use crate::countries::model::CountryGroup;
use crate::ui::Table;

/// The filters of a view. Every view is a URL: these are its query parameters
/// (`?period=3&recommendation=2&group=eu27&submitted=1`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Filters {
    /// A reporting period; the latest with data when absent.
    pub period: Option<i64>,
    /// The recommendation the map and the movement over time show (1–7).
    pub recommendation: i64,
    pub group: CountryGroup,
    /// Include submitted (not yet approved) reports: viewers and admins only.
    pub include_submitted: bool,
    /// An indicator (the indicator ranking).
    pub indicator: Option<i64>,
}

impl Filters {
    /// The filters of a query string's pairs; unknown or malformed values fall back to the
    /// defaults (a hand-edited URL still shows a dashboard).
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut f = Self {
            recommendation: 1,
            ..Self::default()
        };
        for (key, value) in pairs {
            let value = value.trim();
            match key {
                "period" => f.period = value.parse().ok().filter(|p: &i64| *p > 0),
                "recommendation" => {
                    f.recommendation = value
                        .parse()
                        .ok()
                        .filter(|n| (1..=7).contains(n))
                        .unwrap_or(1)
                }
                "group" => f.group = value.parse().unwrap_or_default(),
                "submitted" => f.include_submitted = matches!(value, "1" | "on" | "true"),
                "indicator" => f.indicator = value.parse().ok().filter(|p: &i64| *p > 0),
                _ => {}
            }
        }
        f
    }

    /// The filters of a query string (`period=3&group=eu27`, without `?`).
    pub fn from_query(query: &str) -> Self {
        let pairs: Vec<(String, String)> =
            url::form_urlencoded::parse(query.trim_start_matches('?').as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
        Self::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }

    /// The query string of these filters (without `?`), in a stable order; the defaults are
    /// left out, so the plainest view has the plainest URL.
    pub fn query(&self) -> String {
        let mut parts = Vec::new();
        if let Some(p) = self.period {
            parts.push(format!("period={p}"));
        }
        if self.recommendation != 1 {
            parts.push(format!("recommendation={}", self.recommendation));
        }
        if self.group != CountryGroup::All {
            parts.push(format!("group={}", self.group.as_str()));
        }
        if self.include_submitted {
            parts.push("submitted=1".into());
        }
        if let Some(i) = self.indicator {
            parts.push(format!("indicator={i}"));
        }
        parts.join("&")
    }

    /// `path` with these filters.
    pub fn href(&self, path: &str) -> String {
        let q = self.query();
        if q.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{q}")
        }
    }
}

/// One chart with its data: the caption says what it shows, for which period and group; the
/// table is exactly what the CSV download holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    /// Unique on its page; the download URLs name it (`/dashboard/figures/{name}.csv`).
    pub name: String,
    pub caption: String,
    /// The ECharts option (built with `charming` on the server), as JSON; `None` for a figure
    /// that is a table only.
    pub option: Option<String>,
    /// The chart draws the map of Europe (the browser registers it first).
    pub uses_map: bool,
    /// The chart's height in CSS `rem` (fixed, so nothing moves while it loads).
    pub height_rem: u16,
    /// An image the page shows without JavaScript (the map's SVG).
    pub inline_svg: Option<String>,
    pub table: Table,
    /// Lines under the caption: "Includes submitted reports, not yet approved".
    pub notes: Vec<String>,
    pub csv_href: String,
    pub image_href: String,
}

/// A reporting period as a filter choice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodChoice {
    pub id: i64,
    pub name: String,
}

/// An indicator as a filter choice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorChoice {
    pub id: i64,
    pub name: String,
    pub unit: Option<String>,
}

/// A dashboard page: the filters as resolved (the period chosen when none was asked), what
/// the filter form offers, and the figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DashboardView {
    pub filters: Filters,
    pub periods: Vec<PeriodChoice>,
    pub indicators: Vec<IndicatorChoice>,
    /// The caller may include submitted reports (viewers and admins).
    pub may_include_submitted: bool,
    /// The period shown, by name ("2026 H1"); `None` when there is no period at all.
    pub period_name: Option<String>,
    pub figures: Vec<Figure>,
}

/// One recommendation on a country's profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileEntry {
    pub number: i64,
    pub title: String,
    /// The mark's key (`planned`, `no-report`) and its word.
    pub mark_key: String,
    pub mark_label: String,
    pub narrative: String,
    pub evidence: Vec<String>,
    /// "As of", formatted for the reader.
    pub as_of: Option<String>,
    /// From a submitted report, not yet approved.
    pub submitted: bool,
}

/// A country's profile page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileView {
    pub iso2: String,
    /// In the reader's language.
    pub name: String,
    pub eu_member: bool,
    pub entries: Vec<ProfileEntry>,
    pub view: DashboardView,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_round_trip_through_their_query() {
        let f = Filters {
            period: Some(3),
            recommendation: 5,
            group: CountryGroup::NonEu,
            include_submitted: true,
            indicator: Some(9),
        };
        let q = f.query();
        assert_eq!(
            q,
            "period=3&recommendation=5&group=non-eu&submitted=1&indicator=9"
        );
        let pairs: Vec<(&str, &str)> = q.split('&').filter_map(|p| p.split_once('=')).collect();
        assert_eq!(Filters::from_pairs(pairs), f);
    }

    #[test]
    fn a_hand_edited_query_falls_back_to_the_defaults() {
        let f = Filters::from_pairs([
            ("period", "-2"),
            ("recommendation", "9"),
            ("group", "mars"),
            ("submitted", "maybe"),
        ]);
        assert_eq!(
            f,
            Filters {
                recommendation: 1,
                ..Filters::default()
            }
        );
        assert_eq!(f.href("/dashboard"), "/dashboard");
    }
}

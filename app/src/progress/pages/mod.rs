//! Pages of progress reporting: the report (the focal point's form, or the read-only view
//! with the admin's review), a focal point's list of reports, and a period's completeness
//! board. All are rendered on the server; the report form's browser checks are the island in
//! `enhancer`.

mod board;
mod form;
mod my_reports;
mod read_only;
mod report;

pub use board::PeriodBoardPage;
pub use my_reports::MyReportsPage;
pub use report::ReportPage;

use leptos::prelude::*;

use super::workflow::{ReportState, Status};
use crate::countries::model::CountryGroup;
use crate::i18n::*;
use crate::lang::{use_locale, Locale};
use crate::periods::model::Phase;

/// A status as a badge: always the word, the colour only repeats it.
#[component]
pub fn StatusBadge(status: Option<Status>) -> impl IntoView {
    let locale = use_locale();
    match status {
        Some(s) => {
            view! { <span class=format!("badge badge-{}", s.as_str())>{s.label(locale)}</span> }
                .into_any()
        }
        None => view! { <span class="badge badge-missing">{td_string!(locale, progress.status_none)}</span> }
            .into_any(),
    }
}

/// A report state as a badge.
#[component]
pub fn StateBadge(state: Option<ReportState>) -> impl IntoView {
    let text = ReportState::label_or_not_started(state, use_locale());
    let class = state.map_or("not-started", ReportState::as_str);
    view! { <span class=format!("badge badge-{class}")>{text}</span> }
}

/// Where a period's submissions stand, as these pages say it.
fn phase_label(locale: Locale, phase: Phase) -> &'static str {
    match phase {
        Phase::Upcoming => td_string!(locale, progress.phase_upcoming),
        Phase::Open => td_string!(locale, progress.phase_open),
        Phase::Closed => td_string!(locale, progress.phase_closed),
    }
}

/// A group of countries, as the board's filter names it.
fn group_label(locale: Locale, group: CountryGroup) -> &'static str {
    match group {
        CountryGroup::All => td_string!(locale, progress.group_all),
        CountryGroup::Eu27 => td_string!(locale, progress.group_eu27),
        CountryGroup::NonEu => td_string!(locale, progress.group_non_eu),
    }
}

/// A stored timestamp for the page, or "—".
fn when(locale: Locale, stored: Option<&str>) -> String {
    stored.map_or_else(
        || "—".to_string(),
        |t| crate::lang::format::timestamp(locale, t),
    )
}

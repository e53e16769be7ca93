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

/// A status as a badge: always the word, the colour only repeats it.
#[component]
pub fn StatusBadge(status: Option<Status>) -> impl IntoView {
    match status {
        Some(s) => view! { <span class=format!("badge badge-{}", s.as_str())>{s.label()}</span> }
            .into_any(),
        None => view! { <span class="badge badge-missing">"No status"</span> }.into_any(),
    }
}

/// A report state as a badge.
#[component]
pub fn StateBadge(state: Option<ReportState>) -> impl IntoView {
    match state {
        Some(s) => view! { <span class=format!("badge badge-{}", s.as_str())>{s.label()}</span> }
            .into_any(),
        None => view! { <span class="badge badge-not-started">"Not started"</span> }.into_any(),
    }
}

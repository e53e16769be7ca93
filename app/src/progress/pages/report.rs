//! `/report/{iso2}/{period}`: a country's report for a period, with what the caller may do.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use strum::VariantArray;

use super::form::ReportForm;
use super::read_only::ReportReadOnly;
use super::StateBadge;
use crate::clock;
use crate::error::AppError;
use crate::progress::api::{get_report, CopyForward, ReopenReport, ReviewReport, SaveReport};
use crate::progress::view::{Notice, ReportView};
use crate::progress::workflow::ReportState;
use crate::ui::Loaded;

/// `/report/{iso2}/{period}`.
#[component]
pub fn ReportPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let key = move || {
        let p = params.read();
        (
            p.get("country").unwrap_or_default(),
            p.get("period").and_then(|v| v.parse::<i64>().ok()),
        )
    };
    let save = ServerAction::<SaveReport>::new();
    let copy = ServerAction::<CopyForward>::new();
    let review = ServerAction::<ReviewReport>::new();
    let reopen = ServerAction::<ReopenReport>::new();
    // Every action is a plain form post answered with a redirect, so the page is rendered
    // afresh after each one.
    let report = Resource::new(key, |(country, period)| async move {
        match period {
            Some(p) => get_report(country, p).await,
            None => Err(AppError::NotFound),
        }
    });
    let notice = Signal::derive(move || outcome_notice(&query.read()));
    view! {
        <Loaded resource=report view=move |view| view! { <ReportBody view notice save copy review reopen/> }/>
    }
}

/// What the page says after `notice`: (CSS class, text).
fn notice_text(notice: Notice) -> (&'static str, &'static str) {
    match notice {
        Notice::Saved => ("notice-success", "Draft saved."),
        Notice::Submitted => (
            "notice-success",
            "Report submitted for review. The secretariat has been notified on its board.",
        ),
        Notice::Incomplete => (
            "notice-warning",
            "Draft saved, but not submitted: complete the items under “Still missing” first.",
        ),
        Notice::Copied => (
            "notice-success",
            "Started from the last approved report. Check every entry, then save.",
        ),
        Notice::Approved => ("notice-success", "Report approved and published."),
        Notice::Returned => (
            "notice-success",
            "Report returned to the focal point with your comments.",
        ),
        Notice::Reopened => ("notice-success", "Report reopened for the focal point."),
    }
}

/// The notice the query carries (`?saved=1`), if any.
fn outcome_notice(q: &leptos_router::params::ParamsMap) -> Option<(&'static str, &'static str)> {
    Notice::VARIANTS
        .iter()
        .find(|n| q.get(n.as_str()).is_some())
        .map(|n| notice_text(*n))
}

#[component]
fn ReportBody(
    view: ReportView,
    notice: Signal<Option<(&'static str, &'static str)>>,
    save: ServerAction<SaveReport>,
    copy: ServerAction<CopyForward>,
    review: ServerAction<ReviewReport>,
    reopen: ServerAction<ReopenReport>,
) -> impl IntoView {
    let title = format!("{} — {}", view.country.name, view.period.name);
    let iso2 = view.country.iso2.clone();
    let period_id = view.period.id;
    let heading = title.clone();
    view! {
        <Title text=format!("{title} — Recovery Tracker")/>
        <p class="eyebrow">"Progress report"</p>
        <h1>{heading}</h1>
        {move || notice.get().map(|(class, text)| view! { <p class=format!("notice {class}") role="status">{text}</p> })}
        <dl class="meta">
            <dt>"State"</dt><dd><StateBadge state=view.state/></dd>
            <dt>"Period"</dt><dd>{format!("{} to {} · {}", view.period.starts_on, view.period.ends_on, view.phase.label())}</dd>
            {view.updated_at.clone().filter(|_| view.state.is_some()).map(|u| view! {
                <dt>"Last change"</dt>
                <dd>{format!("{}{}", clock::display(&u), view.updated_by.clone().map(|b| format!(" by {b}")).unwrap_or_default())}</dd>
            })}
            {view.submitted_at.clone().map(|s| view! { <dt>"Submitted"</dt><dd>{clock::display(&s)}</dd> })}
            {view.approved_at.clone().map(|s| view! { <dt>"Approved"</dt><dd>{clock::display(&s)}</dd> })}
            {view.copied_from.clone().map(|s| view! { <dt>"Started from"</dt><dd>{format!("the approved report of {s}")}</dd> })}
            <dt>"Version"</dt><dd>{view.version}</dd>
        </dl>
        {view.review_note.clone().filter(|_| view.state == Some(ReportState::Returned)).map(|n| view! {
            <div class="comment" role="note"><strong>"From the secretariat: "</strong>{n}</div>
        })}
        {view.copy_forward_from.clone().map(|from| view! {
            <div class="summary-box">
                <p>{format!("You can start this report from your approved report of {from}, then update what changed.")}</p>
                <crate::ui::FormError error=crate::ui::last_error(move || copy.value().get())/>
                <ActionForm action=copy>
                    <input type="hidden" name="country" value=iso2.clone()/>
                    <input type="hidden" name="period" value=period_id/>
                    <button type="submit" class="secondary">{format!("Start from {from}")}</button>
                </ActionForm>
            </div>
        })}
        {if view.can_edit {
            view! { <ReportForm view=view.clone() save/> }.into_any()
        } else {
            view! { <ReportReadOnly view=view.clone() review reopen/> }.into_any()
        }}
    }
}

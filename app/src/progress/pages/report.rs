//! `/report/{iso2}/{period}`: a country's report for a period, with what the caller may do.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use strum::VariantArray;

use super::form::ReportForm;
use super::read_only::ReportReadOnly;
use super::{phase_label, when, StateBadge};
use crate::error::AppError;
use crate::i18n::*;
use crate::lang::{format, use_locale, Locale};
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
    let locale = use_locale();
    let notice = Signal::derive(move || outcome_notice(&query.read(), locale));
    view! {
        <Loaded resource=report view=move |view| view! { <ReportBody view notice save copy review reopen/> }/>
    }
}

/// What the page says after `notice`, in `locale`: (CSS class, text).
fn notice_text(notice: Notice, locale: Locale) -> (&'static str, &'static str) {
    match notice {
        Notice::Saved => ("notice-success", td_string!(locale, progress.notice_saved)),
        Notice::Submitted => (
            "notice-success",
            td_string!(locale, progress.notice_submitted),
        ),
        Notice::Incomplete => (
            "notice-warning",
            td_string!(locale, progress.notice_incomplete),
        ),
        Notice::Copied => ("notice-success", td_string!(locale, progress.notice_copied)),
        Notice::Approved => (
            "notice-success",
            td_string!(locale, progress.notice_approved),
        ),
        Notice::Returned => (
            "notice-success",
            td_string!(locale, progress.notice_returned),
        ),
        Notice::Reopened => (
            "notice-success",
            td_string!(locale, progress.notice_reopened),
        ),
    }
}

/// The notice the query carries (`?saved=1`), if any.
fn outcome_notice(
    q: &leptos_router::params::ParamsMap,
    locale: Locale,
) -> Option<(&'static str, &'static str)> {
    Notice::VARIANTS
        .iter()
        .find(|n| q.get(n.as_str()).is_some())
        .map(|n| notice_text(*n, locale))
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
    let locale = use_locale();
    let country = format::country_name_or(locale, &view.country.iso2, &view.country.name);
    let title = format!("{country} — {}", view.period.name);
    let iso2 = view.country.iso2.clone();
    let period_id = view.period.id;
    let heading = title.clone();
    let template_url = crate::routes::report_template(&iso2, period_id);
    let excel_country = iso2.clone();
    let span = td_string!(
        locale,
        progress.period_span,
        starts = format::date(locale, &view.period.starts_on),
        ends = format::date(locale, &view.period.ends_on),
        phase = phase_label(locale, view.phase)
    )
    .to_string();
    view! {
        <Title text=format!("{title} — Recovery Tracker")/>
        <p class="eyebrow">{td_string!(locale, progress.progress_report)}</p>
        <h1>{heading}</h1>
        {move || notice.get().map(|(class, text)| view! { <p class=format!("notice {class}") role="status">{text}</p> })}
        <dl class="meta">
            <dt>{td_string!(locale, progress.state)}</dt><dd><StateBadge state=view.state/></dd>
            <dt>{td_string!(locale, progress.period)}</dt><dd>{span}</dd>
            {view.updated_at.clone().filter(|_| view.state.is_some()).map(|u| {
                let at = format::timestamp(locale, &u);
                let changed = match view.updated_by.clone() {
                    Some(who) => td_string!(locale, progress.last_change_by, when = at, who = who).to_string(),
                    None => at,
                };
                view! { <dt>{td_string!(locale, progress.last_change)}</dt><dd>{changed}</dd> }
            })}
            {view.submitted_at.clone().map(|s| view! { <dt>{td_string!(locale, progress.submitted)}</dt><dd>{when(locale, Some(&s))}</dd> })}
            {view.approved_at.clone().map(|s| view! { <dt>{td_string!(locale, progress.approved)}</dt><dd>{when(locale, Some(&s))}</dd> })}
            {view.copied_from.clone().map(|s| view! {
                <dt>{td_string!(locale, progress.started_from)}</dt>
                <dd>{td_string!(locale, progress.started_from_value, period = s).to_string()}</dd>
            })}
            <dt>{td_string!(locale, progress.version)}</dt><dd>{format::count(locale, view.version)}</dd>
        </dl>
        {view.review_note.clone().filter(|_| view.state == Some(ReportState::Returned)).map(|n| view! {
            <div class="comment" role="note"><strong>{td_string!(locale, progress.from_secretariat)}</strong>{n}</div>
        })}
        {view.copy_forward_from.clone().map(|from| view! {
            <div class="summary-box">
                <p>{td_string!(locale, progress.copy_forward_offer, period = from.clone()).to_string()}</p>
                <crate::ui::FormError error=crate::ui::last_error(move || copy.value().get())/>
                <ActionForm action=copy>
                    <input type="hidden" name="country" value=iso2.clone()/>
                    <input type="hidden" name="period" value=period_id/>
                    <button type="submit" class="secondary">{td_string!(locale, progress.copy_forward_button, period = from).to_string()}</button>
                </ActionForm>
            </div>
        })}
        {view.can_edit.then(|| view! {
            <crate::imports::pages::ExcelBox kind="progress" country=excel_country.clone() period=period_id
                download=template_url
                heading=td_string!(locale, imports.report_box_heading).to_string()
                intro=td_string!(locale, imports.report_box_intro).to_string()/>
        })}
        {if view.can_edit {
            view! { <ReportForm view=view.clone() save/> }.into_any()
        } else {
            view! { <ReportReadOnly view=view.clone() review reopen/> }.into_any()
        }}
    }
}

//! The report as read by the admin (with the review and reopen forms), viewers and the public,
//! and the change history of an entry.

use leptos::prelude::*;

use super::{when, StatusBadge};
use crate::i18n::*;
use crate::indicators::model::IndicatorKind;
use crate::lang::{format, use_locale, Locale};
use crate::progress::api::{ReopenReport, ReviewReport};
use crate::progress::fields::{comment_field, CommentField};
use crate::progress::view::{EntryView, HistoryItem, ReportView, SavedValue};
use crate::progress::workflow::Decision;
use crate::recommendations::model::Recommendation;
use crate::ui::TextField;

/// "3. Title" of an entry's recommendation, the title in `locale`.
pub(super) fn entry_title(locale: Locale, entry: &EntryView) -> String {
    let recommendation = Recommendation {
        number: entry.number,
        title: entry.title.clone(),
        description: String::new(),
    };
    format!(
        "{}. {}",
        entry.number,
        crate::recommendations::pages::title(locale, &recommendation)
    )
}

/// A stored indicator value as read, with its unit; numbers written for `locale`.
fn shown_value(locale: Locale, s: &SavedValue) -> String {
    match (s.kind, s.unit.as_deref()) {
        (IndicatorKind::Percentage, _) => format!("{} %", format::number(locale, &s.value)),
        (IndicatorKind::Number, Some(u)) => format!("{} {u}", format::number(locale, &s.value)),
        (IndicatorKind::Number, None) => format::number(locale, &s.value),
        (IndicatorKind::YesNo, _) => match s.value.as_str() {
            "yes" => td_string!(locale, common.yes).to_string(),
            "no" => td_string!(locale, common.no).to_string(),
            other => other.to_string(),
        },
        (IndicatorKind::Text, _) => s.value.clone(),
    }
}

/// The report as read by the admin (with the review form), viewers and the public.
#[component]
pub(super) fn ReportReadOnly(
    view: ReportView,
    review: ServerAction<ReviewReport>,
    reopen: ServerAction<ReopenReport>,
) -> impl IntoView {
    let locale = use_locale();
    let review_result = move || review.value().get();
    let reopen_result = move || reopen.value().get();
    let iso2 = view.country.iso2.clone();
    let period = view.period.id;
    let version = view.version;
    let can_review = view.can_review;
    let reopen_iso2 = iso2.clone();
    let entries = view.entries.clone();
    view! {
        {view.entries.into_iter().map(|e| {
            let stored = e.stored_values.clone();
            view! {
                <section class="section" aria-labelledby=format!("rec-{}-heading", e.number)>
                    <h2 id=format!("rec-{}-heading", e.number)>{entry_title(locale, &e)}</h2>
                    {e.review_comment.clone().map(|c| view! { <div class="comment" role="note"><strong>{td_string!(locale, progress.reviewer_comment)}</strong>{c}</div> })}
                    <dl class="meta">
                        <dt>{td_string!(locale, progress.status)}</dt><dd><StatusBadge status=e.values.status/></dd>
                        <dt>{td_string!(locale, progress.as_of)}</dt><dd>{e.values.as_of.as_deref().map_or_else(|| "—".to_string(), |d| format::date(locale, d))}</dd>
                        <dt>{td_string!(locale, progress.narrative)}</dt><dd>{if e.values.narrative.is_empty() { "—".to_string() } else { e.values.narrative.clone() }}</dd>
                        <dt>{td_string!(locale, progress.evidence)}</dt>
                        <dd>
                            {if e.values.evidence.is_empty() { view! { "—" }.into_any() } else {
                                view! { <ul>{e.values.evidence.iter().map(|l| view! { <li><a href=l.clone() rel="noopener noreferrer">{l.clone()}</a></li> }).collect_view()}</ul> }.into_any()
                            }}
                        </dd>
                        {stored.into_iter().map(|s| {
                            let shown = shown_value(locale, &s);
                            view! { <dt>{s.name}</dt><dd>{shown}</dd> }
                        }).collect_view()}
                    </dl>
                    <EntryHistory history=e.history.clone()/>
                </section>
            }
        }).collect_view()}
        {can_review.then(|| view! {
            <section class="section" aria-labelledby="review-heading">
                <h2 id="review-heading">{td_string!(locale, progress.review_heading)}</h2>
                <p>{td_string!(locale, progress.review_intro)}</p>
                <crate::ui::FormError error=crate::ui::last_error(review_result)/>
                <ActionForm action=review attr:novalidate="true">
                    <input type="hidden" name="country" value=iso2.clone()/>
                    <input type="hidden" name="period" value=period/>
                    <input type="hidden" name="version" value=version/>
                    {entries.iter().enumerate().map(|(i, e)| view! {
                        <input type="hidden" name=comment_field(i, CommentField::Recommendation) value=e.number/>
                        <TextField name=comment_field(i, CommentField::Comment) label=td_string!(locale, progress.comment_label, n = e.number).to_string()
                            multiline=true value=e.review_comment.clone().unwrap_or_default()
                            error=crate::ui::error_for(review_result, if i == 0 { comment_field(0, CommentField::Comment) } else { String::new() })/>
                    }).collect_view()}
                    <TextField name="note" label=td_string!(locale, progress.note_label) multiline=true/>
                    <div class="actions">
                        <button type="submit" name="decision" value=Decision::Return.as_str() class="secondary">{td_string!(locale, progress.return_button)}</button>
                        <button type="submit" name="decision" value=Decision::Approve.as_str()>{td_string!(locale, progress.approve_button)}</button>
                    </div>
                </ActionForm>
            </section>
        })}
        {view.can_reopen.then(|| view! {
            <section class="section" aria-labelledby="reopen-heading">
                <h2 id="reopen-heading">{td_string!(locale, progress.reopen_heading)}</h2>
                <crate::ui::FormError error=crate::ui::last_error(reopen_result)/>
                <ActionForm action=reopen attr:novalidate="true">
                    <input type="hidden" name="country" value=reopen_iso2.clone()/>
                    <input type="hidden" name="period" value=period/>
                    <TextField name="reason" label=td_string!(locale, progress.reopen_reason) multiline=true required=true
                        hint=td_string!(locale, progress.reopen_hint) error=crate::ui::error_for(reopen_result, "reason")/>
                    <div class="actions"><button type="submit" class="secondary">{td_string!(locale, progress.reopen_button)}</button></div>
                </ActionForm>
            </section>
        })}
    }
}

#[component]
pub(super) fn EntryHistory(history: Vec<HistoryItem>) -> impl IntoView {
    let locale = use_locale();
    (!history.is_empty()).then(|| {
        let count = history.len();
        view! {
            <details class="history">
                <summary>{td_string!(locale, progress.history_summary, n = count).to_string()}</summary>
                <div class="table-wrap">
                    <table>
                        <thead><tr>
                            <th scope="col">{td_string!(locale, progress.history_when)}</th>
                            <th scope="col">{td_string!(locale, progress.history_who)}</th>
                            <th scope="col">{td_string!(locale, progress.history_field)}</th>
                            <th scope="col">{td_string!(locale, progress.history_before)}</th>
                            <th scope="col">{td_string!(locale, progress.history_after)}</th>
                        </tr></thead>
                        <tbody>
                            {history.into_iter().map(|h| view! {
                                <tr>
                                    <td>{when(locale, Some(&h.at))}</td><td>{h.by.clone()}</td><td>{h.field_label(locale)}</td>
                                    <td>{h.shown(locale, h.old.as_deref()).unwrap_or_else(|| "—".into())}</td>
                                    <td>{h.shown(locale, h.new.as_deref()).unwrap_or_else(|| "—".into())}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </details>
        }
    })
}

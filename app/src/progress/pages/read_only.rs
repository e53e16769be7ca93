//! The report as read by the admin (with the review and reopen forms), viewers and the public,
//! and the change history of an entry.

use leptos::prelude::*;

use super::StatusBadge;
use crate::clock;
use crate::indicators::model::IndicatorKind;
use crate::progress::api::{ReopenReport, ReviewReport};
use crate::progress::fields::{comment_field, CommentField};
use crate::progress::view::{HistoryItem, ReportView};
use crate::progress::workflow::Decision;
use crate::ui::TextField;

/// The report as read by the admin (with the review form), viewers and the public.
#[component]
pub(super) fn ReportReadOnly(
    view: ReportView,
    review: ServerAction<ReviewReport>,
    reopen: ServerAction<ReopenReport>,
) -> impl IntoView {
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
                    <h2 id=format!("rec-{}-heading", e.number)>{format!("{}. {}", e.number, e.title)}</h2>
                    {e.review_comment.clone().map(|c| view! { <div class="comment" role="note"><strong>"Reviewer’s comment: "</strong>{c}</div> })}
                    <dl class="meta">
                        <dt>"Status"</dt><dd><StatusBadge status=e.values.status/></dd>
                        <dt>"As of"</dt><dd>{e.values.as_of.clone().unwrap_or_else(|| "—".into())}</dd>
                        <dt>"Narrative"</dt><dd>{if e.values.narrative.is_empty() { "—".to_string() } else { e.values.narrative.clone() }}</dd>
                        <dt>"Evidence"</dt>
                        <dd>
                            {if e.values.evidence.is_empty() { view! { "—" }.into_any() } else {
                                view! { <ul>{e.values.evidence.iter().map(|l| view! { <li><a href=l.clone() rel="noopener noreferrer">{l.clone()}</a></li> }).collect_view()}</ul> }.into_any()
                            }}
                        </dd>
                        {stored.into_iter().map(|s| {
                            let shown = match (s.kind, s.unit.as_deref()) {
                                (IndicatorKind::Percentage, _) => format!("{} %", s.value),
                                (IndicatorKind::Number, Some(u)) => format!("{} {u}", s.value),
                                _ => s.value.clone(),
                            };
                            view! { <dt>{s.name}</dt><dd>{shown}</dd> }
                        }).collect_view()}
                    </dl>
                    <EntryHistory history=e.history.clone()/>
                </section>
            }
        }).collect_view()}
        {can_review.then(|| view! {
            <section class="section" aria-labelledby="review-heading">
                <h2 id="review-heading">"Review"</h2>
                <p>"Approve to publish the report, or return it to the focal point with a comment on each recommendation that needs changes."</p>
                <crate::ui::FormError error=crate::ui::last_error(review_result)/>
                <ActionForm action=review attr:novalidate="true">
                    <input type="hidden" name="country" value=iso2.clone()/>
                    <input type="hidden" name="period" value=period/>
                    <input type="hidden" name="version" value=version/>
                    {entries.iter().enumerate().map(|(i, e)| view! {
                        <input type="hidden" name=comment_field(i, CommentField::Recommendation) value=e.number/>
                        <TextField name=comment_field(i, CommentField::Comment) label=format!("Comment on recommendation {}", e.number)
                            multiline=true value=e.review_comment.clone().unwrap_or_default()
                            error=crate::ui::error_for(review_result, if i == 0 { comment_field(0, CommentField::Comment) } else { String::new() })/>
                    }).collect_view()}
                    <TextField name="note" label="Note to the focal point (optional)" multiline=true/>
                    <div class="actions">
                        <button type="submit" name="decision" value=Decision::Return.as_str() class="secondary">"Return to focal point"</button>
                        <button type="submit" name="decision" value=Decision::Approve.as_str()>"Approve and publish"</button>
                    </div>
                </ActionForm>
            </section>
        })}
        {view.can_reopen.then(|| view! {
            <section class="section" aria-labelledby="reopen-heading">
                <h2 id="reopen-heading">"Reopen"</h2>
                <crate::ui::FormError error=crate::ui::last_error(reopen_result)/>
                <ActionForm action=reopen attr:novalidate="true">
                    <input type="hidden" name="country" value=reopen_iso2.clone()/>
                    <input type="hidden" name="period" value=period/>
                    <TextField name="reason" label="Reason for reopening" multiline=true required=true
                        hint="The focal point sees it." error=crate::ui::error_for(reopen_result, "reason")/>
                    <div class="actions"><button type="submit" class="secondary">"Reopen for the focal point"</button></div>
                </ActionForm>
            </section>
        })}
    }
}

#[component]
pub(super) fn EntryHistory(history: Vec<HistoryItem>) -> impl IntoView {
    (!history.is_empty()).then(|| {
        let count = history.len();
        view! {
            <details class="history">
                <summary>{format!("Change history ({count})")}</summary>
                <div class="table-wrap">
                    <table>
                        <thead><tr>
                            <th scope="col">"When"</th><th scope="col">"Who"</th><th scope="col">"Field"</th>
                            <th scope="col">"Before"</th><th scope="col">"After"</th>
                        </tr></thead>
                        <tbody>
                            {history.into_iter().map(|h| view! {
                                <tr>
                                    <td>{clock::display(&h.at)}</td><td>{h.by.clone()}</td><td>{h.field_label()}</td>
                                    <td>{h.shown(h.old.as_deref()).unwrap_or_else(|| "—".into())}</td>
                                    <td>{h.shown(h.new.as_deref()).unwrap_or_else(|| "—".into())}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </details>
        }
    })
}

//! Pages of progress reporting: the report form (focal points), review (admins), read-only
//! views (viewers, the public once approved), and a focal point's list of reports. All are
//! rendered on the server; the report form's browser checks are the island in `enhancer`.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{
    get_report, list_my_reports, CopyForward, ReopenReport, ReviewReport, SaveReport,
};
use super::enhancer::{FormChecks, ReportFormEnhancer, SUMMARY_SLOT};
use super::model::*;
use crate::clock;
use crate::error::{AppError, FieldError};
use crate::ui::{field_id, ErrorPage, ErrorSummary, IslandsScript, SelectField, TextField};

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

/// The values a form shows for one entry: the caller's refused values, or what is stored.
#[derive(Clone, Default)]
struct FormValues {
    status: String,
    narrative: String,
    evidence: String,
    as_of: String,
    indicators: HashMap<i64, String>,
}

fn form_values(entry: &EntryView, unsaved: Option<&EntryInput>) -> FormValues {
    match unsaved {
        Some(u) => FormValues {
            status: u.status.clone(),
            narrative: u.narrative.clone(),
            evidence: u.evidence.clone(),
            as_of: u.as_of.clone(),
            indicators: u
                .indicators
                .iter()
                .map(|i| (i.id, i.value.clone()))
                .collect(),
        },
        None => FormValues {
            status: entry
                .values
                .status
                .map(|s| s.as_str().to_string())
                .unwrap_or_default(),
            narrative: entry.values.narrative.clone(),
            evidence: entry.values.evidence.join("\n"),
            as_of: entry.values.as_of.clone().unwrap_or_default(),
            indicators: entry.values.indicators.iter().cloned().collect(),
        },
    }
}

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
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match report.await {
                    Ok(view) => {
                        let notice = Signal::derive(move || outcome_notice(&query.read()));
                        view! { <ReportBody view notice save copy review reopen/> }.into_any()
                    }
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn outcome_notice(q: &leptos_router::params::ParamsMap) -> Option<(&'static str, &'static str)> {
    [
        ("saved", "notice-success", "Draft saved."),
        (
            "submitted",
            "notice-success",
            "Report submitted for review. The secretariat has been notified on its board.",
        ),
        (
            "incomplete",
            "notice-warning",
            "Draft saved, but not submitted: complete the items under “Still missing” first.",
        ),
        (
            "copied",
            "notice-success",
            "Started from the last approved report. Check every entry, then save.",
        ),
        (
            "approved",
            "notice-success",
            "Report approved and published.",
        ),
        (
            "returned",
            "notice-success",
            "Report returned to the focal point with your comments.",
        ),
        (
            "reopened",
            "notice-success",
            "Report reopened for the focal point.",
        ),
    ]
    .into_iter()
    .find(|(k, ..)| q.get(k).is_some())
    .map(|(_, class, text)| (class, text))
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

/// The focal point's form: all seven recommendations, save as draft, submit when complete.
/// Rendered on the server; [`ReportFormEnhancer`] adds the browser's checks around it.
#[component]
fn ReportForm(view: ReportView, save: ServerAction<SaveReport>) -> impl IntoView {
    let query = use_query_map();
    // The answer to the last plain-form post, carried back in the URL.
    let result = save.value().get_untracked();
    let refused: Vec<FieldError> = match &result {
        Some(Err(AppError::Invalid(errors))) => errors.clone(),
        _ => vec![],
    };
    // After a "Submit" that was refused as incomplete (`?incomplete=1`), each missing item is
    // also shown next to its field.
    let at_fields: Vec<FieldError> = match &result {
        Some(Err(AppError::Invalid(errors))) => errors.clone(),
        Some(Ok(outcome)) => outcome.missing.clone(),
        None if query.read_untracked().get("incomplete").is_some() => view.missing.clone(),
        _ => vec![],
    };
    let at_fields = StoredValue::new(at_fields);
    let error_of = move |name: String| {
        at_fields.with_value(|errors| {
            errors
                .iter()
                .find(|e| e.field == name)
                .map(|e| e.message.clone())
        })
    };
    let conflict = match &result {
        Some(Err(AppError::Conflict {
            message, current, ..
        })) => Some((message.clone(), current.clone())),
        _ => None,
    };
    let other_error = match &result {
        Some(Err(
            e @ (AppError::Rejected(_)
            | AppError::Forbidden
            | AppError::Unauthorized
            | AppError::Internal
            | AppError::Transport(_)
            | AppError::NotFound),
        )) => Some(e.to_string()),
        _ => None,
    };
    let checks = FormChecks::for_report(&view);
    let unsaved = view.unsaved.clone();
    let missing = view.missing.clone();
    view! {
        {unsaved.is_some().then(|| view! {
            <p class="notice notice-warning" role="status">"Your last changes were not saved. They are shown below as you entered them."</p>
        })}
        {conflict.map(|(message, current)| view! {
            <div class="error-summary" role="alert" tabindex="-1">
                <h2>"Someone else saved this report"</h2>
                <p>{message}</p>
                <ul>{current.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
            </div>
        })}
        {other_error.map(|m| view! { <p class="notice notice-error" role="alert">{m}</p> })}
        <IslandsScript/>
        <ReportFormEnhancer checks server_errors=refused.clone() start_unsaved=unsaved.is_some()>
            <div id=SUMMARY_SLOT><ErrorSummary errors=refused/></div>
            <MissingSummary missing/>
            <ActionForm action=save attr:novalidate="true" attr:aria-label="Progress report">
                <input type="hidden" name="country" value=view.country.iso2.clone()/>
                <input type="hidden" name="period" value=view.period.id/>
                <input type="hidden" name="version" value=view.version/>
                {view.entries.iter().enumerate().map(|(i, entry)| {
                    let values = form_values(entry, unsaved.as_ref().and_then(|u| u.iter().find(|e| e.recommendation == entry.number)));
                    let indicators: Vec<Indicator> = view.indicators.iter().filter(|d| d.recommendation == entry.number).cloned().collect();
                    view! { <EntryFields index=i entry=entry.clone() values indicators error_of/> }
                }).collect_view()}
                <div class="actions">
                    <button type="submit" name="intent" value="save" class="secondary">"Save draft"</button>
                    <button type="submit" name="intent" value="submit">"Submit for review"</button>
                </div>
            </ActionForm>
        </ReportFormEnhancer>
    }
}

/// "Still missing before you can submit", each item linking to its field.
#[component]
fn MissingSummary(missing: Vec<FieldError>) -> impl IntoView {
    (!missing.is_empty()).then(|| view! {
        <div class="summary-box" role="region" aria-labelledby="missing-heading">
            <h2 id="missing-heading">{format!("Still missing before you can submit ({})", missing.len())}</h2>
            <ul>
                {missing.into_iter().map(|m| view! { <li><a href=format!("#{}", field_id(&m.field))>{m.message}</a></li> }).collect_view()}
            </ul>
        </div>
    })
}

fn status_options() -> Vec<(String, String)> {
    std::iter::once((String::new(), "Choose a status".to_string()))
        .chain(
            Status::ALL
                .iter()
                .map(|s| (s.as_str().to_string(), s.label().to_string())),
        )
        .collect()
}

fn indicator_hint(ind: &Indicator) -> Option<String> {
    let mut parts = vec![];
    if let Some(h) = &ind.help {
        parts.push(h.clone());
    }
    match (ind.min, ind.max) {
        (Some(a), Some(b)) => parts.push(format!("From {} to {}.", fmt_number(a), fmt_number(b))),
        (Some(a), None) => parts.push(format!("At least {}.", fmt_number(a))),
        (None, Some(b)) => parts.push(format!("At most {}.", fmt_number(b))),
        _ => {}
    }
    if ind.kind == IndicatorKind::Percentage {
        parts.push("A percentage, 0 to 100.".into());
    }
    if ind.required {
        parts.push("Required to submit.".into());
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

#[component]
fn EntryFields<F>(
    index: usize,
    entry: EntryView,
    values: FormValues,
    indicators: Vec<Indicator>,
    error_of: F,
) -> impl IntoView
where
    F: Fn(String) -> Option<String> + Copy + Send + Sync + 'static,
{
    let n = entry.number;
    let heading_id = format!("rec-{n}-heading");
    let labelled_by = heading_id.clone();
    let name = move |field: &str| field_name(index, field);
    view! {
        <section class="section" aria-labelledby=labelled_by>
            <h2 id=heading_id>{format!("{n}. {}", entry.title)}</h2>
            {entry.review_comment.clone().map(|c| view! {
                <div class="comment" role="note"><strong>"Reviewer’s comment: "</strong>{c}</div>
            })}
            <input type="hidden" name=name("recommendation") value=n/>
            <SelectField name=name("status") label=format!("Status of recommendation {n}") options=status_options()
                selected=values.status.clone() error=error_of(name("status"))/>
            <TextField name=name("narrative") label=format!("Narrative for recommendation {n}") multiline=true value=values.narrative.clone()
                hint="What has been done, by whom, and what comes next. Required once the status is “In progress” or beyond."
                error=error_of(name("narrative"))/>
            <TextField name=name("evidence") label=format!("Evidence links for recommendation {n}") multiline=true value=values.evidence.clone()
                hint="Full web addresses (https://…), one per line." error=error_of(name("evidence"))/>
            <TextField name=name("as_of") label=format!("As of (recommendation {n})") kind="date" value=values.as_of.clone()
                hint="The date this information describes." error=error_of(name("as_of"))/>
            {indicators.into_iter().enumerate().map(|(j, ind)| {
                let field = indicator_field_name(index, j);
                let id_field = format!("entries[{index}][indicators][{j}][id]");
                let value = values.indicators.get(&ind.id).cloned().unwrap_or_default();
                let label = match (ind.kind, ind.unit.as_deref()) {
                    (IndicatorKind::Number, Some(u)) => format!("{} ({u})", ind.name),
                    (IndicatorKind::Percentage, _) => format!("{} (%)", ind.name),
                    _ => ind.name.clone(),
                };
                let hint = indicator_hint(&ind);
                let input = match ind.kind {
                    IndicatorKind::YesNo => view! {
                        <SelectField name=field.clone() label=label options=vec![
                            (String::new(), "Not answered".into()), ("yes".into(), "Yes".into()), ("no".into(), "No".into())
                        ] selected=value hint=hint.clone().unwrap_or_default() error=error_of(field.clone())/>
                    }.into_any(),
                    _ => view! {
                        <TextField name=field.clone() label=label value=value hint=hint.unwrap_or_default() error=error_of(field.clone())/>
                    }.into_any(),
                };
                view! { <input type="hidden" name=id_field value=ind.id/>{input} }
            }).collect_view()}
            <EntryHistory history=entry.history.clone()/>
        </section>
    }
}

#[component]
fn EntryHistory(history: Vec<HistoryItem>) -> impl IntoView {
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
                                    <td>{clock::display(&h.at)}</td><td>{h.by}</td><td>{h.field}</td>
                                    <td>{h.old.unwrap_or_else(|| "—".into())}</td><td>{h.new.unwrap_or_else(|| "—".into())}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </details>
        }
    })
}

/// The report as read by the admin (with the review form), viewers and the public.
#[component]
fn ReportReadOnly(
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
                            let shown = match (s.kind.as_str(), s.unit.as_deref()) {
                                ("percentage", _) => format!("{} %", s.value),
                                ("number", Some(u)) => format!("{} {u}", s.value),
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
                        <input type="hidden" name=format!("comments[{i}][recommendation]") value=e.number/>
                        <TextField name=format!("comments[{i}][comment]") label=format!("Comment on recommendation {}", e.number)
                            multiline=true value=e.review_comment.clone().unwrap_or_default()
                            error=crate::ui::error_for(review_result, if i == 0 { "comments[0][comment]" } else { "" })/>
                    }).collect_view()}
                    <TextField name="note" label="Note to the focal point (optional)" multiline=true/>
                    <div class="actions">
                        <button type="submit" name="decision" value="return" class="secondary">"Return to focal point"</button>
                        <button type="submit" name="decision" value="approve">"Approve and publish"</button>
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

/// `/report`: a focal point's reports, every period.
#[component]
pub fn MyReportsPage() -> impl IntoView {
    let reports = Resource::new(|| (), |_| list_my_reports());
    view! {
        <Title text="My reports — Recovery Tracker"/>
        <h1>"My reports"</h1>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match reports.await {
                    Ok(list) if list.is_empty() => view! { <p>"There are no reporting periods yet."</p> }.into_any(),
                    Ok(list) => view! {
                        <div class="table-wrap">
                            <table>
                                <caption>"Your countries’ reports by period"</caption>
                                <thead><tr>
                                    <th scope="col">"Period"</th><th scope="col">"Country"</th><th scope="col">"Submissions"</th>
                                    <th scope="col">"Report"</th><th scope="col">"Last change"</th>
                                </tr></thead>
                                <tbody>
                                    {list.into_iter().map(|r| view! {
                                        <tr>
                                            <td>{r.period.clone()}</td>
                                            <td><a href=format!("/report/{}/{}", r.iso2, r.period_id)>{format!("{} — {}", r.country, r.period)}</a></td>
                                            <td>{r.phase.label()}</td>
                                            <td><StateBadge state=r.state/></td>
                                            <td>{r.updated_at.map(|u| clock::display(&u)).unwrap_or_else(|| "—".into())}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

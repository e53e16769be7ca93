//! The focal point's form: all seven recommendations, save as draft, submit when complete.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::read_only::{entry_title, EntryHistory};
use crate::error::{AppError, FieldError};
use crate::i18n::*;
use crate::indicators::model::{fmt_number, Indicator, IndicatorKind};
use crate::lang::{format, use_locale, Locale};
use crate::progress::api::SaveReport;
use crate::progress::checks::EntryInput;
use crate::progress::enhancer::{FormChecks, ReportFormEnhancer, SUMMARY_SLOT};
use crate::progress::fields::{EntryField, FieldName};
use crate::progress::view::{EntryView, ReportView};
use crate::progress::workflow::{Intent, Status};
use crate::ui::{field_id, ErrorSummary, IslandsScript, SelectField, TextField};

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

/// The focal point's form: all seven recommendations, save as draft, submit when complete.
/// Rendered on the server; [`ReportFormEnhancer`] adds the browser's checks around it.
#[component]
pub(super) fn ReportForm(view: ReportView, save: ServerAction<SaveReport>) -> impl IntoView {
    let locale = use_locale();
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
        )) => Some(e.message(locale)),
        _ => None,
    };
    let checks = FormChecks::for_report(&view, locale);
    let unsaved = view.unsaved.clone();
    let missing = view.missing.clone();
    view! {
        {unsaved.is_some().then(|| view! {
            <p class="notice notice-warning" role="status">{td_string!(locale, progress.unsaved_notice)}</p>
        })}
        {conflict.map(|(message, current)| view! {
            <div class="error-summary" role="alert" tabindex="-1">
                <h2>{td_string!(locale, progress.conflict_heading)}</h2>
                <p>{message}</p>
                <ul>{current.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
            </div>
        })}
        {other_error.map(|m| view! { <p class="notice notice-error" role="alert">{m}</p> })}
        <IslandsScript/>
        <ReportFormEnhancer checks server_errors=refused.clone() start_unsaved=unsaved.is_some()>
            <div id=SUMMARY_SLOT><ErrorSummary errors=refused/></div>
            <MissingSummary missing/>
            <ActionForm action=save attr:novalidate="true" attr:aria-label=td_string!(locale, progress.progress_report)>
                <input type="hidden" name="country" value=view.country.iso2.clone()/>
                <input type="hidden" name="period" value=view.period.id/>
                <input type="hidden" name="version" value=view.version/>
                {view.entries.iter().enumerate().map(|(i, entry)| {
                    let values = form_values(entry, unsaved.as_ref().and_then(|u| u.iter().find(|e| e.recommendation == entry.number)));
                    let indicators: Vec<Indicator> = view.indicators.iter().filter(|d| d.recommendation == entry.number).cloned().collect();
                    view! { <EntryFields index=i entry=entry.clone() values indicators error_of/> }
                }).collect_view()}
                <div class="actions">
                    <button type="submit" name="intent" value=Intent::Save.as_str() class="secondary">{td_string!(locale, progress.save_draft)}</button>
                    <button type="submit" name="intent" value=Intent::Submit.as_str()>{td_string!(locale, progress.submit_for_review)}</button>
                </div>
            </ActionForm>
        </ReportFormEnhancer>
    }
}

/// "Still missing before you can submit", each item linking to its field.
#[component]
fn MissingSummary(missing: Vec<FieldError>) -> impl IntoView {
    let locale = use_locale();
    (!missing.is_empty()).then(|| view! {
        <div class="summary-box" role="region" aria-labelledby="missing-heading">
            <h2 id="missing-heading">{td_string!(locale, progress.missing_heading, n = missing.len()).to_string()}</h2>
            <ul>
                {missing.into_iter().map(|m| view! { <li><a href=format!("#{}", field_id(&m.field))>{m.message}</a></li> }).collect_view()}
            </ul>
        </div>
    })
}

fn status_options(locale: Locale) -> Vec<(String, String)> {
    crate::ui::enum_options(td_string!(locale, progress.choose_status), |s: Status| {
        s.label(locale)
    })
}

fn indicator_hint(locale: Locale, ind: &Indicator) -> Option<String> {
    let mut parts = vec![];
    if let Some(h) = &ind.help {
        parts.push(h.clone());
    }
    let number = |n: f64| format::number(locale, &fmt_number(n));
    match (ind.min, ind.max) {
        (Some(a), Some(b)) => parts.push(
            td_string!(
                locale,
                progress.hint_range,
                min = number(a),
                max = number(b)
            )
            .to_string(),
        ),
        (Some(a), None) => {
            parts.push(td_string!(locale, progress.hint_min, min = number(a)).to_string())
        }
        (None, Some(b)) => {
            parts.push(td_string!(locale, progress.hint_max, max = number(b)).to_string())
        }
        _ => {}
    }
    if ind.kind == IndicatorKind::Percentage {
        parts.push(td_string!(locale, progress.hint_percentage).into());
    }
    if ind.required {
        parts.push(td_string!(locale, progress.hint_required).into());
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
    let locale = use_locale();
    let n = entry.number;
    let heading_id = format!("rec-{n}-heading");
    let labelled_by = heading_id.clone();
    let name = move |field| FieldName::entry(index, field).to_string();
    view! {
        <section class="section" aria-labelledby=labelled_by>
            <h2 id=heading_id>{entry_title(locale, &entry)}</h2>
            {entry.review_comment.clone().map(|c| view! {
                <div class="comment" role="note"><strong>{td_string!(locale, progress.reviewer_comment)}</strong>{c}</div>
            })}
            <input type="hidden" name=name(EntryField::Recommendation) value=n/>
            <SelectField name=name(EntryField::Status) label=td_string!(locale, progress.status_label, n = n).to_string() options=status_options(locale)
                selected=values.status.clone() error=error_of(name(EntryField::Status))/>
            <TextField name=name(EntryField::Narrative) label=td_string!(locale, progress.narrative_label, n = n).to_string() multiline=true value=values.narrative.clone()
                hint=td_string!(locale, progress.narrative_hint)
                error=error_of(name(EntryField::Narrative))/>
            <TextField name=name(EntryField::Evidence) label=td_string!(locale, progress.evidence_label, n = n).to_string() multiline=true value=values.evidence.clone()
                hint=td_string!(locale, progress.evidence_hint) error=error_of(name(EntryField::Evidence))/>
            <TextField name=name(EntryField::AsOf) label=td_string!(locale, progress.as_of_label, n = n).to_string() kind="date" value=values.as_of.clone()
                hint=td_string!(locale, progress.as_of_hint) error=error_of(name(EntryField::AsOf))/>
            {indicators.into_iter().enumerate().map(|(j, ind)| {
                let field = FieldName::indicator_value(index, j).to_string();
                let id_field = FieldName::indicator_id(index, j).to_string();
                let value = values.indicators.get(&ind.id).cloned().unwrap_or_default();
                let label = match (ind.kind, ind.unit.as_deref()) {
                    (IndicatorKind::Number, Some(u)) => format!("{} ({u})", ind.name),
                    (IndicatorKind::Percentage, _) => format!("{} (%)", ind.name),
                    _ => ind.name.clone(),
                };
                let hint = indicator_hint(locale, &ind);
                let input = match ind.kind {
                    IndicatorKind::YesNo => view! {
                        <SelectField name=field.clone() label=label options=vec![
                            (String::new(), td_string!(locale, progress.not_answered).into()),
                            ("yes".into(), td_string!(locale, common.yes).into()),
                            ("no".into(), td_string!(locale, common.no).into())
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

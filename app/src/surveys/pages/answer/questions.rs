//! One question as a form control, by kind: radio buttons (single choice, Likert scale),
//! check boxes (multiple choice, with "Other, please specify"), a number, a short or long
//! text, a date, and a matrix as a real table (row and column headers, one radio group per
//! row). Every control has its label; the hint and the problem are tied to it.

use leptos::prelude::*;

use crate::i18n::*;
use crate::lang::Locale;
use crate::surveys::api::answering::ShownError;
use crate::surveys::model::answers::{
    field, fmt_number, other_field, row_field, Problem, Raw, OTHER,
};
use crate::surveys::model::{Choice, Kind, Question};
use crate::ui::{described_by, field_id};

/// A problem in the respondent's words.
pub fn problem_message(l: Locale, p: Problem) -> String {
    match p {
        Problem::Required => td_string!(l, surveys.problem_required),
        Problem::UnknownChoice => td_string!(l, surveys.problem_unknown_choice),
        Problem::OtherNeedsText => td_string!(l, surveys.problem_other_needs_text),
        Problem::NotANumber => td_string!(l, surveys.problem_not_a_number),
        Problem::NotAnInteger => td_string!(l, surveys.problem_not_an_integer),
        Problem::BelowMin => td_string!(l, surveys.problem_below_min),
        Problem::AboveMax => td_string!(l, surveys.problem_above_max),
        Problem::NotADate => td_string!(l, surveys.problem_not_a_date),
        Problem::TooLong => td_string!(l, surveys.problem_too_long),
        Problem::ControlCharacters => td_string!(l, surveys.problem_control_characters),
        Problem::RowMissing => td_string!(l, surveys.problem_row_missing),
    }
    .to_string()
}

fn values<'a>(raw: &'a Raw, name: &str) -> &'a [String] {
    raw.get(name).map(Vec::as_slice).unwrap_or(&[])
}

fn value(raw: &Raw, name: &str) -> String {
    values(raw, name).first().cloned().unwrap_or_default()
}

/// The error paragraph of a field (with the hidden "Error:" prefix).
fn error_line(l: Locale, id: &str, message: Option<String>) -> impl IntoView {
    message.map(|m| {
        view! {
            <p class="error-message" id=format!("{id}-error")>
                <span class="visually-hidden">{td_string!(l, common.error_prefix)}</span>{m}
            </p>
        }
    })
}

/// One question (hidden until its condition holds: the island shows it at once, the
/// server on the next step).
#[component]
pub fn QuestionBlock(
    q: Question,
    lang: String,
    default: String,
    raw: Raw,
    shown: bool,
    error: Option<ShownError>,
) -> impl IntoView {
    let l = crate::lang::use_locale();
    let text = q.text.get(&lang, &default).to_string();
    let help = q.help.get(&lang, &default).to_string();
    let label = if q.required {
        format!("{text} {}", td_string!(l, surveys.required_mark))
    } else {
        text
    };
    let name = field(&q.code);
    let id = field_id(&name);
    let message = error.as_ref().map(|e| problem_message(l, e.problem));
    let error_field = error.as_ref().map(|e| e.field.clone()).unwrap_or_default();
    let hint = {
        let mut parts = Vec::new();
        if !help.is_empty() {
            parts.push(help);
        }
        if let Kind::Number { min, max, integer } = &q.kind {
            let b = |n: &Option<f64>| n.map(|n| crate::lang::format::number(l, &fmt_number(n)));
            parts.push(match (b(min), b(max)) {
                (Some(a), Some(z)) => {
                    td_string!(l, surveys.number_between, min = a, max = z).to_string()
                }
                (Some(a), None) => td_string!(l, surveys.number_at_least, min = a).to_string(),
                (None, Some(z)) => td_string!(l, surveys.number_at_most, max = z).to_string(),
                (None, None) => String::new(),
            });
            if *integer {
                parts.push(td_string!(l, surveys.whole_number).to_string());
            }
        }
        if matches!(q.kind, Kind::Date) {
            parts.push(td_string!(l, surveys.date_hint).to_string());
        }
        let joined = parts
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        (!joined.is_empty()).then_some(joined)
    };
    let has_hint = hint.is_some();
    let hint_view = hint.map(|h| view! { <p class="hint" id=format!("{id}-hint")>{h}</p> });
    let invalid = message.is_some();
    let opt = |c: &Choice| (c.code.clone(), c.label.get(&lang, &default).to_string());
    let control = match &q.kind {
        Kind::Single { .. } | Kind::Likert { .. } => {
            let options: Vec<(String, String)> = q.kind.options().iter().map(opt).collect();
            let chosen = value(&raw, &name);
            let likert = matches!(q.kind, Kind::Likert { .. });
            view! {
                <fieldset id=id.clone() tabindex="-1" aria-describedby=described_by(&id, has_hint, invalid) class:likert=likert>
                    <legend>{label}</legend>
                    {hint_view}
                    {error_line(l, &id, message)}
                    <div class="choices">
                        {options.into_iter().map(|(code, text)| {
                            let box_id = format!("{id}-{}", code.to_ascii_lowercase());
                            let checked = chosen == code;
                            let label_for = box_id.clone();
                            view! { <label for=label_for><input type="radio" id=box_id name=name.clone() value=code checked=checked/>" "{text}</label> }
                        }).collect_view()}
                    </div>
                </fieldset>
            }
            .into_any()
        }
        Kind::Multiple { choices, other } => {
            let chosen = values(&raw, &name).to_vec();
            let mut options: Vec<(String, String)> = choices.iter().map(opt).collect();
            if *other {
                options.push((
                    OTHER.to_string(),
                    td_string!(l, surveys.other_choice).to_string(),
                ));
            }
            let other_name = other_field(&q.code);
            let other_id = field_id(&other_name);
            let other_value = value(&raw, &other_name);
            let other_error = (error_field == other_name)
                .then(|| message.clone())
                .flatten();
            let main_error = if error_field == other_name {
                None
            } else {
                message.clone()
            };
            let main_invalid = main_error.is_some();
            view! {
                <fieldset id=id.clone() tabindex="-1" aria-describedby=described_by(&id, has_hint, main_invalid)>
                    <legend>{label}</legend>
                    {hint_view}
                    {error_line(l, &id, main_error)}
                    <div class="choices">
                        {options.into_iter().map(|(code, text)| {
                            let box_id = format!("{id}-{}", code.trim_start_matches('_').to_ascii_lowercase());
                            let checked = chosen.contains(&code);
                            let label_for = box_id.clone();
                            view! { <label for=label_for><input type="checkbox" id=box_id name=name.clone() value=code checked=checked/>" "{text}</label> }
                        }).collect_view()}
                    </div>
                    {other.then(|| view! {
                        <div class="field other-field" class:field-error=other_error.is_some()>
                            <label for=other_id.clone()>{td_string!(l, surveys.other_specify)}</label>
                            {error_line(l, &other_id, other_error.clone())}
                            <input type="text" id=other_id.clone() name=other_name.clone() value=other_value.clone()
                                aria-describedby=described_by(&other_id, false, other_error.is_some()) aria-invalid=other_error.is_some().then_some("true")/>
                        </div>
                    })}
                </fieldset>
            }
            .into_any()
        }
        Kind::Number { .. } | Kind::ShortText | Kind::Date => {
            let (kind, mode) = match q.kind {
                Kind::Number { integer: true, .. } => ("text", Some("numeric")),
                Kind::Number { .. } => ("text", Some("decimal")),
                Kind::Date => ("date", None),
                _ => ("text", None),
            };
            let v = value(&raw, &name);
            view! {
                <div class="field" class:field-error=invalid>
                    <label for=id.clone()>{label}</label>
                    {hint_view}
                    {error_line(l, &id, message)}
                    <input type=kind inputmode=mode id=id.clone() name=name.clone() value=v
                        aria-describedby=described_by(&id, has_hint, invalid) aria-invalid=invalid.then_some("true")/>
                </div>
            }
            .into_any()
        }
        Kind::LongText => {
            let v = value(&raw, &name);
            view! {
                <div class="field" class:field-error=invalid>
                    <label for=id.clone()>{label}</label>
                    {hint_view}
                    {error_line(l, &id, message)}
                    <textarea id=id.clone() name=name.clone() rows="6"
                        aria-describedby=described_by(&id, has_hint, invalid) aria-invalid=invalid.then_some("true")>{v}</textarea>
                </div>
            }
            .into_any()
        }
        Kind::Matrix { rows, scale } => {
            let scale: Vec<(String, String)> = scale.iter().map(opt).collect();
            let rows: Vec<(String, String)> = rows.iter().map(opt).collect();
            let caption_id = format!("{id}-caption");
            view! {
                <fieldset id=id.clone() tabindex="-1" aria-describedby=described_by(&id, has_hint, invalid) class="matrix">
                    <legend id=caption_id.clone()>{label.clone()}</legend>
                    {hint_view}
                    {error_line(l, &id, message)}
                    <div class="table-wrap">
                        <table>
                            <caption class="visually-hidden">{label}</caption>
                            <thead><tr>
                                <td></td>
                                {scale.iter().enumerate().map(|(j, (_, text))| view! {
                                    <th scope="col" id=format!("{id}-c{j}")>{text.clone()}</th>
                                }).collect_view()}
                            </tr></thead>
                            <tbody>
                                {rows.iter().map(|(row, row_text)| {
                                    let row_name = row_field(&q.code, row);
                                    let row_id = field_id(&row_name);
                                    let chosen = value(&raw, &row_name);
                                    let header_id = format!("{row_id}-label");
                                    let row_invalid = error_field == row_name;
                                    view! {
                                        <tr role="radiogroup" aria-labelledby=header_id.clone() class:field-error=row_invalid>
                                            <th scope="row" id=header_id.clone()>{row_text.clone()}</th>
                                            {scale.iter().enumerate().map(|(j, (code, _))| {
                                                // The first radio of a row carries the row's id: the error summary links to it.
                                                let radio_id = if j == 0 { row_id.clone() } else { format!("{row_id}-{j}") };
                                                let labelled = format!("{header_id} {id}-c{j}");
                                                let checked = chosen == *code;
                                                view! { <td><input type="radio" id=radio_id name=row_name.clone() value=code.clone() checked=checked aria-labelledby=labelled aria-invalid=row_invalid.then_some("true")/></td> }
                                            }).collect_view()}
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                </fieldset>
            }
            .into_any()
        }
    };
    view! {
        <div class="question" data-question=q.code.clone() hidden=!shown>
            {control}
        </div>
    }
}

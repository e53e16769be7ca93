//! Form fields that carry their own label, hint and error, and the error summary that links
//! to them (the GOV.UK pattern: the summary is announced, each entry moves focus to its field).

use leptos::prelude::*;

use crate::error::{AppError, FieldError};

/// The id of the input for a field name (`entries[2][narrative]` → `f-entries-2-narrative`).
pub fn field_id(name: &str) -> String {
    let mut id = String::from("f-");
    let mut last_dash = true;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c.to_ascii_lowercase());
            last_dash = false;
        } else if !last_dash {
            id.push('-');
            last_dash = true;
        }
    }
    while id.ends_with('-') {
        id.pop();
    }
    id
}

/// A labelled text input (`kind` is the input type: text, email, password, url, number, date).
#[component]
pub fn TextField(
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    #[prop(into, default = "text".to_string())] kind: String,
    #[prop(into, optional)] value: String,
    #[prop(into, optional)] hint: Option<String>,
    #[prop(into, optional)] error: Option<String>,
    #[prop(optional)] required: bool,
    #[prop(into, optional)] autocomplete: Option<String>,
    #[prop(optional)] multiline: bool,
) -> impl IntoView {
    let id = field_id(&name);
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described_by = [hint.as_ref().map(|_| hint_id.clone()), error.as_ref().map(|_| error_id.clone())]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let described_by = (!described_by.is_empty()).then_some(described_by);
    let invalid = error.is_some().then_some("true");
    let has_error = error.is_some();
    let input = if multiline {
        view! {
            <textarea id=id.clone() name=name rows="5" aria-describedby=described_by aria-invalid=invalid required=required>
                {value}
            </textarea>
        }
        .into_any()
    } else {
        view! {
            <input id=id.clone() name=name type=kind value=value aria-describedby=described_by
                aria-invalid=invalid required=required autocomplete=autocomplete/>
        }
        .into_any()
    };
    view! {
        <div class="field" class:field-error=has_error>
            <label for=id>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
            {error.map(|e| view! { <p class="error-message" id=error_id><span class="visually-hidden">"Error: "</span>{e}</p> })}
            {input}
        </div>
    }
}

/// A labelled select. `options` are (value, label) pairs.
#[component]
pub fn SelectField(
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    options: Vec<(String, String)>,
    #[prop(into, optional)] selected: String,
    #[prop(into, optional)] hint: Option<String>,
    #[prop(into, optional)] error: Option<String>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let id = field_id(&name);
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described_by = [hint.as_ref().map(|_| hint_id.clone()), error.as_ref().map(|_| error_id.clone())]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let described_by = (!described_by.is_empty()).then_some(described_by);
    let has_error = error.is_some();
    view! {
        <div class="field" class:field-error=has_error>
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
            {error.clone().map(|e| view! { <p class="error-message" id=error_id><span class="visually-hidden">"Error: "</span>{e}</p> })}
            <select id=id name=name aria-describedby=described_by aria-invalid=error.is_some().then_some("true") required=required>
                {options.into_iter().map(|(value, text)| {
                    let is_selected = value == selected;
                    view! { <option value=value selected=is_selected>{text}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

/// The list of problems at the top of a form; each links to its field.
#[component]
pub fn ErrorSummary(errors: Vec<FieldError>) -> impl IntoView {
    (!errors.is_empty()).then(|| {
        view! {
            <div class="error-summary" role="alert" tabindex="-1" aria-labelledby="error-summary-title">
                <h2 id="error-summary-title">"There is a problem"</h2>
                <ul>
                    {errors.into_iter().map(|e| view! {
                        <li><a href=format!("#{}", field_id(&e.field))>{e.message}</a></li>
                    }).collect_view()}
                </ul>
            </div>
        }
    })
}

/// The outcome of the last submission of a form: its field errors in a summary, any other
/// error as an alert, or a success message.
#[component]
pub fn FormMessage(
    result: Option<Result<String, AppError>>,
) -> impl IntoView {
    match result {
        None => ().into_any(),
        Some(Ok(msg)) if msg.is_empty() => ().into_any(),
        Some(Ok(msg)) => view! { <p class="notice notice-success" role="status">{msg}</p> }.into_any(),
        Some(Err(AppError::Invalid(errors))) => view! { <ErrorSummary errors/> }.into_any(),
        Some(Err(e)) => view! { <p class="notice notice-error" role="alert">{e.to_string()}</p> }.into_any(),
    }
}

#[cfg(test)]
mod tests {
    use super::field_id;

    #[test]
    fn field_ids_are_safe_and_stable() {
        assert_eq!(field_id("email"), "f-email");
        assert_eq!(field_id("entries[2][narrative]"), "f-entries-2-narrative");
        assert_eq!(field_id("indicator_values[12]"), "f-indicator-values-12");
    }
}

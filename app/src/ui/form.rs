//! Form fields that carry their own label, hint and error, and the error summary that links
//! to them (the GOV.UK pattern: the summary is announced, each entry moves focus to its field).
//! Errors are reactive, so the same field shows the server's answer after a hydrated submit
//! and after a plain form post that came back with the error in the URL.

use leptos::prelude::*;

use crate::i18n::*;

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

/// The error of one field from the last result of a form's action.
pub fn error_for<T: Send + Sync + 'static>(
    result: impl Fn() -> Option<Result<T, AppError>> + Send + Sync + 'static,
    field: impl Into<String>,
) -> Signal<Option<String>> {
    let field = field.into();
    Signal::derive(move || {
        result()
            .and_then(|r| r.err())
            .and_then(|e| e.message_for(&field))
    })
}

/// The `aria-describedby` of a field with an id: its hint and its error, when shown.
pub fn described_by(id: &str, hint: bool, error: bool) -> Option<String> {
    let ids: Vec<String> = [
        hint.then(|| format!("{id}-hint")),
        error.then(|| format!("{id}-error")),
    ]
    .into_iter()
    .flatten()
    .collect();
    (!ids.is_empty()).then(|| ids.join(" "))
}

#[component]
fn FieldMessages(id: String, hint: Option<String>, error: MaybeProp<String>) -> impl IntoView {
    let error_id = format!("{id}-error");
    let hint = hint.filter(|h| !h.is_empty());
    let prefix = td_string!(crate::lang::use_locale(), common.error_prefix).to_string();
    view! {
        {hint.map(|h| view! { <p class="hint" id=format!("{id}-hint")>{h}</p> })}
        {move || error.get().map(|e| view! {
            <p class="error-message" id=error_id.clone()><span class="visually-hidden">{prefix.clone()}</span>{e}</p>
        })}
    }
}

/// A labelled text input (`kind` is the input type: text, email, password, url, number, date).
#[component]
pub fn TextField(
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    #[prop(into, default = "text".to_string())] kind: String,
    #[prop(into, optional)] value: String,
    #[prop(into, optional)] hint: Option<String>,
    #[prop(into, optional)] error: MaybeProp<String>,
    #[prop(optional)] required: bool,
    #[prop(into, optional)] autocomplete: Option<String>,
    #[prop(optional)] multiline: bool,
    #[prop(into, optional)] step: Option<String>,
    /// Overrides the id derived from the name (when two forms on a page share a field name).
    #[prop(into, optional)]
    id: Option<String>,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| field_id(&name));
    let has_hint = hint.as_ref().is_some_and(|h| !h.is_empty());
    let aria_id = id.clone();
    let described = move || described_by(&aria_id, has_hint, error.get().is_some());
    let invalid = move || error.get().map(|_| "true");
    let input = if multiline {
        view! {
            <textarea id=id.clone() name=name rows="5" aria-describedby=described aria-invalid=invalid required=required>
                {value}
            </textarea>
        }
        .into_any()
    } else {
        view! {
            <input id=id.clone() name=name type=kind value=value aria-describedby=described
                aria-invalid=invalid required=required autocomplete=autocomplete step=step/>
        }
        .into_any()
    };
    view! {
        <div class="field" class:field-error=move || error.get().is_some()>
            <label for=id.clone()>{label}</label>
            <FieldMessages id=id hint error/>
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
    #[prop(into, optional)] error: MaybeProp<String>,
    #[prop(optional)] required: bool,
    /// Overrides the id derived from the name (when two forms on a page share a field name).
    #[prop(into, optional)]
    id: Option<String>,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| field_id(&name));
    let has_hint = hint.as_ref().is_some_and(|h| !h.is_empty());
    let aria_id = id.clone();
    let described = move || described_by(&aria_id, has_hint, error.get().is_some());
    let invalid = move || error.get().map(|_| "true");
    view! {
        <div class="field" class:field-error=move || error.get().is_some()>
            <label for=id.clone()>{label}</label>
            <FieldMessages id=id.clone() hint error/>
            <select id=id name=name aria-describedby=described aria-invalid=invalid required=required>
                {options.into_iter().map(|(value, text)| {
                    let is_selected = value == selected;
                    view! { <option value=value selected=is_selected>{text}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

/// A group of checkboxes in a fieldset; `options` are (value, label), `checked` the values
/// ticked. The inputs are named `name[]`, which server functions read as a list.
#[component]
pub fn CheckboxGroup(
    #[prop(into)] name: String,
    #[prop(into)] legend: String,
    options: Vec<(String, String)>,
    #[prop(optional)] checked: Vec<String>,
    #[prop(into, optional)] hint: Option<String>,
    #[prop(into, optional)] error: MaybeProp<String>,
) -> impl IntoView {
    let id = field_id(&name);
    let input_name = format!("{name}[]");
    let has_hint = hint.as_ref().is_some_and(|h| !h.is_empty());
    let aria_id = id.clone();
    let described = move || described_by(&aria_id, has_hint, error.get().is_some());
    view! {
        <fieldset id=id.clone() class:field-error=move || error.get().is_some() aria-describedby=described tabindex="-1">
            <legend>{legend}</legend>
            <FieldMessages id=id.clone() hint error/>
            <div class="checkbox-grid">
                {options.into_iter().map(|(value, text)| {
                    let is_checked = checked.contains(&value);
                    let box_id = format!("{id}-{}", value.to_ascii_lowercase());
                    let label_for = box_id.clone();
                    view! {
                        <label for=label_for>
                            <input type="checkbox" id=box_id name=input_name.clone() value=value checked=is_checked/>
                            {text}
                        </label>
                    }
                }).collect_view()}
            </div>
        </fieldset>
    }
}

/// The list of problems at the top of a form; each links to its field. It takes the focus
/// when the page loads (`autofocus`, so also without JavaScript): after a refused submit,
/// keyboard and screen-reader users start at the list of what to fix.
#[component]
pub fn ErrorSummary(errors: Vec<FieldError>) -> impl IntoView {
    (!errors.is_empty()).then(|| {
        view! {
            <div class="error-summary" role="alert" tabindex="-1" autofocus=true aria-labelledby="error-summary-title">
                <h2 id="error-summary-title">{td_string!(crate::lang::use_locale(), common.there_is_a_problem)}</h2>
                <ul>
                    {errors.into_iter().map(|e| view! {
                        <li><a href=format!("#{}", field_id(&e.field))>{e.message}</a></li>
                    }).collect_view()}
                </ul>
            </div>
        }
    })
}

/// The outcome of the last submission of a form: field errors as a summary, any other error
/// as an alert.
#[component]
pub fn FormError(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        match error.get() {
        None => ().into_any(),
        Some(AppError::Invalid(errors)) => view! { <ErrorSummary errors/> }.into_any(),
        Some(e) => {
            view! { <p class="notice notice-error" role="alert">{e.message(crate::lang::use_locale())}</p> }.into_any()
        }
    }
    }
}

/// The error of the last result of an action, for [`FormError`].
pub fn last_error<T: Send + Sync + 'static>(
    result: impl Fn() -> Option<Result<T, AppError>> + Send + Sync + 'static,
) -> Signal<Option<AppError>> {
    Signal::derive(move || result().and_then(|r| r.err()))
}

/// The options of a select for an enum: a first, empty choice (`prompt`), then every variant
/// as (stored code, label).
pub fn enum_options<T>(prompt: &str, label: impl Fn(T) -> &'static str) -> Vec<(String, String)>
where
    T: strum::VariantArray + Copy + Into<&'static str>,
{
    std::iter::once((String::new(), prompt.to_string()))
        .chain(
            T::VARIANTS
                .iter()
                .map(|v| ((*v).into().to_string(), label(*v).to_string())),
        )
        .collect()
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

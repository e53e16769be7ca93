//! Browser-only helpers for islands that enhance server-rendered forms: they change the
//! field markup that [`super::TextField`] and [`super::SelectField`] render on the server
//! (`<div class="field">`, label, hint `{id}-hint`, error `{id}-error`, input `{id}`), so a
//! message shown in the browser looks and reads exactly like one from the server. The fixed
//! words (the hidden "Error: " prefix, the summary's title) are the caller's: islands get them
//! from the server in the reader's language.

use leptos::prelude::document;
use web_sys::Element;

use super::field_id;

/// Is a message shown at this field now (from the server or the browser)?
pub fn has_field_error(name: &str) -> bool {
    document()
        .get_element_by_id(&format!("{}-error", field_id(name)))
        .is_some()
}

/// Shows `message` at the field named `name` (a new message element starts with the hidden
/// `prefix`, "Error: "), or removes its message when `None`.
pub fn set_field_error(name: &str, message: Option<&str>, prefix: &str) {
    let doc = document();
    let id = field_id(name);
    let Some(input) = doc.get_element_by_id(&id) else {
        return;
    };
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let has_hint = doc.get_element_by_id(&hint_id).is_some();
    let existing = doc.get_element_by_id(&error_id);
    let container = input.closest(".field").ok().flatten();
    match message {
        Some(text) => {
            let p = match existing {
                Some(p) => p,
                None => match new_message(&error_id, prefix) {
                    Some(p) => {
                        if let Some(parent) = input.parent_node() {
                            let _ = parent.insert_before(&p, Some(&input));
                        }
                        p
                    }
                    None => return,
                },
            };
            if let Some(last) = p.last_child() {
                last.set_text_content(Some(text));
            }
            let _ = input.set_attribute("aria-invalid", "true");
            let described = if has_hint {
                format!("{hint_id} {error_id}")
            } else {
                error_id
            };
            let _ = input.set_attribute("aria-describedby", &described);
            if let Some(c) = container {
                let _ = c.class_list().add_1("field-error");
            }
        }
        None => {
            if let Some(p) = existing {
                p.remove();
            }
            let _ = input.remove_attribute("aria-invalid");
            if has_hint {
                let _ = input.set_attribute("aria-describedby", &hint_id);
            } else {
                let _ = input.remove_attribute("aria-describedby");
            }
            if let Some(c) = container {
                let _ = c.class_list().remove_1("field-error");
            }
        }
    }
}

/// `<p class="error-message" id=…><span class="visually-hidden">(prefix)</span>(text)</p>`.
fn new_message(id: &str, prefix_text: &str) -> Option<Element> {
    let doc = document();
    let p = doc.create_element("p").ok()?;
    p.set_class_name("error-message");
    p.set_id(id);
    let prefix = doc.create_element("span").ok()?;
    prefix.set_class_name("visually-hidden");
    prefix.set_text_content(Some(prefix_text));
    p.append_child(&prefix).ok()?;
    p.append_child(&doc.create_text_node("")).ok()?;
    Some(p)
}

/// Replaces the content of the element `slot_id` with the error summary of `errors` (the
/// markup of [`super::ErrorSummary`], titled `title`), or empties it when there are none.
/// Messages are set as text, never as HTML: they may quote what the user typed.
pub fn set_error_summary(slot_id: &str, errors: &[crate::error::FieldError], title_text: &str) {
    let doc = document();
    let Some(slot) = doc.get_element_by_id(slot_id) else {
        return;
    };
    slot.set_text_content(None);
    if errors.is_empty() {
        return;
    }
    let build = || -> Option<Element> {
        let summary = doc.create_element("div").ok()?;
        summary.set_class_name("error-summary");
        summary.set_attribute("role", "alert").ok()?;
        summary.set_attribute("tabindex", "-1").ok()?;
        summary
            .set_attribute("aria-labelledby", "error-summary-title")
            .ok()?;
        let title = doc.create_element("h2").ok()?;
        title.set_id("error-summary-title");
        title.set_text_content(Some(title_text));
        summary.append_child(&title).ok()?;
        let list = doc.create_element("ul").ok()?;
        for e in errors {
            let item = doc.create_element("li").ok()?;
            let link = doc.create_element("a").ok()?;
            link.set_attribute("href", &format!("#{}", field_id(&e.field)))
                .ok()?;
            link.set_text_content(Some(&e.message));
            item.append_child(&link).ok()?;
            list.append_child(&item).ok()?;
        }
        summary.append_child(&list).ok()?;
        Some(summary)
    };
    if let Some(summary) = build() {
        let _ = slot.append_child(&summary);
    }
}

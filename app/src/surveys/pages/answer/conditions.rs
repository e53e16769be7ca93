//! The answering form's island: conditional questions appear and disappear at once as the
//! respondent answers, by the same conditions the server applies ([`Condition::holds`]).
//! Without JavaScript the server does it when moving on (a question that appears sends the
//! respondent back to the same section, with it shown). Answers to questions hidden again are
//! left in the form but never count: the server drops them.

use leptos::prelude::*;

use crate::surveys::model::Condition;

/// Wraps the server-rendered section form (its `children`). `rules`: the section's
/// conditional questions in order, with their conditions; `earlier`: the saved answers of
/// questions of earlier sections those conditions read (empty when not shown).
#[island]
pub fn SurveyConditions(
    rules: Vec<(String, Condition)>,
    earlier: Vec<(String, Vec<String>)>,
    children: Children,
) -> impl IntoView {
    let rules = StoredValue::new(rules);
    let earlier = StoredValue::new(earlier);
    let apply = move |_: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        rules.with_value(|r| earlier.with_value(|e| browser::apply(r, e)));
        #[cfg(not(feature = "hydrate"))]
        let _ = (rules, earlier);
    };
    view! {
        <div class="survey-conditions" on:change=apply on:input=apply>
            {children()}
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::prelude::document;
    use leptos::wasm_bindgen::JsCast;
    use web_sys::{FormData, HtmlFormElement};

    use crate::surveys::model::condition::Seen;
    use crate::surveys::model::Condition;

    /// The values the form holds now for question `code` (its check boxes, radio buttons or
    /// input).
    fn form_values(data: &FormData, code: &str) -> Vec<String> {
        data.get_all(&format!("q.{code}"))
            .iter()
            .filter_map(|v| v.as_string())
            .filter(|v| !v.trim().is_empty())
            .collect()
    }

    fn seen(values: &[String]) -> Option<Seen<'_>> {
        match values {
            [] => None,
            [one] => Some(Seen::One(one)),
            many => Some(Seen::Many(many.iter().map(String::as_str).collect())),
        }
    }

    pub fn apply(rules: &[(String, Condition)], earlier: &[(String, Vec<String>)]) {
        let doc = document();
        let Some(form) = doc
            .query_selector("form.survey-section")
            .ok()
            .flatten()
            .and_then(|f| f.dyn_into::<HtmlFormElement>().ok())
        else {
            return;
        };
        let Ok(data) = FormData::new_with_form(&form) else {
            return;
        };
        let mut hidden: Vec<&str> = Vec::new();
        for (code, condition) in rules {
            let values: Vec<(&str, Vec<String>)> = condition
                .questions()
                .into_iter()
                .map(|q| {
                    let v = match earlier.iter().find(|(c, _)| c == q) {
                        Some((_, v)) => v.clone(),
                        None => form_values(&data, q),
                    };
                    (q, v)
                })
                .collect();
            let lookup = |q: &str| {
                if hidden.contains(&q) {
                    return None;
                }
                values
                    .iter()
                    .find(|(c, _)| *c == q)
                    .and_then(|(_, v)| seen(v))
            };
            let show = condition.holds(&lookup);
            if !show {
                hidden.push(code);
            }
            if let Ok(Some(el)) = doc.query_selector(&format!("[data-question=\"{code}\"]")) {
                if show {
                    let _ = el.remove_attribute("hidden");
                } else {
                    let _ = el.set_attribute("hidden", "");
                }
            }
        }
    }
}

//! The report form's island: what JavaScript adds to the server-rendered form. Fields are
//! checked as they are left (by the same rules the server applies on save), each problem is
//! shown at its field and in the error summary, a fixed field's message goes at once, and
//! leaving the page with unsaved changes asks first. The form itself stays server-rendered
//! and posts as a plain form, with or without JavaScript.
//!
//! Every word the island shows comes from its props, written by the server in the reader's
//! language ([`FormChecks`]): no translation code is reachable from here, which keeps the
//! browser bundle within its budget.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::checks::{check_as_of, check_link, value_rule, CheckMessages};
use super::fields::{EntryField, FieldName, Part};
use super::view::ReportView;
use crate::error::FieldError;
use crate::indicators::model::ValueRule;
use crate::lang::Locale;

/// The id of the element, among the enhanced form's children, that holds the error summary.
pub const SUMMARY_SLOT: &str = "report-error-summary";

/// The rules the browser checks fields by: today's date (for "as of") and the indicator of
/// each indicator field (evidence and date fields are known by their names); and the words it
/// shows, in the reader's language.
///
/// Sent as a JSON list (`[today, indicators, messages]`): an object's deserializer would cost
/// the browser bundle more code.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(from = "FormChecksList")]
pub struct FormChecks {
    /// The latest "as of" date accepted (`YYYY-MM-DD`, tomorrow in UTC), as the server sees it.
    pub today: String,
    /// Indicator value fields by name (`entries[i][indicators][j][value]`) and their rules.
    pub indicators: Vec<(String, ValueRule)>,
    /// What the checks say (the server's own messages), and the island's fixed words.
    pub messages: CheckMessages,
}

/// [`FormChecks`] as sent.
type FormChecksList = (String, Vec<(String, ValueRule)>, CheckMessages);

impl From<FormChecksList> for FormChecks {
    fn from((today, indicators, messages): FormChecksList) -> Self {
        Self {
            today,
            indicators,
            messages,
        }
    }
}

impl Serialize for FormChecks {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // As `FormChecksList`, without copying.
        (&self.today, &self.indicators, &self.messages).serialize(serializer)
    }
}

impl FormChecks {
    /// The rules of one report's form (the same field names the form renders), and its
    /// words in `locale`.
    pub fn for_report(view: &ReportView, locale: Locale) -> Self {
        let indicators = view
            .entries
            .iter()
            .enumerate()
            .flat_map(|(i, entry)| {
                view.indicators
                    .iter()
                    .filter(move |d| d.recommendation == entry.number)
                    .enumerate()
                    .map(move |(j, d)| {
                        (
                            FieldName::indicator_value(i, j).to_string(),
                            value_rule(d, locale),
                        )
                    })
            })
            .collect();
        Self {
            today: view.today.clone(),
            indicators,
            messages: CheckMessages::new(locale),
        }
    }

    /// The problem with one field's value, if any; `None` for fields it has no rule for.
    /// Missing required values are not problems here: a draft may leave anything empty.
    pub fn check(&self, name: &str, value: &str) -> Option<String> {
        match FieldName::parse(name)?.part {
            Part::Entry(EntryField::Evidence) => value
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .find_map(|l| check_link(l, &self.messages).err()),
            Part::Entry(EntryField::AsOf) => check_as_of(value, &self.today, &self.messages).err(),
            Part::Indicator { .. } => self
                .indicators
                .iter()
                .find(|(field, _)| field == name)
                .and_then(|(_, rule)| {
                    let problem = rule.parse(value).err()?;
                    Some(self.messages.value(rule, problem))
                }),
            Part::Entry(_) => None,
        }
    }
}

/// The browser's verdicts by field: `Some(problem)`, or `None` for "checked and fine now",
/// which hides the server's older message for that field. A list, not a `HashMap`: a form
/// has a few dozen fields.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Verdicts(Vec<(String, Option<String>)>);

impl Verdicts {
    pub fn contains(&self, field: &str) -> bool {
        self.0.iter().any(|(f, _)| f == field)
    }

    pub fn insert(&mut self, field: String, verdict: Option<String>) {
        self.remove(&field);
        self.0.push((field, verdict));
    }

    pub fn remove(&mut self, field: &str) {
        self.0.retain(|(f, _)| f != field);
    }
}

/// What the error summary lists: the server's refusals still standing, then the browser's.
pub fn summary(server: &[FieldError], client: &Verdicts) -> Vec<FieldError> {
    let mut errors: Vec<FieldError> = server
        .iter()
        .filter(|e| !client.contains(&e.field))
        .cloned()
        .collect();
    let mut found: Vec<FieldError> = client
        .0
        .iter()
        .filter_map(|(field, problem)| {
            problem
                .as_ref()
                .map(|p| FieldError::new(field.clone(), p.clone()))
        })
        .collect();
    found.sort_by(|a, b| a.field.cmp(&b.field));
    errors.extend(found);
    errors
}

/// Wraps the server-rendered report form (its `children`, which hold the error summary in
/// [`SUMMARY_SLOT`]). Props: the field rules, the errors of the refused save the page shows
/// (if any), and whether the page opened with unsaved values (a refused plain-form save),
/// which counts as unsaved changes.
#[island]
pub fn ReportFormEnhancer(
    checks: FormChecks,
    server_errors: Vec<FieldError>,
    start_unsaved: bool,
    children: Children,
) -> impl IntoView {
    let client = RwSignal::new(Verdicts::default());
    let server = StoredValue::new(server_errors);
    crate::ui::guard_leaving(checks.messages.unsaved_changes());
    let checks = StoredValue::new(checks);
    if start_unsaved {
        crate::ui::set_unsaved(true);
    }
    // A field is checked when it is left (`change`); while it is being typed in (`input`), a
    // problem already shown updates or disappears, but no new one appears before the user
    // has finished.
    let check = move |ev: &leptos::ev::Event, finished: bool| {
        #[cfg(feature = "hydrate")]
        {
            use leptos::wasm_bindgen::JsCast;
            let Some(name) = ev
                .target()
                .and_then(|t| t.dyn_into::<leptos::web_sys::Element>().ok())
                .and_then(|el| el.get_attribute("name"))
            else {
                return;
            };
            let value = event_target_value(ev);
            let (problem, prefix) = checks.with_value(|c| {
                (
                    c.check(&name, &value),
                    c.messages.error_prefix().to_string(),
                )
            });
            let shown = crate::ui::dom::has_field_error(&name);
            match problem {
                Some(p) if finished || shown => {
                    crate::ui::dom::set_field_error(&name, Some(&p), &prefix);
                    client.update(|c| c.insert(name, Some(p)));
                }
                Some(_) => {}
                // An emptied field may still be missing for submission: the server's word
                // stands.
                None if value.trim().is_empty() => {
                    let from_server = server.with_value(|s| {
                        s.iter()
                            .find(|e| e.field == name)
                            .map(|e| e.message.clone())
                    });
                    crate::ui::dom::set_field_error(&name, from_server.as_deref(), &prefix);
                    client.update(|c| c.remove(&name));
                }
                None => {
                    crate::ui::dom::set_field_error(&name, None, &prefix);
                    client.update(|c| c.insert(name, None));
                }
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, finished, checks, client, server);
    };
    let on_input = move |ev: leptos::ev::Event| {
        crate::ui::set_unsaved(true);
        check(&ev, false);
    };
    let on_change = move |ev: leptos::ev::Event| check(&ev, true);
    // Saving leaves the page by a form post: that must not ask about unsaved changes.
    let on_submit = move |_: leptos::ev::SubmitEvent| crate::ui::set_unsaved(false);
    // The summary is server-rendered in the children (`SUMMARY_SLOT`); the browser rewrites it
    // as verdicts change. (A reactive view here would add its rendering code to the bundle.)
    #[cfg(feature = "hydrate")]
    Effect::new(move |first: Option<()>| {
        let errors = server.with_value(|s| client.with(|c| summary(s, c)));
        if first.is_some() {
            checks.with_value(|c| {
                crate::ui::dom::set_error_summary(
                    SUMMARY_SLOT,
                    &errors,
                    c.messages.there_is_a_problem(),
                )
            });
        }
    });
    view! {
        <div class="form-enhancer" on:input=on_input on:change=on_change on:submit=on_submit>
            {children()}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::model::{Indicator, IndicatorKind};

    fn beds() -> Indicator {
        Indicator {
            id: 4,
            recommendation: 1,
            name: "Beds".into(),
            kind: IndicatorKind::Number,
            unit: Some("beds".into()),
            min: Some(0.0),
            max: Some(100.0),
            help: None,
            required: false,
            archived: false,
        }
    }

    fn checks() -> FormChecks {
        FormChecks {
            today: "2026-11-28".into(),
            indicators: vec![(
                "entries[0][indicators][0][value]".into(),
                value_rule(&beds(), Locale::en),
            )],
            messages: CheckMessages::new(Locale::en),
        }
    }

    #[test]
    fn the_islands_props_round_trip_through_json() {
        let c = checks();
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(serde_json::from_str::<FormChecks>(&json).unwrap(), c);
        let errors = vec![FieldError::new(
            "entries[2][evidence]",
            "“x” is not a web address.",
        )];
        let json = serde_json::to_string(&errors).unwrap();
        assert_eq!(
            serde_json::from_str::<Vec<FieldError>>(&json).unwrap(),
            errors
        );
    }

    #[test]
    fn fields_are_checked_by_the_rules_the_server_saves_by() {
        let c = checks();
        assert!(c
            .check("entries[2][evidence]", "https://example.org/a\nwww example")
            .unwrap()
            .contains("“www example” is not a web address"));
        assert_eq!(
            c.check("entries[2][evidence]", "https://example.org/a\n\n"),
            None
        );
        assert!(c.check("entries[0][as_of]", "2026-11-29").is_some());
        assert_eq!(c.check("entries[0][as_of]", "2026-11-28"), None);
        assert!(c.check("entries[0][indicators][0][value]", "101").is_some());
        assert_eq!(c.check("entries[0][indicators][0][value]", "99"), None);
        // Fields without a rule (status, narrative) are never refused in the browser.
        assert_eq!(c.check("entries[0][narrative]", ""), None);
    }

    #[test]
    fn the_browser_says_what_the_server_says_in_the_readers_language() {
        use crate::progress::checks::{check_entries, EntryInput, IndicatorInput};
        let french = FormChecks {
            today: "2026-11-28".into(),
            indicators: vec![(
                "entries[0][indicators][0][value]".into(),
                value_rule(&beds(), Locale::fr),
            )],
            messages: CheckMessages::new(Locale::fr),
        };
        let input = EntryInput {
            recommendation: 1,
            evidence: "www example".into(),
            as_of: "2026-13-01".into(),
            indicators: vec![IndicatorInput {
                id: 4,
                value: "beaucoup".into(),
            }],
            ..Default::default()
        };
        let server = check_entries(
            std::slice::from_ref(&input),
            &[beds()],
            "2026-11-28",
            Locale::fr,
        )
        .unwrap_err();
        let browser: Vec<FieldError> = [
            ("entries[0][evidence]", input.evidence.as_str()),
            ("entries[0][as_of]", input.as_of.as_str()),
            ("entries[0][indicators][0][value]", "beaucoup"),
        ]
        .into_iter()
        .filter_map(|(f, v)| french.check(f, v).map(|m| FieldError::new(f, m)))
        .collect();
        assert_eq!(browser, server);
        assert_eq!(
            browser[2].message,
            "Saisissez un nombre pour « Beds », par exemple 12 ou 12,5."
        );
    }

    #[test]
    fn the_summary_keeps_the_servers_refusals_until_the_browser_rechecks_them() {
        let server = vec![
            FieldError::new("entries[0][evidence]", "server: bad link"),
            FieldError::new("entries[1][as_of]", "server: future date"),
        ];
        let mut client = Verdicts::default();
        assert_eq!(summary(&server, &client), server);
        client.insert("entries[0][evidence]".into(), None);
        client.insert(
            "entries[3][evidence]".into(),
            Some("browser: bad link".into()),
        );
        assert_eq!(
            summary(&server, &client),
            vec![
                FieldError::new("entries[1][as_of]", "server: future date"),
                FieldError::new("entries[3][evidence]", "browser: bad link"),
            ]
        );
    }
}

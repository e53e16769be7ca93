//! The checks of an entry as the form sends it: what is *invalid* is refused even in a draft (a
//! malformed link, a number out of bounds); what is *missing* only blocks submission (see
//! `missing`).

use serde::{Deserialize, Serialize};

use super::fields::{EntryField, FieldName};
use super::workflow::Status;
use crate::error::FieldError;
use crate::i18n::*;
use crate::indicators::model::{Indicator, ValueProblem, ValueRule, TEXT_MAX};
use crate::lang::{format, Locale};

/// Longest narrative.
pub const NARRATIVE_MAX: usize = 10_000;
/// Most evidence links per entry.
pub const LINKS_MAX: usize = 20;
/// Most non-empty lines read from one evidence field: past this the field is refused before
/// any line is parsed (repeated links are dropped, so a few lines over [`LINKS_MAX`] pass).
pub const EVIDENCE_LINES_MAX: usize = 4 * LINKS_MAX;

/// One recommendation's entry as the form sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryInput {
    pub recommendation: i64,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub narrative: String,
    /// One URL per line.
    #[serde(default)]
    pub evidence: String,
    #[serde(default)]
    pub as_of: String,
    #[serde(default)]
    pub indicators: Vec<IndicatorInput>,
}

/// One indicator value as the form sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorInput {
    pub id: i64,
    #[serde(default)]
    pub value: String,
}

/// A checked entry, as stored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryValues {
    pub recommendation: i64,
    pub status: Option<Status>,
    pub narrative: String,
    pub evidence: Vec<String>,
    pub as_of: Option<String>,
    /// (indicator id, value)
    pub indicators: Vec<(i64, String)>,
}

/// The words of the checks that run on both sides (on save, and in the report form's island
/// as fields are left), and the island's few fixed words, written by the server in the
/// reader's language. Templates mark where the indicator's name goes with [`NAME`], and the
/// link or bound with [`VALUE`]; they are filled in here, on both sides. The island gets them
/// as a prop (inside `FormChecks`), so no translation code reaches the browser bundle, and the
/// browser says exactly what the server would.
///
/// Kept and sent as one string, a line per text in the order of [`Text`] (no text has a line
/// break): a struct of strings would cost the bundle some 5 KB of code to read and write, a
/// string nothing more.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CheckMessages(String);

/// The texts of [`CheckMessages`], in their order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Text {
    NotALink,
    AsOfInvalid,
    AsOfFuture,
    NotANumber,
    BelowMin,
    AboveMax,
    NotYesNo,
    TooLong,
    ErrorPrefix,
    ThereIsAProblem,
    UnsavedChanges,
}

/// Where a template takes the indicator's name.
pub const NAME: char = '\u{1}';
/// Where a template takes the link or the bound.
pub const VALUE: char = '\u{2}';

impl CheckMessages {
    /// The messages in `locale` (server side; the browser receives them built).
    pub fn new(locale: Locale) -> Self {
        let (name, value) = (NAME, VALUE);
        // In the order of `Text`.
        let texts = [
            td_string!(locale, progress.check_not_a_link, link = value).to_string(),
            td_string!(locale, progress.check_as_of_invalid).to_string(),
            td_string!(locale, progress.check_as_of_future).to_string(),
            td_string!(locale, progress.check_not_a_number, name = name).to_string(),
            td_string!(locale, progress.check_below_min, name = name, min = value).to_string(),
            td_string!(locale, progress.check_above_max, name = name, max = value).to_string(),
            td_string!(locale, progress.check_yes_no, name = name).to_string(),
            td_string!(
                locale,
                progress.check_text_too_long,
                name = name,
                max = TEXT_MAX
            )
            .to_string(),
            td_string!(locale, common.error_prefix).to_string(),
            td_string!(locale, common.there_is_a_problem).to_string(),
            td_string!(locale, common.unsaved_changes).to_string(),
        ];
        Self(texts.join("\n"))
    }

    fn text(&self, text: Text) -> &str {
        self.0.lines().nth(text as usize).unwrap_or_default()
    }

    /// "“(link)” is not a web address…"
    pub fn not_a_link(&self, link: &str) -> String {
        self.text(Text::NotALink).replace(VALUE, link)
    }

    /// An "as of" date that is not a real date.
    pub fn as_of_invalid(&self) -> &str {
        self.text(Text::AsOfInvalid)
    }

    /// An "as of" date in the future.
    pub fn as_of_future(&self) -> &str {
        self.text(Text::AsOfFuture)
    }

    /// What is wrong with a value of the indicator checked by `rule`.
    pub fn value(&self, rule: &ValueRule, problem: ValueProblem) -> String {
        let bound = |b: &Option<(f64, String)>| b.as_ref().map(|(_, t)| t.clone());
        let text = match problem {
            ValueProblem::NotANumber => self.text(Text::NotANumber).to_string(),
            ValueProblem::BelowMin => self
                .text(Text::BelowMin)
                .replace(VALUE, &bound(&rule.min).unwrap_or_default()),
            ValueProblem::AboveMax => self
                .text(Text::AboveMax)
                .replace(VALUE, &bound(&rule.max).unwrap_or_default()),
            ValueProblem::NotYesNo => self.text(Text::NotYesNo).to_string(),
            ValueProblem::TooLong => self.text(Text::TooLong).to_string(),
        };
        // The name last: it is the admin's text, and may contain anything.
        text.replace(NAME, &rule.name)
    }

    /// The hidden prefix of a field's message in the island ("Error: ").
    pub fn error_prefix(&self) -> &str {
        self.text(Text::ErrorPrefix)
    }

    /// The title of the island's error summary ("There is a problem").
    pub fn there_is_a_problem(&self) -> &str {
        self.text(Text::ThereIsAProblem)
    }

    /// The island's question before a page with unsaved changes is left.
    pub fn unsaved_changes(&self) -> &str {
        self.text(Text::UnsavedChanges)
    }
}

/// An indicator's rule with its bounds written for `locale` ("1,000", "1 000", "1.000").
pub fn value_rule(indicator: &Indicator, locale: Locale) -> ValueRule {
    let mut rule = indicator.rule();
    for bound in [&mut rule.min, &mut rule.max].into_iter().flatten() {
        bound.1 = format::number(locale, &bound.1);
    }
    rule
}

/// Checks one evidence link: an absolute http(s) URL.
pub fn check_link(raw: &str, messages: &CheckMessages) -> Result<String, String> {
    let link = raw.trim();
    match web_address(link) {
        Some((scheme, host)) if (scheme == "http" || scheme == "https") && host.contains('.') => {
            Ok(link.to_string())
        }
        _ => Err(messages.not_a_link(link)),
    }
}

/// The scheme and host of an absolute URL, by the WHATWG URL standard: the `url` crate on the
/// server, the browser's own `URL` in the islands (the same standard, and no IDNA tables in
/// the wasm).
#[cfg(not(feature = "hydrate"))]
fn web_address(link: &str) -> Option<(String, String)> {
    let u = url::Url::parse(link).ok()?;
    Some((u.scheme().to_string(), u.host_str()?.to_string()))
}

#[cfg(feature = "hydrate")]
fn web_address(link: &str) -> Option<(String, String)> {
    let u = web_sys::Url::new(link).ok()?;
    let scheme = u.protocol().trim_end_matches(':').to_string();
    Some((scheme, u.hostname()))
}

/// Checks an "as of" date: a real calendar date, not after `today` (the latest date accepted:
/// callers pass `clock::latest_as_of`, tomorrow in UTC, for people east of UTC).
pub fn check_as_of(
    raw: &str,
    today: &str,
    messages: &CheckMessages,
) -> Result<Option<String>, String> {
    let v = raw.trim();
    if v.is_empty() {
        return Ok(None);
    }
    if !crate::clock::is_iso_date(v) {
        Err(messages.as_of_invalid().to_string())
    } else if v > today {
        // Both are `YYYY-MM-DD`, so text order is date order.
        Err(messages.as_of_future().to_string())
    } else {
        Ok(Some(v.to_string()))
    }
}

/// Checks the entries of a save: returns the stored values, or every invalid field, its
/// message in `locale`. Entries must be exactly the recommendations 1..=7 once each; indicator
/// ids must belong to the entry's recommendation.
pub fn check_entries(
    inputs: &[EntryInput],
    indicators: &[Indicator],
    today: &str,
    locale: Locale,
) -> Result<Vec<EntryValues>, Vec<FieldError>> {
    let messages = CheckMessages::new(locale);
    let mut errors = vec![];
    let mut out = vec![];
    let mut seen = std::collections::BTreeSet::new();
    for (i, input) in inputs.iter().enumerate() {
        if !(1..=7).contains(&input.recommendation) || !seen.insert(input.recommendation) {
            errors.push(FieldError::new(
                FieldName::entry(i, EntryField::Recommendation),
                td_string!(locale, progress.check_not_a_recommendation),
            ));
            continue;
        }
        let status = match input.status.trim() {
            "" => None,
            s => match s.parse::<Status>() {
                Ok(st) => Some(st),
                Err(_) => {
                    errors.push(FieldError::new(
                        FieldName::entry(i, EntryField::Status),
                        td_string!(locale, progress.check_status),
                    ));
                    None
                }
            },
        };
        let narrative = input.narrative.trim().to_string();
        // The form's fields are checked for these before they arrive; imported cells are not.
        if narrative.chars().any(crate::ui::is_refused_char) {
            errors.push(FieldError::new(
                FieldName::entry(i, EntryField::Narrative),
                td_string!(locale, common.error_control_characters),
            ));
        }
        if narrative.chars().count() > NARRATIVE_MAX {
            errors.push(FieldError::new(
                FieldName::entry(i, EntryField::Narrative),
                td_string!(
                    locale,
                    progress.check_narrative_too_long,
                    max = NARRATIVE_MAX
                )
                .to_string(),
            ));
        }
        // Bounded work whatever is sent: the lines are counted (up to a cap) before any is
        // parsed, and duplicates are found in a set, not by scanning the list.
        let lines: Vec<&str> = input
            .evidence
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .take(EVIDENCE_LINES_MAX + 1)
            .collect();
        let mut too_many = lines.len() > EVIDENCE_LINES_MAX;
        let mut evidence: Vec<String> = vec![];
        let mut distinct = std::collections::BTreeSet::new();
        for line in lines {
            if too_many {
                break;
            }
            if line.chars().any(crate::ui::is_refused_char) {
                errors.push(FieldError::new(
                    FieldName::entry(i, EntryField::Evidence),
                    td_string!(locale, common.error_control_characters),
                ));
                break;
            }
            match check_link(line, &messages) {
                Ok(l) => {
                    if distinct.insert(l.clone()) {
                        evidence.push(l);
                        too_many = evidence.len() > LINKS_MAX;
                    }
                }
                Err(e) => {
                    errors.push(FieldError::new(
                        FieldName::entry(i, EntryField::Evidence),
                        e,
                    ));
                    break;
                }
            }
        }
        if too_many {
            errors.push(FieldError::new(
                FieldName::entry(i, EntryField::Evidence),
                td_string!(locale, progress.check_too_many_links, max = LINKS_MAX).to_string(),
            ));
        }
        let as_of = match check_as_of(&input.as_of, today, &messages) {
            Ok(v) => v,
            Err(e) => {
                errors.push(FieldError::new(FieldName::entry(i, EntryField::AsOf), e));
                None
            }
        };
        let mut values: Vec<(i64, String)> = vec![];
        let mut seen_indicators = std::collections::BTreeSet::new();
        for (j, iv) in input.indicators.iter().enumerate() {
            let Some(ind) = indicators
                .iter()
                .find(|d| d.id == iv.id && d.recommendation == input.recommendation && !d.archived)
            else {
                errors.push(FieldError::new(
                    FieldName::indicator_value(i, j),
                    td_string!(locale, progress.check_indicator_foreign),
                ));
                continue;
            };
            if !seen_indicators.insert(ind.id) {
                errors.push(FieldError::new(
                    FieldName::indicator_value(i, j),
                    td_string!(locale, progress.check_indicator_twice, name = &ind.name)
                        .to_string(),
                ));
                continue;
            }
            if iv.value.chars().any(crate::ui::is_refused_char) {
                errors.push(FieldError::new(
                    FieldName::indicator_value(i, j),
                    td_string!(locale, common.error_control_characters),
                ));
                continue;
            }
            match ind.check(&iv.value) {
                Ok(Some(v)) => values.push((ind.id, v)),
                Ok(None) => {}
                Err(problem) => errors.push(FieldError::new(
                    FieldName::indicator_value(i, j),
                    messages.value(&value_rule(ind, locale), problem),
                )),
            }
        }
        out.push(EntryValues {
            recommendation: input.recommendation,
            status,
            narrative,
            evidence,
            as_of,
            indicators: values,
        });
    }
    if errors.is_empty() {
        out.sort_by_key(|e| e.recommendation);
        Ok(out)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::model::IndicatorKind;

    fn en() -> CheckMessages {
        CheckMessages::new(Locale::en)
    }

    fn ind(kind: IndicatorKind, min: Option<f64>, max: Option<f64>) -> Indicator {
        Indicator::example(kind, min, max)
    }

    fn evidence_errors(evidence: String) -> Vec<String> {
        let inputs = vec![EntryInput {
            recommendation: 1,
            evidence,
            ..Default::default()
        }];
        match check_entries(&inputs, &[], "2026-11-29", Locale::en) {
            Ok(_) => vec![],
            Err(errors) => errors.into_iter().map(|e| e.message).collect(),
        }
    }

    #[test]
    fn control_characters_in_imported_texts_are_field_errors() {
        let inputs = vec![EntryInput {
            recommendation: 1,
            narrative: "Agreed\u{0} in May".into(),
            evidence: "https://e.example/\u{7}".into(),
            ..Default::default()
        }];
        let errors = check_entries(&inputs, &[], "2026-11-29", Locale::en).unwrap_err();
        let fields: Vec<String> = errors.iter().map(|e| e.field.clone()).collect();
        assert_eq!(fields, ["entries[0][narrative]", "entries[0][evidence]"]);
        let fine = vec![EntryInput {
            recommendation: 1,
            narrative: "Agreed\n\tin May".into(),
            ..Default::default()
        }];
        assert!(check_entries(&fine, &[], "2026-11-29", Locale::en).is_ok());
    }

    #[test]
    fn evidence_stops_being_read_at_the_link_cap() {
        // Twenty-one distinct links then a bad line: refused for the count alone, the line
        // after the cap never parsed.
        let mut field: String = (0..=LINKS_MAX)
            .map(|i| format!("https://e.example/{i}\n"))
            .collect();
        field.push_str("not a link\n");
        let errors = evidence_errors(field);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].contains(&LINKS_MAX.to_string()), "{errors:?}");
        // A huge field: the same single refusal.
        let huge: String = (0..20_000)
            .map(|i| format!("https://e.example/{i}\n"))
            .collect();
        assert_eq!(evidence_errors(huge).len(), 1);
        // Too many lines, even if all the same link.
        let same = "https://e.example/a\n".repeat(EVIDENCE_LINES_MAX + 1);
        assert_eq!(evidence_errors(same).len(), 1);
        // Repeats within the cap are dropped, not counted.
        let repeated = "https://e.example/a\nhttps://e.example/b\n".repeat(15);
        assert_eq!(evidence_errors(repeated), Vec::<String>::new());
    }

    #[test]
    fn evidence_links_must_be_web_addresses() {
        assert!(check_link("https://www.salute.gov.it/piano", &en()).is_ok());
        assert!(check_link("http://example.org/x", &en()).is_ok());
        assert!(check_link("www.example.org", &en()).is_err());
        assert!(check_link("javascript:alert(1)", &en()).is_err());
        assert!(check_link("ftp://example.org/file", &en()).is_err());
        assert!(check_link("https://localhost/x", &en()).is_err());
    }

    #[test]
    fn as_of_dates_are_real_and_not_in_the_future() {
        assert_eq!(
            check_as_of("2026-06-30", "2026-11-28", &en()),
            Ok(Some("2026-06-30".into()))
        );
        assert_eq!(check_as_of("", "2026-11-28", &en()), Ok(None));
        assert!(check_as_of("2026-12-01", "2026-11-28", &en())
            .unwrap_err()
            .contains("future"));
        assert!(check_as_of("2026-02-30", "2026-11-28", &en()).is_err());
    }

    #[test]
    fn every_language_has_each_message_on_its_own_line() {
        for &locale in Locale::all() {
            let m = CheckMessages::new(locale);
            assert_eq!(
                m.0.lines().count(),
                Text::UnsavedChanges as usize + 1,
                "{locale:?}"
            );
            assert!(m.not_a_link("x").contains('x'));
            assert!(!m.as_of_future().is_empty() && !m.unsaved_changes().is_empty());
            let json = serde_json::to_string(&m).unwrap();
            assert_eq!(serde_json::from_str::<CheckMessages>(&json).unwrap(), m);
        }
    }

    #[test]
    fn messages_are_in_the_callers_language_with_numbers_written_for_it() {
        let inputs = vec![EntryInput {
            recommendation: 1,
            evidence: "pas un lien".into(),
            as_of: "2026-11-29".into(),
            indicators: vec![IndicatorInput {
                id: 1,
                value: "2000".into(),
            }],
            ..Default::default()
        }];
        let indicators = [ind(IndicatorKind::Number, Some(0.0), Some(1500.5))];
        let messages = |locale| -> Vec<String> {
            check_entries(&inputs, &indicators, "2026-11-28", locale)
                .unwrap_err()
                .into_iter()
                .map(|e| e.message)
                .collect()
        };
        assert_eq!(
            messages(Locale::fr),
            [
                "« pas un lien » n'est pas une adresse web. Saisissez des liens complets commençant \
                 par https://, un par ligne.",
                "La date de référence ne peut pas être dans le futur.",
                "« Screening volume » doit être au plus égal à 1\u{202f}500,5."
            ]
        );
        assert_eq!(
            messages(Locale::de)[2],
            "„Screening volume“ darf höchstens 1.500,5 betragen."
        );
        assert_eq!(
            messages(Locale::en)[2],
            "“Screening volume” must be at most 1,500.5."
        );
    }

    #[test]
    fn invalid_fields_are_named_by_their_form_field() {
        let inputs = vec![EntryInput {
            recommendation: 1,
            status: "in-progress".into(),
            evidence: "https://ok.example.org\nnot a link".into(),
            as_of: "yesterday".into(),
            indicators: vec![
                IndicatorInput {
                    id: 1,
                    value: "-5".into(),
                },
                IndicatorInput {
                    id: 99,
                    value: "1".into(),
                },
            ],
            ..Default::default()
        }];
        let errors = check_entries(
            &inputs,
            &[ind(IndicatorKind::Number, Some(0.0), None)],
            "2026-11-28",
            Locale::en,
        )
        .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "entries[0][evidence]",
                "entries[0][as_of]",
                "entries[0][indicators][0][value]",
                "entries[0][indicators][1][value]"
            ]
        );
    }

    #[test]
    fn an_indicator_twice_or_archived_is_refused() {
        let twice = vec![EntryInput {
            recommendation: 1,
            indicators: vec![
                IndicatorInput {
                    id: 1,
                    value: "1".into(),
                },
                IndicatorInput {
                    id: 1,
                    value: "2".into(),
                },
            ],
            ..Default::default()
        }];
        let errors = check_entries(
            &twice,
            &[ind(IndicatorKind::Number, None, None)],
            "2026-11-28",
            Locale::en,
        )
        .unwrap_err();
        assert_eq!(errors[0].field, "entries[0][indicators][1][value]");
        let mut archived = ind(IndicatorKind::Number, None, None);
        archived.archived = true;
        let one = vec![EntryInput {
            recommendation: 1,
            indicators: vec![IndicatorInput {
                id: 1,
                value: "1".into(),
            }],
            ..Default::default()
        }];
        assert!(check_entries(&one, &[archived], "2026-11-28", Locale::en).is_err());
    }

    #[test]
    fn a_recommendation_twice_or_out_of_range_is_refused() {
        let e = |n| EntryInput {
            recommendation: n,
            ..Default::default()
        };
        assert!(check_entries(&[e(1), e(1)], &[], "2026-11-28", Locale::en).is_err());
        assert!(check_entries(&[e(8)], &[], "2026-11-28", Locale::en).is_err());
        let ok = check_entries(&[e(2), e(1)], &[], "2026-11-28", Locale::en).unwrap();
        assert_eq!(
            ok.iter().map(|e| e.recommendation).collect::<Vec<_>>(),
            [1, 2],
            "sorted"
        );
    }
}

//! The checks of an entry as the form sends it: what is *invalid* is refused even in a draft (a
//! malformed link, a number out of bounds); what is *missing* only blocks submission (see
//! `missing`).

use serde::{Deserialize, Serialize};

use super::fields::{EntryField, FieldName};
use super::workflow::Status;
use crate::error::FieldError;
use crate::indicators::model::Indicator;

/// Longest narrative.
pub const NARRATIVE_MAX: usize = 10_000;
/// Most evidence links per entry.
pub const LINKS_MAX: usize = 20;

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

/// Checks one evidence link: an absolute http(s) URL.
pub fn check_link(raw: &str) -> Result<String, String> {
    let link = raw.trim();
    match web_address(link) {
        Some((scheme, host)) if (scheme == "http" || scheme == "https") && host.contains('.') => {
            Ok(link.to_string())
        }
        _ => Err(format!(
            "“{link}” is not a web address. Enter full links starting with https://, one per line."
        )),
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

/// Checks an "as of" date: a real calendar date, not in the future.
pub fn check_as_of(raw: &str, today: &str) -> Result<Option<String>, String> {
    let v = raw.trim();
    if v.is_empty() {
        return Ok(None);
    }
    if !crate::clock::is_iso_date(v) {
        Err("Enter the “as of” date as a real date, like 2026-06-30.".into())
    } else if v > today {
        // Both are `YYYY-MM-DD`, so text order is date order.
        Err("The “as of” date cannot be in the future.".into())
    } else {
        Ok(Some(v.to_string()))
    }
}

/// Checks the entries of a save: returns the stored values, or every invalid field. Entries
/// must be exactly the recommendations 1..=7 once each; indicator ids must belong to the
/// entry's recommendation.
pub fn check_entries(
    inputs: &[EntryInput],
    indicators: &[Indicator],
    today: &str,
) -> Result<Vec<EntryValues>, Vec<FieldError>> {
    let mut errors = vec![];
    let mut out = vec![];
    let mut seen = std::collections::BTreeSet::new();
    for (i, input) in inputs.iter().enumerate() {
        if !(1..=7).contains(&input.recommendation) || !seen.insert(input.recommendation) {
            errors.push(FieldError::new(
                FieldName::entry(i, EntryField::Recommendation),
                "This section is not one of the seven recommendations.",
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
                        "Choose a status from the list.",
                    ));
                    None
                }
            },
        };
        let narrative = input.narrative.trim().to_string();
        if narrative.chars().count() > NARRATIVE_MAX {
            errors.push(FieldError::new(
                FieldName::entry(i, EntryField::Narrative),
                format!("Keep the narrative to {NARRATIVE_MAX} characters."),
            ));
        }
        let mut evidence = vec![];
        for line in input
            .evidence
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
        {
            match check_link(line) {
                Ok(l) if !evidence.contains(&l) => evidence.push(l),
                Ok(_) => {}
                Err(e) => {
                    errors.push(FieldError::new(
                        FieldName::entry(i, EntryField::Evidence),
                        e,
                    ));
                    break;
                }
            }
        }
        if evidence.len() > LINKS_MAX {
            errors.push(FieldError::new(
                FieldName::entry(i, EntryField::Evidence),
                format!("Give at most {LINKS_MAX} links."),
            ));
        }
        let as_of = match check_as_of(&input.as_of, today) {
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
                    "This indicator does not belong to this recommendation.",
                ));
                continue;
            };
            if !seen_indicators.insert(ind.id) {
                errors.push(FieldError::new(
                    FieldName::indicator_value(i, j),
                    format!("“{}” is given twice.", ind.name),
                ));
                continue;
            }
            match ind.check(&iv.value) {
                Ok(Some(v)) => values.push((ind.id, v)),
                Ok(None) => {}
                Err(e) => errors.push(FieldError::new(FieldName::indicator_value(i, j), e)),
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

    fn ind(kind: IndicatorKind, min: Option<f64>, max: Option<f64>) -> Indicator {
        Indicator::example(kind, min, max)
    }

    #[test]
    fn evidence_links_must_be_web_addresses() {
        assert!(check_link("https://www.salute.gov.it/piano").is_ok());
        assert!(check_link("http://example.org/x").is_ok());
        assert!(check_link("www.example.org").is_err());
        assert!(check_link("javascript:alert(1)").is_err());
        assert!(check_link("ftp://example.org/file").is_err());
        assert!(check_link("https://localhost/x").is_err());
    }

    #[test]
    fn as_of_dates_are_real_and_not_in_the_future() {
        assert_eq!(
            check_as_of("2026-06-30", "2026-11-28"),
            Ok(Some("2026-06-30".into()))
        );
        assert_eq!(check_as_of("", "2026-11-28"), Ok(None));
        assert!(check_as_of("2026-12-01", "2026-11-28")
            .unwrap_err()
            .contains("future"));
        assert!(check_as_of("2026-02-30", "2026-11-28").is_err());
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
        assert!(check_entries(&one, &[archived], "2026-11-28").is_err());
    }

    #[test]
    fn a_recommendation_twice_or_out_of_range_is_refused() {
        let e = |n| EntryInput {
            recommendation: n,
            ..Default::default()
        };
        assert!(check_entries(&[e(1), e(1)], &[], "2026-11-28").is_err());
        assert!(check_entries(&[e(8)], &[], "2026-11-28").is_err());
        let ok = check_entries(&[e(2), e(1)], &[], "2026-11-28").unwrap();
        assert_eq!(
            ok.iter().map(|e| e.recommendation).collect::<Vec<_>>(),
            [1, 2],
            "sorted"
        );
    }
}

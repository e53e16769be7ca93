//! What blocks submission (a draft may leave anything empty; a submitted report may not), and
//! which stored indicator values a copied-forward report keeps.

use super::checks::EntryValues;
use super::fields::{EntryField, FieldName};
use super::view::SavedValue;
use super::workflow::Status;
use crate::error::FieldError;
use crate::i18n::*;
use crate::indicators::model::Indicator;
use crate::lang::Locale;

/// What must still be filled in before the report can be submitted; each item names the
/// field (with the entry's index in `entries`, which is ordered by recommendation) and says
/// what to do in `locale`.
pub fn missing(
    entries: &[EntryValues],
    indicators: &[Indicator],
    locale: Locale,
) -> Vec<FieldError> {
    let choose_status = |n: i64| td_string!(locale, progress.missing_status, n = n).to_string();
    let mut out = vec![];
    for number in 1..=7i64 {
        let index = (number - 1) as usize;
        let Some(e) = entries.iter().find(|e| e.recommendation == number) else {
            out.push(FieldError::new(
                FieldName::entry(index, EntryField::Status),
                choose_status(number),
            ));
            continue;
        };
        match e.status {
            None => out.push(FieldError::new(
                FieldName::entry(index, EntryField::Status),
                choose_status(number),
            )),
            Some(s) => {
                if s.requires_narrative() && e.narrative.is_empty() {
                    out.push(FieldError::new(
                        FieldName::entry(index, EntryField::Narrative),
                        td_string!(locale, progress.missing_narrative, n = number).to_string(),
                    ));
                }
                if s != Status::NotApplicable && e.as_of.is_none() {
                    out.push(FieldError::new(
                        FieldName::entry(index, EntryField::AsOf),
                        td_string!(locale, progress.missing_as_of, n = number).to_string(),
                    ));
                }
            }
        }
        if e.status != Some(Status::NotApplicable) {
            let active: Vec<&Indicator> = indicators
                .iter()
                .filter(|d| d.recommendation == number && !d.archived)
                .collect();
            for (j, ind) in active.iter().enumerate() {
                if ind.required && !e.indicators.iter().any(|(id, _)| *id == ind.id) {
                    out.push(FieldError::new(
                        FieldName::indicator_value(index, j),
                        td_string!(
                            locale,
                            progress.missing_indicator,
                            n = number,
                            name = &ind.name
                        )
                        .to_string(),
                    ));
                }
            }
        }
    }
    out
}

/// The indicator values a report copied forward keeps: only those whose indicator is still
/// in use, still measured in the same kind and unit, and whose value passes today's bounds. A
/// value entered as "1200 tests" is not carried into an indicator now counted in thousands.
pub fn carried_forward(stored: &[SavedValue], indicators: &[Indicator]) -> Vec<(i64, String)> {
    stored
        .iter()
        .filter(|s| {
            indicators.iter().any(|d| {
                d.id == s.indicator_id
                    && !d.archived
                    && d.kind == s.kind
                    && d.unit == s.unit
                    && d.check(&s.value).ok().flatten().is_some()
            })
        })
        .map(|s| (s.indicator_id, s.value.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::model::IndicatorKind;

    fn ind(kind: IndicatorKind, min: Option<f64>, max: Option<f64>) -> Indicator {
        Indicator::example(kind, min, max)
    }

    #[test]
    fn copy_forward_keeps_only_values_still_measured_the_same_way() {
        let saved = |id: i64, unit: &str, value: &str| SavedValue {
            indicator_id: id,
            name: "Screening volume".into(),
            kind: IndicatorKind::Number,
            unit: Some(unit.into()),
            value: value.into(),
        };
        let mut same = ind(IndicatorKind::Number, Some(0.0), Some(5000.0));
        same.id = 1;
        let mut new_unit = ind(IndicatorKind::Number, None, None);
        new_unit.id = 2;
        new_unit.unit = Some("thousand tests".into());
        let mut tightened = ind(IndicatorKind::Number, Some(0.0), Some(100.0));
        tightened.id = 3;
        let mut archived = ind(IndicatorKind::Number, None, None);
        archived.id = 4;
        archived.archived = true;
        let stored = vec![
            saved(1, "tests", "1200"),
            saved(2, "tests", "1200"),
            saved(3, "tests", "1200"),
            saved(4, "tests", "1200"),
            saved(5, "tests", "1200"),
        ];
        assert_eq!(
            carried_forward(&stored, &[same, new_unit, tightened, archived]),
            vec![(1, "1200".to_string())]
        );
    }

    fn complete(number: i64) -> EntryValues {
        EntryValues {
            recommendation: number,
            status: Some(Status::Planned),
            narrative: String::new(),
            evidence: vec![],
            as_of: Some("2026-06-30".into()),
            indicators: vec![],
        }
    }

    #[test]
    fn missing_lists_what_blocks_submission() {
        let all: Vec<EntryValues> = (1..=7).map(complete).collect();
        assert!(missing(&all, &[], Locale::en).is_empty());

        let mut e = all.clone();
        e[2].status = None;
        e[3].status = Some(Status::InProgress);
        e[4].as_of = None;
        e[5].status = Some(Status::NotApplicable);
        e[5].as_of = None;
        let m = missing(&e, &[ind(IndicatorKind::Number, None, None)], Locale::en);
        let fields: Vec<&str> = m.iter().map(|x| x.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "entries[0][indicators][0][value]",
                "entries[2][status]",
                "entries[3][narrative]",
                "entries[4][as_of]"
            ]
        );
        assert!(missing(&all[..6], &[], Locale::en)
            .iter()
            .any(|x| x.field == "entries[6][status]"));
    }
}

//! Indicator definitions (shared by server and browser: the report form's island checks values
//! by them) and the admin's form for them.

use serde::{Deserialize, Serialize};

use crate::error::FieldError;

/// The kind of an indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[derive(strum::EnumString, strum::IntoStaticStr, strum::VariantArray)]
#[strum(serialize_all = "kebab-case")]
pub enum IndicatorKind {
    /// A number with a unit and optional bounds.
    Number,
    /// 0 to 100 (bounds may narrow it).
    Percentage,
    YesNo,
    /// Short text, up to 200 characters.
    Text,
}

impl IndicatorKind {
    /// The stored form (also used in forms and URLs).
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The English label (kept for callers not yet translated; see [`IndicatorKind::label_in`]).
    pub fn label(self) -> &'static str {
        self.label_in(crate::lang::Locale::en)
    }

    /// The label in the reader's language.
    pub fn label_in(self, locale: crate::lang::Locale) -> &'static str {
        use crate::i18n::*;
        match self {
            Self::Number => td_string!(locale, indicators.kind_number),
            Self::Percentage => td_string!(locale, indicators.kind_percentage),
            Self::YesNo => td_string!(locale, indicators.kind_yes_no),
            Self::Text => td_string!(locale, indicators.kind_text),
        }
    }
}

/// Longest short-text indicator value.
pub const TEXT_MAX: usize = 200;

/// An indicator as defined by the admin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    pub id: i64,
    pub recommendation: i64,
    pub name: String,
    pub kind: IndicatorKind,
    pub unit: Option<String>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub help: Option<String>,
    /// Must have a value before the report is submitted.
    pub required: bool,
    /// No longer offered for new values; past values stay.
    pub archived: bool,
}

impl Indicator {
    /// A required "Screening volume" in tests, with id 1, for recommendation 1.
    #[cfg(test)]
    pub(crate) fn example(kind: IndicatorKind, min: Option<f64>, max: Option<f64>) -> Self {
        Self {
            id: 1,
            recommendation: 1,
            name: "Screening volume".into(),
            kind,
            unit: Some("tests".into()),
            min,
            max,
            help: None,
            required: true,
            archived: false,
        }
    }

    /// Checks and normalises a value: `Ok(None)` for empty, `Ok(Some(v))` for a valid value, or
    /// what is wrong with it (the caller words it, in the reader's language:
    /// `progress::checks::CheckMessages`).
    pub fn check(&self, raw: &str) -> Result<Option<String>, ValueProblem> {
        Ok(self.rule().parse(raw)?.map(|value| match value {
            Value::Number(n) => fmt_number(n),
            Value::Text(t) => t,
        }))
    }

    /// The rule a value of this indicator is checked by (with the bounds a percentage implies).
    pub fn rule(&self) -> ValueRule {
        let (min, max) = match self.kind {
            IndicatorKind::Percentage => (
                Some(self.min.unwrap_or(0.0).max(0.0)),
                Some(self.max.unwrap_or(100.0).min(100.0)),
            ),
            _ => (self.min, self.max),
        };
        ValueRule {
            name: self.name.clone(),
            kind: self.kind,
            min: min.map(|m| (m, fmt_number(m))),
            max: max.map(|m| (m, fmt_number(m))),
        }
    }

    /// How a value reads, with the unit.
    pub fn display_value(&self, value: &str) -> String {
        match (self.kind, self.unit.as_deref()) {
            (IndicatorKind::Percentage, _) => format!("{value} %"),
            (IndicatorKind::Number, Some(u)) if !u.is_empty() => format!("{value} {u}"),
            _ => value.to_string(),
        }
    }
}

/// How an indicator's value is checked: its kind and bounds, each bound with its text already
/// written by the server. The report form's island checks values by it, so the browser bundle
/// needs no float formatting (and the same messages come out on both sides).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValueRule {
    pub name: String,
    pub kind: IndicatorKind,
    pub min: Option<(f64, String)>,
    pub max: Option<(f64, String)>,
}

/// A valid indicator value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Number(f64),
    Text(String),
}

/// What is wrong with an indicator value. No text here: this runs in the browser too, and the
/// words (in the reader's language) come from `progress::checks::CheckMessages`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueProblem {
    /// Not a number (a number or percentage indicator).
    NotANumber,
    /// Below the rule's `min`.
    BelowMin,
    /// Above the rule's `max`.
    AboveMax,
    /// Neither yes nor no (a yes/no indicator).
    NotYesNo,
    /// Longer than [`TEXT_MAX`] characters (a short-text indicator).
    TooLong,
}

impl ValueRule {
    /// Parses a value: `Ok(None)` for empty, or what is wrong with it.
    pub fn parse(&self, raw: &str) -> Result<Option<Value>, ValueProblem> {
        let v = raw.trim();
        if v.is_empty() {
            return Ok(None);
        }
        match self.kind {
            IndicatorKind::Number | IndicatorKind::Percentage => {
                let n: f64 = v
                    .replace(',', ".")
                    .parse()
                    .ok()
                    .filter(|n: &f64| n.is_finite())
                    .ok_or(ValueProblem::NotANumber)?;
                if self.min.as_ref().is_some_and(|(m, _)| n < *m) {
                    return Err(ValueProblem::BelowMin);
                }
                if self.max.as_ref().is_some_and(|(m, _)| n > *m) {
                    return Err(ValueProblem::AboveMax);
                }
                Ok(Some(Value::Number(n)))
            }
            IndicatorKind::YesNo => match v.to_ascii_lowercase().as_str() {
                yes_no @ ("yes" | "no") => Ok(Some(Value::Text(yes_no.to_string()))),
                _ => Err(ValueProblem::NotYesNo),
            },
            IndicatorKind::Text => {
                if v.chars().count() > TEXT_MAX {
                    Err(ValueProblem::TooLong)
                } else {
                    Ok(Some(Value::Text(v.to_string())))
                }
            }
        }
    }
}

/// A number without a needless fraction: 12, 12.5.
pub fn fmt_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// Longest indicator name.
pub const NAME_MAX: usize = 120;
/// Longest unit ("patients per 100,000 inhabitants"): it is part of the value field's label
/// in every report form and of the charts' value axis.
pub const UNIT_MAX: usize = 60;
/// Longest help text for focal points (shown under the value field).
pub const HELP_MAX: usize = 1_000;

/// The admin's indicator form, as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorForm {
    pub recommendation: String,
    pub name: String,
    pub kind: String,
    pub unit: String,
    pub min: String,
    pub max: String,
    pub help: String,
    pub required: bool,
}

fn parse_bound(raw: &str, field: &str, message: &str, errors: &mut Vec<FieldError>) -> Option<f64> {
    let v = raw.trim();
    if v.is_empty() {
        return None;
    }
    match v.replace(',', ".").parse::<f64>() {
        Ok(n) if n.is_finite() => Some(n),
        _ => {
            errors.push(FieldError::new(field, message));
            None
        }
    }
}

impl IndicatorForm {
    /// Checks the form into a definition (with id 0). Messages are in `locale`, the caller's
    /// language.
    pub fn validate(&self, locale: crate::lang::Locale) -> Result<Indicator, Vec<FieldError>> {
        use crate::i18n::*;
        let mut errors = vec![];
        let recommendation = self
            .recommendation
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=7).contains(n));
        if recommendation.is_none() {
            errors.push(FieldError::new(
                "recommendation",
                td_string!(locale, indicators.error_recommendation),
            ));
        }
        let name = self.name.trim().to_string();
        if name.is_empty() {
            errors.push(FieldError::new(
                "name",
                td_string!(locale, indicators.error_name_missing),
            ));
        } else if name.chars().count() > NAME_MAX {
            errors.push(FieldError::new(
                "name",
                td_string!(locale, indicators.error_name_too_long, max = NAME_MAX),
            ));
        }
        let kind = self.kind.parse::<IndicatorKind>().ok();
        if kind.is_none() {
            errors.push(FieldError::new(
                "kind",
                td_string!(locale, indicators.error_kind),
            ));
        }
        let numeric = matches!(
            kind,
            Some(IndicatorKind::Number | IndicatorKind::Percentage)
        );
        let not_a_bound = td_string!(locale, indicators.error_bound);
        let min = if numeric {
            parse_bound(&self.min, "min", not_a_bound, &mut errors)
        } else {
            None
        };
        let max = if numeric {
            parse_bound(&self.max, "max", not_a_bound, &mut errors)
        } else {
            None
        };
        if let (Some(a), Some(b)) = (min, max) {
            if a > b {
                errors.push(FieldError::new(
                    "max",
                    td_string!(locale, indicators.error_max_below_min),
                ));
            }
        }
        if kind == Some(IndicatorKind::Percentage) {
            if min.is_some_and(|m| m < 0.0) {
                errors.push(FieldError::new(
                    "min",
                    td_string!(locale, indicators.error_percentage_below_0),
                ));
            }
            if max.is_some_and(|m| m > 100.0) {
                errors.push(FieldError::new(
                    "max",
                    td_string!(locale, indicators.error_percentage_above_100),
                ));
            }
        }
        let unit = (kind == Some(IndicatorKind::Number))
            .then(|| self.unit.trim().to_string())
            .filter(|u| !u.is_empty());
        // Only the form-wide cap (20,000 characters) applied to these before.
        if unit.as_ref().is_some_and(|u| u.chars().count() > UNIT_MAX) {
            errors.push(FieldError::new(
                "unit",
                td_string!(locale, indicators.error_unit_too_long, max = UNIT_MAX),
            ));
        }
        let help = Some(self.help.trim().to_string()).filter(|h| !h.is_empty());
        if help.as_ref().is_some_and(|h| h.chars().count() > HELP_MAX) {
            errors.push(FieldError::new(
                "help",
                td_string!(locale, indicators.error_help_too_long, max = HELP_MAX),
            ));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Indicator {
            id: 0,
            recommendation: recommendation.unwrap_or(1),
            name,
            kind: kind.unwrap_or(IndicatorKind::Text),
            unit,
            min,
            max,
            help,
            required: self.required,
            archived: false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ind(kind: IndicatorKind, min: Option<f64>, max: Option<f64>) -> Indicator {
        Indicator::example(kind, min, max)
    }

    #[test]
    fn numbers_are_checked_against_their_bounds() {
        let i = ind(IndicatorKind::Number, Some(0.0), Some(1000.0));
        assert_eq!(i.check(" 12,50 "), Ok(Some("12.5".into())));
        assert_eq!(i.check("40"), Ok(Some("40".into())));
        assert_eq!(i.check(""), Ok(None));
        assert_eq!(i.check("-1"), Err(ValueProblem::BelowMin));
        assert_eq!(i.check("1000.5"), Err(ValueProblem::AboveMax));
        assert_eq!(i.check("lots"), Err(ValueProblem::NotANumber));
        assert!(i.check("NaN").is_err());
        assert!(i.check("inf").is_err());
    }

    #[test]
    fn percentages_stay_within_0_and_100() {
        let i = ind(IndicatorKind::Percentage, None, None);
        assert_eq!(i.check("85"), Ok(Some("85".into())));
        assert!(i.check("101").is_err());
        assert!(i.check("-0.5").is_err());
        let narrowed = ind(IndicatorKind::Percentage, Some(50.0), Some(150.0));
        assert!(narrowed.check("40").is_err());
        assert!(narrowed.check("120").is_err(), "never above 100");
    }

    #[test]
    fn yes_no_and_text_values() {
        let yn = ind(IndicatorKind::YesNo, None, None);
        assert_eq!(yn.check("Yes"), Ok(Some("yes".into())));
        assert!(yn.check("maybe").is_err());
        let t = ind(IndicatorKind::Text, None, None);
        assert!(t.check(&"x".repeat(TEXT_MAX + 1)).is_err());
        assert_eq!(t.check(" fine "), Ok(Some("fine".into())));
    }

    fn form() -> IndicatorForm {
        IndicatorForm {
            recommendation: "1".into(),
            name: "Screening volume as % of 2019".into(),
            kind: "percentage".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_percentage_indicator_with_no_bounds_is_valid() {
        let i = form().validate(crate::lang::Locale::en).unwrap();
        assert_eq!(i.kind, IndicatorKind::Percentage);
        assert_eq!((i.min, i.max), (None, None));
    }

    #[test]
    fn bounds_must_be_numbers_in_order_and_within_a_percentage() {
        let mut f = form();
        f.min = "ten".into();
        assert_eq!(
            f.validate(crate::lang::Locale::en).unwrap_err()[0].field,
            "min"
        );
        let mut f = form();
        f.min = "80".into();
        f.max = "20".into();
        assert_eq!(
            f.validate(crate::lang::Locale::en).unwrap_err()[0].field,
            "max"
        );
        let mut f = form();
        f.max = "150".into();
        assert_eq!(
            f.validate(crate::lang::Locale::en).unwrap_err()[0].field,
            "max"
        );
    }

    #[test]
    fn a_long_unit_or_help_text_is_refused_at_its_field() {
        let mut f = form();
        f.kind = "number".into();
        f.unit = "x".repeat(UNIT_MAX + 1);
        f.help = "x".repeat(HELP_MAX + 1);
        let fields: Vec<String> = f
            .validate(crate::lang::Locale::en)
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["unit", "help"]);
        f.unit = "x".repeat(UNIT_MAX);
        f.help = "x".repeat(HELP_MAX);
        assert!(f.validate(crate::lang::Locale::en).is_ok());
    }

    #[test]
    fn units_and_bounds_only_apply_to_numbers() {
        let mut f = form();
        f.kind = "yes-no".into();
        f.unit = "tests".into();
        f.min = "nonsense".into();
        let i = f.validate(crate::lang::Locale::en).unwrap();
        assert_eq!((i.unit, i.min), (None, None));
    }

    #[test]
    fn the_admins_form_answers_in_their_language() {
        let mut f = form();
        f.min = "90".into();
        f.max = "10".into();
        let de = f.validate(crate::lang::Locale::de).unwrap_err();
        assert_eq!(
            de[0].message,
            "Der größte Wert muss mindestens so groß sein wie der kleinste."
        );
        let fr = IndicatorForm::default()
            .validate(crate::lang::Locale::fr)
            .unwrap_err();
        assert_eq!(fr[0].message, "Choisissez la recommandation.");
        assert_eq!(
            IndicatorKind::YesNo.label_in(crate::lang::Locale::fr),
            "Oui / non"
        );
    }

    #[test]
    fn recommendation_name_and_kind_are_required() {
        let errors = IndicatorForm::default()
            .validate(crate::lang::Locale::en)
            .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["recommendation", "name", "kind"]);
    }
}

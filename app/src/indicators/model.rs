use serde::{Deserialize, Serialize};

use crate::error::FieldError;
pub use crate::progress::model::{Indicator, IndicatorKind};

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

fn parse_bound(raw: &str, field: &str, errors: &mut Vec<FieldError>) -> Option<f64> {
    let v = raw.trim();
    if v.is_empty() {
        return None;
    }
    match v.replace(',', ".").parse::<f64>() {
        Ok(n) if n.is_finite() => Some(n),
        _ => {
            errors.push(FieldError::new(
                field,
                "Enter a number, or leave it empty for no bound.",
            ));
            None
        }
    }
}

impl IndicatorForm {
    /// Checks the form into a definition (with id 0).
    pub fn validate(&self) -> Result<Indicator, Vec<FieldError>> {
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
                "Choose the recommendation.",
            ));
        }
        let name = self.name.trim().to_string();
        if name.is_empty() {
            errors.push(FieldError::new(
                "name",
                "Enter a name, like “Screening volume as % of 2019”.",
            ));
        } else if name.chars().count() > 120 {
            errors.push(FieldError::new("name", "Keep the name to 120 characters."));
        }
        let kind = IndicatorKind::parse(&self.kind);
        if kind.is_none() {
            errors.push(FieldError::new("kind", "Choose the kind of value."));
        }
        let numeric = matches!(
            kind,
            Some(IndicatorKind::Number | IndicatorKind::Percentage)
        );
        let min = if numeric {
            parse_bound(&self.min, "min", &mut errors)
        } else {
            None
        };
        let max = if numeric {
            parse_bound(&self.max, "max", &mut errors)
        } else {
            None
        };
        if let (Some(a), Some(b)) = (min, max) {
            if a > b {
                errors.push(FieldError::new(
                    "max",
                    "The largest value must be at least the smallest.",
                ));
            }
        }
        if kind == Some(IndicatorKind::Percentage) {
            if min.is_some_and(|m| m < 0.0) {
                errors.push(FieldError::new("min", "A percentage cannot be below 0."));
            }
            if max.is_some_and(|m| m > 100.0) {
                errors.push(FieldError::new("max", "A percentage cannot be above 100."));
            }
        }
        let unit = (kind == Some(IndicatorKind::Number))
            .then(|| self.unit.trim().to_string())
            .filter(|u| !u.is_empty());
        let help = Some(self.help.trim().to_string()).filter(|h| !h.is_empty());
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
        let i = form().validate().unwrap();
        assert_eq!(i.kind, IndicatorKind::Percentage);
        assert_eq!((i.min, i.max), (None, None));
    }

    #[test]
    fn bounds_must_be_numbers_in_order_and_within_a_percentage() {
        let mut f = form();
        f.min = "ten".into();
        assert_eq!(f.validate().unwrap_err()[0].field, "min");
        let mut f = form();
        f.min = "80".into();
        f.max = "20".into();
        assert_eq!(f.validate().unwrap_err()[0].field, "max");
        let mut f = form();
        f.max = "150".into();
        assert_eq!(f.validate().unwrap_err()[0].field, "max");
    }

    #[test]
    fn units_and_bounds_only_apply_to_numbers() {
        let mut f = form();
        f.kind = "yes-no".into();
        f.unit = "tests".into();
        f.min = "nonsense".into();
        let i = f.validate().unwrap();
        assert_eq!((i.unit, i.min), (None, None));
    }

    #[test]
    fn recommendation_name_and_kind_are_required() {
        let errors = IndicatorForm::default().validate().unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["recommendation", "name", "kind"]);
    }
}

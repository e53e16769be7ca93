use serde::{Deserialize, Serialize};

use crate::error::FieldError;
use crate::i18n::*;
use crate::lang::Locale;

/// A reporting period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub id: i64,
    pub name: String,
    /// The period reported on.
    pub starts_on: String,
    pub ends_on: String,
    /// Submissions are accepted from `opens_on` to `closes_on`, both included, unless an admin
    /// closed them early (`closed_at`).
    pub opens_on: String,
    pub closes_on: String,
    pub closed_at: Option<String>,
    /// Where submissions stand today (computed by the server when the period is loaded).
    pub phase: Phase,
}

/// Whether a period takes submissions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    Upcoming,
    Open,
    Closed,
}

impl Phase {
    /// The English label (kept for callers not yet translated; see [`Phase::label_in`]).
    pub fn label(self) -> &'static str {
        self.label_in(Locale::en)
    }

    /// The label in the reader's language: "Open for submissions", "Ouverte aux soumissions".
    pub fn label_in(self, locale: Locale) -> &'static str {
        match self {
            Self::Upcoming => td_string!(locale, periods.phase_upcoming),
            Self::Open => td_string!(locale, periods.phase_open),
            Self::Closed => td_string!(locale, periods.phase_closed),
        }
    }
}

impl Period {
    /// Where submissions stand on `today` (`YYYY-MM-DD`).
    pub fn phase_on(&self, today: &str) -> Phase {
        if self.closed_at.is_some() || today > self.closes_on.as_str() {
            Phase::Closed
        } else if today < self.opens_on.as_str() {
            Phase::Upcoming
        } else {
            Phase::Open
        }
    }
}

/// Longest period name.
pub const NAME_MAX: usize = 40;

/// The admin's period form, as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodInput {
    pub name: String,
    pub starts_on: String,
    pub ends_on: String,
    pub opens_on: String,
    pub closes_on: String,
}

impl PeriodInput {
    /// Checks the form; returns it trimmed. Messages are in `locale`, the caller's language.
    pub fn validate(&self, locale: Locale) -> Result<PeriodInput, Vec<FieldError>> {
        let mut errors = vec![];
        let name = self.name.trim().to_string();
        if name.is_empty() {
            errors.push(FieldError::new(
                "name",
                td_string!(locale, periods.error_name_missing),
            ));
        } else if name.chars().count() > NAME_MAX {
            errors.push(FieldError::new(
                "name",
                td_string!(locale, periods.error_name_too_long, max = NAME_MAX),
            ));
        }
        let mut date = |field: &str, value: &str, message: &str| {
            let v = value.trim().to_string();
            // Exactly YYYY-MM-DD (no sign, no wider year): stored as typed, so that text
            // order is date order everywhere after.
            if !crate::clock::is_iso_date(&v) {
                errors.push(FieldError::new(field, message));
            }
            v
        };
        let starts_on = date(
            "starts_on",
            &self.starts_on,
            td_string!(locale, periods.error_starts_on),
        );
        let ends_on = date(
            "ends_on",
            &self.ends_on,
            td_string!(locale, periods.error_ends_on),
        );
        let opens_on = date(
            "opens_on",
            &self.opens_on,
            td_string!(locale, periods.error_opens_on),
        );
        let closes_on = date(
            "closes_on",
            &self.closes_on,
            td_string!(locale, periods.error_closes_on),
        );
        if errors.is_empty() {
            if ends_on < starts_on {
                errors.push(FieldError::new(
                    "ends_on",
                    td_string!(locale, periods.error_ends_before_start),
                ));
            }
            if closes_on < opens_on {
                errors.push(FieldError::new(
                    "closes_on",
                    td_string!(locale, periods.error_closes_before_open),
                ));
            }
        }
        if errors.is_empty() {
            Ok(PeriodInput {
                name,
                starts_on,
                ends_on,
                opens_on,
                closes_on,
            })
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn period() -> Period {
        Period {
            id: 1,
            name: "2026 H1".into(),
            starts_on: "2026-01-01".into(),
            ends_on: "2026-06-30".into(),
            opens_on: "2026-07-01".into(),
            closes_on: "2026-09-30".into(),
            closed_at: None,
            phase: Phase::Upcoming,
        }
    }

    #[test]
    fn submissions_are_open_between_the_dates_inclusive_unless_closed_early() {
        let mut p = period();
        assert_eq!(p.phase_on("2026-06-30"), Phase::Upcoming);
        assert_eq!(p.phase_on("2026-07-01"), Phase::Open);
        assert_eq!(p.phase_on("2026-09-30"), Phase::Open);
        assert_eq!(p.phase_on("2026-10-01"), Phase::Closed);
        p.closed_at = Some("2026-08-01T00:00:00.000000Z".into());
        assert_eq!(p.phase_on("2026-08-15"), Phase::Closed);
    }

    #[test]
    fn period_dates_must_be_real_and_in_order() {
        let ok = PeriodInput {
            name: " 2026 H1 ".into(),
            starts_on: "2026-01-01".into(),
            ends_on: "2026-06-30".into(),
            opens_on: "2026-07-01".into(),
            closes_on: "2026-09-30".into(),
        };
        assert_eq!(ok.validate(Locale::en).unwrap().name, "2026 H1");
        let mut bad = ok.clone();
        bad.ends_on = "2025-12-31".into();
        assert_eq!(bad.validate(Locale::en).unwrap_err()[0].field, "ends_on");
        let mut bad = ok.clone();
        bad.closes_on = "2026-02-30".into();
        assert_eq!(bad.validate(Locale::en).unwrap_err()[0].field, "closes_on");
        // A signed or wider year is not a date of the form (text order would not be date
        // order: "+2099-12-31" sorts before "2026-…").
        for written in ["+2099-12-31", "-2026-09-30", "02026-09-30", "2026-9-30"] {
            let mut bad = ok.clone();
            bad.closes_on = written.into();
            assert_eq!(
                bad.validate(Locale::en).unwrap_err()[0].field,
                "closes_on",
                "{written}"
            );
        }
        let mut bad = ok;
        bad.name = "".into();
        assert_eq!(bad.validate(Locale::en).unwrap_err()[0].field, "name");
    }

    #[test]
    fn period_messages_are_in_the_callers_language() {
        let input = PeriodInput {
            name: "x".repeat(NAME_MAX + 1),
            starts_on: "2026-01-01".into(),
            ends_on: "2026-06-30".into(),
            opens_on: "2026-07-01".into(),
            closes_on: "soon".into(),
        };
        let en = input.validate(Locale::en).unwrap_err();
        assert_eq!(en[0].message, "Keep the name to 40 characters.");
        let fr = input.validate(Locale::fr).unwrap_err();
        assert_eq!(fr[0].message, "Le nom ne doit pas dépasser 40 caractères.");
        assert!(
            fr[1].message.contains("date de clôture"),
            "{}",
            fr[1].message
        );
        assert_eq!(
            Phase::Open.label_in(Locale::de),
            "Für Einreichungen geöffnet"
        );
        assert_eq!(Phase::Open.label(), "Open for submissions");
    }
}

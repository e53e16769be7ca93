//! The surveys' types, shared by the server and the browser: the definition (sections,
//! questions, texts in several languages), conditions, answers, and what pages show.

pub mod answers;
pub mod condition;
pub mod definition;

use serde::{Deserialize, Serialize};

pub use answers::{Answer, Answers, Raw};
pub use condition::{Comparison, Condition, Op};
pub use definition::{Choice, Definition, Kind, KindName, Question, Section, Text};

/// Where a survey stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[derive(strum::EnumString, strum::IntoStaticStr, strum::VariantArray)]
#[strum(serialize_all = "kebab-case")]
pub enum SurveyStatus {
    /// Being built: only admins see it (and its preview).
    Draft,
    /// Taking answers (between its dates, if it has them).
    Open,
    /// No more answers; results stay.
    Closed,
}

impl SurveyStatus {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// A survey as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Survey {
    pub id: i64,
    pub status: SurveyStatus,
    /// First and last day of answering (`YYYY-MM-DD`, UTC), if set.
    pub opens_on: Option<String>,
    pub closes_on: Option<String>,
    pub anonymous: bool,
    /// The open link's token, when the survey has one.
    pub open_token: Option<String>,
    pub one_per_browser: bool,
    pub definition: Definition,
    /// Recommendations (numbers) the survey gives evidence on.
    pub recommendations: Vec<i64>,
    pub version: i64,
    /// Submitted responses.
    pub responses: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// Why a survey does not take answers now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NotAccepting {
    Draft,
    NotYetOpen,
    Closed,
}

impl Survey {
    /// Does the survey take answers on `today` (`YYYY-MM-DD`)?
    pub fn accepting(&self, today: &str) -> Result<(), NotAccepting> {
        match self.status {
            SurveyStatus::Draft => Err(NotAccepting::Draft),
            SurveyStatus::Closed => Err(NotAccepting::Closed),
            SurveyStatus::Open => {
                if self.opens_on.as_deref().is_some_and(|d| today < d) {
                    Err(NotAccepting::NotYetOpen)
                } else if self.closes_on.as_deref().is_some_and(|d| today > d) {
                    Err(NotAccepting::Closed)
                } else {
                    Ok(())
                }
            }
        }
    }

    /// The title in `lang` (or the default language).
    pub fn title(&self, lang: &str) -> &str {
        self.definition
            .title
            .get(lang, &self.definition.default_language)
    }
}

/// One line of the admins' list of surveys.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveySummary {
    pub id: i64,
    pub title: String,
    pub status: SurveyStatus,
    pub opens_on: Option<String>,
    pub closes_on: Option<String>,
    pub anonymous: bool,
    pub invited: i64,
    pub answered_invitations: i64,
    pub responses: i64,
}

/// A member's personal link, as the admin's list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitation {
    pub id: i64,
    pub user_id: i64,
    pub display_name: String,
    pub email: String,
    pub organisation: Option<String>,
    pub member_type: Option<String>,
    pub country: Option<String>,
    pub token: String,
    pub created_at: String,
    pub answered_on: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn survey(status: SurveyStatus, opens: Option<&str>, closes: Option<&str>) -> Survey {
        Survey {
            id: 1,
            status,
            opens_on: opens.map(str::to_string),
            closes_on: closes.map(str::to_string),
            anonymous: false,
            open_token: None,
            one_per_browser: false,
            definition: Definition::new("en", "T"),
            recommendations: vec![],
            version: 1,
            responses: 0,
            created_at: String::new(),
            updated_at: String::new(),
        }
    }

    #[test]
    fn an_open_survey_takes_answers_only_between_its_dates() {
        let today = "2026-06-15";
        assert_eq!(
            survey(SurveyStatus::Draft, None, None).accepting(today),
            Err(NotAccepting::Draft)
        );
        assert_eq!(
            survey(SurveyStatus::Closed, None, None).accepting(today),
            Err(NotAccepting::Closed)
        );
        assert_eq!(
            survey(SurveyStatus::Open, None, None).accepting(today),
            Ok(())
        );
        assert_eq!(
            survey(SurveyStatus::Open, Some("2026-06-15"), Some("2026-06-15")).accepting(today),
            Ok(())
        );
        assert_eq!(
            survey(SurveyStatus::Open, Some("2026-06-16"), None).accepting(today),
            Err(NotAccepting::NotYetOpen)
        );
        assert_eq!(
            survey(SurveyStatus::Open, None, Some("2026-06-14")).accepting(today),
            Err(NotAccepting::Closed)
        );
    }
}

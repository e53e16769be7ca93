//! The report workflow: the status scale of an entry, the states of a report and the steps
//! between them, and what a form asks for (save or submit; return or approve).

use serde::{Deserialize, Serialize};

use crate::audit::model::AuditEvent;
use crate::i18n::*;
use crate::lang::Locale;

/// Where a country stands on one recommendation. `NotStarted` < … < `FullyImplemented` is an
/// ordinal scale; `NotApplicable` stands outside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[derive(strum::EnumString, strum::IntoStaticStr, strum::VariantArray)]
#[strum(serialize_all = "kebab-case")]
pub enum Status {
    NotStarted,
    Planned,
    InProgress,
    PartiallyImplemented,
    FullyImplemented,
    NotApplicable,
}

impl Status {
    /// The stored form (also used in forms and URLs).
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The status as people read it, in `locale`.
    pub fn label(self, locale: Locale) -> &'static str {
        match self {
            Self::NotStarted => td_string!(locale, progress.status_not_started),
            Self::Planned => td_string!(locale, progress.status_planned),
            Self::InProgress => td_string!(locale, progress.status_in_progress),
            Self::PartiallyImplemented => {
                td_string!(locale, progress.status_partially_implemented)
            }
            Self::FullyImplemented => td_string!(locale, progress.status_fully_implemented),
            Self::NotApplicable => td_string!(locale, progress.status_not_applicable),
        }
    }

    /// The position on the ordinal scale (0 = Not started … 4 = Fully implemented); `None`
    /// for Not applicable, which is not on the scale.
    pub fn rank(self) -> Option<u8> {
        match self {
            Self::NotStarted => Some(0),
            Self::Planned => Some(1),
            Self::InProgress => Some(2),
            Self::PartiallyImplemented => Some(3),
            Self::FullyImplemented => Some(4),
            Self::NotApplicable => None,
        }
    }

    /// A narrative is required once work is under way (In progress or beyond).
    pub fn requires_narrative(self) -> bool {
        self.rank().is_some_and(|r| r >= 2)
    }
}

/// Where a country's report for a period stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[derive(strum::EnumString, strum::IntoStaticStr, strum::VariantArray)]
#[strum(serialize_all = "kebab-case")]
pub enum ReportState {
    Draft,
    Submitted,
    /// Sent back to the focal point with comments; editable like a draft.
    Returned,
    /// Published; locked for focal points.
    Approved,
}

impl ReportState {
    /// The stored form (also used in forms and URLs).
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The state as people read it, in `locale`.
    pub fn label(self, locale: Locale) -> &'static str {
        match self {
            Self::Draft => td_string!(locale, progress.state_draft),
            Self::Submitted => td_string!(locale, progress.state_submitted),
            Self::Returned => td_string!(locale, progress.state_returned),
            Self::Approved => td_string!(locale, progress.state_approved),
        }
    }

    /// "Not started" or the state's label: a report's state where it may not exist yet.
    pub fn label_or_not_started(state: Option<Self>, locale: Locale) -> &'static str {
        match state {
            Some(s) => s.label(locale),
            None => td_string!(locale, progress.state_not_started),
        }
    }

    /// May the focal point edit the report?
    pub fn editable_by_focal_point(self) -> bool {
        matches!(self, Self::Draft | Self::Returned)
    }
}

/// A step of the workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Transition {
    /// Focal point: draft or returned → submitted.
    Submit,
    /// Admin: submitted → returned, with comments.
    Return,
    /// Admin: submitted → approved.
    Approve,
    /// Admin: approved → returned, with a reason.
    Reopen,
}

impl Transition {
    /// The state a report moves to, or `None` if the step is not allowed from `from`.
    pub fn apply(self, from: ReportState) -> Option<ReportState> {
        use ReportState::*;
        match (self, from) {
            (Self::Submit, Draft | Returned) => Some(Submitted),
            (Self::Return, Submitted) => Some(Returned),
            (Self::Approve, Submitted) => Some(Approved),
            (Self::Reopen, Approved) => Some(Returned),
            _ => None,
        }
    }

    /// What the audit log records for this step.
    pub fn audit_event(self) -> AuditEvent {
        match self {
            Self::Submit => AuditEvent::ReportSubmitted,
            Self::Return => AuditEvent::ReportReturned,
            Self::Approve => AuditEvent::ReportApproved,
            Self::Reopen => AuditEvent::ReportReopened,
        }
    }
}

/// What the focal point's form asks for: which of its two buttons was pressed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[derive(strum::EnumString, strum::IntoStaticStr)]
#[strum(serialize_all = "kebab-case")]
pub enum Intent {
    /// Save a draft.
    #[default]
    Save,
    /// Save, then submit if nothing is missing.
    Submit,
}

impl Intent {
    /// The button's value.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// A reviewer's decision on a submitted report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[derive(strum::EnumString, strum::IntoStaticStr)]
#[strum(serialize_all = "kebab-case")]
pub enum Decision {
    /// Back to the focal point, with comments.
    Return,
    /// Publish.
    Approve,
}

impl Decision {
    /// The button's value.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn transition(self) -> Transition {
        match self {
            Self::Return => Transition::Return,
            Self::Approve => Transition::Approve,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_scale_is_ordered_and_not_applicable_is_outside_it() {
        use strum::VariantArray;
        let ranks: Vec<Option<u8>> = Status::VARIANTS.iter().map(|s| s.rank()).collect();
        assert_eq!(ranks, [Some(0), Some(1), Some(2), Some(3), Some(4), None]);
        for s in Status::VARIANTS {
            assert_eq!(s.as_str().parse::<Status>(), Ok(*s));
        }
        assert!("started".parse::<Status>().is_err());
    }

    #[test]
    fn a_narrative_is_required_from_in_progress_on() {
        assert!(!Status::NotStarted.requires_narrative());
        assert!(!Status::Planned.requires_narrative());
        assert!(Status::InProgress.requires_narrative());
        assert!(Status::PartiallyImplemented.requires_narrative());
        assert!(Status::FullyImplemented.requires_narrative());
        assert!(!Status::NotApplicable.requires_narrative());
    }

    #[test]
    fn only_the_workflow_steps_are_allowed() {
        use ReportState::*;
        use Transition::*;
        assert_eq!(Submit.apply(Draft), Some(Submitted));
        assert_eq!(Submit.apply(Returned), Some(Submitted));
        assert_eq!(Submit.apply(Submitted), None);
        assert_eq!(Submit.apply(Approved), None);
        assert_eq!(Return.apply(Submitted), Some(Returned));
        assert_eq!(Return.apply(Draft), None);
        assert_eq!(Approve.apply(Submitted), Some(Approved));
        assert_eq!(Approve.apply(Draft), None);
        assert_eq!(Approve.apply(Returned), None);
        assert_eq!(Reopen.apply(Approved), Some(Returned));
        assert_eq!(Reopen.apply(Submitted), None);
        assert!(Draft.editable_by_focal_point() && Returned.editable_by_focal_point());
        assert!(!Submitted.editable_by_focal_point() && !Approved.editable_by_focal_point());
    }

    #[test]
    fn states_intents_and_decisions_round_trip_through_their_codes() {
        use strum::VariantArray;
        for s in ReportState::VARIANTS {
            assert_eq!(s.as_str().parse::<ReportState>(), Ok(*s));
        }
        assert!("published".parse::<ReportState>().is_err());
        assert_eq!("submit".parse::<Intent>(), Ok(Intent::Submit));
        assert_eq!(Intent::Save.as_str(), "save");
        assert_eq!("return".parse::<Decision>(), Ok(Decision::Return));
        assert_eq!(Decision::Approve.as_str(), "approve");
        assert!("maybe".parse::<Decision>().is_err());
    }
}
